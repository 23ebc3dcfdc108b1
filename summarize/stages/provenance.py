"""Provenance: where an article comes from, said in English: the outlet's English name, the section's, and the
publication time with its zone.

The outlet table holds the Korean outlets a reader meets most (wire agencies, national dailies, broadcasters,
economic papers, the English-language dailies); a team adds its own in the config's [outlets] table. A page
that gives a time without a zone is in Korea's time (+09:00), and the brief says that the zone was assumed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..records import Meta

__all__ = ["OUTLETS", "SECTIONS", "KOREA_ZONE", "outlet_english", "section_english", "with_zone", "provenance"]

KOREA_ZONE = "+09:00"

# Korean name (spaces left out) -> the outlet's own English name
OUTLETS: dict[str, str] = {
    # wire agencies
    "연합뉴스": "Yonhap News Agency", "연합": "Yonhap News Agency", "뉴시스": "Newsis", "뉴스1": "News1",
    # national dailies
    "조선일보": "The Chosun Ilbo", "중앙일보": "JoongAng Ilbo", "동아일보": "The Dong-A Ilbo",
    "한겨레": "The Hankyoreh", "한겨레신문": "The Hankyoreh", "경향신문": "The Kyunghyang Shinmun",
    "한국일보": "The Hankook Ilbo", "국민일보": "Kukmin Ilbo", "서울신문": "Seoul Shinmun", "세계일보": "Segye Ilbo",
    "문화일보": "Munhwa Ilbo", "내일신문": "Naeil Shinmun", "아시아투데이": "Asia Today",
    # broadcasters
    "KBS": "KBS", "MBC": "MBC", "SBS": "SBS", "YTN": "YTN", "JTBC": "JTBC", "MBN": "MBN", "EBS": "EBS", "OBS": "OBS",
    "CBS": "CBS", "TBS": "TBS", "TV조선": "TV Chosun", "채널A": "Channel A", "연합뉴스TV": "Yonhap News TV",
    "CBS노컷뉴스": "CBS NoCut News", "노컷뉴스": "CBS NoCut News", "한국경제TV": "Korea Economic TV",
    # economic and business papers
    "매일경제": "Maeil Business Newspaper", "한국경제": "The Korea Economic Daily", "서울경제": "Seoul Economic Daily",
    "머니투데이": "Money Today", "이데일리": "Edaily", "파이낸셜뉴스": "The Financial News",
    "아시아경제": "The Asia Business Daily", "헤럴드경제": "Herald Business", "조선비즈": "Chosun Biz",
    "전자신문": "Electronic Times", "디지털타임스": "Digital Times", "뉴스핌": "Newspim", "비즈니스워치": "Business Watch",
    # English-language dailies, online and regional papers, sports papers
    "코리아헤럴드": "The Korea Herald", "코리아타임스": "The Korea Times", "오마이뉴스": "OhmyNews",
    "프레시안": "Pressian", "시사저널": "Sisa Journal", "데일리안": "Dailian", "부산일보": "Busan Ilbo",
    "국제신문": "Kookje Shinmun", "매일신문": "Maeil Shinmun", "스포츠조선": "Sports Chosun",
    "스포츠서울": "Sports Seoul", "일간스포츠": "Ilgan Sports", "스포츠동아": "Sports Donga",
}

# The sections news sites use, in English: the digest groups stories by these
SECTIONS: dict[str, str] = {
    "정치": "Politics", "북한": "North Korea", "국회": "Politics", "외교": "Politics", "국방": "Politics",
    "경제": "Economy", "금융": "Economy", "증권": "Economy", "부동산": "Economy", "산업": "Business",
    "기업": "Business", "재계": "Business", "유통": "Business", "자동차": "Business",
    "사회": "Society", "사건사고": "Society", "사건": "Society", "교육": "Society", "노동": "Society",
    "환경": "Society", "날씨": "Society", "지역": "Regions", "전국": "Regions",
    "국제": "World", "세계": "World", "글로벌": "World",
    "문화": "Culture", "생활": "Culture", "라이프": "Culture", "건강": "Health", "의료": "Health",
    "연예": "Entertainment", "엔터": "Entertainment",
    "스포츠": "Sports", "야구": "Sports", "축구": "Sports", "농구": "Sports", "배구": "Sports", "골프": "Sports",
    "IT": "Science & Tech", "IT과학": "Science & Tech", "IT/과학": "Science & Tech", "과학": "Science & Tech",
    "테크": "Science & Tech", "오피니언": "Opinion", "사설": "Opinion", "칼럼": "Opinion",
}


def _key(name: str) -> str:
    return re.sub(r"[\s·.]", "", name)


def outlet_english(outlet: str | None, extra: Mapping[str, str] | None = None) -> str | None:
    """The outlet's English name: the config's [outlets] table first, then the built-in one; None where unknown.
    An outlet already written in Latin letters is its own English name."""
    if not outlet:
        return None
    key = _key(outlet)
    for table in (extra or {}, OUTLETS):
        for ko, en in table.items():
            if _key(ko) == key:
                return en
    if re.fullmatch(r"[A-Za-z0-9 .&'-]+", outlet):
        return outlet
    return None


def section_english(section: str | None) -> str | None:
    """The English of a page's section (`금융` -> Economy, `야구` -> Sports), or None where unknown; a section
    in Latin letters is its own English."""
    if not section:
        return None
    key = _key(section)
    if key in SECTIONS:
        return SECTIONS[key]
    for ko, en in SECTIONS.items():  # `경제일반`, `프로야구`: a known section within the name
        if len(ko) >= 2 and ko in key:
            return en
    if re.fullmatch(r"[A-Za-z &/-]+", section):
        return section.strip().title() if section.islower() else section.strip()
    return None


_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def with_zone(published: str | None) -> tuple[str | None, bool]:
    """A publication time with its zone: `2024-05-23T11:52` -> (`2024-05-23T11:52+09:00`, True: assumed);
    one with a zone keeps it (`Z` is written +00:00); a date alone stays as it is."""
    if not published:
        return None, False
    m = _TIME.match(published.strip())
    if not m:
        return published, False
    day, clock, _, zone = m.groups()
    if zone is None:
        return f"{day}T{clock}{KOREA_ZONE}", True
    if zone == "Z":
        zone = "+00:00"
    elif ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{day}T{clock}{zone}", False


def provenance(meta: Meta, outlets: Mapping[str, str] | None = None) -> Meta:
    """The metadata with the outlet's and the section's English names and the time's zone."""
    published, assumed = with_zone(meta.published)
    return Meta(outlet=meta.outlet, author=meta.author, published=published, url=meta.url, section=meta.section,
                outlet_en=outlet_english(meta.outlet, outlets), section_en=section_english(meta.section),
                zone_assumed=assumed)
