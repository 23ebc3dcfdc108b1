"""Measure the figure and quote finders on the real-page corpus (tests/pages/gold/<split>/*.json).

The gold's body `sentences` go straight to extract_figures and find_quotes, so the measure does not
depend on reading and cleaning. Skips (exit 0) where the corpus is absent.

    python bench/eval_figures.py [--pages tests/pages] [--split dev|heldout|all] [--misses] [--json out.json]

Figures (gold: [text, value, English]):
- found: an extracted figure overlaps the gold text in its sentence (the gold may or may not hold a
  qualifier such as 이상 in its text; the overlap counts either way);
- value exact: an overlapping figure has the gold value (four decimals); where the gold value is null
  (a date, a time, a year, an ordinal, a rank, a range, a score), a figure with no value or one of
  those kinds counts: issue 10 asks ranks and ordinals to carry their number, the corpus leaves them null;
- English right: the figure's English equals the gold's (case, spaces, minus signs and dashes aside:
  "word for word"), or says the same numbers (in digits or words) with the same units of measure,
  money, time and percentage; the gold's choice of noun ("23 residents" for 23명, which the finder
  renders "23 people") is not a unit. `wrong numbers or units` counts the others: the kind of error
  the guard cannot see;
- extra: extracted figures that overlap no gold figure (names, phone numbers, …), listed with --misses.

Quotes (gold: [text, speaker, title]):
- found: a quote whose text equals the gold text (spaces aside), or holds it / is held by it with
  at most a few characters of difference;
- speaker right: the found quote's speaker equals the gold speaker (both null counts); title right
  likewise for the title, where the gold gives one.
- A broadcast sound-bite is a body sentence without quote marks; cleaning will pass its speaker along
  (find_quotes' `spoken`). Until it does, this script reports the quotes without the sound-bites, and
  with them where `spoken` is taken from the gold (an upper bound: the interface, not the finding).
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # PYTHONPATH set to another checkout measures that one instead

from summarize.stages.figures import english_tokens, extract_figures  # noqa: E402
from summarize.stages.quotes import find_quotes  # noqa: E402

try:
    from summarize.stages.figures import article_domain
except ImportError:  # an older finder
    article_domain = None
from summarize.records import Sentence  # noqa: E402

LABEL_KINDS = {"date", "time", "year", "ordinal", "rank", "range", "score", "floor"}
# Units a reader must not get wrong, by what they measure; words such as "people", "residents" or "cases"
# are the annotator's choice of noun, not a unit
UNITS = [(re.compile(p, re.I), u) for p, u in [
    (r"\$|dollars?\b|\busd\b", "$"), (r"\bwon\b", "won"), (r"\byen\b", "yen"), (r"\byuan\b", "yuan"),
    (r"\beuros?\b|€", "euro"), (r"percentage points?|%p|\bpp\b", "pp"), (r"%|percent", "%"),
    (r"\byears?\b", "year"), (r"\bmonths?\b", "month"), (r"\bweeks?\b", "week"), (r"\bdays?\b", "day"),
    (r"\bhours?\b", "hour"), (r"\bminutes?\b", "minute"), (r"(?:\d|\bone|\btwo|\bthree|\bfew)\s?seconds?\b", "second"),
    (r"°c|celsius", "°C"), (r"°f|fahrenheit", "°F"), (r"m²|square met", "m²"), (r"km²", "km²"), (r"\bpyeong\b", "pyeong"),
    (r"\bhectares?\b|\bha\b", "ha"), (r"\bkm\b|kilomet", "km"), (r"\bcm\b", "cm"), (r"\bmm\b|millimet", "mm"),
    (r"\binch(?:es)?\b|-inch", "inch"), (r"\bkg\b|kilogram", "kg"), (r"\btonnes?\b|\btons?\b", "t"),
    (r"\bbarrels?\b", "barrel"), (r"\bshares?\b", "share"), (r"\bpoints?\b", "point"), (r"to 1\b", "ratio"),
    (r"under par", "under par"), (r"\byards?\b", "yard"), (r"\binnings?\b", "inning")]]


def units(s: str) -> set[str]:
    return {u for p, u in UNITS if p.search(s)}


def numbers(s: str) -> set[str]:
    toks = english_tokens(s)
    parts = {x for t in toks if t.startswith("frac:") for x in t[5:].split("/")}  # 5 1/3: the 1 and 3 are the fraction
    out = set()
    for t in toks:
        if t.startswith("word:"):
            t = t[5:]
        if t in parts:
            continue
        out.add(t.replace("−", "-"))
    return out


def english_verdict(ours: str, gold: str) -> str:
    """exact (the same words), right (the same numbers and units, in other words), or wrong."""
    if norm(ours) == norm(gold):
        return "exact"
    n_o, n_g = numbers(ours), numbers(gold)
    if not n_g and re.search(r"\ban?\b|once|single", gold):
        n_g = {"1"}
    same_numbers = n_o == n_g or (n_g and n_g <= n_o and len(n_o - n_g) <= 1) or (not n_g and n_o <= {"1"})
    u_o, u_g = units(ours), units(gold)
    same_units = u_g <= u_o or (u_o and u_g and u_o & u_g == u_g) or not u_g
    if u_g and not u_o:
        same_units = False
    return "right" if same_numbers and same_units else "wrong"


def norm(s: str | None) -> str:
    s = (s or "").lower().replace("−", "-").replace("–", "-").replace("—", "-").replace("’", "'")
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s?([%°])", r"\1", s)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(str(a)) - Decimal(str(b))) <= Decimal("0.00005") + abs(Decimal(str(b))) * Decimal("1e-9")


def locate(text: str, sentences: list[str], start_at: tuple[int, int]) -> tuple[int, int, int] | None:
    """(sentence, start, end) of the first occurrence of `text` at or after start_at, spaces aside."""
    pat = re.compile(r"\s*".join(re.escape(c) for c in squash(text)))
    si, off = start_at
    for i in list(range(si, len(sentences))) + list(range(0, si)):
        m = pat.search(sentences[i], off if i == si else 0)
        if m:
            return i, m.start(), m.end()
    return None


def eval_figures(gold: dict, sentences: list[str], figs: dict[int, list], out: dict) -> None:
    pos = (0, 0)
    used: set[int] = set()
    for text, value, en in gold["figures"]:
        out["gold"] += 1
        loc = locate(text, sentences, pos)
        if loc is None:
            out["unlocated"].append(text)
            continue
        si, s, e = loc
        pos = (si, e)
        over = [f for f in figs[si] if f.start < e and s < f.end]
        for f in over:
            used.add(id(f))
        row = {"text": text, "value": value, "en": en, "sentence": sentences[si],
               "got": [(f.text, f.value, f.en, f.kind) for f in over]}
        if not over:
            out["missed"].append(row)
            continue
        out["found"] += 1
        exact = any(close(f.value, value) for f in over) if value is not None else \
            any(f.value is None or f.kind in LABEL_KINDS for f in over)
        if exact:
            out["exact"] += 1
        else:
            out["value_wrong"].append(row)
        if en is None:
            continue
        out["en_total"] += 1
        verdicts = {english_verdict(f.en, en) for f in over}
        if "exact" in verdicts:
            out["en_exact"] += 1
        if verdicts & {"exact", "right"}:
            out["en_right"] += 1
        else:
            out["en_wrong"].append(row)
    for i, fs in figs.items():
        for f in fs:
            if id(f) not in used:
                out["extra"].append((f.text, f.en, sentences[i]))


def match_quote(text: str, quotes) -> object | None:
    t = squash(text)
    for q in quotes:
        k = squash(q.ko)
        if k == t or (len(t) > 8 and (t in k or k in t) and abs(len(k) - len(t)) <= 6):
            return q
    return None


def soundbites(gold: dict, sentences: list[str]) -> dict[int, tuple[str | None, str | None]]:
    """The sentences that are wholly a gold quote and do not open with a quote mark: sound-bites."""
    spoken = {}
    for text, speaker, title in gold["quotes"]:
        for i, s in enumerate(sentences):
            if squash(s) == squash(text) and not re.match(r"\s*[\"“「『″]", s):
                spoken[i] = (speaker, title)
    return spoken


def eval_quotes(gold: dict, sentences: list[str], out: dict, oracle: bool) -> None:
    sents = [Sentence(i, s, i) for i, s in enumerate(sentences)]
    spoken = soundbites(gold, sentences)
    if "spoken" in inspect.signature(find_quotes).parameters:
        quotes = find_quotes(sents, spoken=spoken if oracle else None)
    else:  # an older finder (for a before/after comparison)
        quotes = find_quotes(sents)
    for text, speaker, title in gold["quotes"]:
        is_bite = any(squash(sentences[i]) == squash(text) for i in spoken)
        if is_bite and not oracle:
            continue
        out["gold"] += 1
        q = match_quote(text, quotes)
        row = {"text": text, "speaker": speaker, "title": title}
        if q is None:
            out["missed"].append(row)
            continue
        out["found"] += 1
        q_title = getattr(q, "speaker_title", None)
        row["got"] = (q.speaker, q_title)
        if (q.speaker or None) == (speaker or None):
            out["speaker_right"] += 1
        else:
            out["speaker_wrong"].append(row)
        if title is not None:
            out["title_total"] += 1
            if squash(q_title or "") == squash(title):
                out["title_right"] += 1
            else:
                out["title_wrong"].append(row)


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f} %)" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=ROOT / "tests" / "pages")
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument("--json", type=Path, help="write the numbers and misses here")
    args = ap.parse_args()
    splits = ["dev", "heldout"] if args.split == "all" else [args.split]
    files = [p for s in splits for p in sorted((args.pages / "gold" / s).glob("*.json"))]
    if not files:
        print(f"no gold files under {args.pages}/gold/{'|'.join(splits)}: skipped")
        return
    fig = {"gold": 0, "found": 0, "exact": 0, "en_total": 0, "en_exact": 0, "en_right": 0, "missed": [], "value_wrong": [],
           "en_wrong": [], "extra": [], "unlocated": []}
    quo = {k: {"gold": 0, "found": 0, "speaker_right": 0, "title_total": 0, "title_right": 0, "missed": [],
               "speaker_wrong": [], "title_wrong": []} for k in ("marks", "with_soundbites")}
    t_fig, n_sent = 0.0, 0
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        sentences = gold["sentences"]
        domain = article_domain(([gold["title"]] if gold.get("title") else []) + sentences) if article_domain else None
        t0 = time.perf_counter()
        if "domain" in inspect.signature(extract_figures).parameters:
            figs = {i: extract_figures(s, i, domain) for i, s in enumerate(sentences)}
        else:  # an older finder
            figs = {i: extract_figures(s, i) for i, s in enumerate(sentences)}
        t_fig += time.perf_counter() - t0
        n_sent += len(sentences)
        before = {k: len(v) for k, v in fig.items() if isinstance(v, list)}
        eval_figures(gold, sentences, figs, fig)
        for k in before:
            for row in fig[k][before[k]:]:
                if isinstance(row, dict):
                    row["page"] = path.stem
        eval_quotes(gold, sentences, quo["marks"], oracle=False)
        eval_quotes(gold, sentences, quo["with_soundbites"], oracle=True)
    print(f"{len(files)} pages ({', '.join(splits)}), {n_sent} sentences, {fig['gold']} gold figures")
    print(f"figures found    {pct(fig['found'], fig['gold'])}")
    print(f"values exact     {pct(fig['exact'], fig['gold'])}")
    print(f"English right    {pct(fig['en_right'], fig['en_total'])} (word for word: {pct(fig['en_exact'], fig['en_total'])}; "
          f"wrong numbers or units: {len(fig['en_wrong'])})")
    print(f"extra figures    {len(fig['extra'])} (not in the gold)")
    for k, q in quo.items():
        label = "quotes (marks only)" if k == "marks" else "quotes (+ sound-bites, speaker from gold)"
        print(f"{label}: found {pct(q['found'], q['gold'])}, speakers right {pct(q['speaker_right'], q['found'])}"
              f" (of all gold: {pct(q['speaker_right'], q['gold'])}), titles right {pct(q['title_right'], q['title_total'])}")
    print(f"finder time: {1000 * t_fig / len(files):.2f} ms per page")
    if args.misses:
        for k in ("missed", "value_wrong", "en_wrong"):
            for r in fig[k]:
                print(f"FIG {k} [{r.get('page')}] {r['text']!r} = {r['value']} {r['en']!r}  got {r['got']}\n     {r['sentence']}")
        for t, en, s in fig["extra"]:
            print(f"FIG extra {t!r} ({en})  in {s}")
        for t in fig["unlocated"]:
            print(f"FIG unlocated {t!r}")
        for k in ("missed", "speaker_wrong", "title_wrong"):
            for r in quo["with_soundbites"][k]:
                print(f"QUO {k} {r['text'][:60]!r} gold=({r['speaker']}, {r['title']}) got={r.get('got')}")
    if args.json:
        args.json.write_text(json.dumps({"figures": fig, "quotes": quo}, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
