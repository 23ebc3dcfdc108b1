"""Gold tests on samples/: sentences, figures, quotes and boilerplate against hand-made annotations,
and the invariants every brief must keep."""

import json

import pytest
from conftest import SAMPLES, FakeTranslator

from summarize import BriefOptions, prepare, run
from summarize.stages.figures import check_english, english_tokens, korean_tokens

NAMES = sorted(json.loads((SAMPLES / "gold.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def prepared():
    return {name: prepare(SAMPLES / name, SAMPLES, BriefOptions()) for name in NAMES}


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefs")
    report = run(SAMPLES, out, BriefOptions(model="fake/model"), translator_factory=lambda s, o: FakeTranslator())
    assert report.ok, report.to_dict()
    return {e.path: (json.loads((out / e.outputs["json"]).read_text(encoding="utf-8")),
                     (out / e.outputs["md"]).read_text(encoding="utf-8")) for e in report.entries}


def f1(got: list[str], want: list[str]) -> float:
    g, w = set(got), set(want)
    if not g or not w:
        return 0.0
    p, r = len(g & w) / len(g), len(g & w) / len(w)
    return 2 * p * r / (p + r) if p + r else 0.0


def test_samples_cover_the_layouts(gold):
    assert len(gold) >= 6
    assert {p.suffix for p in SAMPLES.iterdir() if p.name in gold} >= {".txt", ".html", ".md"}
    for name in ("society_heavy_rain_cp949.txt", "economy_chips_naver_euckr.html"):
        with pytest.raises(UnicodeDecodeError):
            (SAMPLES / name).read_bytes().decode("utf-8")  # really CP949 / EUC-KR


@pytest.mark.parametrize("name", NAMES)
def test_sentences(name, gold, prepared):
    got = [s.ko for s in prepared[name].sentences]
    assert f1(got, gold[name]["sentences"]) >= 0.98, set(got) ^ set(gold[name]["sentences"])


@pytest.mark.parametrize("name", NAMES)
def test_title(name, gold, prepared):
    assert prepared[name].article.title == gold[name]["title"]


@pytest.mark.parametrize("name", NAMES)
def test_every_gold_figure_found_with_its_value(name, gold, prepared):
    found = {}
    for f in prepared[name].figures:
        found.setdefault(f.text, []).append(f.value)
    for text, value in gold[name]["figures"]:
        assert text in found, f"{text!r} not found"
        if value is None:
            assert None in found[text], (text, found[text])
        else:
            assert any(v is not None and v == pytest.approx(value) for v in found[text]), (text, found[text])


@pytest.mark.parametrize("name", NAMES)
def test_every_gold_quote_verbatim_with_its_speaker(name, gold, prepared):
    got = [(q.ko, q.speaker) for q in prepared[name].quotes]
    titles = {(q.ko, q.speaker): q.speaker_title for q in prepared[name].quotes}
    for text, speaker, *title in gold[name]["quotes"]:
        assert (text, speaker) in got, (text, speaker, got)
        if title:  # someone the article does not name: no speaker, and the role as the title
            assert titles[(text, speaker)] == title[0], (text, titles[(text, speaker)], title[0])
    for text in gold[name].get("not_quotes", []):
        assert text not in [q for q, _ in got]


@pytest.mark.parametrize("name", NAMES)
def test_no_boilerplate_in_the_brief(name, gold, briefs):
    data, md = briefs[name]
    body = json.dumps({k: data[k] for k in ("title", "sentences", "summary", "figures", "quotes")}, ensure_ascii=False)
    # the source line names the outlet in English from the tool's own table (News1 for 뉴스1), not from the page
    text = "\n".join(line for line in md.split("<sub>")[0].split("\n") if not line.endswith(f"`{name}`"))
    for junk in gold[name]["boilerplate"]:
        assert junk not in body, junk
        assert junk not in text, junk


@pytest.mark.parametrize("name", NAMES)
def test_summary_invariants(name, briefs, prepared):
    data, _ = briefs[name]
    ids = [item["id"] for item in data["summary"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    body = {s["id"]: s["ko"] for s in data["sentences"]}
    for item in data["summary"]:
        assert item["ko"] == body[item["id"]]  # verbatim from the source
    assert sum(len(i["ko"]) for i in data["summary"]) <= BriefOptions().max_chars or len(ids) == 1
    figs = [f for f in prepared[name].figures if f.sentence in ids]
    for item in data["summary"]:
        mine = [f for f in figs if f.sentence == item["id"]]
        assert check_english(item["ko"], mine, item["en"])[0] == []  # every figure kept
        unflagged = [t for t in english_tokens(item["en"]) if not t.startswith(("month:", "word:"))  # words count, never flag
                     and t not in korean_tokens(item["ko"]) | {x for f in mine for x in f.tokens}]
        assert not unflagged or "unverified-number" in item["flags"]


SCORE_PARTS = ("position", "headline", "centrality", "length", "figures", "quote", "penalty", "redundancy")


@pytest.mark.parametrize("name", NAMES)
def test_each_summary_sentence_says_why_it_was_chosen(name, briefs, prepared):
    data, _ = briefs[name]
    scores = {sc.id: sc for sc in prepared[name].scores}
    for item in data["summary"]:
        score = item["score"]
        assert set(score) == {"total", "rank", *SCORE_PARTS}
        assert score["total"] == pytest.approx(sum(score[k] for k in SCORE_PARTS), abs=1e-3)
        assert score["total"] == pytest.approx(scores[item["id"]].total, abs=1e-4)
    assert sorted(item["score"]["rank"] for item in data["summary"]) == list(range(1, len(data["summary"]) + 1))


@pytest.mark.parametrize("name", NAMES)
def test_json_schema_3(name, briefs):
    data, _ = briefs[name]
    assert data["schema"] == 3
    assert set(data["source"]) == {"path", "sha256", "encoding"} and len(data["source"]["sha256"]) == 64
    assert {"ko", "en"} <= set(data["title"])
    assert set(data["meta"]) == {"outlet", "outlet_en", "author", "published", "zone_assumed", "url", "section",
                                 "section_en"}
    assert isinstance(data["gist"], str) and data["gist"]
    for n in data["names"]:
        assert set(n) == {"ko", "en", "kind", "romanised", "count"} and n["kind"] in ("person", "organisation",
                                                                                   "place", "other")
    for r in data["removed"]:
        assert set(r) == {"line", "text", "class", "rule"} and r["rule"] and r["text"]
    assert [s["id"] for s in data["sentences"]] == list(range(len(data["sentences"])))
    for item in data["summary"]:
        assert {"id", "ko", "en", "flags"} <= set(item) and isinstance(item["flags"], list)
    for f in data["figures"]:
        assert {"text", "value", "unit", "en", "sentence"} <= set(f)
        assert f["value"] is None or isinstance(f["value"], (int, float))
    for q in data["quotes"]:
        assert {"ko", "en", "speaker", "sentence"} <= set(q)
    assert {"id", "revision", "settings"} <= set(data["model"]) and data["model"]["id"] == "fake/model"
    assert data["tool"]["version"]
    assert isinstance(data["warnings"], list)
