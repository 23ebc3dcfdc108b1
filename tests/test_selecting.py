"""Selecting: deterministic, in article order, within the budget, favouring lead, figures and quotes."""

from summarize.selecting import score_sentences, select
from summarize.types import Sentence

SENTS = [
    Sentence(0, "한국은행이 23일 기준금리를 연 3.50%로 동결했다.", 0),
    Sentence(1, "날씨가 맑았다.", 1),
    Sentence(2, "한국은행은 기준금리 동결 배경으로 물가 불안을 꼽았다.", 1),
    Sentence(3, "점심 메뉴는 비빔밥이었다.", 2),
    Sentence(4, "이창용 총재는 “기준금리 인하는 이르다”고 말했다.", 2),
    Sentence(5, "가계부채는 1천882조원으로 집계돼 기준금리 결정에 부담이 됐다.", 3),
]
FIGS = {0: 2, 5: 1}
QUOTED = {4}


def test_in_article_order_and_deterministic():
    a = select(SENTS, FIGS, QUOTED, max_sentences=3, max_chars=1000)
    assert a == sorted(a)
    assert a == select(SENTS, FIGS, QUOTED, max_sentences=3, max_chars=1000)


def test_prefers_lead_figures_quotes_and_central_sentences():
    chosen = select(SENTS, FIGS, QUOTED, max_sentences=3, max_chars=1000)
    assert 0 in chosen and 1 not in chosen and 3 not in chosen


def test_respects_the_budgets():
    assert len(select(SENTS, FIGS, QUOTED, max_sentences=2, max_chars=1000)) == 2
    chosen = select(SENTS, FIGS, QUOTED, max_sentences=6, max_chars=60)
    assert sum(len(SENTS[i].ko) for i in chosen) <= 60 or len(chosen) == 1


def test_figures_and_quotes_raise_scores():
    base = {s.id: s.total for s in score_sentences(SENTS, {}, set())}
    more = {s.id: s.total for s in score_sentences(SENTS, FIGS, QUOTED)}
    assert more[5] > base[5] and more[4] > base[4] and more[1] == base[1]


def test_empty():
    assert select([], {}, set()) == []


def test_centrality_is_the_cosine_of_a_sentence_and_the_rest_of_the_article():
    import math
    from collections import Counter

    from summarize.selecting import _bigrams

    def cosine(a: Counter, b: Counter) -> float:  # by the definition, over every bigram of both
        dot = sum(v * b.get(k, 0) for k, v in a.items())
        norms = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
        return dot / norms if norms else 0.0

    grams = [_bigrams(s.ko) for s in SENTS]
    whole = sum(grams, Counter())
    for s, g, score in zip(SENTS, grams, score_sentences(SENTS, FIGS, QUOTED), strict=True):
        expected = 2.0 * cosine(g, whole - g) - (1.0 if len(s.ko) < 15 else 0.0)
        assert score.centrality == expected
    assert len({round(sc.centrality, 6) for sc in score_sentences(SENTS, FIGS, QUOTED)}) > 2
