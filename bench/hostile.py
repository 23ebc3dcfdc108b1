"""What isolation and hostile files cost a run, with a scripted model (so that the text stages, not a model,
set the pace: the worst case for a pool of processes).

    python bench/hostile.py overhead [--copies 4] [--runs 3] [--tiny]
        the job on COPIES copies of samples/, preparing in a thread (workers = 0: the default below six cores
        before worker processes were the default everywhere) and in the default pool (worker processes), the
        two alternating, each run a fresh process and a fresh output folder: median wall seconds of each

    python bench/hostile.py hostile [--good 200] [--runs 1]
        GOOD good articles (copies of samples/), then the same with this issue's hostile files mixed in: median
        wall seconds of each, and what became of each hostile file

Each run is `python bench/hostile.py one WORKERS IN OUT` in a process of its own (its start-up counted).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ARTICLES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))


def one(workers: int, inbox: Path, out: Path, model: str | None = None) -> None:
    """One run with a scripted model (English: the Korean's numbers and a few words), or the model folder
    `model` (the tiny one: the real loading and generation path); its report on stdout."""
    import re

    from summarize import BriefOptions, run
    from summarize.records import ModelInfo
    from summarize.translate.base import Translator

    class Scripted(Translator):
        info = ModelInfo(id="bench/scripted", revision="0" * 40, settings={})

        def count_tokens(self, texts: list[str]) -> list[int]:
            return [len(t.split()) + 1 for t in texts]

        def translate_batch(self, texts: list[str]) -> list[str]:
            return ["English " + " ".join(re.findall(r"\d+(?:[.,]\d+)*%?", t)) for t in texts]

    if model:
        options = BriefOptions(workers=workers, model=model, backend="transformers", offline=True)
        report = run(inbox, out, options)
    else:
        report = run(inbox, out, BriefOptions(workers=workers), translator_factory=lambda spec, options: Scripted())
    print(json.dumps({"totals": report.counts(), "articles": {e.path: [e.status, e.reason] for e in report.entries}},
                     ensure_ascii=False))


def _timed(workers: int, inbox: Path, work: Path, model: Path | None = None) -> tuple[float, dict]:
    out = work / f"out-{time.monotonic_ns()}"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "one", str(workers), str(inbox), str(out),
                           *([str(model)] if model else [])], check=True, capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    return took, json.loads(done.stdout.strip().splitlines()[-1])


def _copies(inbox: Path, n: int) -> None:
    inbox.mkdir(parents=True)
    for i in range(n):
        src = ARTICLES[i % len(ARTICLES)]
        shutil.copy(src, inbox / f"{i:04d}-{src.name}")


def hostile_files(inbox: Path, outside: Path) -> list[str]:
    """The hostile files of issue 18, written into `inbox`; their names."""
    good = (SAMPLES / "economy_bok_rate.txt").read_text(encoding="utf-8")
    raw = good.encode("utf-8")
    cut = raw.index("동결".encode()) + 1
    lead = "정부는 올해 경제성장률 전망치를 2.5%로 올렸다고 밝혔다. "
    paragraphs = "".join(f"<p>{p}</p>" for p in good.splitlines() if p.strip())
    files: dict[str, bytes] = {
        "h-hashtags.txt": good.replace("\n\n", "\n\n" + "#정치" * 40 + " 끝\n\n", 1).encode("utf-8"),
        "h-huge-paragraph.txt": ("한 문단짜리 긴 기사\n\n" + lead * int(4.9e6 / len(lead.encode()))).encode("utf-8"),
        "h-missing-byte.txt": raw[:cut] + raw[cut + 1:],
        "h-nested.html": ("<html><head><title>깊은 페이지</title></head><body>" + "<div>" * 10000 + paragraphs
                          + "</div>" * 10000 + "</body></html>").encode("utf-8"),
        "h-cp949-labelled-latin1.html": ('<html><head><meta charset="iso-8859-1"><title>한국은행</title></head><body>'
                                         + paragraphs + "</body></html>").encode("cp949"),
        "h-" + "긴이름" * 27 + ".txt": raw,  # 245 bytes
        "h-line\nbreak.txt": raw,
        "h-empty.txt": b"  \n",
        "h-binary.txt": bytes(range(256)) * 64,
    }
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_bytes(raw)
    (inbox / "h-symlink-out.txt").symlink_to(outside / "secret.txt")
    return [*files, "h-symlink-out.txt"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    o = sub.add_parser("overhead")
    o.add_argument("--copies", type=int, default=4)
    o.add_argument("--runs", type=int, default=3)
    o.add_argument("--tiny", action="store_true", help="the tiny model (built first) instead of the scripted one")
    h = sub.add_parser("hostile")
    h.add_argument("--good", type=int, default=200)
    h.add_argument("--runs", type=int, default=1)
    r = sub.add_parser("one")
    r.add_argument("workers", type=int)
    r.add_argument("inbox", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("model", nargs="?")
    args = parser.parse_args()
    if args.what == "one":
        one(args.workers, args.inbox, args.out, args.model)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.what == "overhead":
            inbox = work / "in"
            _copies(inbox, args.copies * len(ARTICLES))
            model = None
            if args.tiny:
                sys.path.insert(0, str(ROOT / "tests"))
                from tiny_model import build_tiny_model

                model = build_tiny_model(work / "tiny", [SAMPLES])
            times: dict[str, list[float]] = {"thread (workers = 0)": [], "processes (default)": []}
            for _ in range(args.runs):
                for label, workers in (("thread (workers = 0)", 0), ("processes (default)", -1)):
                    took, rep = _timed(workers, inbox, work, model)
                    assert rep["totals"]["failed"] == 0, rep["totals"]
                    times[label].append(took)
            n = args.copies * len(ARTICLES)
            for label, ts in times.items():
                print(f"{label:<22} {n} articles: median {statistics.median(ts):.2f} s  "
                      f"(runs: {', '.join(f'{t:.2f}' for t in ts)})")
            a, b = (statistics.median(ts) for ts in times.values())
            print(f"processes / thread: {b / a:.3f}")
            return
        good, mixed = work / "good", work / "mixed"
        _copies(good, args.good)
        _copies(mixed, args.good)
        names = hostile_files(mixed, work / "outside")
        times = {"good": [], "good + hostile": []}
        reports = {}
        for _ in range(args.runs):
            for label, inbox in (("good", good), ("good + hostile", mixed)):
                took, rep = _timed(-1, inbox, work)
                times[label].append(took)
                reports[label] = rep
        for label, ts in times.items():
            print(f"{label:<15} median {statistics.median(ts):.2f} s  totals {reports[label]['totals']}")
        g, m = (statistics.median(ts) for ts in times.values())
        print(f"good + hostile / good: {m / g:.3f}")
        arts = reports["good + hostile"]["articles"]
        for name in names:
            status, reason = arts.get(name, ["missing", None])
            print(f"  {name.encode('unicode_escape').decode()[:60]:<60} {status}: {reason}")
        good_ones = {k: v for k, v in arts.items() if not k.startswith("h-")}
        print(f"good ones written: {sum(1 for v in good_ones.values() if v[0] == 'written')} of {len(good_ones)}")


if __name__ == "__main__":
    main()
