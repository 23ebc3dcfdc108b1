"""End to end through the real Hugging Face loading and generation path, with a tiny random Marian model
built by the tests (sentencepiece vocabulary trained on the samples, saved to a temp folder)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from summarize import BriefOptions, GenerationOptions, run
from summarize.cli import main
from summarize.stages.figures import check_english, extract_figures
from summarize.translate.base import resolve_model
from summarize.translate.loading import load_translator

pytestmark = pytest.mark.slow


def test_cli_with_the_tiny_model(tiny_model_dir, fast_config, tmp_path):
    out = tmp_path / "briefs"
    r = CliRunner().invoke(main, ["brief", str(SAMPLES), "--out", str(out), "--model", str(tiny_model_dir),
                                  "--config", str(fast_config)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    gold = json.loads((SAMPLES / "gold.json").read_text(encoding="utf-8"))
    assert f"{len(gold)} briefed, 0 unchanged, 0 rejected, 0 failed" in r.output
    for name in gold:
        stem = Path(name).stem
        data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        md = (out / f"{stem}.md").read_text(encoding="utf-8")
        assert data["model"]["id"] == str(tiny_model_dir) and data["model"]["settings"]["num_beams"] == 1
        assert str(tiny_model_dir) in md and data["title"]["ko"] in md
        for item in data["summary"]:
            figs = extract_figures(item["ko"], item["id"])
            assert check_english(item["ko"], figs, item["en"])[0] == []  # every figure, restored if need be
            _, invented = check_english(item["ko"], figs, item["en"].split(" [")[0])
            assert not invented or "unverified-number" in item["flags"]
            assert item["ko"] in md


@pytest.mark.parametrize("backend", ["transformers", "ct2"])
def test_loading_path_and_translation_cache(tiny_model_dir, tmp_path, backend):
    options = BriefOptions(model=str(tiny_model_dir), backend=backend,
                           generation=GenerationOptions(num_beams=1, max_new_tokens=8))
    spec = resolve_model(options.model)
    assert spec.local
    calls = []

    def counting(spec, options):
        tr = load_translator(spec, options)  # the real HF implementation
        real = tr.translate_batch
        tr.translate_batch = lambda texts: calls.append(len(texts)) or real(texts)
        return tr

    one = tmp_path / "in"
    one.mkdir()
    shutil.copy(SAMPLES / "economy_bok_rate.txt", one)
    report = run(one, tmp_path / "out", options, translator_factory=counting)
    assert report.ok and report.model["backend"] == backend and calls
    n = len(calls)
    report = run(one, tmp_path / "out", options, force=True, translator_factory=counting)
    assert report.counts()["written"] == 1 and len(calls) == n  # --force re-renders, the cache translates nothing


@pytest.mark.parametrize("backend", ["transformers", "ct2"])
def test_translator_batches_and_keeps_order(tiny_model_dir, backend):
    options = BriefOptions(backend=backend, compute_type="float32",
                           generation=GenerationOptions(num_beams=1, max_new_tokens=6))
    tr = load_translator(resolve_model(str(tiny_model_dir)), options)
    texts = ["짧다.", "조금 더 긴 문장이다.", "가장 길고 긴 문장이 여기에 하나 있다.", "짧다."]
    together = tr.translate_batch(texts)
    alone = [tr.translate_batch([t])[0] for t in texts]
    assert together == alone and together[0] == together[3]
    assert tr.count_tokens(texts)[2] > tr.count_tokens(texts)[0]


def test_killed_run_leaves_no_half_written_brief(tiny_model_dir, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(20):  # more than one chunk of 64 articles
        for p in SAMPLES.glob("*.txt"):
            shutil.copy(p, inbox / f"{i:02d}_{p.name}")
    out = tmp_path / "out"
    cfg = tmp_path / "slow.toml"
    cfg.write_text("batch_size = 4\n\n[generation]\nnum_beams = 2\nmax_new_tokens = 48\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "summarize", "brief", str(inbox), "--out", str(out), "--model", str(tiny_model_dir),
           "--config", str(cfg), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and not list(out.glob("*.md")):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = [p for p in out.glob("*.md") if p.name != "digest.md"]
    assert written, "the run should have written something before it was killed"
    total = len(list(inbox.iterdir()))
    assert len(written) < total, "killed too late to test anything"
    for md in written:  # whatever exists is whole
        assert md.read_text(encoding="utf-8").rstrip().endswith("</sub>")
        json.loads(md.with_suffix(".json").read_text(encoding="utf-8"))
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert len([p for p in out.glob("*.md") if p.name != "digest.md"]) == total and not list(out.glob(".*.tmp"))
    runinfo = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert runinfo["totals"]["failed"] == 0 and runinfo["totals"]["written"] + runinfo["totals"]["unchanged"] == total
