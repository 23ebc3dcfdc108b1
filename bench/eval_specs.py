"""Score the figure finder on Microsoft Recognizers-Text's Korean number specs (a reference suite).

The specs are not part of this repository (their data stays theirs): clone
https://github.com/microsoft/Recognizers-Text (MIT) anywhere and point this script at its `Specs`
folder. It reads `Number/Korean/*.json` and `NumberWithUnit/Korean/*.json` (each a list of
{"Input", "Results": [{"Text", "TypeName", "Resolution": {"value", "unit"}}]}).

    python bench/eval_specs.py /path/to/Recognizers-Text/Specs [--misses]

Each expected result with a value is scored against `extract_figures(Input)`:

- found: a figure overlaps the result's text;
- exact: an overlapping figure has the expected value (a percentage without its %, an ordinal its
  number, a one-sided range its bound with a qualifier, a two-sided range both bounds, a number that is
  part of a date or a time one of the date's numbers);
- wrong unit / wrong kind: the exact figure's unit or kind contradicts the spec's (a weight read as
  money, a temperature as an angle).

Results are split into digit and mixed forms (the text holds an ASCII digit: `7천 5백만 달러`) and Hangul
numerals (`아흔다섯 살`, `이십일조 삼백`). A few inputs are out of scope by the product's own rules (phone
numbers, IP addresses, exponent notation, inputs the spec itself calls nonsense): they are listed and
counted apart, never silently dropped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.stages.figures import extract_figures  # noqa: E402

# Inputs whose expected numbers the product does not treat as figures, and why.
OUT_OF_SCOPE = [
    (re.compile(r"\d+\.\d+\.\d+\.\d+"), "an IP address is an id, not a figure"),
    (re.compile(r"\+\d-\d{3}-\d{4}"), "a phone number is not a figure"),
    (re.compile(r"\de[+-]?\d|\^"), "exponent notation does not occur in news prose"),
    (re.compile(r"달러와 [12]|마오 5"), "the spec's own comment: a translation that does not make sense in Korean"),
    (re.compile(r"2 pm은"), "`2 pm` as picometres: an English pun"),
]

# The spec's unit -> the unit keys of summarize.stages.figures that are right for it.
UNITS = {
    "Dollar": {"USD"}, "United States dollar": {"USD"}, "Canadian dollar": {"CAD"}, "Hong Kong dollar": {"HKD"},
    "Australian dollar": {"AUD"}, "Cent": {"cent"}, "Penny": {"penny"}, "Pence": {"pence"},
    "Pound": {"pound", "GBP", "lb"}, "Euro": {"euro"}, "Japanese yen": {"yen"}, "Chinese yuan": {"yuan"},
    "Franc": {"franc"}, "Swiss franc": {"CHF"}, "Finnish markka": {"markka"}, "Peseta": {"peseta"},
    "Netherlands guilder": {"guilder"}, "Costa Rican colón": {"colon"}, "Georgian lari": {"lari"},
    "Lao kip": {"kip"}, "Sri Lankan rupee": {"rupee"},
    "Milliliter": {"mL"}, "Inch": {"inch"}, "Mile": {"mile"}, "Barrel": {"barrel"}, "Foot": {"ft"},
    "Ounce": {"oz"}, "Acre": {"acre"}, "Gallon": {"gallon"}, "Cubic foot": {"ft³"}, "Square meter": {"m²"},
    "Ton": {"t"}, "Metric ton": {"t"}, "Bit": {"bit"}, "Mile per hour": {"mph"}, "Meter": {"m"},
    "Kilometer": {"km"}, "Millimeter": {"mm"}, "Square kilometer": {"km²"}, "Decimeter": {"dm"},
    "Megabyte": {"MB"}, "Picometer": {"pm"},
    "C": {"°C"}, "F": {"°F"}, "Degree": {"degree", "°C"},
    "Year": {"years old", "years", "year"}, "Month": {"months", "month"}, "Week": {"weeks", "week"},
    "Day": {"days", "day"},
}
KINDS = {
    "currency": {"money"}, "dimension": {"measure"}, "temperature": {"measure"}, "age": {"age", "duration"},
    "percentage": {"percent"}, "ordinal": {"ordinal", "rank"},
}
LOWER = {"more than", "at least", "or more", "over", "above"}
UPPER = {"less than", "under", "or less", "up to", "at most", "within", "below"}


def num(s: str) -> Decimal | None:
    try:
        return Decimal(s.strip().rstrip("%"))
    except (InvalidOperation, AttributeError):
        return None


def close(a, b: Decimal) -> bool:
    """Equal, up to the four decimals a figure keeps of a fraction (1/3 = 0.3333)."""
    if a is None:
        return False
    a = Decimal(str(a))
    return abs(a - b) <= max(Decimal("0.00005"), abs(b) * Decimal("1e-9"))


def canon(d: Decimal) -> str:
    return format(d.normalize(), "f")


def locate(text: str, inp: str) -> tuple[int, int] | None:
    i = inp.find(text.strip())
    if i >= 0:
        return i, i + len(text.strip())
    pat = r"\s*".join(re.escape(c) for c in text.replace(" ", ""))
    m = re.search(pat, inp)
    return (m.start(), m.end()) if m else None


def judge(res: dict, inp: str, figs) -> dict:
    text, typ = res["Text"], res["TypeName"]
    value = res["Resolution"].get("value")
    span = locate(text, inp)
    out = {"text": text, "type": typ, "value": value, "unit": res["Resolution"].get("unit"),
           "hangul": not re.search(r"\d", text), "found": False, "exact": False, "wrong": None, "got": []}
    if span is None:
        out["wrong"] = "text not in input"
        return out
    s, e = span
    over = [f for f in figs if f.start < e and s < f.end]
    out["got"] = [(f.text, f.value, f.unit, f.kind, f.en) for f in over]
    out["found"] = bool(over)
    if typ == "numberrange":
        m = re.fullmatch(r"([\[(])\s*(-?[\d.]*)\s*,\s*(-?[\d.]*)\s*([\])])", value)
        lo, hi = (num(m.group(2)) if m.group(2) else None), (num(m.group(3)) if m.group(3) else None)
        if lo is not None and hi is not None:
            # one figure with both bounds (20~100개), or figures that carry one bound each with its
            # direction (10보다 크고 / 20보다 작다)
            got = {canon(Decimal(t)) for f in over for t in f.tokens if re.fullmatch(r"-?\d+(?:\.\d+)?", t)}
            if lo == hi:
                out["exact"] = any(close(f.value, lo) for f in over)
            else:
                out["exact"] = {canon(lo), canon(hi)} <= got and (
                    any(f.kind == "range" for f in over)
                    or (any(f.qualifier in LOWER for f in over) and any(f.qualifier in UPPER for f in over)))
            return out
        for f in over:
            if True:
                bound = lo if lo is not None else hi
                want = LOWER if lo is not None else UPPER
                if close(f.value, bound) and f.qualifier in want:
                    out["exact"] = True
        return out
    want = num(value)
    for f in over:
        if close(f.value, want) or (f.value is None and canon(want) in f.tokens):
            out["exact"] = True
            unit = res["Resolution"].get("unit")
            if unit and unit in UNITS and f.unit not in UNITS[unit]:
                out["wrong"] = f"unit {f.unit!r}, not {unit}"
            elif typ in KINDS and f.kind not in KINDS[typ] and f.value is not None:
                out["wrong"] = f"kind {f.kind!r}, not {typ}"
            break
    return out


def scope(inp: str) -> str | None:
    for pat, why in OUT_OF_SCOPE:
        if pat.search(inp):
            return why
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("specs", type=Path, help="the Specs folder of a Recognizers-Text clone")
    ap.add_argument("--misses", action="store_true", help="list every result not found or not exact")
    args = ap.parse_args()
    files = sorted((args.specs / "Number" / "Korean").glob("*.json")) + \
        sorted((args.specs / "NumberWithUnit" / "Korean").glob("*.json"))
    if not files:
        sys.exit(f"no Korean spec files under {args.specs}")
    rows, skipped, t_total, n_inputs = [], [], 0.0, 0
    for path in files:
        for case in json.loads(path.read_text(encoding="utf-8-sig")):
            inp = case["Input"]
            why = scope(inp)
            t0 = time.perf_counter()
            figs = extract_figures(inp)
            t_total += time.perf_counter() - t0
            n_inputs += 1
            for res in case.get("Results", []):
                if res["Resolution"].get("value") is None:
                    continue  # a bare unit name (`달러`, `화씨`): no number to find
                r = judge(res, inp, figs)
                r["file"], r["input"] = path.stem, inp
                (skipped if why else rows).append((r, why))
    for label, sel in (("digit and mixed forms", [r for r, _ in rows if not r["hangul"]]),
                       ("Hangul numerals", [r for r, _ in rows if r["hangul"]])):
        n = len(sel)
        found = sum(r["found"] for r in sel)
        exact = sum(r["exact"] for r in sel)
        wrong = sum(bool(r["wrong"]) for r in sel)
        print(f"{label:22s} {n:4d} results: found {found} ({100 * found / max(n, 1):.1f} %), "
              f"exact {exact} ({100 * exact / max(n, 1):.1f} %), wrong unit or kind {wrong}")
    by_file: dict[str, list] = {}
    for r, _ in rows:
        by_file.setdefault(r["file"], []).append(r)
    for name, rs in by_file.items():
        print(f"  {name:34s} {len(rs):4d}  found {sum(r['found'] for r in rs):4d}  exact {sum(r['exact'] for r in rs):4d}")
    print(f"out of scope: {len(skipped)} results ({', '.join(sorted({w for _, w in skipped}))})")
    print(f"time: {1000 * t_total / max(n_inputs, 1):.3f} ms per input over {n_inputs} inputs")
    if args.misses:
        for r, _ in rows:
            if not r["exact"] or r["wrong"]:
                print(f"MISS [{r['file']}] {r['text']!r} = {r['value']} {r['unit'] or ''} "
                      f"{'(wrong: ' + r['wrong'] + ')' if r['wrong'] else ''}\n      in {r['input']!r}\n      got {r['got']}")


if __name__ == "__main__":
    main()
