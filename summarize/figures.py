"""Figures: find every number in a Korean sentence, give it a value and an English rendering.

No library gets Korean figures right (만/억/조 combinations, counters, two-digit years
with an apostrophe, the traps `선전만`, `3년 만에`, `조` as a surname, `20대`), so this
module is written by hand and driven by tables.

It also holds the checks behind the figure guard: which number tokens an English
rendering must contain for a figure to count as kept (`Figure.required`), and which
number tokens an English sentence holds (`english_tokens`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .types import Figure

__all__ = [
    "extract_figures",
    "english_tokens",
    "korean_tokens",
    "check_english",
    "missing_figures",
    "prerender",
    "format_number",
    "parse_korean_number",
]

# --------------------------------------------------------------------------- numbers

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A run of digits and the Korean multipliers, e.g. 5조6천억, 1만6천, 3.8만, 2조 4천300억.
RUN = rf"(?:{NUM})(?:[조억만천백](?:\s(?=\d))?(?:{NUM})?)*"

_BIG = {"만": Decimal(10) ** 4, "억": Decimal(10) ** 8, "조": Decimal(10) ** 12}
_SMALL = {"천": Decimal(1000), "백": Decimal(100)}
_TOKEN = re.compile(rf"{NUM}|[조억만천백]")


def parse_korean_number(run: str) -> Decimal:
    """Value of a run such as `1만6천`, `5조6천억`, `2조4천300억`, `3.8만`, `1,200`."""
    total = Decimal(0)
    section = Decimal(0)  # the part below the next 만/억/조
    current: Decimal | None = None
    for tok in _TOKEN.findall(run.replace(" ", "")):
        if tok in _BIG:
            section += current or 0
            total += (section or 1) * _BIG[tok]
            section, current = Decimal(0), None
        elif tok in _SMALL:
            section += (current if current is not None else 1) * _SMALL[tok]
            current = None
        else:
            current = Decimal(tok.replace(",", ""))
    return total + section + (current or 0)


def canon(d: Decimal | int | float | str) -> str:
    """The canonical string of a number: `2.43e12` -> `2430000000000`, `5.00` -> `5`."""
    try:
        d = Decimal(str(d)).normalize()
    except InvalidOperation:
        return str(d)
    s = format(d, "f")
    return s


def _plain(d: Decimal) -> int | float:
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else float(d)


_SCALES = [
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
]


def format_number(d: Decimal | int | float) -> str:
    """English rendering of a quantity: 16,000; 38,000; 3.5; 5.6 trillion; 50 million."""
    d = Decimal(str(d))
    for scale, word in _SCALES:
        if abs(d) >= scale:
            q = (d / scale).normalize()
            if q == q.quantize(Decimal("0.001")):  # at most three decimals: say it with a word
                return f"{_commas(q)} {word}"
            break
    return _commas(d)


def _commas(d: Decimal) -> str:
    d = d.normalize()
    if d == d.to_integral_value():
        return f"{int(d):,}"
    whole, frac = format(d, "f").split(".")
    return f"{int(whole):,}.{frac}"


# --------------------------------------------------------------------------- tables

# unit surface -> (unit key, English, kind). Longest surfaces are tried first.
UNITS: dict[str, tuple[str, str, str]] = {
    # money
    "원": ("won", "{n} won", "money"),
    "달러": ("USD", "${n}", "money"),
    "불": ("USD", "${n}", "money"),
    "위안": ("yuan", "{n} yuan", "money"),
    "엔": ("yen", "{n} yen", "money"),
    "유로": ("euro", "{n} euros", "money"),
    "파운드": ("pound", "{n} pounds", "money"),
    # measures
    "㎡": ("m²", "{n} m²", "measure"),
    "m²": ("m²", "{n} m²", "measure"),
    "m2": ("m²", "{n} m²", "measure"),
    "제곱미터": ("m²", "{n} m²", "measure"),
    "㎢": ("km²", "{n} km²", "measure"),
    "km²": ("km²", "{n} km²", "measure"),
    "제곱킬로미터": ("km²", "{n} km²", "measure"),
    "㎞": ("km", "{n} km", "measure"),
    "km": ("km", "{n} km", "measure"),
    "킬로미터": ("km", "{n} km", "measure"),
    "㎝": ("cm", "{n} cm", "measure"),
    "cm": ("cm", "{n} cm", "measure"),
    "센티미터": ("cm", "{n} cm", "measure"),
    "㎜": ("mm", "{n} mm", "measure"),
    "mm": ("mm", "{n} mm", "measure"),
    "밀리미터": ("mm", "{n} mm", "measure"),
    "m": ("m", "{n} m", "measure"),
    "미터": ("m", "{n} m", "measure"),
    "㎏": ("kg", "{n} kg", "measure"),
    "kg": ("kg", "{n} kg", "measure"),
    "킬로그램": ("kg", "{n} kg", "measure"),
    "g": ("g", "{n} g", "measure"),
    "그램": ("g", "{n} g", "measure"),
    "톤": ("t", "{n} tonnes", "measure"),
    "t": ("t", "{n} tonnes", "measure"),
    "℃": ("°C", "{n}°C", "measure"),
    "도": ("degree", "{n} degrees", "measure"),
    "ha": ("ha", "{n} hectares", "measure"),
    "헥타르": ("ha", "{n} hectares", "measure"),
    "평": ("pyeong", "{n} pyeong", "measure"),
    "리터": ("L", "{n} liters", "measure"),
    "L": ("L", "{n} liters", "measure"),
    "배럴": ("barrel", "{n} barrels", "measure"),
    "포인트": ("points", "{n} points", "measure"),
    "MW": ("MW", "{n} MW", "measure"),
    "GW": ("GW", "{n} GW", "measure"),
    "kW": ("kW", "{n} kW", "measure"),
    "kWh": ("kWh", "{n} kWh", "measure"),
    "GWh": ("GWh", "{n} GWh", "measure"),
    "GB": ("GB", "{n} GB", "measure"),
    "TB": ("TB", "{n} TB", "measure"),
    "bp": ("bp", "{n} basis points", "percent"),
    # percentages
    "%포인트": ("pp", "{n} percentage points", "percent"),
    "％포인트": ("pp", "{n} percentage points", "percent"),
    "%p": ("pp", "{n} percentage points", "percent"),
    "%P": ("pp", "{n} percentage points", "percent"),
    "퍼센트포인트": ("pp", "{n} percentage points", "percent"),
    "%": ("%", "{n}%", "percent"),
    "％": ("%", "{n}%", "percent"),
    "퍼센트": ("%", "{n}%", "percent"),
    # counters
    "개국": ("countries", "{n} countries", "count"),
    "개사": ("companies", "{n} companies", "count"),
    "개소": ("sites", "{n} sites", "count"),
    "개교": ("schools", "{n} schools", "count"),
    "개팀": ("teams", "{n} teams", "count"),
    "개": ("items", "{n}", "count"),
    "명": ("people", "{n} people", "count"),
    "인": ("people", "{n} people", "count"),
    "곳": ("places", "{n} places", "count"),
    "건": ("cases", "{n} cases", "count"),
    "가구": ("households", "{n} households", "count"),
    "세대": ("households", "{n} households", "count"),
    "채": ("homes", "{n} homes", "count"),
    "대": ("units", "{n} units", "count"),
    "척": ("vessels", "{n} vessels", "count"),
    "마리": ("animals", "{n} animals", "count"),
    "그루": ("trees", "{n} trees", "count"),
    "권": ("volumes", "{n} volumes", "count"),
    "편": ("titles", "{n} titles", "count"),
    "장": ("sheets", "{n} sheets", "count"),
    "차례": ("times", "{n} times", "count"),
    "회": ("times", "{n} times", "count"),
    "배": ("times", "{n} times", "count"),
    "표": ("votes", "{n} votes", "count"),
    "석": ("seats", "{n} seats", "count"),
    "점": ("points", "{n} points", "count"),
    "골": ("goals", "{n} goals", "count"),
    "타": ("strokes", "{n} strokes", "count"),
    "승": ("wins", "{n} wins", "count"),
    "패": ("losses", "{n} losses", "count"),
    "무": ("draws", "{n} draws", "count"),
    "경기": ("games", "{n} games", "count"),
    "홈런": ("home runs", "{n} home runs", "count"),
    "안타": ("hits", "{n} hits", "count"),
    "이닝": ("innings", "{n} innings", "count"),
    "팀": ("teams", "{n} teams", "count"),
    "종": ("kinds", "{n} kinds", "count"),
    "주": ("shares", "{n} shares", "count"),
    "세": ("years old", "{n} years old", "age"),
    "살": ("years old", "{n} years old", "age"),
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

# Surfaces after which a unit is a different word: 3원칙 (three principles), 2배터리 ...
_UNIT_NOT_BEFORE = {
    "원": "칙장자",
    "도": "시로심입",
    "배": "터",
    "장": "관기",
    "세": "계금율",
    "인": "상하구",
    "표": "준",
    "주": "년요",
    "점": "검",
    "대": "비",
}

ORDINALS: dict[str, str] = {
    "번째": "{o}",
    "차": "{o}",
    "라운드": "round {n}",
    "위": "{o} place",
    "호선": "Line {n}",
    "호": "No. {n}",
    "강": "round of {n}",
    "주년": "{o} anniversary",
    "연승": "{n} straight wins",
    "연패": "{n} straight losses",
    "대째": "{o} generation",
    "기": "{o} term",
    "선": "{o} term",
    "분기": "Q{n}",
    "회차": "{o} round",
}
_ORD_RE = "|".join(re.escape(u) for u in sorted(ORDINALS, key=len, reverse=True))

PREFIX_QUALIFIERS = {
    "약": "about",
    "대략": "roughly",
    "최대": "up to",
    "최소": "at least",
    "무려": "as many as",
    "불과": "only",
    "총": "a total of",
}
SUFFIX_QUALIFIERS = {
    "가량": "about",
    "정도": "about",
    "안팎": "about",
    "내외": "about",
    "남짓": "just over",
    "이상": "or more",
    "넘게": "more than",
    "초과": "more than",
    "이하": "or less",
    "미만": "less than",
    "이내": "within",
    "여": "more than",
}
_PREQ = "|".join(PREFIX_QUALIFIERS)
_SUFQ = "|".join(sorted(SUFFIX_QUALIFIERS, key=len, reverse=True))

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
_MONTH_TOKENS = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_TOKENS.update({m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)})
_MONTH_TOKENS["sept"] = 9

# Nouns after N대 that make it "top N" (국내 10대 그룹), and before it that make it vehicles or machines.
_TOP_N_AFTER = ("그룹", "기업", "재벌", "은행", "건설사", "과제", "뉴스", "도시", "강국", "명산", "사건", "공약", "대학")
_MACHINE_BEFORE = ("차량", "버스", "택시", "트럭", "자동차", "승용차", "항공기", "전투기", "드론", "로봇",
                   "컴퓨터", "장비", "기계", "헬기", "열차", "카메라", "서버", "대수", "차")

_PERIODS = {"오전": "a.m.", "오후": "p.m.", "새벽": "a.m.", "아침": "a.m.", "낮": "p.m.", "저녁": "p.m.", "밤": "p.m."}

# Vulgar fractions: 5⅓이닝 (innings pitched), 지분 ½
VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5), "⅗": (3, 5),
          "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}
_VULGAR_RE = "[" + "".join(VULGAR) + "]"

# --------------------------------------------------------------------------- patterns

_NOT_AFTER_LATIN = r"(?<![A-Za-z\d.,])"  # 코로나19 is fine, 5G / 3D / COVID-19 not a figure start
_APOS = "'‘’`´"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("date_dot", re.compile(r"(?<![\d.])(?P<y>\d{4})\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?(?![\d])")),
    ("date_iso", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d-])")),
    ("decade", re.compile(r"(?<!\d)(?P<y>\d{4})년대")),
    (
        "date_ko",
        re.compile(
            rf"(?:(?P<apos>[{_APOS}])(?P<yy>\d{{2}})|(?<!\d)(?P<y>\d{{4}}))년(?:도)?"
            r"(?:\s?(?P<m>\d{1,2})월(?:\s?(?P<d>\d{1,2})일)?)?"
        ),
    ),
    ("month_day", re.compile(r"(?<![\d.])(?P<m>\d{1,2})월\s?(?P<d>\d{1,2})일(?!간|동안|째)")),
    ("nights_days", re.compile(r"(?<!\d)(?P<a>\d{1,2})박\s?(?P<b>\d{1,2})일")),
    ("years_months", re.compile(r"(?<!\d)(?P<a>\d{1,3})년\s?(?P<b>\d{1,2})개월")),
    ("time", re.compile(
        r"(?:(?P<p>오전|오후|새벽|아침|낮|저녁|밤)\s?)?(?<![\d.])(?P<h>\d{1,2})시(?!간|즌|장|점|청|민|내|각|대|기|도|설|의회|즈|리즈|스템)"
        r"(?:\s?(?P<half>반)|\s?(?P<mi>\d{1,2})분)?(?:\s?(?P<s>\d{1,2})초)?"
    )),
    ("fraction", re.compile(r"(?<![\d.])(?P<a>\d+)분의\s?(?P<b>\d+)")),
    # 9초58: a race time in seconds and hundredths (9.58 s)
    ("race_time", re.compile(r"(?<![\d.])(?P<s>\d{1,2})초(?P<c>\d{2})(?!\d)")),
    ("vulgar", re.compile(rf"(?<![\d.])(?:(?P<n>\d+)\s?)?(?P<f>{_VULGAR_RE})(?:\s?(?P<u>{_UNIT_RE}))?")),
    ("article", re.compile(r"제\s?(?P<n>\d+)\s?조(?:\s?(?P<k>\d+)\s?항)?")),
    ("ordinal_je", re.compile(r"제\s?(?P<n>\d+)(?P<u>" + _ORD_RE + r"|회|대|편|부|장|권|기|차)?")),
    (
        "range",
        re.compile(
            rf"{_NOT_AFTER_LATIN}(?:(?P<pre>{_PREQ})\s)?(?P<a>{RUN})\s?(?P<u1>{_UNIT_RE})?\s?[~∼～〜]\s?"
            rf"(?P<b>{RUN})\s?(?P<u2>{_UNIT_RE}|년|개월|일|시간|분기)?"
        ),
    ),
    ("score", re.compile(r"(?<![\d.,:-])(?P<a>\d{1,3})\s?(?:-|:|대\s?)(?P<b>\d{1,3})(?![\d.,:-]|\s?(?:[가-힣]{0,1}(?:개|명|원|일|년|월|시|분|%)))")),
    ("ordinal", re.compile(rf"{_NOT_AFTER_LATIN}(?P<n>\d+)(?P<u>{_ORD_RE})(?!금|리|관|준|량|원|고|업|계|간)")),
    ("duration", re.compile(
        r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s?(?P<u>개월|주일|주간|시간|분|초|일|년|주)(?P<x>간|\s?동안|째|여|\s?만(?=에|이다|의))?(?!기|반|순|대)"
    )),
    ("month", re.compile(r"(?<![\d.])(?P<m>\d{1,2})월(?!급|세|간)")),
    (
        "amount",
        re.compile(
            rf"(?:(?P<pre>{_PREQ})\s?)?(?P<cur>\$|US\$|￦|₩)?{_NOT_AFTER_LATIN}(?P<n>{RUN})(?P<yeo>여)?\s?"
            rf"(?P<u>{_UNIT_RE})?(?:\s?(?P<suf>{_SUFQ}))?"
        ),
    ),
]


# --------------------------------------------------------------------------- extraction


def _year2(yy: str) -> int:
    n = int(yy)
    return 2000 + n if n < 50 else 1900 + n


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _date_en(y: int | None, m: int | None, d: int | None) -> str:
    if m and d and y:
        return f"{MONTHS[m - 1]} {d}, {y}"
    if m and d:
        return f"{MONTHS[m - 1]} {d}"
    if m and y:
        return f"{MONTHS[m - 1]} {y}"
    if y:
        return str(y)
    if m:
        return MONTHS[m - 1]
    return f"the {_ordinal(d)}" if d else ""


class _Cand:
    __slots__ = ("start", "end", "fig", "prio")

    def __init__(self, start, end, fig, prio):
        self.start, self.end, self.fig, self.prio = start, end, fig, prio


def _mk(text, s, e, *, value=None, unit=None, en="", kind="amount", qualifier=None, required=(), tokens=()):
    return dict(text=text[s:e], start=s, end=e, value=value, unit=unit, en=en, kind=kind,
                qualifier=qualifier, required=tuple(tuple(r) for r in required), tokens=tuple(tokens))


def _date_fig(text, m, y, mo, d, kind="date"):
    if mo is not None and not 1 <= mo <= 12:
        return None
    if d is not None and not 1 <= d <= 31:
        return None
    en = _date_en(y, mo, d)
    toks = [str(x) for x in (y, mo, d) if x]
    if mo:
        toks.append(f"month:{mo}")
    required = []
    if y:
        required.append((str(y),))
    value = y if (y and not mo and not d) else None
    return _mk(text, m.start(), m.end(), value=value, unit="year" if value else None, en=en,
               kind="year" if value else kind, required=required, tokens=toks)


def _unit_ok(text: str, end: int, unit: str) -> bool:
    """A unit is a unit only if the word does not go on into something else."""
    nxt = text[end:end + 1]
    if unit[-1].isascii() and unit[-1].isalpha() and nxt.isascii() and nxt.isalpha():
        return False  # 5Gb, 3mm vs 3mmHg
    banned = _UNIT_NOT_BEFORE.get(unit)
    return not (banned and nxt and nxt in banned)


def _amount_fig(text: str, m: re.Match) -> dict | None:
    run, unit = m.group("n"), m.group("u")
    s = m.start("n")
    if m.group("cur"):
        s = m.start("cur")
    nxt = text[m.end("n"):m.end("n") + 1]
    if not unit and nxt.isascii() and nxt.isalpha():
        return None  # 3D, 5G: a name, not a figure
    if unit and not _unit_ok(text, m.end("u"), unit):
        unit = None
    if run[-1] in "조" and text[m.end("n"):m.end("n") + 1] in ("항",):
        return None
    value = parse_korean_number(run)
    end = m.end("n")
    if m.group("yeo"):
        end = m.end("yeo")
    if unit:
        end = m.end("u")
    prev = text[s - 1:s] if s else ""
    if not unit and not m.group("cur") and prev and (prev.isalpha()) and not prev.isspace():
        # 코로나19, 갤럭시S24: digits glued to a word are part of a name
        if not re.match(r"[조억만천백]", run[-1]):
            return None
    if (not unit and not m.group("cur") and not m.group("pre") and not m.group("yeo") and re.fullmatch(r"\d{4}", run)
            and 1900 <= value <= 2100):
        # a bare four-digit number is a year (2025 KBO리그, 2024 파리올림픽): Korean writes counts
        # of a thousand or more with a comma or a unit
        return _mk(text, s, end, value=int(value), unit="year", en=run, kind="year",
                   required=[(run,)], tokens=[run])
    qualifier = None
    if m.group("pre"):
        qualifier = PREFIX_QUALIFIERS[m.group("pre")]
    if m.group("yeo"):
        qualifier = "more than"
    suf = m.group("suf")
    if suf and (unit or m.group("yeo") or re.search(r"[만억조]$", run)):
        qualifier = SUFFIX_QUALIFIERS[suf]
    n_en = format_number(value)
    kind, ukey, tmpl = "amount", None, "{n}"
    if m.group("cur"):
        ukey, tmpl, kind = "USD", "${n}", "money"
    if unit:
        ukey, tmpl, kind = UNITS[unit]
        if unit == "대":
            special = _dae(text, s, m.end("u"), value)
            if special:
                return special
        if unit == "주" and value <= 12 and re.match(r"\s?(?:간|동안|째|만|전|후|뒤)", text[m.end("u"):]):
            ukey, tmpl, kind = "weeks", "{n} weeks", "duration"
        if unit == "세대" and value <= 10:
            return _mk(text, s, end, en=f"{_ordinal(int(value))} generation", kind="ordinal", tokens=[canon(value)])
    en = tmpl.format(n=n_en)
    if value == 1:
        en = _singular(en)
    below_zero = unit in ("도", "℃") and re.search(r"영하\s?$", text[max(0, s - 4):s])
    if below_zero:  # 영하 12도: twelve below zero, the sign part of the figure
        en = en.replace(n_en, f"-{n_en}", 1)
        plain = -_plain(value)
        return _mk(text, s - len(below_zero.group()), end, value=plain, unit=ukey, en=en, kind=kind, qualifier=qualifier,
                   required=[(canon(-value), canon(value))], tokens=[canon(-value), canon(value)])
    if qualifier in ("or more", "or less"):
        en = f"{en} {qualifier}"
    elif qualifier:
        en = f"{qualifier} {en}"
    plain = _plain(value)
    return _mk(text, s, end, value=plain, unit=ukey, en=en, kind=kind, qualifier=qualifier,
               required=[(canon(value),)], tokens=[canon(value)])


def _singular(en: str) -> str:
    """1 wins -> 1 win, 1 people -> 1 person, 1 losses -> 1 loss."""
    if en.endswith(" people"):
        return en[:-6] + "person"
    if en.endswith(("sses", "shes", "ches")):
        return en[:-2]
    if en.endswith("s") and not en.endswith(("ss", "us", " years old")):
        return en[:-1]
    return en


def _dae(text: str, s: int, e: int, value: Decimal) -> dict | None:
    """N대: their 20s, top 10, or plain units (차량 3대)."""
    after = text[e:e + 6].lstrip()
    before = text[max(0, s - 8):s]
    n = int(value) if value == value.to_integral_value() else None
    if n is None:
        return None
    if text[s - 1:s] == "제":
        return _mk(text, s, e, en=_ordinal(n), kind="ordinal", tokens=[str(n)])
    if after.startswith(_TOP_N_AFTER):
        return _mk(text, s, e, en=f"top {n}", kind="ordinal", tokens=[str(n)])
    if any(w in before for w in _MACHINE_BEFORE):
        return None  # plain units: the amount rule handles it
    if 10 <= n <= 90 and n % 10 == 0:
        return _mk(text, s, e, unit="age group", en=f"in their {n}s", kind="age", tokens=[str(n)])
    return None


def _as_written(run: str, value: Decimal) -> str:
    """A plain number keeps its written decimals (5.00); one with 만/억/조 is spelled out."""
    return run if re.fullmatch(NUM, run) else format_number(value)


# Range units that are not in UNITS: (template, unit key)
_RANGE_UNITS = {"개월": ("{n} months", "months"), "시간": ("{n} hours", "hours"), "분기": ("Q{n}", "quarter")}


def _range_fig(text: str, m: re.Match) -> dict | None:
    a, b = parse_korean_number(m.group("a")), parse_korean_number(m.group("b"))
    u1, u2 = m.group("u1"), m.group("u2")
    if u1 and not _unit_ok(text, m.end("u1"), u1):
        return None
    if u2 and u2 in UNITS and not _unit_ok(text, m.end("u2"), u2):
        u2 = None
    unit = u2 or u1
    s, e = m.start("a"), m.end("u2") if u2 else m.end("b")
    lo, hi = _as_written(m.group("a"), a), _as_written(m.group("b"), b)
    if unit == "대" and all(x % 10 == 0 and 10 <= x <= 90 for x in (a, b)):  # 30~40대: their 30s and 40s
        return _mk(text, s, e, unit="age group", en=f"in their {lo}s to {hi}s", kind="age",
                   tokens=[canon(a), canon(b)])
    if unit in UNITS:
        ukey, tmpl, _ = UNITS[unit]
        en = f"${lo}–{hi}" if tmpl.startswith("$") else tmpl.format(n=f"{lo}–{hi}")
    elif unit == "년":
        ukey = "year" if b >= 1000 else "years"
        en = f"{lo}–{hi}" if b >= 1000 else f"{lo}–{hi} years"
    elif unit == "일":
        days = b <= 31 and a < b
        ukey = "day" if days else "days"
        en = f"the {_ordinal(int(a))}–{_ordinal(int(b))}" if days else f"{lo}–{hi} days"
    elif unit in _RANGE_UNITS:
        tmpl, ukey = _RANGE_UNITS[unit]
        en = tmpl.format(n=f"{lo}–{hi}")
    else:
        ukey, en = None, f"{lo}–{hi}"
    pre = m.group("pre")
    if pre:
        en = f"{PREFIX_QUALIFIERS[pre]} {en}"
    return _mk(text, s, e, unit=ukey, en=en, kind="range", required=[(canon(a),), (canon(b),)],
               tokens=[canon(a), canon(b)])


def _duration_fig(text: str, m: re.Match) -> dict | None:
    n = Decimal(m.group("n"))
    u, x = m.group("u"), (m.group("x") or "").strip() or None
    nxt = text[m.end("u"):m.end("u") + 1]
    if u == "분" and nxt == "기":
        return None
    if u == "초" and text[m.end("u"):m.end("u") + 1] in "반순":
        return None
    if u == "년":
        if n >= 1000 or (x is None and n >= 100):
            return None
    if u == "일" and x is None:
        if n <= 31 and n == n.to_integral_value():
            d = int(n)
            return _mk(text, m.start(), m.end("u"), en=f"the {_ordinal(d)}", kind="date", tokens=[str(d)])
    if u == "주" and x is None and n > 12:
        return None  # shares: the amount rule
    unit = {"개월": "months", "주일": "weeks", "주간": "weeks", "주": "weeks", "시간": "hours", "분": "minutes",
            "초": "seconds", "일": "days", "년": "years"}[u]
    end = m.end("u")
    if x in ("간", "째", "여"):  # written together with the number: 5년간, 3년째, 10년여
        end = m.end("x")
    word = unit[:-1] if n == 1 else unit
    en = f"{format_number(n)} {word}"
    if x == "째":
        en = f"{_ordinal(int(n))} {unit[:-1]}"
    elif x == "여":
        en = f"more than {en}"
    elif x == "만":
        en = f"after {en}"
    return _mk(text, m.start(), end, value=_plain(n), unit=unit, en=en, kind="duration",
               required=[(canon(n),)], tokens=[canon(n)])


def _fig_from(kind: str, text: str, m: re.Match) -> dict | None:
    g = m.groupdict()
    if kind in ("date_dot", "date_iso"):
        return _date_fig(text, m, int(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "decade":
        y = int(g["y"])
        return _mk(text, m.start(), m.end(), en=f"the {y}s", kind="date", unit="decade",
                   required=[(str(y),)], tokens=[str(y)])
    if kind == "date_ko":
        y = _year2(g["yy"]) if g["yy"] else int(g["y"])
        if not g["yy"] and not 1000 <= y <= 2200:
            return None
        fig = _date_fig(text, m, y, int(g["m"]) if g["m"] else None, int(g["d"]) if g["d"] else None)
        if fig and g["yy"]:
            fig["tokens"] = fig["tokens"] + (g["yy"],)
        return fig
    if kind == "month_day":
        return _date_fig(text, m, None, int(g["m"]), int(g["d"]))
    if kind == "month":
        return _date_fig(text, m, None, int(g["m"]), None)
    if kind == "nights_days":
        a, b = int(g["a"]), int(g["b"])
        return _mk(text, m.start(), m.end(), en=f"{a} night{'s' if a > 1 else ''} and {b} days", kind="duration",
                   tokens=[str(a), str(b)])
    if kind == "years_months":
        a, b = int(g["a"]), int(g["b"])
        return _mk(text, m.start(), m.end(), en=f"{a} year{'s' if a > 1 else ''} and {b} month{'s' if b > 1 else ''}",
                   kind="duration", required=[(str(a),), (str(b),)], tokens=[str(a), str(b)])
    if kind == "time":
        h = int(g["h"])
        if h > 24:
            return None
        mi = 30 if g["half"] else (int(g["mi"]) if g["mi"] else None)
        if mi is not None and mi > 59:
            return None
        per = _PERIODS.get(g["p"] or "")
        h12 = h - 12 if h > 12 else h
        clock = f"{h12}:{mi:02d}" if mi is not None else f"{h12}"
        en = f"{clock} {per}" if per else (f"{h}:{mi:02d}" if mi is not None else f"{h} o'clock")
        toks = {str(h), str(h12), str(h + 12) if h < 12 else str(h)}
        if mi is not None:
            toks.add(str(mi))
        return _mk(text, m.start(), m.end(), en=en, kind="time", tokens=sorted(toks))
    if kind == "fraction":
        a, b = int(g["a"]), int(g["b"])
        return _mk(text, m.start(), m.end(), en=f"{b}/{a}", kind="fraction", tokens=[str(a), str(b)])
    if kind == "race_time":
        s = Decimal(f"{g['s']}.{g['c']}")
        return _mk(text, m.start(), m.end(), value=_plain(s), unit="seconds", en=f"{s} seconds", kind="duration",
                   required=[(canon(s),)], tokens=[canon(s), g["s"], g["c"]])
    if kind == "vulgar":
        a, b = VULGAR[g["f"]]
        whole = int(g["n"]) if g["n"] else 0
        u = g["u"] if g["u"] and _unit_ok(text, m.end("u"), g["u"]) else None
        n = f"{whole} {a}/{b}" if whole else f"{a}/{b}"
        en = UNITS[u][1].format(n=n) if u else n
        required = ([(str(whole),)] if whole else []) + [(f"frac:{a}/{b}",)]
        return _mk(text, m.start(), m.end("u") if u else m.end("f"), value=round(whole + a / b, 4),
                   unit=UNITS[u][0] if u else None, en=en, kind=UNITS[u][2] if u else "fraction",
                   required=required, tokens=[str(whole), str(a), str(b), f"frac:{a}/{b}"])
    if kind == "article":
        n = int(g["n"])
        en = f"Article {n}" + (f"({g['k']})" if g["k"] else "")
        return _mk(text, m.start(), m.end(), en=en, kind="ordinal", tokens=[str(n)] + ([g["k"]] if g["k"] else []))
    if kind == "ordinal_je":
        n = int(g["n"])
        u = g["u"]
        en = ORDINALS[u].format(n=n, o=_ordinal(n)) if u in ORDINALS else _ordinal(n)
        return _mk(text, m.start(), m.end(), en=en, kind="ordinal", tokens=[str(n)])
    if kind == "ordinal":
        n = int(g["n"])
        u = g["u"]
        if u == "차" and text[m.end("u"):m.end("u") + 1] == "례":
            return None
        if u == "분기" and re.match(r"\s?연속", text[m.end("u"):]):  # 3분기 연속: three quarters in a row
            return _mk(text, m.start(), m.end(), value=n, unit="quarters", en=f"{n} straight quarters",
                       kind="duration", required=[(str(n),)], tokens=[str(n)])
        return _mk(text, m.start(), m.end(), en=ORDINALS[u].format(n=n, o=_ordinal(n)), kind="ordinal",
                   tokens=[str(n)])
    if kind == "range":
        return _range_fig(text, m)
    if kind == "score":
        a, b = int(g["a"]), int(g["b"])
        sep = text[m.start():m.end()]
        if ":" in sep and b >= 60:
            return None
        return _mk(text, m.start(), m.end(), en=f"{a}–{b}", kind="score", required=[(str(a),), (str(b),)],
                   tokens=[str(a), str(b)])
    if kind == "duration":
        return _duration_fig(text, m)
    if kind == "amount":
        return _amount_fig(text, m)
    raise ValueError(kind)


def extract_figures(text: str, sentence: int = 0) -> list[Figure]:
    """Every figure of one sentence, left to right, without overlaps.

    Where patterns overlap, the one that starts first wins, then the longest,
    then the one listed first in PATTERNS.
    """
    cands: list[_Cand] = []
    for prio, (kind, pat) in enumerate(PATTERNS):
        for m in pat.finditer(text):
            if m.end() == m.start():
                continue
            fig = _fig_from(kind, text, m)
            if fig and fig["text"].strip():
                # the match may hold a prefix qualifier before the figure proper
                cands.append(_Cand(m.start(), max(m.end(), fig["end"]), fig, prio))
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.prio))
    out: list[Figure] = []
    last_end = 0
    for c in cands:
        if c.start < last_end:
            continue
        f = c.fig
        text_ = f["text"].rstrip()
        out.append(Figure(text=text_, value=f["value"], unit=f["unit"], en=f["en"], kind=f["kind"],
                          sentence=sentence, start=f["start"], end=f["start"] + len(text_),
                          qualifier=f["qualifier"], required=f["required"], tokens=f["tokens"]))
        last_end = c.end
    return out


# --------------------------------------------------------------------------- guard checks

_EN_NUM = re.compile(
    r"(?<![A-Za-z\d.,])(?:US)?\$?(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<f>\.\d+)?"
    r"(?:\s?-?(?P<s>thousand|million|billion|trillion|bn|tn|mn|k)\b)?"
)
_EN_SCALE = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9,
             "trillion": 10**12, "tn": 10**12}
_EN_MONTH = re.compile(r"\b(" + "|".join(sorted(_MONTH_TOKENS, key=len, reverse=True)) + r")\b\.?", re.I)
_KO_NUM = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


_EN_FRAC = re.compile(rf"(?<![\d/])(?P<a>\d)/(?P<b>\d)(?![\d/])|(?P<v>{_VULGAR_RE})"
                      r"|\b(?P<w>(?:one|a)[- ](?:half|third|quarter|fourth|fifth|sixth|eighth)|two[- ]thirds"
                      r"|three[- ](?:quarters|fourths|fifths|eighths))\b", re.I)
_EN_FRAC_WORDS = {"half": "1/2", "third": "1/3", "quarter": "1/4", "fourth": "1/4", "fifth": "1/5", "sixth": "1/6",
                  "eighth": "1/8", "two thirds": "2/3", "three quarters": "3/4", "three fourths": "3/4",
                  "three fifths": "3/5", "three eighths": "3/8"}


def english_tokens(text: str) -> list[str]:
    """Number tokens of an English text: `2 trillion` -> `2000000000000`, `May` -> `month:5`,
    `1/3`, `⅓` or `one third` -> `frac:1/3` (besides its digits)."""
    toks = []
    for m in _EN_FRAC.finditer(text):
        if m.group("v"):
            a, b = VULGAR[m.group("v")]
            toks.append(f"frac:{a}/{b}")
        elif m.group("w"):
            w = re.sub(r"^(?:one|a)[- ]", "", m.group("w").lower()).replace("-", " ")
            toks.append(f"frac:{_EN_FRAC_WORDS[w]}")
        else:
            toks.append(f"frac:{m.group('a')}/{m.group('b')}")
    for m in _EN_NUM.finditer(text):
        d = Decimal(m.group("n").replace(",", "") + (m.group("f") or ""))
        if m.group("s"):
            d *= _EN_SCALE[m.group("s").lower()]
        toks.append(canon(d))
    for m in _EN_MONTH.finditer(text):
        word = m.group(1).lower()
        if word == "may" and not re.search(r"\d", text[max(0, m.start() - 6):m.end() + 6]) and m.group(1) == "may":
            continue  # the verb, not the month
        toks.append(f"month:{_MONTH_TOKENS[word]}")
    return toks


def korean_tokens(text: str) -> set[str]:
    """The digit strings written in a Korean text, canonical."""
    return {canon(m.group().replace(",", "")) for m in _KO_NUM.finditer(text)}


def missing_figures(figures: list[Figure], en: str, tokens: list[str] | None = None) -> list[Figure]:
    """The figures an English rendering lost."""
    have = set(english_tokens(en) if tokens is None else tokens)
    return [f for f in figures if any(not (set(alts) & have) for alts in f.required)]


def check_english(ko: str, figures: list[Figure], en: str) -> tuple[list[Figure], list[str]]:
    """Which figures the English lost, and which English numbers the Korean does not hold."""
    tokens = english_tokens(en)
    missing = missing_figures(figures, en, tokens)
    allowed = korean_tokens(ko)
    for f in figures:
        allowed.update(f.tokens)
        for alts in f.required:
            allowed.update(alts)
    extra = [t for t in tokens if t not in allowed and not t.startswith(("month:", "frac:"))]
    return missing, list(dict.fromkeys(extra))


def prerender(ko: str, figures: list[Figure]) -> str:
    """The Korean sentence with each figure's number pre-rendered for the model.

    `26만㎡` -> `260,000㎡`, `2조원` -> `2 trillion원`, `'14년` -> `2014년`.
    """
    out, pos = [], 0
    for f in sorted(figures, key=lambda f: f.start):
        out.append(ko[pos:f.start])
        out.append(_prerender_one(f))
        pos = f.end
    out.append(ko[pos:])
    return "".join(out)


def _prerender_one(f: Figure) -> str:
    if f.kind in ("year", "date") and f.text[:1] in _APOS:
        m = re.match(rf"[{_APOS}](\d{{2}})", f.text)
        if m:
            return str(_year2(m.group(1))) + f.text[m.end():]
    if f.value is not None and re.search(r"[만억조천백]|,", f.text):
        m = re.match(rf"(?:\$)?({RUN})", f.text)
        if m:
            return f.text[:m.start(1)] + format_number(Decimal(str(f.value))) + f.text[m.end(1):]
    return f.text
