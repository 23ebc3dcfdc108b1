"""Figures: golden table of Korean figures, their values and English renderings, and the traps."""

import pytest

from summarize.stages.figures import (
    check_english,
    english_tokens,
    extract_figures,
    format_number,
    parse_korean_number,
    prerender,
)

# (sentence, figure text, value, English) — the figure must be found verbatim with that value.
CASES = [
    # Arabic digits, separators, decimals
    ("핀테크 기업 1,200개가 입주했다.", "1,200개", 1200, "1,200"),
    ("직원 350명이 일한다.", "350명", 350, "350 people"),
    ("지수는 2,650.37을 기록했다.", "2,650.37", 2650.37, "2,650.37"),
    # 만/억/조 combinations
    ("1만6천개 이상의 기업을 보육했다.", "1만6천개", 16000, "at least 16,000"),
    ("영업이익은 5조6천억원이었다.", "5조6천억원", 5_600_000_000_000, "5.6 trillion won"),
    ("예산은 2조4천300억원이다.", "2조4천300억원", 2_430_000_000_000, "2.43 trillion won"),
    ("부지면적 3.8만㎡ 규모다.", "3.8만㎡", 38000, "38,000 m²"),
    ("부지면적 26만㎡ 규모다.", "26만㎡", 260000, "260,000 m²"),
    ("시가총액 2조원의 기업이다.", "2조원", 2_000_000_000_000, "2 trillion won"),
    ("연봉은 5천만원이다.", "5천만원", 50_000_000, "50 million won"),
    ("투자액은 1억2345만원이다.", "1억2345만원", 123_450_000, "123.45 million won"),
    ("매출 1,234억원을 올렸다.", "1,234억원", 123_400_000_000, "123.4 billion won"),
    ("관객 100만 명을 넘었다.", "100만 명", 1_000_000, "1 million people"),
    ("수출액은 20억 달러다.", "20억 달러", 2_000_000_000, "$2 billion"),
    ("적자는 3천억원에 달했다.", "3천억원", 300_000_000_000, "300 billion won"),
    ("가격은 $300이다.", "$300", 300, "$300"),
    # race times and vulgar fractions
    ("볼트는 9초58의 세계기록을 세웠다.", "9초58", 9.58, "9.58 seconds"),
    ("2025 KBO리그 개막전이 열렸다.", "2025", 2025, "2025"),
    ("관객 2,025명이 왔다.", "2,025명", 2025, "2,025 people"),
    ("3분31초45로 우승했다.", "31초45", 31.45, "31.45 seconds"),
    ("류현진은 5⅓이닝 동안 2실점했다.", "5⅓이닝", 5.3333, "5 1/3 innings"),
    ("지분 ½을 넘겼다.", "½", 0.5, "1/2"),
    # counters
    ("전국 120곳에서 열렸다.", "120곳", 120, "120 places"),
    ("사고는 15건이었다.", "15건", 15, "15 cases"),
    ("협력사 25개사가 참여했다.", "25개사", 25, "25 companies"),
    ("영화 3편을 찍었다.", "3편", 3, "3 titles"),
    ("버스 30대를 투입했다.", "30대", 30, "30 units"),
    ("세계 40개국이 참가했다.", "40개국", 40, "40 countries"),
    ("아파트 1천500가구를 공급한다.", "1천500가구", 1500, "1,500 households"),
    ("그는 찬성 152표를 얻었다.", "152표", 152, "152 votes"),
    ("손흥민은 2골을 넣었다.", "2골", 2, "2 goals"),
    ("LG는 3승1패로 앞섰다.", "1패", 1, "1 loss"),
    ("1명이 다쳤다.", "1명", 1, "1 person"),
    ("영하 12도까지 떨어졌다.", "영하 12도", -12, "−12°C"),
    ("최저기온은 영하3.5℃다.", "영하3.5℃", -3.5, "−3.5°C"),
    # currencies
    ("환율은 1,350원이다.", "1,350원", 1350, "1,350 won"),
    ("1천만 위안을 투자했다.", "1천만 위안", 10_000_000, "10 million yuan"),
    ("500엔짜리 동전이다.", "500엔", 500, "500 yen"),
    ("벌금은 50억 유로다.", "50억 유로", 5_000_000_000, "5 billion euros"),
    # units
    ("거리는 12㎞다.", "12㎞", 12, "12 km"),
    ("강수량은 80㎜였다.", "80㎜", 80, "80 mm"),
    ("기온이 35℃까지 올랐다.", "35℃", 35, "35°C"),
    ("상승률은 3.5%다.", "3.5%", 3.5, "3.5%"),
    ("금리를 0.25%포인트 올렸다.", "0.25%포인트", 0.25, "0.25 percentage points"),
    ("실업률이 0.3%p 내렸다.", "0.3%p", 0.3, "0.3 percentage points"),
    ("쌀 20㎏을 기부했다.", "20㎏", 20, "20 kg"),
    ("면적은 100ha다.", "100ha", 100, "100 hectares"),
    ("원유 200만 배럴을 샀다.", "200만 배럴", 2_000_000, "2 million barrels"),
    ("설비용량은 500MW다.", "500MW", 500, "500 MW"),
    # approximations
    ("약 300명이 모였다.", "300명", 300, "about 300 people"),
    ("300여명이 참석했다.", "300여명", 300, "about 300 people"),
    ("1만명 가량이 몰렸다.", "1만명", 10000, "about 10,000 people"),
    ("2조원 안팎으로 추정된다.", "2조원", 2_000_000_000_000, "about 2 trillion won"),
    ("최대 50%를 할인한다.", "50%", 50, "up to 50%"),
    # years
    ("'14년 설립됐다.", "'14년", 2014, "2014"),
    ("‘98년 외환위기 때였다.", "‘98년", 1998, "1998"),
    ("홍콩정부가 2005년에 조성했다.", "2005년", 2005, "2005"),
    ("2024년도 예산을 확정했다.", "2024년도", 2024, "2024"),
    # durations, ages
    ("그는 3개월 동안 머물렀다.", "3개월", 3, "3 months"),
    ("5년간 이어졌다.", "5년간", 5, "5 years"),
    ("10시간 넘게 회의했다.", "10시간", 10, "more than 10 hours"),
    ("김씨(35세)가 다쳤다.", "35세", 35, "35 years old"),
    ("D램 가격이 3분기 연속 올랐다.", "3분기", 3, "3 straight quarters"),
    ("30분 만에 끝났다.", "30분", 30, "after 30 minutes"),
    # ranks, ordinals and age groups carry their number (issue 10)
    ("제2 서울핀테크 랩을 조성한다.", "제2", 2, "2nd"),
    ("4차 산업혁명에 대비한다.", "4차", 4, "4th"),
    ("17라운드 경기에서 이겼다.", "17라운드", 17, "round 17"),
    ("리그 8위에 올랐다.", "8위", 8, "8th place"),
    ("헌법 제37조 2항에 따른다.", "제37조 2항", 37, "Article 37(2)"),
    ("20대 남성이 늘었다.", "20대", 20, "in their 20s"),
    ("국내 10대 그룹이 참여했다.", "10대", 10, "top 10"),
    ("3분기 실적이 좋았다.", "3분기", 3, "Q3"),
    ("전체의 3분의 1이다.", "3분의 1", 0.3333, "a third"),
]

# (sentence, figure text, English) for figures that carry no single quantity.
NULL_CASES = [
    ("혁신창업 현장을 1박2일간 방문했다.", "1박2일", "1 night and 2 days"),
    ("순방 첫 날인 30일엔 현장을 돌았다.", "30일", "the 30th"),
    ("‘18년 5월부터 파트너가 됐다.", "‘18년 5월", "May 2018"),
    ("2019년 1월 31일 발표했다.", "2019년 1월 31일", "January 31, 2019"),
    ("지난 3월 15일 개막했다.", "3월 15일", "March 15"),
    ("발표일은 2019.01.31이다.", "2019.01.31", "January 31, 2019"),
    ("시행일은 2024-07-01이다.", "2024-07-01", "July 1, 2024"),
    ("5월에 출시된다.", "5월", "May"),
    ("회의는 오후 3시30분에 열린다.", "오후 3시30분", "3:30 p.m."),
    ("오전 10시 개장한다.", "오전 10시", "10 a.m."),
    ("근속 3년 2개월 만에 퇴사했다.", "3년 2개월", "3 years and 2 months"),
    ("금리는 4.75~5.00%다.", "4.75~5.00%", "4.75–5.00%"),
    ("낮 기온은 24~28℃로 예상된다.", "24~28℃", "24–28°C"),
    ("3∼4명이 다쳤다.", "3∼4명", "3–4 people"),
    ("10만~20만원 선이다.", "10만~20만원", "100,000–200,000 won"),
    ("지난달 25~27일 조사했다.", "25~27일", "the 25th–27th"),
    ("2020~2024년 추세다.", "2020~2024년", "2020–2024"),
    ("가격은 300~500달러다.", "300~500달러", "$300–500"),
    ("한국이 일본을 3-1로 이겼다.", "3-1", "3–1"),
    ("울산이 전북을 2대1로 꺾었다.", "2대1", "2–1"),
    ("30~40대가 주로 샀다.", "30~40대", "in their 30s to 40s"),
    ("1990년대 후반이었다.", "1990년대", "the 1990s"),
]

# Sentences whose figures must not include these texts (traps).
TRAPS = [
    ("선전만창업광장은 크다.", "만"),
    ("3년 만에 복귀했다.", "3년 만"),
    ("조 장관은 말했다.", "조"),
    ("3D 프린터를 보유했다.", "3"),
    ("5G 통신망을 깔았다.", "5"),
    ("코로나19 확산세가 꺾였다.", "19"),
    ("그는 3원칙을 밝혔다.", "3원"),
    ("HBM3E 제품을 공급한다.", "3"),
]


@pytest.mark.parametrize("sentence,text,value,en", CASES)
def test_valued_figures(sentence, text, value, en):
    figs = {f.text: f for f in extract_figures(sentence)}
    assert text in figs, f"{text!r} not found in {list(figs)}"
    f = figs[text]
    assert f.value == pytest.approx(value)
    assert f.en == en
    assert sentence[f.start:f.end] == f.text


@pytest.mark.parametrize("sentence,text,en", NULL_CASES)
def test_figures_without_single_value(sentence, text, en):
    figs = {f.text: f for f in extract_figures(sentence)}
    assert text in figs, f"{text!r} not found in {list(figs)}"
    assert figs[text].value is None
    assert figs[text].en == en


@pytest.mark.parametrize("sentence,bad", TRAPS)
def test_traps(sentence, bad):
    texts = [f.text for f in extract_figures(sentence)]
    assert bad not in texts, texts
    assert not any(bad == t or (bad in t and "만" == bad) for t in texts), texts


def test_three_years_after_is_a_duration_not_thirty_thousand():
    (f,) = extract_figures("3년 만에 복귀했다.")
    assert f.kind == "duration" and f.value == 3 and f.en == "after 3 years"


def test_figures_do_not_overlap_and_are_ordered():
    s = "2019년 1월 31일 오후 3시30분 1만6천개 중 30%인 4천800개가 3.8만㎡에 있다."
    figs = extract_figures(s)
    for a, b in zip(figs, figs[1:], strict=False):
        assert a.end <= b.start
    assert [f.text for f in figs] == ["2019년 1월 31일", "오후 3시30분", "1만6천개", "30%", "4천800개", "3.8만㎡"]


@pytest.mark.parametrize(
    "run,value",
    [("1만6천", 16000), ("5조6천억", 5_600_000_000_000), ("2조4천300억", 2_430_000_000_000), ("3.8만", 38000),
     ("1,200", 1200), ("2조 4천억", 2_400_000_000_000), ("천", 1000), ("7억", 700_000_000)],
)
def test_parse_korean_number(run, value):
    assert parse_korean_number(run) == value


@pytest.mark.parametrize(
    "value,en",
    [(16000, "16,000"), (2_000_000_000_000, "2 trillion"), (5_600_000_000_000, "5.6 trillion"),
     (123_456_789, "123,456,789"), (3.5, "3.5"), (1_000_000, "1 million")],
)
def test_format_number(value, en):
    assert format_number(value) == en


@pytest.mark.parametrize(
    "en,tokens",
    [("It covers 260,000 square meters.", ["260000"]),
     ("a market cap of 2 trillion won", ["2000000000000"]),
     ("260 thousand m²", ["260000"]),
     ("founded in May 2018", ["2018", "month:5"]),
     ("up 3.5% from 5.00", ["3.5", "5"]),
     ("the 4th industrial revolution", ["4"]),
     ("It may grow.", []),
     ("5 1/3 innings, ⅔ of them", ["frac:1/3", "frac:2/3", "5", "1", "3"]),
     ("two-thirds and a half", ["frac:2/3", "frac:1/2"])],
)
def test_english_tokens(en, tokens):
    assert english_tokens(en) == tokens


def test_check_english_finds_dropped_and_invented_numbers():
    ko = "‘사이버포트’는 부지면적 26만㎡, 총 10만㎡ 규모다."
    figs = extract_figures(ko)
    missing, extra = check_english(ko, figs, "Cyberport covers 260,000 m² and 7 buildings.")
    assert [f.text for f in missing] == ["10만㎡"]
    assert extra == ["7"]
    missing, extra = check_english(ko, figs, "Cyberport has 260 thousand m² of land, 100,000 m² in all.")
    assert missing == [] and extra == []


def test_a_fraction_must_keep_its_fraction():
    ko = "류현진은 5⅓이닝 동안 2실점했다."
    figs = extract_figures(ko)
    for en in ("Ryu gave up 2 runs in 5 1/3 innings.", "Ryu gave up 2 runs in 5⅓ innings.",
               "Ryu gave up 2 runs in 5 and one-third innings."):
        assert check_english(ko, figs, en) == ([], [])
    missing, _ = check_english(ko, figs, "Ryu gave up 2 runs in 5 innings.")
    assert [f.text for f in missing] == ["5⅓이닝"]


def test_prerender_writes_the_number_out():
    ko = "‘사이버포트’는 부지면적 26만㎡로 '14년 설립된 2조원 규모 단지다."
    out = prerender(ko, extract_figures(ko))
    assert out == "‘사이버포트’는 부지면적 260,000㎡로 2014년 설립된 2 trillion원 규모 단지다."
