"""Time the figure finder: extract_figures over every body sentence of each article of samples/.

The sentences come from samples/gold.json (the hand-segmented bodies), so the number is the finder's
own time, without reading, cleaning or Kiwi.

    python bench/time_figures.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.stages.figures import extract_figures  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    gold = json.loads((ROOT / "samples" / "gold.json").read_text(encoding="utf-8"))
    articles = [g["sentences"] for g in gold.values()]
    n_sent = sum(len(a) for a in articles)

    def once() -> None:
        for sents in articles:
            for i, s in enumerate(sents):
                extract_figures(s, i)

    once()  # warm the regex caches
    best = min(timeit.repeat(once, number=1, repeat=args.repeats))
    print(f"{len(articles)} articles, {n_sent} sentences: {1000 * best / len(articles):.2f} ms per article, "
          f"{1000 * best / n_sent:.3f} ms per sentence (best of {args.repeats})")


if __name__ == "__main__":
    main()
