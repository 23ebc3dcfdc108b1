"""Faults of the machine end in one line and a run.json that says what failed: a full disk (injected at the
write seam, and a real one where a small tmpfs can be mounted), a read-only output folder, a model folder whose
weights are damaged."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess

import pytest
from conftest import SAMPLES, wired
from test_operations import brief, error_lines

import summarize.jobs as jobs
from summarize import state
from summarize.cli import EXIT_FAILED, EXIT_MODEL, EXIT_OUTPUT, Wiring
from summarize.workers import Workers

FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _inbox(folder, n=4):
    folder.mkdir()
    for i in range(n):
        shutil.copy(SAMPLES / "economy_bok_rate.txt", folder / f"e{i}.txt")
    return folder


def no_room_for_e1(path, text):
    if path.name.startswith("e1."):
        raise FULL
    return state.atomic_write(path, text)


def test_a_brief_that_finds_the_disk_full_fails_in_words(tmp_path, monkeypatch, fake_model):
    monkeypatch.setattr(jobs, "atomic_write", no_room_for_e1)
    out = tmp_path / "out"
    r = brief(_inbox(tmp_path / "in"), "--out", out, obj=wired(fake_model, pool=lambda n: Workers(0)))
    assert r.exit_code == EXIT_FAILED
    assert "failed: e1.txt: cannot write its brief: No space left on device" in r.stderr.splitlines()
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert data["totals"] == {"written": 3, "unchanged": 0, "rejected": 0, "failed": 1}
    assert not list(out.glob(".*.tmp"))  # no half-written file left taking room


def test_a_state_that_finds_the_disk_full_stops_the_run_in_one_line(tmp_path, monkeypatch, fake_model):
    real = state.Articles.mark
    calls = []

    def mark(self, rel, key, status):
        calls.append(rel)
        if len(calls) > 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, rel, key, status)

    monkeypatch.setattr(state.Articles, "mark", mark)
    out = tmp_path / "out"
    r = brief(_inbox(tmp_path / "in"), "--out", out, obj=wired(fake_model, pool=lambda n: Workers(0)))
    assert r.exit_code == EXIT_OUTPUT
    assert error_lines(r.stderr)[-1] == f"error: cannot write to the output folder {out.resolve()}: database or disk " \
                                        "is full"
    assert "Traceback" not in r.output + r.stderr
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert data["error"] == f"cannot write to the output folder {out.resolve()}: database or disk is full"
    assert data["totals"]["written"] == 2


def _small_disk(path) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


@pytest.mark.slow
def test_a_real_full_disk_ends_in_one_line_and_a_run_json(tmp_path, fake_model):
    disk = tmp_path / "disk"
    if not _small_disk(disk):
        pytest.skip("cannot mount a small tmpfs here (not root, or no mount)")
    try:
        out = disk / "out"
        r = brief(_inbox(tmp_path / "in", 40), "--out", out, obj=wired(fake_model))
        assert r.exit_code in (EXIT_FAILED, EXIT_OUTPUT), r.stderr
        lines = error_lines(r.stderr)
        assert "Traceback" not in r.stderr
        assert any("No space left on device" in line or "disk is full" in line for line in lines), lines
        data = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert data["error"] or data["totals"]["failed"], data["totals"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_model_with_damaged_weights_is_a_model_that_cannot_load(tmp_path, tiny_model_dir):
    damaged = tmp_path / "damaged"
    shutil.copytree(tiny_model_dir, damaged)
    weights = damaged / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:3000])  # cut short, as a copy that ran out of room leaves it
    out = tmp_path / "out"
    r = brief(_inbox(tmp_path / "in", 1), "--out", out, "--model", damaged, "--backend", "transformers",
              obj=Wiring())
    assert r.exit_code == EXIT_MODEL
    [line] = error_lines(r.stderr)
    assert line.startswith(f"error: the model {damaged} cannot be loaded: its files are damaged or incomplete "
                           "(SafetensorError")
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert data["model_error"].startswith(f"the model {damaged} cannot be loaded")
    assert data["totals"]["failed"] == 0
