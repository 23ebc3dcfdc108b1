"""Figures as news writes them (issue 10): sign, unit, counter and qualifier; Hangul numerals; ranks;
counters decided by context; what is not a figure; the guard's reading of English numbers.

All sentences are written for these tests. Each row of the issue's table has a row here; the
Recognizers-Text specs inspired the unit, temperature, age and comparative rows (their sentences
stay theirs: bench/eval_specs.py scores the finder on them).
"""

import pytest

from summarize.stages.figures import (
    article_domain,
    check_english,
    english_tokens,
    extract_figures,
    format_number,
    missing_figures,
    parse_korean_number,
    parse_native,
    parse_sino,
    prerender,
)

# (sentence, article domain, figure text, value, English, kind) — one row per row of the issue's table
ISSUE_TABLE = [
    ("코스닥 대형주(-1.25%)가 가장 많이 빠졌다.", None, "-1.25%", -1.25, "−1.25%", "percent"),
    ("생산은 전월보다 -0.3% 줄었다.", None, "-0.3%", -0.3, "−0.3%", "percent"),
    ("1분기 성장률이 마이너스 5를 찍었다.", None, "마이너스 5", -5, "−5", "amount"),
    ("아침 기온이 영하 5도로 뚝 떨어졌다.", None, "영하 5도", -5, "−5°C", "measure"),
    ("원·달러 환율은 9원30전 내렸다.", None, "9원30전", 9.3, "9.30 won", "money"),
    ("환율은 1093원60전에 거래를 마쳤다.", None, "1093원60전", 1093.6, "1,093.60 won", "money"),
    ("이 노래는 빌보드 차트에 38주 연속 머물렀다.", None, "38주", 38, "38 weeks in a row", "duration"),
    ("그는 자사주 105만주를 사들였다.", None, "105만주", 1_050_000, "1.05 million shares", "count"),
    ("65인치 TV가 가장 많이 팔렸다.", None, "65인치", 65, "65 inches", "measure"),
    ("매장 면적은 660 평방미터다.", None, "660 평방미터", 660, "660 m²", "measure"),
    ("경찰관들은 2인 1조로 골목을 돌았다.", None, "2인 1조", 2, "a team of two", "count"),
    ("아이는 피자 삼분의 1조각을 남겼다.", None, "삼분의 1", 0.3333, "a third", "fraction"),
    ("그는 팔에 2도 화상을 입었다.", None, "2도 화상", 2, "second-degree burns", "ordinal"),
    ("한낮 기온이 섭씨 30도로 치솟았다.", None, "섭씨 30도", 30, "30°C", "measure"),
    ("8월3주 아파트값은 0.2% 올랐다.", None, "8월3주", None, "the 3rd week of August", "date"),
    ("경쟁률은 524.64대 1로 역대 최고였다.", None, "524.64대 1", 524.64, "524.64 to 1", "ratio"),
    ("건물은 지하 3층~지상 27층 규모로 지어진다.", None, "지하 3층", 3, "basement level 3", "floor"),
    ("건물은 지하 3층~지상 27층 규모로 지어진다.", None, "지상 27층", 27, "27 floors", "floor"),
    ("그는 첫날 6언더파를 몰아쳤다.", "golf", "6언더파", 6, "6 under par", "score"),
    ("대회 코스는 6,652야드로 짧다.", "golf", "6,652야드", 6652, "6,652 yards", "measure"),
    ("선발 투수는 3피안타 1실점으로 버텼다.", "baseball", "3피안타", 3, "3 hits", "count"),
    ("선발 투수는 3피안타 1실점으로 버텼다.", "baseball", "1실점", 1, "1 run", "count"),
    ("그는 부상에서 6달 만에 돌아왔다.", None, "6달", 6, "after 6 months", "duration"),
    ("불은 10여 분 만에 꺼졌다.", None, "10여 분", 10, "about 10 minutes", "duration"),
    ("4번 타자가 3점 홈런을 쳤다.", "baseball", "3점", 3, "a three-run homer", "count"),
    ("그는 6회 마운드를 내려왔다.", "baseball", "6회", 6, "the 6th inning", "ordinal"),
    ("주가는 4일 연속 올랐다.", None, "4일", 4, "4 days in a row", "duration"),
    ("코스피는 12.81p 내린 2,600선에서 마감했다.", "market", "12.81p", 12.81, "12.81 points", "measure"),
    ("하루 50 만 배럴을 감산한다.", None, "50 만 배럴", 500_000, "500,000 barrels a day", "measure"),
    ("그는 약 천 4백만 달러를 모았다.", None, "천 4백만 달러", 14_000_000, "about $14 million", "money"),
    ("내년 예산은 약 300조 천억 원이다.", None, "300조 천억 원", 300_100_000_000_000, "about 300.1 trillion won",
     "money"),
    ("영업이익은 1조1천532억원이었다.", None, "1조1천532억원", 1_153_200_000_000, "1.1532 trillion won", "money"),
    ("키 170 미만은 지원할 수 없다.", None, "170", 170, "under 170", "amount"),
    ("점수가 200 이상이면 통과한다.", None, "200", 200, "at least 200", "amount"),
    ("3000이 넘는 업체가 신청했다.", None, "3000", 3000, "more than 3,000", "amount"),
]

# (sentence, text that is no figure): names, phone numbers, words that look like numbers
NOT_FIGURES = [
    ("코로나19 주간 확진자가 1만명 아래로 내려왔다.", "19"),
    ("코로나19 주간 확진자가 1만명 아래로 내려왔다.", "19 주간"),
    ("군은 비룡공감 2080 사업을 시작한다.", "2080"),
    ("문의는 02-398-8585로 하면 된다.", "02"),
    ("문의는 02-398-8585로 하면 된다.", "398"),
    ("문의는 02-398-8585로 하면 된다.", "8585"),
    ("상담 전화 797-3323을 운영한다.", "797"),
    ("상담 전화 797-3323을 운영한다.", "3323"),
    ("고객센터 1588-1234로 연락하면 된다.", "1588"),
    ("경찰관들은 2인 1조로 골목을 돌았다.", "1조"),
    ("그는 101동 주민이다.", "101"),
    ("갤럭시S24 판매가 늘었다.", "24"),
    ("만세를 외쳤다. 자료를 십분 활용했다.", "십분"),
    ("세대를 아우르는 노래다.", "세대"),
    ("한번 해보자는 분위기였다.", "한번"),
    ("이 주에 결과가 나온다.", "이 주"),
    ("구조 대원이 도착했다.", "구조"),
    ("국도 3도로 갈아탔다.", "3도"),
    ("새 제도 도입을 검토한다.", "도"),
    ("한 증권사 연구원이 말했다.", "한"),
    ("이천 시민이 모였다.", "이천"),
    ("천천히 걸었다.", "천천"),
]

# Ambiguous counters, decided by context: (sentence, domain, text, unit, English)
CONTEXT = [
    ("이 곡은 12주 동안 1위를 지켰다.", None, "12주", "weeks", "12 weeks"),
    ("외국인은 삼성전자 3만주를 순매도했다.", None, "3만주", "shares", "30,000 shares"),
    ("최대주주는 보유 지분 40주를 처분했다.", None, "40주", "shares", "40 shares"),
    ("3주 뒤에 다시 만난다.", None, "3주", "weeks", "3 weeks"),
    ("낮 최고기온은 33도까지 오르겠다.", None, "33도", "°C", "33°C"),
    ("지붕은 30도 각도로 기울어 있다.", None, "30도", "degree", "30 degrees"),
    ("온도를 섭씨 25도에 맞췄다.", None, "섭씨 25도", "°C", "25°C"),
    ("체온이 화씨 98.6도로 정상이다.", None, "화씨 98.6도", "°F", "98.6°F"),
    ("국보 반가사유상 2점이 나란히 놓였다.", None, "2점", "pieces", "2 pieces"),
    ("그는 시험에서 90점을 받았다.", None, "90점", "points", "90 points"),
    ("한화는 7회에만 4점을 뽑았다.", "baseball", "4점", "runs", "4 runs"),
    ("만루 홈런 덕분에 4점 홈런이 됐다.", "baseball", "4점", "run homer", "a grand slam"),
    ("그는 1점 홈런을 쳤다.", "baseball", "1점", "run homer", "a solo homer"),
    ("그는 이 대회에 3회 출전했다.", None, "3회", "times", "3 times"),
    ("9회말 끝내기 안타가 나왔다.", "baseball", "9회말", "inning", "the bottom of the 9th inning"),
    ("그는 몸무게를 10 파운드 뺐다.", None, "10 파운드", "lb", "10 pounds"),
    ("그는 주급 20만 파운드를 받는다.", None, "20만 파운드", "pound", "200,000 pounds"),
    ("이통 3사가 요금을 내렸다.", None, "3사", "companies", "3 companies"),
    ("2사 만루에서 교체됐다.", "baseball", "2사", "outs", "2 outs"),
    ("다우지수는 120p 올랐다.", "market", "120p", "points", "120 points"),
    ("승점 3을 챙겼다.", None, "3", "points", "3 points"),
    ("규모 5.8의 지진이 났다.", None, "5.8", "magnitude", "magnitude 5.8"),
    ("시속 100㎞로 달렸다.", None, "시속 100㎞", "km/h", "100 km/h"),
    ("이 회사는 3나노 공정을 도입했다.", None, "3나노", "nm", "3 nm"),
    ("HBM3E 12단 제품이다.", None, "12단", "layers", "12 layers"),
    ("미세먼지 농도는 35㎍/㎥였다.", "weather", "35㎍/㎥", "µg/m³", "35 µg/m³"),
]

# Hangul numerals: (sentence, text, value, English, required)
HANGUL = [
    ("사고로 두 명이 다쳤다.", "두 명", 2, "two people", True),
    ("소방차가 세 차례 출동했다.", "세 차례", 3, "three times", True),
    ("전국 다섯 곳에서 열린다.", "다섯 곳", 5, "five places", True),
    ("네 가지 방안을 내놨다.", "네 가지", 4, "four kinds", True),
    ("아이는 일곱 살이다.", "일곱 살", 7, "seven years old", True),
    ("수출이 두 배로 늘었다.", "두 배", 2, "twice", True),
    ("스물다섯 명이 합격했다.", "스물다섯 명", 25, "25 people", True),
    ("아흔아홉 번째 생일이다.", "아흔아홉 번째", 99, "99th", False),
    ("세 번째 도전이다.", "세 번째", 3, "third", False),
    ("한 해 동안 준비했다.", "한 해", 1, "one year", False),
    ("한 달 만에 끝냈다.", "한 달", 1, "one month", False),
    ("한 명이 숨졌다.", "한 명", 1, "one person", False),
    ("올해 첫 해외 순방이다.", "첫", 1, "first", False),
    ("그는 첫 번째 주자로 나섰다.", "첫 번째", 1, "first", False),
    ("여덟 시간 동안 회의했다.", "여덟 시간", 8, "eight hours", True),
    ("삼백오십 명이 서명했다.", "삼백오십 명", 350, "350 people", True),
    ("회사는 이천십칠 년에 세워졌다.", "이천십칠 년", 2017, "2017", True),
    ("그는 일억 원을 기부했다.", "일억 원", 100_000_000, "100 million won", True),
    ("관중 만 명이 모였다.", "만 명", 10_000, "10,000 people", True),
    ("판다 천 마리 미만이 남았다.", "천 마리", 1000, "under 1,000 animals", True),
    ("이십 퍼센트가 찬성했다.", "이십 퍼센트", 20, "20%", True),
    ("그는 백퍼센트 확신했다.", "백퍼센트", 100, "100%", True),
    ("아기는 태어난 지 삼 개월이다.", "삼 개월", 3, "3 months", True),
    ("정답은 마이너스 일천구백이다.", "마이너스 일천구백", -1900, "−1,900", True),
    ("예산은 3천만 원과 2.5억 원이다.", "2.5억 원", 250_000_000, "250 million won", True),
    ("손실은 천 4백만 달러였다.", "천 4백만 달러", 14_000_000, "$14 million", True),
    ("응답자의 절반이 반대했다.", "절반", 0.5, "half", False),
    ("전체의 사분의 일이 빠졌다.", "사분의 일", 0.25, "a quarter", True),
]

# Ranks, ordinals and age groups carry their number: (sentence, text, value, English, kind)
RANKS = [
    ("울산은 리그 8위로 시즌을 마쳤다.", "8위", 8, "8th place", "rank"),
    ("그는 세계 1위에 올랐다.", "1위", 1, "1st place", "rank"),
    ("17라운드에서 첫 승을 거뒀다.", "17라운드", 17, "round 17", "ordinal"),
    ("50대 남성이 구조됐다.", "50대", 50, "in their 50s", "age"),
    ("손흥민은 리그 8호 골을 넣었다.", "8호", 8, "No. 8", "ordinal"),
    ("21세기 들어 처음이다.", "21세기", 21, "the 21st century", "ordinal"),
    ("3/4분기 실적이 나왔다.", "3/4분기", 3, "Q3", "ordinal"),
    ("그는 십등에서 십오등 사이에 있다.", "십등", 10, "10th place", "rank"),
]

# Qualifiers and ranges: (sentence, text, English)
QUALIFIED = [
    ("관객이 100만 명을 넘었다.", "100만 명", "1 million people"),
    ("1만명이 넘는 관중이 왔다.", "1만명", "more than 10,000 people"),
    ("최소 30 이상이어야 한다.", "30", "at least 30"),
    ("점수는 30 이하다.", "30", "at most 30"),
    ("그 값은 4,565보다 크다.", "4,565", "more than 4,565"),
    ("그 값은 5000 보다 크거나 같다.", "5000", "at least 5,000"),
    ("10 억 달러 초과 사업이다.", "10 억 달러", "over $1 billion"),
    ("20과 30 사이의 값이다.", "20과 30 사이", "between 20 and 30"),
    ("값은 20부터 100까지다.", "20부터 100까지", "20–100"),
    ("7천5백30만 달러였다.", "7천5백30만 달러", "$75.3 million"),
    ("29만 천 890 톤을 생산했다.", "29만 천 890 톤", "291,890 tonnes"),
    ("만 6천 톤을 수입했다.", "만 6천 톤", "16,000 tonnes"),
    ("1만 2천 345 달러부터 판다.", "1만 2천 345 달러", "$12,345"),
    ("12월 계약은 1달러 20센트 올랐다.", "1달러 20센트", "$1.20"),
    ("주당 470 펜스를 제시했다.", "470 펜스", "470 pence a share"),
    ("3억 캐나다 달러를 청구했다.", "3억 캐나다 달러", "300 million Canadian dollars"),
    ("1만 스위스 프랑의 벌금을 냈다.", "1만 스위스 프랑", "10,000 Swiss francs"),
    ("8 ~ 10 피트 높이의 벽이다.", "8 ~ 10 피트", "8–10 feet"),
    ("190 제곱 킬로미터에 산다.", "190 제곱 킬로미터", "190 km²"),
    ("하루 24억 갤런을 쓴다.", "24억 갤런", "2.4 billion gallons a day"),
    ("그는 5 피트로 작다.", "5 피트", "5 feet"),
    ("그 성벽은 500년 이상 되었다.", "500년", "at least 500 years"),
]

# More forms news writes (sentences written here, after forms met on real pages): (sentence, domain, text, value, English)
NEWS_FORMS = [
    ("축제는 사흘간 이어졌다.", None, "사흘간", 3, "three days"),
    ("개막 이틀 만에 매진됐다.", None, "이틀", 2, "after two days"),
    ("비가 사흘째 내렸다.", None, "사흘째", 3, "for a third day"),
    ("공사는 석 달 걸린다.", None, "석 달", 3, "three months"),
    ("그는 올해 일흔두 살이다.", None, "일흔두 살", 72, "72 years old"),
    ("주민 유다온(25)은 웃었다.", None, "25", 25, "25 years old"),
    ("행인 최모(52)씨가 다쳤다.", None, "52", 52, "52 years old"),
    ("버스로 2시간40분 걸린다.", None, "2시간40분", 160, "2 hours 40 minutes"),
    ("구조는 4시간10분 만에 끝났다.", None, "4시간10분", 250, "after 4 hours 10 minutes"),
    ("답변은 10일 안에 온다.", None, "10일", 10, "10 days"),
    ("휴일은 작년보다 2일 적었다.", None, "2일", 2, "2 days"),
    ("그는 주 3일 출근한다.", None, "3일", 3, "3 days"),
    ("경쟁률이 100대 1을 넘는 단지가 늘었다.", None, "100대 1", 100, "more than 100 to 1"),
    ("나무 200여 그루를 심었다.", None, "200여 그루", 200, "about 200 trees"),
    ("그는 두 차례 경고를 받았다.", None, "두 차례", 2, "twice"),
    ("65세 이상 노인이 늘었다.", None, "65세", 65, "aged 65 and over"),
    ("약 2시간 뒤 도착했다.", None, "2시간", 2, "about 2 hours"),
    ("코스는 파72로 짜였다.", "golf", "파72", 72, "par 72"),
    ("금리를 연 2.5%로 올렸다.", None, "2.5%", 2.5, "2.5% a year"),
    ("시간당 45㎜의 비가 내렸다.", None, "45㎜", 45, "45 mm an hour"),
    ("원유는 배럴당 88달러에 거래됐다.", None, "88달러", 88, "$88 a barrel"),
    ("불은 건물 2층에서 났다.", None, "2층", 2, "the 2nd floor"),
    ("3층 규모의 건물이다.", None, "3층", 3, "3 floors"),
    ("그는 7번 홀에서 버디를 잡았다.", "golf", "7번", 7, "the 7th hole"),
    ("2차 접종을 마쳤다.", None, "2차", 2, "second dose"),
    ("개봉 첫 주에 관객이 몰렸다.", None, "첫 주", 1, "first week"),
    ("전시 나흘째인 오늘도 붐볐다.", None, "나흘째", 4, "for a fourth day"),
]

# Figures without one quantity: (sentence, domain, text, English)
NEWS_LABELS = [
    ("공원 서너 곳을 새로 짓는다.", None, "서너 곳", "three or four places"),
    ("시험은 09:10~10:50에 치른다.", None, "09:10~10:50", "9:10–10:50"),
    ("누적 방문객은 5,120명(9.14. 0시 기준)이다.", None, "9.14.", "September 14"),
    ("누적 방문객은 5,120명(9.14. 0시 기준)이다.", None, "0시", "midnight"),
    ("낮 12시에 문을 연다.", None, "낮 12시", "noon"),
    ("9월2주(9.5.~9.11.) 방문객이 늘었다.", None, "9.5.~9.11.", "September 5–11"),
    ("9월 셋째 주에만 300명이 다녀갔다.", None, "9월 셋째 주", "the 3rd week of September"),
    ("올해 2~5월 수출이 늘었다.", None, "2~5월", "February–May"),
    ("다리는 4∼9개월 동안 고친다.", None, "4∼9개월", "4–9 months"),
    ("결승전은 9일 치러진다.", None, "9일", "the 9th"),
    ("주민 6명 중 1명이 노인이다.", None, "6명 중 1명", "one in six"),
    ("2030세대가 청약에 몰렸다.", None, "2030세대", "people in their 20s and 30s"),
    ("1사 1, 3루에서 안타를 쳤다.", "baseball", "1, 3루", "first and third base"),
    ("2021-2022 시즌 개막전이었다.", None, "2021-2022", "the 2021–22 season"),
    ("후반 22분 동점골이 터졌다.", None, "후반 22분", "22 minutes into the second half"),
    ("그는 2시간 8분 3초로 들어왔다.", None, "2시간 8분 3초", "2:08:03"),
    ("그 땅은 수억 원에 팔렸다.", None, "수억 원", "hundreds of millions of won"),
    ("그는 두 자릿수 승리를 노린다.", None, "두 자릿수", "double-digit"),
]

# Not figures, after real pages: names with digits, the police's number
NEWS_NOT_FIGURES = [
    ("KBS2 주말드라마가 끝났다.", "2 주"),
    ("범죄를 보면 112로 신고하면 된다.", "112"),
    ("구조대는 밤새 수색을 이어갔다.", "구조대"),
    ("구조대는 밤새 수색을 이어갔다.", "구조"),
    ("렌즈는 75 -300mm 줌이다.", "-300mm"),  # a span, not minus 300 mm
]


def test_a_minus_after_a_number_and_a_space_is_a_sign_in_a_table_row():
    (a, b) = extract_figures("반도체 142 -45.2")
    assert (a.value, b.value, b.en) == (142, -45.2, "−45.2")

# The guard reads English numbers as a reader writes them: (English, tokens)
ENGLISH = [
    ("Two people were hurt and three went missing.", ["word:2", "word:3"]),
    ("Exports doubled to $19 billion.", ["19000000000", "word:2"]),
    ("It rose twice, by a third.", ["frac:1/3", "word:2"]),
    ("twenty-five people, a hundred and ten seats", ["word:25", "word:110"]),
    ("the second round and the 6th inning", ["6", "word:2"]),
    ("The index fell -1.25% to 2,600.", ["-1.25", "2600"]),
    ("one of the largest", ["word:1"]),
    ("a second-degree burn", ["word:2"]),
    ("three-run homer", ["word:3"]),
]


def _find(sentence, text, domain=None):
    figs = {f.text: f for f in extract_figures(sentence, 0, domain)}
    assert text in figs, f"{text!r} not found in {list(figs)}"
    return figs[text]


@pytest.mark.parametrize("sentence,domain,text,value,en,kind", ISSUE_TABLE)
def test_issue_table(sentence, domain, text, value, en, kind):
    f = _find(sentence, text, domain)
    assert (f.value is None) == (value is None)
    if value is not None:
        assert f.value == pytest.approx(value)
    assert f.en == en
    assert f.kind == kind
    assert sentence[f.start:f.end] == f.text


@pytest.mark.parametrize("sentence,text", NOT_FIGURES)
def test_not_figures(sentence, text):
    got = [f.text for f in extract_figures(sentence)]
    assert text not in got, got


def test_a_phone_number_leaves_its_sentence_without_figures():
    assert extract_figures("문의 02-398-8585, 010-1234-5678, 797-3323") == []
    years = [f.text for f in extract_figures("2020-2024년 추세다.")]
    assert years and "2020" in years[0]  # years, not a phone number


@pytest.mark.parametrize("sentence,domain,text,unit,en", CONTEXT)
def test_counters_decided_by_context(sentence, domain, text, unit, en):
    f = _find(sentence, text, domain)
    assert (f.unit, f.en) == (unit, en)


@pytest.mark.parametrize("sentence,text,value,en,required", HANGUL)
def test_hangul_numerals(sentence, text, value, en, required):
    f = _find(sentence, text)
    assert f.value == pytest.approx(value)
    assert f.en == en
    assert bool(f.required) == required
    assert missing_figures([f], f.en) == []  # the English shown keeps the figure for the guard


@pytest.mark.parametrize("sentence,text,value,en,kind", RANKS)
def test_ranks_carry_their_number(sentence, text, value, en, kind):
    f = _find(sentence, text)
    assert (f.value, f.en, f.kind) == (value, en, kind)


@pytest.mark.parametrize("sentence,text,en", QUALIFIED)
def test_qualifiers_ranges_and_units(sentence, text, en):
    assert _find(sentence, text).en == en


@pytest.mark.parametrize("sentence,domain,text,value,en", NEWS_FORMS)
def test_news_forms(sentence, domain, text, value, en):
    f = _find(sentence, text, domain)
    assert (f.value, f.en) == (value, en)


@pytest.mark.parametrize("sentence,domain,text,en", NEWS_LABELS)
def test_figures_that_name_a_time_a_range_or_a_label(sentence, domain, text, en):
    f = _find(sentence, text, domain)
    assert f.value is None and f.en == en


@pytest.mark.parametrize("sentence,text", NEWS_NOT_FIGURES)
def test_more_things_that_are_no_figures(sentence, text):
    assert text not in [f.text for f in extract_figures(sentence)]


@pytest.mark.parametrize("en,tokens", ENGLISH)
def test_english_numbers_in_words(en, tokens):
    assert sorted(english_tokens(en)) == sorted(tokens)


@pytest.mark.parametrize(
    "word,value",
    [("한", 1), ("스물다섯", 25), ("열한", 11), ("아흔아홉", 99), ("스무", 20), ("서른", 30), ("하나", 1)],
)
def test_parse_native(word, value):
    assert parse_native(word) == value


@pytest.mark.parametrize(
    "word,value",
    [("삼백오십", 350), ("이천십칠", 2017), ("일억", 10**8), ("이십일조 삼백", 21_000_000_000_300), ("오십 이", 52),
     ("십육", 16), ("일사천", None), ("천천", None), ("만억", None)],
)
def test_parse_sino(word, value):
    assert parse_sino(word) == value


@pytest.mark.parametrize(
    "run,value", [("천 4백만", 14_000_000), ("29만 천 890", 291_890), ("300조 천억", 300_100_000_000_000), ("만 6천", 16000),
                  ("50 만", 500_000), ("1조1천532억", 1_153_200_000_000), ("8백 10만", 8_100_000)],
)
def test_parse_runs_with_spaces(run, value):
    assert parse_korean_number(run) == value


def test_two_numbers_in_a_row_are_not_one():
    assert [f.text for f in extract_figures("가격은 10만 20만원이다.")] == ["10만", "20만원"]


@pytest.mark.parametrize("value,en", [(1_153_200_000_000, "1.1532 trillion"), (19_000_000_000, "19 billion"),
                                      (123_456_789, "123,456,789"), (-1900, "-1,900")])
def test_format_number_says_a_scale_with_up_to_five_decimals(value, en):
    assert format_number(value) == en


# ------------------------------------------------------------------ the guard accepts good English

GOOD_ENGLISH = [
    ("사고로 두 명이 다쳤다.", "Two people were injured in the accident."),
    ("사고로 두 명이 다쳤다.", "2 people were injured."),
    ("수출이 2배로 늘었다.", "Exports doubled."),
    ("수출이 2배로 늘었다.", "Exports grew twice as large."),
    ("수출액은 190억 달러다.", "Exports stood at $19 billion."),
    ("수출액은 190억 달러다.", "Exports were US$19bn."),
    ("전체의 3분의 1이다.", "It is a third of the total."),
    ("전체의 3분의 1이다.", "It is one-third of the total."),
    ("대형주(-1.25%)가 빠졌다.", "Large caps fell 1.25%."),
    ("대형주(-1.25%)가 빠졌다.", "Large caps (-1.25%) fell."),
    ("노시환의 3점 홈런이 터졌다.", "Noh hit a three-run homer."),
    ("세 차례 출동했다.", "They were dispatched three times."),
    ("영하 5도로 떨어졌다.", "It dropped to minus 5 degrees."),
    ("주가는 4일 연속 올랐다.", "Shares rose for four days in a row."),
    ("리그 8위로 마쳤다.", "They finished eighth in the league."),
]


@pytest.mark.parametrize("ko,en", GOOD_ENGLISH)
def test_the_guard_accepts_good_english(ko, en):
    missing, extra = check_english(ko, extract_figures(ko), en)
    assert (missing, extra) == ([], [])


def test_the_guard_still_catches_a_changed_number():
    ko = "사고로 두 명이 다쳤다."
    missing, _ = check_english(ko, extract_figures(ko), "Three people were injured.")
    assert [f.text for f in missing] == ["두 명"]


def test_unverified_numbers_are_shown_as_the_english_writes_them():
    ko = "수출액은 190억 달러다."
    _, extra = check_english(ko, extract_figures(ko), "Exports stood at $19 billion, up from $7.5 billion.")
    assert extra == ["$7.5 billion"]


def test_prerender_writes_hangul_numerals_in_digits():
    ko = "두 명이 다쳤고 삼백오십 명이 대피했다."
    assert prerender(ko, extract_figures(ko)) == "2 명이 다쳤고 350 명이 대피했다."


# ------------------------------------------------------------------ invariants over every sentence above

ALL = sorted({row[0] for table in (ISSUE_TABLE, HANGUL, RANKS, QUALIFIED, NEWS_FORMS, NEWS_LABELS) for row in table}
             | {row[0] for row in CONTEXT} | {row[0] for row in NOT_FIGURES})


@pytest.mark.parametrize("sentence", ALL)
def test_every_figure_is_verbatim_ordered_and_kept_by_its_own_english(sentence):
    figs = extract_figures(sentence, 3)
    for a, b in zip(figs, figs[1:], strict=False):
        assert a.end <= b.start
    for f in figs:
        assert sentence[f.start:f.end] == f.text and f.sentence == 3
        for alts in f.required:
            assert set(alts) <= set(f.tokens)
        assert missing_figures([f], f.en) == [], (f.text, f.en)
        assert check_english(sentence, [f], f.en)[1] == [], (f.text, f.en)


@pytest.mark.parametrize(
    "texts,domain",
    [(["선발 투수가 6이닝 동안 삼진 7개를 잡았다.", "타자는 홈런 2개를 쳤다."], "baseball"),
     (["최종 라운드에서 버디 5개를 잡아 6언더파를 쳤다.", "그는 LPGA 투어에서 우승했다."], "golf"),
     (["코스피는 전 거래일보다 1.2% 올랐다.", "코스닥 지수도 상승했다."], "market"),
     (["기상청은 낮 기온이 35도까지 오른다고 예보했다.", "폭염 특보가 내려졌다."], "weather"),
     (["정부는 예산안을 국회에 냈다.", "여야는 협상을 이어간다."], None)],
)
def test_article_domain(texts, domain):
    assert article_domain(texts) == domain
