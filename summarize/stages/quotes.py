"""Quotes: every direct quote, verbatim, with who said it.

Double quotes (“…”, "…", 「…」, 『…』, MBC's ″…″) hold speech; single quotes (‘…’, ′…′) hold speech
only when a quotative follows (‘…다’고 말했다) — otherwise they mark emphasis, names or years and are
not quotes. A quote inside a quote stays part of it (″…′조금만 기다리라′는 말만…″ is one quote).
A quote that opens in one paragraph and closes in a later one (each paragraph is its own sentence
here) is one quote. A broadcast sound-bite (`[홍길동 / 시민 : …]`, which cleaning turns into a body
sentence and a speaker) is one quote of its whole sentence, with the speaker cleaning gives (`spoken`).

The speaker is the person: the topic or subject before the quote (`성기홍 연합뉴스 사장은 “…”`), or
after it (`“…”라고 박 시장은 말했다`), taken apart into a name and a title (성기홍, 연합뉴스 사장). A name
with a parenthesis (`손흥민(28·토트넘)이`, `최민아(34·자영업)씨는`) keeps its role from the parenthesis.
People named anywhere in the article are remembered with their titles, so that a surname and a title
(`김 총재는`), a title alone (`국토부 장관은`: the last person named with that title), a family name
(`알무타이리 의장은`) or a pronoun (`그는`: the person the article last spoke of) resolves to the name.
Someone the article does not name has no speaker and a title (`한 증권사 연구원은` -> None, 증권사
연구원); an organisation speaks only where no person is named (`기상청은 “…”`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Quote, Sentence
from ._kiwi import Token, tokenize
from ._text import DOUBLE_SURNAMES, SURNAMES

__all__ = ["find_quotes", "quote_marks", "split_speaker"]

_DOUBLE = {"“": "”", '"': '"', "「": "」", "『": "』", "″": "″", "〝": "〞"}
_SINGLE = {"‘": "’", "'": "'", "′": "′"}
_QUOTATIVE = re.compile(
    r"^(?:라고|이라고|고|라며|이라며|며|라면서|이라면서|면서|하고|라고도|고도|란|이란|라는\s?(?:말|입장|뜻|얘기|주장|의견)|"
    r"이라는\s?(?:말|입장|뜻|얘기|주장|의견)|라고\s?했|라\s?했|고\s?했|라고만|고만|"
    r"(?:는|라는|이라는)\s?(?:[가-힣]+님?\s)?(?:말씀|말|얘기|주문|당부|지시|조언|질문|약속|다짐))"
)
_NAMING = re.compile(r"^(?:라는|이라는|는|은|이|가|를|을|의|와|과|로|으로|에|도|란)(?:\s|$)")
_PREDICATE_END = re.compile(r"(?:다|요|까|죠|네|자|라|지|군|나|니다|세요|워|해|야|어|아|게|걸)[.!?…]*$")
_SPEECH_VERB = re.compile(r"(?:말했|밝혔|강조했|설명했|덧붙였|전했|주장했|지적했|말한다|밝힌다)(?:다|습니다)")
_PRONOUNS = {"그", "그녀", "그들", "이들", "그는", "그녀는"}
_TOPIC_FORMS = {"은", "는", "이", "가", "께서", "도"}
# The common Korean surnames: a word that starts with one is more likely a person's name.
_COMPOUND_SURNAMES = tuple(sorted(DOUBLE_SURNAMES))

# Words that end a phrase naming a role (the head of a title): 장관, 연구원, 관계자, 주민 …
ROLES = sorted({
    "대통령", "총리", "부총리", "장관", "차관", "총재", "부총재", "의원", "국회의장", "의장", "부의장", "위원장", "위원",
    "원내대표", "대표", "대변인", "사장", "부사장", "회장", "부회장", "이사장", "이사", "전무", "상무", "부장", "차장",
    "팀장", "과장", "국장", "실장", "본부장", "단장", "센터장", "소장", "원장", "청장", "처장", "시장", "군수",
    "구청장", "도지사", "지사", "교육감", "교수", "연구원", "연구위원", "애널리스트", "이코노미스트", "연구관",
    "연구사", "학예연구관", "학예사", "관계자", "교사", "교장", "총장", "학장", "학생", "수험생", "주민", "시민",
    "할머니", "할아버지", "어머니", "아버지", "엄마", "아빠", "어민", "농민", "상인", "주인", "감독", "코치",
    "선수", "주장", "배우", "가수", "작가", "판사", "재판장", "검사", "변호사", "의사", "전문의", "간호사",
    "소방관", "경찰관", "목격자", "피해자", "응답자", "관광객", "이장", "조합장", "계장", "서장", "대장", "기자",
    "대사", "외교장관", "사무총장", "비서관", "수석", "특보", "리더", "멤버", "직원", "근로자", "운전자",
    "자영업자", "회사원", "직장인", "병장", "대령", "사령관", "지휘관", "경위", "경감", "총경", "PD",
    "CEO", "대표이사", "창업자", "설립자", "집주인", "세입자", "매니저", "전문가", "평론가", "해설위원",
    "위원회 위원장", "부원장", "공보관", "관장", "감독대행", "직무대행", "대행", "부관장", "예보관", "감독관",
    "조사관", "외교관", "공무원", "연구자", "담당자", "책임자", "활동가", "사무국장", "사무처장", "경제부총리", "아나운서", "앵커", "어린이", "아이", "아동", "남편", "아내", "딸", "아들",
}, key=len, reverse=True)
_ROLE_RE = re.compile("(?:" + "|".join(re.escape(r) for r in ROLES) + r")(?:님)?$")
# Words that name an organisation or a place, not a person
_ORG_SUFFIX = re.compile(
    r"(?:시|군|청|부|처|회|당|은행|공사|공단|증권|전자|그룹|재단|협회|병원|학교|센터|본부|연구소|대학|대학교|위원회|"
    r"경찰서|소방서|법원|지법|고법|검찰청|교육청|구청|군청|시청|도청|공항|대사관|협의회|조합|노조|기업|상가|재판부|"
    r"측|원|대|국|사|소|실|과|팀|단|관)$")
PLACES = {
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남", "전북", "전남", "경북",
    "경남", "제주", "경기도", "강원도", "제주도", "한국", "미국", "중국", "일본", "북한", "남한", "러시아", "영국", "독일",
    "프랑스", "인도", "인도네시아", "베트남", "태국", "필리핀", "싱가포르", "말레이시아", "호주", "캐나다", "브라질",
    "멕시코", "이탈리아", "스페인", "대만", "홍콩", "우크라이나", "이스라엘", "이란", "사우디", "튀르키예", "터키",
    "정부", "국회", "청와대", "대통령실", "여당", "야당", "여야", "당국", "경찰", "검찰", "법원", "소방", "군", "시",
    "이날", "이번", "지난", "당시", "현재", "최근", "올해", "작년", "내년", "오늘", "어제", "한편", "특히", "또",
}
PARTIES = {"국민의힘", "민주당", "더불어민주당", "한나라당", "새누리당", "열린우리당", "정의당", "국민의당", "자유한국당",
           "미래통합당", "통합당", "개혁신당", "조국혁신당", "진보당"}
PLACES |= PARTIES
# What ends the name of a body or a place even where a surname starts it (한빛대, 여수시, 한빛증권)
_STRONG_ORG = re.compile(
    r"(?:시|군|청|부|처|회|당|대|은행|공사|공단|증권|전자|그룹|재단|협회|병원|학교|센터|본부|연구소|연구원|대학|대학교|"
    r"위원회|경찰서|소방서|법원|지법|고법|검찰청|교육청|구청|군청|시청|도청|공항|대사관|협의회|조합|노조|기업|상가|"
    r"재판부|측|학과|과학|공학|신문|방송|일보|뉴스|통신|팀|단체|업계|업체|당국)$")
# Foreign names the analyser knows as proper nouns end otherwise than abbreviations of bodies (중대본, 인수위)
_ORGISH_END = re.compile(r"[본청부원회사단협련공위대처국실과팀소관당청군시]$")
_LEAD_NOISE = re.compile(r"^(?:\d[\d,.]*\S*|이날|오늘|어제|당시|현재|최근|이번|올해|작년|지난해|또|또한|한편|특히|다만|"
                         r"그러나|하지만|이어|이에|결국|앞서|아울러)$")
_NOMINAL_TAGS = {"NNG", "NNP", "NNB", "NR", "NP", "SL", "SN", "SH", "XSN", "XPN", "XR", "SSO", "SSC", "SP", "SW", "SO",
                 "MM", "W_SERIAL", "Z_CODA", "IC"}
_PROPER = {"NNP", "WHOLE"}
_PAREN = re.compile(r"^(?P<base>[^()]*)\((?P<inner>[^()]*)\)(?P<rest>.*)$")


# --------------------------------------------------------------------------- quote marks


def quote_marks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, opener) of the text inside each quote pair; nested ‘…’ inside “…” stays inside."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        closer = _DOUBLE.get(ch) or _SINGLE.get(ch)
        if closer is None or (ch in "'‘" and re.match(r"\d{2}(?:년|\b)", text[i + 1:])):
            i += 1
            continue
        j = text.find(closer, i + 1)
        if ch == "'":
            # skip apostrophe years inside when looking for the closer
            while j != -1 and re.match(r"\d{2}(?:년|\b)", text[j + 1:]):
                j = text.find(closer, j + 1)
        if j == -1:
            i += 1
            continue
        out.append((i + 1, j, ch))
        i = j + 1
    return out


def _unclosed(text: str) -> tuple[int, str] | None:
    """The position after a double opener that no closer in the sentence matches, and the opener."""
    spans = quote_marks(text)
    for i, ch in enumerate(text):
        if ch in _DOUBLE and not any(a - 1 <= i < b + 1 for a, b, _ in spans):
            return i + 1, ch
    return None


def _is_speech(text: str, start: int, end: int, opener: str) -> bool:
    inner = text[start:end]
    after = text[end + 1:end + 12]
    if opener in _DOUBLE:
        m = _QUOTATIVE.match(after)
        if m and not m.group().startswith(("라는", "이라는", "란", "이란")):
            return True
        if m:  # “…”라는 말: speech only if it is a clause, not a term (“K-방역”이라는 말)
            return len(inner) >= 8 and " " in inner
        if _NAMING.match(after) or re.match(r"^[)\]]", after):
            return len(inner) >= 25 and " " in inner and bool(_PREDICATE_END.search(inner))
        return len(inner) >= 10 and " " in inner
    # single quotes: speech only when a quotative follows a full clause
    return bool(_QUOTATIVE.match(after)) and len(inner) >= 5 and " " in inner and bool(_PREDICATE_END.search(inner))


# --------------------------------------------------------------------------- people


@dataclass
class _Person:
    name: str
    title: str | None
    seen: int  # order of the last mention


class _People:
    """The people an article names, with their titles, in the order it last mentioned them."""

    def __init__(self) -> None:
        self.people: dict[str, _Person] = {}
        self.clock = 0

    def add(self, name: str, title: str | None) -> None:
        self.clock += 1
        if " " in name:
            for part in name.split():
                self.people.pop(part, None)  # 알무타이리, met alone before, is 하산 알무타이리
        elif any(name in p.split()[1:] for p in self.people if " " in p):
            return
        p = self.people.get(name)
        if p is None:
            self.people[name] = _Person(name, title, self.clock)
        else:
            p.title = p.title or title
            p.seen = self.clock

    def title(self, name: str) -> str | None:
        p = self.people.get(name)
        return p.title if p else None

    def _recent(self, cands: list[_Person]) -> _Person | None:
        return max(cands, key=lambda p: p.seen) if cands else None

    def by_surname(self, surname: str, role: str | None) -> _Person | None:
        same = [p for p in self.people.values() if p.name.startswith(surname) and " " not in p.name
                and len(p.name) >= 2 and p.name[0] in SURNAMES]
        if role:
            titled = [p for p in same if p.title and (p.title.endswith(role) or role in p.title.split())]
            if titled:
                return self._recent(titled)
            same = [p for p in same if not p.title]  # 이 교수 is not 이준호, named as a husband
        return self._recent(same) if len({p.name for p in same}) == 1 or not role else None

    def by_part(self, word: str) -> _Person | None:
        return self._recent([p for p in self.people.values() if word in p.name.split()[1:] or
                             (" " in p.name and p.name.split()[-1] == word)])

    def by_role(self, words: list[str]) -> _Person | None:
        head = _role_of(words[-1])
        if head is None:
            return None
        qual = "".join(words[:-1]) + words[-1][:len(words[-1]) - len(head)]
        cands = [p for p in self.people.values() if p.title and _role_of(p.title.split()[-1]) == head]
        if qual:
            fit = [p for p in cands if _abbreviates(qual, (p.title or "").replace(" ", ""))]
            # 싱가포르 외교장관: the 외교장관 named before, titled without the country; 더불어민주당 원내대표
            # is not the 국민의힘 원내대표 named before
            cands = fit or (cands if "".join(words[:-1]) in PLACES else [])
        return self._recent(cands)


def _abbreviates(short: str, full: str) -> bool:
    """국토부 abbreviates 국토교통부: its letters appear in the same order."""
    it = iter(full)
    return all(ch in it for ch in short)


def _role_of(word: str) -> str | None:
    m = _ROLE_RE.search(word)
    return m.group().removesuffix("님") if m else None


def _strip_paren(word: str) -> tuple[str, str | None]:
    m = _PAREN.match(word)
    if not m:
        return word, None
    return m.group("base") + m.group("rest"), m.group("inner")


def _paren_title(inner: str | None) -> str | None:
    """`34·자영업` -> 자영업; `28·토트넘` -> 토트넘; `72` -> None."""
    if not inner:
        return None
    inner = inner.replace("\u00a0", " ")
    parts = [p.strip() for p in re.split(r"[·,/]", inner) if p.strip()]
    parts = [p for p in parts if not re.search(r"\d", p) and not re.fullmatch(r"[남여]|[남여]성", p)]
    return " ".join(parts) or None


def _is_name(word: str, tag: str | None, people: _People | None = None, relaxed: bool = False) -> bool:
    """Whether a word (without its parenthesis) is a person's name: a Korean name of two to four
    syllables that starts with a surname, or a foreign name the analyser knows as a proper noun."""
    if people is not None and word in people.people:
        return True
    if not re.fullmatch(r"[가-힣]{2,5}", word) or word in PLACES or _role_of(word) == word:
        return False
    if tag == "COMMON" and len(word) == 2:
        return False  # 방식, 경기, 반면: common nouns that start like a surname
    if word.startswith(_COMPOUND_SURNAMES) and len(word) in (3, 4):
        return True
    if word[0] in SURNAMES and 2 <= len(word) <= 4 and not _STRONG_ORG.search(word):
        return True
    if relaxed and word[0] in SURNAMES and len(word) == 3 and word.endswith("대") and tag == "WHOLE":
        return True  # 박찬대: a name the analyser reads whole (where no other word is a name: not 한빛대)
    return tag in _PROPER and not _ORG_SUFFIX.search(word) and len(word) >= 2 and not _ORGISH_END.search(word)


def _name_in(bases: list[str], tags: dict, people: _People, stop: int) -> tuple[int, int] | None:
    """(first, last) word of the likeliest name among bases[:stop]; a foreign name may take two words."""
    cands = [i for i in range(stop) if _is_name(bases[i], tags.get(bases[i]), people)] or \
        [i for i in range(stop) if _is_name(bases[i], tags.get(bases[i]), people, relaxed=True)]
    if not cands:
        return None
    i = max(cands, key=lambda k: (_name_score(bases[k], tags.get(bases[k]), people), k))
    b = bases[i]
    if _korean_name(b):
        return i, i
    i0, i1 = i, i
    if i > 0 and (_foreign_part(bases[i - 1], tags) or i - 1 == 0 and _foreign_part(bases[i - 1], tags, loose=True)):
        i0 = i - 1  # 닐 맥퍼슨, 에밀리 존슨, 아디 프라타마
    elif i + 1 < stop and _foreign_part(bases[i + 1], tags):
        i1 = i + 1  # 하산 알무타이리
    between = bases[i1 + 1:stop]
    if b not in people.people and any(re.search(r"\d", w) or not (re.search(r"[A-Za-z]", w) or tags.get(w) in _PROPER
                                                                  or _ORG_SUFFIX.search(w)) for w in between):
        return None  # 아세안 10개국 가운데 6개국 외교장관: no name here
    return i0, i1


def _korean_name(word: str, tag: str | None = None) -> bool:
    return len(word) == 3 and word[0] in SURNAMES and not _STRONG_ORG.search(word)


def _foreign_part(word: str, tags: dict, loose: bool = False) -> bool:
    """A word of a foreign name (the analyser's proper noun; `loose`: any word of two or three letters that
    is not a place, a role or an organisation, as the first word of a phrase)."""
    if not re.fullmatch(r"[가-힣]+", word) or word in PLACES or _role_of(word) or _LEAD_NOISE.match(word):
        return False
    if _ORG_SUFFIX.search(word) or _ORGISH_END.search(word):
        return False
    return tags.get(word) in _PROPER or (loose and 2 <= len(word) <= 3)


def _title_before(words: list[str], tags: dict, has_after: bool) -> list[str]:
    """The words before a name that belong to its title: the body it works for (한빛대 지역개발학과 이상림
    교수), or its role where no title follows the name (주연 배우 윤태오); not `경기 후`, `반면`, `열두 살`."""
    out: list[str] = []
    for w in reversed(words):
        orgish = (bool(_ORG_SUFFIX.search(w) or _STRONG_ORG.search(w) or re.search(r"[A-Za-z]", w)
                       or tags.get(w) in _PROPER) and w not in PLACES - {"정부", "국회"}) or w in PARTIES
        role = _role_of(w) is not None
        if orgish or role or (out and _role_of(out[0]) and not _LEAD_NOISE.match(w) and not re.search(r"\d|살|세$", w)
                              and w not in ("경기", "후", "반면", "전", "당시")):
            out.insert(0, w)
            continue
        break
    if has_after:
        return [w for w in out if _role_of(w) is None or w == out[-1]] if out else out
    return out


def _name_score(word: str, tag: str | None, people: _People) -> int:
    """How much a word looks like a Korean name: three syllables, a surname, known to the analyser."""
    if word in people.people:
        return 9
    return 2 * (len(word) == 3) + (word[:1] in SURNAMES) + (tag in _PROPER)


def split_speaker(phrase: str, people: _People | None = None, tags: dict[str, str] | None = None
                  ) -> tuple[str | None, str | None] | None:
    """(speaker, title) of a phrase that names who speaks; None for a pronoun (the caller resolves it).

    `이상림 한빛대 지역개발학과 교수` -> (이상림, 한빛대 지역개발학과 교수); `한 증권사 연구원` -> (None, 증권사
    연구원); `김 총재` -> the 김 named before with that title; `기상청` -> (기상청, None)."""
    people = people or _People()
    tags = tags or {}
    phrase = phrase.strip().strip("\"“”‘’'′″「」『』").strip()
    phrase = re.sub(r"\(([^()]*)\)", lambda m: "(" + m.group(1).replace(" ", "\u00a0") + ")", phrase)
    words = [w for w in phrase.split(" ") if w]
    while words and _LEAD_NOISE.match(words[0]):
        words = words[1:]
    if not words:
        return (None, None)
    if " ".join(words) in _PRONOUNS or words[-1] in _PRONOUNS:
        return None
    words[-1] = re.sub(r"님$", "", words[-1]) if _role_of(words[-1]) else words[-1]
    # 씨: 이준호(36)씨, 오창읍 주민 정영숙(67)씨, A씨
    last, inner = _strip_paren(words[-1])
    if re.fullmatch(r"[가-힣]{3}[양군]", last) and last[0] in SURNAMES and (inner is not None or len(words) > 1):
        last = last[:-1] + "씨"  # 김다인(18)양: a minor, named like 씨
    if last.endswith("씨") and (last != "씨" or len(words) >= 2):
        if last == "씨":
            core, inner2 = _strip_paren(words[-2])
            rest = words[:-2]
        else:
            core, inner2 = last[:-1], inner
            rest = words[:-1]
            if not core:
                return (None, None)
        inner = inner2 if inner2 is not None else inner
        core = core.strip()
        if re.fullmatch(r"[A-Za-z가-힣]", core):  # A씨, 김씨: keep the 씨
            name = core + "씨"
        else:
            name = core
            if rest and not _korean_name(core) and _foreign_part(rest[-1], tags):
                name, rest = f"{rest[-1]} {core}", rest[:-1]  # 에밀리 존슨(29)씨
        before = _title_before(rest, tags, False) if rest and _role_of(rest[-1]) else []
        title = _paren_title(inner) or (" ".join(before) if before else None)
        if len(core) == 1 and core in SURNAMES:
            p = people.by_surname(core, None)
            if p is not None:
                return (p.name, p.title)
        return (name, title or people.title(name))
    plain = [_strip_paren(w) for w in words]
    bases = [b for b, _ in plain]
    head = _role_of(bases[-1])
    if head is None and len(bases) >= 2 and (_korean_name(bases[-1], tags.get(bases[-1])) or bases[-1] in people.people):
        # 주연 배우 윤태오, 열두 살 아역 배우 윤하람: the role before the name
        name = bases[-1]
        title = " ".join(_title_before(bases[:-1], tags, False)) or None
        return (name, title or _paren_title(plain[-1][1]) or people.title(name))
    if head is None:
        # 정민호 교수 연구팀이: the person is the name before the last title inside the phrase
        for j in range(len(words) - 2, 0, -1):
            if _role_of(bases[j]) and any(_is_name(b, tags.get(b), people) for b in bases[:j]):
                words, plain, bases = words[:j + 1], plain[:j + 1], bases[:j + 1]
                head = _role_of(bases[j])
                break
    if head is not None and head != "관계자":
        found = _name_in(bases, tags, people, len(words) - 1)
        if found is not None:
            i0, i1 = found
            name = " ".join(bases[i0:i1 + 1])
            known = people.by_part(name) if " " not in name and not _korean_name(name) else None
            if known is not None:
                return (known.name, known.title)  # 알무타이리 의장: 하산 알무타이리, named before
            inner = next((plain[k][1] for k in range(i0, i1 + 1) if plain[k][1]), None)
            after = [bases[k] for k in range(i1 + 1, len(words))]
            before = _title_before(bases[:i0], tags, bool(after))
            title = " ".join(before + after).strip()
            title = re.sub(r"^한\s", "", title) or None
            return (name, title or _paren_title(inner) or people.title(name))
    if head is not None:
        # 김 총재, 알무타이리 의장: a name met before
        if len(words) == 2 and len(bases[0]) == 1 and bases[0] in SURNAMES and head != "관계자":
            p = people.by_surname(bases[0], head)
            if p is not None:
                return (p.name, p.title)
            return (" ".join(bases), head)  # 김 감독, whose full name the article does not give
        if len(words) == 2:
            p = people.by_part(bases[0])
            if p is not None:
                return (p.name, p.title)
        # 국토부 장관: the last person named with that title
        if words[0] != "한":
            p = people.by_role(bases)
            if p is not None:
                return (p.name, p.title)
        if words[0] == "한" and len(words) > 1:
            words = words[1:]
        if len(words) == 1 and head != words[0] and len(words[0]) >= 5 and _ORG_SUFFIX.search(words[0][:-len(head)] + "원"):
            return (words[0], None)  # 한국개발연구원: an institute
        return (None, " ".join(words))
    # no title: a name alone (류현진은), an organisation (기상청은), a group (피해자들은)
    if len(words) <= 2 and _is_name(bases[-1], tags.get(bases[-1]), people) and (
            bases[-1] in people.people or bases[-1][0] in SURNAMES or tags.get(bases[-1]) in _PROPER):
        name = bases[-1]
        if len(words) == 2 and tags.get(bases[0]) in _PROPER and bases[0][0] not in SURNAMES and bases[0] not in PLACES:
            name = f"{bases[0]} {bases[1]}"
        return (name, _paren_title(plain[-1][1]) or people.title(name))
    if len(words) == 1:
        p = people.by_part(bases[0])
        if p is not None:
            return (p.name, p.title)
    if words[-1] == "재판부":
        p = people.by_role(["판사"]) or people.by_role(["재판장"])
        if p is not None:
            return (p.name, p.title)
    return (" ".join(re.sub(r"\([^)]*\)", "", w) for w in words).strip() or None, None)


# --------------------------------------------------------------------------- phrases


def _words_tags(text: str, toks: list[Token]) -> dict[str, str]:
    """What the analyser makes of each word: NNP where it starts with a proper noun (a name), COMMON
    where it starts with a common noun of two letters or more (연구팀, 방식: not a name)."""
    out: dict[str, str] = {}
    for m in re.finditer(r"[^\s()·,]+", text):
        inside = [t for t in toks if m.start() <= t.start < m.end()]
        if not inside or inside[0].start != m.start():
            continue
        if inside[0].tag == "NNP":
            tag = "NNP"
        elif inside[0].tag == "NNG" and inside[0].len >= 2:
            tag = "COMMON"
        else:
            continue
        for t in inside:  # the word and each of its beginnings: 연구팀이, 연구팀, 연구
            out.setdefault(text[m.start():t.start + t.len], tag)
        if tag == "NNP":
            out[text[m.start():inside[0].start + inside[0].len]] = "WHOLE"  # one proper noun: 박찬대, not 한빛+대
    return out


def _phrases(text: str, toks: list[Token], limit: int, masked: list[tuple[int, int]],
             forms=_TOPIC_FORMS, tags=("JX", "JKS")):
    """(particle tag, phrase start, phrase end) for each subject or topic phrase of text[:limit], in order:
    the words before the particle, back to the first word that is not a noun (a verb, a particle)."""
    for t in toks:
        if t.start >= limit:
            break
        if t.tag not in tags or t.form not in forms or any(a <= t.start < b for a, b in masked):
            continue
        end = t.start
        if end == 0 or text[end - 1].isspace():
            continue
        wstart = text.rfind(" ", 0, end) + 1
        if not _nominal(toks, wstart, end):
            continue
        start = wstart
        count = 1
        while count < 7 and start > 0:
            pend = start - 1
            while pend > 0 and text[pend - 1].isspace():
                pend -= 1
            pstart = text.rfind(" ", 0, pend) + 1
            if pend <= pstart or any(a <= pstart < b for a, b in masked) or not _nominal(toks, pstart, pend) \
                    or text[pend - 1] in ",.":
                break
            start = pstart
            count += 1
        yield t.tag, start, end


def _nominal(toks: list[Token], a: int, b: int) -> bool:
    inside = [t for t in toks if a <= t.start < b]
    return bool(inside) and all(t.tag in _NOMINAL_TAGS for t in inside)


def _speaker_before(text: str, toks: list[Token], limit: int, masked, people: _People, tags):
    """The topic (은/는) or else the subject (이/가) of the clause before the quote, as (speaker, title);
    None for a pronoun; () where there is none."""
    cands = []
    for tag, a, b in _phrases(text, toks, limit, masked):
        phrase = text[a:b].strip()
        if not phrase or re.fullmatch(r"[\d\s.,%]+", phrase):
            continue
        cands.append((0 if tag == "JX" else 1, phrase, b))
    if not cands:
        return ()
    topics = [c for c in cands if c[0] == 0]
    phrase = topics[0][1] if topics else cands[-1][1]
    if len(cands) > 1 and limit - cands[-1][2] <= 3:
        phrase = cands[-1][1]  # 경찰은 공장 측이 ′…′고: who speaks is named right before the quote
    return split_speaker(phrase, people, tags)


def _speaker_after(text: str, toks, end: int, spans, people: _People, tags):
    """“…”라고 박 시장은 말했다: the subject after the last quote of the sentence."""
    later = [a for a, _, _ in spans if a > end]
    stop = (later[0] - 1) if later else len(text)
    post = text[end + 1:stop]
    m = re.match(r"^(?:라고|이라고|고|라며|이라며|며|면서|라면서)\s+", post)
    if not m:
        return ()
    base = end + 1 + m.end()
    sub = [Token(t.form, t.tag, t.start - base, t.len) for t in toks if base <= t.start < stop]
    for _tag, a, b in _phrases(text[base:stop], sub, stop - base, []):
        return split_speaker(text[base + a:base + b], people, tags)
    return ()


def _topic_person(text: str, toks, people: _People, tags) -> str | None:
    """The person a sentence is about: its first topic (은/는) or subject, if that is a named person."""
    for _tag, a, b in _phrases(text, toks, len(text), []):
        got = split_speaker(text[a:b], people, tags)
        if got and got[0] and got[0] in people.people:
            return got[0]
        return None
    return None


def _register(text: str, toks, people: _People, tags) -> None:
    """Remember every person the sentence names, with the title written beside the name."""
    forms = _TOPIC_FORMS | {"의", "을", "를", "와", "과", "에게", "에", "로", "으로", "도", "만"}
    for _tag, a, b in _phrases(text, toks, len(text), [], forms=forms | {"이"},
                               tags=("JX", "JKS", "JKO", "JKG", "JKB", "JC", "JKC", "VCP")):
        got = split_speaker(text[a:b], people, tags)
        if got and got[0] and _looks_named(got[0], tags) and (got[1] or _korean_name(got[0])):
            people.add(got[0], got[1])


def _looks_named(name: str, tags: dict) -> bool:
    """A name worth remembering: a Korean name, a foreign one in two words, or one the analyser knows."""
    if " " in name:
        parts = name.split()
        return all(re.fullmatch(r"[가-힣]+", w) and tags.get(w) != "COMMON" for w in parts) and \
            any(tags.get(w) in _PROPER for w in parts) and len(name) >= 5
    return _korean_name(name, tags.get(name)) or (tags.get(name) in _PROPER and _is_name(name, "NNP"))


# --------------------------------------------------------------------------- finding


def find_quotes(sentences: list[Sentence], tokens: dict[int, list[Token]] | None = None,
                spoken: dict[int, tuple[str | None, str | None]] | None = None) -> list[Quote]:
    """Every direct quote in the body, in order, with its speaker where one can be found.

    `tokens`: the morphemes of each sentence by id, where segmenting has them already. `spoken`: the
    sentences that are wholly a broadcast sound-bite, by id, with the (name, title) of who speaks."""
    tokens = tokens if tokens is not None else {s.id: tokenize(s.ko) for s in sentences}
    spoken = spoken or {}
    people = _People()
    tags_of = {s.id: _words_tags(s.ko, tokens[s.id]) for s in sentences}
    for s in sentences:
        _register(s.ko, tokens[s.id], people, tags_of[s.id])
    for name, title in spoken.values():
        if name:
            people.add(name, title)
    quotes: list[Quote] = []
    last_person: str | None = None  # who "그" is: the last person the article spoke of
    last_title: str | None = None
    consumed: dict[int, int] = {}  # sentence id -> offset up to which a quote from before took it
    for k, s in enumerate(sentences):
        toks, tags = tokens[s.id], tags_of[s.id]
        if s.id in spoken:
            name, title = spoken[s.id]
            quotes.append(Quote(ko=s.ko, speaker=name, sentence=s.id, start=0, end=len(s.ko), speaker_title=title))
            if name:
                last_person, last_title = name, title
            continue
        skip = consumed.get(s.id, 0)
        spans = [(a, b, o) for a, b, o in quote_marks(s.ko) if a > skip and _is_speech(s.ko, a, b, o)]
        masked = [(a - 1, b + 1) for a, b, _ in quote_marks(s.ko)] + ([(0, skip)] if skip else [])
        sentence_speaker: tuple | None = None
        for a, b, _ in spans:
            who = sentence_speaker if sentence_speaker is not None else \
                _speaker_before(s.ko, toks, a - 1, masked, people, tags)
            if who == ():
                who = _speaker_after(s.ko, toks, b, spans, people, tags)
            if who is None or (who == () and _pronoun_before(s.ko[:a - 1])):
                who = (last_person, last_title) if last_person else (None, None)
            if who == () and k + 1 < len(sentences) and _SPEECH_VERB.search(sentences[k + 1].ko) \
                    and not quote_marks(sentences[k + 1].ko):
                # “…” 김 감독은 경기 후 이렇게 말했다: the speaker in the sentence after
                nxt = sentences[k + 1]
                who = _speaker_before(nxt.ko, tokens[nxt.id], len(nxt.ko), [], people, tags_of[nxt.id]) or ()
            if who == () and quotes and quotes[-1].sentence in (s.id - 1, s.id):
                who = (quotes[-1].speaker, quotes[-1].speaker_title)  # a quote that goes on from before
            if who == ():
                who = (None, None)
            sentence_speaker = who
            quotes.append(Quote(ko=s.ko[a:b], speaker=who[0], sentence=s.id, start=a, end=b, speaker_title=who[1]))
            if who[0] and (who[0] in people.people or who[1]):
                last_person, last_title = who[0], who[1]
        # a quote that opens here and closes in a later paragraph
        open_at = _unclosed(s.ko[skip:]) if not spans or spans[-1][1] < len(s.ko) - 1 else None
        if open_at is not None:
            q = _across(sentences, k, skip + open_at[0], open_at[1], tokens, people, tags_of, masked,
                        (last_person, last_title))
            if q is not None:
                quote, end_k, end_off = q
                quotes.append(quote)
                consumed[sentences[end_k].id] = end_off
                if quote.speaker:
                    last_person, last_title = quote.speaker, quote.speaker_title
                continue
        topic = _topic_person(s.ko, toks, people, tags)
        if topic and not spans:
            last_person, last_title = topic, people.title(topic)
    return quotes


def _across(sentences, k, a, opener, tokens, people, tags_of, masked, last):
    """A quote opened at sentences[k].ko[a:] that closes in one of the next few sentences."""
    closer = _DOUBLE[opener]
    parts = [sentences[k].ko[a:].strip()]
    for j in range(k + 1, min(k + 5, len(sentences))):
        t = sentences[j].ko
        lead = 1 if t[:1] == opener and opener != closer else 0
        if lead == 0 and opener == closer and t[:1] == opener and t.count(closer) >= 2:
            lead = 1  # "…: a new paragraph of the same quote opens again
        end = t.find(closer, lead)
        if end == -1:
            if any(ch in _DOUBLE for ch in t[lead:]):
                return None  # another quote starts: the first was never closed
            parts.append(t[lead:].strip())
            continue
        parts.append(t[lead:end].strip())
        ko = " ".join(p for p in parts if p)
        s = sentences[k]
        after = t[end + 1:end + 12]
        if not (_QUOTATIVE.match(after) or len(ko) >= 20):
            return None
        who = _speaker_before(s.ko, tokens[s.id], a - 1, masked, people, tags_of[s.id])
        if who == ():
            who = _speaker_after(t, tokens[sentences[j].id], end, [], people, tags_of[sentences[j].id])
        if who is None or who == ():
            who = last if who is None and last[0] else (None, None)
        return (Quote(ko=ko, speaker=who[0], sentence=s.id, start=a, end=end, speaker_title=who[1],
                      last_sentence=sentences[j].id), j, end + 1)
    return None


def _pronoun_before(pre: str) -> bool:
    return bool(re.search(r"(?:^|\s)(?:그|그녀|그들)(?:는|은|가|도)\s", pre + " "))
