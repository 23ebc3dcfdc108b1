"""Selecting: each feature on its own, the non-content flags, redundancy, the invariants of a selection,
and the shipped weights against the scores that bench/fit_selector.py reports for them."""

import math
import statistics
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from summarize import BriefOptions, prepare
from summarize.article import is_quantity
from summarize.records import Sentence
from summarize.stages._kiwi import Token, tokenize
from summarize.stages.reading import find_inputs
from summarize.stages.segmenting import segment_analysed
from summarize.stages.selecting import (
    LONG,
    MAX_TIE_BREAK,
    PENALTIES,
    SHORT,
    WEIGHTS,
    analyse,
    content_words,
    flags,
    rank,
    select,
)

sys.path.insert(0, str(ROOT / "bench"))
import summaries  # noqa: E402

# (form, tag) morphemes -> content words with their counts
CONTENT_WORDS = [
    ([("한국은행", "NNP"), ("이", "JKS"), ("금리", "NNG"), ("를", "JKO"), ("동결", "NNG"), ("하", "XSV"),
      ("었", "EP"), ("다", "EF"), (".", "SF")], {"한국은행": 1, "금리": 1, "동결": 1}),
    ([("금리", "NNG"), ("가", "JKS"), ("오르", "VV"), ("았", "EP"), ("다", "EF")], {"금리": 1, "오르다": 1}),
    ([("돕", "VV-I"), ("고", "EC"), ("춥", "VA-I"), ("다", "EF")], {"돕다": 1, "춥다": 1}),
    ([("Samsung", "SL"), ("3.5", "SN"), ("%", "SW"), ("大", "SH")], {"samsung": 1, "3.5": 1, "大": 1}),
    ([("혁신", "XR"), ("적", "XSN"), ("인", "VCP"), ("것", "NNB"), ("그", "NP"), ("세", "NR")], {"혁신": 1}),
    # the light words of every story: 하다, 있다, 밝히다, 말, 이날
    ([("하", "VV"), ("있", "VA"), ("밝히", "VV"), ("말", "NNG"), ("이날", "NNG"), ("국회", "NNG")], {"국회": 1}),
    ([("금리", "NNG"), ("와", "JC"), ("금리", "NNG")], {"금리": 2}),
]

# a line -> why it is not content (analysed by Kiwi)
FLAGS = [
    ("한국은행이 23일 기준금리를 연 3.50%로 동결했다.", ()),
    ("서울 전역에 내린 폭우로 도로 곳곳이 물에 잠겼다고 소방당국이 밝혔다.", ()),
    ("국회는 이날 본회의를 열어 추가경정예산안을 의결했다", ()),  # no full stop: still a sentence
    ("“물가가 안정될 때까지 금리를 내리지 않겠다”", ()),  # a quote on its own
    ("이창용 총재는 “기준금리 인하는 아직 이르다”고 말했다.", ()),
    ("애플이 특허를 출원한 접는 스마트폰", ("fragment",)),  # a caption
    ("정부의 새 부동산 대출 규제가 내 집 마련에 도움이 될까요?", ("question",)),
    ("지하철 요금이 오를까?", ("question", "short")),
    ("비가 왔다.", ("short",)),
    ("김민수 기자 minsu@example.com", ("fragment", "notice", "short")),
    ("무단 전재 및 재배포 금지", ("fragment", "notice")),
    ("시청자 여러분의 소중한 제보를 기다립니다.", ("notice",)),
    ("(사진=연합뉴스) 시민들이 광장에 모여 있다.", ("notice",)),
    ("조은비 기자가 보도합니다.", ("notice", "short")),
    ("이 기사는 ▶ 네이버 뉴스에서 구독하세요", ("notice",)),
]

# one article: the headline, then (sentence, whether it is content)
TITLE = "한국은행, 기준금리 동결"
ARTICLE = [
    ("연합뉴스 사진부 제공", False),
    ("한국은행이 23일 기준금리를 연 3.50%로 동결했다.", True),
    ("한국은행은 물가 불안과 가계부채를 동결의 배경으로 꼽았다.", True),
    ("김민수 기자 minsu@example.com", False),
    ("이창용 총재는 “기준금리 인하는 아직 이르다”고 말했다.", True),
    ("가계부채는 1천882조원으로 집계돼 금리 결정에 부담이 됐다.", True),
    ("시장에서는 연내 인하 가능성이 낮아졌다는 관측이 나왔다.", True),
]
# the position features of ARTICLE: (first, second, third, decay); a non-content line takes no place
POSITIONS = [
    (0, 0, 0, 1.0), (1, 0, 0, 1.0), (0, 1, 0, 1 / 2), (0, 0, 0, 1 / 3), (0, 0, 1, 1 / 3), (0, 0, 0, 1 / 4),
    (0, 0, 0, 1 / 5),
]
# the share of the headline's content words (한국은행, 기준, 금리, 동결) that a sentence holds
HEADLINE = [
    ("한국은행이 23일 기준금리를 연 3.50%로 동결했다.", 1.0),
    ("한국은행은 물가 불안과 가계부채를 동결의 배경으로 꼽았다.", 0.5),
    ("가계부채는 1천882조원으로 집계돼 금리 결정에 부담이 됐다.", 0.25),
    ("날씨가 맑았다.", 0.0),
]
# content words in a sentence -> the length feature
LENGTHS = [(0, 0.0), (5, 5 / LONG), (LONG, 1.0), (3 * LONG, 1.0)]

# (a tool sentence, a reference sentence) -> whether the tool sentence holds (all or part of) it
HOLDS = [
    ("한국은행이 금리를 동결했다.", "한국은행이 금리를 동결했다", True),
    ("(서울=연합뉴스) 한국은행이 금리를 동결했다.", "한국은행이 금리를 동결했다", True),  # a dateline cut off
    ("심태섭 아주대 교수는 새 기억 소자를 선보였다.", "심태섭(사진) 아주대 교수는 새 기억 소자를 선보였다", True),  # a photo mark
    ("공복 혈당 126 이상이면 당뇨병이다. 공복 혈당 100에서 125는 당뇨병 전 단계로 본다.",
     "공복 혈당 126 이상이면 당뇨병이다", True),  # two sentences the tool joined
    ("각국이 공동 순찰을 늘리기로 했다”고 말했다.", "그는 “회의에서 해양 안전이 거론됐다. 각국이 공동 순찰을 늘리기로 했다”고 말했다.",
     True),  # one the tool cut in two
    ("한국은행이 금리를 동결했다.", "금리", False),
    ("한국은행이 금리를 동결했다.", "한국은행이 금리를 올렸다", False),
    ("ESA 제공 화성 탐사선 사진이 공개됐다.", "ESA 제공", False),
]

# What `python bench/fit_selector.py` reports for the shipped weights on the development data
# ("the shipped weights on the development data"): mean sentence F1 (%) at 3 sentences and by default.
FITTED_SCORES = [("scinews", "3", 53.89), ("scinews", "default", 59.53)]


def sentences_of(texts) -> list[Sentence]:
    return [Sentence(i, t, i) for i, t in enumerate(texts)]


def article():
    sents = sentences_of([t for t, _ in ARTICLE])
    return sents, {s.id: tokenize(s.ko) for s in sents}


@pytest.fixture(scope="module")
def samples():
    out = []
    for path in find_inputs(SAMPLES):
        p = prepare(path, SAMPLES, BriefOptions())
        sentences, tokens = segment_analysed(p.article.paragraphs)
        counts = {}
        for f in p.figures:
            if is_quantity(f):
                counts[f.sentence] = counts.get(f.sentence, 0) + 1
        out.append((p, sentences, tokens, counts, {q.sentence for q in p.quotes}))
    return out


# --------------------------------------------------------------------------- each feature on its own


@pytest.mark.parametrize("morphemes, expected", CONTENT_WORDS)
def test_content_words(morphemes, expected):
    tokens = [Token(form, tag, i, len(form)) for i, (form, tag) in enumerate(morphemes)]
    assert content_words(tokens) == expected


@pytest.mark.parametrize("text, expected", FLAGS)
def test_flags(text, expected):
    tokens = tokenize(text)
    assert flags(text, tokens, sum(content_words(tokens).values())) == expected


def test_a_line_the_page_repeats_is_flagged_once_it_comes_again():
    sents = sentences_of(["소방대원들이 공장 화재를 진화하고 있다.", "공장에서 불이 나 두 명이 다쳤다.",
                          "소방대원들이 공장 화재를 진화하고 있다."])
    a = analyse(sents, {}, set())
    assert a.flags == ((), (), ("repeat",))
    assert [sc.id for sc in rank(a, 2, 1000)] == [0, 1]


def test_position_counts_content_sentences_only():
    sents, tokens = article()
    a = analyse(sents, {}, set(), TITLE, tokens)
    assert [not m for m in a.flags] == [content for _, content in ARTICLE]
    got = [tuple(f[k] for k in ("first", "second", "third", "decay")) for f in a.features]
    assert got == [tuple(float(x) for x in p) for p in POSITIONS]


@pytest.mark.parametrize("text, share", HEADLINE)
def test_headline(text, share):
    a = analyse(sentences_of([text]), {}, set(), TITLE)
    assert a.features[0]["headline"] == pytest.approx(share)


def test_no_headline_no_headline_feature():
    assert analyse(sentences_of([HEADLINE[0][0]]), {}, set(), "").features[0]["headline"] == 0.0


def test_centrality_is_the_cosine_of_a_sentence_and_the_rest_of_the_article():
    sents, tokens = article()

    def cosine(x: dict, y: dict) -> float:  # by the definition, over every word of both
        dot = sum(v * y.get(k, 0) for k, v in x.items())
        norms = math.sqrt(sum(v * v for v in x.values())) * math.sqrt(sum(v * v for v in y.values()))
        return dot / norms if norms else 0.0

    words = [content_words(tokens[s.id]) for s in sents]
    a = analyse(sents, {}, set(), TITLE, tokens)
    for i, w in enumerate(words):
        rest: dict = {}
        for j, other in enumerate(words):
            for k, v in other.items():
                if j != i:
                    rest[k] = rest.get(k, 0) + v
        assert a.features[i]["centrality"] == pytest.approx(cosine(w, rest))
    assert len({round(f["centrality"], 6) for f in a.features}) > 3


def test_centrality_of_a_sentence_that_shares_nothing_is_zero():
    a = analyse(sentences_of(["한국은행이 기준금리를 동결했다.", "야구 대표팀이 결승에 진출했다."]), {}, set())
    assert [f["centrality"] for f in a.features] == [0.0, 0.0]


@pytest.mark.parametrize("n, expected", LENGTHS)
def test_length(n, expected):
    tokens = {0: [Token(f"낱말{i}", "NNG", 3 * i, 3) for i in range(n)] + [Token("다", "EF", 3 * n, 1)]}
    a = analyse([Sentence(0, "본문", 0)], {}, set(), "", tokens)
    assert a.features[0]["length"] == pytest.approx(expected)


def test_figures_and_quotes_are_tie_breakers_only():
    assert all(abs(WEIGHTS[k]) <= MAX_TIE_BREAK for k in ("figures", "quote"))
    sents, tokens = article()
    plain = rank(analyse(sents, {}, set(), TITLE, tokens), len(sents), 10_000)
    loaded = rank(analyse(sents, {i: 5 for i in range(len(sents))}, set(range(len(sents))), TITLE, tokens),
                  len(sents), 10_000)
    for p, q in zip(plain, loaded, strict=True):
        assert p.figures == 0.0 and p.quote == 0.0
        assert q.figures == pytest.approx(WEIGHTS["figures"]) and q.quote == pytest.approx(WEIGHTS["quote"])
    # a figure breaks a tie between two sentences alike in everything else, and does no more
    twins = sentences_of(["시장에서는 연내 인하 가능성이 낮아졌다는 관측이 나왔다."] * 2)
    toks = {0: tokenize(twins[0].ko), 1: tokenize(twins[0].ko)}
    weights = {k: v for k, v in WEIGHTS.items() if k not in ("first", "second", "third", "decay")}
    a = analyse(twins, {1: 3}, set(), "", toks)
    assert [sc.id for sc in rank(a, 1, 1000, weights, {})] == [1]
    assert [sc.id for sc in rank(analyse(twins, {}, set(), "", toks), 1, 1000, weights, {})] == [0]


def test_a_non_content_line_is_chosen_only_when_nothing_else_is_left():
    sents, tokens = article()
    chosen = [sc.id for sc in select(sents, {}, set(), 5, 10_000, title=TITLE, tokens=tokens)]
    assert chosen == [1, 2, 4, 5, 6]
    everything = select(sents, {}, set(), 7, 10_000, title=TITLE, tokens=tokens)
    assert [sc.id for sc in everything if sc.penalty < 0] == [0, 3]
    assert {sc.rank for sc in everything if sc.penalty < 0} == {6, 7}


def test_the_lead_holds_against_a_later_sentence_unless_the_evidence_is_strong():
    sents, tokens = article()
    assert [sc.id for sc in select(sents, {}, set(), 3, 10_000, title=TITLE, tokens=tokens)] == [1, 2, 4]


def test_redundancy_a_sentence_that_repeats_a_chosen_one_loses_to_one_that_does_not():
    sents = sentences_of([
        "한국은행이 기준금리를 연 3.50%로 동결하고 물가와 가계부채를 함께 살피기로 했다.",
        "한국은행은 기준금리를 연 3.50%로 동결하고 물가와 가계부채를 계속 살피기로 했다.",
        "수출은 반도체 호조에 힘입어 석 달 연속 늘었고 무역수지도 흑자를 이어갔다.",
    ])
    a = analyse(sents, {}, set())
    flat = {k: 0.0 for k in WEIGHTS}
    assert [sc.id for sc in rank(a, 2, 1000, {**flat, "decay": 1.0}, {})] == [0, 1]  # by position alone
    picks = rank(a, 2, 1000, {**flat, "decay": 1.0, "redundancy": 1.0}, {})
    assert [sc.id for sc in picks] == [0, 2]
    assert picks[0].redundancy == 0.0 and picks[1].redundancy == 0.0  # nothing in common with the first
    near = rank(a, 3, 1000, {**flat, "decay": 1.0, "redundancy": 1.0}, {})[1]
    assert near.rank == 3 and near.redundancy < -0.5 and near.total == pytest.approx(0.5 + near.redundancy)


def _eager(a, n, chars, w):
    """The selection by its definition: each time, the best by score less its highest similarity with the
    sentences taken, measured against all of them."""
    parts = rank(a, len(a.ids), 10**9, {**w, "redundancy": 0.0})
    base = {sc.id: sc.total for sc in parts}
    index = {sid: i for i, sid in enumerate(a.ids)}
    left, chosen, used = list(a.ids), [], 0
    from summarize.stages.selecting import _cosine

    def score(i):
        sims = [_cosine(a.words[index[i]], a.words[index[j]], a.norms[index[i]], a.norms[index[j]]) for j in chosen]
        return round(base[i] - w["redundancy"] * max(sims, default=0.0), 9)

    while left and len(chosen) < n:
        best = min(left, key=lambda i: (-score(i), i))
        left.remove(best)
        if chosen and used + a.chars[index[best]] > chars:
            continue
        chosen.append(best)
        used += a.chars[index[best]]
    return sorted(chosen)


@pytest.mark.parametrize("redundancy", [0.5, 2.0, 10.0])
@pytest.mark.parametrize("n, chars", [(3, 600), (6, 600), (6, 200)])
def test_lazy_selection_is_the_selection_by_definition(samples, redundancy, n, chars):
    w = {**WEIGHTS, "redundancy": redundancy}
    for p, sentences, tokens, counts, quoted in samples:
        a = analyse(sentences, counts, quoted, p.article.title, tokens)
        assert [sc.id for sc in rank(a, n, chars, w)] == _eager(a, n, chars, w)


# --------------------------------------------------------------------------- invariants


@pytest.mark.parametrize("n, chars", [(1, 600), (3, 600), (6, 600), (6, 150), (10, 10_000)])
def test_invariants(samples, n, chars):
    for p, sentences, tokens, counts, quoted in samples:
        picks = select(sentences, counts, quoted, n, chars, title=p.article.title, tokens=tokens)
        ids = [sc.id for sc in picks]
        assert set(ids) <= {s.id for s in sentences}  # every chosen sentence is in the article
        assert ids == sorted(set(ids))  # in article order, once each
        assert 1 <= len(ids) <= n
        by_id = {s.id: s for s in sentences}
        assert sum(len(by_id[i].ko) for i in ids) <= chars or len(ids) == 1  # the budget
        assert sorted(sc.rank for sc in picks) == list(range(1, len(ids) + 1))
        for sc in picks:
            parts = sc.position + sc.headline + sc.centrality + sc.length + sc.figures + sc.quote
            assert sc.total == pytest.approx(parts + sc.penalty + sc.redundancy)
        again = select(list(sentences), dict(counts), set(quoted), n, chars, title=p.article.title,
                       tokens={i: tokens[i] for i in reversed(list(tokens))})
        assert again == picks  # deterministic
        # the morphemes prepare() hands over are those Kiwi gives each sentence on its own
        assert [sc.id for sc in select(sentences, counts, quoted, n, chars, title=p.article.title)] == ids


def test_what_prepare_chose_is_the_selection(samples):
    options = BriefOptions()
    for p, sentences, tokens, counts, quoted in samples:
        picks = select(sentences, counts, quoted, options.max_sentences, options.max_chars,
                       title=p.article.title, tokens=tokens)
        assert p.scores == picks and p.summary == tuple(sc.id for sc in picks)


def test_empty_and_one_long_sentence():
    assert select([], {}, set()) == ()
    long_one = sentences_of(["한국은행이 기준금리를 동결했다. " * 40])
    assert [sc.id for sc in select(long_one, {}, set(), 3, 100)] == [0]


def test_a_non_content_line_scores_below_every_content_sentence():
    # at best: no place in the lead (first, second, third are 0), every other feature at 1
    best_line = sum(max(v, 0.0) for k, v in WEIGHTS.items() if k not in ("first", "second", "third", "redundancy"))
    worst_sentence = min(WEIGHTS["quote"], 0.0) + min(WEIGHTS["figures"], 0.0) - WEIGHTS["redundancy"]
    assert all(best_line + p < worst_sentence for p in PENALTIES.values())
    assert SHORT >= 3


# --------------------------------------------------------------------------- the shipped weights


def test_shipped_weights_are_the_fitted_features():
    assert set(WEIGHTS) == {"first", "second", "third", "decay", "headline", "centrality", "length", "figures",
                            "quote", "redundancy"}
    assert WEIGHTS["first"] >= WEIGHTS["second"] >= WEIGHTS["third"] > 0 and WEIGHTS["redundancy"] > 0


@pytest.fixture(scope="module")
def development(tmp_path_factory):
    docs = summaries.load_references()
    if not docs:
        pytest.skip(f"no development data in {summaries.REFERENCES}")
    return summaries.cases(docs, tmp_path_factory.mktemp("dev"))


@pytest.mark.slow
@pytest.mark.parametrize("source, budget, expected", FITTED_SCORES)
def test_shipped_weights_reproduce_the_scores_of_the_fit(development, source, budget, expected):
    options = BriefOptions()
    f1 = []
    for c in [c for c in development if c.doc.source == source]:
        if budget == "default":
            chosen = c.summary  # what prepare() chose, as a brief shows it
        else:
            chosen = [sc.id for sc in select(c.sentences, c.figure_counts, c.quoted, int(budget), options.max_chars,
                                             title=c.title, tokens=c.tokens)]
        f1.append(summaries.sentence_f1(chosen, c.gold))
    assert 100 * statistics.mean(f1) == pytest.approx(expected, abs=0.006)


def test_eval_scores_count_on_the_tool_sentences():
    assert summaries.sentence_f1([0, 1, 2], [0, 2, 5]) == pytest.approx(2 / 3)
    assert summaries.sentence_f1([], [1]) == 0.0
    assert summaries.rouge_n(list("abcd"), list("abce"), 1) == pytest.approx(0.75)
    assert summaries.rouge_n(list("abcd"), list("abce"), 2) == pytest.approx(2 / 3)
    assert summaries.rouge_l(list("abcd"), list("axbyd")) == pytest.approx(2 * (3 / 4) * (3 / 5) / (3 / 4 + 3 / 5))


@pytest.mark.parametrize("tool, ref, expected", HOLDS)
def test_a_tool_sentence_is_mapped_to_the_reference_sentences_it_holds(tool, ref, expected):
    assert summaries.holds(summaries.normalised(tool), summaries.normalised(ref)) is expected


def test_development_data_is_read_where_present(tmp_path):
    assert summaries.load_references(tmp_path / "absent") == []
    assert summaries.load_pages(tmp_path / "absent") == []
    (tmp_path / "x.jsonl").write_text(
        '{"id": "a", "title": "제목입니다 정말", "sentences": ["첫 문장이다", "둘째 문장이다"], "paragraph": null, '
        '"gold": [1]}\n', encoding="utf-8")
    (doc,) = summaries.load_references(tmp_path)
    assert doc.source == "x" and doc.gold == frozenset({1}) and doc.paragraphs == ("첫 문장이다", "둘째 문장이다")
    assert Path(summaries.article_file(doc, tmp_path)).read_text(encoding="utf-8").startswith("제목입니다 정말\n\n")
