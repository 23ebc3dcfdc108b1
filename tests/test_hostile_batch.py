"""Hostile inputs in a batch: no article can stall, crash or abort the run. Each article has a time limit
before translation, preparation runs in worker processes whatever the core count, and a symbolic link that
leads out of the input folder is not followed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from concurrent.futures import ProcessPoolExecutor

import pytest
from conftest import SAMPLES, FakeTranslator
from test_operations import brief, error_lines

import summarize.workers as workers
from summarize import BriefOptions, prepare, run
from summarize.article import warm
from summarize.jobs import OUTSIDE, Steps
from summarize.workers import Workers, default_processes

GOOD = "economy_bok_rate.txt"


def _inbox(folder, n):
    folder.mkdir()
    for i in range(n):
        shutil.copy(SAMPLES / GOOD, folder / f"e{i}.txt")
    return folder


def forked(n: int) -> Workers:
    """Worker processes forked from this one: they know this module's functions and its patched GRACE."""
    import multiprocessing

    return Workers(n, make_pool=lambda n: ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")))


def python_loop_on_e3(path, root, options):
    """e3 never ends in Python code (a pattern that backtracks, a quadratic loop)."""
    if path.name == "e3.txt":
        while True:
            sum(range(1000))
    return prepare(path, root, options)


def native_hang_on_e3(path, root, options):
    """e3 hangs where no signal reaches the interpreter (native code that does not return)."""
    if path.name == "e3.txt":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    return prepare(path, root, options)


def crash_on_e3(path, root, options):
    if path.name == "e3.txt":
        os._exit(11)  # a segfault in native code, as far as the run can tell
    return prepare(path, root, options)


def _statuses(report) -> dict[str, tuple]:
    return {e.path: (e.status, e.reason) for e in report.entries}


# (case, the step, the reason e3 fails with)
STALLS = [
    ("python code past the limit", python_loop_on_e3, "time limit: preparing the article took over 3 s (time_limit)"),
    ("native code past the limit", native_hang_on_e3, "time limit: preparing the article took over 3 s (time_limit)"),
]


@pytest.mark.slow
@pytest.mark.parametrize("case,step,reason", STALLS, ids=[s[0] for s in STALLS])
def test_an_article_past_its_time_limit_fails_and_the_batch_goes_on(tmp_path, monkeypatch, case, step, reason):
    monkeypatch.setattr(workers, "GRACE", 1.0)  # the forked workers inherit it
    warm()  # and Kiwi, loaded: the first article of each worker is no slower than the others
    _inbox(tmp_path / "in", 8)
    t0 = time.perf_counter()
    report = run(tmp_path / "in", tmp_path / "out", BriefOptions(workers=2, time_limit=3),
                 translator_factory=lambda spec, options: FakeTranslator(), steps=Steps(prepare=step), pool=forked)
    took = time.perf_counter() - t0
    status = _statuses(report)
    assert status.pop("e3.txt") == ("failed", reason)
    assert set(status.values()) == {("written", None)} and len(status) == 7
    assert took < 40  # the limit, the grace, a pool restarted: not the hour e3 asked for
    totals = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["totals"]
    assert totals["failed"] == 1 and totals["written"] == 7


@pytest.mark.slow
def test_a_native_crash_costs_only_its_article_on_two_cores(tmp_path, monkeypatch):
    """The default pool on a 2-core machine is worker processes: a crash does not take the run with it."""
    monkeypatch.setattr(workers, "cpu_count", lambda: 2)
    assert default_processes(-1, 8) == 2
    _inbox(tmp_path / "in", 8)
    report = run(tmp_path / "in", tmp_path / "out", BriefOptions(),
                 translator_factory=lambda spec, options: FakeTranslator(), steps=Steps(prepare=crash_on_e3))
    status = _statuses(report)
    assert status.pop("e3.txt") == ("failed", "WorkerDied: a worker process died while handling it, twice")
    assert set(status.values()) == {("written", None)} and len(status) == 7


# (cores, articles) -> worker processes by default
DEFAULT_POOLS = [((2, 100), 2), ((4, 100), 2), ((2, 1), 1), ((2, 5), 1), ((8, 100), 6), ((32, 1000), 16), ((2, 0), 0)]


@pytest.mark.parametrize("given,expected", DEFAULT_POOLS)
def test_the_default_pool_is_processes_whatever_the_cores(monkeypatch, given, expected):
    cores, tasks = given
    monkeypatch.setattr(workers, "cpu_count", lambda: cores)
    assert default_processes(-1, tasks) == expected
    assert default_processes(0, tasks) == 0  # asked for a thread


HASHTAGS = "#정치" * 40 + " 끝"


def _hostile_inbox(folder, big_mb: float) -> None:
    _inbox(folder, 6)
    text = (SAMPLES / GOOD).read_text(encoding="utf-8")
    (folder / "tags.txt").write_text(text.replace("\n\n", f"\n\n{HASHTAGS}\n\n", 1), encoding="utf-8")
    lead = "정부는 올해 경제성장률 전망치를 2.5%로 올렸다고 밝혔다. "
    body = lead * int(big_mb * 1e6 / len(lead.encode()))
    (folder / "big.txt").write_text("한 문단짜리 긴 기사\n\n" + body + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_huge_paragraph_and_a_hashtag_line_do_not_hold_up_the_good_articles(tmp_path):
    _hostile_inbox(tmp_path / "in", 4.9)
    assert (tmp_path / "in" / "big.txt").stat().st_size < 5_000_000
    written_at: dict[str, float] = {}
    t0 = time.perf_counter()
    report = run(tmp_path / "in", tmp_path / "out", BriefOptions(batch_size=4),
                 translator_factory=lambda spec, options: FakeTranslator(),
                 on_entry=lambda e: written_at.setdefault(e.path, time.perf_counter() - t0))
    status = _statuses(report)
    assert set(status.values()) == {("written", None)} and len(status) == 8  # the hashtag article too
    [big] = [e for e in report.entries if e.path == "big.txt"]
    assert big.warnings == ("the body is 2,135,879 characters long: summarised from its first 49,979",)
    good = [written_at[f"e{i}.txt"] for i in range(6)]
    assert max(good) < written_at["big.txt"], written_at  # promptly: not behind the big one


def test_a_symlink_out_of_the_input_folder_is_skipped_with_its_reason(tmp_path):
    inbox = _inbox(tmp_path / "in", 2)
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    shutil.copy(SAMPLES / GOOD, secret)
    (inbox / "link.txt").symlink_to(secret)
    (inbox / "inside.txt").symlink_to(inbox / "e0.txt")  # a link that stays inside is read
    report = run(inbox, tmp_path / "out", BriefOptions(workers=0),
                 translator_factory=lambda spec, options: FakeTranslator())
    status = _statuses(report)
    assert status.pop("link.txt") == ("rejected", OUTSIDE)
    assert set(status.values()) == {("written", None)} and len(status) == 3
    data = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert data["totals"]["rejected"] == 1
    assert not (tmp_path / "out" / "link.md").exists()


def test_the_time_limit_is_a_setting_checked_like_the_others(tmp_path):
    _inbox(tmp_path / "in", 1)
    result = brief(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--time-limit", "0")
    assert result.exit_code == 2
    assert error_lines(result.output) == ["error: --time-limit must be between 1 and 86400, not 0"]
    result = brief(str(tmp_path / "in"), "--out", str(tmp_path / "out"), env={"SUMMARIZE_TIME_LIMIT": "soon"})
    assert error_lines(result.output) == ["error: SUMMARIZE_TIME_LIMIT must be a number, not 'soon'"]
