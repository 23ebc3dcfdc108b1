"""Names: the glossary (config table and TSV file) guarded like the figures, people / organisations / places per
brief, and the names the glossary lacks, romanised for a team to take up."""

import json
import re

import pytest
from conftest import SAMPLES, FakeTranslator, default_english

from summarize import BriefOptions, guard, run
from summarize.article import glossary, prepare
from summarize.errors import ConfigError
from summarize.options import load_options
from summarize.stages.glossary import has_name, kind_of, names_in, prerender_names, read_tsv, romanize

GLOSSARY = {"이창용": "Rhee Chang-yong", "한국은행": "Bank of Korea", "한은": "Bank of Korea", "미국": "United States"}


def test_a_tsv_glossary_and_the_config_table(tmp_path):
    (tmp_path / "names.tsv").write_text("# Korean\tEnglish\n\n이창용\tLee Chang-yong\n추경호\tChoo Kyung-ho\n",
                                        encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('glossary_file = "names.tsv"\n\n[glossary]\n"이창용" = "Rhee Chang-yong"\n', encoding="utf-8")
    options = load_options(cfg)
    assert options.glossary_file == str(tmp_path / "names.tsv")  # beside the config file
    # the table wins where both name the same Korean
    assert glossary(options) == {"이창용": "Rhee Chang-yong", "추경호": "Choo Kyung-ho"}


@pytest.mark.parametrize("text,message", [
    ("이창용 Rhee Chang-yong\n", "line 1: not `Korean<TAB>English`"),
    ("이창용\t\n", "line 1"),
    ("# fine\n\t영어\n", "line 2"),
])
def test_a_bad_tsv_line_is_named(tmp_path, text, message):
    (tmp_path / "g.tsv").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        read_tsv(tmp_path / "g.tsv")


@pytest.mark.parametrize("toml,message", [
    ('[glossary]\n"이창용" = 3\n', "[glossary] must map Korean names to English names"),
    ('[outlets]\n"한빛일보" = ""\n', "[outlets] must map"),
    ('glossary = "이창용"\n', "'glossary' must be dict"),
    ('base_url = "briefs.example.org"\n', "base_url must start with http:// or https://"),
])
def test_bad_tables_are_refused(tmp_path, toml, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_options(cfg)


def test_a_missing_glossary_file_is_a_config_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('glossary_file = "nowhere.tsv"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="glossary file"):
        glossary(load_options(cfg))


# (Korean, the glossary's names found in it, in order)
FOUND = [
    ("이창용 한은 총재는 말했다.", (("이창용", "Rhee Chang-yong"), ("한은", "Bank of Korea"))),
    ("한국은행 금융통화위원회가", (("한국은행", "Bank of Korea"),)),  # not 한은 inside it
    ("박이창용씨와 미국인", (("미국", "United States"),)),  # a name is not found inside a longer word
    ("해당 없음", ()),
]


@pytest.mark.parametrize("ko,found", FOUND)
def test_glossary_names_in_a_text(ko, found):
    assert names_in(ko, GLOSSARY) == found


# (a name's English, an English, whether it holds the name)
HOLDS = [("Rhee Chang-yong", "Governor Rhee Chang-yong said", True),
         ("Rhee Chang-yong", "Chang-yong Rhee said", True),  # order aside
         ("Rhee Chang-yong", "RHEE Changyong's view", True),  # case and hyphen aside
         ("Rhee Chang-yong", "Lee Chang-yong said", False),
         ("Bank of Korea", "the Korean central bank", False)]


@pytest.mark.parametrize("name,en,holds", HOLDS)
def test_has_name(name, en, holds):
    assert has_name(name, en) is holds


KO = "이창용 한은 총재는 금리를 동결했다."
NAMES = names_in(KO, GLOSSARY)


# (the model's first English, its English of the sentence with the names written out, the flags, what the final
# English holds)
GUARDED = [
    ("Governor Rhee Chang-yong of the Bank of Korea froze rates.", None, (), ["Rhee Chang-yong"]),
    ("Governor Lee Chang-yong of the BOK froze rates.", "Governor Rhee Chang-yong of the Bank of Korea froze rates.",
     (), ["Rhee Chang-yong", "Bank of Korea"]),
    ("Governor Lee Chang-yong of the BOK froze rates.", "Governor Lee froze rates at the Bank of Korea.",
     ("name-restored",), ["[이창용 = Rhee Chang-yong]", "Bank of Korea"]),
    ("Lee froze rates.", None, ("name-restored",), ["[이창용 = Rhee Chang-yong]", "[한은 = Bank of Korea]"]),
]


@pytest.mark.parametrize("first,retry,flags,holds", GUARDED)
def test_the_guard_keeps_the_glossary_names(first, retry, flags, holds):
    t = guard(KO, [], first, retry, NAMES)
    assert t.flags == flags
    for x in holds:
        assert x in t.en
    assert len([n for n in t.notes if n.startswith("name-restored:")]) == (1 if flags else 0)
    if retry and not flags:
        assert t.en == retry and any("retranslated" in n for n in t.notes)


def test_a_speaker_that_is_a_glossary_name_is_its_english():
    t = guard("이창용", [], "Lee Chang-yong", None, (("이창용", "Rhee Chang-yong"),))
    assert (t.en, t.flags) == ("Rhee Chang-yong", ())


def test_the_retranslation_gets_the_names_written_out():
    assert prerender_names(KO, NAMES) == "Rhee Chang-yong Bank of Korea 총재는 금리를 동결했다."


def lee_unless_told(ko: str) -> str:
    """A model that writes 이창용 as Lee Chang-yong, and Rhee Chang-yong only where the Korean already says so."""
    en = default_english(ko)
    if "이창용" in ko:
        en += " Lee Chang-yong"
    if "Rhee Chang-yong" in ko:
        en += " Rhee Chang-yong"
    return en


def never_the_name(ko: str) -> str:
    """A model that writes Lee Chang-yong, even where the Korean says Rhee Chang-yong."""
    return default_english(ko.replace("Rhee Chang-yong", "")) + " Lee Chang-yong"


@pytest.mark.parametrize("fn,flagged", [(lee_unless_told, False), (never_the_name, True)])
def test_a_run_keeps_the_glossary_names(tmp_path, fn, flagged):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes((SAMPLES / "economy_bok_rate.txt").read_bytes())
    fake = FakeTranslator(fn=fn)
    options = BriefOptions(model="fake/model", glossary={"이창용": "Rhee Chang-yong"})
    run(inbox, tmp_path / "out", options, translator_factory=lambda s, o: fake)
    assert any("Rhee Chang-yong" in t for call in fake.calls for t in call)  # retranslated with the name written out
    data = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    md = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    items = [data["title"], *data["summary"], *data["quotes"]]
    with_name = [i for i in items if "이창용" in i["ko"]]
    assert with_name
    for i in with_name:
        assert "Rhee Chang-yong" in i["en"]
        assert ("name-restored" in i["flags"]) is flagged
    assert md.count("name-restored") == sum("name-restored" in i["flags"] for i in items)
    assert all(q["speaker_en"] == "Rhee Chang-yong" for q in data["quotes"] if q["speaker"] == "이창용")


def test_the_glossary_is_in_the_article_key():
    from summarize.article import article_key

    def key(**kw):
        return article_key("ab" * 32, "m", BriefOptions(**kw))

    assert key(glossary={"이창용": "Rhee Chang-yong"}) != key()
    assert key(outlets={"한빛일보": "Hanbit Ilbo"}) != key()
    assert key(base_url="https://briefs.example.org/") == key()  # links in the digest, not the brief


# (name, the word after it, quoted, its kind)
KINDS = [
    ("박원순", "시장은", False, "person"),  # a title after the name (its particle aside)
    ("추경호", "원내대표", False, "person"),
    ("류현진", None, True, "person"),  # quoted
    ("기상청", None, True, "organisation"),  # a quoted office
    ("한국은행", None, False, "organisation"),
    ("더불어민주당", None, False, "organisation"),
    ("금융위원회", None, False, "organisation"),
    ("삼성전자", "관계자", False, "organisation"),
    ("강남구", None, False, "place"),
    ("종로구", "일대", False, "place"),
    ("미국", None, False, "place"),
    ("홍콩", None, False, "place"),
    ("반가사유상", None, False, "other"),
]


@pytest.mark.parametrize("ko,after,speaker,kind", KINDS)
def test_people_organisations_and_places(ko, after, speaker, kind):
    assert kind_of(ko, after, speaker) == kind


# (name, kind, its romanisation)
ROMANISED = [
    ("이창용", "person", "Lee Chang-yong"),  # the surname's customary spelling, the given name hyphenated
    ("윤성용", "person", "Yoon Seong-yong"),
    ("남궁현", "person", "Namgoong Hyeon"),  # a two-syllable surname
    ("한석봉", "person", "Han Seok-bong"),  # no sound change across a name's syllables
    ("강남구", "place", "Gangnam-gu"),
    ("종로구", "place", "Jongno-gu"),  # the sound rules within a word (종로 is said 종노)
    ("신라", "other", "Silla"),
    ("국민의힘", "organisation", "Gungminuihim"),
]


@pytest.mark.parametrize("ko,kind,en", ROMANISED)
def test_romanisation(ko, kind, en):
    assert romanize(ko, kind) == en


# (sample, kind, names that must be found as that kind)
SAMPLE_NAMES = [
    ("economy_bok_rate.txt", "person", {"이창용"}),
    ("economy_bok_rate.txt", "organisation", {"한국은행", "한은"}),  # 한은 of `이창용 한은 총재`: his organisation
    ("economy_bok_rate.txt", "place", {"미국", "한국"}),
    ("politics_supplementary_budget.txt", "person", {"박찬대", "추경호", "우원식"}),
    ("politics_supplementary_budget.txt", "organisation", {"더불어민주당", "국민의힘"}),
    ("culture_museum.html", "person", {"윤성용"}),
    ("culture_museum.html", "organisation", {"국립중앙박물관"}),
    ("society_heavy_rain_cp949.txt", "place", {"강남구", "서울"}),
    ("society_heavy_rain_cp949.txt", "organisation", {"기상청", "중앙재난안전대책본부"}),
]


@pytest.mark.parametrize("sample,kind,names", SAMPLE_NAMES)
def test_the_samples_names(sample, kind, names):
    p = prepare(SAMPLES / sample, SAMPLES, BriefOptions(glossary=GLOSSARY))
    found = {n.ko: n for n in p.names}
    for ko in names:
        assert ko in found and found[ko].kind == kind, (ko, found.get(ko))
        assert found[ko].romanised is (ko not in GLOSSARY and ko not in ("미국", "한국", "서울"))
        assert found[ko].en == GLOSSARY.get(ko, found[ko].en)
    counts = [n.count for n in p.names]
    assert counts == sorted(counts, reverse=True)  # the most named first


def test_the_brief_lists_the_names_and_the_ones_to_add(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes((SAMPLES / "economy_bok_rate.txt").read_bytes())
    run(inbox, tmp_path / "out", BriefOptions(model="fake/model", glossary={"이창용": "Rhee Chang-yong"}),
        translator_factory=lambda s, o: FakeTranslator())
    md = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("**People:**"))
    assert "Rhee Chang-yong (이창용)" in line and "**Organisations:**" in line and "**Places:**" in line
    assert "United States (미국)" in line and "_Hangugeunhaeng_ (한국은행)" in line  # romanised: in italics
    block = md.split("```tsv\n", 1)[1].split("```", 1)[0]
    (tmp_path / "add.tsv").write_text(block, encoding="utf-8")
    to_add = read_tsv(tmp_path / "add.tsv")  # the block is a glossary file as it stands
    assert "한국은행" in to_add and "이창용" not in to_add and "미국" not in to_add
    data = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert {n["ko"] for n in data["names"] if n["romanised"] and n["kind"] != "other"} == set(to_add)
