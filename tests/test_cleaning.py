"""Cleaning: general boilerplate rules, one table row per layout seen on Korean news sites."""

import pytest

from summarize.errors import Rejected
from summarize.records import Meta, Source
from summarize.stages.cleaning import clean, strip_dateline

BODY = "정부는 올해 경제성장률 전망치를 2.5%로 올렸다고 밝혔다. 수출 회복세가 뚜렷하다는 판단이다."


def src(text, **kw):
    return Source(path="x.txt", text=text, encoding="utf-8", sha256="0", kind="text", **kw)


# (paragraph, text after the dateline, outlet, author)
DATELINES = [
    ("[서울=뉴스1] 홍길동 기자 = " + BODY, BODY, "뉴스1", "홍길동"),
    ("(서울=연합뉴스) 홍길동 기자 = " + BODY, BODY, "연합뉴스", "홍길동"),
    ("【세종=뉴시스】홍길동 기자 = " + BODY, BODY, "뉴시스", "홍길동"),
    ("[세계뉴스] 권태옥 기자 = " + BODY, BODY, "세계뉴스", "권태옥"),
    ("[이데일리 홍길동 기자] " + BODY, BODY, "이데일리", "홍길동"),
    ("[헤럴드경제=홍길동 기자] " + BODY, BODY, "헤럴드경제", "홍길동"),
    ("(세종=연합뉴스) 김철수 이영희 기자 = " + BODY, BODY, "연합뉴스", "김철수 이영희"),
    ("홍길동 기자 = " + BODY, BODY, None, "홍길동"),
    (BODY, BODY, None, None),
]


@pytest.mark.parametrize("par,rest,outlet,author", DATELINES)
def test_datelines(par, rest, outlet, author):
    assert strip_dateline(par) == (rest, outlet, author)


PAGE = """속보
홈 > 경제 > 금융
[단독] 정부, 성장률 전망 2.5%로 상향…"수출 회복"
수출 회복에 힘입어 하반기 반등 기대
홍길동 기자 hong@example.com | 2024-05-23 11:52
  • 글자크기
  • 인쇄
페이스북 트위터 카카오톡 URL복사

▲ 23일 서울 중구 한 시장의 모습. (사진=연합뉴스)
△ 사진 설명이 이어진다
(서울=연합뉴스) 홍길동 기자 = {body}

두 번째 문단에서 홍 차관(사진)은 물가 안정이 최우선이라고 강조했다.
23일 서울 중구의 한 매장 모습. 2024.5.23/뉴스1
▶ 관련기사 : 성장률 상향 배경은
#경제 #성장률
hong@example.com
<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>
많이 본 뉴스
1 다른 기사 제목이 여기 있다
"""


@pytest.fixture(scope="module")
def article():
    return clean(src(PAGE.format(body=BODY)))


def test_title_without_tags(article):
    assert article.title == '정부, 성장률 전망 2.5%로 상향…"수출 회복"'


def test_metadata(article):
    assert article.meta == Meta(outlet="연합뉴스", author="홍길동", published="2024-05-23T11:52", section="금융")


def test_deck_is_not_body(article):
    assert article.deck == ("수출 회복에 힘입어 하반기 반등 기대",)


def test_body_only(article):
    assert article.paragraphs == (BODY, "두 번째 문단에서 홍 차관은 물가 안정이 최우선이라고 강조했다.")


@pytest.mark.parametrize(
    "junk",
    ["글자크기", "인쇄", "URL복사", "사진=", "사진 설명", "관련기사", "#경제", "hong@example.com", "저작권자", "많이 본",
     "다른 기사 제목", "속보", "2024.5.23/뉴스1", "홈 >"],
)
def test_no_boilerplate_survives(article, junk):
    text = "\n".join(article.paragraphs + (article.title,) + article.deck)
    assert junk not in text


def test_html_source_title_and_meta_win(tmp_path):
    s = src(f"기사 제목\n{BODY}", title="기사 제목 - 한빛일보", meta=Meta(outlet="한빛일보", author="정미래 기자 x@y.kr"))
    a = clean(s)
    assert a.title == "기사 제목" and a.paragraphs == (BODY,)
    assert a.meta.outlet == "한빛일보" and a.meta.author == "정미래"


def test_wrapped_lines_are_joined():
    a = clean(src("제목이 있는 기사 하나\n\n정부는 올해 경제성장률 전망치를\n2.5%로 올렸다고 밝혔다.\n"))
    assert a.paragraphs == ("정부는 올해 경제성장률 전망치를 2.5%로 올렸다고 밝혔다.",)


@pytest.mark.parametrize(
    "text,reason",
    [
        ("The Bank of Korea kept its rate at 3.5%\n\nThe central bank said on Thursday that it would keep "
         "its policy stance tight until inflation eased. Markets had expected the decision.", "not Korean"),
        ("제목만 있는 페이지 입니다\n글자크기\n인쇄\n많이 본 뉴스\n", "no article body"),
        ("글자크기\n인쇄\n", r"no article body: every line was classified away \(2 widget"),
    ],
)
def test_rejects(text, reason):
    with pytest.raises(Rejected, match=reason):
        clean(src(text))


def test_caption_after_a_photo_credit_line_and_slogan_copyright():
    text = ("코스피, 외국인 순매수에 2,650선 회복\n\n코스피가 2,650선을 회복했다.\n\n[사진 = 연합뉴스]\n"
            "5일 서울 중구 하나은행 딜링룸에서 직원들이 업무를 보고 있다.\n\n외국인은 1조원어치를 샀다.\n"
            "<ⓒ경제를 보는 눈, 세계를 보는 창 한빛경제 무단전재 및 재배포 금지>\n")
    a = clean(src(text))
    assert a.paragraphs == ("코스피가 2,650선을 회복했다.", "외국인은 1조원어치를 샀다.")
    assert a.meta.outlet == "한빛경제"


@pytest.mark.parametrize(
    "line,outlet",
    [("[저작권자ⓒ 세계뉴스. 무단전재-재배포 금지]", "세계뉴스"), ("<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>", "연합뉴스"),
     ("Copyright ⓒ 한국경제TV. All rights reserved.", "한국경제TV"), ("ⓒ 뉴시스 무단전재 및 재배포 금지", "뉴시스")],
)
def test_outlet_from_copyright_lines(line, outlet):
    a = clean(src(f"기사 제목이 여기 있다\n\n정부는 올해 성장률을 2.5%로 올렸다.\n{line}\n"))
    assert a.meta.outlet == outlet


def test_a_site_name_that_is_the_headline_is_dropped_for_the_dateline():
    s = src("[세종=한빛일보] 박지민 기자 = 정부가 내년 예산을 677조4천억원으로 확정했다.", title="정부, 내년 예산 확정",
            meta=Meta(outlet="정부, 내년 예산 확정"))
    assert clean(s).meta.outlet == "한빛일보"
