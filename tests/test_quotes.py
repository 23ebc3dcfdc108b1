"""Quotes: verbatim text and speakers."""

import pytest

from summarize.quotes import find_quotes
from summarize.types import Sentence

# (sentences of one article, expected [(quote, speaker)])
CASES = [
    (["이창용 한국은행 총재는 이날 기자간담회에서 “물가가 목표 수준으로 수렴할 때까지 긴축을 유지하겠다”며 선을 그었다."],
     [("물가가 목표 수준으로 수렴할 때까지 긴축을 유지하겠다", "이창용")]),
    (["박원순 서울시장이 홍콩을 찾았다.", "“시장 상황을 예의주시하고 있다”라고 박 시장은 말했다."],
     [("시장 상황을 예의주시하고 있다", "박원순")]),
    (["한 증권사 연구원은 “외국인 매수세가 당분간 이어질 것”이라고 전망했다."],
     [("외국인 매수세가 당분간 이어질 것", "한 증권사 연구원")]),
    (["김판곤 감독은 \"선수들이 ‘보여주자’며 뭉쳤다\"며 \"방심하지 않겠다\"고 말했다."],
     [("선수들이 ‘보여주자’며 뭉쳤다", "김판곤"), ("방심하지 않겠다", "김판곤")]),
    (["우원식 국회의장은 양당을 만났다.", "그는 “국민은 민생을 원한다”고 강조했다."],
     [("국민은 민생을 원한다", "우원식")]),  # the person the sentence before was about
    (["이창용 한국은행 총재는 \"물가가 안정되고 있다\"고 말했다.", "최상목 경제부총리는 이날 국회를 찾았다.",
      "그는 \"재정 여력이 크지 않다\"고 말했다."],
     [("물가가 안정되고 있다", "이창용"), ("재정 여력이 크지 않다", "최상목")]),  # not the last speaker
    (["이창용 한국은행 총재는 \"물가가 안정되고 있다\"고 말했다.", "정부는 이날 추경안을 냈다.",
      "그는 \"금리 인하는 이르다\"고 덧붙였다."],
     [("물가가 안정되고 있다", "이창용"), ("금리 인하는 이르다", "이창용")]),  # 정부 is not a person
    (["공사는 새 노선을 열었다.", "그는 “국민은 민생을 원한다”고 강조했다."],
     [("국민은 민생을 원한다", None)]),  # nobody named before: the pronoun has nobody to point to
    (["“여야 모두 물러서야 한다”고 우원식 국회의장은 말했다.", "그는 “국민은 민생을 원한다”고 강조했다."],
     [("여야 모두 물러서야 한다", "우원식"), ("국민은 민생을 원한다", "우원식")]),
    (["국민의힘 추경호 원내대표는 “포퓰리즘”이라고 반박했다."], [("포퓰리즘", "추경호")]),
    (["“우리는 최선을 다했다. 후회는 없다.”", "김판곤 감독은 경기 후 이렇게 말했다."],
     [("우리는 최선을 다했다. 후회는 없다.", "김판곤")]),
    (["중대본 관계자는 “총력을 기울이겠다”고 밝혔다."], [("총력을 기울이겠다", "중대본 관계자")]),
    (["김 감독은 ‘이번 시즌 목표는 우승이다’라고 말했다."], [("이번 시즌 목표는 우승이다", "김 감독")]),
    # single quotes for emphasis, names and years are not quotes; nor is a double-quoted term
    (["‘경제’와 ‘창업’을 화두로 '14년 설립된 ‘대공방’을 찾았다.", "정부는 이른바 “K-방역”이라는 말을 썼다."], []),
]


@pytest.mark.parametrize("texts,expected", CASES)
def test_quotes_and_speakers(texts, expected):
    sents = [Sentence(i, t, i) for i, t in enumerate(texts)]
    got = [(q.ko, q.speaker) for q in find_quotes(sents)]
    assert got == expected


def test_quote_offsets_point_into_the_sentence():
    s = Sentence(0, "그는 “첫째다. 둘째다”라며 웃었다.", 0)
    (q,) = find_quotes([s])
    assert s.ko[q.start:q.end] == q.ko == "첫째다. 둘째다"
