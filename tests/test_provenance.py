"""Where a brief comes from: the outlet's English name, the time with its zone, the section, the original's address
(from the page, or a `.url` sidecar beside a text file), in the brief, the JSON, the digest and every delivery."""

import json
import shutil

import pytest
from conftest import SAMPLES, FakeTranslator

from summarize import BriefOptions, run
from summarize.options import load_options
from summarize.records import Meta
from summarize.stages.provenance import outlet_english, provenance, section_english, with_zone
from summarize.stages.reading import read_source

# (outlet as the page names it, the config's [outlets], its English name: None where unknown)
OUTLETS = [
    ("연합뉴스", {}, "Yonhap News Agency"),
    ("연합 뉴스", {}, "Yonhap News Agency"),  # spaces aside
    ("뉴스1", {}, "News1"),
    ("조선일보", {}, "The Chosun Ilbo"),
    ("매일경제", {}, "Maeil Business Newspaper"),
    ("TV조선", {}, "TV Chosun"),
    ("KBS", {}, "KBS"),
    ("Korea JoongAng Daily", {}, "Korea JoongAng Daily"),  # Latin letters: its own English
    ("한빛일보", {}, None),
    ("한빛일보", {"한빛일보": "Hanbit Ilbo"}, "Hanbit Ilbo"),  # the config extends the table ...
    ("뉴시스", {"뉴시스": "NEWSIS"}, "NEWSIS"),  # ... and wins over it
    (None, {}, None),
]


@pytest.mark.parametrize("outlet,extra,english", OUTLETS)
def test_outlet_english_names(outlet, extra, english):
    assert outlet_english(outlet, extra) == english


# (section as the page names it, its English)
SECTIONS = [("금융", "Economy"), ("경제", "Economy"), ("정치", "Politics"), ("야구", "Sports"), ("프로야구", "Sports"),
            ("국제", "World"), ("IT/과학", "Science & Tech"), ("sports", "Sports"), ("잡동사니", None), (None, None)]


@pytest.mark.parametrize("section,english", SECTIONS)
def test_section_english_names(section, english):
    assert section_english(section) == english


# (published as the page gives it, with its zone, whether the zone is assumed)
ZONES = [
    ("2024-05-23T11:52", "2024-05-23T11:52+09:00", True),
    ("2019-01-31T18:46:50", "2019-01-31T18:46:50+09:00", True),
    ("2024-09-10T09:30:00+09:00", "2024-09-10T09:30:00+09:00", False),
    ("2024-09-10T00:30:00Z", "2024-09-10T00:30:00+00:00", False),
    ("2024-09-10T09:30:00.123+0900", "2024-09-10T09:30:00+09:00", False),
    ("2024-05-23", "2024-05-23", False),  # a date alone has no time to place in a zone
    (None, None, False),
]


@pytest.mark.parametrize("published,zoned,assumed", ZONES)
def test_a_time_carries_its_zone(published, zoned, assumed):
    assert with_zone(published) == (zoned, assumed)


def test_provenance_fills_the_english_and_keeps_the_rest():
    m = provenance(Meta(outlet="연합뉴스", author="홍길동", published="2024-05-23T11:52", url="https://e.x/1",
                        section="금융"))
    assert (m.outlet, m.author, m.url, m.section) == ("연합뉴스", "홍길동", "https://e.x/1", "금융")
    assert (m.outlet_en, m.section_en, m.published, m.zone_assumed) == (
        "Yonhap News Agency", "Economy", "2024-05-23T11:52+09:00", True)


ARTICLE = (SAMPLES / "economy_bok_rate.txt").read_text(encoding="utf-8")

# (the sidecar's file name, its text, the address read from it; None: no address)
SIDECARS = [
    ("a.txt.url", "https://news.example.org/a/1\n", "https://news.example.org/a/1"),
    ("a.url", "[InternetShortcut]\r\nURL=https://news.example.org/a/2\r\n", "https://news.example.org/a/2"),
    ("a.url", "\ufeff  https://news.example.org/a/3  \n# saved by hand\n", "https://news.example.org/a/3"),
    ("a.txt.url", "not an address\n", None),
    ("b.url", "https://news.example.org/other\n", None),  # another article's sidecar
]


@pytest.mark.parametrize("name,text,url", SIDECARS)
def test_a_sidecar_gives_a_text_file_its_address(tmp_path, name, text, url):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert read_source(tmp_path / "a.txt", tmp_path).meta.url == url


def test_a_sidecar_wins_over_the_page_and_the_first_sidecar_over_the_second(tmp_path):
    md = "---\nurl: https://page.example.org/x\n---\n\n" + ARTICLE
    (tmp_path / "a.md").write_text(md, encoding="utf-8")
    assert read_source(tmp_path / "a.md", tmp_path).meta.url == "https://page.example.org/x"
    (tmp_path / "a.url").write_text("https://saved.example.org/2\n", encoding="utf-8")
    assert read_source(tmp_path / "a.md", tmp_path).meta.url == "https://saved.example.org/2"
    (tmp_path / "a.md.url").write_text("https://saved.example.org/1\n", encoding="utf-8")
    assert read_source(tmp_path / "a.md", tmp_path).meta.url == "https://saved.example.org/1"


def test_a_sidecar_added_later_redoes_the_brief(tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.txt").write_text(ARTICLE, encoding="utf-8")
    options = BriefOptions(model="fake/model")
    statuses = []
    for step in range(3):
        if step == 2:
            (inbox / "a.txt.url").write_text("https://news.example.org/bok\n", encoding="utf-8")
        report = run(inbox, out, options, translator_factory=lambda s, o: FakeTranslator())
        statuses.append(report.entries[0].status)
    assert statuses == ["written", "unchanged", "written"]
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert data["meta"]["url"] == "https://news.example.org/bok"
    assert "[original article](https://news.example.org/bok)" in (out / "a.md").read_text(encoding="utf-8")
    assert "https://news.example.org/bok" in (out / "digest.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def briefed(tmp_path_factory):
    """The samples briefed with an [outlets] table that names one more outlet, and a sidecar for one sample."""
    root = tmp_path_factory.mktemp("prov")
    inbox = root / "in"
    shutil.copytree(SAMPLES, inbox, ignore=shutil.ignore_patterns("*.json"))
    (inbox / "economy_bok_rate.txt.url").write_text("https://news.example.org/bok\n", encoding="utf-8")
    cfg = root / "c.toml"
    cfg.write_text('[outlets]\n"한빛일보" = "Hanbit Ilbo"\n', encoding="utf-8")
    out = root / "out"
    report = run(inbox, out, load_options(cfg).replace(model="fake/model"),
                 translator_factory=lambda s, o: FakeTranslator())
    assert report.ok
    return out


# (brief, what its source line holds)
SOURCE_LINES = [
    ("economy_bok_rate", ["**Yonhap News Agency** (연합뉴스)", "2024-05-23 11:52 +09:00 (Korea time: the page gives no zone)",
                          "Economy (금융)", "[original article](https://news.example.org/bok)"]),
    ("culture_museum", ["**Hanbit Ilbo** (한빛일보)", "2024-09-10 09:30 +09:00 ·", "Culture (문화)"]),
    ("sports_kbo_ryu", ["**새벽스포츠**", "2025-05-24 22:10 +09:00 ·", "Sports (야구)"]),
]


@pytest.mark.parametrize("name,holds", SOURCE_LINES)
def test_the_brief_says_where_it_comes_from(briefed, name, holds):
    md = (briefed / f"{name}.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.endswith("`") and " · " in x)
    for part in holds:
        assert part in line, (part, line)
    if "(Korea time" not in holds[1]:
        assert "Korea time" not in line  # the page gave its zone: nothing is assumed


def test_the_json_digest_and_deliveries_carry_the_source(briefed, tmp_path):
    from summarize.deliver.mail import SmtpSettings, build_messages
    from summarize.deliver.once import items_to_send
    from summarize.deliver.slack import messages_for

    data = json.loads((briefed / "economy_bok_rate.json").read_text(encoding="utf-8"))
    assert data["meta"]["outlet_en"] == "Yonhap News Agency" and data["meta"]["section_en"] == "Economy"
    assert data["meta"]["published"] == "2024-05-23T11:52+09:00" and data["meta"]["zone_assumed"] is True
    digest = json.loads((briefed / "digest.json").read_text(encoding="utf-8"))
    item = next(b for b in digest["briefs"] if b["path"] == "economy_bok_rate.txt")
    assert item["meta"]["url"] == "https://news.example.org/bok" and item["meta"]["outlet_en"] == "Yonhap News Agency"
    digest_md = (briefed / "digest.md").read_text(encoding="utf-8")
    assert "**Yonhap News Agency** (연합뉴스) · 2024-05-23 11:52 +09:00 · [original](https://news.example.org/bok)" \
        in digest_md
    settings = SmtpSettings(host="h", sender="a@example.org")
    for each in (True, False):
        items = items_to_send(briefed, each)
        mails = [m for it in items for m in build_messages(it, "r@example.org", settings)]
        plain = "".join(m.get_body(("plain",)).get_content() for m in mails)
        rich = "".join(m.get_body(("html",)).get_content() for m in mails)
        slack = json.dumps([p for it in items for p in messages_for(it)], ensure_ascii=False)
        for text in (plain, rich, slack):
            assert "Yonhap News Agency" in text and "https://news.example.org/bok" in text and "+09:00" in text
