"""Cleaning: split a saved news page into headline, metadata and body paragraphs.

The rules are general ones that hold across Korean outlets, not tuned to one page:
bylines and reporter e-mails, datelines at the start of the lead, breaking tags,
photo captions, share/print/font widgets, copyright lines, related-article links,
hashtag lines, and everything after the article ends (most-read lists, menus).
"""

from __future__ import annotations

import re
import unicodedata

from .errors import Rejected
from .types import Article, Meta, Source

__all__ = ["clean", "strip_dateline", "hangul_ratio"]

REPORTER_TITLES = r"(?:기자|특파원|선임기자|객원기자|수습기자|인턴기자|통신원|논설위원|전문기자|기상캐스터)"
_NAME = r"[가-힣]{2,4}"
_NAMES = rf"(?<![가-힣]){_NAME}(?:\s?[·,ㆍ]\s?{_NAME}|\s{_NAME}(?=\s?{REPORTER_TITLES}|\s{_NAME}))*"
_BRACKET = r"[\[【(<〔［]\s*(?P<b>[^\]】)>〕］\n]{1,40}?)\s*[\]】)>〕］]"
_REPORTER = rf"(?P<names>{_NAMES})\s?{REPORTER_TITLES}"

# [서울=뉴스1] 홍길동 기자 = / (서울=연합뉴스) 홍길동 기자 = / 【세종=뉴시스】홍길동 기자 = / [세계뉴스] 권태옥 기자 =
DATELINE = re.compile(rf"^\s*(?:{_BRACKET}\s*)?(?:{_REPORTER}\s*)?=\s*")
# [이데일리 홍길동 기자] / [헤럴드경제=홍길동 기자] / (서울=연합뉴스) without a reporter
DATELINE_BRACKET = re.compile(rf"^\s*{_BRACKET}\s*")

BREAKING = re.compile(r"^\s*[\[【(<]?\s*(?:속\s?보|단\s?독|종합|긴급|\d보|업데이트|포토|영상|사설|칼럼|인터뷰|르포)\s*[\]】)>]?\s*$")
TITLE_TAG = re.compile(r"^\s*[\[【(<]\s*(?:속\s?보|단\s?독|종합\d?보?|긴급|\d보|업데이트|포토|영상|인터뷰|르포|사설|칼럼|기고|카드뉴스)\s*[\]】)>]\s*")

WIDGETS = {
    "글자크기", "글자 크기", "글씨크기", "글씨 크기", "글자크기 설정", "+", "-", "가", "가+", "가-", "인쇄", "인쇄하기", "프린트",
    "공유", "공유하기", "기사공유", "스크랩", "기사저장", "저장", "메일", "이메일", "메일보내기", "닫기", "URL복사", "url복사",
    "URL 복사", "링크복사", "링크 복사", "주소복사", "페이스북", "트위터", "카카오톡", "카카오스토리", "네이버밴드", "밴드",
    "좋아요", "싫어요", "추천", "추천하기", "구독", "구독하기", "기자 구독", "댓글", "댓글쓰기", "목록", "목록보기", "맨위로",
    "TOP", "top", "뉴스듣기", "기사듣기", "본문듣기", "본문 듣기", "음성으로 듣기", "번역", "번역하기", "기사 스크랩", "SNS 공유",
    "글자작게", "글자크게", "확대", "축소", "다음", "이전", "이전기사", "다음기사", "기사원문", "원문보기", "광고", "AD",
}
WIDGET_WORDS = re.compile(r"(?:보내기|공유하기|다른\s?기사\s?보기|기사\s?더\s?보기|구독하기|바로가기|기사제보|제보하기)")
END_MARKERS = re.compile(
    r"^(?:많이\s?본\s?(?:뉴스|기사)|많이\s?읽은\s?(?:뉴스|기사)|인기\s?(?:기사|뉴스)|헤드라인|포토\s?뉴스|포토|"
    r"관련\s?(?:기사|뉴스)|이\s?시각\s?(?:주요|많이\s?본)?\s?뉴스|주요\s?뉴스|최신\s?(?:기사|뉴스)|실시간\s?(?:뉴스|인기)|추천\s?(?:기사|뉴스)|"
    r"오늘의\s?(?:주요\s?)?뉴스|전체\s?메뉴|섹션별\s?기사|가장\s?많이\s?본.*|핫\s?이슈|이슈\s?&\s?토픽|기자\s?PICK|에디터\s?PICK|"
    r"함께\s?보면\s?좋은\s?기사|이\s?기사를\s?공유합니다|댓글\s?\d*|독자\s?의견|SNS\s?공유|회사소개|개인정보\s?처리방침|청소년\s?보호정책|"
    r"이용약관|광고문의|기사\s?제보)\s*[>▶›»]?\s*$"
)
COPYRIGHT = re.compile(r"ⓒ|©|Copyright|copyright|무단\s?전재|재배포\s?금지|저작권자")
CAPTION_START = re.compile(r"^\s*[▲△▶▷▽▼◀◁☞]")
SUBHEAD_START = re.compile(r"^\s*[■□◆◇●○◎※★☆]")
_CREDIT = r"[(\[<]\s*(?:{words})\s*{sep}\s*[^)\]>]{{0,40}}[)\]>]"
# (사진=연합뉴스) inside a line; [사진 = 연합뉴스] on a line of its own, with its caption on the next
PHOTO_CREDIT = re.compile(_CREDIT.format(words="사진|그래픽|자료|영상|출처|제공|이미지", sep="[=:]"))
PHOTO_CREDIT_LINE = re.compile(rf"^\s*{_CREDIT.format(words='사진|그래픽|이미지|영상', sep='[=:]?')}\s*$")
PHOTO_INLINE = re.compile(r"\s?[(\[]\s*(?:사진|사진\s?왼쪽|사진\s?오른쪽|작은\s?사진|오른쪽|왼쪽)\s*[)\]]")
CAPTION_LINE = re.compile(
    r"(?:^\s*(?:사진|그래픽|자료사진|이미지)\s*[=:/]|[(\[<]\s*(?:사진|그래픽|자료|출처|이미지)\s*[=:][^)\]>]*[)\]>]\s*$|"
    r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*/\s*\S+(?:\s.*)?$|ⓒ\s?News1|\[[가-힣A-Za-z]+\s?(?:자료)?사진\]\s*$|/\s?(?:연합뉴스|뉴스1|뉴시스)\s*$)"
)
HASHTAGS = re.compile(r"^\s*(?:#\S+\s*){1,}$")
URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DATE_IN_LINE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-./년]\s*(?P<m>\d{1,2})\s*[-./월]\s*(?P<d>\d{1,2})\s*일?\.?"
    r"(?:\s*(?:\(\S\)\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
DATE_LINE = re.compile(r"^\s*(?:입력|수정|승인|등록|게재|발행|기사입력|최종수정|업데이트|송고)\s*[:：]?\s*(?:19|20)\d{2}")
BREADCRUMB = re.compile(r"^\s*[^\s.]+(?:\s*[>›»|]\s*[^\s|>›»]+(?:\s[^\s|>›»]+)?)+\s*$")
END_OF_ARTICLE = re.compile(r"^\s*(?:\(끝\)|/끝/|<끝>|\[끝\]|-끝-|\(END\))\s*$")
SIGNATURE = re.compile(
    rf"^\s*[/<\[(]?\s*(?P<names>{_NAMES})\s?{REPORTER_TITLES}\s*[>\])]?\s*(?:[(<\[]?\s*{EMAIL.pattern}\s*[)>\]]?)?\s*$"
)
EMAIL_ONLY = re.compile(rf"^\s*[(<\[]?\s*{EMAIL.pattern}\s*[)>\]]?\s*$")
WIDGET_LINE = re.compile(r"^(?:글자\s?크기|글씨\s?크기|폰트\s?크기|본문\s?글자|기사\s?듣기|음성\s?듣기)")
BYLINE = re.compile(rf"(?P<names>{_NAMES})\s?{REPORTER_TITLES}(?:\s|$|[|/,]|{EMAIL.pattern})")
TRAILING_SIGNATURE = re.compile(
    rf"\s*(?:[/<\[(]\s*)?(?:{_NAMES}\s?{REPORTER_TITLES}\s*)?[>\])]?\s*{EMAIL.pattern}\s*$|\s*/\s*{_NAMES}\s?{REPORTER_TITLES}\s*$"
)
SENTENCE_END = re.compile(r"(?:[.!?。]|[다요죠까][.!?]?)[\"'”’」』)\]]*\s*$")
HANGUL = re.compile(r"[가-힣]")
# A line that ends with a particle or a connective goes on in the next line: body text, not a sub-headline.
CONTINUES = re.compile(r"(?:을|를|은|는|와|과|에서|으로|에게|하고|하며|하면|했고|이며|이고|지만|는데|면서)$")
LETTER = re.compile(r"[^\W\d_]")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2002\u2003\u2009\u3000]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))


def hangul_ratio(text: str) -> float:
    letters = LETTER.findall(text)
    if not letters:
        return 0.0
    return len(HANGUL.findall(text)) / len(letters)


def _unbullet(line: str) -> str:
    return re.sub(r"^[•·ㆍ*\-–—]\s+", "", line).strip()


def _is_widget(line: str) -> bool:
    s = _unbullet(line)
    if s in WIDGETS or (line.strip() in WIDGETS):
        return True
    if len(s) <= 40 and WIDGET_WORDS.search(s) and not SENTENCE_END.search(s):
        return True
    # a row of widget words: "페이스북 트위터 카카오톡 URL복사"
    words = s.split()
    return len(words) > 1 and all(w in WIDGETS or WIDGET_WORDS.search(w) for w in words)


def _is_junk(line: str) -> bool:
    """Lines that never belong to the body, wherever they stand."""
    s = line.strip()
    return bool(
        _is_widget(s)
        or BREAKING.match(s)
        or CAPTION_START.match(s)
        or HASHTAGS.match(s)
        or URL_ONLY.match(s)
        or END_OF_ARTICLE.match(s)
        or DATE_LINE.match(s)
        or EMAIL_ONLY.match(s)
        or WIDGET_LINE.match(_unbullet(s))
        or (CAPTION_LINE.search(s) and not s.startswith(("“", '"')))
        or re.fullmatch(r"[\W_]+", s)
    )


def _is_byline(line: str) -> bool:
    s = line.strip()
    if SIGNATURE.match(s):
        return True
    if len(s) > 100 or SENTENCE_END.search(s) and not DATE_IN_LINE.search(s):
        return False
    return bool(BYLINE.search(s) and (EMAIL.search(s) or DATE_IN_LINE.search(s) or len(s) < 40))


def _date_of(line: str) -> str | None:
    m = DATE_IN_LINE.search(line)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    out = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"]:
        out += f"T{int(m['H']):02d}:{m['M']}" + (f":{m['S']}" if m["S"] else "")
    return out


def _meta_author(value: str | None) -> str | None:
    """An author from page metadata, if it is a name: extractors sometimes hand over a whole byline."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[가-힣]{2,4}", value):
        return value
    m = BYLINE.search(value)
    return m.group("names") if m else None


def _author_of(line: str) -> str | None:
    m = BYLINE.search(line) or SIGNATURE.match(line)
    return m.group("names") if m else None


def _outlet_of_copyright(line: str) -> str | None:
    m = re.search(r"(?:ⓒ|©|Copyright|\([cC]\))\s*(?:ⓒ|©|\([cC]\))?\s*(?P<o>[^<>\[\]]*?)\s*(?:무단|All rights|$|[>\]])", line)
    if not m:
        return None
    o = m.group("o").strip(" .,")
    if "," in o or len(o.split()) > 2:  # "경제를 보는 눈, 세계를 보는 창 아시아경제": the slogan's last word
        o = re.split(r"[,\s]+", o)[-1]
    return o.strip(" .,") or None


def strip_dateline(par: str) -> tuple[str, str | None, str | None]:
    """Remove a dateline/credit from the start of a paragraph: (text, outlet, author)."""
    m = DATELINE.match(par)
    if m and (m.group("b") or m.group("names")):
        outlet, author = _bracket_outlet(m.group("b")), m.group("names")
        return par[m.end():], outlet, author
    m = DATELINE_BRACKET.match(par)
    if m:
        b = m.group("b").strip()
        if "=" in b:
            am = re.search(_REPORTER, b)
            return par[m.end():], _bracket_outlet(b), (am.group("names") if am else None)
        om = re.fullmatch(rf"(?P<o>\S+)\s+(?P<names>{_NAMES})\s?{REPORTER_TITLES}", b)
        if om:  # [이데일리 홍길동 기자]
            return par[m.end():], om.group("o"), om.group("names")
    m = re.match(rf"^\s*{_REPORTER}\s*=\s*", par)
    if m:
        return par[m.end():], None, m.group("names")
    return par, None, None


def _bracket_outlet(b: str | None) -> str | None:
    if not b:
        return None
    b = b.strip()
    if "=" in b:
        left, right = (x.strip() for x in b.split("=", 1))
        if re.search(REPORTER_TITLES, right):
            return left or None  # [헤럴드경제=홍길동 기자]
        return right or None  # (서울=연합뉴스)
    b = re.sub(rf"\s*{_REPORTER}.*$", "", b).strip()
    return b or None


def _strip_inline(par: str) -> str:
    par = PHOTO_CREDIT.sub("", par)
    par = PHOTO_INLINE.sub("", par)
    par = TRAILING_SIGNATURE.sub("", par)
    return re.sub(r"\s{2,}", " ", par).strip()


def clean(source: Source, min_hangul: float = 0.3) -> Article:
    """Headline, metadata and body paragraphs of a decoded article. Raises Rejected."""
    lines = normalise(source.text).split("\n")
    outlet, author, published = source.meta.outlet, _meta_author(source.meta.author), source.meta.published
    title = _clean_title(source.title) if source.title else None
    if outlet and (len(outlet) > 30 or (title and (outlet in title or title in outlet))):
        outlet = None  # an extractor's guess that is really the headline

    # 1. the headline: given by the page, or the first line that can be one
    i = 0
    if title is None:
        while i < len(lines):
            s = lines[i].strip()
            if s and (_is_byline(s) or DATE_LINE.match(s)):
                author = author or (_author_of(s) if _is_byline(s) else None)
                published = published or _date_of(s)
            elif s and DATE_IN_LINE.search(s) and (_is_junk(s) or BREADCRUMB.match(s)):
                published = published or _date_of(s)
            elif s and _could_be_title(s):
                title = _clean_title(s)
                i += 1
                break
            i += 1
    if not title:
        ratio = hangul_ratio(" ".join(lines))
        if lines and ratio < min_hangul and LETTER.search(" ".join(lines)):
            raise Rejected(f"not Korean text ({ratio:.0%} of the letters are Hangul)")
        raise Rejected("no headline or article body found")

    # 2. the header: deck lines up to the byline, when a byline comes soon after the headline
    header_end = None
    seen = 0
    for j in range(i, len(lines)):
        s = lines[j].strip()
        if DATE_LINE.match(s) or DATE_IN_LINE.search(s) and (_is_junk(s) or BREADCRUMB.match(s)):
            published = published or _date_of(s)
        if not s or _is_junk(s):
            continue
        if _is_byline(s):
            header_end = j
            break
        seen += 1
        if seen > 4 or len(s) > 200:
            break
    deck: list[str] = []
    if header_end is not None:
        for j in range(i, header_end):
            s = lines[j].strip()
            if s and not _is_junk(s) and s != title:
                deck.append(s)
        s = lines[header_end]
        author = author or _author_of(s)
        published = published or _date_of(s)
        i = header_end + 1

    # 3. the body, up to the end of the article
    blocks: list[list[str]] = [[]]
    body_started = False
    copyright_outlet = None
    caption_next = False
    for j in range(i, len(lines)):
        s = lines[j].strip()
        if not s:
            if blocks[-1]:
                blocks.append([])
            continue
        if COPYRIGHT.search(s) and len(s) < 150:
            copyright_outlet = copyright_outlet or _outlet_of_copyright(s)
            if body_started:
                break
            continue
        if END_MARKERS.match(_unbullet(s)) and body_started:
            break
        if DATE_LINE.match(s):
            published = published or _date_of(s)
        if PHOTO_CREDIT_LINE.match(s):
            caption_next = True  # [사진 = 연합뉴스] on its own line: the next short line is its caption
            continue
        if caption_next:
            caption_next = False
            if len(s) < 150 and not re.search(r"[“\"]", s):
                continue
        if _is_junk(s) or END_MARKERS.match(_unbullet(s)) or BREADCRUMB.match(s) and not SENTENCE_END.search(s):
            continue
        if _is_byline(s):
            author = author or _author_of(s)
            published = published or _date_of(s)
            continue
        if s == title or _clean_title(s) == title:
            continue
        if SUBHEAD_START.match(s) and not SENTENCE_END.search(s):
            continue
        if (not body_started and not SENTENCE_END.search(s) and len(s) < 80 and not DATELINE.match(s)
                and not CONTINUES.search(s)):
            deck.append(s)  # a sub-headline without a byline after it
            continue
        body_started = True
        blocks[-1].append(s)

    paragraphs: list[str] = []
    for block in blocks:
        for par in _join_wrapped(block):
            stripped, o, a = strip_dateline(par)
            outlet = outlet or o
            author = author or a
            par = _strip_inline(stripped)
            if par and HANGUL.search(par):
                paragraphs.append(par)
    outlet = outlet or copyright_outlet  # a dateline names the outlet more reliably than a footer
    if not paragraphs:
        raise Rejected("no article body left after cleaning")
    ratio = hangul_ratio(" ".join(paragraphs))
    if ratio < min_hangul:
        raise Rejected(f"not Korean text ({ratio:.0%} of the letters are Hangul)")
    return Article(
        title=title,
        meta=Meta(outlet=_tidy(outlet), author=_tidy(author), published=published),
        paragraphs=tuple(paragraphs),
        deck=tuple(d for d in deck if d != title),
    )


def _could_be_title(s: str) -> bool:
    """A headline: Hangul, a few words, and none of the page furniture."""
    if _is_junk(s) or BREADCRUMB.match(s) or END_MARKERS.match(_unbullet(s)) or COPYRIGHT.search(s):
        return False
    core = TITLE_TAG.sub("", s)
    return bool(HANGUL.search(core)) and len(core) >= 8 and " " in core.strip()


def _join_wrapped(block: list[str]) -> list[str]:
    """Lines of one block that were wrapped mid-sentence are joined again."""
    out: list[str] = []
    for line in block:
        if out and not SENTENCE_END.search(out[-1]) and not DATELINE.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _clean_title(title: str) -> str:
    t = normalise(title).replace("\n", " ").strip()
    while True:
        t2 = TITLE_TAG.sub("", t)
        if t2 == t:
            break
        t = t2
    # "제목 - 한국경제" / "제목 | 연합뉴스": the outlet's name after the headline
    t = re.sub(r"\s+[-|–—:]\s+[^\s|–—-]{2,12}(?:\s?[^\s|–—-]{1,12})?$", "", t) if re.search(r"\s[-|–—]\s", t) else t
    return t.strip()


def _tidy(s: str | None) -> str | None:
    if s is None:
        return None
    s = s.strip(" .,|")
    return s or None
