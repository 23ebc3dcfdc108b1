"""Cleaning, line by line: what each kind of page furniture is classified as, where lines stand, and the
invariant that every line of a page is either in the body or removed with a reason."""

import json
import re

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from summarize.cli import main
from summarize.errors import Rejected
from summarize.records import Meta, Source
from summarize.stages.cleaning import clean, line_kind


def src(text, **kw):
    return Source(path="x.txt", text=text, encoding="utf-8", sha256="0", kind="text", **kw)


# (line, the class it gets wherever it stands; None: it may be content)
LINES = [
    # viewer notices of portals and sites
    ("본문 듣기", "widget"),
    ("텍스트 음성 변환 서비스 사용하기", "notice"),
    ("이 기사는 언론사에서 사회 섹션으로 분류했습니다.", "notice"),
    ("읽어주기 기능은 크롬기반의 브라우저에서만 사용하실 수 있습니다.", "notice"),
    ("기사 제공 한빛일보", "notice"),
    ("▶연합뉴스 앱 지금 바로 다운받기~", "notice"),
    # dates in the forms pages print them
    ("입력 | 2022-09-07 15:02", "date"),
    ("• 승인 2022.11.28 15:54", "date"),
    ("기사입력 2019-01-31 18:46:50", "date"),
    ("2019-01-31 18:46:50", "date"),
    ("송고2024-05-23 11:52", "date"),
    ("2024/05/23 11:52 송고", "date"),
    ("2020. 11.20(금) 18:49", "date"),
    ("입력 2025.03.12. 오후 2:20 기사원문", "date"),
    # bylines and sign-offs
    ("홍길동 기자", "byline"),
    ("홍길동 기자 hong@yna.co.kr", "byline"),
    ("김철수·이영희 기자", "byline"),
    ("KBS 뉴스 김민수입니다.", "broadcast"),
    ("MBC뉴스 이지은입니다.", "broadcast"),
    ("국민의힘 대변인 김민준", "byline"),
    # broadcast furniture
    ("[앵커]", "broadcast"),
    ("[기자]", "broadcast"),
    ("◀ 리포트 ▶", "broadcast"),
    ("촬영기자:김철수 영상편집:이영희", "broadcast"),
    ("(영상취재: 박민호 / 영상편집: 오지현)", "broadcast"),
    ("이 소식, 재난미디어센터 이호준 기자와 자세히 알아보겠습니다.", "broadcast"),
    ("김수진 기자가 보도합니다.", "broadcast"),
    # captions and credits
    ("▲ 10일 서울 용산구 박물관을 찾은 관람객들이 전시를 보고 있다.", "caption"),
    ("(사진=연합뉴스)", "credit"),
    ("[사진 = 뉴스1]", "credit"),
    ("18일 서울 강남구 도로가 물에 잠겨 있다. 2024.7.18/뉴스1", "caption"),
    ("시민들이 우산을 쓰고 출근하고 있다. [사진=한빛일보 DB]", "caption"),
    # lists of other articles, ads, comments, footers
    ("관련 기사", "related"),
    ("이 시각 많이 본 뉴스", "related"),
    ("▶ 관련기사 : 성장률 상향 배경은", "related"),
    ("서울 아파트값 5주 연속 상승 2024.05.01 15:32", "related"),
    ("코스피 2,600선 회복…외국인 순매수 3시간 전", "related"),
    ("전 품목 93% SALE 100% 환불보장", "ad"),
    ("댓글 12", "comment"),
    ("로그인 후 이용하실 수 있습니다", "notice"),
    ("0/300자", "comment"),
    ("제보 02-398-8585", "contact"),
    ("카카오톡 okjebo", "contact"),
    ("hong@yna.co.kr", "contact"),
    ("등록번호 서울 아 00000 | 발행인 홍길동", "footer"),
    ("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "copyright"),
    ("@2004 한국기자협회 무단전재 및 재배포 금지", "copyright"),
    ("#경제 #성장률", "hashtags"),
    ("(끝)", "end"),
    ("홈 > 경제 > 금융", "menu"),
    ("정치 경제 사회 국제 문화 스포츠", "menu"),
    ("조회 1,234 | 추천 5", "board"),
    ("보도자료", "release"),
    ("담당 부서 감염병정책국 과장 홍길동 043-719-1234", "contact"),
    ("붙임 1. 국내 발생 현황", "release"),
    ("[속보]", "tag"),
    ("https://www.example.co.kr/news/12345", "link"),
    # content stays content, whatever words it holds
    ("정부는 올해 성장률 전망치를 2.5%로 올렸다고 밝혔다.", None),
    ("백화점들은 주말 동안 최대 70% 할인 행사를 연다고 밝혔다.", None),
    ("문의는 시청 민원실로 하면 된다고 시는 설명했다.", None),
    ("○ 신규 확진자 1,234명(국내 1,200명, 해외 34명)", None),
    ("- 사망자 누계 25,000명, 치명률 0.11%", None),
    ("서울 1,234 5.6%", None),
    ("이창용 한은 총재는 \"물가가 안정될 때까지 긴축하겠다\"고 말했다.", None),
    ("한은, 기준금리 3.50% 동결…\"물가 안정이 우선\"", None),
]


@pytest.mark.parametrize("line,kind", LINES, ids=[x[0][:24] for x in LINES])
def test_line_kinds(line, kind):
    found = line_kind(line)
    assert (found[0] if found else None) == kind, found


PARA = "정부는 올해 경제성장률 전망치를 2.5%로 올렸다고 밝혔다. 수출 회복세가 뚜렷하다는 판단이다."
PARA2 = "기획재정부는 하반기 물가 상승률이 2%대 중반에 머물 것으로 내다봤다."

# (name, page, expected title, expected paragraphs, expected meta fields)
PAGES = [
    ("no headline: the lead stays in the body", f"{PARA}\n\n{PARA2}\n", None, (PARA, PARA2), {}),
    ("no headline after a menu and a date line", f"정치 경제 사회\n입력 | 2022-09-07 15:02\n\n{PARA}\n{PARA2}\n", None,
     (PARA, PARA2), {"published": "2022-09-07T15:02"}),
    ("a board label is not a headline", f"기사/뉴스\n조회 1,024 | 추천 3\n{PARA}\n", None, (PARA,), {}),
    ("a byline below the top takes nothing above it",
     f"성장률 전망 2.5%로 상향\n\n{PARA}\n홍길동 기자\n{PARA2}\n", "성장률 전망 2.5%로 상향",
     (PARA, PARA2), {"author": "홍길동"}),
    ("a signature with an e-mail closes the article: a reader's comment after it is not the article",
     f"성장률 전망 2.5%로 상향\n\n{PARA}\n홍길동 기자 hong@example.com\n\n이번엔 정말 오를까요? 다들 어떻게 보세요?\n",
     "성장률 전망 2.5%로 상향", (PARA,), {"author": "홍길동"}),
    ("fact bullets with ▶ inside the article, a list of ▶ links after it",
     f"지질 검사 기준 발표\n{PARA}\n진단 기준은 다음과 같다.\n▶ 총콜레스테롤 240 이상\n▶ 중성지방 200 이상\n{PARA2}\n"
     "▶ 콜레스테롤 낮추는 식단 5가지\n▶ 운동 30분의 효과\n", "지질 검사 기준 발표",
     (PARA, "진단 기준은 다음과 같다.", "총콜레스테롤 240 이상", "중성지방 200 이상", PARA2), {}),
    ("fact bullets of a press release are body",
     "보도자료\n코로나19 국내 발생 현황\n○ 신규 확진자 1,234명(국내 1,200명, 해외 34명)\n○ 사망자 12명, 위중증 150명\n"
     "담당 부서 감염병정책국 과장 홍길동 043-719-1234\n", "코로나19 국내 발생 현황",
     ("신규 확진자 1,234명(국내 1,200명, 해외 34명)", "사망자 12명, 위중증 150명"), {}),
    ("a lead after two photo credits is not a caption",
     f"정부, 성장률 전망 상향\n(사진=연합뉴스)\n(사진=연합뉴스)\n{PARA}\n", "정부, 성장률 전망 상향", (PARA,), {}),
    ("a caption under its credit is a caption",
     f"정부, 성장률 전망 상향\n\n{PARA}\n[사진 = 연합뉴스]\n23일 서울 중구 한 시장에서 시민들이 장을 보고 있다.\n{PARA2}\n",
     "정부, 성장률 전망 상향", (PARA, PARA2), {}),
    ("a lead printed twice is kept once",
     f"정부, 성장률 전망 상향\n{PARA}\n▲ 23일 서울의 한 시장 모습.\n{PARA}\n{PARA2}\n", "정부, 성장률 전망 상향", (PARA, PARA2), {}),
    ("a related list in the middle, then the article goes on",
     f"정부, 성장률 전망 상향\n{PARA}\n\n관련기사\n성장률 상향 배경은\n수출 8개월 연속 증가\n\n{PARA2}\n",
     "정부, 성장률 전망 상향", (PARA, PARA2), {}),
    ("meta: place and reporter, the agency is not an author",
     "[잠실=뉴시스] 박연준 기자 = 두산이 LG를 5-3으로 꺾고 3연승을 달렸다. 선발 곽빈은 6이닝 1실점으로 호투했다.\n", None,
     ("두산이 LG를 5-3으로 꺾고 3연승을 달렸다. 선발 곽빈은 6이닝 1실점으로 호투했다.",), {"outlet": "뉴시스", "author": "박연준"}),
    ("meta: a copyright line's year is not the outlet",
     f"정부, 성장률 전망 상향\n{PARA}\n@2004 한국기자협회 무단전재 및 재배포 금지\n", "정부, 성장률 전망 상향", (PARA,),
     {"outlet": "한국기자협회"}),
    ("meta: the first publication time, not the last edit",
     f"정부, 성장률 전망 상향\n수정 2022-11-29 09:00\n• 승인 2022.11.28 15:54\n{PARA}\n", "정부, 성장률 전망 상향", (PARA,),
     {"published": "2022-11-28T15:54"}),
    ("meta: a source address in the page",
     f"정부, 성장률 전망 상향\n{PARA}\n원문: https://news.example.co.kr/a/1\n", "정부, 성장률 전망 상향", (PARA,),
     {"url": "https://news.example.co.kr/a/1"}),
]


@pytest.mark.parametrize("name,page,title,paragraphs,meta", PAGES, ids=[p[0] for p in PAGES])
def test_pages(name, page, title, paragraphs, meta):
    a = clean(src(page))
    assert a.title == title
    assert a.paragraphs == paragraphs
    for key, value in meta.items():
        assert getattr(a.meta, key) == value, (key, a.meta)


BROADCAST = """가습기살균제 조정안 사실상 무산
입력 2022.04.06 (23:40)
읽어주기 기능은 크롬기반의 브라우저에서만 사용하실 수 있습니다.
[앵커]
피해자 구제를 위한 조정안이 발표된 지 일주일 만에 무산될 위기에 놓였습니다.
두 기업이 조정안을 받아들이지 않았기 때문입니다.
이 소식, 재난미디어센터 이호준 기자와 자세히 알아보겠습니다.
[기자]
조정안은 지원금을 낼 9개 회사가 모두 동의해야 효력이 생깁니다.
[박하늘 / 피해자 가족 : 11년을 기다렸는데 또 기다리라는 겁니까.]
[앵커]
그렇다면 두 기업이 거부한 이유는 무엇입니까?
[기자]
결국 분담금 문제로 보입니다.
KBS 뉴스 이호준입니다.
촬영기자:김철수 영상편집:이영희
"""


def test_broadcast_script():
    a = clean(src(BROADCAST))
    assert a.title == "가습기살균제 조정안 사실상 무산"
    assert a.paragraphs == (
        "피해자 구제를 위한 조정안이 발표된 지 일주일 만에 무산될 위기에 놓였습니다.",
        "두 기업이 조정안을 받아들이지 않았기 때문입니다.",
        "조정안은 지원금을 낼 9개 회사가 모두 동의해야 효력이 생깁니다.",
        "11년을 기다렸는데 또 기다리라는 겁니까.",
        "결국 분담금 문제로 보입니다.",
    )
    assert a.spoken == ((3, "박하늘", "피해자 가족"),)
    kinds = {x.text: x.kind for x in a.lines}
    assert kinds["그렇다면 두 기업이 거부한 이유는 무엇입니까?"] == "broadcast"  # the anchor's question
    assert kinds["KBS 뉴스 이호준입니다."] == "broadcast" and a.meta.author == "이호준" and a.meta.outlet == "KBS"


def test_a_page_of_furniture_only_is_rejected_with_its_classes():
    with pytest.raises(Rejected, match=r"no article body: every line was classified away \(.*widget") as e:
        clean(src("글자크기\n인쇄\n관련기사\n댓글 3\n"))
    assert [x.kind for x in e.value.lines] == ["widget", "widget", "related", "comment"]


def test_hashtags_do_not_backtrack():
    import time

    t0 = time.perf_counter()
    line_kind("#정치" * 200 + " 끝")
    assert time.perf_counter() - t0 < 0.5


def _every_line_accounted_for(page_text: str, article) -> list[str]:
    """Lines of the page that are neither in the body (less the parts cut, which are recorded) nor removed."""
    from summarize.stages.cleaning import BULLET_MARK, normalise

    body = "".join("".join(p.split()) for p in article.paragraphs)
    cut = {c.no: "".join(c.text.split()) for c in article.cuts}
    by_no = {x.no: x for x in article.lines}
    lost = []
    for no, line in enumerate(normalise(page_text).split("\n"), 1):
        if not line:
            continue
        x = by_no.get(no)
        if x is None:
            lost.append(f"{no}: not classified: {line}")
        elif x.kind == "body":
            rest = "".join(BULLET_MARK.sub("", line, count=1).split())  # a bullet's mark is layout
            for c in [c for c in article.cuts if c.no == no]:
                for piece in re.split(r"\s*…\s*", c.text):
                    rest = rest.replace("".join(piece.split()), "", 1)
            if rest and rest not in body:
                lost.append(f"{no}: body line not in the paragraphs: {line} ({cut.get(no)})")
        elif not x.rule:
            lost.append(f"{no}: removed without a rule: {line}")
    return lost


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html")))
def test_every_line_of_the_samples_is_body_or_removed_with_a_reason(name):
    from summarize.stages.reading import read_source

    source = read_source(SAMPLES / name, SAMPLES)
    a = clean(source)
    assert _every_line_accounted_for(source.text, a) == []


@pytest.mark.parametrize("page", [BROADCAST] + [p[1] for p in PAGES], ids=["broadcast"] + [p[0] for p in PAGES])
def test_every_line_of_the_test_pages_is_body_or_removed_with_a_reason(page):
    assert _every_line_accounted_for(page, clean(src(page))) == []


def test_explain_through_the_cli(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text(BROADCAST, encoding="utf-8")
    r = CliRunner().invoke(main, ["explain", str(p), "--full"])
    assert r.exit_code == 0, r.output
    assert "headline: 가습기살균제 조정안 사실상 무산" in r.output
    assert re.search(r"^\s+3\s+notice\s+읽어주기 기능은 .*← a notice", r.output, re.M)
    assert re.search(r"^\s+16\s+broadcast\s+촬영기자:김철수 영상편집:이영희\s+← a broadcast credit", r.output, re.M)
    r = CliRunner().invoke(main, ["explain", str(p), "--only", "body"])
    assert "읽어주기" not in r.output and "조정안은 지원금을" in r.output
    junk = tmp_path / "junk.txt"
    junk.write_text("글자크기\n인쇄\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["explain", str(junk)])
    assert r.exit_code == 1 and "rejected: no article body" in r.output and "widget" in r.output


def test_the_json_brief_lists_every_removed_line(tmp_path):
    from conftest import FakeTranslator

    from summarize import BriefOptions, run

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text(BROADCAST, encoding="utf-8")
    out = tmp_path / "out"
    report = run(inbox, out, BriefOptions(model="fake/model"), translator_factory=lambda s, o: FakeTranslator())
    assert report.ok
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    removed = {r["text"]: (r["class"], r["rule"]) for r in data["removed"]}
    assert removed["KBS 뉴스 이호준입니다."][0] == "broadcast"
    assert removed["[앵커]"] == ("broadcast", "a broadcast script marker ([앵커], [기자], ◀ 리포트 ▶)")
    assert data["meta"]["outlet"] == "KBS"


def test_no_headline_brief_says_so(tmp_path):
    from conftest import FakeTranslator

    from summarize import BriefOptions, run

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text(f"{PARA}\n\n{PARA2}\n", encoding="utf-8")
    out = tmp_path / "out"
    report = run(inbox, out, BriefOptions(model="fake/model"), translator_factory=lambda s, o: FakeTranslator())
    assert report.ok
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert data["title"]["ko"] is None and data["title"]["from"] == "summary"
    assert data["title"]["en"] == data["summary"][0]["en"]
    md = (out / "a.md").read_text(encoding="utf-8")
    assert "The page has no headline" in md
    assert data["sentences"][0]["ko"].startswith("정부는 올해")  # the lead is in the body


def test_meta_from_an_html_page_with_canonical_url(tmp_path):
    from summarize.stages.reading import read_source

    html = f"""<html><head><meta property="og:title" content="정부, 성장률 전망 상향">
    <link rel="canonical" href="https://news.example.co.kr/article/123">
    <meta property="article:section" content="경제"></head><body>
    <nav><a>정치</a><a>경제</a></nav><h1>정부, 성장률 전망 상향</h1>
    <div class="article"><p>{PARA}</p><p>{PARA2}</p></div>
    <div class="related"><h3>관련기사</h3><ul><li><a>수출 8개월 연속 증가 2024.05.01 15:32</a></li></ul></div>
    <footer>등록번호 서울 아 00000</footer></body></html>"""
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    a = clean(read_source(tmp_path / "a.html", tmp_path))
    assert a.title == "정부, 성장률 전망 상향" and a.paragraphs == (PARA, PARA2)
    assert a.meta.url == "https://news.example.co.kr/article/123" and a.meta.section == "경제"
    assert {x.kind for x in a.lines if "수출 8개월" in x.text} == {"related"}


def test_markdown_front_matter(tmp_path):
    from summarize.stages.reading import read_source

    md = f"---\ntitle: 정부, 성장률 전망 상향\nurl: https://news.example.co.kr/a/9\ndate: 2024-05-23\n---\n\n{PARA}\n"
    (tmp_path / "a.md").write_text(md, encoding="utf-8")
    a = clean(read_source(tmp_path / "a.md", tmp_path))
    assert a.title == "정부, 성장률 전망 상향" and a.paragraphs == (PARA,)
    assert a.meta == Meta(url="https://news.example.co.kr/a/9", published="2024-05-23")


def test_every_line_class_is_named_once_and_described():
    from summarize.records import LINE_CLASSES
    from summarize.stages.cleaning import KINDS

    assert list(KINDS) == list(LINE_CLASSES)  # the records' names, in the same order, each described
    assert all(KINDS[k].strip() for k in LINE_CLASSES)


def test_explain_help_names_every_line_class():
    from summarize.records import LINE_CLASSES

    r = CliRunner().invoke(main, ["explain", "--help"])
    listed = " ".join(r.output.split()).split("The classes: ")[1].split(". Exit code")[0].split(", ")
    assert listed == list(LINE_CLASSES)
