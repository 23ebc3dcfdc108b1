"""Start-up of a CTranslate2 run with a cached model: wall time and peak RSS of `summarize brief` on one sample
article, measured with /usr/bin/time -v, the median of a few runs, for each checkout given (their runs alternate).

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


def prepare(checkout: Path, model: Path, work: Path) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a run of `checkout` with `model` in `work`, after one warm-up run."""
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
    return cmd, env


def once(cmd: list[str], env: dict[str, str], work: Path, i: int) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds (user + system), peak RSS in MB) of one run."""
    r = subprocess.run(["/usr/bin/time", "-v", *cmd, "--out", str(work / f"out{i}")], env=env,
                       capture_output=True, text=True, cwd=work)
    if r.returncode != 0:
        raise SystemExit(r.stderr[-2000:])
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    assert wall is not None
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) / 1024
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", r.stderr).group(1))
              for kind in ("User", "System"))
    return seconds, cpu, rss


def imports_torch(cmd: list[str], env: dict[str, str], work: Path) -> bool:
    probe = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:], "--out", str(work / "probe")], env=env,
                           capture_output=True, text=True, cwd=work)
    return bool(re.search(r"\|\s+torch$", probe.stderr, re.M))


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
        checkouts = [c.resolve() for c in args.checkout or [ROOT]]
        for name, model in models.items():
            # the checkouts' runs alternate, so that a busy moment of the machine falls on each alike
            setups = {}
            for checkout in checkouts:
                work = Path(tempfile.mkdtemp(dir=tmp))
                setups[checkout] = (*prepare(checkout, model, work), work)
            runs: dict[Path, list[tuple[float, float, float]]] = {c: [] for c in checkouts}
            for i in range(args.runs):
                for checkout, (cmd, env, work) in setups.items():
                    runs[checkout].append(once(cmd, env, work, i))
            for checkout, (cmd, env, work) in setups.items():
                wall, cpu, rss = (statistics.median(x) for x in zip(*runs[checkout], strict=True))
                torch = imports_torch(cmd, env, work)
                print(f"{str(checkout):<28} {name:<40} {wall:>7.2f} {cpu:>7.2f} {rss:>7.0f}  {'yes' if torch else 'no'}")

if __name__ == "__main__":
    main()
