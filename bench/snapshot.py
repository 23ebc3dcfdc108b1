"""Snapshot: every output of the job on samples/, to compare two versions of the code byte for byte.

Runs the brief job on samples/ with
  - fake:         the scripted fake translator of tests/conftest.py (FakeTranslator, default_english),
  - fake-workers: the same in two worker processes,
  - tiny-hf:      the tiny random model of tests/tiny_model.py through the transformers backend,
  - tiny-ct2:     the same model through CTranslate2 (int8 on the CPU),
each twice (the second run finds every article unchanged), and writes every brief (.md, .json), run.json
and the digest (.md, .json) of both runs, and `summarize explain` of every sample, into OUT_DIR. What
changes from run to run (times, dates, the temporary folders) is masked in run.json and the digest.

    python bench/snapshot.py OUT_DIR [--tiny-model DIR] [--only fake tiny-hf ...]
    diff -r BEFORE_DIR AFTER_DIR

The tiny model is built once into --tiny-model (default /tmp/summarize-tiny-model) and reused, so that
two snapshots translate with the very same weights and model path. The tiny model translates one
sentence per batch: which sentences share a batch depends on timing (a chunk takes what is ready), and a
random model's near ties (int8 on CTranslate2 above all) can go either way with the padding.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
SAMPLES = ROOT / "samples"
VARIANTS = ("fake", "fake-workers", "tiny-hf", "tiny-ct2")


def _mask_run(data: dict) -> dict:
    data = dict(data, started="<started>", duration_s=0, input="<input>", out="<out>")
    if data.get("model") and "load_s" in data["model"]:
        data["model"] = dict(data["model"], load_s=0)
    data["articles"] = [dict(a, timings={k: 0 for k in a["timings"]}) for a in data["articles"]]
    return data


def _mask_digest_md(text: str, date: str) -> str:
    return text.replace(date, "<date>") if date else text


def _copy_outputs(out: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for p in sorted(out.iterdir()):
        if not p.is_file() or p.name.startswith("."):
            continue
        if p.name == "run.json":
            data = _mask_run(json.loads(p.read_text(encoding="utf-8")))
            (dest / p.name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        elif p.name == "digest.json":
            data = json.loads(p.read_text(encoding="utf-8"))
            data.update(date="<date>", started="<started>")
            (dest / p.name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        elif p.name == "digest.md":
            date = json.loads((out / "digest.json").read_text(encoding="utf-8"))["date"]
            (dest / p.name).write_text(_mask_digest_md(p.read_text(encoding="utf-8"), date), encoding="utf-8")
        else:
            shutil.copyfile(p, dest / p.name)


def _variant(name: str, tiny: Path, work: Path):
    from summarize import BriefOptions, GenerationOptions

    greedy = GenerationOptions(num_beams=1, max_new_tokens=24)
    if name.startswith("fake"):
        from conftest import FakeTranslator

        options = BriefOptions(workers=2 if name == "fake-workers" else 0)
        return options, (lambda spec, opts: FakeTranslator())
    backend = {"tiny-hf": "transformers", "tiny-ct2": "ct2"}[name]
    options = BriefOptions(model=str(tiny), backend=backend, device="cpu", threads=1, batch_size=1, workers=0,
                           generation=greedy)
    return options, None


def snapshot(dest: Path, tiny: Path, only: tuple[str, ...]) -> None:
    from click.testing import CliRunner

    from summarize import run
    from summarize.cli import main

    work = Path(tempfile.mkdtemp(prefix="summarize-snapshot-"))
    try:
        for name in only:
            options, factory = _variant(name, tiny, work)
            out = work / name
            for n in (1, 2):
                report = run(SAMPLES, out, options, translator_factory=factory)
                print(f"{name} run {n}: {report.summary_line()}", file=sys.stderr)
                _copy_outputs(out, dest / name / f"run{n}")
        explained = dest / "explain"
        explained.mkdir()
        for p in sorted(SAMPLES.iterdir()):
            if p.suffix in (".txt", ".md", ".html"):
                r = CliRunner().invoke(main, ["explain", str(p), "--full"])
                (explained / f"{p.name}.txt").write_text(f"exit {r.exit_code}\n{r.output}", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder to write the snapshot to (must not exist)")
    ap.add_argument("--tiny-model", type=Path, default=Path("/tmp/summarize-tiny-model"))
    ap.add_argument("--only", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    args = ap.parse_args()
    if args.out.exists():
        raise SystemExit(f"{args.out} exists")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HOME", str(Path(tempfile.gettempdir()) / "summarize-snapshot-hf"))
    if not (args.tiny_model / "config.json").exists():
        from tiny_model import build_tiny_model

        build_tiny_model(args.tiny_model, [SAMPLES])
    snapshot(args.out, args.tiny_model.resolve(), tuple(args.only))


if __name__ == "__main__":
    main()
