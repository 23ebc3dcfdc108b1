"""Start-up of a CTranslate2 run with a cached model: wall time and peak RSS of `summarize brief` on one sample
article, measured with /usr/bin/time -v, the median of a few runs, for each checkout given.

    python bench/startup.py [--runs 5] [--checkout DIR ...]

Each checkout (default: this one) is run with PYTHONPATH set to it, so that an older version can be measured
side by side: `git archive main | tar -x -C /tmp/before` and `--checkout /tmp/before --checkout .`. Two models,
built as the tests build them: a ready CTranslate2 model in quickmt's layout (../shared/real_artifacts'
vocabularies; skipped where they are absent) and a tiny Marian model converted for CTranslate2 once, before
the runs (its conversion is then cached in HF_HOME). Every run writes to a fresh output folder, so the article
is briefed (read, translated, written), not found unchanged.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def measure(checkout: Path, model: Path, work: Path, runs: int) -> tuple[float, float, float, bool]:
    """(median wall seconds, median CPU seconds (user + system), median peak RSS in MB, whether torch was
    imported) over `runs` runs. On a shared machine the CPU time is the steadier of the two times."""
    inbox = work / "in"
    inbox.mkdir(exist_ok=True)
    (inbox / "a.txt").write_bytes((ROOT / "samples" / "economy_bok_rate.txt").read_bytes())
    cfg = work / "fast.toml"
    cfg.write_text("[generation]\nnum_beams = 1\nmax_new_tokens = 32\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(checkout), "HF_HOME": str(work / "hf"), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "summarize", "brief", str(inbox), "--model", str(model), "--config", str(cfg),
           "--backend", "ct2", "--quiet"]
    # run from the work folder: `python -m` puts the current folder first on sys.path, before PYTHONPATH
    warm = subprocess.run([*cmd, "--out", str(work / "warm")], env=env, capture_output=True, text=True, cwd=work)
    if warm.returncode != 0:
        raise SystemExit(f"{checkout}: {warm.stderr.strip()[-2000:]}")
    seconds, cpu, rss = [], [], []
    for i in range(runs):
        r = subprocess.run(["/usr/bin/time", "-v", *cmd, "--out", str(work / f"out{i}")], env=env,
                           capture_output=True, text=True, cwd=work)
        if r.returncode != 0:
            raise SystemExit(r.stderr[-2000:])
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
        seconds.append(int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)))
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) / 1024)
        cpu.append(sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", r.stderr).group(1))
                       for kind in ("User", "System")))
    probe = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:], "--out", str(work / "probe")], env=env,
                           capture_output=True, text=True, cwd=work)
    torch = bool(re.search(r"\|\s+torch$", probe.stderr, re.M))
    return statistics.median(seconds), statistics.median(cpu), statistics.median(rss), torch


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--checkout", type=Path, action="append", help="a checkout to measure (repeatable)")
    args = ap.parse_args()
    from tiny_model import build_ct2_model, build_tiny_model

    with tempfile.TemporaryDirectory(prefix="summarize-startup-") as tmp:
        models = {"tiny Marian, converted for CTranslate2": build_tiny_model(Path(tmp) / "marian", [ROOT / "samples"])}
        quickmt = ROOT.parent / "shared" / "real_artifacts" / "quickmt-ko-en"
        if (quickmt / "src.spm.model").is_file():
            models["ready CTranslate2 (quickmt's layout)"] = build_ct2_model(Path(tmp) / "ct2", quickmt)
        print(f"{'checkout':<28} {'model':<40} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7}  torch")
        for checkout in args.checkout or [ROOT]:
            for name, model in models.items():
                work = Path(tempfile.mkdtemp(dir=tmp))
                wall, cpu, rss, torch = measure(checkout.resolve(), model, work, args.runs)
                print(f"{str(checkout):<28} {name:<40} {wall:>7.2f} {cpu:>7.2f} {rss:>7.0f}  {'yes' if torch else 'no'}")


if __name__ == "__main__":
    main()
