"""Figures: find every number in a Korean sentence, give it a value and an English rendering.

No library gets Korean figures right (만/억/조 combinations, counters, two-digit years
with an apostrophe, the traps `선전만`, `3년 만에`, `조` as a surname, `20대`), so this
module is written by hand and driven by tables.

A figure is read as news writes it: with its sign (`-1.25%`, `마이너스 5`, `영하 5도`), its unit or
counter (`65인치`, `9원30전`, `3피안타`), its qualifier (`약`, `이상`, `3000이 넘는`), in digits, in
Hangul (`두 명`, `세 차례`, `삼백오십`, `첫`) or both (`천 4백만 달러`). Where a counter or a unit is
ambiguous (`주`: weeks or shares; `도`: degrees Celsius, an angle or a burn; `점`: points, runs or
works of art; `회`: times or an inning) the words around it and the article's domain decide
(`article_domain`).

It also holds the checks behind the figure guard: which number tokens an English
rendering must contain for a figure to count as kept (`Figure.required`), and which
number tokens an English sentence holds (`english_tokens`, digits and words alike:
"three people", "twice", "a third").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from ..records import Figure

__all__ = [
    "extract_figures",
    "article_domain",
    "english_tokens",
    "english_numbers",
    "korean_tokens",
    "check_english",
    "missing_figures",
    "prerender",
    "format_number",
    "parse_korean_number",
    "parse_sino",
]

# --------------------------------------------------------------------------- numbers

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A run of digits and the Korean multipliers, e.g. 5조6천억, 1만6천, 3.8만, 2조 4천300억, 50 만, 천 4백만,
# 29만 천 890, 300조 천억. A run that is two numbers (10만 20만) is cut by _run_cut.
_HEAD = rf"(?:{NUM}|(?<![가-힣\d])[천만](?=\s?\d))"
_STEP = (
    r"(?:[조억만천백](?!각|항|원칙)"
    r"|(?<=\d)\s[만억조](?![에큼가-힣])(?=\s|\d|[^가-힣]|$)"
    rf"|(?<=[조억만천백])\s?(?:{NUM})"
    r"|(?<=[조억만])\s[천백](?=\s?\d|[만억조]))"
)
RUN = rf"{_HEAD}(?:{_STEP})*"

_BIG = {"만": Decimal(10) ** 4, "억": Decimal(10) ** 8, "조": Decimal(10) ** 12}
_SMALL = {"천": Decimal(1000), "백": Decimal(100)}
_TOKEN = re.compile(rf"{NUM}|[조억만천백]")


def parse_korean_number(run: str) -> Decimal:
    """Value of a run such as `1만6천`, `5조6천억`, `2조4천300억`, `3.8만`, `1,200`, `천 4백만`."""
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


def _run_cut(run: str) -> int | None:
    """Where a run written with spaces stops being one number (`10만 20만` is two: cut before 20), or None.

    One number has its 조/억/만 in falling order, its 천/백 falling within each of them, and no
    part of four digits or more after a 천 or a 백."""
    last_big, last_small, after = 99, 99, None
    for m in _TOKEN.finditer(run):
        tok = m.group()
        bad = False
        if tok in _BIG:
            exp = {"만": 4, "억": 8, "조": 12}[tok]
            bad = exp >= last_big
            last_big, last_small = exp, 99
        elif tok in _SMALL:
            exp = 3 if tok == "천" else 2
            bad = exp >= last_small or (after is not None and after >= 10)
            last_small = exp
        else:
            n = Decimal(tok.replace(",", ""))
            bad = last_small < 99 and n >= 10 ** last_small
            after = n
            continue
        after = None
        if bad:
            return _space_before(run, m.start())
    return None


def _space_before(run: str, i: int) -> int | None:
    j = run.rfind(" ", 0, i)
    return j if j > 0 else None


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
    """English rendering of a quantity: 16,000; 38,000; 3.5; 5.6 trillion; 1.1532 trillion; 50 million."""
    d = Decimal(str(d))
    for scale, word in _SCALES:
        if abs(d) >= scale:
            q = (d / scale).normalize()
            if q == q.quantize(Decimal("0.00001")):  # at most five decimals: say it with a word
                return f"{_commas(q)} {word}"
            break
    return _commas(d)


def _commas(d: Decimal) -> str:
    d = d.normalize()
    if d == d.to_integral_value():
        return f"{int(d):,}"
    whole, frac = format(d, "f").split(".")
    sign = "-" if d < 0 and whole == "-0" else ""
    return f"{sign}{int(whole):,}.{frac}"


MINUS = "−"  # U+2212, as a reader writes a negative number

# --------------------------------------------------------------------------- Hangul numerals

# Native numbers: 한/두/세/네 … 아흔아홉 (attributive forms before a counter) and 하나/둘/셋/넷.
NATIVE_ONES = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
               "하나": 1, "둘": 2, "셋": 3, "넷": 4, "석": 3, "넉": 4}
# Two numbers in one word, an approximate count: 서너 곳 (three or four places)
NATIVE_PAIRS = {"한두": (1, 2), "두세": (2, 3), "두어": (2, 3), "서너": (3, 4), "너덧": (4, 5), "네댓": (4, 5),
                "너댓": (4, 5), "대여섯": (5, 6), "대엿": (5, 6), "예닐곱": (6, 7), "일여덟": (7, 8), "여남은": (10, 11)}
# Days counted in native words: 하루 … 열흘, 보름
NATIVE_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7, "여드레": 8, "아흐레": 9,
               "열흘": 10, "보름": 15}
NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
               "여든": 80, "아흔": 90}
_ONES_RE = "다섯|여섯|일곱|여덟|아홉|하나|한|두|세|네|둘|셋|넷|석|넉"
NATIVE_RE = rf"(?:(?:열|스물|서른|마흔|쉰|예순|일흔|여든|아흔)(?:{_ONES_RE})?|스무|{_ONES_RE})"

_SINO_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
_SINO_SMALL = {"십": 1, "백": 2, "천": 3}
_SINO_BIG = {"만": 4, "억": 8, "조": 12}
_SD = "[일이삼사오육륙칠팔구]"
SINO_MULTI_RE = rf"(?:{_SD}?[십백천만억조](?:\s{{1,2}}(?=[일이삼사오육륙칠팔구십백천]))?)+{_SD}?"
SINO_RE = rf"{SINO_MULTI_RE}|{_SD}"


def parse_native(word: str) -> int | None:
    """`스물다섯` -> 25, `열한` -> 11, `세` -> 3."""
    for tens, tv in NATIVE_TENS.items():
        if word.startswith(tens):
            rest = word[len(tens):]
            if not rest:
                return tv
            if rest in NATIVE_ONES and tens != "스무":
                return tv + NATIVE_ONES[rest]
    return NATIVE_ONES.get(word)


def parse_sino(word: str) -> Decimal | None:
    """Value of a Sino-Korean numeral: `삼백오십` -> 350, `이천십칠` -> 2017, `일억` -> 10**8,
    `이십일조 삼백` -> 21000000000300; None if the letters do not make one number (`일사천`)."""
    total, section, current = 0, 0, None
    last_small, last_big = 99, 99
    word = word.replace(" ", "")
    if not word:
        return None
    for ch in word:
        if ch in _SINO_DIGITS:
            if current is not None:
                return None
            current = _SINO_DIGITS[ch]
        elif ch in _SINO_SMALL:
            exp = _SINO_SMALL[ch]
            if exp >= last_small:
                return None
            section += (current if current is not None else 1) * 10 ** exp
            current, last_small = None, exp
        elif ch in _SINO_BIG:
            exp = _SINO_BIG[ch]
            if exp >= last_big:
                return None
            section += current or 0
            total += (section or 1) * 10 ** exp
            section, current, last_small, last_big = 0, None, 99, exp
        else:
            return None
    return Decimal(total + section + (current or 0))


# --------------------------------------------------------------------------- tables

# unit surface -> (unit key, English, kind). Longest surfaces are tried first; a space in a surface
# may be written or left out (`평방 미터`, `평방미터`).
UNITS: dict[str, tuple[str, str, str]] = {
    # money
    "원": ("won", "{n} won", "money"),
    "달러": ("USD", "${n}", "money"),
    "달러화": ("USD", "${n}", "money"),
    "미국 달러": ("USD", "${n}", "money"),
    "미 달러": ("USD", "${n}", "money"),
    "불": ("USD", "${n}", "money"),
    "캐나다 달러": ("CAD", "{n} Canadian dollars", "money"),
    "홍콩 달러": ("HKD", "{n} Hong Kong dollars", "money"),
    "호주 달러": ("AUD", "{n} Australian dollars", "money"),
    "싱가포르 달러": ("SGD", "{n} Singapore dollars", "money"),
    "대만 달러": ("TWD", "{n} Taiwan dollars", "money"),
    "뉴질랜드 달러": ("NZD", "{n} New Zealand dollars", "money"),
    "센트": ("cent", "{n} cents", "money"),
    "위안": ("yuan", "{n} yuan", "money"),
    "위안화": ("yuan", "{n} yuan", "money"),
    "중국 위안": ("yuan", "{n} yuan", "money"),
    "엔": ("yen", "{n} yen", "money"),
    "엔화": ("yen", "{n} yen", "money"),
    "일본 엔": ("yen", "{n} yen", "money"),
    "유로": ("euro", "{n} euros", "money"),
    "유로화": ("euro", "{n} euros", "money"),
    "파운드": ("pound", "{n} pounds", "money"),
    "영국 파운드": ("pound", "{n} pounds", "money"),
    "펜스": ("pence", "{n} pence", "money"),
    "페니": ("penny", "{n} pennies", "money"),
    "스위스 프랑": ("CHF", "{n} Swiss francs", "money"),
    "프랑": ("franc", "{n} francs", "money"),
    "핀란드 마르카": ("markka", "{n} markkaa", "money"),
    "마르카": ("markka", "{n} markkaa", "money"),
    "페세타": ("peseta", "{n} pesetas", "money"),
    "네덜란드 휠던": ("guilder", "{n} guilders", "money"),
    "휠던": ("guilder", "{n} guilders", "money"),
    "콜론": ("colon", "{n} colones", "money"),
    "라리": ("lari", "{n} lari", "money"),
    "킵": ("kip", "{n} kip", "money"),
    "루피": ("rupee", "{n} rupees", "money"),
    "루피아": ("rupiah", "{n} rupiah", "money"),
    "루블": ("ruble", "{n} rubles", "money"),
    "페소": ("peso", "{n} pesos", "money"),
    "바트": ("baht", "{n} baht", "money"),
    "링깃": ("ringgit", "{n} ringgit", "money"),
    "리라": ("lira", "{n} lira", "money"),
    "헤알": ("real", "{n} reais", "money"),
    "크로나": ("krona", "{n} kronor", "money"),
    "크로네": ("krone", "{n} kroner", "money"),
    "디르함": ("dirham", "{n} dirhams", "money"),
    "리얄": ("riyal", "{n} riyals", "money"),
    # measures
    "㎡": ("m²", "{n} m²", "measure"),
    "m²": ("m²", "{n} m²", "measure"),
    "m2": ("m²", "{n} m²", "measure"),
    "제곱미터": ("m²", "{n} m²", "measure"),
    "평방 미터": ("m²", "{n} m²", "measure"),
    "평방m": ("m²", "{n} m²", "measure"),
    "㎢": ("km²", "{n} km²", "measure"),
    "km²": ("km²", "{n} km²", "measure"),
    "제곱 킬로미터": ("km²", "{n} km²", "measure"),
    "평방 킬로미터": ("km²", "{n} km²", "measure"),
    "㎥": ("m³", "{n} m³", "measure"),
    "m³": ("m³", "{n} m³", "measure"),
    "세제곱미터": ("m³", "{n} m³", "measure"),
    "입방 미터": ("m³", "{n} m³", "measure"),
    "입방 피트": ("ft³", "{n} cubic feet", "measure"),
    "㎞": ("km", "{n} km", "measure"),
    "km": ("km", "{n} km", "measure"),
    "킬로미터": ("km", "{n} km", "measure"),
    "킬로": ("km", "{n} km", "measure"),
    "㎝": ("cm", "{n} cm", "measure"),
    "cm": ("cm", "{n} cm", "measure"),
    "센티미터": ("cm", "{n} cm", "measure"),
    "센티": ("cm", "{n} cm", "measure"),
    "㎜": ("mm", "{n} mm", "measure"),
    "mm": ("mm", "{n} mm", "measure"),
    "밀리미터": ("mm", "{n} mm", "measure"),
    "데시미터": ("dm", "{n} dm", "measure"),
    "나노미터": ("nm", "{n} nm", "measure"),
    "㎚": ("nm", "{n} nm", "measure"),
    "nm": ("nm", "{n} nm", "measure"),
    "나노": ("nm", "{n} nm", "measure"),
    "마이크로미터": ("µm", "{n} µm", "measure"),
    "㎛": ("µm", "{n} µm", "measure"),
    "피코미터": ("pm", "{n} pm", "measure"),
    "m": ("m", "{n} m", "measure"),
    "미터": ("m", "{n} m", "measure"),
    "인치": ("inch", "{n} inches", "measure"),
    "마일": ("mile", "{n} miles", "measure"),
    "피트": ("ft", "{n} feet", "measure"),
    "야드": ("yard", "{n} yards", "measure"),
    "에이커": ("acre", "{n} acres", "measure"),
    "㎏": ("kg", "{n} kg", "measure"),
    "kg": ("kg", "{n} kg", "measure"),
    "킬로그램": ("kg", "{n} kg", "measure"),
    "g": ("g", "{n} g", "measure"),
    "그램": ("g", "{n} g", "measure"),
    "㎎": ("mg", "{n} mg", "measure"),
    "mg": ("mg", "{n} mg", "measure"),
    "밀리그램": ("mg", "{n} mg", "measure"),
    "㎍/㎥": ("µg/m³", "{n} µg/m³", "measure"),
    "㎍/m³": ("µg/m³", "{n} µg/m³", "measure"),
    "㎍": ("µg", "{n} µg", "measure"),
    "온스": ("oz", "{n} ounces", "measure"),
    "톤": ("t", "{n} tonnes", "measure"),
    "미터톤": ("t", "{n} tonnes", "measure"),
    "t": ("t", "{n} tonnes", "measure"),
    "℃": ("°C", "{n}°C", "measure"),
    "℉": ("°F", "{n}°F", "measure"),
    "도": ("degree", "{n} degrees", "measure"),
    "ha": ("ha", "{n} hectares", "measure"),
    "㏊": ("ha", "{n} hectares", "measure"),
    "a": ("are", "{n} ares", "measure"),
    "헥타르": ("ha", "{n} hectares", "measure"),
    "평": ("pyeong", "{n} pyeong", "measure"),
    "리터": ("L", "{n} liters", "measure"),
    "L": ("L", "{n} liters", "measure"),
    "밀리리터": ("mL", "{n} mL", "measure"),
    "㎖": ("mL", "{n} mL", "measure"),
    "ml": ("mL", "{n} mL", "measure"),
    "mL": ("mL", "{n} mL", "measure"),
    "갤런": ("gallon", "{n} gallons", "measure"),
    "배럴": ("barrel", "{n} barrels", "measure"),
    "포인트": ("points", "{n} points", "measure"),
    "MW": ("MW", "{n} MW", "measure"),
    "GW": ("GW", "{n} GW", "measure"),
    "kW": ("kW", "{n} kW", "measure"),
    "㎾": ("kW", "{n} kW", "measure"),
    "kWh": ("kWh", "{n} kWh", "measure"),
    "MWh": ("MWh", "{n} MWh", "measure"),
    "GWh": ("GWh", "{n} GWh", "measure"),
    "TWh": ("TWh", "{n} TWh", "measure"),
    "메가와트": ("MW", "{n} MW", "measure"),
    "기가와트": ("GW", "{n} GW", "measure"),
    "킬로와트": ("kW", "{n} kW", "measure"),
    "비트": ("bit", "{n} bits", "measure"),
    "바이트": ("byte", "{n} bytes", "measure"),
    "킬로바이트": ("KB", "{n} KB", "measure"),
    "메가바이트": ("MB", "{n} MB", "measure"),
    "기가바이트": ("GB", "{n} GB", "measure"),
    "테라바이트": ("TB", "{n} TB", "measure"),
    "KB": ("KB", "{n} KB", "measure"),
    "MB": ("MB", "{n} MB", "measure"),
    "GB": ("GB", "{n} GB", "measure"),
    "TB": ("TB", "{n} TB", "measure"),
    "ppm": ("ppm", "{n} ppm", "measure"),
    "TEU": ("TEU", "{n} TEU", "measure"),
    "CGT": ("CGT", "{n} CGT", "measure"),
    "마력": ("hp", "{n} horsepower", "measure"),
    "칼로리": ("kcal", "{n} calories", "measure"),
    "kcal": ("kcal", "{n} kcal", "measure"),
    "큐비트": ("qubits", "{n} qubits", "measure"),
    "인당": ("per person", "per person", "count"),
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
    "프로": ("%", "{n}%", "percent"),
    "p": ("points", "{n} points", "measure"),
    "P": ("points", "{n} points", "measure"),
    "pt": ("points", "{n} points", "measure"),
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
    "군데": ("places", "{n} places", "count"),
    "건": ("cases", "{n} cases", "count"),
    "가구": ("households", "{n} households", "count"),
    "세대": ("households", "{n} households", "count"),
    "채": ("homes", "{n} homes", "count"),
    "동": ("buildings", "{n} buildings", "count"),
    "대": ("units", "{n} units", "count"),
    "척": ("vessels", "{n} vessels", "count"),
    "마리": ("animals", "{n} animals", "count"),
    "그루": ("trees", "{n} trees", "count"),
    "권": ("volumes", "{n} volumes", "count"),
    "편": ("titles", "{n} titles", "count"),
    "장": ("sheets", "{n} sheets", "count"),
    "조각": ("pieces", "{n} pieces", "count"),
    "차례": ("times", "{n} times", "count"),
    "번째": ("ordinal", "{o}", "ordinal"),
    "번": ("times", "{n} times", "count"),
    "회": ("times", "{n} times", "count"),
    "배": ("times", "{n} times", "count"),
    "가지": ("kinds", "{n} kinds", "count"),
    "표": ("votes", "{n} votes", "count"),
    "석": ("seats", "{n} seats", "count"),
    "점": ("points", "{n} points", "count"),
    "골": ("goals", "{n} goals", "count"),
    "도움": ("assists", "{n} assists", "count"),
    "어시스트": ("assists", "{n} assists", "count"),
    "리바운드": ("rebounds", "{n} rebounds", "count"),
    "타": ("strokes", "{n} strokes", "count"),
    "승": ("wins", "{n} wins", "count"),
    "패": ("losses", "{n} losses", "count"),
    "무": ("draws", "{n} draws", "count"),
    "세트": ("sets", "{n} sets", "count"),
    "경기": ("games", "{n} games", "count"),
    "홈런": ("home runs", "{n} home runs", "count"),
    "안타": ("hits", "{n} hits", "count"),
    "피안타": ("hits allowed", "{n} hits", "count"),
    "실점": ("runs allowed", "{n} runs", "count"),
    "자책점": ("earned runs", "{n} earned runs", "count"),
    "탈삼진": ("strikeouts", "{n} strikeouts", "count"),
    "삼진": ("strikeouts", "{n} strikeouts", "count"),
    "볼넷": ("walks", "{n} walks", "count"),
    "사사구": ("walks", "{n} walks and hit batters", "count"),
    "타점": ("RBIs", "{n} RBIs", "count"),
    "득점": ("runs", "{n} runs", "count"),
    "도루": ("stolen bases", "{n} stolen bases", "count"),
    "타수": ("at-bats", "{n} at-bats", "count"),
    "타석": ("plate appearances", "{n} plate appearances", "count"),
    "세이브": ("saves", "{n} saves", "count"),
    "홀드": ("holds", "{n} holds", "count"),
    "이닝": ("innings", "{n} innings", "count"),
    "홀": ("holes", "{n} holes", "count"),
    "단": ("layers", "{n} layers", "count"),
    "버디": ("birdies", "{n} birdies", "count"),
    "언더파": ("under par", "{n} under par", "score"),
    "오버파": ("over par", "{n} over par", "score"),
    "팀": ("teams", "{n} teams", "count"),
    "사": ("companies", "{n} companies", "count"),
    "종": ("kinds", "{n} kinds", "count"),
    "주": ("shares", "{n} shares", "count"),
    "세": ("years old", "{n} years old", "age"),
    "살": ("years old", "{n} years old", "age"),
    "달": ("months", "{n} months", "duration"),
}
_UNIT_KEY = {u.replace(" ", ""): v for u, v in UNITS.items()}


def _surface_re(surfaces) -> str:
    """One regex for many words, as a trie (longest first at every branch), so that the regex engine
    tries each letter once; a space inside a word may be written or left out."""
    trie: dict = {}
    for word in surfaces:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        alts = []
        for ch in sorted((c for c in node if c), key=lambda c: -_depth(node[c])):
            alts.append((r"\s?" if ch == " " else re.escape(ch)) + walk(node[ch]))
        if "" in node:
            alts.append("")
        if not alts:
            return ""
        if len(alts) == 1:
            return alts[0]
        if alts[-1] == "":
            return "(?:" + "|".join(alts[:-1]) + ")?"
        return "(?:" + "|".join(alts) + ")"

    return walk(trie)


def _depth(node: dict) -> int:
    return 1 + max((_depth(v) for v in node.values()), default=0)


_UNIT_RE = _surface_re(UNITS)

# Surfaces after which a unit is a different word: 3원칙 (three principles), 2배터리 ...
_UNIT_NOT_BEFORE = {
    "원": "칙장자",
    "도": "시심민청",
    "배": "터우",
    "장": "관기",
    "세": "계금율기",
    "인": "상하구",
    "표": "준",
    "주": "년요택",
    "점": "검",
    "대": "비",
    "동": "안",
    "사": "람업실건장원회무진항례진안법",
    "달": "러",
    "번": "지호",
    "단": "계체지위독순가편속기",
    "조각": "가",
    "킵": "니",
    "라리": "아",
    "나노": "기",
    "센티": "미",
    "킬로": "미그",
    "프로": "야축농배골그젝",
}

# N + these, written together: the counter of a figure spelled with a native number (두 명, 세 차례)
COUNTERS: dict[str, tuple[str, str, str]] = {
    "명": ("people", "{n} people", "count"),
    "사람": ("people", "{n} people", "count"),
    "분": ("people", "{n} people", "count"),
    "개": ("items", "{n}", "count"),
    "곳": ("places", "{n} places", "count"),
    "군데": ("places", "{n} places", "count"),
    "차례": ("times", "{n} times", "count"),
    "번": ("times", "{n} times", "count"),
    "가지": ("kinds", "{n} kinds", "count"),
    "살": ("years old", "{n} years old", "age"),
    "해": ("years", "{n} years", "duration"),
    "달": ("months", "{n} months", "duration"),
    "주": ("weeks", "{n} weeks", "duration"),
    "시간": ("hours", "{n} hours", "duration"),
    "배": ("times", "{n} times", "count"),
    "마리": ("animals", "{n} animals", "count"),
    "대": ("units", "{n} units", "count"),
    "권": ("volumes", "{n} volumes", "count"),
    "채": ("homes", "{n} homes", "count"),
    "그루": ("trees", "{n} trees", "count"),
    "척": ("vessels", "{n} vessels", "count"),
    "장": ("sheets", "{n} sheets", "count"),
    "건": ("cases", "{n} cases", "count"),
    "팀": ("teams", "{n} teams", "count"),
    "골": ("goals", "{n} goals", "count"),
    "경기": ("games", "{n} games", "count"),
    "나라": ("countries", "{n} countries", "count"),
    "가구": ("households", "{n} households", "count"),
    "가족": ("families", "{n} families", "count"),
    "자녀": ("children", "{n} children", "count"),
    "형제": ("brothers", "{n} brothers", "count"),
    "벌": ("sets", "{n} sets", "count"),
    "켤레": ("pairs", "{n} pairs", "count"),
    "잔": ("cups", "{n} cups", "count"),
    "병": ("bottles", "{n} bottles", "count"),
    "달러": ("USD", "${n}", "money"),
    "돈": ("don", "{n} don", "measure"),
    "가마": ("sacks", "{n} sacks", "count"),
    "속": ("bundles", "{n} bundles", "count"),
    "근": ("geun", "{n} geun", "measure"),
    "포기": ("heads", "{n} heads", "count"),
    "상자": ("boxes", "{n} boxes", "count"),
    "봉지": ("bags", "{n} bags", "count"),
    "자루": ("sacks", "{n} sacks", "count"),
    "그릇": ("bowls", "{n} bowls", "count"),
    "계단": ("places", "{n} places", "count"),
    "단계": ("levels", "{n} levels", "count"),
    "회차": ("shows", "{n} shows", "count"),
    "집": ("households", "{n} households", "count"),
    "문제": ("questions", "{n} questions", "count"),
    "번째": ("ordinal", "{o}", "ordinal"),
    "째": ("ordinal", "{o}", "ordinal"),
}
_COUNTER_RE = _surface_re(COUNTERS)
# What may follow a counter written with a native number: a particle or a suffix, not more of a word
# (세 명단, 한 해외, 두 배우 are not figures).
_AFTER_COUNTER = re.compile(
    r"(?:[^가-힣]|$|이|가|은|는|을|를|의|에|도|만|과|와|로|으로|씩|째|간|뿐|께|까지|부터|에서|이나|나|쯤|가량|여|"
    r"남짓|이상|이하|배기|짜리|동안|이었|였|이다|다\b|이며|며|이고|고\b|이라|라\b|인\s|입니|이에요|예요|째|새|꼴|씩)"
)

# Sino-Korean numbers with these after them (written apart or together) are figures: 삼백오십 명, 이천십칠 년
SINO_UNITS = {**{u: v for u, v in UNITS.items() if not u.isascii()},
              "년": ("years", "{n} years", "duration"), "개월": ("months", "{n} months", "duration"),
              "주": ("weeks", "{n} weeks", "duration"), "일": ("days", "{n} days", "duration"),
              "시간": ("hours", "{n} hours", "duration"), "분": ("minutes", "{n} minutes", "duration"),
              "초": ("seconds", "{n} seconds", "duration"), "등": ("rank", "{o} place", "rank"),
              "위": ("rank", "{o} place", "rank"), "번째": ("ordinal", "{o}", "ordinal")}
_SINO_UNIT_RE = _surface_re(SINO_UNITS)
# A single Sino-Korean digit (일, 이, 삼 …) is a figure only before these, written apart: 일 년, 삼 개월
_SINO_SINGLE_OK = {"년", "개월", "주", "세", "퍼센트", "프로"}

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
    "세기": "the {o} century",
    "순위": "{o} priority",
    "단계": "level {n}",
    "집": "{o} album",
    "교시": "period {n}",
    "학년": "{o}-year",
    "등급": "grade {n}",
    "차전": "game {n}",
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
    "정확히": "exactly",
}
# (pattern, qualifier) after a figure, tried in order
SUFFIX_QUALIFIERS: list[tuple[str, str]] = [
    (r"보다\s?(?:는\s?)?(?:크거나|많거나|높거나)\s?같", "at least"),
    (r"보다\s?(?:는\s?)?(?:작거나|적거나|낮거나)\s?같", "at most"),
    (r"(?:과|와)\s?같거나\s?(?:작|적|낮)", "at most"),
    (r"보다\s?(?:는\s?)?(?:크|많|높|길)", "more than"),
    (r"보다\s?(?:는\s?)?(?:작|적|낮|짧)", "less than"),
    (r"(?:혹은|또는)\s?그\s?이상", "at least"),
    (r"(?:이|가|을|를)?\s?(?:넘는|넘게|넘은|웃도는)", "more than"),
    (r"에\s?육박|가까이", "nearly"),
    (r"가량|정도|안팎|내외|쯤", "about"),
    (r"남짓", "just over"),
    (r"이상", "at least"),
    (r"이하", "at most"),
    (r"미만", "under"),
    (r"초과", "over"),
    (r"이내", "within"),
]
_PREQ = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))
_SUFQ = "|".join(f"(?:{p})" for p, _ in SUFFIX_QUALIFIERS)
_SUFQ_RES = [(re.compile(p), q) for p, q in SUFFIX_QUALIFIERS]

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
_FRACTION_WORDS = {(1, 2): "a half", (1, 3): "a third", (2, 3): "two-thirds", (1, 4): "a quarter",
                   (3, 4): "three-quarters", (1, 5): "a fifth", (1, 10): "a tenth"}

# Words that tell what an ambiguous counter or unit means (see _unit_decide)
_TEMPERATURE_CUES = re.compile(r"기온|온도|수온|체온|수은주|최고|최저|폭염|한파|더위|추위|무더위|열대야|기상청|영상|영하|"
                               r"날씨|예보|℃|쌀쌀|따뜻|포근|덥|춥|낮 기온|아침 기온|바닷물|해수")
_ANGLE_CUES = re.compile(r"각도|경사|기울|회전|위도|경도|북위|남위|동경|서경|방향|시야각")
_SHARE_CUES = re.compile(r"주식|주가|지분|매도|매수|보유|상장|발행|자사주|주당|신주|구주|블록딜|처분|취득|소각|보통주|우선주|"
                         r"평가|공모|청약|유상|무상|증자|배정")
_ART_CUES = re.compile(r"국보|보물|유물|작품|그림|회화|소장|전시|문화재|도자기|조각|불상|사유상|서화|공예|출품")
_MARKET_CUES = re.compile(r"코스피|코스닥|지수|다우|나스닥|S&P|닛케이|항셍|상하이|증시|마감|장중|거래일|오른|내린|상승|하락|"
                          r"올라|내려|떨어|급등|급락")

# The article's domain, from the words of the whole article (article_domain)
_DOMAINS = {
    "baseball": re.compile(r"이닝|투수|타자|홈런|안타|타석|마운드|삼진|KBO|MLB|메이저리그|선발승|불펜|볼넷|타점|세이브"),
    "golf": re.compile(r"언더파|오버파|버디|보기|이글|티샷|PGA|LPGA|KLPGA|KPGA|그린|홀컵|파4|파5|최종 라운드"),
    "market": re.compile(r"코스피|코스닥|다우|나스닥|증시|거래일|종가|외국인 순매수|시가총액|지수"),
    "weather": re.compile(r"기온|기상청|강수량|폭염|한파|장마|태풍|호우|열대야|체감온도|예보"),
}

# --------------------------------------------------------------------------- patterns

_NOT_AFTER_LATIN = r"(?<![A-Za-z\d.,])"  # 5G / 3D / COVID-19 are not figure starts
_APOS = "'‘’`´"
# A number glued to a word is part of a name (코로나19, 비전2030) unless the word is one of these
_GLUE_OK = re.compile(
    r"(?:제|약|총|영하|영상|섭씨|화씨|시속|초속|분당|최대|최소|최고|최저|무려|불과|단|각|매|월|연|및|또는|등|전|후|대비|"
    r"부터|까지|올해|지난해|작년|내년|당|만|년|일|개|명|원|은|는|이|가|을|를|의|에|와|과|도|로|에서|으로|께|쯤|때|"
    r"마이너스|음수|플러스)$"
)
_SIGN = r"(?:(?<![\w.,%)\]~∼～〜-])[-−](?=\d)|(?<![가-힣])(?:마이너스|음수)\s?)"
_SYMBOLS = {">": "more than", "<": "less than", ">=": "at least", "<=": "at most", "≥": "at least", "≤": "at most"}

PATTERNS: list[tuple[str, re.Pattern]] = [
    # things that look like figures and are not: phone numbers, names with digits
    ("phone", re.compile(r"(?<![\d-])(?:\(?0\d{1,2}\)?[-.\s]?\d{3,4}[-.]\d{4}|\d{3,4}-\d{4}|1[5-9]\d{2}-\d{4})(?![\d-])")),
    ("glued", re.compile(r"(?<=[가-힣A-Za-z])\d+(?:[.,]\d+)*(?:\s[가-힣]+)?")),
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
    ("week_of_month", re.compile(r"(?<![\d.])(?P<m>\d{1,2})월\s?(?:(?P<w>\d)\s?주(?:차)?|(?P<wk>첫째|둘째|셋째|넷째|다섯째|마지막)\s?주)"
                                 r"(?!간|일|년|말|식|가|택|류|민|변|요|도|력|제|\d)")),
    # 8.15.~8.21., (8.21. 0시 기준): dates in a press release
    ("date_md_range", re.compile(r"(?<![\d.])(?P<m>\d{1,2})\.(?P<d>\d{1,2})\.\s?[~∼～〜]\s?(?P<m2>\d{1,2})\.(?P<d2>\d{1,2})\.(?!\d)")),
    ("date_md_dot", re.compile(r"(?<![\d.])(?P<m>\d{1,2})\.(?P<d>\d{1,2})\.(?=\s?(?:\d{1,2}시|\(|~|∼|부터|까지|기준|[가-힣]|\)|$))")),
    ("month_day", re.compile(r"(?<![\d.])(?P<m>\d{1,2})월\s?(?P<d>\d{1,2})일(?!간|동안|째)")),
    ("nights_days", re.compile(r"(?<!\d)(?P<a>\d{1,2})박\s?(?P<b>\d{1,2})일")),
    ("years_months", re.compile(r"(?<!\d)(?P<a>\d{1,3})년\s?(?P<b>\d{1,2})개월")),
    ("time", re.compile(
        r"(?:(?P<p>오전|오후|새벽|아침|낮|저녁|밤)\s?)?(?<![\d.])(?P<h>\d{1,2})시(?!간|즌|장|점|청|민|내|각|대|기|도|설|의회|즈|리즈|스템|속|세|가총|가격|가지|행|절|공|계|효|상|위)"
        r"(?:\s?(?P<half>반)|\s?(?P<mi>\d{1,2})분)?(?:\s?(?P<s>\d{1,2})초)?"
    )),
    ("fraction", re.compile(
        rf"(?<![\d.가-힣])(?:(?P<neg>마이너스|음수)\s?)?(?:(?P<w>{NUM}|{SINO_RE})\s?(?:과|와)\s)?(?P<a>\d+|{SINO_RE})\s?분의\s?"
        rf"(?P<b>\d+(?:\.\d+)?|{SINO_RE})"
    )),
    # 3시간30분 (210 minutes), 2시간 6분 14초 (a race time)
    ("hours_minutes", re.compile(r"(?<![\d.])(?P<h>\d{1,3})\s?시간\s?(?P<mi>\d{1,2})\s?분(?:\s?(?P<s>\d{1,2})\s?초)?"
                                 r"(?P<x>\s?만에|\s?동안|간)?")),
    # 9초58: a race time in seconds and hundredths (9.58 s)
    ("race_time", re.compile(r"(?<![\d.])(?P<s>\d{1,2})초(?P<c>\d{2})(?!\d)")),
    ("vulgar", re.compile(rf"(?<![\d.])(?:(?P<n>\d+)\s?)?(?P<f>{_VULGAR_RE})(?:\s?(?P<u>{_UNIT_RE}))?")),
    ("article", re.compile(r"제\s?(?P<n>\d+)\s?조(?:\s?(?P<k>\d+)\s?항)?")),
    ("ordinal_je", re.compile(r"제\s?(?P<n>\d+)(?P<u>" + _ORD_RE + r"|회|대|편|부|장|권|기|차)?")),
    # 9원30전, 1달러 20센트: a price in two units
    ("subunit", re.compile(rf"{_NOT_AFTER_LATIN}(?P<a>{NUM})\s?(?P<u>원|달러)\s?(?P<b>\d{{1,2}})\s?(?P<c>전(?![후년날부체국망략자쟁])|센트)")),
    # 강하준(25), 김모(45)씨, 정우찬(28·셀틱): an age in the parenthesis after a name
    ("paren_age", re.compile(r"(?<=[가-힣A-Z])\((?P<n>\d{1,3})(?P<se>세)?(?=[)·/]|,(?!\d))")),
    # 08:40, 10:30~12:10: clock times
    ("clock", re.compile(r"(?<![\d:.])(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)(?![\d:])(?:\s?[~∼～〜-]\s?(?P<h2>[01]?\d|2[0-4]):(?P<mi2>[0-5]\d)"
                        r"(?![\d:]))?")),
    # 1루, 1, 2루: bases in baseball
    ("base", re.compile(r"(?<![\d.,])(?P<a>[123])(?:,\s?(?P<b>[23]))?루(?!타|수|에서의)")),
    # 2019-2020 (a season), 112 (the police's number)
    ("season", re.compile(r"(?<!\d)(?P<a>(?:19|20)\d\d)\s?[-–](?P<b>(?:19|20)\d\d)(?!\d)")),
    ("emergency", re.compile(r"(?<![\d,.])(?:112|119|911|1339)(?=\s?(?:에|로|으로|번|신고|상황실|구급|종합상황실))")),
    # 7명 중 1명, 4대 가운데 1대: one in seven
    ("one_in", re.compile(r"(?<![\d.])(?P<a>\d{1,3})\s?(?P<u>명|대|곳|개|가구|건)\s?(?:중|가운데)\s?(?P<b>\d)\s?(?P=u)")),
    # 2030세대: people in their 20s and 30s
    ("generation", re.compile(r"(?<!\d)(?P<a>[2-6])0(?P<b>[3-7])0\s?(?:세대|대)")),
    # 파72: par 72
    ("par", re.compile(r"(?<![가-힣])파\s?(?P<n>\d{1,2})(?!\d)")),
    # 2인 1조: teams of two
    ("team", re.compile(r"(?<![\d.])(?P<a>\d+)인\s?(?P<b>\d+)조(?!원|달러|\d)")),
    # 524.64대 1: a ratio (competition for places)
    ("ratio", re.compile(rf"(?<![\d.,])(?P<a>{NUM})\s?대\s?(?P<b>1)(?![\d.,])")),
    # 지하 3층, 지상 27층, 27층
    ("floor", re.compile(r"(?:(?P<pre>지하|지상)\s?)?(?<![\d.])(?P<n>\d+)\s?층(?!간|계|위)")),
    # 섭씨 30도, 화씨 98.6도, 영하 5도, 화씨 마이너스 5도
    ("temperature", re.compile(
        rf"(?P<pre>섭씨|화씨|영하|영상)\s?(?P<neg>마이너스\s?|[-−])?(?P<n>{NUM})\s?(?P<u>도|℃|℉)?(?!시|심|입(?!니)|민|청)"
    )),
    # 2도 화상: a second-degree burn
    ("burn", re.compile(r"(?<![\d.])(?P<n>[1-4])\s?도\s?화상")),
    # 4일 연속, 38주 연속, 3분기 연속, 11차례 연속: so many in a row
    ("in_a_row", re.compile(
        rf"(?<![\d.])(?P<n>{RUN})\s?(?P<u>거래일|일|주|개월|달|년|해|경기|회|번|차례|분기|시즌|타석|게임|대회)\s?(?=연속)"
    )),
    ("range_between", re.compile(
        rf"{_NOT_AFTER_LATIN}(?P<a>{RUN})\s?(?P<u1>{_UNIT_RE})?\s?(?:(?P<and>과|와|에서)\s(?P<b>{RUN})\s?(?P<u2>{_UNIT_RE})?\s?사이"
        rf"|부터\s(?P<c>{RUN})\s?(?P<u3>{_UNIT_RE})?\s?까지)"
    )),
    (
        "range",
        re.compile(
            rf"{_NOT_AFTER_LATIN}(?:(?P<pre>{_PREQ})\s)?(?P<a>{RUN})\s?(?P<u1>{_UNIT_RE})?\s?[~∼～〜]\s?"
            rf"(?P<b>{RUN})\s?(?P<u2>개월|{_UNIT_RE}|년|일|시간|분기|월(?!급|세|간))?"
        ),
    ),
    ("score", re.compile(r"(?<![\d.,:-])(?P<a>\d{1,3})\s?(?:-|:|대\s?)(?P<b>\d{1,3})(?![\d.,:-]|\s?(?:[가-힣]{0,1}(?:개|명|원|일|년|월|시|분|%))|\s?[A-Za-z%㎜㎝㎞㎏㎡])")),
    ("ordinal", re.compile(rf"{_NOT_AFTER_LATIN}(?P<n>\d+)(?P<u>{_ORD_RE})(?!금|리|관|준|량|원|고|업|계|간)")),
    # 3/4분기: the third quarter (older news); 3/4, 2 1/4: a fraction, unless a date follows (3/4(월))
    ("slash_quarter", re.compile(r"(?<![\d/])(?P<n>[1-4])/4\s?분기")),
    ("slash_fraction", re.compile(r"(?<![\d/.,])(?:(?P<sign>[-−])\s?)?(?:(?P<w>\d+)\s+)?(?P<b>\d{1,2})/(?P<a>\d{1,2})"
                                  r"(?![\d/]|\s?\(?[월화수목금토일]\)|\s?(?:일|월|분기|까지|부터))")),
    # 시속 100㎞, 초속 20m, 시속 188 마일
    ("speed", re.compile(rf"(?P<pre>시속|초속|분속)\s?(?P<n>{NUM})\s?(?P<u>㎞|km|킬로미터|킬로|마일|m|미터|노트)(?![A-Za-z])")),
    # 1 234 567: thousands set apart by spaces (rare in Korean, common in tables)
    ("spaced_thousands", re.compile(r"(?<![\d.,])(?P<n>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?)(?![\d,]|\s\d)")),
    # .25: a decimal without its leading zero
    ("dot_decimal", re.compile(rf"(?<![\w.,])\.(?P<d>\d+)(?!\.\d)\s?(?P<u>{_UNIT_RE})?")),
    ("duration", re.compile(
        r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)(?P<yeo>여)?\s?(?P<u>개월|주일|주간|시간|분|초|일|년|주|달(?!러))"
        r"(?P<x>간|\s?동안|째|여|\s?만(?=에|이다|의))?(?!기|반|순|대)"
    )),
    ("month", re.compile(r"(?<![\d.])(?P<m>\d{1,2})월(?!급|세|간)")),
    (
        "amount",
        re.compile(
            rf"(?P<sign>{_SIGN})?(?P<cur>\$|US\$|￦|₩)?{_NOT_AFTER_LATIN}"
            rf"(?P<n>{RUN})(?P<yeo>여)?\s?"
            rf"(?P<u>{_UNIT_RE})?(?:\s?(?P<suf>{_SUFQ}))?"
        ),
    ),
    # 두 명, 세 차례, 다섯 살, 스물다섯 번째, 한 해
    ("native", re.compile(rf"(?<![가-힣\d])(?:(?P<pre>{_PREQ})\s)?(?P<w>{NATIVE_RE})\s?(?P<c>{_COUNTER_RE})")),
    # 서너 곳, 두세 차례: an approximate count
    ("native_pair", re.compile(rf"(?<![가-힣])(?P<w>{'|'.join(sorted(NATIVE_PAIRS, key=len, reverse=True))})\s?(?P<c>{_COUNTER_RE})")),
    # 이틀, 사흘간, 닷새 만에, 사흘째, 보름
    ("native_days", re.compile(rf"(?<![가-힣])(?P<w>{'|'.join(sorted(NATIVE_DAYS, key=len, reverse=True))})"
                               r"(?P<x>간|째|동안|\s만에|\s동안|\s사이|\s전|\s뒤|\s후|\s앞|\s빠른|\s늦은|\s일찍|\s연속)?"
                               r"(?=[^가-힣]|$|[이가은는을를의에도만인]|째|간)")),
    # 두 후보, 다섯 나라: a native number and any noun (not 한, 세, 네, 열: a, tax, your, heat)
    ("native_noun", re.compile(r"(?<![가-힣\d])(?P<w>두|다섯|여섯|일곱|여덟|아홉|스무|스물|서른|마흔|쉰)\s(?P<c>[가-힣]{1,4})")),
    # 수억 원, 수십 명: an amount said without its number
    ("vague", re.compile(r"(?<![가-힣])수\s?(?P<m>십만|백만|천만|십억|백억|천억|십|백|천|만|억|조)(?:\s?(?P<u>명|원|달러|개|곳|건|가구|채|톤|"
                         r"마리|대|배)(?=[^가-힣]|$|[이가은는을를의에도만]))?(?(u)|(?![가-힣]))")),
    # 두 자릿수: double-digit
    ("digits_count", re.compile(r"(?<![가-힣])(?P<w>두|세|네)\s?자릿수")),
    # 첫, 첫째, 첫 번째
    ("first", re.compile(r"(?<![가-힣])첫(?:\s?번째|째|\s?(?P<n>주|날|해|달|회|경기|골|승|단추|차|날|주말|삼진|안타|홈런|우승|대회)"
                         r"(?=[^가-힣]|$|[이가은는을를의에도만]|부터|까지))?(?=\s?[가-힣]|[^가-힣]|$)")),
    # 절반: a half
    ("half", re.compile(r"(?<![가-힣])절반(?=[이가을를의은는에도]|\s|$|[,.])")),
    # 삼백오십 명, 이천십칠 년, 일억 원, 마이너스 일천구백, 이십 퍼센트
    ("sino", re.compile(rf"(?<![가-힣])(?:(?P<neg>마이너스|음수)\s?)?(?P<w>{SINO_MULTI_RE}|{_SD}(?=\s(?:년|개월|주|세|퍼센트|프로)))"
                        rf"(?:(?P<sp>\s?)(?P<u>{_SINO_UNIT_RE}))?")),
    # 마이너스 오: minus five
    ("sino_negative", re.compile(rf"(?<![가-힣])(?P<neg>마이너스|음수)\s?(?P<w>{_SD})(?=입니|이다|[^가-힣]|$)")),
]


# --------------------------------------------------------------------------- extraction


def _year2(yy: str) -> int:
    n = int(yy)
    return 2000 + n if n < 50 else 1900 + n


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


_SMALL_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_ORD_WORDS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def _word(n: int) -> str:
    return _SMALL_WORDS[n] if 0 <= n <= 10 else str(n)


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


def _block(s: int, e: int) -> dict:
    """A span that looks like a figure and is not one (a phone number, a name): it claims the span."""
    return dict(block=True, start=s, end=e, text="x")


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
    if unit[-1].isascii() and unit[-1].isalpha() and nxt.isascii() and (nxt.isalpha() or nxt == "/"):
        return False  # 5Gb, 3mm vs 3mmHg
    banned = _UNIT_NOT_BEFORE.get(unit.replace(" ", ""))
    return not (banned and nxt and nxt in banned)


def _sentence_words(text: str, s: int, e: int, before: int = 30, after: int = 12) -> tuple[str, str]:
    return text[max(0, s - before):s], text[e:e + after]


def _unit_decide(text: str, s: int, ue: int, surface: str, value: Decimal, domain: str | None,
                 has_multiplier: bool) -> tuple[str, str, str] | None:
    """(unit key, English template, kind) of the unit written at text[..ue] after a number at s, where the
    words around it decide what it means; None where it is not a unit there."""
    key = surface.replace(" ", "")
    ukey, tmpl, kind = _UNIT_KEY[key]
    before, after = _sentence_words(text, s, ue)
    if key == "주":
        if re.match(r"\s?(?:간|동안|째|만|전|후|뒤|차|연속|가량|여|내|이내|새|사이|마다)", after):
            return "weeks", "{n} weeks", "duration"
        if has_multiplier or value >= 1000 or domain == "market" or _SHARE_CUES.search(text):
            return ukey, tmpl, kind
        if value <= 52 and value == value.to_integral_value():
            return "weeks", "{n} weeks", "duration"
        return ukey, tmpl, kind
    if key == "도":
        if re.match(r"\s?화상", after):
            return None
        if after[:1] == "로" and not (_TEMPERATURE_CUES.search(text) or domain == "weather"
                                     or re.match(r"로\s?(?:올|떨어|내려|상승|하락|치솟|오르|낮아|높아|예상|기록|맞춰|설정)", after)):
            return None  # 3도로: a road
        if after[:1] == "입" and not after.startswith("입니"):
            return None  # 도입: an introduction
        if _ANGLE_CUES.search(before) or _ANGLE_CUES.search(after):
            return ukey, tmpl, kind
        if _TEMPERATURE_CUES.search(text) or domain == "weather":
            return "°C", "{n}°C", "measure"
        return ukey, tmpl, kind
    if key == "점":
        if re.match(r"\s?홈런", after):
            if value == 1:
                return "run homer", "a solo homer", "count"
            if value == 4:
                return "run homer", "a grand slam", "count"
            return "run homer", "a {w}-run homer", "count"
        if _ART_CUES.search(before) or _ART_CUES.search(after):
            return "pieces", "{n} pieces", "count"
        if domain == "baseball" or re.search(r"득점|타점|실점|이닝|홈런|안타", text):
            return "runs", "{n} runs", "count"
        return ukey, tmpl, kind
    if key == "회":
        m = cast("re.Match[str]", re.match(r"(?P<half>초|말)?", after))  # an empty match at least
        if m.group("half"):
            half = "top" if m.group("half") == "초" else "bottom"
            return "inning", f"the {half} of the {{o}} inning", "ordinal"
        if domain == "baseball" and not re.match(r"\s?(?:연속|째|만에|이상|정도)", after):
            return "inning", "the {o} inning", "ordinal"
        return ukey, tmpl, kind
    if key == "사":
        if domain == "baseball" or re.match(r"\s?(?:만루|[123]루|주자)", after):
            return "outs", "{n} outs", "count"
        if re.search(r"(?:통신|이통|카드|보험|증권|건설|항공|정유|지주|자동차|완성차|홈쇼핑|게임|배달|제약|은행|금융)\s?$",
                     before) or re.match(r"\s?(?:모두|가운데|중|는|가|의|와|과|이|을|를|체제|합산|공동)", after):
            return ukey, tmpl, kind
        return None
    if key == "번" and re.match(r"\s?(?:홀|타자|출구|국도|게이트|트랙|레인|타석|시드|주자|선발|국번)", after):
        return "number", "the {o} hole" if re.match(r"\s?홀", after) else "No. {n}", "ordinal"
    if key == "득점" and domain not in ("baseball", None):
        return "points", "{n} points", "count"
    if key == "a":
        return (ukey, tmpl, kind) if re.match(r"\(|당", after) else None  # 10a(1천㎡)당: per ten ares
    if key in ("p", "P", "pt"):
        if domain == "market" or _MARKET_CUES.search(text) or "(" in after[:2]:
            return ukey, tmpl, kind
        return None
    if key == "파운드":
        if re.search(r"무게|체중|몸무게|중량|감량|빼|살을|근육|체급|아기|톤|킬로그램|㎏|kg|온스", text):
            return "lb", "{n} pounds", "measure"
        return ukey, tmpl, kind
    if key == "프로":
        if re.match(r"\s?(?:야구|축구|농구|배구|골프|선수|구단|리그|데뷔|무대|팀|젝트|그램|필)", after):
            return None
        return ukey, tmpl, kind
    if key in ("나노", "킬로", "센티") and not (has_multiplier or value < 1000):
        return None
    if key == "동" and not re.search(r"아파트|건물|빌딩|주택|동짜리|단지|오피스텔", text):
        return None  # 101동: a building number, not a count
    return ukey, tmpl, kind


def _qualifier_after(text: str, pos: int) -> tuple[str | None, int]:
    """The qualifier written after a figure (이상, 미만, 3000이 넘는 …) and where it ends."""
    rest = text[pos:]
    m = cast("re.Match[str]", re.match(r"\s?", rest))  # an empty match at least
    off = m.end()
    for pat, q in _SUFQ_RES:
        mm = pat.match(rest, off)
        if mm:
            return q, pos + mm.end()
    return None, pos


def _render(tmpl: str, n_en: str, value: Decimal) -> str:
    n = int(value) if value == value.to_integral_value() else None
    en = tmpl.format(n=n_en, o=_ordinal(n) if n is not None else n_en, w=_word(n) if n is not None else n_en)
    if value == 1:
        en = _singular(en)
    return en


_LEAD = re.compile(rf"(?:(?P<pre>{_PREQ})\s?)?(?:(?P<sym>[<>]=?|[≤≥])\s?)?$")


def _amount_fig(text: str, m: re.Match, domain: str | None) -> dict | None:
    run, unit = m.group("n"), m.group("u")
    lead = cast("re.Match[str]", _LEAD.search(text, max(0, m.start() - 6), m.start()))  # every part optional
    cut = _run_cut(run)
    if cut is not None:
        return {"recut": m.start("n") + cut}
    s = m.start("n")
    sign = m.group("sign")
    if sign and sign.strip() in "-−" and unit and re.search(r"\d\s$", text[:m.start("sign")]):
        sign = None  # 75 -300mm: a span of two numbers written with a space, not minus 300 mm
    if m.group("cur"):
        s = m.start("cur")
    if sign:
        s = m.start("sign")
    nxt = text[m.end("n"):m.end("n") + 1]
    if not unit and nxt.isascii() and nxt.isalpha():
        return None  # 3D, 5G: a name, not a figure
    value = parse_korean_number(run)
    has_mult = bool(re.search(r"[만억조천백]", run))
    spec = None
    if unit:
        if not _unit_ok(text, m.end("u"), unit):
            unit = None
        else:
            spec = _unit_decide(text, m.start("n"), m.end("u"), unit, value, domain, has_mult)
            if spec is None and unit == "동":
                return _block(s, m.end("u"))  # 101동: a building's number
            if spec is None:
                unit = None
    if run[-1] in "조" and text[m.end("n"):m.end("n") + 1] in ("항",):
        return None
    end = m.end("n")
    if m.group("yeo"):
        end = m.end("yeo")
    if unit:
        end = m.end("u")
    prev = text[s - 1:s] if s else ""
    if not unit and not m.group("cur") and not sign and prev and prev.isalpha():
        # 코로나19, 갤럭시S24: digits glued to a word are part of a name
        if not re.match(r"[조억만천백]", run[-1]):
            return None
    if (not unit and not m.group("cur") and not lead.group("pre") and not m.group("yeo") and not sign
            and re.fullmatch(r"\d{4}", run) and 1900 <= value <= 2100):
        # a bare four-digit number is a year (2025 KBO리그, 2024 파리올림픽): Korean writes counts
        # of a thousand or more with a comma or a unit; but in `비룡공감 2080 사업`, `비전 2030` it is a name
        if (re.match(r"\s?(?:사업|프로젝트|계획|전략|플랜|캠페인|운동|프로그램|로드맵|포럼)", text[end:])
                or re.search(r"(?:비전|플랜|프로젝트|전략|어젠다|아젠다)\s?$", text[:s])):
            return _block(s, end)
        return _mk(text, s, end, value=int(value), unit="year", en=run, kind="year",
                   required=[(run,)], tokens=[run])
    qualifier = None
    if lead.group("pre"):
        qualifier = PREFIX_QUALIFIERS[lead.group("pre")]
    if lead.group("sym"):
        qualifier = _SYMBOLS[lead.group("sym")]
        s = min(s, lead.start("sym"))
    if m.group("yeo"):
        qualifier = "about"  # 300여명: 300-odd people
    if m.group("suf"):
        q, _ = _qualifier_after(text, m.start("suf"))
        qualifier = q or qualifier
    n_en = format_number(value)
    kind, ukey, tmpl = "amount", None, "{n}"
    if m.group("cur"):
        ukey, tmpl, kind = "USD", "${n}", "money"
    elif not unit:
        cue = re.search(r"(승점|규모|진도)\s?$", text[:s])
        if cue and cue.group(1) == "승점":
            ukey, tmpl, kind = "points", "{n} points", "count"  # 승점 3: 3 points in a league table
        elif cue and re.search(r"지진|여진|강진", text):
            ukey, tmpl, kind = ("magnitude", "magnitude {n}", "measure") if cue.group(1) == "규모" else \
                ("intensity", "intensity {n}", "measure")
    if unit and spec is not None:  # a unit kept is one _unit_decide read
        ukey, tmpl, kind = spec
        if ukey == "inning" and text[end:end + 1] in ("초", "말"):
            end += 1  # 9회말: the bottom of the 9th
        if unit == "대":
            special = _dae(text, s, m.end("u"), value)
            if special:
                return special
        if unit == "세대" and value <= 10:
            return _mk(text, s, end, value=_plain(value), en=f"{_ordinal(int(value))} generation", kind="ordinal",
                       tokens=[canon(value)])
    negative = bool(sign)
    if negative:
        value = -value
    return _finish(text, s, end, value, ukey, tmpl, kind, qualifier, n_en)


_RATES = [(re.compile(r"(?:하루(?:\s?평균)?|일평균|일일)\s?(?:최대\s?|최소\s?|약\s?)?$"), "a day"),
          (re.compile(r"시간당\s?(?:최대\s?|최고\s?|약\s?)?$"), "an hour"),
          (re.compile(r"(?:^|\s)연\s?(?:평균\s?)?$"), "a year"), (re.compile(r"(?:^|\s)주\s?$"), "a week"),
          (re.compile(r"(?:^|\s)월\s?(?:평균\s?)?$"), "a month"), (re.compile(r"배럴당\s?$"), "a barrel"),
          (re.compile(r"톤당\s?$"), "a tonne"), (re.compile(r"(?:^|\s)주당\s?$"), "a share"),
          (re.compile(r"1인당\s?$|인당\s?$"), "per person")]


def _rate(text: str, s: int) -> str | None:
    """하루 50만 배럴, 시간당 60㎜, 연 1.25%: the period or the thing a figure is counted per."""
    before = text[max(0, s - 10):s]
    for pat, per in _RATES:
        if pat.search(before):
            return per
    return None


def _finish(text, s, end, value: Decimal, ukey, tmpl, kind, qualifier, n_en=None):
    n_en = n_en or format_number(abs(value))
    en = _render(tmpl, n_en, abs(value))
    per = _rate(text, s) if kind in ("money", "measure", "percent", "count", "amount") and ukey not in (None, "year") \
        else None
    if per and not (per == "a week" and ukey in ("days",)):
        en = f"{en} {per}"
    if value < 0:
        en = MINUS + en if en.startswith("$") else _render(tmpl, MINUS + n_en, abs(value))
    if qualifier == "at least" and ukey == "years old":
        en = f"aged {n_en} and over"  # 65세 이상
    elif qualifier:
        en = f"{qualifier} {en}"
    plain = _plain(value)
    required: list[tuple[str, ...]]
    if value < 0:
        required = [(canon(value), canon(-value))]
        tokens = [canon(value), canon(-value)]
    else:
        required = [(canon(value),)]
        tokens = [canon(value)]
    return _mk(text, s, end, value=plain, unit=ukey, en=en, kind=kind, qualifier=qualifier,
               required=required, tokens=tokens)


def _singular(en: str) -> str:
    """1 wins -> 1 win, 1 people -> 1 person, 1 losses -> 1 loss, 1 inches -> 1 inch, 1 feet -> 1 foot."""
    if en.endswith(" people"):
        return en[:-6] + "person"
    if en.endswith(" feet"):
        return en[:-4] + "foot"
    if en.endswith(" pennies"):
        return en[:-7] + "penny"
    if en.endswith(" children"):
        return en[:-8] + "child"
    if en.endswith(" RBIs"):
        return en[:-1]
    if en.endswith(("sses", "shes", "ches")):
        return en[:-2]
    if en.endswith("s") and not en.endswith(("ss", "us", " years old", " pence", " reais", " kronor")):
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
        return _mk(text, s, e, value=n, en=_ordinal(n), kind="ordinal", tokens=[str(n)])
    if after.startswith(_TOP_N_AFTER):
        return _mk(text, s, e, value=n, en=f"top {n}", kind="ordinal", tokens=[str(n)])
    if any(w in before for w in _MACHINE_BEFORE):
        return None  # plain units: the amount rule handles it
    if 10 <= n <= 90 and n % 10 == 0:
        return _mk(text, s, e, value=n, unit="age group", en=f"in their {n}s", kind="age", tokens=[str(n)])
    return None


def _as_written(run: str, value: Decimal) -> str:
    """A plain number keeps its written decimals (5.00); one with 만/억/조 is spelled out."""
    return run if re.fullmatch(NUM, run) else format_number(value)


# Range units that are not in UNITS: (template, unit key)
_RANGE_UNITS = {"개월": ("{n} months", "months"), "시간": ("{n} hours", "hours"), "분기": ("Q{n}", "quarter")}


def _range_fig(text: str, m: re.Match, domain: str | None, between: bool = False) -> dict | None:
    g: dict[str, Any] = m.groupdict()
    b_run: str = cast(str, g.get("b") or g.get("c"))
    a_run = g["a"]
    if _run_cut(a_run) is not None or _run_cut(b_run) is not None:
        return None
    a, b = parse_korean_number(a_run), parse_korean_number(b_run)
    u1 = g.get("u1")
    u2 = g.get("u2") or g.get("u3")
    u2_end = m.end("u2") if g.get("u2") else (m.end("u3") if g.get("u3") else None)
    if u1 and not _unit_ok(text, m.end("u1"), u1):
        return None
    if u2 and u2.replace(" ", "") in _UNIT_KEY and not _unit_ok(text, cast(int, u2_end), u2):
        u2 = None
    unit: Any = u2 or u1
    s = m.start("a")
    e = u2_end if u2 else m.end("b" if g.get("b") else "c")
    if between:
        e = m.end()
    lo, hi = _as_written(a_run, a), _as_written(b_run, b)
    ukey_unit = unit.replace(" ", "") if unit else None
    if ukey_unit == "대" and between:
        return None  # 20대부터 70대까지: two age groups
    if ukey_unit == "대" and all(x % 10 == 0 and 10 <= x <= 90 for x in (a, b)):  # 30~40대: their 30s and 40s
        return _mk(text, s, e, unit="age group", en=f"in their {lo}s to {hi}s", kind="age",
                   tokens=[canon(a), canon(b)])
    if ukey_unit in _UNIT_KEY:
        spec = _unit_decide(text, s, u2_end or m.end("u1"), unit, b, domain, False) or _UNIT_KEY[ukey_unit]
        ukey, tmpl, _ = spec
        if tmpl.startswith("$"):
            en = f"${lo}–{hi}"
        else:
            en = tmpl.format(n=f"{lo}–{hi}", o=f"{lo}–{hi}", w=f"{lo}–{hi}")
    elif unit == "년":
        ukey = "year" if b >= 1000 else "years"
        en = f"{lo}–{hi}" if b >= 1000 else f"{lo}–{hi} years"
    elif unit == "월" and 1 <= a <= 12 and 1 <= b <= 12 and a == int(a) and b == int(b):
        ukey, en = "month", f"{MONTHS[int(a) - 1]}–{MONTHS[int(b) - 1]}"
        return _mk(text, s, e, unit=ukey, en=en, kind="date", tokens=[canon(a), canon(b), f"month:{int(a)}",
                                                                        f"month:{int(b)}"])
    elif unit == "일":
        days = b <= 31 and a < b
        ukey = "day" if days else "days"
        en = f"the {_ordinal(int(a))}–{_ordinal(int(b))}" if days else f"{lo}–{hi} days"
    elif unit in _RANGE_UNITS:
        tmpl, ukey = _RANGE_UNITS[unit]
        en = tmpl.format(n=f"{lo}–{hi}")
    else:
        ukey, en = None, f"{lo}–{hi}"
    if between and g.get("and") in ("과", "와"):
        en = "between " + en.replace("–", " and ", 1) if "–" in en else en
    pre = g.get("pre")
    if pre:
        en = f"{PREFIX_QUALIFIERS[pre]} {en}"
    return _mk(text, s, e, unit=ukey, en=en, kind="range", required=[(canon(a),), (canon(b),)],
               tokens=[canon(a), canon(b)])


_DURATION_UNITS = {"개월": "months", "주일": "weeks", "주간": "weeks", "주": "weeks", "시간": "hours", "분": "minutes",
                   "초": "seconds", "일": "days", "년": "years", "달": "months"}


def _duration_fig(text: str, m: re.Match) -> dict | None:
    n = Decimal(m.group("n"))
    u, x = m.group("u"), (m.group("x") or "").strip() or None
    yeo = m.group("yeo")
    nxt = text[m.end("u"):m.end("u") + 1]
    if u == "분" and nxt == "기":
        return None
    if u == "분" and text[m.end("u"):].startswith("의"):
        return None  # 3분의 1: a fraction
    if u == "초" and text[m.end("u"):m.end("u") + 1] in "반순":
        return None
    if u == "년":
        long_ago = re.match(r"\s?(?:이상|이하|넘|가까이|전|후|뒤|가량|정도|된|역사|동안|만에)", text[m.end("u"):])
        if n >= 1000 or (x is None and not yeo and n >= 100 and not long_ago):
            return None
    days_after = re.match(r"\s?(?:안에|이내|내에|전에|(?:전|후|뒤)(?![가-힣])|마다|이상|이하|넘게|가까이|정도|가량|적었|많았|"
                          r"늘어|줄어|연속|째|짜리|치(?![러르른룬])|분|씩|근무|휴무|휴가|파업|간격)", text[m.end("u"):])
    week_rate = re.search(r"주\s?$", text[:m.start()])
    if u == "일" and x is None and not yeo and not days_after and not week_rate:
        if n <= 31 and n == n.to_integral_value():
            d = int(n)
            return _mk(text, m.start(), m.end("u"), en=f"the {_ordinal(d)}", kind="date", tokens=[str(d)])
    if u == "주" and x is None and not yeo and (n > 12 or _SHARE_CUES.search(text)):
        return None  # shares: the amount rule
    half = re.search(r"(?P<h>연장\s?전반|연장\s?후반|전반|후반)\s?$", text[:m.start()])
    if u == "분" and half and not yeo:
        k = int(n)  # 전반 12분: 12 minutes into the first half of a football match
        which = {"전반": "first half", "후반": "second half"}.get(half.group("h"), "extra time")
        return _mk(text, half.start(), m.end("u"), en=f"{k} minutes into the {which}", kind="time",
                   tokens=[str(k), "word:1" if which == "first half" else "word:2"])
    unit = _DURATION_UNITS[u]
    end = m.end("u")
    if x in ("간", "째", "여"):  # written together with the number: 5년간, 3년째, 10년여
        end = m.end("x")
    word = unit[:-1] if n == 1 else unit
    en = f"{format_number(n)} {word}"
    qualifier = None
    if x == "째":
        en = f"for the {_ordinal(int(n))} {unit[:-1]}"
    elif x == "여" or yeo:
        en, qualifier = f"about {en}", "about"
    elif x == "만":
        en = f"after {en}"
    q, qend = _qualifier_after(text, end)
    lead = cast("re.Match[str]", _LEAD.search(text, max(0, m.start() - 6), m.start()))  # every part optional
    if not q and lead and lead.group("pre"):
        q = PREFIX_QUALIFIERS[lead.group("pre")]
    if q and not qualifier:
        qualifier = q
        en = f"{q} {en}"
    return _mk(text, m.start(), end, value=_plain(n), unit=unit, en=en, kind="duration", qualifier=qualifier,
               required=[(canon(n),)], tokens=[canon(n)])


def _fraction_en(a: int, b, whole) -> str:
    """b/a: 1/3 -> a third, 2/3 -> two-thirds; with a whole part: 5 and a third."""
    frac = _FRACTION_WORDS.get((int(b), a)) if b == int(b) else None
    frac = frac or f"{canon(b)}/{a}"
    if whole:
        return f"{canon(whole)} and {frac}"
    return frac


def _num_or_sino(s: str) -> Decimal | None:
    if re.fullmatch(NUM, s):
        return Decimal(s.replace(",", ""))
    return parse_sino(s)


def _hangul_end_ok(text: str, pos: int) -> bool:
    return bool(_AFTER_COUNTER.match(text, pos))


def _native_fig(text: str, m: re.Match) -> dict | None:
    w, c = m.group("w"), m.group("c").replace(" ", "")
    n = parse_native(w)
    if n is None or not _hangul_end_ok(text, m.end("c")):
        return None
    if w in ("하나", "둘", "셋", "넷") and c not in ("째",):
        return None  # 하나 명 is not Korean; 둘째, 셋째 are ordinals
    if c == "째" and w not in ("둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉", "열"):
        return None
    if len(w) == 1 and len(c) == 1 and m.end("w") == m.start("c") and c != "째":
        return None  # 세대, 한번, 열대: one word, not a number and a counter
    if w in ("석", "넉") and c not in ("달", "장", "잔", "자루", "단"):
        return None  # 석 달, 넉 달; not 석 명
    if w == "한" and text[m.end("c"):m.end("c") + 2].startswith("인") and c in ("살",):
        return None  # 한 살인 사건: a murder
    if c == "분" and w not in ("두", "세", "네", "다섯", "여섯"):
        return None  # 한 분 is 'one person' too, but rare and ambiguous with minutes
    unit_key, tmpl, kind = COUNTERS[c]
    s = m.start("w")
    value = Decimal(n)
    qualifier = PREFIX_QUALIFIERS[m.group("pre")] if m.group("pre") else None
    q, _ = _qualifier_after(text, m.end("c"))
    qualifier = q or qualifier
    if kind == "ordinal":
        en = _ORD_WORDS[n] if n <= 10 else _ordinal(n)
        return _mk(text, s, m.end("c"), value=n, en=en, kind="ordinal", tokens=[str(n), f"word:{n}"])
    if c == "배" and n == 2 or c in ("번", "차례") and n == 2:
        en = "twice"
    elif c in ("번", "차례") and n == 1:
        en = "once"
    else:
        en = _render(tmpl, _word(n), value)
    if kind == "money":
        en = f"{_word(n)} dollar{'s' if n > 1 else ''}"
    if qualifier:
        en = f"{qualifier} {en}"
    # 한 명, 한 해, 한 차례: 'a' or 'one' in English, often neither: listed, never required
    required = [] if n == 1 else [(str(n),)]
    return _mk(text, s, m.end("c"), value=n, unit=unit_key, en=en, kind=kind, qualifier=qualifier,
               required=required, tokens=[str(n), f"word:{n}"])


# Words after a native number that are no count of things (두 번째 is an ordinal, 두 배 a counter)
PLACES_NOT_NOUNS = {"가지", "번째", "째", "차례", "번", "배", "시", "분", "살", "시간", "달", "해", "주", "명", "개", "곳",
                    "자릿수", "자리", "손으로", "눈으로", "발로", "팔로", "사이", "가운데", "중", "쪽"}

_SINO_BLOCK = {"이천", "사천", "오천", "구천", "삼천", "일조", "이조", "오만", "이만", "만만", "일만", "백만", "천만", "십만"}
_PARTICLE_AFTER = re.compile(r"(?:이다|입니|이고|이며|이|가|은|는|을|를|의|에|과|와|으로|로|도|만)")


def _sino_fig(text: str, m: re.Match) -> dict | None:
    w = m.group("w").rstrip()
    u = m.group("u")
    neg = m.group("neg")
    value = parse_sino(w)
    if value is None:
        return None
    s = m.start("neg") if neg else m.start("w")
    bare = w.replace(" ", "")
    syllables = len(bare)
    single = syllables == 1 and bare in _SINO_DIGITS
    if single and bare == "이" and not neg:
        return None  # 이: 'this', or a particle
    if u:
        ukey = u.replace(" ", "")
        end = m.end("u")
        ok = _hangul_end_ok(text, end) and (ukey not in _UNIT_KEY or _unit_ok(text, end, ukey))
        if single:
            ok = ok and ukey in _SINO_SINGLE_OK and bool(m.group("sp")) and not (bare == "일" and ukey == "주")
        elif not m.group("sp") and bare in _SINO_BLOCK | {"구조", "사조", "오조", "이조", "일조", "오만", "사천", "이천", "구천"}:
            ok = False  # 구조대 (a rescue team), 이천시: words, not numbers
        elif syllables == 1 and not m.group("sp") and ukey not in ("퍼센트", "프로", "등", "위"):
            ok = False  # 만세, 십분, 백미: one word; 만 명, 천 마리, 백퍼센트 are figures
        if ukey == "분" and text[end:end + 1] == "의":
            ok = False  # 삼십오분의 일: a fraction
        if ok:
            spec = SINO_UNITS.get(ukey) or _UNIT_KEY.get(ukey)
            if spec is None:
                spec = next(v for k, v in SINO_UNITS.items() if k.replace(" ", "") == ukey)
            unit_key, tmpl, kind = spec
            if neg:
                value = -value
            if kind in ("rank", "ordinal"):
                n = int(value)
                return _mk(text, s, end, value=n, en=tmpl.format(o=_ordinal(n), n=n), kind=kind,
                           tokens=[str(n), f"word:{n}"])
            if ukey == "년" and 1000 <= value <= 2200:  # 이천십칠 년: the year 2017
                y = int(value)
                return _mk(text, s, end, value=y, unit="year", en=str(y), kind="year", required=[(str(y),)],
                           tokens=[str(y), f"word:{y}"])
            q, _ = _qualifier_after(text, end)
            fig = _finish(text, s, end, value, unit_key, tmpl, kind, q)
            fig["tokens"] = fig["tokens"] + (f"word:{canon(abs(value))}",)
            return fig
    end = m.start("w") + len(w)
    nxt = text[end:end + 1]
    after_ok = not re.match(r"[가-힣]", nxt or " ") or bool(_PARTICLE_AFTER.match(text, end))
    if not after_ok and bare.endswith("이") and len(bare) > 1 and _PARTICLE_AFTER.match(text, end - 1):
        w, bare, end = w[:-1].rstrip(), bare[:-1], end - 1  # 일천구백이다: 1,900 and the copula
        value, syllables, after_ok = parse_sino(bare), len(bare), True
    if not after_ok or value is None:
        return None
    if not neg and (syllables < 3 or not re.search(r"[십백천만억조]", bare) or bare in _SINO_BLOCK):
        return None
    if neg:
        value = -value
    fig = _finish(text, s, end, value, None, "{n}", "amount", None)
    fig["tokens"] = fig["tokens"] + (f"word:{canon(abs(value))}",)
    return fig


def _fraction_fig(text: str, m: re.Match) -> dict | None:
    a: Any = _num_or_sino(m.group("a"))
    b = _num_or_sino(m.group("b"))
    if a is None or b is None or a == 0 or a != int(a):
        return None
    end = m.end("b")
    if not re.fullmatch(r"\d+(?:\.\d+)?", m.group("b")):
        # 삼분의 일: the Hangul numerator must end the word
        nxt = text[end:end + 1]
        if nxt and re.match(r"[가-힣]", nxt) and not _AFTER_COUNTER.match(text, end):
            return None
    whole = _num_or_sino(m.group("w")) if m.group("w") else None
    if m.group("w") and whole is None:
        return None
    a = int(a)
    value = (whole or 0) + b / a
    s = m.start("w") if m.group("w") else m.start("a")
    en = _fraction_en(a, b, whole)
    if m.group("neg"):
        value, s, en = -value, m.start("neg"), MINUS + en
    frac_tok = f"frac:{canon(b)}/{a}"
    toks = [str(a), canon(b), frac_tok] + ([canon(whole)] if whole else [])
    return _mk(text, s, end, value=round(float(value), 4), en=en, kind="fraction",
               required=[(frac_tok,)] + ([(canon(whole),)] if whole else []), tokens=toks)


def _fig_from(kind: str, text: str, m: re.Match, domain: str | None) -> dict | None:
    g = m.groupdict()
    # the branches below give these names values of different types, each its own
    n: Any
    whole: Any
    d: Any
    t: Any
    spec: Any
    toks: Any
    noun: Any
    a: Any
    b: Any
    if kind == "phone":
        if re.fullmatch(r"(?:19|20)\d\d-(?:19|20)\d\d", m.group()):
            return None  # 2020-2024: years
        return _block(m.start(), m.end())
    if kind == "glued":
        if re.match(r"[A-Za-z]", text[m.start() - 1]):
            return _block(m.start(), m.end())  # KBS2, G20, A4: a name
        before = cast("re.Match[str]", re.search(r"(\d?)([가-힣]+)$", text[:m.start()]))  # the glue pattern's
        word = before.group(2)
        if before.group(1) or _GLUE_OK.search(word) or any(word.endswith(p) for p in ("은", "는", "을", "를", "의", "에", "과", "와")):
            return None
        return _block(m.start(), m.end())
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
    if kind == "week_of_month":
        mo = int(g["m"])
        if not 1 <= mo <= 12:
            return None
        w = int(g["w"]) if g["w"] else \
            {"첫째": 1, "둘째": 2, "셋째": 3, "넷째": 4, "다섯째": 5, "마지막": 0}[g["wk"]]
        if w > 5:
            return None
        which = "the last week" if w == 0 else f"the {_ordinal(w)} week"
        return _mk(text, m.start(), m.end(), en=f"{which} of {MONTHS[mo - 1]}", kind="date",
                   tokens=[str(mo), f"month:{mo}"] + ([str(w), f"word:{w}"] if w else []))
    if kind == "date_md_range":
        mo, d, mo2, d2 = int(g["m"]), int(g["d"]), int(g["m2"]), int(g["d2"])
        if not (1 <= mo <= 12 and 1 <= mo2 <= 12 and 1 <= d <= 31 and 1 <= d2 <= 31):
            return None
        en = f"{MONTHS[mo - 1]} {d}–{d2}" if mo == mo2 else f"{MONTHS[mo - 1]} {d}–{MONTHS[mo2 - 1]} {d2}"
        return _mk(text, m.start(), m.end(), en=en, kind="date",
                   tokens=[str(mo), str(d), str(mo2), str(d2), f"month:{mo}", f"month:{mo2}"])
    if kind == "date_md_dot":
        mo, d = int(g["m"]), int(g["d"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return _mk(text, m.start(), m.end(), en=f"{MONTHS[mo - 1]} {d}", kind="date",
                   tokens=[str(mo), str(d), f"month:{mo}"])
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
        if mi is None and (h == 0 or h == 24 or h == 12 and g["p"] in ("밤", "자정")):
            en = "midnight"
        elif mi is None and h == 12 and g["p"] in (None, "낮", "오후", "정오"):
            en = "noon"
        toks = {str(h), str(h12), str(h + 12) if h < 12 else str(h)}
        if mi is not None:
            toks.add(str(mi))
        return _mk(text, m.start(), m.end(), en=en, kind="time", tokens=sorted(toks))
    if kind == "fraction":
        return _fraction_fig(text, m)
    if kind == "hours_minutes":
        h, mi = int(g["h"]), int(g["mi"])
        if mi >= 60:
            return None
        if g["s"]:
            sec = int(g["s"])
            return _mk(text, m.start(), m.end("s") + 1 if text[m.end("s"):m.end("s") + 1] == "초" else m.end(),
                       en=f"{h}:{mi:02d}:{sec:02d}", kind="time", tokens=[str(h), str(mi), str(sec)])
        total = 60 * h + mi
        en = f"{h} hour{'s' if h != 1 else ''} {mi} minute{'s' if mi != 1 else ''}"
        end = m.end("mi") + 1
        if (g["x"] or "").strip() == "만에":
            en = f"after {en}"
        return _mk(text, m.start(), end, value=total, unit="minutes", en=en, kind="duration",
                   required=[(str(h),), (str(mi),)], tokens=[str(h), str(mi), str(total)])
    if kind == "race_time":
        s = Decimal(f"{g['s']}.{g['c']}")
        return _mk(text, m.start(), m.end(), value=_plain(s), unit="seconds", en=f"{s} seconds", kind="duration",
                   required=[(canon(s),)], tokens=[canon(s), g["s"], g["c"]])
    if kind == "vulgar":
        a, b = VULGAR[g["f"]]
        whole = int(g["n"]) if g["n"] else 0
        u = g["u"] if g["u"] and _unit_ok(text, m.end("u"), g["u"]) else None
        n = f"{whole} {a}/{b}" if whole else f"{a}/{b}"
        spec = _UNIT_KEY[u.replace(" ", "")] if u else None
        en = spec[1].format(n=n, o=n, w=n) if u else n
        required = ([(str(whole),)] if whole else []) + [(f"frac:{a}/{b}",)]
        return _mk(text, m.start(), m.end("u") if u else m.end("f"), value=round(whole + a / b, 4),
                   unit=spec[0] if u else None, en=en, kind=spec[2] if u else "fraction",
                   required=required, tokens=[str(whole), str(a), str(b), f"frac:{a}/{b}"])
    if kind == "article":
        n = int(g["n"])
        en = f"Article {n}" + (f"({g['k']})" if g["k"] else "")
        return _mk(text, m.start(), m.end(), value=n, en=en, kind="ordinal",
                   tokens=[str(n)] + ([g["k"]] if g["k"] else []))
    if kind == "ordinal_je":
        n = int(g["n"])
        u = g["u"]
        en = ORDINALS[u].format(n=n, o=_ordinal(n)) if u in ORDINALS else _ordinal(n)
        return _mk(text, m.start(), m.end(), value=n, en=en, kind="ordinal", tokens=[str(n)])
    if kind == "subunit":
        a, b = Decimal(g["a"].replace(",", "")), int(g["b"])
        if (g["u"], g["c"]) not in (("원", "전"), ("달러", "센트")):
            return None
        value = a + Decimal(b) / 100
        n_en = f"{_commas(a)}.{b:02d}"
        tmpl = "{n} won" if g["u"] == "원" else "${n}"
        return _mk(text, m.start(), m.end(), value=_plain(value), unit="won" if g["u"] == "원" else "USD",
                   en=tmpl.format(n=n_en), kind="money", required=[(canon(value),)],
                   tokens=[canon(value), canon(a), str(b)])
    if kind == "paren_age":
        n = int(g["n"])
        if not 1 <= n <= 120:
            return None
        return _mk(text, m.start("n"), m.end(), value=n, unit="years old", en=f"{n} years old", kind="age",
                   required=[(str(n),)], tokens=[str(n)])
    if kind == "clock":
        h, mi = int(g["h"]), int(g["mi"])
        ranged = g["h2"] is not None
        lead_zero = g["h"].startswith("0") and len(g["h"]) == 2
        ctx = re.search(r"(?:오전|오후|현지시간|시각|기준)\s?$", text[:m.start()]) or re.match(
            r"\s?(?:부터|까지|에|분|기준|시작|종료|개장|마감|현재)", text[m.end():])
        if not (ranged or lead_zero or ctx):
            return None  # 3:1 and the like stay scores
        en = f"{h}:{mi:02d}" + (f"–{int(g['h2'])}:{int(g['mi2']):02d}" if ranged else "")
        toks = [str(h), str(mi)] + ([g["h2"].lstrip("0") or "0", str(int(g["mi2"]))] if ranged else [])
        return _mk(text, m.start(), m.end(), en=en, kind="time", tokens=toks)
    if kind == "base":
        a, b = int(g["a"]), g["b"]
        names = {1: "first", 2: "second", 3: "third"}
        en = f"{names[a]} and {names[int(b)]} base" if b else f"{names[a]} base"
        return _mk(text, m.start(), m.end(), value=a if not b else None, en=en, kind="ordinal",
                   tokens=[str(a)] + ([b] if b else []))
    if kind == "season":
        a, b = int(g["a"]), int(g["b"])
        if b != a + 1:
            return None
        return _mk(text, m.start(), m.end(), en=f"the {a}–{b % 100:02d} season", kind="date",
                   tokens=[str(a), str(b), f"{b % 100:02d}"])
    if kind == "emergency":
        return _block(m.start(), m.end())
    if kind == "one_in":
        a, b = int(g["a"]), int(g["b"])
        if b >= a:
            return None
        return _mk(text, m.start(), m.end(), en=f"{_word(b)} in {_word(a)}", kind="ratio",
                   tokens=[str(a), str(b), f"word:{a}", f"word:{b}"])
    if kind == "generation":
        a, b = int(g["a"]) * 10, int(g["b"]) * 10
        if b != a + 10:
            return None
        return _mk(text, m.start(), m.end(), en=f"people in their {a}s and {b}s", kind="age",
                   tokens=[str(a), str(b), f"{a}{b}"])
    if kind == "par":
        n = int(g["n"])
        if not 3 <= n <= 73:
            return None
        return _mk(text, m.start(), m.end(), value=n, unit="par", en=f"par {n}", kind="score", tokens=[str(n)])
    if kind == "team":
        a, b = int(g["a"]), int(g["b"])
        en = f"a team of {_word(a)}" if b == 1 else f"{_word(b)} teams of {_word(a)}"
        return _mk(text, m.start(), m.end(), value=a, unit="people", en=en, kind="count",
                   required=[(str(a),)], tokens=[str(a), str(b), f"word:{a}", f"word:{b}"])
    if kind == "ratio":
        a = g["a"]
        value = Decimal(a.replace(",", ""))
        if "." not in a and not re.search(r"경쟁률|경쟁|비율|배율|청약|모집|지원", text[max(0, m.start() - 20):m.start()]) \
                and not (value >= 10 and re.match(r"\s?(?:을|를|의|이|가|로|으로|이상|넘|에\s?달|까지|대)", text[m.end():])):
            return None
        q, _ = _qualifier_after(text, m.end())
        en = f"{a} to 1"
        return _mk(text, m.start(), m.end(), value=_plain(value), unit="ratio", en=f"{q} {en}" if q else en,
                   kind="ratio", qualifier=q, required=[(canon(value),)], tokens=[canon(value), "1"])
    if kind == "floor":
        n = int(g["n"])
        after = text[m.end():m.end() + 8]
        if g["pre"] == "지하":
            en = f"basement level {n}"
        elif g["pre"] == "지상" or re.match(r"\s?(?:규모|짜리|높이|건물|빌딩|아파트|주택|상가|건축물|이상|이하|까지|를\s?올|으로\s?지)",
                                            after) or re.search(r"(?:지상|최고|높이)\s?$", text[:m.start()]):
            en = f"{n} floor{'s' if n != 1 else ''}"
        else:
            en = f"the {_ordinal(n)} floor"
        return _mk(text, m.start(), m.end(), value=n, unit="floor", en=en, kind="floor",
                   required=[(str(n),)], tokens=[str(n), f"word:{n}"])
    if kind == "temperature":
        pre, u = g["pre"], g["u"]
        if not u and pre not in ("섭씨", "화씨"):
            return None
        value = Decimal(g["n"].replace(",", ""))
        if pre == "영하" or g["neg"]:
            value = -value
        scale = "°F" if pre == "화씨" or u == "℉" else "°C"
        return _finish(text, m.start(), m.end(), value, scale, "{n}" + scale, "measure", None)
    if kind == "burn":
        n = int(g["n"])
        return _mk(text, m.start(), m.end(), value=n, unit="burn degree", en=f"{_ORD_WORDS[n]}-degree burns",
                   kind="ordinal", tokens=[str(n), f"word:{n}"])
    if kind == "in_a_row":
        run = g["n"]
        if _run_cut(run) is not None:
            return None
        n = parse_korean_number(run)
        u = g["u"]
        if u == "분기":
            return _mk(text, m.start(), m.end("u"), value=_plain(n), unit="quarters", en=f"{n} straight quarters",
                       kind="duration", required=[(canon(n),)], tokens=[canon(n)])
        words = {"거래일": "trading days", "일": "days", "주": "weeks", "개월": "months", "달": "months", "년": "years",
                 "해": "years", "경기": "games", "회": "times", "번": "times", "차례": "times", "시즌": "seasons",
                 "타석": "plate appearances", "게임": "games", "대회": "tournaments"}[u]
        what = _singular(f"1 {words}")[2:] if n == 1 else words
        return _mk(text, m.start(), m.end("u"), value=_plain(n), unit=words,
                   en=f"{format_number(n)} {what} in a row", kind="duration", required=[(canon(n),)],
                   tokens=[canon(n), f"word:{canon(n)}"])
    if kind == "ordinal":
        n = int(g["n"])
        u = g["u"]
        if u == "차" and text[m.end("u"):m.end("u") + 1] == "례":
            return None
        if u == "차" and re.match(r"\s?(?:접종|백신|부스터)", text[m.end("u"):]):
            return _mk(text, m.start(), m.end(), value=n, en=f"{_ORD_WORDS[n] if n <= 10 else _ordinal(n)} dose",
                       kind="ordinal", tokens=[str(n), f"word:{n}"])
        if u == "위":
            return _mk(text, m.start(), m.end(), value=n, unit="rank", en=f"{_ordinal(n)} place", kind="rank",
                       tokens=[str(n), f"word:{n}"])
        return _mk(text, m.start(), m.end(), value=n, en=ORDINALS[u].format(n=n, o=_ordinal(n)), kind="ordinal",
                   tokens=[str(n), f"word:{n}"])
    if kind == "slash_quarter":
        n = int(g["n"])
        return _mk(text, m.start(), m.end(), value=n, en=f"Q{n}", kind="ordinal", tokens=[str(n), "4"])
    if kind == "slash_fraction":
        a, b = int(g["a"]), int(g["b"])
        if a == 0 or b >= a or (not g["w"] and not g["sign"] and re.search(r"\d\s?[.~]\s?$", text[:m.start()])):
            return None
        whole = Decimal(g["w"]) if g["w"] else 0
        value = whole + Decimal(b) / a
        if g["sign"]:
            value = -value
        en = (MINUS if g["sign"] else "") + (f"{canon(whole)} {b}/{a}" if whole else f"{b}/{a}")
        return _mk(text, m.start(), m.end(), value=round(float(value), 4), en=en, kind="fraction",
                   required=[(f"frac:{b}/{a}",)], tokens=[str(a), str(b), f"frac:{b}/{a}"] + ([g["w"]] if whole else []))
    if kind == "speed":
        value = Decimal(g["n"].replace(",", ""))
        u = g["u"]
        if u in ("㎞", "km", "킬로미터", "킬로"):
            unit = "km/h" if g["pre"] == "시속" else ("km/s" if g["pre"] == "초속" else "km/min")
        elif u == "마일":
            unit = "mph"
        elif u == "노트":
            unit = "knots"
        else:
            unit = "m/s" if g["pre"] == "초속" else ("m/min" if g["pre"] == "분속" else "m/h")
        q, _ = _qualifier_after(text, m.end())
        return _finish(text, m.start(), m.end(), value, unit, "{n} " + unit, "measure", q)
    if kind == "spaced_thousands":
        value = Decimal(re.sub(r"\s", "", g["n"]))
        return _finish(text, m.start(), m.end(), value, None, "{n}", "amount", _qualifier_after(text, m.end())[0])
    if kind == "dot_decimal":
        value = Decimal("0." + g["d"])
        u = g["u"]
        spec = None
        if u and _unit_ok(text, m.end("u"), u):
            spec = _unit_decide(text, m.start(), m.end("u"), u, value, domain, False)
        if spec:
            return _finish(text, m.start(), m.end("u"), value, spec[0], spec[1], spec[2], None)
        return _finish(text, m.start(), m.start() + 1 + len(g["d"]), value, None, "{n}", "amount", None)
    if kind in ("range", "range_between"):
        return _range_fig(text, m, domain, between=kind == "range_between")
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
        return _amount_fig(text, m, domain)
    if kind == "native":
        return _native_fig(text, m)
    if kind == "native_pair":
        lo, hi = NATIVE_PAIRS[g["w"]]
        c = g["c"].replace(" ", "")
        if not _hangul_end_ok(text, m.end("c")) or COUNTERS[c][2] == "ordinal":
            return None
        noun = COUNTERS[c][1].replace("{n}", "").strip()
        en = f"{_word(lo)} or {_word(hi)}" + (f" {noun}" if noun else "")
        return _mk(text, m.start(), m.end(), en=en, kind="range", tokens=[str(lo), str(hi), f"word:{lo}", f"word:{hi}"])
    if kind == "native_days":
        n = NATIVE_DAYS[g["w"]]
        x = (g["x"] or "").strip()
        if g["w"] == "하루" and x not in ("만에", "동안", "간", "째", "사이", "전", "뒤", "후", "앞", "빠른", "늦은", "일찍"):
            return None  # 하루 평균, 하루 30분: a rate, not a count
        end = m.end("w") + (len(g["x"]) if x in ("간", "째") else 0)
        if x == "째":
            return _mk(text, m.start(), end, en=f"for a {_ORD_WORDS[n] if n <= 10 else _ordinal(n)} day", kind="ordinal",
                       value=n, tokens=[str(n), f"word:{n}"])
        en = f"{_word(n)} day{'s' if n > 1 else ''}"
        if x == "만에":
            en = f"after {en}"
        return _mk(text, m.start(), end, value=n, unit="days", en=en, kind="duration",
                   required=[] if n == 1 else [(str(n),)], tokens=[str(n), f"word:{n}"])
    if kind == "native_noun":
        c = g["c"]
        mc = re.match(_COUNTER_RE, c)
        if mc and (mc.end() == len(c) or _AFTER_COUNTER.match(c, mc.end())) or c in PLACES_NOT_NOUNS or not _AFTER_COUNTER.match(text, m.end("c")) \
                and not re.match(r"[이가은는을를의에도와과로]", c[-1:]):
            return None
        noun = re.sub(r"(?:들)?(?:에게|에서|한테|까지|부터|처럼|보다|으로|이|가|은|는|을|를|의|에|도|와|과|로|만)$", "", c)
        if len(noun) < 1 or noun in PLACES_NOT_NOUNS:
            return None
        n = parse_native(g["w"])
        return _mk(text, m.start(), m.start("c") + len(noun), value=n, en=_word(n), kind="count",
                   required=[(str(n),)], tokens=[str(n), f"word:{n}"])
    if kind == "vague":
        m_ = g["m"]
        words = {"십": "dozens of", "백": "hundreds of", "천": "thousands of", "만": "tens of thousands of",
                 "십만": "hundreds of thousands of", "백만": "millions of", "천만": "tens of millions of",
                 "억": "hundreds of millions of", "십억": "billions of", "백억": "billions of",
                 "천억": "hundreds of billions of", "조": "trillions of"}[m_]
        u = g["u"]
        noun = {"명": "people", "원": "won", "달러": "dollars", "개": "items", "곳": "places", "건": "cases",
                "가구": "households", "채": "homes", "톤": "tonnes", "마리": "animals", "대": "units", "배": "times"}.get(u, "")
        en = f"{words} {noun}".strip() if noun else words.removesuffix(" of")
        if u == "배":
            en = {"십": "dozens of times", "백": "hundreds of times"}.get(m_, en)
        return _mk(text, m.start(), m.end(), en=en, kind="amount")
    if kind == "digits_count":
        n = {"두": 2, "세": 3, "네": 4}[g["w"]]
        return _mk(text, m.start(), m.end(), en={2: "double-digit", 3: "triple-digit", 4: "four-digit"}[n], kind="amount",
                   tokens=[str(n), f"word:{n}"])
    if kind == "first":
        t = m.group()
        noun = {"주": "week", "날": "day", "해": "year", "달": "month", "회": "round", "경기": "game", "골": "goal",
                "승": "win", "단추": "step", "차": "round", "주말": "weekend", "삼진": "strikeout", "안타": "hit",
                "홈런": "home run", "우승": "title", "대회": "tournament"}.get(g.get("n") or "")
        en = f"first {noun}" if noun else "first"
        return _mk(text, m.start(), m.end(), value=1, en=en, kind="ordinal", tokens=["1", "word:1"]) \
            if t.strip() else None
    if kind == "half":
        return _mk(text, m.start(), m.end(), value=0.5, en="half", kind="fraction",
                   tokens=["frac:1/2", "50", "2", "1"])
    if kind == "sino":
        return _sino_fig(text, m)
    if kind == "sino_negative":
        d = -Decimal(_SINO_DIGITS[g["w"]])
        return _finish(text, m.start(), m.end(), d, None, "{n}", "amount", None)
    raise ValueError(kind)


# What a sentence must hold for a pattern to have anything to find (a quick test before the regex)
_NEEDS: dict[str, tuple[str, ...]] = {
    "phone": ("-", "."), "date_dot": (".",), "date_iso": ("-",), "decade": ("년대",), "date_ko": ("년",),
    "week_of_month": ("월",), "date_md_range": (".",), "date_md_dot": (".",), "month_day": ("월",),
    "nights_days": ("박",), "years_months": ("개월",), "time": ("시",), "fraction": ("분의",),
    "hours_minutes": ("시간",), "race_time": ("초",), "vulgar": tuple(VULGAR), "article": ("조",),
    "ordinal_je": ("제",), "subunit": ("전", "센트"), "paren_age": ("(",), "clock": (":",), "base": ("루",),
    "season": ("-", "–"), "emergency": ("112", "119", "911", "1339"), "one_in": ("중", "가운데"),
    "generation": ("대",), "par": ("파",), "team": ("인",), "ratio": ("대",), "floor": ("층",),
    "temperature": ("섭씨", "화씨", "영하", "영상"), "burn": ("화상",), "in_a_row": ("연속",),
    "range_between": ("사이", "부터"), "range": ("~", "∼", "～", "〜"), "score": ("-", ":", "대"),
    "slash_quarter": ("/",), "slash_fraction": ("/",), "speed": ("속",), "dot_decimal": (".",),
    "month": ("월",), "first": ("첫",), "half": ("절반",), "sino_negative": ("마이너스", "음수"), "vague": ("수",),
    "digits_count": ("자릿수",), "native_days": ("하루", "이틀", "사흘", "나흘", "닷새", "엿새", "이레", "여드레",
                                                 "아흐레", "열흘", "보름"),
}

# The patterns that may find a figure in a sentence without a digit
_HANGUL_KINDS = {"native", "first", "half", "sino", "sino_negative", "fraction", "vulgar", "native_pair", "native_days",
                 "native_noun", "vague", "digits_count"}
_DIGIT = re.compile(r"\d")


def article_domain(texts) -> str | None:
    """The domain an article's words point to (baseball, golf, market, weather), where one stands out.

    It decides what an ambiguous counter means: `6회` is the 6th inning in a baseball story,
    `3.5도` degrees Celsius in a weather story, `12.81p` points in a market story."""
    joined = " ".join(texts)
    best, hits = None, 1
    for name, pat in _DOMAINS.items():
        n = len(pat.findall(joined))
        if n > hits:
            best, hits = name, n
    return best


_LONG_DIGITS = re.compile(r"\d{25}")


def extract_figures(text: str, sentence: int = 0, domain: str | None = None) -> list[Figure]:
    """Every figure of one sentence, left to right, without overlaps.

    Where patterns overlap, the one that starts first wins, then the longest,
    then the one listed first in PATTERNS. `domain` (see article_domain) decides
    ambiguous counters.
    """
    cands: list[_Cand] = []
    digits = _DIGIT.search(text) is not None
    for prio, (kind, pat) in enumerate(PATTERNS):
        if not digits and kind not in _HANGUL_KINDS:
            continue
        needs = _NEEDS.get(kind)
        if needs is not None and not any(x in text for x in needs):
            continue
        pos = 0
        n = len(text)
        while pos <= n:
            m = pat.search(text, pos)
            if m is None:
                break
            nxt = m.end() if m.end() > m.start() else m.start() + 1
            if _LONG_DIGITS.search(text, m.start(), m.end()):
                pos = nxt  # a run of more than 24 digits is no quantity news writes (and no Decimal can say it)
                continue
            fig = _fig_from(kind, text, m, domain)
            while fig is not None and "recut" in fig:  # a run that is two numbers: read the first alone
                recut = pat.match(text, m.start(), fig["recut"])
                fig = _fig_from(kind, text, recut, domain) if recut is not None and recut.end() > recut.start() else None
                if recut is not None and recut.end() > recut.start():
                    nxt = recut.end()
                    m = recut
            if fig and fig["text"].strip():
                # the match may hold a prefix qualifier before the figure proper
                cands.append(_Cand(min(m.start(), fig["start"]), max(m.end(), fig["end"]), fig, prio))
            pos = nxt
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.prio))
    out: list[Figure] = []
    last_end = 0
    for c in cands:
        if c.start < last_end:
            continue
        last_end = c.end
        f = c.fig
        if f.get("block"):
            continue
        text_ = f["text"].rstrip()
        out.append(Figure(text=text_, value=f["value"], unit=f["unit"], en=f["en"], kind=f["kind"],
                          sentence=sentence, start=f["start"], end=f["start"] + len(text_),
                          qualifier=f["qualifier"], required=f["required"], tokens=f["tokens"]))
    return out


# --------------------------------------------------------------------------- guard checks

_EN_NUM = re.compile(
    r"(?<![A-Za-z\d.,])(?P<sign>[-−](?=\$?\d))?(?:US|[CA]|HK)?\$?(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<f>\.\d+)?"
    r"(?:\s?-?(?P<s>thousand|million|billion|trillion|bn|tn|mn|k)\b)?"
)
_EN_SCALE = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9,
             "trillion": 10**12, "tn": 10**12}
_EN_MONTH = re.compile(r"\b(" + "|".join(sorted(_MONTH_TOKENS, key=len, reverse=True)) + r")\b\.?", re.I)
_KO_NUM = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


_EN_FRAC = re.compile(rf"(?<![\d/])(?P<a>\d{{1,2}})/(?P<b>\d{{1,3}})(?![\d/])|(?P<v>{_VULGAR_RE})"
                      r"|\b(?P<w>(?:one|a)[- ](?:half|third|quarter|fourth|fifth|sixth|eighth|tenth)|two[- ]thirds"
                      r"|three[- ](?:quarters|fourths|fifths|eighths))\b"
                      # half, halved; not a period (`the second half`, `half-time`) nor `half a million`
                      r"|(?<!first )(?<!second )(?<!latter )(?<!former )(?<!1st )(?<!2nd )"
                      r"\b(?P<h>half|halved|halving|halves)\b(?![- ](?:a\s(?:hundred|thousand|million|billion|trillion)|time))",
                      re.I)
# `half a million`: half of a scale word
_EN_HALF_SCALE = re.compile(r"\bhalf[- ]a[- ](hundred|thousand|million|billion|trillion)\b", re.I)
_EN_FRAC_WORDS = {"half": "1/2", "third": "1/3", "quarter": "1/4", "fourth": "1/4", "fifth": "1/5", "sixth": "1/6",
                  "eighth": "1/8", "tenth": "1/10", "two thirds": "2/3", "three quarters": "3/4",
                  "three fourths": "3/4", "three fifths": "3/5", "three eighths": "3/8"}

# Numbers written as words: "three", "twenty-five", "two hundred", "second", "twice", "doubled"
_W_ONES = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                       "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                       "seventeen", "eighteen", "nineteen"])}
_W_TENS = {w: 10 * i for i, w in enumerate(["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
                                            "eighty", "ninety"]) if w}
_W_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
          "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
          "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
          "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
          "eightieth": 80, "ninetieth": 90, "hundredth": 100}
_W_MULT = {"once": 1, "twice": 2, "thrice": 3, "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "twofold": 2,
           "triple": 3, "tripled": 3, "triples": 3, "tripling": 3, "threefold": 3, "quadruple": 4,
           "quadrupled": 4, "quadrupling": 4, "fourfold": 4, "fivefold": 5, "tenfold": 10, "dozen": 12,
           "single": 1, "solo": 1}
_W_SCALE = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_W_ALL = sorted(list(_W_ONES) + list(_W_TENS) + list(_W_ORD) + list(_W_MULT) + list(_W_SCALE), key=len, reverse=True)
_EN_WORD = re.compile(r"\b(?:a\s)?(?:(?:" + "|".join(_W_ALL) + r")(?:\sand\s|[- ])?)+\b", re.I)
_EN_GRAND_SLAM = re.compile(r"\bgrand[- ]slam", re.I)


def _word_value(phrase: str) -> int | None:
    words = re.split(r"[- ]+", phrase.lower().replace(" and ", " "))
    if words and words[0] == "a":
        words = ["one"] + words[1:] if len(words) > 1 and words[1] in (*_W_SCALE, "dozen") else words[1:]
    total, current, seen = 0, 0, False
    for w in words:
        if w == "dozen":  # a dozen, two dozen
            current = (current or 1) * 12
        elif w in _W_ONES:
            current += _W_ONES[w]
        elif w in _W_TENS:
            current += _W_TENS[w]
        elif w in _W_ORD:
            current += _W_ORD[w]
        elif w in _W_MULT:
            current += _W_MULT[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _W_SCALE:
            total += (current or 1) * _W_SCALE[w]
            current = 0
        else:
            continue
        seen = True
    return total + current if seen else None


def english_numbers(text: str) -> list[tuple[str, str]]:
    """(token, as written) for every number of an English text: `2 trillion` -> `2000000000000`,
    `May` -> `month:5`, `1/3`, `⅓` or `one third` -> `frac:1/3`, `three` or `third` -> `word:3`,
    `twice` -> `word:2`, `-1.25` -> `-1.25`."""
    out: list[tuple[str, str]] = []
    masked = text
    for m in _EN_FRAC.finditer(text):
        if m.group("v"):
            a, b = VULGAR[m.group("v")]
            out.append((f"frac:{a}/{b}", m.group()))
        elif m.group("w"):
            w = re.sub(r"^(?:one|a)[- ]", "", m.group("w").lower()).replace("-", " ")
            out.append((f"frac:{_EN_FRAC_WORDS[w]}", m.group()))
            masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
        elif m.group("h"):  # half, halved: a half, or 50 percent
            out.append(("frac:1/2", m.group()))
        else:
            out.append((f"frac:{m.group('a')}/{m.group('b')}", m.group()))
    for m in _EN_NUM.finditer(text):
        d = Decimal(m.group("n").replace(",", "") + (m.group("f") or ""))
        if m.group("s"):
            d *= _EN_SCALE[m.group("s").lower()]
        if m.group("sign"):
            d = -d
        out.append((canon(d), m.group().strip()))
    for m in _EN_HALF_SCALE.finditer(text):
        out.append((canon(Decimal(_W_SCALE[m.group(1).lower()]) / 2), m.group()))
        masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
    for m in _EN_WORD.finditer(masked):
        phrase = m.group().strip()
        v = _word_value(phrase)
        # a bare scale word (`millions of`, `hundreds`) says no number; `a million` does
        if v is not None and not re.match(r"^(?:hundred|thousand|million|billion|trillion)s?$", phrase, re.I):
            out.append((f"word:{v}", phrase))
    for m in re.finditer(r"\bQ([1-4])\b", text):
        out.append((f"word:{m.group(1)}", m.group()))  # Q3: the third quarter
    for m in _EN_GRAND_SLAM.finditer(text):
        out.append(("word:4", m.group()))  # a home run with the bases loaded: four runs
    for m in _EN_MONTH.finditer(text):
        word = m.group(1).lower()
        if word == "may" and not re.search(r"\d", text[max(0, m.start() - 6):m.end() + 6]) and m.group(1) == "may":
            continue  # the verb, not the month
        if word in ("mar", "jan", "jun", "jul", "aug", "oct", "nov", "dec", "sep", "feb", "apr") and \
                not re.search(r"\d", text[max(0, m.start() - 6):m.end() + 6]):
            continue
        out.append((f"month:{_MONTH_TOKENS[word]}", m.group(1)))
    return out


def english_tokens(text: str) -> list[str]:
    """Number tokens of an English text (see english_numbers)."""
    return [t for t, _ in english_numbers(text)]


def korean_tokens(text: str) -> set[str]:
    """The digit strings written in a Korean text, canonical."""
    return {canon(m.group().replace(",", "")) for m in _KO_NUM.finditer(text)}


def _have(tokens) -> set[str]:
    have = set(tokens)
    have.update(t[5:] for t in tokens if t.startswith("word:"))
    return have


def missing_figures(figures: Sequence[Figure], en: str, tokens: list[str] | None = None) -> list[Figure]:
    """The figures an English rendering lost. A share in percent counts as kept in its common fraction too
    (`50%` as `half`, `25%` as `a quarter`)."""
    tokens = english_tokens(en) if tokens is None else tokens
    have = _have(tokens)
    shares = have | {_percent(t) for t in tokens if t.startswith("frac:")}
    return [f for f in figures if any(not (set(alts) & (shares if f.unit == "%" else have)) for alts in f.required)]


def _percent(token: str) -> str:
    """`frac:1/4` -> `25`: a fraction as a percentage (where it is a whole or a short decimal)."""
    a, b = token[5:].split("/")
    return canon((Decimal(100) * int(a) / int(b)).quantize(Decimal("0.1")))


def check_english(ko: str, figures: Sequence[Figure], en: str) -> tuple[list[Figure], list[str]]:
    """Which figures the English lost, and which English numbers the Korean does not hold (as the
    English writes them: `$19 billion`, not 19000000000)."""
    numbers = english_numbers(en)
    tokens = [t for t, _ in numbers]
    missing = missing_figures(figures, en, tokens)
    allowed = korean_tokens(ko)
    for f in figures:
        allowed.update(f.tokens)
        for alts in f.required:
            allowed.update(alts)
    allowed.update({canon(-Decimal(t)) for t in list(allowed) if re.fullmatch(r"-?\d+(?:\.\d+)?", t)})
    extra: dict[str, str] = {}
    for t, surface in numbers:
        if t in allowed or t.startswith(("month:", "frac:", "word:")):
            continue
        extra.setdefault(t, surface)
    return missing, list(extra.values())


def prerender(ko: str, figures: Sequence[Figure]) -> str:
    """The Korean sentence with each figure's number pre-rendered for the model.

    `26만㎡` -> `260,000㎡`, `2조원` -> `2 trillion원`, `'14년` -> `2014년`, `두 명` -> `2 명`.
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
    if f.value is not None and not re.search(r"\d", f.text):
        m = re.match(rf"(?:마이너스\s?|음수\s?)?(?:{NATIVE_RE}|{SINO_RE})", f.text)
        if m and f.kind not in ("ordinal", "fraction"):
            return format_number(Decimal(str(f.value))) + f.text[m.end():]
        return f.text
    if f.value is not None and re.search(r"[만억조천백]|,", f.text):
        m = re.search(rf"(?:\$)?({RUN})", f.text)
        if m:
            value = abs(Decimal(str(f.value)))
            if parse_korean_number(m.group(1)) == value:
                return f.text[:m.start(1)] + format_number(value) + f.text[m.end(1):]
    return f.text
