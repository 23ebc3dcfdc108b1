"""Quotes: verbatim text, speakers (name and title apart), quote marks, quotes over paragraphs, sound-bites.

All sentences are written for these tests."""

import pytest

from summarize.records import Sentence
from summarize.stages.quotes import find_quotes, split_speaker

# (sentences of one article, expected [(quote, speaker, title)])
CASES = [
    (["이창용 한국은행 총재는 이날 기자간담회에서 “물가가 목표 수준으로 수렴할 때까지 긴축을 유지하겠다”며 선을 그었다."],
     [("물가가 목표 수준으로 수렴할 때까지 긴축을 유지하겠다", "이창용", "한국은행 총재")]),
    (["박원순 서울시장이 홍콩을 찾았다.", "“시장 상황을 예의주시하고 있다”라고 박 시장은 말했다."],
     [("시장 상황을 예의주시하고 있다", "박원순", "서울시장")]),
    # someone the article does not name: no speaker, the role as the title (issue 10, corpus convention)
    (["한 증권사 연구원은 “외국인 매수세가 당분간 이어질 것”이라고 전망했다."],
     [("외국인 매수세가 당분간 이어질 것", None, "증권사 연구원")]),
    (["김판곤 감독은 \"선수들이 ‘보여주자’며 뭉쳤다\"며 \"방심하지 않겠다\"고 말했다."],
     [("선수들이 ‘보여주자’며 뭉쳤다", "김판곤", "감독"), ("방심하지 않겠다", "김판곤", "감독")]),
    (["우원식 국회의장은 양당을 만났다.", "그는 “국민은 민생을 원한다”고 강조했다."],
     [("국민은 민생을 원한다", "우원식", "국회의장")]),  # the person the sentence before was about
    (["이창용 한국은행 총재는 \"물가가 안정되고 있다\"고 말했다.", "최상목 경제부총리는 이날 국회를 찾았다.",
      "그는 \"재정 여력이 크지 않다\"고 말했다."],
     [("물가가 안정되고 있다", "이창용", "한국은행 총재"), ("재정 여력이 크지 않다", "최상목", "경제부총리")]),
    (["이창용 한국은행 총재는 \"물가가 안정되고 있다\"고 말했다.", "정부는 이날 추경안을 냈다.",
      "그는 \"금리 인하는 이르다\"고 덧붙였다."],
     [("물가가 안정되고 있다", "이창용", "한국은행 총재"), ("금리 인하는 이르다", "이창용", "한국은행 총재")]),
    (["공사는 새 노선을 열었다.", "그는 “국민은 민생을 원한다”고 강조했다."],
     [("국민은 민생을 원한다", None, None)]),  # nobody named before: the pronoun has nobody to point to
    (["“여야 모두 물러서야 한다”고 우원식 국회의장은 말했다.", "그는 “국민은 민생을 원한다”고 강조했다."],
     [("여야 모두 물러서야 한다", "우원식", "국회의장"), ("국민은 민생을 원한다", "우원식", "국회의장")]),
    (["국민의힘 추경호 원내대표는 “포퓰리즘”이라고 반박했다."], [("포퓰리즘", "추경호", "국민의힘 원내대표")]),
    (["“우리는 최선을 다했다. 후회는 없다.”", "김판곤 감독은 경기 후 이렇게 말했다."],
     [("우리는 최선을 다했다. 후회는 없다.", "김판곤", "감독")]),
    (["중대본 관계자는 “총력을 기울이겠다”고 밝혔다."], [("총력을 기울이겠다", None, "중대본 관계자")]),
    (["김 감독은 ‘이번 시즌 목표는 우승이다’라고 말했다."], [("이번 시즌 목표는 우승이다", "김 감독", "감독")]),
    # single quotes for emphasis, names and years are not quotes; nor is a double-quoted term
    (["‘경제’와 ‘창업’을 화두로 '14년 설립된 ‘대공방’을 찾았다.", "정부는 이른바 “K-방역”이라는 말을 썼다."], []),
]

# Who speaks, from the phrase before (or after) the quote: (sentences, [(quote, speaker, title)])
SPEAKERS = [
    # apposition: the person, not the organisation
    (["성기홍 연합뉴스 사장은 “공정한 보도가 우리의 책임”이라고 말했다."],
     [("공정한 보도가 우리의 책임", "성기홍", "연합뉴스 사장")]),
    (["한빛대 경제학과 문서윤 교수는 “금리가 곧 내릴 것”이라고 내다봤다."],
     [("금리가 곧 내릴 것", "문서윤", "한빛대 경제학과 교수")]),
    (["한빛증권 여민재 연구원은 “반도체 업황이 바닥을 지났다”고 말했다."],
     [("반도체 업황이 바닥을 지났다", "여민재", "한빛증권 연구원")]),
    # a parenthesis after the name
    (["손흥민(28·토트넘)이 “팀이 이겨서 기쁘다”고 말했다."], [("팀이 이겨서 기쁘다", "손흥민", "토트넘")]),
    (["장보은(41·회사원)씨는 “출근길이 두 배로 길어졌다”고 했다."], [("출근길이 두 배로 길어졌다", "장보은", "회사원")]),
    (["가락동 주민 마혜린(58)씨는 “장 보러 가기가 힘들다”고 말했다."],
     [("장 보러 가기가 힘들다", "마혜린", "가락동 주민")]),
    # named before, then surname and title, or the title alone
    (["김도현 한국은행 총재가 회의를 열었다.", "김 총재는 “물가를 지켜보겠다”고 말했다."],
     [("물가를 지켜보겠다", "김도현", "한국은행 총재")]),
    (["원가온 국토교통부 장관이 현장을 찾았다.", "국토부 장관은 “전매를 막겠다”고 밝혔다."],
     [("전매를 막겠다", "원가온", "국토교통부 장관")]),
    (["원가온 국토교통부 장관이 현장을 찾았다.", "더불어민주당 원내대표는 “예산이 모자라다”고 말했다."],
     [("예산이 모자라다", None, "더불어민주당 원내대표")]),  # not the minister: another title
    (["총회를 연 칼리드 알팔리 OPEC 의장이 입을 열었다.", "알팔리 의장은 “생산량을 지키겠다”고 말했다."],
     [("생산량을 지키겠다", "칼리드 알팔리", "OPEC 의장")]),
    # an organisation speaks only where no person is named
    (["기상청은 “주말에 비가 오겠다”고 예보했다."], [("주말에 비가 오겠다", "기상청", None)]),
    (["기상청 예보관 구하람씨는 “주말에 비가 오겠다”고 말했다."], [("주말에 비가 오겠다", "구하람", "기상청 예보관")]),
    # who speaks is named right before the quote, after the sentence's topic
    (["소방서는 업체 측이 ′설비를 고쳤다′고 알렸다고 설명했다."], [("설비를 고쳤다", "업체 측", None)]),
    # never a noun taken from inside a quote
    (["“정부는 예산을 늘려야 한다”고 지적했다."], [("정부는 예산을 늘려야 한다", None, None)]),
    (["박하늘 서울시장은 “시장은 열려 있다”며 “서울시는 준비됐다”고 말했다."],
     [("시장은 열려 있다", "박하늘", "서울시장"), ("서울시는 준비됐다", "박하늘", "서울시장")]),
    # a minor, named like 씨
    (["수험생 표다인(18)양은 “시간이 모자랐다”고 말했다."], [("시간이 모자랐다", "표다인", "수험생")]),
]

# Quote marks and quotes over paragraphs: (sentences, [(quote, speaker, first sentence, last sentence or None)])
MARKS = [
    (["″물가가 너무 올랐어요. ′월급 빼고 다 오른다′는 말이 실감 나요.″"], [
        ("물가가 너무 올랐어요. ′월급 빼고 다 오른다′는 말이 실감 나요.", None, 0, None)]),
    (["주민 안채윤씨는 ″′괜찮다′는 말만 들었다″고 말했다."], [("′괜찮다′는 말만 들었다", "안채윤", 0, None)]),
    (["시장은 「예산을 아끼겠다」고 말했다."], [("예산을 아끼겠다", None, 0, None)]),
    (["차서진 감독은 ‘선수들을 믿는다’고 말했다."], [("선수들을 믿는다", "차서진", 0, None)]),
    # a quote that opens in one paragraph and closes in the next
    (["명하준 외교부 장관은 “회담에서 교역 확대를 폭넓게 논의했다.",
      "양국이 새 항로를 열기로 합의했다”고 말했다."],
     [("회담에서 교역 확대를 폭넓게 논의했다. 양국이 새 항로를 열기로 합의했다", "명하준", 0, 1)]),
    (["명하준 외교부 장관은 “회담에서 교역 확대를 폭넓게 논의했다.",
      "“양국이 새 항로를 열기로 합의했다”고 말했다.", "회담은 내일 끝난다."],
     [("회담에서 교역 확대를 폭넓게 논의했다. 양국이 새 항로를 열기로 합의했다", "명하준", 0, 1)]),
]


def _sentences(texts):
    return [Sentence(i, t, i) for i, t in enumerate(texts)]


@pytest.mark.parametrize("texts,expected", CASES + SPEAKERS)
def test_quotes_and_speakers(texts, expected):
    got = [(q.ko, q.speaker, q.speaker_title) for q in find_quotes(_sentences(texts))]
    assert got == expected


@pytest.mark.parametrize("texts,expected", MARKS)
def test_quote_marks_and_quotes_over_paragraphs(texts, expected):
    got = [(q.ko, q.speaker, q.sentence, q.last_sentence) for q in find_quotes(_sentences(texts))]
    assert got == expected


def test_quote_offsets_point_into_the_sentence():
    s = Sentence(0, "그는 “첫째다. 둘째다”라며 웃었다.", 0)
    (q,) = find_quotes([s])
    assert s.ko[q.start:q.end] == q.ko == "첫째다. 둘째다"


def test_a_quote_over_paragraphs_points_into_its_first_and_last_sentences():
    texts = ["명하준 장관은 “교역 확대를 논의했다.", "새 항로에 합의했다”고 말했다."]
    (q,) = find_quotes(_sentences(texts))
    assert texts[0][q.start:].startswith("교역 확대") and texts[1][:q.end] == "새 항로에 합의했다"


# ------------------------------------------------------------------ broadcast sound-bites (cleaning gives the speaker)

SOUNDBITES = [
    (["서울 도심에 폭설이 내렸다.", "너무 무서웠어요.", "시는 제설 작업에 나섰다."],
     {1: ("홍길동", "시민")}, [("너무 무서웠어요.", "홍길동", "시민", 1)]),
    (["상가에서 불이 났다.", "연기가 자욱해서 아무것도 안 보였어요. 가족과 계단으로 내려왔어요.",
      "배관 점검은 다음 주로 잡혀 있었습니다."],
     {1: ("나은별", "인근 주민"), 2: (None, "상가 관계자")},
     [("연기가 자욱해서 아무것도 안 보였어요. 가족과 계단으로 내려왔어요.", "나은별", "인근 주민", 1),
      ("배관 점검은 다음 주로 잡혀 있었습니다.", None, "상가 관계자", 2)]),
    # a quote with marks in another sentence keeps its own speaker
    (["추서희 소방서장은 “원인을 조사하겠다”고 말했다.", "불이 번지는 게 보였어요."],
     {1: ("목격자", None)},
     [("원인을 조사하겠다", "추서희", "소방서장", 0), ("불이 번지는 게 보였어요.", "목격자", None, 1)]),
]


@pytest.mark.parametrize("texts,spoken,expected", SOUNDBITES)
def test_soundbites_are_quotes_of_their_whole_sentence(texts, spoken, expected):
    quotes = find_quotes(_sentences(texts), spoken=spoken)
    assert [(q.ko, q.speaker, q.speaker_title, q.sentence) for q in quotes] == expected
    for q in quotes:
        if q.sentence in spoken:
            assert (q.start, q.end) == (0, len(texts[q.sentence]))


def test_a_soundbite_speaker_is_remembered_for_a_pronoun_after():
    texts = ["너무 무서웠어요.", "그는 “다시는 오고 싶지 않다”고 말했다."]
    quotes = find_quotes(_sentences(texts), spoken={0: ("홍길동", "시민")})
    assert [(q.speaker, q.speaker_title) for q in quotes] == [("홍길동", "시민"), ("홍길동", "시민")]


@pytest.mark.parametrize(
    "phrase,expected",
    [("성기홍 연합뉴스 사장", ("성기홍", "연합뉴스 사장")),
     ("한 시중은행 연구위원", (None, "시중은행 연구위원")),
     ("최민아(34·자영업)씨", ("최민아", "자영업")),
     ("김순자(79) 할머니", ("김순자", "할머니")),
     ("A씨", ("A씨", None)),
     ("기상청", ("기상청", None)),
     ("피해자대책위원회", ("피해자대책위원회", None)),
     ("경기 후 김성진 LG 감독", ("김성진", "LG 감독")),
     ("열두 살 아역 배우 윤하람", ("윤하람", "아역 배우")),
     ("그", None)],
)
def test_split_speaker(phrase, expected):
    assert split_speaker(phrase) == expected
