"""The reading and cleaning stages against the real-page corpus (tests/pages): what the issue's targets ask.

    .venv/bin/python bench/eval_pages.py [--split dev|heldout|all] [--pages tests/pages] [-v]

Per split: articles wrongly rejected, titles exact (pages with a headline), leads taken as titles, pages
without a headline given one, boilerplate strings that reached a brief's text (title, sentences, figures,
quotes), figures found in lines that are not the article's, sentence F1 against the gold, and the time to
prepare an article (read, clean, segment, figures, quotes, selection). `-v` lists every miss.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize import BriefOptions, prepare  # noqa: E402
from summarize.errors import Rejected  # noqa: E402


def squash(s: str) -> str:
    return "".join(s.split())


def f1(got: list[str], want: list[str]) -> float:
    g, w = {squash(x) for x in got}, {squash(x) for x in want}
    if not g or not w:
        return float(g == w)
    hit = len(g & w)
    return 2 * hit / (len(g) + len(w))


def meta_ok(key: str, got, want) -> bool:
    """A field as the gold has it; a date to the minute the gold gives (a page's own time zone may follow)."""
    if key == "published" and got and want:
        return got[:len(want)] == want
    return (got or None) == (want or None)


def evaluate(pages: Path, split: str, verbose: bool = False) -> dict:
    options = BriefOptions()
    rows = []
    for page in sorted((pages / split).glob("*")):
        if page.suffix not in (".txt", ".md", ".html", ".htm"):
            continue
        gold = json.loads((pages / "gold" / split / f"{page.name}.json").read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        try:
            p = prepare(page, page.parent, options)
        except Rejected as e:
            rows.append({"page": page.name, "rejected": str(e), "gold": gold})
            continue
        elapsed = time.perf_counter() - t0
        sentences = [s.ko for s in p.sentences]
        body = [squash(s) for s in gold["sentences"]]
        visible = " ¦ ".join([p.article.title or ""] + sentences + [f.text for f in p.figures] + [q.ko for q in p.quotes])
        leaked = [b for b in gold["boilerplate"] if squash(b) in squash(visible)]
        stray = []
        for f in p.figures:
            s = squash(p.sentences[f.sentence].ko)
            if not any(s in b or b in s for b in body):
                stray.append(f"{f.text} in {p.sentences[f.sentence].ko[:50]}")
        first = squash(gold["sentences"][0]) if gold["sentences"] else ""
        title = p.article.title
        rows.append({
            "page": page.name, "gold": gold, "title": title, "time": elapsed,
            "title_ok": (title or None) == gold["title"] or (title and gold["title"] and squash(title) == squash(gold["title"])),
            "lead_as_title": bool(title and first and (squash(title) in first or first in squash(title))
                                  and gold["title"] is None),
            "leaked": leaked, "stray": stray, "f1": f1(sentences, gold["sentences"]),
            "missing": [s for s in gold["sentences"] if squash(s) not in {squash(x) for x in sentences}],
            "meta": {k: (getattr(p.article.meta, k, None), gold["meta"].get(k)) for k in ("outlet", "author", "published", "url")
                     if not meta_ok(k, getattr(p.article.meta, k, None), gold["meta"].get(k))},
            "extra": [s for s in sentences if squash(s) not in set(body)],
        })
    ok = [r for r in rows if "rejected" not in r]
    with_head = [r for r in ok if r["gold"]["title"]]
    without = [r for r in ok if not r["gold"]["title"]]
    result = {
        "split": split,
        "pages": len(rows),
        "rejected": len(rows) - len(ok),
        "title exact (pages with a headline)": f"{sum(1 for r in with_head if r['title_ok'])}/{len(with_head)}",
        "no-headline pages left without a title": f"{sum(1 for r in without if not r['title'])}/{len(without)}",
        "lead taken as title": sum(1 for r in ok if r["lead_as_title"]),
        "boilerplate strings leaked": sum(len(r["leaked"]) for r in ok),
        "figures from non-article lines": sum(len(r["stray"]) for r in ok),
        "meta fields right": f"{sum(4 - len(r['meta']) for r in ok)}/{4 * len(ok)}",
        "sentence F1 (mean)": round(statistics.mean(r["f1"] for r in ok), 3) if ok else None,
        "prepare ms/article (median)": round(1000 * statistics.median(r["time"] for r in ok), 1) if ok else None,
    }
    if verbose:
        for r in rows:
            if "rejected" in r:
                print(f"REJECTED {r['page']}: {r['rejected']}")
                continue
            problems = []
            if not r["title_ok"]:
                problems.append(f"title {r['title']!r} != {r['gold']['title']!r}")
            problems += [f"leaked {b!r}" for b in r["leaked"]]
            problems += [f"stray figure {s}" for s in r["stray"]]
            problems += [f"missing: {s[:70]}" for s in r["missing"]]
            problems += [f"extra:   {s[:70]}" for s in r["extra"]]
            problems += [f"meta {k}: {got!r} != {want!r}" for k, (got, want) in r["meta"].items()]
            if problems:
                print(f"-- {r['page']} (F1 {r['f1']:.2f})")
                for x in problems:
                    print(f"   {x}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=ROOT / "tests" / "pages")
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    prepare(ROOT / "samples" / "economy_bok_rate.txt", ROOT / "samples", BriefOptions())  # load Kiwi before timing
    for split in (["dev", "heldout"] if a.split == "all" else [a.split]):
        if not (a.pages / split).is_dir():
            print(f"{split}: no pages at {a.pages / split}")
            continue
        result = evaluate(a.pages, split, a.verbose)
        print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
