"""Where the work around the model runs: a pool of worker processes, or one background thread.

The run hands preparation (reading → summary chosen) and writing (brief composed, rendered,
written) to `Workers` and keeps its own thread for the model, so that a fast model is never
kept waiting by the text stages.

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

import functools
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from types import TracebackType
from typing import Any, Literal, Protocol

from .host import cpu_count

__all__ = ["Workers", "Task", "WorkerDied", "default_processes", "Pool", "PoolFactory"]

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


def default_processes(asked: int, tasks: int) -> int:
    """Worker processes for `tasks` tasks: `asked` (-1: cores - 2 on 6+ cores); 0 means one thread."""
    n = asked
    if n < 0:
        cores = cpu_count()
        n = min(cores - 2, 16) if cores >= 6 else 0
    return n if tasks >= 4 * max(n, 1) else 0


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
