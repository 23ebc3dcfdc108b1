"""Segmenting: the traps of Korean news text."""

import pytest

from summarize.stages._kiwi import tokenize
from summarize.stages.segmenting import segment, segment_analysed, split_paragraph

# (paragraph, expected sentences)
CASES = [
    (  # a quote that holds several sentences is one sentence
        "박 시장은 “서울은 인재가 많다. 중국은 시장이 넓다”고 말했다. 다음 일정은 홍콩이다.",
        ["박 시장은 “서울은 인재가 많다. 중국은 시장이 넓다”고 말했다.", "다음 일정은 홍콩이다."],
    ),
    (  # straight quotes too
        '그는 "물가가 오른다. 금리를 올린다"며 "시점은 미정이다"고 했다. 시장은 반응했다.',
        ['그는 "물가가 오른다. 금리를 올린다"며 "시점은 미정이다"고 했다.', "시장은 반응했다."],
    ),
    (  # an apostrophe year is not an opening quote
        "선전만창업광장은 대규모 창업단지다. '15년 설립됐다.",
        ["선전만창업광장은 대규모 창업단지다.", "'15년 설립됐다."],
    ),
    (
        "대공방 코리아는 ‘18년 5월부터 파트너가 됐다. 지금도 협력한다.",
        ["대공방 코리아는 ‘18년 5월부터 파트너가 됐다.", "지금도 협력한다."],
    ),
    (  # a particle after a closing quote belongs to the sentence before
        "그가 말한 ‘대공방’ 은 선전에 있다. 규모가 크다.",
        ["그가 말한 ‘대공방’ 은 선전에 있다.", "규모가 크다."],
    ),
    (  # decimals, dotted dates, URLs and e-mails never split
        "부지면적은 3.8만㎡다. 발표일은 2019.01.31이다. 자세한 내용은 https://www.example.go.kr/a.html 에 있다. 문의는 help@example.co.kr 로 하면 된다.",
        ["부지면적은 3.8만㎡다.", "발표일은 2019.01.31이다.", "자세한 내용은 https://www.example.go.kr/a.html 에 있다.",
         "문의는 help@example.co.kr 로 하면 된다."],
    ),
    (  # a sentence that ends in a closing quote
        "그는 “협력하겠다.” 이어 회견을 마쳤다.",
        ["그는 “협력하겠다.”", "이어 회견을 마쳤다."],
    ),
]


@pytest.mark.parametrize("par,expected", CASES)
def test_traps(par, expected):
    assert split_paragraph(par) == expected


def test_segment_numbers_sentences_in_order_with_paragraphs():
    sents = segment(["첫 문단이다. 둘째 문장이다.", "새 문단이다."])
    assert [(s.id, s.paragraph, s.ko) for s in sents] == [
        (0, 0, "첫 문단이다."), (1, 0, "둘째 문장이다."), (2, 1, "새 문단이다.")]


def test_sentences_are_verbatim_pieces_of_the_paragraph():
    par = "사이버포트는 부지면적 26만㎡, 총 10만㎡ 규모다. 홍콩정부가 2005년에 조성했다. ‘사이버포트’는 크다."
    for s in split_paragraph(par):
        assert s in par


def test_morphemes_come_with_the_sentences_as_each_sentence_alone_gives_them():
    from conftest import SAMPLES

    from summarize import BriefOptions
    from summarize.stages.cleaning import clean
    from summarize.stages.reading import find_inputs, read_source

    least = BriefOptions().min_hangul
    paragraphs = [par for p in find_inputs(SAMPLES) for par in clean(read_source(p, SAMPLES), least).paragraphs]
    paragraphs += [par for par, _ in CASES]  # cut or joined here: analysed alone
    sentences, tokens = segment_analysed(paragraphs)
    assert [s.ko for s in sentences] == [s.ko for s in segment(paragraphs)]
    assert sorted(tokens) == [s.id for s in sentences]
    for s in sentences:
        assert tokens[s.id] == tokenize(s.ko), s.ko
