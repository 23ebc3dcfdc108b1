"""Where the text stages run: worker processes (forked from a warmed server) or a thread, and how
the run keeps the model busy while they work."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pytest
from conftest import SAMPLES, FakeTranslator

import summarize.jobs as jobs
from summarize import BriefOptions, prepare, run
from summarize.jobs import Spooled, Steps
from summarize.state import STATE_DIR
from summarize.workers import WorkerDied, Workers, default_processes


def double(x: int) -> int:
    return 2 * x


def die_on_three(x: int) -> int:
    if x == 3:
        os._exit(7)  # what a crash in native code looks like from outside
    return x


@pytest.mark.slow
def test_tasks_run_in_processes_and_come_back_in_order():
    with Workers(2) as w:
        tasks = [w.submit(double, i) for i in range(20)]
        assert [t.result() for t in tasks] == [2 * i for i in range(20)]
        assert w.mode == "processes"
        assert w.submit(os.getpid).result() != os.getpid()


@pytest.mark.slow
def test_processes_that_cannot_start_leave_the_work_to_a_thread(caplog):
    dead = lambda n: ProcessPoolExecutor(n, initializer=os._exit, initargs=(3,))  # noqa: E731
    with caplog.at_level(logging.WARNING), Workers(2, make_pool=dead) as w:
        tasks = [w.submit(double, i) for i in range(6)]
        assert [t.result() for t in tasks] == [0, 2, 4, 6, 8, 10]
        assert w.mode == "thread" and w.submit(os.getpid).result() == os.getpid()
    assert "in a thread" in caplog.text


def results_or_died(tasks) -> list:
    out = []
    for t in tasks:
        try:
            out.append(t.result())
        except WorkerDied:
            out.append("died")
    return out


@pytest.mark.slow
def test_a_task_that_kills_its_worker_fails_alone():
    with Workers(2) as w:
        assert w.submit(double, 1).result() == 2  # the pool works here
        assert results_or_died([w.submit(die_on_three, i) for i in range(8)]) == [0, 1, 2, "died", 4, 5, 6, 7]
        assert w.mode == "processes" and w.submit(double, 5).result() == 10  # a fresh pool took over


@pytest.mark.slow
def test_a_task_that_kills_its_worker_before_any_came_back_still_fails_alone_in_processes():
    with Workers(2) as w:
        tasks = [w.submit(die_on_three, i) for i in (3, 1, 2, 4)]  # the first to finish breaks the pool
        assert results_or_died(tasks) == ["died", 1, 2, 4]  # not re-run in this process, which it would kill
        assert w.mode == "processes"


def test_default_processes():
    assert default_processes(0, 100) == 0
    assert default_processes(3, 100) == 3
    assert default_processes(3, 5) == 1  # few articles: one process, which still isolates a crash
    cores = len(os.sched_getaffinity(0))
    assert default_processes(-1, 1000) == (min(cores - 2, 16) if cores >= 6 else 2)


@pytest.mark.slow
def test_kiwi_works_in_a_process_forked_after_loading_it():
    """The workers are forked from a server that has loaded Kiwi: Kiwi must not hold threads across a fork."""
    from summarize.stages.segmenting import segment

    before = [s.ko for s in segment(["첫 문장이다. 둘째 문장이다."])]
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit code
        signal.alarm(20)
        try:
            ok = [s.ko for s in segment(["첫 문장이다. 둘째 문장이다."])] == before
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert before == ["첫 문장이다.", "둘째 문장이다."]
    assert os.waitstatus_to_exitcode(status) == 0


def _articles(folder, n):
    folder.mkdir()
    for i in range(n):
        shutil.copy(SAMPLES / "economy_bok_rate.txt", folder / f"e{i}.txt")


def test_the_model_starts_on_the_first_articles_while_the_rest_are_prepared(tmp_path):
    _articles(tmp_path / "in", 8)
    prepared = []

    def slow_after_two(path, root, options):
        if len(prepared) >= 2:
            time.sleep(0.3)
        out = prepare(path, root, options)
        prepared.append(path.name)
        return out

    fake = FakeTranslator()
    seen_at_first_call = []
    real_translate = fake.translate_batch

    def translate(texts):
        if not seen_at_first_call:
            seen_at_first_call.append(len(prepared))
        return real_translate(texts)

    fake.translate_batch = translate
    report = run(tmp_path / "in", tmp_path / "out", BriefOptions(workers=0, batch_size=4),
                 translator_factory=lambda spec, options: fake, steps=Steps(prepare=slow_after_two))
    assert [e.status for e in report.entries] == ["written"] * 8
    assert seen_at_first_call and seen_at_first_call[0] < 8  # translating began before preparing ended
    assert len(fake.calls) > 2


def test_writing_happens_off_the_model_thread(tmp_path):
    _articles(tmp_path / "in", 3)
    writers = set()

    def spy(w):
        writers.add(threading.get_ident())
        return jobs.write_brief(w)

    report = run(tmp_path / "in", tmp_path / "out", BriefOptions(workers=0),
                 translator_factory=lambda spec, options: FakeTranslator(), steps=Steps(write=spy))
    assert report.ok and sorted(p.name for p in (tmp_path / "out").glob("e*.md")) == ["e0.md", "e1.md", "e2.md"]
    assert writers and threading.get_ident() not in writers


@pytest.mark.slow
def test_a_run_whose_worker_processes_fail_still_writes_every_brief(tmp_path, caplog):
    _articles(tmp_path / "in", 8)
    dead = lambda n: ProcessPoolExecutor(n, initializer=os._exit, initargs=(3,))  # noqa: E731
    with caplog.at_level(logging.WARNING):
        report = run(tmp_path / "in", tmp_path / "out", BriefOptions(workers=2),
                     translator_factory=lambda spec, options: FakeTranslator(),
                     pool=lambda n: Workers(n, make_pool=dead))
    assert [e.status for e in report.entries] == ["written"] * 8
    assert "in a thread" in caplog.text


@pytest.mark.slow
def test_processes_and_thread_write_the_same_briefs(tmp_path):
    _articles(tmp_path / "in", 8)
    for workers in (0, 2):
        report = run(tmp_path / "in", tmp_path / f"out{workers}", BriefOptions(workers=workers),
                     translator_factory=lambda spec, options: FakeTranslator())
        assert [e.status for e in report.entries] == ["written"] * 8
    for i in range(8):
        thread = (tmp_path / "out0" / f"e{i}.md").read_text(encoding="utf-8")
        assert (tmp_path / "out2" / f"e{i}.md").read_text(encoding="utf-8") == thread
        assert "3.50%" in thread


@pytest.mark.slow
def test_workers_exit_when_the_run_is_killed_outright():
    import subprocess
    import sys

    script = ("import os, time\nfrom summarize.workers import Workers\nw = Workers(2)\n"
              "print(*{w.submit(os.getpid).result() for _ in range(6)}, flush=True)\ntime.sleep(120)\n")
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}  # its resource tracker would warn of the semaphores left
    run_ = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=quiet)
    pids = [int(p) for p in run_.stdout.readline().split()]
    assert pids and run_.pid not in pids
    run_.kill()  # SIGKILL: no chance to shut its pool down
    run_.wait()
    deadline = time.time() + 15
    alive = pids
    while alive and time.time() < deadline:
        time.sleep(0.2)
        alive = [p for p in pids if _running(p)]
    assert alive == []


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def crash_on_e3(path, root, options):
    if path.name == "e3.txt":
        os._exit(9)  # a crash in native code, as far as the run can tell
    return prepare(path, root, options)


def forked(n: int) -> Workers:
    """Worker processes forked from this one (which know the test module's functions), not a forkserver's."""
    import multiprocessing

    return Workers(n, make_pool=lambda n: ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")))


def run_in_forked_workers(tmp_path, steps: Steps, pool=forked) -> dict[str, tuple]:
    """(status, reason) of 8 articles run with `steps` through worker processes forked from this one."""
    _articles(tmp_path / "in", 8)
    report = run(tmp_path / "in", tmp_path / "out", BriefOptions(workers=2),
                 translator_factory=lambda spec, options: FakeTranslator(), steps=steps, pool=pool)
    return {e.path: (e.status, e.reason) for e in report.entries}


@pytest.mark.slow
def test_an_article_that_kills_its_worker_fails_alone(tmp_path):
    status = run_in_forked_workers(tmp_path, Steps(prepare=crash_on_e3))
    assert status.pop("e3.txt") == ("failed", "WorkerDied: a worker process died while handling it, twice")
    assert set(status.values()) == {("written", None)} and len(status) == 7


@pytest.mark.slow
def test_in_worker_processes_an_article_reaches_the_model_thread_as_its_units_only(tmp_path):
    _articles(tmp_path / "in", 8)
    seen = []

    def spy(chunk, *rest):
        seen.extend(type(r.article) for r in chunk)
        return jobs.translate_chunk(chunk, *rest)

    report = run(tmp_path / "in", tmp_path / "out", BriefOptions(workers=2),
                 translator_factory=lambda spec, options: FakeTranslator(), steps=Steps(translate=spy))
    assert [e.status for e in report.entries] == ["written"] * 8
    assert seen == [Spooled] * 8  # the rest of each article stayed with the workers
    assert not (tmp_path / "out" / STATE_DIR / "spool").exists()  # and is gone once written
    assert "3.50%" in (tmp_path / "out" / "e5.md").read_text(encoding="utf-8")


def fail_to_write_e2(w):
    if w.name == "e2":
        raise ValueError("cannot render e2")
    return jobs.write_brief(w)


@pytest.mark.slow
def test_articles_share_worker_tasks_but_fail_alone(tmp_path):
    calls_per_task = []

    class Counting(Workers):
        def submit(self, fn, *args):
            if fn is jobs.run_calls:
                calls_per_task.append(len(args[1]))
            return super().submit(fn, *args)

    def counting(n):
        import multiprocessing

        return Counting(n, make_pool=lambda n: ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")))

    status = run_in_forked_workers(tmp_path, Steps(write=fail_to_write_e2), pool=counting)
    assert status.pop("e2.txt") == ("failed", "ValueError: cannot render e2")
    assert set(status.values()) == {("written", None)} and len(status) == 7
    # a chunk that the run takes early (nothing came back for a while) is written in smaller tasks
    assert 1 < max(calls_per_task) <= jobs.PER_TASK and len(calls_per_task) < 16  # 8 to prepare, 8 to write


@pytest.mark.slow
def test_a_run_whose_writer_dies_splits_its_task_and_fails_only_the_article(tmp_path):
    status = run_in_forked_workers(tmp_path, Steps(write=crash_writing_e6))
    assert status.pop("e6.txt") == ("failed", "WorkerDied: a worker process died while handling it, twice")
    assert set(status.values()) == {("written", None)} and len(status) == 7
    assert sorted(p.name for p in (tmp_path / "out").glob("e*.md")) == [f"e{i}.md" for i in range(8) if i != 6]


def crash_writing_e6(w):
    if w.name == "e6":
        os._exit(9)
    return jobs.write_brief(w)
