"""Fit the selector's weights (summarize/selecting.py WEIGHTS) and print the scores they reach.

    python bench/fit_selector.py [--refs DIR] [--pages DIR ...] [--folds 5]

The data: the reference sets in ../shared/summaries/ (development: the fit) and the project's annotated
pages, tests/pages/ and any --pages folder (general news: only measured, never fitted), each article
through summarize's own prepare() (see summaries.py).

The fit: a logistic regression (L2, Newton's method, written here with numpy) of "a person chose this
sentence" over the features of selecting.analyse, on every content sentence (lines that selecting marks
as not content are left to its hand-set penalties). Then, by hand:
- the lead bonus (first, second, third) is multiplied by ANCHOR. The development set is IT/science news
  whose readers chose sentences from all over the article (its lead-3 F1 is 43); in general news the lead
  is much stronger (lead-3 F1 near 60 on the issue's held-out sets), and a selector fitted on this set
  alone would leave the lead too readily. ANCHOR keeps the first three content sentences unless a later
  one is clearly more central, closer to the headline and fuller;
- figures and quotes are tie-breakers of TIE, not fitted (they have their own sections in the brief);
- the redundancy weight (MMR) is the one of REDUNDANCY_GRID that scores best on the fitted data.

It prints the weights as the table to paste into selecting.py, says whether the shipped table is the
same, and prints the scores of the shipped table on the development data (what
tests/test_selecting.py checks), cross-validation by article folds, and the scores by source.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import summaries  # noqa: E402

from summarize import BriefOptions  # noqa: E402
from summarize.stages.selecting import MAX_TIE_BREAK, WEIGHTS, Analysis, analyse, rank  # noqa: E402

FITTED = ("first", "second", "third", "decay", "headline", "centrality", "length")
LEAD = ("first", "second", "third")
ANCHOR = 3.0
ANCHOR_SWEEP = (1.0, 2.0, 3.0, 4.0)
TIE = {"figures": 0.05, "quote": -0.05}
REDUNDANCY_GRID = (0.5, 1.0, 1.5, 2.0, 3.0)
L2 = 1.0
DIGITS = 2  # the shipped table is rounded; every score below is of the rounded weights

BUDGETS = {"3": (3, BriefOptions().max_chars), "default": (BriefOptions().max_sentences, BriefOptions().max_chars)}


def design(cases: Sequence[summaries.Case], analyses: Mapping[int, Analysis]) -> tuple[np.ndarray, np.ndarray]:
    """One row of FITTED features per content sentence, and whether a person chose it."""
    rows, labels = [], []
    for c in cases:
        a = analyses[id(c)]
        for i, (f, m) in enumerate(zip(a.features, a.flags, strict=True)):
            if not m:
                rows.append([f[k] for k in FITTED])
                labels.append(a.ids[i] in c.gold)
    return np.array(rows, dtype=float), np.array(labels, dtype=float)


def logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 100) -> np.ndarray:
    """Weights (the intercept last, not penalised) of an L2-regularised logistic regression."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    reg = np.diag(np.r_[np.full(x.shape[1], l2), 0.0])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x1 @ w)))
        grad = x1.T @ (p - y) + reg @ w
        hess = (x1 * (p * (1 - p))[:, None]).T @ x1 + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def f1s(cases: Sequence[summaries.Case], analyses: Mapping[int, Analysis], weights: Mapping[str, float]) -> dict:
    """Mean sentence F1 (in %) of the selection at each budget."""
    out = {}
    for name, (n, chars) in BUDGETS.items():
        out[name] = 100 * statistics.mean(
            summaries.sentence_f1([sc.id for sc in rank(analyses[id(c)], n, chars, weights)], c.gold) for c in cases
        )
    return out


def lead_f1s(cases: Sequence[summaries.Case]) -> dict:
    return {name: 100 * statistics.mean(summaries.sentence_f1(summaries.lead(c.sentences, n, chars), c.gold)
                                        for c in cases) for name, (n, chars) in BUDGETS.items()}


def fit(cases: Sequence[summaries.Case], analyses: Mapping[int, Analysis]) -> dict[str, float]:
    """The weights table fitted on `cases` (rounded to DIGITS)."""
    w = logistic(*design(cases, analyses))
    weights = {k: round(float(v) * (ANCHOR if k in LEAD else 1.0), DIGITS) for k, v in zip(FITTED, w, strict=False)}
    weights.update(TIE)

    def mean_f1(lam: float) -> float:
        return statistics.mean(f1s(cases, analyses, {**weights, "redundancy": lam}).values())

    weights["redundancy"] = max(REDUNDANCY_GRID, key=lambda lam: (round(mean_f1(lam), 6), -lam))
    return weights


def folds(cases: Sequence[summaries.Case], k: int) -> list[tuple[list, list]]:
    return [([c for j, c in enumerate(cases) if j % k != f], [c for j, c in enumerate(cases) if j % k == f])
            for f in range(k)]


def row(label: str, scores: dict, lead: dict, digits: int = 1) -> str:
    return (f"  {label:<34} 3 sentences {scores['3']:5.{digits}f} (lead-3 {lead['3']:5.1f})   "
            f"default {scores['default']:5.{digits}f} (lead {lead['default']:5.1f})")


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--refs", type=Path, default=summaries.REFERENCES, help="folder of *.jsonl reference sets")
    ap.add_argument("--pages", type=Path, action="append", default=[],
                    help="more annotated-page folders (laid out as tests/pages/), for measuring only")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    assert all(abs(v) <= MAX_TIE_BREAK for v in TIE.values()), "figures and quotes are tie-breakers"

    with tempfile.TemporaryDirectory() as tmp:
        dev = summaries.cases(summaries.load_references(args.refs), Path(tmp))
        pages = summaries.cases([d for folder in [summaries.PAGES, *args.pages]
                                 for d in summaries.load_pages(folder)], Path(tmp))
    if not dev:
        sys.exit(f"no reference sets in {args.refs}")
    analyses = {id(c): analyse(c.sentences, c.figure_counts, c.quoted, c.title, c.tokens) for c in dev + pages}

    fitted = fit(dev, analyses)
    out(f"fitted on {len(dev)} articles of {', '.join(sorted({c.doc.source for c in dev}))}; "
        f"ANCHOR {ANCHOR}, tie-breakers {TIE}, L2 {L2}")
    out("WEIGHTS = {" + ", ".join(f'"{k}": {v}' for k, v in fitted.items()) + "}")
    same = dict(WEIGHTS) == fitted
    out(f"shipped table in summarize/selecting.py: {'the same' if same else 'DIFFERENT (paste the table above)'}")

    report = {"shipped": {}, "cv": {}, "sources": {}}
    out("\nthe shipped weights on the development data (sentence F1, mean over articles, %):")
    for source in sorted({c.doc.source for c in dev}):
        part = [c for c in dev if c.doc.source == source]
        report["shipped"][source] = f1s(part, analyses, WEIGHTS)
        out(row(source, report["shipped"][source], lead_f1s(part), digits=2))

    out(f"\ncross-validation, {args.folds} folds by article (fitted on the rest each time):")
    per_fold = []
    for n, (train, test) in enumerate(folds(dev, args.folds), 1):
        scores = f1s(test, analyses, fit(train, analyses))
        per_fold.append(scores)
        out(row(f"fold {n} ({len(test)} articles)", scores, lead_f1s(test)))
    report["cv"] = {k: statistics.mean(s[k] for s in per_fold) for k in BUDGETS}
    out(row("mean of the folds", report["cv"], lead_f1s(dev)))

    out("\nby source (the shipped weights; pages are general news that the fit never saw):")
    for source in sorted({c.doc.source for c in pages}):
        part = [c for c in pages if c.doc.source == source]
        report["sources"][source] = f1s(part, analyses, WEIGHTS)
        out(row(f"{source} ({len(part)} articles)", report["sources"][source], lead_f1s(part)))
    dev_pages = [c for c in pages if c.doc.source == "pages-dev"]
    if len(dev_pages) >= 10:  # the other way round, and both together (held-out pages are never fitted)
        out("\nby source, fitted elsewhere (points of F1 over the lead: at 3 sentences, then at the default budget):")
        tests = [(s, [c for c in dev + pages if c.doc.source == s]) for s in sorted({c.doc.source for c in dev + pages})]
        for label, train in (("scinews (shipped)", dev), ("pages-dev", dev_pages), ("scinews + pages-dev", dev + dev_pages)):
            w = WEIGHTS if train is dev else fit(train, analyses)
            cells = []
            for s, part in tests:
                f, lead_ = f1s(part, analyses, w), lead_f1s(part)
                seen = " (fitted on)" if set(map(id, part)) & set(map(id, train)) else ""
                cells.append(f"{s}{seen} {f['3'] - lead_['3']:+5.1f} {f['default'] - lead_['default']:+5.1f}")
            out(f"  fitted on {label:<20} " + "   ".join(cells))
    if not pages:
        out("  (no annotated pages in tests/pages/: nothing to check the fit against)")

    out("\nthe lead bonus against the lead (ANCHOR: what the fitted first, second and third are multiplied by):")
    raw = logistic(*design(dev, analyses))
    groups = [(s, [c for c in dev + pages if c.doc.source == s]) for s in sorted({c.doc.source for c in dev + pages})]
    for anchor in ANCHOR_SWEEP:
        w = {k: round(float(v) * (anchor if k in LEAD else 1.0), DIGITS) for k, v in zip(FITTED, raw, strict=False)}
        w.update(TIE, redundancy=WEIGHTS["redundancy"])
        cells = []
        for s, part in groups:
            f, lead_ = f1s(part, analyses, w), lead_f1s(part)
            cells.append(f"{s} {f['3'] - lead_['3']:+5.1f} {f['default'] - lead_['default']:+5.1f}")
        out(f"  {anchor:>4}{' (shipped)' if anchor == ANCHOR else ' ' * 10}  " + "   ".join(cells))
    out("  (points of F1 over the lead: at 3 sentences, then at the default budget)")
    return report


if __name__ == "__main__":
    main()
