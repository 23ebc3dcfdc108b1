"""The abridged summary against human extractive summaries, through the tool (`make eval`).

    python bench/eval_summary.py [--refs DIR] [--pages DIR ...] [--repeats 5]

For every article of the reference sets (../shared/summaries/*.jsonl) and of the annotated pages
(tests/pages/ and any --pages folder laid out like it), as summarize's own prepare() sees it (see
summaries.py): sentence F1 on the tool's sentences and ROUGE-1/2/L F on Kiwi morphemes against the
sentences people chose, for lead-3, the project's selection at 3 sentences, the lead at the default
budget (as many first sentences as max_sentences and max_chars hold) and the project's selection at the
default budget (what a brief shows). Means over the articles of each source, and over all.
Then the time select() takes per article (CPU time, the best of --repeats runs), on each source and on
samples/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import summaries  # noqa: E402

from summarize import BriefOptions, prepare  # noqa: E402
from summarize.stages.reading import find_inputs  # noqa: E402
from summarize.stages.segmenting import segment_analysed  # noqa: E402
from summarize.stages.selecting import select  # noqa: E402

METRICS = ("f1", "r1", "r2", "rl")


def systems(case: summaries.Case, options: BriefOptions) -> dict[str, list[int]]:
    n, chars = options.max_sentences, options.max_chars
    three = select(case.sentences, case.figure_counts, case.quoted, 3, chars, title=case.title, tokens=case.tokens)
    return {
        "lead-3": summaries.lead(case.sentences, 3, chars),
        "selection, 3 sentences": [sc.id for sc in three],
        f"lead, default ({n} sent., {chars} chars)": summaries.lead(case.sentences, n, chars),
        "selection, default (the brief)": list(case.summary),
    }


def evaluate(cases: list[summaries.Case], options: BriefOptions) -> dict[str, dict[str, dict[str, list[float]]]]:
    """scores[source][system][metric] = one value per article."""
    out: dict = {}
    for c in cases:
        ref = summaries.morphemes(c.reference)
        for name, chosen in systems(c, options).items():
            per = out.setdefault(c.doc.source, {}).setdefault(name, {m: [] for m in METRICS})
            for m, v in summaries.scores(c, chosen, ref).items():
                per[m].append(v)
    return out


def select_ms(case: summaries.Case, options: BriefOptions, repeats: int) -> float:
    """The CPU time of one select() (the process's own, which other processes on a shared machine
    do not inflate as they do the wall clock), the best of `repeats`."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        select(case.sentences, case.figure_counts, case.quoted, options.max_sentences, options.max_chars,
               title=case.title, tokens=case.tokens)
        best = min(best, time.process_time() - t0)
    return best * 1000


def sample_cases() -> list[summaries.Case]:
    """samples/ as cases without gold (for the timings only)."""
    root = summaries.ROOT / "samples"
    out = []
    for path in find_inputs(root):
        p = prepare(path, root, BriefOptions())
        sentences, tokens = segment_analysed(p.article.paragraphs)
        counts: dict[int, int] = {}
        for f in p.figures:
            if f.value is not None:
                counts[f.sentence] = counts.get(f.sentence, 0) + 1
        doc = summaries.Doc(id=path.name, source="samples", ref_sentences=(), gold=frozenset())
        out.append(summaries.Case(doc, p.article.title, p.sentences, tokens, counts,
                                  frozenset(q.sentence for q in p.quotes), frozenset(), p.summary, 0))
    return out


def table(scores: dict, out: Callable[[str], None]) -> None:
    out(f"{'source':<16} {'n':>3}  {'system':<38} {'F1':>5} {'R-1':>5} {'R-2':>5} {'R-L':>5}")
    sources = sorted(scores)
    if len(sources) > 1:
        merged: dict = {}
        for s in sources:
            for name, per in scores[s].items():
                for m, vs in per.items():
                    merged.setdefault(name, {}).setdefault(m, []).extend(vs)
        scores = {**scores, "all": merged}
        sources.append("all")
    for s in sources:
        n = len(next(iter(scores[s].values()))["f1"])
        for k, (name, per) in enumerate(scores[s].items()):
            cells = " ".join(f"{100 * statistics.mean(per[m]):5.1f}" for m in METRICS)
            out(f"{s if k == 0 else '':<16} {n if k == 0 else '':>3}  {name:<38} {cells}")


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--refs", type=Path, default=summaries.REFERENCES, help="folder of *.jsonl reference sets")
    ap.add_argument("--pages", type=Path, action="append", default=[],
                    help="more annotated-page folders (laid out as tests/pages/)")
    ap.add_argument("--repeats", type=int, default=5, help="runs of select() per article for the timings")
    args = ap.parse_args(argv)
    options = BriefOptions()

    docs = summaries.load_references(args.refs)
    for folder in [summaries.PAGES, *args.pages]:
        docs += summaries.load_pages(folder)
    with tempfile.TemporaryDirectory() as tmp:
        cases = summaries.cases(docs, Path(tmp))
    if not cases:
        sys.exit(f"no articles with a summary in {args.refs}, {summaries.PAGES} or --pages")
    lost = sum(c.unmatched_gold for c in cases)
    out(f"{len(cases)} articles through prepare(); {lost} of {sum(len(c.doc.gold) for c in cases)} gold sentences "
        "are not among the tool's sentences (cleaned away or cut apart): they count as missed.")
    out("F1: sentence F1 on the tool's sentences; R-1/2/L: ROUGE F on Kiwi morphemes. Means over articles, in %.\n")
    scores = evaluate(cases, options)
    table(scores, out)

    out(f"\nselect() per article, CPU time, the best of {args.repeats} runs (ms):")
    timed = cases + sample_cases()
    ms: dict = {}
    for c in timed:
        ms.setdefault(c.doc.source, []).append(select_ms(c, options, args.repeats))
    for s, v in sorted(ms.items()):
        out(f"  {s:<16} {len(v):>3} articles   mean {statistics.mean(v):5.2f}   max {max(v):5.2f}")
    return {"scores": scores, "ms": ms}


if __name__ == "__main__":
    main()
