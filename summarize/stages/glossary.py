"""Names: the glossary (Korean -> English) and who and what an article names.

The glossary comes from the config's [glossary] table and a TSV file that the config names (`glossary_file`):
its names are checked in the model's English like the figures are (summarize.stages.guard). The names an
article holds are found in its morphemes (Kiwi's proper nouns, NNP) and its quotes' speakers, and sorted into
people, organisations and places by simple rules: a title after a name (`이창용 총재`) or a quote of one's
own makes a person; an organisation's ending (`-부`, `-청`, `-은행`, `-위원회`, ...) an organisation; a place's
ending (`-시`, `-도`, `-구`, ...) or a known country or city a place. A name that the glossary lacks gets a
romanisation (Revised Romanization, by the koroman library) for a team to take into its glossary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from ..errors import ConfigError
from ..records import Name, Quote, Sentence
from ._kiwi import Token

__all__ = ["read_tsv", "names_in", "has_name", "missing_names", "prerender_names", "find_names", "kind_of",
           "romanize", "TITLES", "ORG_ENDINGS", "PLACE_ENDINGS", "PLACES"]

Kind = Literal["person", "organisation", "place", "other"]

# Titles and roles written after a person's name (`박원순 시장`, `추경호 원내대표`)
TITLES = frozenset("""
대통령 총리 부총리 장관 차관 청장 처장 실장 국장 과장 팀장 본부장 원장 총재 부총재 위원장 위원 의장 부의장 의원 대표
원내대표 최고위원 대변인 비서실장 수석 지사 도지사 시장 군수 구청장 교육감 대사 총장 교수 박사 연구원 회장 부회장
사장 부사장 전무 상무 이사 이사장 대표이사 관장 감독 코치 선수 주장 기자 특파원 앵커 판사 검사 변호사 검찰총장
씨 여사 목사 신부 스님 작가 감독관 지부장 센터장 소장 국회의장 당선인 후보 후보자
""".split())

# An organisation's ending, longest first where one holds another
ORG_ENDINGS = ("위원회", "협의회", "연합회", "협회", "공사", "공단", "재단", "본부", "센터", "은행", "증권", "보험", "그룹",
               "전자", "대학교", "대학", "연구원", "연구소", "박물관", "미술관", "법원", "검찰청", "경찰청", "정부", "국회",
               "일보", "신문", "뉴스", "방송", "통신", "기업", "회사", "거래소", "조합", "학교", "병원", "당", "부", "청",
               "처", "원", "원회", "실")
# Endings that make an organisation even of a quoted speaker (a person's given name rarely ends so)
_STRONG_ORG_ENDINGS = tuple(e for e in ORG_ENDINGS if len(e) >= 2) + ("청", "부", "처", "당")
# A place's ending (administrative units)
PLACE_ENDINGS = ("특별시", "광역시", "특별자치시", "특별자치도", "시", "도", "군", "구", "읍", "면", "동", "리", "국")
# Countries, regions and cities a Korean article names without an ending, with their English names
PLACES: dict[str, str] = {
    "한국": "South Korea", "대한민국": "South Korea", "남한": "South Korea", "북한": "North Korea",
    "미국": "United States", "중국": "China", "일본": "Japan", "러시아": "Russia", "영국": "United Kingdom",
    "프랑스": "France", "독일": "Germany", "이탈리아": "Italy", "스페인": "Spain", "캐나다": "Canada",
    "호주": "Australia", "인도": "India", "베트남": "Vietnam", "태국": "Thailand", "대만": "Taiwan",
    "필리핀": "Philippines", "인도네시아": "Indonesia", "싱가포르": "Singapore", "말레이시아": "Malaysia",
    "몽골": "Mongolia", "이란": "Iran", "이스라엘": "Israel", "우크라이나": "Ukraine", "튀르키예": "Türkiye",
    "터키": "Türkiye", "브라질": "Brazil", "멕시코": "Mexico", "유럽": "Europe", "아시아": "Asia", "중동": "Middle East",
    "아프리카": "Africa", "서울": "Seoul", "부산": "Busan", "인천": "Incheon", "대구": "Daegu", "광주": "Gwangju",
    "대전": "Daejeon", "울산": "Ulsan", "세종": "Sejong", "제주": "Jeju", "경기": "Gyeonggi", "강원": "Gangwon",
    "충북": "North Chungcheong", "충남": "South Chungcheong", "전북": "North Jeolla", "전남": "South Jeolla",
    "경북": "North Gyeongsang", "경남": "South Gyeongsang", "수도권": "the capital area", "평양": "Pyongyang",
    "개성": "Kaesong", "도쿄": "Tokyo", "오사카": "Osaka", "베이징": "Beijing", "상하이": "Shanghai",
    "선전": "Shenzhen", "홍콩": "Hong Kong", "타이베이": "Taipei", "워싱턴": "Washington", "뉴욕": "New York",
    "런던": "London", "파리": "Paris", "베를린": "Berlin", "모스크바": "Moscow", "브뤼셀": "Brussels",
    "제네바": "Geneva", "하노이": "Hanoi",
}
# An organisation or a place is also known by the word after it: `삼성전자 관계자`, `서울 시내`
_ORG_AFTER = frozenset({"관계자", "측", "노조", "주가", "주식", "실적", "사측", "임직원", "직원"})

# Customary spellings of the commonest surnames, where they differ from the Revised Romanization
SURNAMES = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho", "윤": "Yoon",
            "임": "Lim", "신": "Shin", "권": "Kwon", "곽": "Kwak", "유": "Yoo", "류": "Ryu", "우": "Woo", "오": "Oh",
            "노": "Roh", "문": "Moon", "구": "Koo", "고": "Ko", "심": "Shim", "주": "Joo", "선우": "Sunwoo",
            "남궁": "Namgoong", "황보": "Hwangbo", "제갈": "Jegal"}
_TWO_SYLLABLE_SURNAMES = ("남궁", "선우", "황보", "제갈", "독고", "사공", "서문")


def read_tsv(path: str | Path) -> dict[str, str]:
    """A glossary file: one `Korean<TAB>English` a line; blank lines and lines starting with # are skipped."""
    out: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ConfigError(f"glossary file {path}: {e.strerror or e}") from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ConfigError(f"glossary file {path}, line {n}: not `Korean<TAB>English`: {line.strip()[:60]!r}")
        out[parts[0]] = parts[1]
    return out


def names_in(text: str, glossary: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The glossary's names in a Korean text, (Korean, English), longest first where two overlap, in order.
    A name counts where no Hangul letter stands right before it (`이창용` in `이창용 총재는`, not in `박이창용`)."""
    if not glossary or not text:
        return ()
    taken: list[tuple[int, int, str]] = []
    for ko in sorted(glossary, key=len, reverse=True):
        for m in re.finditer(re.escape(ko), text):
            s, e = m.span()
            if s > 0 and "가" <= text[s - 1] <= "힣":
                continue
            if any(s < e2 and s2 < e for s2, e2, _ in taken):
                continue
            taken.append((s, e, ko))
    seen: dict[str, str] = {}
    for _, _, ko in sorted(taken):
        seen.setdefault(ko, glossary[ko])
    return tuple(seen.items())


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("-", "").replace("'s", "")).split()


def has_name(en_name: str, en: str) -> bool:
    """Whether an English holds a name's English: every word of it, in any order (`Chang-yong Rhee` holds
    `Rhee Chang-yong`), case and hyphens aside."""
    want = _words(en_name)
    have = set(_words(en))
    return bool(want) and all(w in have for w in want)


def missing_names(names: Iterable[tuple[str, str]], en: str) -> list[tuple[str, str]]:
    """The (Korean, English) names whose English the English lacks."""
    return [(ko, name) for ko, name in names if not has_name(name, en)]


def prerender_names(ko: str, names: Iterable[tuple[str, str]]) -> str:
    """The Korean with each of the names written in its English, for the model to copy: `이창용 총재는` ->
    `Rhee Chang-yong 총재는`."""
    for name_ko, name_en in sorted(names, key=lambda p: len(p[0]), reverse=True):
        ko = re.sub(rf"(?<![가-힣]){re.escape(name_ko)}", name_en.replace("\\", "\\\\"), ko)
    return ko


def kind_of(ko: str, after: str | None = None, speaker: bool = False) -> Kind:
    """Person, organisation, place or other, by the rules of the module docstring. `after` is the word written
    after the name (a title, `관계자`; a particle after it is left out); `speaker`: the article quotes it."""
    after = _head(after)
    if after in _ORG_AFTER and not speaker:
        return "organisation"
    if after not in TITLES and any(ko.endswith(e) and len(ko) > len(e) for e in _STRONG_ORG_ENDINGS):
        return "organisation"  # a speaker that is an office (`기상청`), not a person
    if (after in TITLES or speaker) and _person_like(ko):
        return "person"
    if ko in PLACES:
        return "place"
    for end in ORG_ENDINGS:
        if ko.endswith(end) and len(ko) > len(end) + (1 if len(end) == 1 else 0):
            return "organisation"
    for end in PLACE_ENDINGS:
        if ko.endswith(end) and len(ko) > len(end) and len(ko) <= len(end) + 4:
            return "place"
    if speaker:
        return "person"
    return "other"


def _head(word: str | None) -> str | None:
    """The title or word a following word starts with (`총재는` -> `총재`), or the word."""
    if not word:
        return None
    for n in range(len(word), 0, -1):
        if word[:n] in TITLES or word[:n] in _ORG_AFTER:
            return word[:n]
    return word


def _person_like(ko: str) -> bool:
    """A Korean personal name: two to four Hangul syllables (a foreign one written in Hangul may be longer)."""
    return bool(re.fullmatch(r"[가-힣]{2,5}", ko))


@functools.lru_cache(maxsize=4096)
def romanize(ko: str, kind: str = "other") -> str:
    """The Revised Romanization of a name (koroman): a person's as `Surname Given-name` without sound changes
    (the customary spelling of the commonest surnames), a place's administrative ending after a hyphen
    (`Gangnam-gu`), anything else as it is pronounced."""
    import koroman

    def rr(text: str, rules: bool = True) -> str:
        out: str = koroman.romanize(text, use_pronunciation_rules=rules, use_custom_dictionary=False)
        return out

    if not re.search(r"[가-힣]", ko):
        return ko
    if kind == "person" and _person_like(ko) and len(ko) <= 4:
        two = ko[:2] in _TWO_SYLLABLE_SURNAMES and len(ko) >= 3
        surname, given = (ko[:2], ko[2:]) if two else (ko[:1], ko[1:])
        family = SURNAMES.get(surname) or rr(surname, rules=False).capitalize()
        first = "-".join(rr(c, rules=False) for c in given).capitalize()
        return f"{family} {first}"
    if kind == "place":
        for end in PLACE_ENDINGS:
            if ko.endswith(end) and len(ko) > len(end) and end not in ("국",):
                return f"{rr(ko[: -len(end)]).capitalize()}-{rr(end)}"
    return " ".join(rr(w).capitalize() for w in ko.split())


def find_names(sentences: Sequence[Sentence], tokens: Mapping[int, Sequence[Token]], quotes: Sequence[Quote],
               glossary: Mapping[str, str], title: str | None = None) -> tuple[Name, ...]:
    """Who and what the article names: proper nouns (runs of Kiwi's NNP written together), quote speakers and
    the glossary's names, each once, with its kind, its English (the glossary's, else a romanisation) and how
    often the article names it; most named first, then in the article's order."""
    found: dict[str, tuple[int, Kind]] = {}  # name -> (first position, kind)
    order = 0

    def add(ko: str, kind: Kind) -> None:
        nonlocal order
        if len(ko) < 2 or not re.search(r"[가-힣]", ko):
            return
        if ko in found:
            first, old = found[ko]
            better = old == "other" or (kind == "person" and old != "person")
            found[ko] = (first, kind if better and kind != "other" else old)
        else:
            found[ko] = (order, kind)
            order += 1

    speakers = {q.speaker for q in quotes if q.speaker}
    # a named speaker's affiliation, the words of their role before its title (`한은` of `한은 총재`)
    affiliations = {a for q in quotes if q.speaker and q.speaker_title for a in [_affiliation(q.speaker_title)] if a}
    for s in sentences:
        run: list[Token] = []
        before: str | None = None  # the name just before this one, a space apart
        toks = list(tokens.get(s.id, ()))
        for i, t in enumerate(toks + [Token("", "", 10**9, 0)]):
            if t.tag == "NNP" and (not run or run[-1].start + run[-1].len == t.start):
                run.append(t)
                continue
            if run:
                ko = s.ko[run[0].start: run[-1].start + run[-1].len]
                after = t.form if t.tag.startswith("NN") else None
                if ko in affiliations or (before in speakers and ko not in speakers and ko not in PLACES):
                    add(ko, "organisation")  # `이창용 한은 총재`: the title is the person's, the name before it theirs
                else:
                    add(ko, kind_of(ko, after, ko in speakers))
                end = run[-1].start + run[-1].len
                before = ko if t.tag == "NNP" and s.ko[end:t.start] == " " else None
            run = [t] if t.tag == "NNP" else []
            if i >= len(toks):
                break
    for who in speakers:
        add(who, kind_of(who, None, True))
    text = "\n".join(([title] if title else []) + [s.ko for s in sentences])
    for ko, _ in names_in(text, glossary):
        add(ko, found[ko][1] if ko in found else kind_of(ko, _word_after(text, ko), ko in speakers))
    out = []
    for ko, (first, kind) in found.items():
        count = len(re.findall(rf"(?<![가-힣]){re.escape(ko)}", text)) or 1
        en = glossary.get(ko) or (_known_place(ko) if kind == "place" else None)
        out.append((-count, first, Name(ko, en or romanize(ko, kind), kind, en is None, count)))
    return tuple(n for _, _, n in sorted(out, key=lambda x: (x[0], x[1])))


def _known_place(ko: str) -> str | None:
    """The English of a known country or city, also with its administrative ending (`서울시` -> Seoul)."""
    if ko in PLACES:
        return PLACES[ko]
    for end in ("특별시", "광역시", "시", "도"):
        if ko.endswith(end) and ko[: -len(end)] in PLACES:
            return PLACES[ko[: -len(end)]]
    return None


def _affiliation(role: str) -> str | None:
    """The organisation in a role (`한은 총재` -> `한은`, `더불어민주당 원내대표` -> `더불어민주당`), or None."""
    words = role.split()
    while words and _head(words[-1]) in TITLES:
        words.pop()
    return " ".join(words) if words and len(words) < len(role.split()) else None


def _word_after(text: str, ko: str) -> str | None:
    m = re.search(rf"(?<![가-힣]){re.escape(ko)}\s?([가-힣]+)", text)
    return m.group(1) if m else None
