"""Cleaning: classify every line of a saved news page, and keep the article.

Each line gets a class (`KINDS`) and the rule that gave it, so that nothing a page holds is
dropped without a reason: `Article.lines` lists them all, `summarize explain FILE` prints them.

Two kinds of evidence decide a line's class:

1. What the line is, wherever it stands: a viewer notice, a photo caption or credit, a
   related-article list, an ad, a comment widget, a footer with phone numbers, a broadcast
   script's markers, a date line, a byline (`LINE_RULES`, one table row a rule).
2. Where it stands: the headline is a line that reads like one before the lead; decks stand
   between the headline and the lead; the body runs from the lead to the article's end (a
   copyright notice, an end mark, a footer); what comes after is not the article. On an HTML
   page, the markup tells what a block is (navigation, related list, caption, ...), and the
   article extractor (trafilatura) tells which lines are the main content.

Lines that carry facts (bullets, numbered lists, flattened tables) are body whatever their first
character; a block the page prints twice is kept once.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import Rejected
from ..records import Article, Line, LineClass, Meta, Source
from ._text import DOUBLE_SURNAMES, HANGUL, LETTER, SURNAMES, hangul_ratio

__all__ = ["clean", "strip_dateline", "KINDS", "LINE_RULES"]

# The classes a line can get, with what they mean (shown by `summarize explain`).
KINDS = {
    "body": "article text",
    "headline": "the headline",
    "deck": "a sub-headline between the headline and the lead",
    "subhead": "a heading inside the article, not a sentence",
    "byline": "the reporter's name (and e-mail)",
    "date": "the date and time of publication",
    "dateline": "the place and agency before the lead",
    "caption": "a photo caption",
    "credit": "a photo or video credit",
    "menu": "site navigation",
    "widget": "a button or tool (share, print, font size, listen)",
    "notice": "a notice of the site or portal to its readers",
    "related": "links to other articles",
    "ad": "an advertisement",
    "comment": "the comments section",
    "board": "a forum's furniture (board name, poster, views)",
    "release": "a press release's furniture (release time, contacts, attachments)",
    "broadcast": "a broadcast script's furniture (markers, hand-offs, sign-offs, credits)",
    "contact": "phone numbers, e-mails and messenger ids for tips",
    "copyright": "a copyright notice",
    "footer": "the site's footer (address, registration, policies)",
    "link": "a bare web address",
    "hashtags": "hashtags",
    "tag": "a label such as [속보] or [단독]",
    "end": "an end-of-article mark",
    "after-end": "after the end of the article",
    "header": "above the headline",
    "repeated": "a block the page prints twice (kept once)",
    "noise": "symbols without words",
}

REPORTER_TITLES = r"(?:기자|특파원|선임기자|객원기자|수습기자|인턴기자|통신원|논설위원|전문기자|기상캐스터|리포터|앵커)"
_NAME = r"[가-힣]{2,4}"
# one to four names (a byline's reporters); bounded, so that a long run of words costs linear time
_NAMES = rf"(?<![가-힣]){_NAME}(?:\s?[·,ㆍ]\s?{_NAME}|\s{_NAME}(?=\s?{REPORTER_TITLES}|\s{_NAME})){{0,3}}"
_BRACKET = r"[\[【(<〔［]\s*(?P<b>[^\]】)>〕］\n]{1,40}?)\s*[\]】)>〕］]"
_REPORTER = rf"(?P<names>{_NAMES})\s?{REPORTER_TITLES}"

# [서울=뉴스1] 홍길동 기자 = / (서울=연합뉴스) 홍길동 기자 = / 【세종=뉴시스】홍길동 기자 = / [세계뉴스] 권태옥 기자 =
DATELINE = re.compile(rf"^\s*(?:{_BRACKET}\s*)?(?:{_REPORTER}\s*)?=\s*")
# [이데일리 홍길동 기자] / [헤럴드경제=홍길동 기자] / (서울=연합뉴스) without a reporter
DATELINE_BRACKET = re.compile(rf"^\s*{_BRACKET}\s*")
# 잠실=홍길동 기자 / 잠실, 홍길동 기자 (a sports page's venue before the reporter)
PLACE_REPORTER = re.compile(rf"^\s*(?P<place>[가-힣]{{2,6}})\s?[=,]\s?(?P<names>{_NAME})\s?{REPORTER_TITLES}\s*[=]?\s*")

# [속보], [단독], [종합2보], [기획], [날씨], 【사설】: a short label in brackets before a headline
TITLE_TAG = re.compile(r"^\s*[\[【<〈]\s*[가-힣A-Za-z0-9·&/ ]{1,8}\s*[\]】>〉]\s*|^\s*\(\s*(?:속\s?보|단\s?독|종합\d?보?|"
                       r"긴급|\d보|포토|영상|인터뷰|사설|칼럼)\s*\)\s*")
# starts only where a run of address characters starts, and never gives back: linear on any line
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
URL = re.compile(r"https?://\S+|www\.\S+")
PHONE = re.compile(r"(?<![\d.])(?:\(?0\d{1,2}\)?[-.)\s]?\d{3,4}[-.\s]\d{4}|1[5-9]\d{2}-\d{4}|\d{3,4}-\d{4})(?![\d.])")
DATE_IN_LINE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-./년]\s*(?P<m>\d{1,2})\s*[-./월]\s*(?P<d>\d{1,2})\s*일?\.?"
    r"(?:\s*(?:\(\S\)|[월화수목금토일]요일)?\s*\(?\s*(?:(?P<ap>오전|오후|AM|PM|am|pm)\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\)?)?"
)
# A sentence's end: a period after Hangul, 다/요/죠/까, or a press release's nominal end (…함, …임, …됨).
SENTENCE_END = re.compile(r"(?:[.!?。]|[다요죠까][.!?]?|[함음됨임][.]?)[\"'”’」』)\]″]*\s*$")
# Ends as a sentence does, with its period: not a headline.
FULL_STOP = re.compile(r"[가-힣A-Za-z0-9)\"'”’″][.!?。][\"'”’」』)\]″]*\s*$")
# A line that ends with a particle or a connective goes on in the next line.
CONTINUES = re.compile(r"(?:을|를|은|는|와|과|에서|으로|에게|하고|하며|하면|했고|이며|이고|지만|는데|면서|고|며|의|및|또는|등|,)$")
BULLET = re.compile(r"^\s*(?:[○□■◆◇●◎•·ㆍ\-–—*※▷▶►➤✔✓❍ㅇ]|[①-⑳]|\(?\d{1,2}[.)](?!\d)|\(?[가-하][.)](?=\s)|[ⅰ-ⅹⅠ-Ⅹ][.)]?)\s*")
SUBHEAD_MARK = re.compile(r"^\s*[■□◆◇●◎★☆◈▣▨]")
BRACKETED = re.compile(r"^\s*[<〈\[【《]\s*[^<>\[\]【】]{1,50}\s*[>〉\]】》]\s*$")
BULLET_MARK = re.compile(r"^\s*[○□■◆◇●◎•·ㆍ\-–—*※▷▶►➤✔✓❍ㅇ◈▣]\s*(?=\S)")
END_OF_ARTICLE = re.compile(r"^\s*(?:\(끝\)|/끝/|<끝>|\[끝\]|-끝-|끝\.|\(END\)|<END>|\[END\]|/END/)\s*$")

# --------------------------------------------------------------------------- what a line is

WIDGETS = {
    "글자크기", "글자 크기", "글씨크기", "글씨 크기", "글자크기 설정", "+", "-", "가", "가+", "가-", "인쇄", "인쇄하기", "프린트",
    "공유", "공유하기", "기사공유", "스크랩", "기사저장", "저장", "메일", "이메일", "메일보내기", "닫기", "URL복사", "url복사",
    "URL 복사", "링크복사", "링크 복사", "주소복사", "페이스북", "트위터", "엑스", "카카오톡", "카카오스토리", "네이버밴드", "밴드",
    "좋아요", "싫어요", "추천", "추천하기", "구독", "구독하기", "기자 구독", "댓글", "댓글쓰기", "목록", "목록보기", "맨위로",
    "TOP", "top", "뉴스듣기", "기사듣기", "본문듣기", "본문 듣기", "음성으로 듣기", "번역", "번역하기", "기사 스크랩", "SNS 공유",
    "글자작게", "글자크게", "확대", "축소", "다음", "이전", "이전기사", "다음기사", "기사원문", "원문보기", "광고", "AD", "기사 공유",
    "글씨 키우기", "글씨 줄이기", "가가", "공감", "북마크", "텔레그램", "라인", "링크드인", "복사", "보내기", "전체보기", "더보기",
    "스크롤 이동 상태바", "본문 바로가기", "메뉴 바로가기", "검색", "로그인", "로그아웃", "회원가입", "English", "中文", "日本語",
}
WIDGET_WORDS = re.compile(r"(?:보내기|공유하기|다른\s?기사\s?보기|기사\s?더\s?보기|구독하기|바로가기|기사제보|제보하기|글자\s?크기|"
                          r"글씨\s?(?:크기|키우기|줄이기)|폰트\s?크기|인쇄하기|스크랩하기|음성\s?변환|음성으로\s?듣기|본문\s?듣기|"
                          r"기사\s?듣기|뉴스\s?듣기|요약봇|번역하기|URL\s?복사|링크\s?복사|좋아요|훈훈해요|슬퍼요|화나요|후속기사\s?원해요)")
MENU_WORDS = {
    "홈", "HOME", "Home", "전체", "전체기사", "전체메뉴", "전체 메뉴", "뉴스", "정치", "경제", "사회", "국제", "세계", "문화", "문화·연예",
    "스포츠", "연예", "IT", "IT·과학", "IT/과학", "과학", "오피니언", "사설", "칼럼", "전국", "지역", "라이프", "생활", "건강", "포토",
    "영상", "산업", "금융", "증권", "부동산", "교육", "날씨", "북한", "외교", "국방", "법조", "사건사고", "기획", "연재", "인물", "사람",
    "랭킹", "팩트체크", "속보", "이슈", "많이본뉴스", "많이 본 뉴스", "최신기사", "구독신청", "기사제보", "제보", "고객센터", "로그인",
    "회원가입", "검색", "메뉴", "닫기", "Daum", "NAVER", "네이버", "다음", "뉴스홈", "섹션", "야구", "축구", "농구", "배구", "골프",
    "육상", "e스포츠", "해외축구", "해외야구", "KBO", "K리그", "MLB", "여행", "푸드", "자동차", "테크", "엔터", "TV", "라디오",
    "기자", "기자페이지", "이전", "더보기", "MY", "마이", "구독", "알림", "설정", "뉴스레터", "지면보기", "PDF", "e신문",
    "마이페이지", "신문보기", "지면", "오늘의신문", "생활/문화", "경제/산업", "정치/사회", "게시판", "커뮤니티", "소개",
    "공지사항", "자료실", "뉴스데스크", "뉴스투데이", "뉴스룸", "8뉴스", "뉴스9", "뉴스광장", "다시보기", "편성표", "라이브", "LIVE",
    "VOD", "쇼츠", "프로그램", "TOP뉴스", "단독", "기획·연재", "전체보기", "입학", "연구", "캠퍼스", "소식", "학교소식",
}
BREADCRUMB = re.compile(r"^\s*[^\s.>›»]+(?:\s?[^\s.>›»]+)?(?:\s*[>›»]\s*[^\s>›»|]+(?:\s[^\s>›»|]+)?){1,4}\s*$")
DATE_LINE = re.compile(
    r"^\s*[•·|ㆍ\-]?\s*(?:[가-힣A-Za-z/ ]{0,12}[|/]\s*)?"
    r"(?:입력|수정|승인|등록|게재|발행|기사입력|기사\s?입력|최종\s?수정|최종\s?업데이트|업데이트|송고|작성|작성일|등록일|입력일|수정일|"
    r"입력\s?시간|수정\s?시간|기사\s?승인|발행일|게시|게시일|보도)\s*(?:일시|시간)?\s*[:：|]?\s*[:：|]?\s*(?:19|20)\d{2}"
)
DATE_ONLY = re.compile(rf"^\s*[(\[]?\s*{DATE_IN_LINE.pattern}\s*[)\]]?\s*(?:송고|입력|수정|승인|작성|등록)?\s*$")
PAGE_DETAILS = re.compile(r"(?:^|[|·/*]\s*)(?:19|20)\d{2}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\.?\s+\d{1,2}:\d{2}.*(?:[|·]|$)|[|·].*(?:19|20)\d{2}[-./]\s?\d{1,2}[-./]\s?\d{1,2}")
TRAILING_DATE = re.compile(
    r"(?:\s|\||·|/)\s*(?:(?:19|20)\d{2}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\.?(?:\s*\d{1,2}:\d{2})?|\d{1,2}[-./]\d{1,2}\s+\d{1,2}:\d{2}|"
    r"(?<![~\-–:\d])\d{1,2}:\d{2}|\d+\s?(?:분|시간|일)\s?전)\s*$"
    r"|\s[(\[]\s*(?:19|20)\d{2}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\.?(?:\s*\d{1,2}:\d{2})?\s*[)\]]\s*$"
)
NOTICE_STRONG = re.compile(
    r"섹션으로\s?분류|브라우저|읽어주기|재생할\s?수\s?없|재생되지\s?않|제보(?:로|를)\s?(?:만들어|기다립)|구독하시겠|"
    r"AI가\s?(?:자동|생성|만든|요약)|요약문은|본문에서\s?확인|이\s?기사는\s?.{0,40}(?:지원을\s?받아|제공받아|협약|제휴)|"
    r"기사\s?(?:원문|제휴)|무단\s?(?:캡처|녹화)|(?:시청자|독자)\s?여러분의\s?제보|앱에서\s?(?:보기|읽기)|뉴스레터|받아\s?보세요|"
    r"꼭\s?읽어야\s?할"
)
NOTICE = re.compile(
    r"(?:섹션으로\s?분류|섹션\s?(?:정보|분류)|언론사(?:에서|가|의)?\s?(?:선정|분류|구독|홈|편집|제공)|기사\s?제공|읽어주기\s?기능|"
    r"브라우저에서만\s?(?:사용|이용)|음성\s?(?:변환|재생|합성)|텍스트\s?음성|요약봇|(?:AI|자동)\s?요약|본문\s?요약|"
    r"네이버\s?(?:메인|뉴스|AI)|다음\s?뉴스|구독\s?(?:많은|하고|버튼|하세요|해\s?주세요|신청)|(?:로그인|회원)\s?(?:후|하고|하시면|가입)|"
    r"번역\s?beta|Translated\s+by|기사의\s?섹션|해당\s?언론사|앱\s?(?:설치|다운)|지금\s?바로\s?다운|무료\s?구독|뉴스레터\s?(?:신청|구독)|"
    r"기사\s?(?:추천|저장|스크랩)|이\s?기사(?:를|가|는)\s?(?:추천|공유|좋으셨|도움)|기자\s?(?:구독|페이지|프로필)|"
    r"이\s?기사의\s?(?:원문|출처)|원문\s?(?:기사|보기)|[Cc]lick|바로가기|PICK|알림\s?설정|자동\s?추출|오디오\s?기사)"
)
RELATED_HEAD = re.compile(
    r"^(?:많이\s?본\s?(?:뉴스|기사)|많이\s?읽은\s?(?:뉴스|기사)|인기\s?(?:기사|뉴스)|헤드라인|포토\s?뉴스|포토|"
    r"(?:이\s?기사와\s?)?관련(?:된)?\s?(?:기사|뉴스|영상)|이\s?시각\s?(?:주요|많이\s?본)?\s?뉴스|주요\s?뉴스|최신\s?(?:기사|뉴스)|"
    r"실시간\s?(?:뉴스|인기|급상승)|추천\s?(?:기사|뉴스)|오늘의\s?(?:주요\s?)?뉴스|섹션별\s?기사|가장\s?많이\s?본.*|"
    r"핫\s?이슈|이슈\s?&\s?토픽|기자\s?PICK|에디터\s?PICK|함께\s?보면\s?좋은\s?(?:기사|뉴스)|이\s?기사를\s?공유합니다|"
    r"[가-힣A-Za-z0-9]{1,12}\s?(?:랭킹|많이\s?본)\s?뉴스|다른\s?기사|이\s?기자의\s?(?:다른\s?)?기사|기자의\s?다른\s?기사|"
    r"(?:해당|이)\s?언론사\s?(?:주요|인기|랭킹)\s?(?:기사|뉴스)|연관\s?(?:기사|뉴스)|지금\s?뜨는\s?뉴스|오늘의\s?픽|"
    r"함께\s?(?:읽으면|볼만한|보면)\s?.*|더\s?많은\s?(?:기사|뉴스)|관련\s?기사\s?더보기|이런\s?기사\s?어때요)"
    r"\s*[>▶›»+]?\s*$"
)
RELATED_ITEM = re.compile(r"^\s*(?:[▶►▷☞→]\s*)?(?:\[?관련\s?(?:기사|뉴스)\]?\s*[:：]?)|"
                          r"^\s*[▶►▷☞].*(?:기사|뉴스|바로가기|클릭|보기|더보기|다운|구독|영상|포토)|"
                          r"^\s*[◀▶◁▷]?\s*(?:이전|다음)\s?(?:기사|글)\s?[:：]")
AD = re.compile(
    r"(?:\bSALE\b|세일|환불\s?(?:보장|가능)|최저가|특가|할인\s?(?:쿠폰|혜택|이벤트|가|중)|\d+\s?%\s?(?:할인|OFF|off)|무료\s?(?:체험|상담|배송|증정)|"
    r"구매\s?(?:하기|바로가기)|주문\s?하기|지금\s?(?:바로\s?)?(?:신청|구매|클릭|확인)|\[광고\]|\(광고\)|<광고>|^광고$|^AD$|"
    r"Sponsored|스폰서|파트너스\s?활동|쿠팡|선착순\s?\d+\s?명?\s?(?:무료|할인)|상담\s?문의|카톡\s?상담)"
)
COMMENT = re.compile(
    r"^(?:[\[(]?\s?댓글\s?[\[(]?\d*[\])]?|[└ㄴ↳]\s?.+|\S{2,14}\s?:\s.+\((?:19|20)?\d{2}[-./]\d{2}(?:[-./]\d{2})?\s\d{1,2}:\d{2}\)|"
    r"\[?(?:이\s?기사에\s?대한\s?)?(?:네티즌|독자|누리꾼)\s?(?:의견|댓글)\]?.*|의견\s?쓰기|댓글\s?(?:쓰기|달기|보기|작성|입력|\d+개)|로그인\s?(?:후|하고|하여).*|\d+\s?/\s?\d+\s?자?|"
    r"최신순|공감순|추천순|과거순|답글(?:\s?\d+)?|신고|등록|비밀번호|작성자|댓글\s?운영\s?원칙|"
    r"(?:댓글|의견)을?\s?(?:남겨|작성해|입력해)\s?주세요.*|첫\s?번째\s?댓글을.*|.*댓글이\s?없습니다.*)$"
)
BOARD = re.compile(
    r"^(?:.{0,20}\s)?(?:조회\s?수?|조회|추천|비추천|작성일|등록일|글쓴이|작성자|닉네임|게시판|이전글|다음글|목록|글\s?번호|번호)"
    r"\s*[:：|]?\s*[\d,.\-: ]*$|(?:조회\s?수?\s?[:：]?\s?[\d,]+.*(?:추천|댓글|\d{4}[-./]))|^\[?[가-힣]{1,8}\s?/\s?[가-힣]{1,8}\]?$|"
    r"^(?:이전\s?글|다음\s?글|윗\s?글|아랫\s?글)\s"
)
RELEASE = re.compile(
    r"^\s*(?:보\s?도\s?자\s?료|보도\s?(?:일시|시점|시간|참고\s?자료)|배포\s?(?:일시|일자|시간)|(?:배포\s?)?즉시\s?보도|엠바고|"
    r"담당\s?(?:부서|자|과|팀)|책임자|실무자|연\s?락\s?처|문\s?의(?:\s?처)?\s*[:：]|붙\s?임(?:\s?\d|\s?[:：])?|별\s?첨|"
    r"참고\s?자료|사진\s?자료|총\s?\d+\s?매|\(?총\s?\d+\s?쪽\)?|<\s?붙\s?임\s?>|\[\s?붙\s?임\s?\]|"
    r"(?:<\s?붙임\s?>\s*)?\d{1,2}\.\s.{2,60}\s\d\s?부\.?\s*$)"
)
CREDIT_WORDS = r"(?:촬영(?:기자)?|영상\s?(?:취재|편집|기자|제공)|그래픽|편집|CG|자료\s?(?:제공|화면)|화면\s?제공|구성|연출|취재\s?지원|" \
               r"글|사진|디자인|번역|진행|제작|출연)"
BROADCAST_CREDITS = re.compile(rf"^\s*[(\[]?\s*{CREDIT_WORDS}\s?[:：/]\s?[^\s:：]+(?:\s+[^\s:：]+)?(?:\s*[,/·|]?\s*{CREDIT_WORDS}\s?[:：/]\s?[^\s:：]+(?:\s+[^\s:：]+)?)*\s*[)\]]?\s*$")
BROADCAST_MARKER = re.compile(
    r"^\s*(?:[\[<〈【]\s*(?:앵커|기자|리포트|앵커\s?멘트|기자\s?멘트|앵커\s?코멘트|스탠드업|브릿지|현장음|녹취|인터뷰|CG|자막|"
    r"이펙트|기자\s?리포트|리포터|해설|아나운서|진행자|사회자|뉴스\s?(?:리뷰|픽)|앵커\s?리포트)\s*[\]>〉】]|"
    r"◀\s?(?:앵커|리포트|기자|인터뷰|INT|SYN|녹취|현장음|브릿지|스탠드업|앵커\s?멘트)\s?▶|"
    r"(?:앵커|기자|리포트|앵커\s?멘트)\s?[:：)])"
)
# Broadcast sound-bites: who speaks (a name, or only a role), their title, and their words.
_WHO = r"(?!인터뷰|녹취|현장음|싱크|앵커|기자\b)[가-힣]{1,4}(?:\s?모\s?씨|\s?씨)?(?:\s[가-힣]{2,4})?"
_BITE_TAG = r"(?:(?:인터뷰|녹취|현장음|SYN|INT|싱크)\s?[:：]?\s*)?"
SOUNDBITES = [
    # [홍길동 / 시민 : 너무 무서웠어요.]   [박 모 씨/주민 : …]   [목격자 : …]
    re.compile(rf"^\s*[\[<〈【]\s*{_BITE_TAG}(?P<who>{_WHO})\s?(?:/\s?(?P<title>[^:：\]>〉】/]{{1,40}}?))?\s*[:：]\s*"
               r"(?P<text>\S.*?)\s*[\]>〉】]\s*$"),
    # 【 인터뷰 : 윤성호 / 남양주경찰서 여성청소년계장 】 ″…″   [인터뷰] 홍길동 / 시민 : "…"
    re.compile(rf"^\s*[\[<〈【]\s*{_BITE_TAG}(?P<who>{_WHO})\s?/\s?(?P<title>[^:：\]>〉】]{{1,40}}?)\s*[\]>〉】]\s*[:：]?\s*"
               r"(?P<text>[″\"“].+)$"),
    # 여수 주민 : "바람 소리가…"  (a role, quoted)
    re.compile(r"^\s*(?:[\[<〈【]\s*(?:인터뷰|녹취|현장음|SYN|INT|싱크)\s*[\]>〉】]\s*)?(?P<who>[가-힣][가-힣 ]{1,14}?)\s?[:：]\s*"
               r"(?P<text>[″\"“][^″\"“”]{4,}[″\"”])\s*$"),
    # 박정호(목격자) : "펑 하는 소리가…"   <인터뷰> 박정호 / 목격자 : "…"
    re.compile(rf"^\s*(?:[\[<〈【]\s*(?:인터뷰|녹취|현장음|SYN|INT|싱크)\s*[\]>〉】]\s*)?(?P<who>{_WHO})\s?(?:\((?P<title>[^)]{{1,30}})\)|/\s?(?P<title2>[^:：]{{1,30}}?))\s*[:：]\s*(?P<text>[″\"“].+[″\"”])\s*$"),
]
# A sound-bite's speaker on a line of its own (their words follow on the next line):
# 【 인터뷰 : 윤성호 / 경찰서 계장 】  ◀INT▶ 김정숙/인근 주민  ◀SYN▶ 공장 관계자  [인터뷰] 홍길동 / 시민  [홍길동/시민]
_TAG = r"(?:인터뷰|녹취|현장음|SYN|INT|싱크)"
SOUNDBITE_HEAD = re.compile(
    rf"^\s*(?:[\[<〈【]\s*{_TAG}\s*[:：]\s*(?P<a>[^\]>〉】]{{2,40}}?)\s*[\]>〉】]|◀\s?{_TAG}\s?▶\s*(?P<b>[^\[\]]{{2,40}}?)|"
    rf"▶\s?{_TAG}\s*[:：]\s*(?P<c>.{{2,40}}?)|[\[<〈【]\s*{_TAG}\s*[\]>〉】]\s*(?P<d>.{{2,40}}?)|"
    r"[\[<〈【]\s*(?P<e>[가-힣]{2,4}(?:\s?모\s?씨)?\s?/\s?[^:：\]>〉】/]{1,40}?)\s*[\]>〉】])\s*$"
)
SIGNOFF = re.compile(
    r"^(?:지금까지\s?(?:.{0,30}?에서\s?)?)?(?P<outlet>KBS|MBC|SBS|YTN|JTBC|MBN|TV조선|채널A|연합뉴스\s?TV|OBS|EBS|TBS|CBS|"
    r"[가-힣A-Z]{1,6}\s?방송|[A-Z]{2,6}|[가-힣]{2,8}(?=\s?(?:뉴스|NEWS)))\s?(?:뉴스|NEWS)?\s?(?P<name>[가-힣]{2,4}?)(?:\s?기자)?\s?(?:\[[^\]]*\])?\s?"
    r"(?:입니다|였습니다|이었습니다)\.?\s*$"
)
HANDOFF = re.compile(
    r"(?:(?:기자|특파원|리포터|캐스터|앵커)(?:가|이)\s?(?:자세히\s?|이어서\s?|계속해서\s?)?(?:보도|전|취재|정리|소개|분석)(?:합니다|했습니다|해\s?드립니다|해드립니다)|"
    r"(?:기자|특파원)(?:와|과|를|을)?\s?(?:함께\s?|현장\s?)?(?:자세히\s?|직접\s?)?(?:알아\s?보겠습니다|얘기\s?나눠\s?보겠습니다|이야기\s?나눠\s?보겠습니다|짚어\s?보겠습니다|연결해\s?보겠습니다|연결합니다)|"
    r"연결(?:합니다|해\s?보겠습니다|하겠습니다)|전해\s?(?:주시죠|주십시오|주세요)|(?:기자|특파원)\s?나와\s?(?:있습니다|계십니다)|"
    r"(?:보도|취재)에\s?[가-힣]{2,4}\s?기자입니다|기자의\s?(?:보도|리포트)입니다|"
    r"(?:기자|특파원)(?:가|이)\s?(?:현장을\s?|직접\s?)?(?:다녀왔습니다|만나봤습니다|만나\s?봤습니다|알아봤습니다|짚어봤습니다|취재했습니다))\.?\s*$"
)
REPORTER_SIGNOFF = re.compile(r"^(?:네,?\s?)?(?:지금까지\s?)?(?:[가-힣]{2,4}\s?)?(?:기자|특파원|캐스터)(?:였습니다|입니다|이었습니다)\.?\s*$|"
                              r"^지금까지\s?.{1,20}?(?:였습니다|이었습니다)\.?\s*$")
QUESTION_TO_REPORTER = re.compile(r"^[가-힣]{1,4}\s?(?:기자|특파원),\s?.+[?？]\s*$")
CONTACT = re.compile(
    r"(?:제보|문의|구독|상담|신고|대표\s?전화|전화|연락|카카오톡|카톡|카카오|텔레그램|메일|이메일|팩스|FAX|Fax|Tel|TEL|☎|📞|✉)"
    r"|jebo|okjebo|@[\w.-]+\.(?:com|kr|net|co\.kr)"
)
FOOTER = re.compile(
    r"(?:등록\s?번호|등록\s?일자?|발행\s?(?:인|일|처)|편집\s?(?:인|국장)|청소년\s?보호\s?책임자|사업자\s?(?:등록\s?)?번호|"
    r"통신판매업|개인정보\s?(?:처리\s?방침|보호\s?책임자|취급방침)|이용\s?약관|회사\s?소개|광고\s?(?:문의|안내)|"
    r"제휴\s?(?:문의|안내)|저작권\s?(?:정책|문의)|고충\s?처리|윤리\s?강령|편집\s?규약|주소\s?[:：]|\b(?:All|all)\s?[Rr]ights\b|"
    r"대표\s?이사|^\(?우\)?\s?\d{5}|[가-힣]+(?:시|도)\s[가-힣]+(?:구|군|시)\s[가-힣0-9]+(?:로|길|동)\s?\d)"
)
COPYRIGHT = re.compile(r"ⓒ|©|\([cC]\)|Copyright|copyright|COPYRIGHT|무단\s?(?:전재|복제|배포|게재)|재배포\s?금지|저작권자|AI\s?학습|"
                       r"[Aa]ll\s?[Rr]ights\s?[Rr]eserved|^\s*@\s?(?:19|20)\d{2}\s")
COPYRIGHT_NOTICE = re.compile(r"무단\s?(?:전재|복제|배포|게재)|재배포|저작권자|[Aa]ll\s?[Rr]ights|AI\s?학습|Copyright|COPYRIGHT|copyright")
CAPTION_START = re.compile(r"^\s*(?:[▲△▽▼☞↑]|[◀◁](?!\s?(?:INT|SYN|인터뷰|녹취|앵커|리포트|기자|이전|다음)))")
_CREDIT = r"[(\[<〈]\s*(?:{words})\s*{sep}\s*[^)\]>〉]{{0,40}}[)\]>〉]"
# (사진=연합뉴스) inside a line; [사진 = 연합뉴스] on a line of its own
PHOTO_CREDIT = re.compile(_CREDIT.format(words="사진|그래픽|자료|영상|출처|제공|이미지|사진\\s?제공|자료\\s?사진|일러스트|캡처|화면\\s?캡처",
                                         sep="[=:：]"))
_CREDIT_ALONE = _CREDIT.format(words="사진|그래픽|이미지|영상|자료\\s?사진|사진\\s?제공|일러스트|캡처|화면\\s?캡처", sep="[=:：]?")
PHOTO_CREDIT_LINE = re.compile(
    rf"^\s*(?:{_CREDIT_ALONE}\s*)+$"
    r"|^\s*(?:사진|그래픽|이미지|영상|자료\s?사진|사진\s?제공|일러스트)\s*[=:：/]\s*\S{1,20}(?:\s\S{1,20})?\s*$"
    r"|^\s*[/]?\s*[가-힣A-Za-z0-9]{1,12}\s?(?:제공|자료\s?사진|DB)\s*$"
)
PHOTO_INLINE = re.compile(r"\s?[(\[]\s*(?:사진|사진\s?왼쪽|사진\s?오른쪽|작은\s?사진|오른쪽|왼쪽|가운데|앞줄\s?가운데|뒷줄\s?가운데)\s*[)\]]")
CAPTION_LINE = re.compile(
    r"(?:\*?\s*재판매\s?및\s?DB\s?금지\s*$|^\s*(?:사진|그래픽|자료사진|이미지|사진\s?설명)\s*[=:/]|[(\[<]\s*(?:사진|그래픽|자료|출처|이미지|제공)\s*[=:][^)\]>]*[)\]>]\s*$|"
    r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*/\s*\S+(?:\s.*)?$|ⓒ\s?News1|\[[가-힣A-Za-z]+\s?(?:자료)?사진\]\s*$|"
    r"/\s?(?:[A-Z]{1,5}|로이터|신화)?(?:=?\s?)?(?:연합뉴스|뉴스1|뉴시스|뉴스핌|게티이미지|Getty\s?Images|AP|AFP|로이터|EPA|신화|"
    r"[가-힣A-Za-z]{1,12}\s?(?:제공|그래픽|사진))\s*(?:코리아)?\s*$|"
    r"[(\[]\s*(?:게티이미지|Getty|AP|AFP|로이터|EPA|연합뉴스|뉴스1|뉴시스)[^)\]]{0,20}[)\]]\s*$)"
)
HASHTAGS = re.compile(r"^\s*#[^\s#]+(?:\s*#[^\s#]+)*\s*$")  # each # starts a tag: no backtracking
URL_ONLY = re.compile(r"^\s*(?:(?:출처|원문|기사\s?원문|원문\s?보기|원문\s?링크|source|Source|URL|url)\s*[:：]?\s*)?(?:https?://|www\.)\S+\s*$")
EMAIL_ONLY = re.compile(rf"^\s*[(<\[]?\s*{EMAIL.pattern}\s*[)>\]]?\s*$")
BREAKING = re.compile(r"^\s*[\[【(<]?\s*(?:속\s?보|단\s?독|종합|긴급|\d보|업데이트|포토|영상|사설|칼럼|인터뷰|르포|전문|기고)\s*[\]】)>]?\s*$")
SIGNATURE = re.compile(
    rf"^\s*[/<\[(]?\s*(?:[가-힣A-Za-z]{{1,12}}\s?[=/]\s?)?(?P<names>{_NAMES})\s?{REPORTER_TITLES}\s*[>\])]?\s*"
    rf"(?:[(<\[]?\s*{EMAIL.pattern}\s*[)>\]]?)?\s*$"
)
BYLINE = re.compile(rf"(?P<names>{_NAMES})\s?{REPORTER_TITLES}(?:\s|$|[|/,·\]>)]|{EMAIL.pattern})")
SPOKESPERSON = re.compile(r"^\s*(?P<org>[가-힣A-Za-z·\s]{2,20}?)\s?(?:수석\s?|부\s?|원내\s?|상근\s?)?대변인\s+(?P<name>[가-힣]{2,4}|[가-힣]{1,2}[A-Z○◯O]{1,2})\s*$")
TRAILING_SIGNATURE = re.compile(
    rf"\s*(?:[/<\[(]\s*)?(?:{_NAMES}\s?{REPORTER_TITLES}\s*)?[>\])]?\s*{EMAIL.pattern}\s*[>\])]?\s*$|\s*/\s*{_NAMES}\s?{REPORTER_TITLES}\s*$"
)
AGENCIES = {"연합뉴스", "뉴시스", "뉴스1", "뉴스핌", "연합인포맥스", "노컷뉴스", "newsis", "NEWSIS", "News1", "Yonhap", "AP", "AFP",
            "로이터", "신화", "교도", "EPA", "UPI", "블룸버그", "AP연합뉴스", "공동취재단", "사진공동취재단"}
PORTALS = {"NAVER", "네이버", "네이버 뉴스", "Daum", "다음", "다음뉴스", "네이트", "nate", "NATE", "줌", "ZUM", "MSN", "Google", "구글"}
OUTLET_SUFFIX = re.compile(r"(?:일보|신문|뉴스|타임스|타임즈|경제|방송|저널|매일|데일리|닷컴|미디어|TV|보|포스트|헤럴드|투데이|위클리|신보|"
                           r"연구원|기술원|대학교|협회|재단|공사|공단|News|news|NEWS|Times|Daily|Post|Herald)$")
# Words that stand where a name would, before 기자: not names
NOT_NAMES = {"기자명", "기자", "작성자", "글쓴이", "사진", "영상", "편집", "취재", "지역", "지역신문", "신문", "방송", "온라인", "인터넷",
             "수습", "인턴", "객원", "선임", "전문", "정치부", "경제부", "사회부", "문화부", "체육부", "사진부", "국제부"}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2002\u2003\u2009\u3000\u200a\u202f]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))


def _unbullet(line: str) -> str:
    return re.sub(r"^[•·ㆍ*\-–—]\s+", "", line).strip()


def _squash(s: str) -> str:
    return "".join(s.split())


def _is_widget(s: str) -> bool:
    buttons = re.findall(r"[\[<(]\s*([^\]>)]{1,8}?)\s*[\]>)]", s)
    if buttons and all(b in WIDGETS or b in ("창닫기", "닫기", "인쇄", "프린트", "목록", "이메일", "메일") for b in buttons):
        rest = re.sub(r"[\[<(]\s*[^\]>)]{1,8}?\s*[\]>)]", "", s).split()
        if len(rest) <= 1:
            return True
    u = _unbullet(s)
    if u in WIDGETS or s in WIDGETS:
        return True
    if len(u) <= 60 and WIDGET_WORDS.search(u) and not FULL_STOP.search(u):
        return True
    words = u.split()  # a row of widget words: "페이스북 트위터 카카오톡 URL복사"
    return len(words) > 1 and all(w in WIDGETS or WIDGET_WORDS.search(w) for w in words)


def _is_menu(s: str) -> bool:
    words = [w for w in re.split(r"\s*[|·/]\s*|\s+", s) if w]
    return bool(words) and len(s) <= 80 and all(w in MENU_WORDS for w in words)


def _link_row(s: str) -> bool:
    """A row of three or more short items between separators: a menu or a tool bar, not a sentence."""
    items = [x for x in re.split(r"\s*[•|]\s*|\s+·\s+|\s+/\s+", s) if x.strip()]
    return len(items) >= 3 and all(len(x) <= 12 and not SENTENCE_END.search(x) for x in items) \
        and not re.search(r"\d{2,}", s)


def _is_byline(s: str) -> bool:
    m = SIGNATURE.match(s)
    if m and _person(m.group("names")):
        return True
    if len(s) > 100 or (SENTENCE_END.search(s) and not DATE_IN_LINE.search(s) and not EMAIL.search(s)):
        return False
    m = BYLINE.search(s)
    return bool(m and _person(m.group("names")) and (EMAIL.search(s) or DATE_IN_LINE.search(s) or len(s) < 40 or "|" in s
                                                     or "입력" in s))


def _carries_facts(s: str) -> bool:
    """A bullet, list item or table row that holds a figure or a statement: body."""
    core = BULLET.sub("", s, count=1)
    return bool(re.search(r"\d", core) or SENTENCE_END.search(core) or len(core) >= 25)


@dataclass(frozen=True)
class LineRule:
    kind: LineClass
    rule: str  # in words, as `summarize explain` shows it
    test: Callable[[str], object]  # truthy: the line is of this kind


def _caption_line(s: str) -> bool:
    if re.match(r"^\s*\d{1,2}\s?/\s?\d{1,2}\s+[가-힣]", s) and not FULL_STOP.search(s) and len(s) <= 120:
        return True  # a photo gallery's counter and caption: 3/4 결승선 통과 장면
    return bool((CAPTION_START.match(s) and not re.match(r"^\s*▶", s)) or
                (CAPTION_LINE.search(s) and not s.startswith(("“", '"'))))


def _related_with_time(s: str) -> bool:
    """A headline with a time stamp, as related and most-read lists print them."""
    return bool(TRAILING_DATE.search(s)) and not FULL_STOP.search(TRAILING_DATE.sub("", s)) and len(s) <= 120 \
        and not DATE_LINE.match(s) and not DATE_ONLY.match(s)


MESSENGER_ID = re.compile(r"^\s*[▶►]?\s*(?:카카오톡|카톡|카카오|텔레그램|라인|인스타그램|트위터|페이스북|X)\s*[:：]?\s*@?[A-Za-z0-9_.-]{3,}\s*$")


def _contact_line(s: str) -> bool:
    return len(s) <= 120 and bool(PHONE.search(s) or (CONTACT.search(s) and (EMAIL.search(s) or re.search(r"\d{3,}", s)))) \
        and not FULL_STOP.search(PHONE.sub("", s).strip()) or bool(re.match(r"^\s*[▶►]?\s*제보", s) and len(s) <= 80) \
        or bool(MESSENGER_ID.match(s))


def _notice(s: str) -> bool:
    if len(s) <= 160 and NOTICE_STRONG.search(s):
        return True
    return len(s) <= 160 and bool(NOTICE.search(s)) and not (len(s) > 60 and FULL_STOP.search(s) and "분류" not in s
                                                              and "브라우저" not in s and "언론사" not in s)


def _copyright(s: str) -> bool:
    return len(s) < 200 and bool(COPYRIGHT.search(s)) and not (FULL_STOP.search(s) and len(s) > 80 and not COPYRIGHT_NOTICE.search(s))


def _ad(s: str) -> bool:
    """An ad: its words (SALE, 환불보장, 최저가, [광고]) in a line that is not a news sentence about a sale."""
    return len(s) <= 120 and bool(AD.search(s)) and not (re.search(r"다[.!]?[\"'”’]*\s*$", s)
                                                         and not re.search(r"SALE|환불\s?보장|\[광고\]|\(광고\)", s))


def _comment(s: str) -> bool:
    return len(s) <= 140 and bool(COMMENT.match(s)) and not (s[:1] not in "└ㄴ↳[(" and FULL_STOP.search(s) and len(s) > 60)


def _board(s: str) -> bool:
    return len(s) <= 120 and bool(BOARD.search(s)) and (not SENTENCE_END.search(s) or bool(re.match(r"(?:이전|다음|윗|아랫)\s?글", s)))


# What a line is, wherever it stands: the first rule that matches decides. Content-like lines match none.
LINE_RULES: list[LineRule] = [
    LineRule("noise", "no letters or digits", lambda s: not re.search(r"[^\W_]", s)),
    LineRule("end", "an end-of-article mark such as (끝)", END_OF_ARTICLE.match),
    LineRule("hashtags", "a line of hashtags", HASHTAGS.match),
    LineRule("link", "a bare web address", URL_ONLY.match),
    LineRule("broadcast", "a broadcast script marker ([앵커], [기자], ◀ 리포트 ▶)", lambda s: bool(BROADCAST_MARKER.match(s))
             and len(BROADCAST_MARKER.sub("", s).strip()) == 0),
    LineRule("broadcast", "a broadcast credit (촬영기자:, 영상편집:, 그래픽:)", lambda s: len(s) <= 100 and bool(BROADCAST_CREDITS.match(s))),
    LineRule("broadcast", "a reporter's sign-off (… 뉴스 홍길동입니다)", lambda s: len(s) <= 80 and bool(SIGNOFF.match(s))),
    LineRule("broadcast", "an anchor's hand-off to the reporter", lambda s: len(s) <= 120 and bool(HANDOFF.search(s))),
    LineRule("broadcast", "a reporter's sign-off (… 기자였습니다)", lambda s: bool(REPORTER_SIGNOFF.match(s))),
    LineRule("broadcast", "the anchor's question to the reporter", lambda s: len(s) <= 150 and bool(QUESTION_TO_REPORTER.match(s))),
    LineRule("date", "a date line (입력, 수정, 승인, 송고 …)", DATE_LINE.match),
    LineRule("date", "a date and time alone", DATE_ONLY.match),
    LineRule("date", "a line of page details with the date and time", lambda s: len(s) <= 90 and bool(PAGE_DETAILS.search(s))
             and not SENTENCE_END.search(s.rstrip("*_ "))),
    LineRule("tag", "a label such as [속보]", BREAKING.match),
    LineRule("credit", "a photo credit on its own line", PHOTO_CREDIT_LINE.match),
    LineRule("copyright", "a copyright notice", lambda s: _copyright(s) and bool(COPYRIGHT_NOTICE.search(s))),
    LineRule("caption", "a photo caption (▲, (사진=…), …/연합뉴스)", _caption_line),
    LineRule("copyright", "a copyright mark", _copyright),
    LineRule("footer", "the site's footer (registration, address, policies)", lambda s: len(s) <= 200 and bool(FOOTER.search(s))
             and not FULL_STOP.search(s)),
    LineRule("notice", "a notice of the site or portal (listen, sections, subscribe)", _notice),
    LineRule("ad", "an advertisement", _ad),
    LineRule("comment", "the comments widget", _comment),
    LineRule("widget", "a button or tool (share, print, font size)", _is_widget),
    LineRule("byline", "a reporter's byline", _is_byline),
    LineRule("byline", "a spokesperson's sign-off (… 대변인 홍길동)", SPOKESPERSON.match),
    LineRule("contact", "an e-mail address alone", EMAIL_ONLY.match),
    LineRule("contact", "phone numbers or ids for tips", _contact_line),
    LineRule("release", "a press release's furniture (release time, contacts, attachments)", lambda s: len(s) <= 120
             and bool(RELEASE.match(s)) and (not FULL_STOP.search(s) or bool(re.search(r"\d\s?부\.?\s*$|^\s*[<\[]?\s*붙\s?임", s)))),
    LineRule("date", "a stamp of the outlet and the date in brackets", lambda s: len(s) <= 50 and bool(
        re.fullmatch(r"\s*[\[(【]\s*[가-힣A-Za-z0-9 ]{0,20}\s*(?:19|20)\d{2}[-./]\s?\d{1,2}[-./]\s?\d{1,2}.{0,12}[\])】]\s*", s))),
    LineRule("related", "a heading of related or most-read articles", lambda s: _related_head(s)),
    LineRule("related", "a list of other articles on one line (… ▶ … ▶ …)", lambda s: len(re.findall(r"[▶►·|]", s)) >= 2
             and bool(RELATED_HEAD.match(_unbullet(re.split(r"\s*[▶►]\s*", s)[0]))) ),
    LineRule("related", "a related-article link (▶ …)", lambda s: bool(RELATED_ITEM.match(s)) and len(s) <= 100
             and not (FULL_STOP.search(s) and len(s) > 50)),
    LineRule("related", "a headline with a time stamp (a list of other articles)", _related_with_time),
    LineRule("board", "a forum's furniture (views, recommendations, poster)", _board),
    LineRule("menu", "a breadcrumb (홈 > 경제 > 금융)", lambda s: len(s) <= 80 and bool(BREADCRUMB.match(s)) and not SENTENCE_END.search(s)),
    LineRule("menu", "site navigation words", _is_menu),
    LineRule("menu", "a row of short links (• … • … • …)", lambda s: _link_row(s)),
]

# What the markup says of a line that the extractor did not keep as main content.
ZONE_KINDS: dict[str, LineClass] = {"nav": "menu", "related": "related", "comment": "comment", "ad": "ad", "share": "widget",
              "footer": "footer", "caption": "caption", "byline": "byline", "date": "date"}


def _related_head(s: str) -> bool:
    core = re.sub(r"^\s*[\[【<〈(]\s*|\s*[\]】>〉)]\s*$", "", _unbullet(s))
    return bool(RELATED_HEAD.match(core))


LONG_LINE = 600  # furniture is short: a longer line is content, and the rules need not read it


def line_kind(s: str) -> tuple[LineClass, str] | None:
    """(kind, rule) of a line that is page furniture by what it is, or None for a line that may be content."""
    if len(s) > LONG_LINE:
        return None
    for r in LINE_RULES:
        if r.test(s):
            return r.kind, r.rule
    return None


# --------------------------------------------------------------------------- metadata from lines


def _date_of(line: str) -> str | None:
    m = DATE_IN_LINE.search(line)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    out = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"]:
        h = int(m["H"])
        if m["ap"] in ("오후", "PM", "pm") and h < 12:
            h += 12
        elif m["ap"] in ("오전", "AM", "am") and h == 12:
            h = 0
        if h < 24:
            out += f"T{h:02d}:{m['M']}" + (f":{m['S']}" if m["S"] else "")
    return out


def _person(names: str | None) -> str | None:
    """A reporter's name, or names: each must read as a Korean name (a common surname first), never an
    agency or a place (잠실, 박연준 -> 박연준)."""
    if not names:
        return None
    parts = [p for p in re.split(r"\s?[·,ㆍ]\s?|\s", names.strip()) if p]
    people = [p for p in parts if p not in AGENCIES and p not in NOT_NAMES and (
        re.fullmatch(r"[가-힣]{2,3}", p) and p[0] in SURNAMES or re.fullmatch(r"[가-힣]{4}", p) and p[:2] in DOUBLE_SURNAMES)]
    return " ".join(people) if people else None


def _meta_author(value: str | None) -> str | None:
    """An author from page metadata, if it is a person: extractors sometimes hand over a whole byline or
    the outlet."""
    if not value:
        return None
    value = value.strip()
    if value in AGENCIES or value in PORTALS:
        return None
    if re.fullmatch(r"[가-힣]{2,4}", value):
        return _person(value)
    m = BYLINE.search(value)
    return _person(m.group("names")) if m else None


def _author_of(line: str) -> str | None:
    m = PLACE_REPORTER.match(line)
    if m:
        return _person(m.group("names"))
    m = SIGNATURE.match(line) or BYLINE.search(line)
    if m:
        return _person(m.group("names"))
    m = SPOKESPERSON.match(line)
    if m and re.fullmatch(r"[가-힣]{2,4}", m.group("name")):
        return m.group("name")
    m = SIGNOFF.match(line)
    return _person(m.group("name")) if m else None


def _outlet_of_copyright(line: str) -> str | None:
    m = re.search(r"(?:ⓒ|©|Copyright|COPYRIGHT|copyright|\([cC]\)|@(?=\s?(?:19|20)\d{2}\s)|저작권자\s?(?:ⓒ|©|\([cC]\))?)\s*(?:ⓒ|©|\([cC]\))?\s*"
                  r"(?P<o>[^<>\[\]]*?)\s*(?:무단|(?i:all\s?rights)|$|[>\]]|,\s*(?:무단|(?i:all)))", line)
    if not m:
        return None
    o = m.group("o").replace("@", " ")
    o = re.split(r"\s+[·|]\s+", o)[0]  # ⓒ KBS · 기사 무단 전재…
    if "&" in o:  # 동서경제 & dongseo.co.kr: the name, not the address
        parts = [x.strip() for x in o.split("&") if x.strip() and not re.fullmatch(r"(?:www\.)?[\w.-]+\.[a-z]{2,}", x.strip())]
        o = parts[0] if parts else o
    o = re.sub(r"(?:^|\s)(?:19|20)\d{2}(?:\s?[-~]\s?(?:19|20)?\d{2,4})?(?=\s|$|[.,])", " ", o)
    o = o.strip(" .,@|:-")
    if "," in o or len(o.split()) > 2:  # "경제를 보는 눈, 세계를 보는 창 아시아경제": the slogan's last word
        o = re.split(r"[,\s]+", o)[-1]
    o = o.strip(" .,@|:-")
    if not o or re.fullmatch(r"[\W\d_]+", o) or o.lower() in ("by", "the"):
        return None
    return o


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
            pm = PLACE_REPORTER.match(b)
            if am or re.search(r"[가-힣A-Za-z0-9]$", b):
                return par[m.end():], _bracket_outlet(b), (pm.group("names") if pm else am.group("names") if am else None)
        om = re.fullmatch(rf"(?P<o>\S+(?:\s\S+)?)\s+(?P<names>{_NAMES})\s?{REPORTER_TITLES}", b)
        if om and _person(om.group("names")):  # [이데일리 홍길동 기자]
            return par[m.end():], om.group("o"), om.group("names")
        pm = re.fullmatch(rf"(?P<place>[가-힣]{{2,6}})\s?[,=]\s?(?P<names>{_NAME})\s?{REPORTER_TITLES}", b)
        if pm:  # [잠실, 홍길동 기자]
            return par[m.end():], None, pm.group("names")
    m = PLACE_REPORTER.match(par)
    if m and par[m.end() - 1:m.end()] in ("=", " ") and "=" in par[:m.end()]:
        return par[m.end():], None, m.group("names")
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
            rest = re.sub(rf"\s*{_REPORTER}.*$", "", right).strip()
            if rest:
                return rest  # [도쿄=한빛일보 박준영 특파원]
            return left if OUTLET_SUFFIX.search(left) else None  # [헤럴드경제=홍길동 기자], not [런던=정유진 특파원]
        return right or None  # (서울=연합뉴스)
    b = re.sub(rf"\s*{_REPORTER}.*$", "", b).strip()
    return b or None


def _clean_title(title: str) -> str:
    t = normalise(title).replace("\n", " ").strip()
    while True:
        t2 = TITLE_TAG.sub("", t)
        if t2 == t:
            break
        t = t2
    t = re.sub(r"^[^\s:]{2,12}\s?::\s?", "", t)  # "영남타임즈 :: 제목": the site's name before it
    # "제목 - 한국경제" / "제목 | 연합뉴스" / "제목 : 스포츠 : 새벽스포츠": the outlet's name after the headline
    for _ in range(3):
        t2 = re.sub(r"\s+[-|–—:]\s+[^\s|–—:-]{2,12}(?:\s?[^\s|–—:-]{1,12})?$", "", t) if re.search(r"\s[-|–—:]\s", t) else t
        if t2 == t or len(t2) < 4:
            break
        t = t2
    return t.strip()


def _headline_like(s: str) -> bool:
    """A line that reads like a headline: Hangul, a few words, no sentence's full stop, not cut mid-clause."""
    core = TITLE_TAG.sub("", s).strip()
    if not HANGUL.search(core) or len(core) < 8 or len(core) > 120 or " " not in core.strip():
        return False
    if FULL_STOP.search(core) or CONTINUES.search(core):
        return False
    return not core.endswith(("다", "요", "죠")) or len(core) <= 45


def _lead_like(s: str, relaxed: bool = False) -> bool:
    """A line that opens the article: a dateline, a sentence, or a long stretch of text. `relaxed`: the page
    drops its full stops (some archives and exports do), so a declarative end is a sentence's."""
    if (m := DATELINE.match(s)) and (m.group("b") or m.group("names")):
        return True
    if PLACE_REPORTER.match(s) and "=" in s[:20]:
        return True
    core = s.strip()
    if FULL_STOP.search(core) and len(core) >= 12:
        return True
    # text that drops its full stops (some archives and exports): a declarative end, or a stretch longer
    # than any headline
    if re.search(r"[가-힣]다[\"'”’」』)\]]*$", core) and len(core) >= (15 if relaxed else 40):
        return True
    return len(core) >= 80 and len(HANGUL.findall(core)) >= 30


# --------------------------------------------------------------------------- the page, line by line


@dataclass
class _L:
    no: int
    text: str
    zone: str  # what the markup says of its block (Source.zones, without the main-content mark)
    main: bool = False  # the article extractor kept it as main content
    lead: bool = False  # reads like article text (a sentence, a dateline, a long stretch)
    kind: LineClass | None = None
    rule: str = ""
    spoken: tuple[str | None, str | None] | None = None  # a sound-bite's (speaker, title)
    cut: tuple[str, str] | None = None  # a sound-bite's brackets around its words


def clean(source: Source, min_hangul: float = 0.3) -> Article:
    """Headline, metadata, body paragraphs and every line's class. Raises Rejected when no article is left."""
    raw = normalise(source.text).split("\n")
    wide = _wide_rows(source.text)
    zones = list(source.zones) + [""] * (len(raw) - len(source.zones))
    lines = [_L(i + 1, s, zones[i].lstrip("*"), zones[i].startswith("*")) for i, s in enumerate(raw) if s]
    if not lines:
        raise Rejected("empty page")
    meta = _Meta(source)

    # 1. what each line is, wherever it stands
    has_main = any(x.main for x in lines)
    for x in lines:
        found = wide.get(x.no) or line_kind(x.text)
        if found:
            x.kind, x.rule = found
        elif _zone_decides(x, has_main):
            x.kind, x.rule = ZONE_KINDS[x.zone], f"the page's markup: a {x.zone} block"
        elif x.zone == "caption?" and len(x.text) < 150 and (CAPTION_GRAMMAR.search(x.text) or not SENTENCE_END.search(x.text)):
            x.kind, x.rule = "caption", "under a photo, reading like a caption"
    _captions_after_credits(lines)
    _sound_bites(lines)
    relaxed = _drops_full_stops(lines)
    for x in lines:
        x.lead = _lead_like(x.text, relaxed)
    first = next((k for k, x in enumerate(lines) if x.kind is None), None)
    if relaxed and first is not None and (first + 1 == len(lines) or lines[first + 1].no > lines[first].no + 1) \
            and len(lines[first].text) <= 60:
        lines[first].lead = _lead_like(lines[first].text)  # a short first line standing alone: a headline's place

    # 2. the headline
    title, t_at = _find_title(lines, source.title)
    # 3. where the article starts and ends
    start = _body_start(lines, t_at, has_main)
    if start is None:
        _label_rest(lines, 0, len(lines), "header", "above the headline")
        raise _no_body(lines, min_hangul)
    end = _body_end(lines, start, has_main)
    for x in lines[:start]:
        if x.kind is None:
            before_title = t_at is not None and x is not lines[t_at] and lines.index(x) < t_at
            if before_title or t_at is None:
                x.kind, x.rule = "header", "above the headline and the lead"
            elif _headline_like(x.text) or (len(x.text) < 80 and not FULL_STOP.search(x.text)):
                x.kind, x.rule = "deck", "between the headline and the lead"
            else:
                x.kind, x.rule = "header", "between the headline and the lead"
    for x in lines[end:]:
        if x.kind is None:
            x.kind, x.rule = "after-end", f"after the end of the article (line {lines[end - 1].no})"

    # 4. the body: a block printed twice is kept once; headings and non-sentences inside are marked
    body = lines[start:end]
    _inside_body(body, title, has_main)
    _broadcast_questions(body)
    seen: dict[str, int] = {}
    for x in lines:
        if x.kind in (None, "caption") and len(x.text) >= 15:
            key = _squash(x.text)
            if key in seen and x.kind is None:
                x.kind, x.rule = "repeated", f"printed twice on the page (first at line {seen[key]})"
            seen.setdefault(key, x.no)

    # 5. paragraphs, with datelines and inline credits cut out and recorded
    paragraphs, cuts, spoken = _paragraphs(body, meta)
    for x in lines:
        if x.kind is None:
            x.kind, x.rule = "body", "article text"
        meta.take(x)
    if not paragraphs:
        raise _no_body(lines, min_hangul)
    classified = tuple(Line(x.no, x.text, x.kind or "body", x.rule) for x in lines)
    ratio = hangul_ratio(" ".join(paragraphs))
    if ratio < min_hangul:
        raise Rejected(f"not Korean text ({ratio:.0%} of the letters are Hangul)", classified)
    deck = tuple(x.text for x in lines if x.kind == "deck")
    return Article(
        title=title,
        meta=meta.result(),
        paragraphs=tuple(paragraphs),
        deck=deck,
        lines=classified,
        cuts=tuple(cuts),
        spoken=tuple(spoken),
    )


def _wide_rows(text: str) -> dict[int, tuple[LineClass, str]]:
    """Lines laid out as cells far apart (`미디어 > 지역언론          제1287호 2004년 6월 23일`, `소개  입학  교육`):
    page furniture when every cell is furniture, or when they are three or more short words."""
    out = {}
    for no, line in enumerate(unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = line.replace("\u3000", "  ").replace("\u00a0", " ")
        cells = [c.strip() for c in re.split(r"\s{2,}|\t", line) if c.strip()]
        if len(cells) < 2 or len(line) > 200:
            continue
        found = [line_kind(c) or _date_cell(c) for c in cells]
        kinds = [k for k in found if k]
        if len(kinds) == len(found):
            out[no] = (kinds[0][0], f"a row of page furniture ({', '.join(sorted({k[0] for k in kinds}))})")
        elif len(cells) >= 3 and all(len(c) <= 8 and not re.search(r"\d|[.!?]$", c) for c in cells):
            out[no] = ("menu", "a row of short links spaced apart")
    return out


def _date_cell(c: str) -> tuple[LineClass, str] | None:
    """A cell that only dates the page: `제1287호 2004년 6월 23일`, `2004.6.23`."""
    if len(c) <= 30 and DATE_IN_LINE.search(c) and not SENTENCE_END.search(c):
        return "date", "a date"
    return None


def _drops_full_stops(lines: list[_L]) -> bool:
    """Whether the page writes its sentences without full stops: few of its longer lines end with one."""
    long = [x for x in lines if x.kind is None and len(x.text) >= 25 and HANGUL.search(x.text)]
    return len(long) >= 3 and sum(1 for x in long if FULL_STOP.search(x.text)) < 0.2 * len(long)


def _zone_decides(x: _L, has_main: bool) -> bool:
    """Whether the markup's word on a line's block decides its class: a caption block always; navigation,
    comments, ads and footers unless the line is a full sentence of the main content; related lists, share
    bars, bylines and dates where the extractor left the line out of the main content."""
    if x.zone not in ZONE_KINDS:
        return False
    if x.zone == "caption":
        return True
    if x.zone in ("nav", "comment", "ad", "footer"):
        return not (x.main and _lead_like(x.text))
    return has_main and not x.main


def _no_body(lines: list[_L], min_hangul: float) -> Rejected:
    text = " ".join(x.text for x in lines)
    ratio = hangul_ratio(text)
    classified = tuple(Line(x.no, x.text, x.kind or "after-end", x.rule or "no article before it") for x in lines)
    if ratio < min_hangul and LETTER.search(text):
        return Rejected(f"not Korean text ({ratio:.0%} of the letters are Hangul)", classified)
    counts = Counter(x.kind or "unclassified" for x in lines)
    what = ", ".join(f"{n} {k}" for k, n in counts.most_common(6))
    return Rejected(f"no article body: every line was classified away ({what}; `summarize explain` shows each line)",
                    classified)


def _label_rest(lines: list[_L], a: int, b: int, kind: LineClass, rule: str) -> None:
    for x in lines[a:b]:
        if x.kind is None:
            x.kind, x.rule = kind, rule


def _find_title(lines: list[_L], given: str | None) -> tuple[str | None, int | None]:
    """The headline and its line: given by the page's metadata (then the line that prints it), or the first
    line before the lead that reads like one. None where the page has no headline line."""
    if given:
        t = _clean_title(given)
        # a site's name (한빛과학신문) or a lead given as the title is not one
        if len(t) >= 4 and " " in t and HANGUL.search(t) and not (FULL_STOP.search(t) and len(t) > 80):
            key = _squash(t)
            for i, x in enumerate(lines[:80]):
                if x.kind in (None, "tag", "menu", "caption") and key and (
                        _squash(_clean_title(x.text)) == key or (len(key) >= 10 and key in _squash(x.text)
                                                                  and len(x.text) <= len(t) + 30)):
                    x.kind, x.rule = "headline", "the headline (as the page's metadata names it)"
                    return t, i
            return t, None
    # a line that reads like a headline right above the page's date or byline, among the first lines
    seen = 0
    for i, x in enumerate(lines[:40]):
        if x.kind is not None:
            continue
        if seen >= 5 or (len(x.text) >= 80 and x.lead):
            break
        seen += 1
        if _headline_like(x.text) and _above_the_details(lines, i):
            for y in lines[:i]:
                if y.kind is None:
                    y.kind, y.rule = "header", "above the headline"
            x.kind, x.rule = "headline", "a line that reads like a headline, above the date or byline"
            return _clean_title(x.text), i
    # else the first line that reads like one, before the lead
    for i, x in enumerate(lines[:40]):
        if x.kind is not None:
            continue
        if x.lead:
            return None, None  # the page opens with its lead: no headline line
        if _headline_like(x.text):
            nxt = next((y for y in lines[i + 1:i + 3] if y.kind not in ("widget", "tag")), None)
            if nxt is not None and nxt.kind == "menu":
                x.kind, x.rule = "header", "a site's name above its menu"
                continue
            x.kind, x.rule = "headline", "the first line that reads like a headline"
            return _clean_title(x.text), i
    return None, None


def _above_the_details(lines: list[_L], i: int) -> bool:
    """Whether the date or byline of the page follows line i, with at most a deck or tools between."""
    for y in lines[i + 1:i + 5]:
        if y.kind in ("date", "byline", "board"):
            return True
        if y.kind is None and not _headline_like(y.text):
            return False
        if y.kind in ("menu", "related"):
            return False
    return False


def _body_start(lines: list[_L], t_at: int | None, has_main: bool) -> int | None:
    first = 0 if t_at is None else t_at + 1
    for i in range(first, len(lines)):
        x = lines[i]
        if x.kind is not None:
            continue
        if has_main and not x.main and not x.lead:
            continue
        if t_at is not None and i <= t_at + 3 and _headline_like(x.text) and _above_the_details(lines, i):
            continue  # a deck between the headline and the page's date or byline
        if x.lead or x.kind is None and has_main and x.main and len(x.text) >= 20:
            while i > first and lines[i - 1].kind is None and lines[i - 1].no == lines[i].no - 1 \
                    and CONTINUES.search(lines[i - 1].text):
                i -= 1  # the lead's first words, wrapped onto the line before
            return i
    # no line reads like a lead: the first content line after the headline, if any
    for i in range(first, len(lines)):
        if lines[i].kind is None and (not has_main or lines[i].main) and len(lines[i].text) >= 10:
            return i
    return None


HARD_END = {"end", "copyright", "footer", "comment"}


def _body_end(lines: list[_L], start: int, has_main: bool) -> int:
    """One past the article's last line: it ends at an end mark, a copyright notice, the footer or the
    comments; a related list ends it unless the article goes on after it. On an HTML page the extractor's
    main content bounds it."""
    last_content = start
    i = start
    while i < len(lines):
        x = lines[i]
        if x.kind in HARD_END and not (x.kind == "copyright" and not COPYRIGHT_NOTICE.search(x.text)):
            break
        if x.kind == "date" and "송고" in x.text and i > start:
            break  # a wire story's filing stamp closes it
        if x.kind == "related" and _related_head(x.text):
            # the list runs to the next line that reads as article text; the article resumes only with a
            # full sentence that no rule claims
            j = i + 1
            while j < len(lines) and lines[j].kind is not None:
                j += 1
            while j < len(lines) and lines[j].kind is None and not (FULL_STOP.search(lines[j].text)
                                                                     and len(lines[j].text) >= 20):
                lines[j].kind, lines[j].rule = "related", f"in the list under '{x.text[:20]}' (line {x.no})"
                j += 1
            i = j
            continue
        if x.kind is None:
            if has_main and not x.main and not x.lead and not (_row_like(x.text) and x.zone == ""):
                i += 1
                continue
            if not (re.match(r"^\s*[▶►▷☞]", x.text) and not FULL_STOP.search(x.text)):
                last_content = i  # a trailing run of ▶ links after the last paragraph is not the article's
        elif x.kind in ("byline", "contact") and (EMAIL.search(x.text) and (SIGNATURE.match(x.text) or EMAIL_ONLY.match(x.text))) \
                and i > start:
            break  # the reporter's signature with an e-mail closes the article
        i += 1
    return last_content + 1


def _inside_body(body: list[_L], title: str | None, has_main: bool) -> None:
    """Within the article: the headline printed again, headings that are not sentences, lines outside the
    extractor's main content that do not read as text."""
    key = _squash(title) if title else None
    for k, x in enumerate(body):
        if x.kind is not None:
            continue
        s = x.text
        if key and _squash(_clean_title(s)) == key:
            x.kind, x.rule = "repeated", "the headline printed again"
            continue
        if has_main and not x.main and not x.lead and not _row_like(s):
            x.kind, x.rule = "after-end", "outside the article's main content (the page's markup)"
            continue
        if x.spoken:
            continue
        if SUBHEAD_MARK.match(s):  # □ …: a statement (or, in a release, a figure) is body; a title is a heading
            if FULL_STOP.search(s) or re.search(r"[함음됨임][.]?\s*$", s) or (s.lstrip()[0] in "□■" and re.search(r"\d", s)):
                continue
            x.kind, x.rule = "subhead", "a heading marked □/■/◆ without a statement or a figure"
            continue
        if BULLET.match(s):
            if _carries_facts(s):
                continue  # a bullet with a figure or a statement: body
            x.kind, x.rule = "subhead", "a short bullet heading without a figure or a statement"
            continue
        if re.search(r"[(\[]\s*단위\s?[:：]", s) and not FULL_STOP.search(s):
            x.kind, x.rule = "subhead", "a table's title (with its unit)"
            continue
        if BRACKETED.match(s) and len(s) <= 60 and not FULL_STOP.search(s):
            x.kind, x.rule = "subhead", "a heading in brackets (a table's or a section's title)"
            continue
        if SENTENCE_END.search(s) or _carries_facts(s) and re.search(r"\d", s):
            continue
        nxt = body[k + 1] if k + 1 < len(body) else None
        wrapped = (len(s) >= 25 or CONTINUES.search(s)) and nxt is not None and nxt.no == x.no + 1 and nxt.kind is None
        if wrapped:
            continue  # a sentence wrapped over lines: joined later
        if SUBHEAD_MARK.match(s) or len(s) < 60:
            x.kind, x.rule = "subhead", "a heading inside the article (not a sentence)"


def _broadcast_questions(body: list[_L]) -> None:
    """In an anchor–reporter dialogue, the anchor's later turns that ask the reporter a question."""
    markers = [(k, x) for k, x in enumerate(body) if x.kind == "broadcast" and BROADCAST_MARKER.match(x.text)]
    reporter_seen = False
    for n, (k, x) in enumerate(markers):
        is_anchor = "앵커" in x.text
        if not is_anchor:
            reporter_seen = True
            continue
        if not reporter_seen:
            continue
        stop = markers[n + 1][0] if n + 1 < len(markers) else len(body)
        turn = [y for y in body[k + 1:stop] if y.kind is None]
        if turn and re.search(r"[?？]\s*[\"'”’]?\s*$", turn[-1].text):
            for y in turn:
                y.kind, y.rule = "broadcast", "the anchor's question to the reporter"


CAPTION_GRAMMAR = re.compile(r"(?:있다|모습|모습이다|장면|전경|풍경|포즈를\s?취하고\s?있다|기념\s?촬영|앞줄|뒷줄|(?:왼쪽|오른쪽)(?:부터|에서)?)"
                             r"[.]?\s*$|(?:왼쪽|오른쪽)(?:부터|에서)|[가-힣]+\s?씨\s?\(\d")


def _captions_after_credits(lines: list[_L]) -> None:
    """A photo credit on its own line (`[사진 = 연합뉴스]`) stands beside its caption: the next line is the
    caption if it reads like one (a scene: …하고 있다, …모습). After two credits in a row (photos without
    captions) the next line is left alone: it is often the lead."""
    for k, x in enumerate(lines[:-1]):
        if x.kind != "credit":
            continue
        prev = lines[k - 1] if k > 0 else None
        if prev is not None and prev.kind is None and prev.no >= x.no - 2 and len(prev.text) < 150 \
                and CAPTION_GRAMMAR.search(prev.text) and not DATELINE.match(prev.text) and not re.search(r"[“\"]", prev.text):
            prev.kind, prev.rule = "caption", f"a caption above the photo credit on line {x.no}"
        if k > 0 and lines[k - 1].kind == "credit":
            continue
        nxt = lines[k + 1]
        s = nxt.text
        if nxt.kind is None and len(s) < 150 and not DATELINE.match(s) and not re.search(r"[“\"]", s) \
                and (CAPTION_GRAMMAR.search(s) or not SENTENCE_END.search(s)) and nxt.no <= x.no + 2:
            nxt.kind, nxt.rule = "caption", f"a caption beside the photo credit on line {x.no}"


def _sound_bites(lines: list[_L]) -> None:
    """[홍길동 / 시민 : 너무 무서웠어요.] is body (the words) with a speaker; a speaker line on its own
    ([인터뷰] 홍길동 / 시민) gives the speaker of the line after it."""
    pending: tuple[str | None, str | None] | None = None
    for x in lines:
        m = next((p.match(x.text) for p in SOUNDBITES if p.match(x.text)), None)
        if m and x.kind in (None, "broadcast", "comment", "board") and len(m.group("text")) >= 4:
            g = m.groupdict()
            x.kind, x.rule = None, ""
            x.spoken = _speaker(g["who"].strip(), (g.get("title") or g.get("title2") or "").strip() or None)
            a, b = m.start("text"), m.end("text")
            q = _quoted(x.text[a:b])
            x.cut = (x.text[:a + q], x.text[b - q:])
            pending = None
            continue
        if x.kind is None and pending is not None:
            x.spoken = pending
            q = _quoted(x.text)
            if q:
                x.cut = (x.text[:q], x.text[len(x.text) - q:])
            pending = None
            continue
        m = SOUNDBITE_HEAD.match(x.text)
        if m and len(x.text) <= 70:
            x.kind, x.rule = "broadcast", "a sound-bite's speaker (their words follow)"
            head = next(v for v in m.groupdict().values() if v).strip()
            who, _, title = head.partition("/")
            pending = _speaker(who.strip(), title.strip() or None)
        elif x.kind is None:
            pending = None


def _speaker(who: str, title: str | None) -> tuple[str | None, str | None]:
    """(speaker, title) of a sound-bite: [목격자 : …] names a role, not a person."""
    person = bool(re.fullmatch(r"[가-힣]{2,4}", who) and who[0] in SURNAMES) or "모" in who or who.endswith("씨")
    if title is None and not person:
        return None, who
    return who, title


def _quoted(text: str) -> int:
    """1 if `text` is wholly inside one pair of quote marks (the sound-bite's own), else 0."""
    pairs = {"″": "″", '"': '"', "“": "”", "'": "'"}
    if len(text) >= 3 and text[0] in pairs and text[-1] == pairs[text[0]] and text.count(text[0]) <= (2 if text[0] in "″\"'" else 1):
        return 1
    return 0


def _paragraphs(body: list[_L], meta: _Meta) -> tuple[list[str], list[Line], list[tuple[int, str | None, str | None]]]:
    """The body's paragraphs: consecutive lines of one block joined where a sentence was wrapped; datelines,
    photo credits, markers and trailing signatures cut out (and recorded)."""
    blocks: list[list[_L]] = []
    for x in body:
        if x.kind is not None:
            if blocks and blocks[-1]:
                blocks.append([])
            continue
        spoken = x.spoken
        if not blocks or not blocks[-1]:
            blocks.append([x])
            continue
        prev = blocks[-1][-1]
        joins = (prev.no == x.no - 1 and not SENTENCE_END.search(prev.text) and not spoken
                 and not prev.spoken and not BULLET.match(x.text) and not DATELINE.match(x.text)
                 and not (_row_like(prev.text) or _row_like(x.text))
                 and (len(prev.text) >= 25 or CONTINUES.search(prev.text)))
        if joins or (_open_quote(" ".join(y.text for y in blocks[-1])) and not spoken and not prev.spoken):
            blocks[-1].append(x)  # a wrapped sentence, or a quote that goes on into the next paragraph
        else:
            blocks.append([x])
    paragraphs: list[str] = []
    cuts: list[Line] = []
    spoken_out: list[tuple[int, str | None, str | None]] = []
    for block in blocks:
        if not block:
            continue
        first = block[0]
        # a bullet's mark is layout, not text: the line's words are the body
        par = " ".join([BULLET_MARK.sub("", first.text, count=1)] + [x.text for x in block[1:]])
        spoken = first.spoken
        cut = first.cut
        if cut:
            head, tail = cut
            par = par[len(head):len(par) - len(tail)] if tail else par[len(head):]
            cuts.append(Line(first.no, (head + " … " + tail).strip(" …"), "broadcast", "a sound-bite's brackets and speaker"))
        m = BROADCAST_MARKER.match(par)
        if m:
            cuts.append(Line(first.no, m.group().strip(), "broadcast", "a broadcast script marker"))
            par = par[m.end():].strip()
        stripped, o, a = strip_dateline(par)
        if stripped != par:
            cuts.append(Line(first.no, par[:len(par) - len(stripped)].strip(), "dateline", "the dateline before the lead"))
            meta.dateline(o, a)
            par = stripped
        in_text: tuple[tuple[re.Pattern[str], LineClass, str], ...] = (
            (PHOTO_CREDIT, "credit", "a photo credit inside the text"),
            (PHOTO_INLINE, "credit", "a pointer to a photo inside the text"),
            (TRAILING_SIGNATURE, "byline", "the reporter's signature after the text"))
        for pattern, kind, rule in in_text:
            for m in list(pattern.finditer(par)):
                cuts.append(Line(_line_of(block, m.group()), m.group().strip(), kind, rule))
                if kind == "byline":
                    meta.author_candidate(m.group())
            par = pattern.sub("", par)
        par = re.sub(r"\s{2,}", " ", par).strip()
        if HANDOFF.search(par) and len(par) > 120:  # an anchor's lead-in that ends by handing over
            sentences = re.split(r"(?<=[.?!])\s+", par)
            if len(sentences) > 1 and HANDOFF.search(sentences[-1]):
                cuts.append(Line(block[-1].no, sentences[-1], "broadcast", "an anchor's hand-off to the reporter"))
                par = " ".join(sentences[:-1])
        if par and HANGUL.search(par):
            if spoken:
                spoken_out.append((len(paragraphs), spoken[0], spoken[1]))
            paragraphs.append(par)
        else:  # no Korean words left: its lines are not the article's text
            for x in block:
                x.kind, x.rule = "noise", "no Korean words (symbols, digits or another language alone)"
    return paragraphs, cuts, spoken_out


def _row_like(s: str) -> bool:
    """A row of a table flattened to text (`마포 하늘채 84가구 44,070건 524.64대 1`): numbers, no sentence."""
    return len(re.findall(r"-?\d[\d,.]*", s)) >= 2 and not SENTENCE_END.search(s) and len(s) <= 120


def _open_quote(s: str) -> bool:
    """A quote opened and not closed: it closes in the next paragraph."""
    return s.count("“") > s.count("”") or (s.count('"') % 2 == 1 and len(s) > 20)


def _line_of(block: list[_L], part: str) -> int:
    part = part.strip()
    for x in block:
        if part and part in x.text:
            return x.no
    return block[0].no


class _Meta:
    """Outlet, author, date, address and section, from the page's metadata and its lines."""

    def __init__(self, source: Source):
        m = source.meta
        self.outlet_meta = m.outlet if m.outlet and m.outlet not in PORTALS and len(m.outlet) <= 30 else None
        self.title = _clean_title(source.title) if source.title else None
        self.author = _meta_author(m.author)
        self.published_meta = m.published
        self.url, self.section = m.url, m.section
        self.outlet_dateline: str | None = None
        self.outlet_line: str | None = None  # a byline bracket, a sign-off, a "기사 제공" notice
        self.outlet_copyright: str | None = None
        self.masthead: str | None = None  # the site's name printed at the top of the page
        self.dates: list[tuple[int, str]] = []  # (preference, date)

    def dateline(self, outlet: str | None, author: str | None) -> None:
        if outlet and outlet not in PORTALS:
            self.outlet_dateline = self.outlet_dateline or outlet
        self.author = self.author or _person(author)

    def author_candidate(self, text: str) -> None:
        self.author = self.author or _author_of(text.strip(" /<>[]()"))

    def take(self, x: _L) -> None:
        s = x.text
        if x.kind in ("header", "menu", "widget") and self.masthead is None and x.no <= 3:
            name = re.sub(r"[\[<(]\s*[^\]>)]{1,8}?\s*[\]>)]", "", s).strip()  # 한빛과학신문 [인쇄] [창닫기]
            name = re.sub(r"^[A-Z]{2,6}\s+(?=[가-힣])", "", name)  # KHIST 한빛과학기술원
            if re.fullmatch(r"[가-힣A-Za-z0-9]{3,12}", name) and OUTLET_SUFFIX.search(name) and name not in PORTALS \
                    and name not in MENU_WORDS:
                self.masthead = name
        if x.kind in ("byline", "broadcast", "date", "header", "deck", "menu", "board", "release", "contact", "widget", "notice",
                      "headline"):
            if x.kind in ("byline", "broadcast", "date", "board", "header") and (x.kind in ("byline", "broadcast")
                                                                                or BYLINE.search(s)):
                self.author = self.author or _author_of(s)
                om = SPOKESPERSON.match(s)
                if om:
                    self.outlet_line = self.outlet_line or om.group("org").strip()
            if x.kind in ("byline", "broadcast"):
                bm = re.match(rf"^\s*[\[【(]\s*(?P<o>[^\]】)=]+?)\s+(?P<names>{_NAMES})\s?{REPORTER_TITLES}", s)
                if bm and _person(bm.group("names")):
                    self.outlet_line = self.outlet_line or bm.group("o")
                sm = SIGNOFF.match(s)
                if sm:
                    self.outlet_line = self.outlet_line or re.sub(r"\s", "", sm.group("outlet"))
            if x.kind in ("date", "byline", "header", "board", "release", "deck", "widget", "notice", "headline") \
                    or DATE_LINE.match(s):
                d = _date_of(s) if x.kind != "headline" or re.search(r"\d:\d\d", s) else None
                if d:
                    first = re.search(r"입력|기사입력|송고|등록|게재|작성|발행|승인", s)
                    later = re.search(r"수정|업데이트", s)
                    pref = 0 if first and (not later or first.start() < later.start()) else 2 if later else 1
                    self.dates.append((pref + (0 if "T" in d else 1), d))
        if x.kind == "menu" and BREADCRUMB.match(s) and not self.section:
            self.section = re.split(r"\s*[>›»]\s*", s.strip())[-1] or None
        if x.kind in ("copyright", "footer") and COPYRIGHT.search(s):
            self.outlet_copyright = self.outlet_copyright or _outlet_of_copyright(s)
        if x.kind == "notice":
            m = re.search(r"기사\s?제공\s*[:：]?\s*(?P<o>[가-힣A-Za-z0-9]{2,12})|(?P<o2>[가-힣A-Za-z0-9]{2,12})\s?제공$", s)
            if m:
                self.outlet_line = self.outlet_line or m.group("o") or m.group("o2")
        if x.kind == "release" and "보도자료" in s.replace(" ", ""):
            om = re.search(r"([가-힣]{2,12}(?:부|청|처|원|위원회|공사|공단|재단|시|도|군|구|본부|센터))(?:\s|$)", s.replace("보도자료", " "))
            if om:
                self.outlet_line = self.outlet_line or om.group(1)
        if x.kind not in ("body", None) and not self.url:
            u = URL.search(s)
            if u and (x.kind == "link" or re.search(r"(?:기사\s?)?주소|출처|원문|URL|url|링크", s[:u.start()])):
                self.url = u.group().rstrip(".,)")

    def result(self) -> Meta:
        site = self.outlet_meta
        if site and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", site):
            site = None  # techhanbit.co.kr: the page's own name for itself says more
        if site and (len(site) > 30 or (self.title and (site in self.title or self.title in site))):
            site = None  # an extractor's guess that is really the headline
        outlet = self.outlet_dateline or self.outlet_line or site or self.masthead or self.outlet_copyright
        published = None
        if self.dates:
            published = min(self.dates, key=lambda p: p[0])[1]
        meta_date = self.published_meta
        if meta_date and (published is None or "T" in meta_date or "T" not in published):
            published = meta_date
        return Meta(outlet=_tidy(outlet), author=_tidy(self.author), published=published, url=self.url,
                    section=_tidy(self.section))


def _tidy(s: str | None) -> str | None:
    if s is None:
        return None
    s = re.sub(r"^(?:by|By|BY)\s+", "", s.strip())
    s = re.sub(r"\s*\((?:www\.)?[\w.-]+\.[a-z]{2,}\)\s*$", "", s)  # 무비타임즈(www.movietimes.co.kr)
    s = s.strip(" .,|·&")
    return s or None
