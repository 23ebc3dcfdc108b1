"""Where the work around the model runs: a pool of worker processes, or one background thread.

The run hands preparation (reading → summary chosen) and writing (brief composed, rendered,
written) to `Workers` and keeps its own thread for the model, so that a fast model is never
kept waiting by the text stages.

The tasks run in worker processes even on a small machine (two of them below six cores), so that an
article that crashes native code or hangs costs only itself. `time_limit` bounds each article there: past its
seconds, a signal interrupts the Python code (regular expressions included) with TimeLimit; native code that
does not give the interpreter back within GRACE more seconds ends its process, which leaves a marker so
that the article fails for its time limit when its task runs again, and the pool restarts the others.

On a machine with many cores the tasks run in processes forked from a `forkserver` that has
imported the stages and warmed Kiwi once (about a second), so a worker is ready at once and
shares Kiwi's model with the others instead of loading its own. If the processes cannot start
at all, the tasks run in a thread; if a worker dies under a task (a crash in native code on a
strange input), a fresh pool takes the new tasks and each unfinished one runs again in a
process of its own, so that only the task that kills its process again fails (`WorkerDied`).

`Pool` is what a run needs of where its work goes (`run(..., pool=...)`): another executor (a cluster's)
implements the same few methods.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol

from .errors import TimeLimit
from .host import cpu_count

__all__ = ["Workers", "Task", "WorkerDied", "default_processes", "Pool", "PoolFactory", "time_limit", "GRACE",
           "SMALL_POOL"]

log = logging.getLogger(__name__)


class WorkerDied(RuntimeError):
    """The worker process running a task died, and died again when it ran alone."""


class Task(Protocol):
    """One submitted call."""

    def done(self) -> bool: ...

    def result(self) -> Any:
        """Its result, waiting for it; WorkerDied where the worker running it died, and died again alone."""


class Pool(Protocol):
    """Where a run's work around the model goes (`Workers` here; another executor implements the same)."""

    mode: Literal["processes", "thread"]  # processes: arguments and results are pickled
    processes: int

    def submit(self, fn: Callable[..., Any], *args: Any) -> Task: ...

    def __enter__(self) -> Pool: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None: ...


# What a run calls to get its pool, with the worker processes it may start (0: one thread)
PoolFactory = Callable[[int], Pool]


# Worker processes below six cores: few, but more than one, so that an article that takes long does not
# hold up the others
SMALL_POOL = 2
# Seconds that native code gets to give the interpreter back after an article's time limit, before its process ends
GRACE = 10.0


def default_processes(asked: int, tasks: int) -> int:
    """Worker processes for `tasks` tasks: `asked` (-1: cores - 2 on 6+ cores, else SMALL_POOL), no more than one
    for every 4 tasks but at least one; 0 (asked, or no task) means one thread, where nothing is isolated."""
    n = asked
    if n < 0:
        cores = cpu_count()
        n = min(cores - 2, 16) if cores >= 6 else SMALL_POOL
    if n == 0 or tasks == 0:
        return 0
    return max(1, min(n, tasks // 4))


@contextlib.contextmanager
def time_limit(seconds: float, marker: Path | None = None, what: str = "preparing the article") -> Iterator[None]:
    """Run the body for at most `seconds`: then TimeLimit is raised in it (SIGALRM), wherever Python code (or a
    regular expression) stands. Only in a process's main thread (a worker process's); elsewhere the body runs
    unbounded. With a `marker`, native code that keeps the interpreter past GRACE more seconds ends the process
    (a watchdog thread; SIGPROF where the code holds the interpreter lock and burns the processor) after the
    watchdog writes `marker`: the run's pool restarts, and the task that runs the article again finds it."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    message = f"time limit: {what} took over {seconds:g} s (time_limit)"

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeLimit(message)

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)  # again each second, should a handler swallow it
    dog: threading.Timer | None = None
    if marker is not None:
        def bite() -> None:
            try:
                marker.write_text(message, encoding="utf-8")
            finally:
                os._exit(70)

        dog = threading.Timer(seconds + GRACE, bite)
        dog.daemon = True
        dog.start()
        signal.setitimer(signal.ITIMER_PROF, seconds + 2 * GRACE)  # its default action ends the process
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if dog is not None:
            signal.setitimer(signal.ITIMER_PROF, 0)
            dog.cancel()


def _context() -> BaseContext:
    """forkserver where there is one (its server warms the stages once), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["summarize._warm"])
        return ctx
    return multiprocessing.get_context("spawn")


def _watch(parent: int) -> None:
    """In a worker: exit once the process that started the pool is gone. Killed outright (SIGKILL, the
    OOM killer, a cron timeout), it cannot stop its workers, and they would wait for work forever."""

    def loop() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # a process of another user took the id: ours is gone
                os._exit(1)

    threading.Thread(target=loop, name="summarize-watch", daemon=True).start()


class _Task:
    """One submitted call; `result()` waits for it, re-running it alone if its pool died under it."""

    def __init__(self, workers: Workers, fn: Callable[..., Any], args: tuple[Any, ...]):
        self.workers, self.fn, self.args = workers, fn, args
        self.generation = -1
        self.isolated = False
        self.future: Future[Any] = Future()
        workers._start(self)

    def done(self) -> bool:
        return self.future.done()

    def result(self) -> Any:
        while True:
            try:
                return self.future.result()
            except BrokenProcessPool:
                if self.isolated:  # it died alone: it was the cause
                    raise WorkerDied("a worker process died while handling it, twice") from None
                self.workers._broken(self.generation)  # gives this task a new future


class Workers:
    """`processes` worker processes, or (0) one thread. Use as a context manager."""

    def __init__(self, processes: int, make_pool: Callable[[int], Executor] | None = None):
        self.processes = processes
        self._make_pool = make_pool or (lambda n: ProcessPoolExecutor(
            n, mp_context=_context(), initializer=_watch, initargs=(os.getpid(),)))
        self._lock = threading.RLock()
        self._live: set[_Task] = set()  # started, and not yet come back (or come back broken)
        self._worked = False  # a task came back from a worker process: processes work here
        self.generation = 0
        self.mode: Literal["processes", "thread"] = "thread"
        self.executor: Executor = ThreadPoolExecutor(1)
        if processes:
            try:
                self.executor, self.mode = self._make_pool(processes), "processes"
            except OSError as e:  # no semaphores or no fork in this sandbox
                log.warning("cannot start worker processes (%s); preparing articles in a thread", e)

    def submit(self, fn: Callable[..., Any], *args: Any) -> _Task:
        return _Task(self, fn, args)

    def _start(self, task: _Task, isolated: bool = False) -> None:
        with self._lock:
            task.generation = self.generation
            task.isolated = isolated
            try:
                if isolated:  # a process of its own: if it dies again, it dies alone
                    own = self._make_pool(1)
                    task.future = own.submit(task.fn, *task.args)
                    task.future.add_done_callback(lambda _f: own.shutdown(wait=False))
                else:
                    task.future = self.executor.submit(task.fn, *task.args)
            except BrokenProcessPool as e:
                task.future = Future()
                task.future.set_exception(e)
            self._live.add(task)
            task.future.add_done_callback(functools.partial(self._came_back, task))

    def _came_back(self, task: _Task, future: Future[Any]) -> None:
        if future.cancelled() or isinstance(future.exception(), BrokenProcessPool):
            return  # stays live: _broken restarts it
        with self._lock:
            if task.future is future:
                self._live.discard(task)
                self._worked = self._worked or self.mode == "processes"

    def _broken(self, generation: int) -> None:
        """The pool of `generation` died: replace it (once) and restart every task it had not finished."""
        with self._lock:
            if generation != self.generation:
                return  # replaced already; the task has its new future
            old = self.executor
            if not self._worked and not self._processes_work():
                # worker processes cannot work here, but a thread can
                log.warning("worker processes failed; preparing articles in a thread")
                self.executor, self.mode = ThreadPoolExecutor(1), "thread"
            else:
                log.warning("a worker process died; starting a new pool")
                self.executor = self._make_pool(self.processes)
            self.generation += 1
            old.shutdown(wait=False, cancel_futures=True)
            for t in [t for t in self._live if not t.isolated]:
                self._live.discard(t)
                # which of the unfinished tasks killed the pool is unknown: each runs again alone
                self._start(t, isolated=self.mode == "processes")

    def _processes_work(self) -> bool:
        """Whether a worker process can start and answer at all. Nothing came back before the pool died:
        either processes cannot work here, or the first tasks included one that kills its worker, which
        must not then run in this process."""
        pool = self._make_pool(1)
        try:
            pool.submit(os.getpid).result(timeout=120)
            self._worked = True
            return True
        except Exception:
            return False
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
