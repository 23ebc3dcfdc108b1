"""Hostile text: no page can stall or crash the reading stages. Adversarial inputs under a time bound, and
random Korean-like pages (Hypothesis) that must keep the stages' invariants."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cleaning_lines import _every_line_accounted_for

from summarize.errors import Rejected
from summarize.records import Source
from summarize.stages.cleaning import clean, line_kind
from summarize.stages.figures import extract_figures
from summarize.stages.quotes import find_quotes
from summarize.stages.segmenting import segment_analysed
from summarize.stages.selecting import select

LEAD = "정부는 올해 경제성장률 전망치를 2.5%로 올렸다고 밝혔다. "
# (name, a line built to make a careless pattern or loop take super-linear time)
HOSTILE = [
    ("glued hashtags then a word", "#정치" * 3000 + " 끝"),
    ("open quotes", "“" * 20000),
    ("straight quotes", '"' * 20000),
    ("dots", "." * 50000),
    ("digits", "1" * 20000),
    ("digits with dots", "1." * 20000),
    ("spaces between syllables", "가 " * 30000),
    ("an address without its @", "abc." * 20000),
    ("names before no title", "김철수 " * 10000),
    ("brackets", "[" * 20000 + "]" * 20000),
    ("one long paragraph", LEAD * 2500),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,line", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_each_stage_stays_fast_on_hostile_lines(name, line):
    page = f"제목이 있는 기사 하나\n{LEAD}\n{line}\n"
    t0 = time.perf_counter()
    extract_figures(line[:20000])
    assert time.perf_counter() - t0 < 10, "figures"
    t0 = time.perf_counter()
    line_kind(line)
    try:
        article = clean(Source("x.txt", page, "utf-8", "0", "text"))
    except Rejected:
        article = None
    assert time.perf_counter() - t0 < 10, "cleaning"
    if article is None:
        return
    t0 = time.perf_counter()
    sentences, tokens = segment_analysed(article.paragraphs)
    for s in sentences:
        extract_figures(s.ko, s.id)
    find_quotes(sentences, tokens)
    select(sentences, {}, set())
    assert time.perf_counter() - t0 < 60, "segmenting, quotes and selection"


@pytest.mark.slow
def test_a_long_paragraph_is_segmented_in_linear_time():
    def cost(n):
        t0 = time.perf_counter()
        segment_analysed([LEAD * n])
        return time.perf_counter() - t0

    cost(50)  # Kiwi loaded
    small, large = cost(400), cost(1600)
    assert large < 8 * small + 1.0, (small, large)  # four times the text, not sixteen times the time


HANGUL = "".join(chr(c) for c in range(0xAC00, 0xAC00 + 400, 7))
ALPHABET = HANGUL + "0123456789 .,?!“”‘’\"'()[]<>/:=-~%·…▲▶○□#@"
FURNITURE = ["홍길동 기자", "입력 2024-05-23 11:52", "(사진=연합뉴스)", "[앵커]", "관련기사", "ⓒ 한빛일보 무단전재",
             "댓글 3", "▶ 관련기사 : 제목", "제보 02-398-8585", "(서울=연합뉴스) 홍길동 기자 = 정부가 발표했다."]
LINES = st.one_of(st.text(alphabet=ALPHABET, max_size=80), st.sampled_from(FURNITURE), st.just(""))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, min_size=1, max_size=25))
def test_random_pages_keep_the_invariants(lines):
    page = "\n".join(lines)
    try:
        article = clean(Source("x.txt", page, "utf-8", "0", "text"))
    except Rejected:
        return  # a page may be rejected, with a reason; it may not crash
    assert _every_line_accounted_for(page, article) == []
    sentences, tokens = segment_analysed(article.paragraphs, {p for p, _, _ in article.spoken})
    assert all(s.ko.strip() for s in sentences)
    for s in sentences:  # every figure inside its sentence, where it says it is
        for f in extract_figures(s.ko, s.id):
            assert s.ko[f.start:f.end] == f.text
    by_id = {s.id: s.ko for s in sentences}
    for q in find_quotes(sentences, tokens):
        if q.last_sentence is None:
            assert q.ko and q.ko in sentences[q.sentence].ko
        else:  # a quote that runs over paragraphs: its words, verbatim, from the sentences it spans
            span = " ".join(by_id[i] for i in range(q.sentence, q.last_sentence + 1))
            assert q.ko and all(word in span for word in q.ko.split())
