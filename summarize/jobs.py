"""The run's jobs: which inputs to brief, their steps, the bounded queue of worker tasks, and the chunks of
prepared articles that the model translates together.

An article is a `Job` (an input to brief, its key and output name); `prepare_job` makes it `Ready` (in a
worker: read to summary chosen, left on disk by a worker process as `Spooled`, so that only its units
travel); `translate_chunk` translates the units of a chunk of articles together (in the model's thread);
`write_brief` composes, renders and writes its brief (in a worker) and says what it wrote (`Written`).
`Steps` holds the three functions: the seams where another implementation goes in.
"""

from __future__ import annotations

import json
import logging
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from . import article
from .errors import Rejected, TimeLimit
from .options import BriefOptions
from .records import Entry, ModelInfo, Prepared, Unit
from .report import digest_item
from .state import Articles, atomic_write
from .translate.base import Translator
from .translate.batching import Limits, translate_texts
from .translate.cache import TranslationCache
from .workers import SMALL_POOL, Pool, Task, WorkerDied, time_limit

__all__ = ["Job", "Ready", "Spooled", "Written", "WriteJob", "Translations", "Steps", "STEPS", "Plan", "plan",
           "plan_one", "prepare_job", "translate_chunk", "to_write", "write_brief", "TaskQueue", "Preparation", "Chunk",
           "run_calls", "PER_TASK"]

log = logging.getLogger(__name__)

# Articles per worker task, where the workers are processes: each round trip through the pool costs the
# main process (pickling, waking its threads) about what a small article's share of the model does on a GPU
PER_TASK = 4
HEARTBEAT = 5.0  # seconds the run waits for a prepared article before it takes in the briefs written meanwhile


# --------------------------------------------------------------------------- the records of a job


@dataclass(frozen=True)
class Job:
    """An input to brief: its path, its path relative to the input folder, its key and its output name."""

    path: Path
    rel: str
    key: str
    name: str


@dataclass(frozen=True)
class Spooled:
    """A Prepared article that the worker process which prepared it left on disk: only its units (what
    the model and the figure check need) travel through the main process, and the worker that writes
    its brief loads the rest. The main process then never pickles a whole article, which on a GPU is
    time taken from the thread that drives the model."""

    path: Path
    units: tuple[Unit, ...]

    @classmethod
    def save(cls, p: Prepared, path: Path) -> Spooled:
        path.write_bytes(pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL))
        return cls(path, p.units)

    def load(self) -> Prepared:
        p: Prepared = pickle.loads(self.path.read_bytes())
        return p


@dataclass(frozen=True)
class Ready:
    """A job whose article is prepared: ready to translate."""

    job: Job
    article: Prepared | Spooled
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what reading had to mend

    @property
    def units(self) -> tuple[Unit, ...]:
        return self.article.units


@dataclass(frozen=True)
class Translations:
    """The English of a chunk's units: `first` (every unit), `retry` (the figure guard's retranslations of the
    units whose English lost a figure, `retried` by article), the articles whose translation failed (with why),
    and each article's share of the time."""

    first: dict[str, str]
    retry: dict[str, str]
    retried: dict[str, list[str]]
    failures: dict[str, str]
    seconds_each: float


@dataclass(frozen=True)
class WriteJob:
    """What writing one brief takes: the article, its English, the model that wrote it and the caveat every
    brief of that model carries, and where to write it."""

    article: Prepared | Spooled
    first: dict[str, str]
    retry: dict[str, str]
    model: ModelInfo
    note: str | None
    out_dir: Path
    name: str


class Written(NamedTuple):
    """What `write_brief` wrote: the output name, the flagged summary sentences, the seconds it took, and the
    brief's entry in the digest."""

    name: str
    flagged: int
    render_s: float
    digest: dict[str, Any]


def _since(t0: float) -> float:
    return round(time.perf_counter() - t0, 4)


# --------------------------------------------------------------------------- the steps


def translate_chunk(chunk: list[Ready], translator: Translator, cache: TranslationCache, limits: Limits) -> Translations:
    """English for the units of a chunk of articles, together. If the batched call fails, the articles are
    translated one by one, so that one article the model chokes on fails alone."""
    t0 = time.perf_counter()
    failures: dict[str, str] = {}
    retried: dict[str, list[str]] = {}
    try:
        first = translate_texts(translator, [ko for r in chunk for ko, *_ in r.units], cache, *limits)
        for r in chunk:
            retried[r.job.rel] = article.retry_texts(r.units, first)
        retry = translate_texts(translator, [t for ts in retried.values() for t in ts], cache, *limits)
    except Exception:
        log.warning("batched translation failed; translating article by article", exc_info=True)
        first, retry = {}, {}
        for r in chunk:
            try:
                f = translate_texts(translator, [ko for ko, *_ in r.units], cache, *limits)
                retried[r.job.rel] = article.retry_texts(r.units, f)
                retry.update(translate_texts(translator, retried[r.job.rel], cache, *limits))
                first.update(f)
            except Exception as e:
                failures[r.job.rel] = f"translation failed: {type(e).__name__}: {e}"
    share = _since(t0) / max(1, len(chunk))
    return Translations(first, retry, retried, failures, round(share, 4))


def to_write(chunk: list[Ready], english: Translations, model: ModelInfo, note: str | None,
             out_dir: Path) -> tuple[list[Entry], list[tuple[WriteJob, Ready]]]:
    """What becomes of each article of a translated chunk: the Entry of one whose translation failed, or the
    WriteJob of its brief (beside the Ready it came from, its translation time added), in the chunk's order."""
    failed, writes = [], []
    for r in chunk:
        timings = {**r.timings, "translate_s": english.seconds_each}
        if r.job.rel in english.failures:
            failed.append(Entry(r.job.rel, "failed", english.failures[r.job.rel], timings=timings))
            continue
        first = {ko: english.first[ko] for ko, *_ in r.units if ko in english.first}
        retry = {t: english.retry[t] for t in english.retried.get(r.job.rel, ()) if t in english.retry}
        writes.append((WriteJob(r.article, first, retry, model, note, out_dir, r.job.name),
                       Ready(r.job, r.article, timings, r.warnings)))
    return failed, writes


def write_brief(w: WriteJob) -> Written:
    """Compose, render and write one brief. Runs in a worker."""
    t0 = time.perf_counter()
    # a spooled article's file stays until its brief is written: a task whose worker died runs again
    p = w.article.load() if isinstance(w.article, Spooled) else w.article
    brief = article.compose(p, w.first, w.retry, w.model, w.note)
    files = article.render(brief)
    atomic_write(w.out_dir / f"{w.name}.json", files.json)
    atomic_write(w.out_dir / f"{w.name}.md", files.markdown)
    flagged = sum(1 for line in brief.summary if line.text.flags)
    return Written(w.name, flagged, _since(t0), digest_item(json.loads(files.json)))


@dataclass(frozen=True)
class Steps:
    """The work of a run, one function per step. `prepare` (in a worker: one input to a Prepared article, or
    Rejected), `translate` (in the model's thread: a chunk's units), `write` (in a worker: one brief) and `warm`
    (in a worker, before the first article: loads what preparing needs).
    Functions that run in worker processes must be importable by name (module level)."""

    prepare: Callable[[Path, Path, BriefOptions], Prepared] = article.prepare
    translate: Callable[[list[Ready], Translator, TranslationCache, Limits], Translations] = translate_chunk
    write: Callable[[WriteJob], Written] = write_brief
    warm: Callable[[], float] = article.warm  # in a worker, first: what preparing needs loaded (Kiwi); its seconds


STEPS = Steps()


# --------------------------------------------------------------------------- which inputs are jobs


@dataclass(frozen=True)
class Plan:
    """The inputs of a run: the jobs to do, and the entries of those that need nothing (unchanged, or
    unreadable)."""

    todo: list[Job]
    done: list[Entry]


def plan(paths: list[Path], input_dir: Path, out_dir: Path, articles: Articles, fingerprint: str,
         options: BriefOptions, force: bool) -> Plan:
    """A Job for every input whose brief is missing or out of date (`force`: every input)."""
    rels = [_rel(p, input_dir) for p in paths]
    names = articles.names(rels)
    todo, done = [], []
    for path, rel in zip(paths, rels, strict=True):
        if not _inside(path, input_dir):
            done.append(Entry(rel, "rejected", OUTSIDE))
            continue
        try:
            sha = article.input_digest(path)
        except OSError as e:
            done.append(Entry(rel, "failed", f"cannot read: {e.strerror or e}"))
            continue
        one = plan_one(Job(path, rel, article.article_key(sha, fingerprint, options), names[rel]), articles, out_dir,
                       force)
        if isinstance(one, Job):
            todo.append(one)
        else:
            done.append(one)
    return Plan(todo, done)


def plan_one(job: Job, articles: Articles, out_dir: Path, force: bool) -> Job | Entry:
    """The job, or the `unchanged` Entry of an input whose brief was written with the job's key and is there."""
    old_key, old_status = articles.key(job.rel)
    outputs = {"md": f"{job.name}.md", "json": f"{job.name}.json"}
    if (not force and old_key == job.key and old_status == "written"
            and all((out_dir / f).exists() for f in outputs.values())):
        return Entry(job.rel, "unchanged", None, outputs)
    return job


OUTSIDE = "a symbolic link to a file outside the input folder: not followed"


def _rel(path: Path, input_dir: Path) -> str:
    """An input's path relative to the input folder, as found there (a symbolic link's own name, not its target's)."""
    try:
        return path.absolute().relative_to(input_dir).as_posix()
    except ValueError:
        return path.name


def _inside(path: Path, input_dir: Path) -> bool:
    """Whether the file an input's path leads to (through any symbolic link) lies inside the input folder."""
    return input_dir.resolve() in path.resolve().parents


def prepare_job(prepare: Callable[[Path, Path, BriefOptions], Prepared], job: Job, input_dir: Path,
                options: BriefOptions, spool: Path | None = None) -> Ready | Entry:
    """The job's article prepared (Spooled to `spool`, where given), or the Entry that says why it cannot be
    one, within the article's time limit (`options.time_limit`). Runs in a worker. Where the worker is a process
    (`spool` given), an article whose native code outlasts the limit ends it, leaving a marker beside its spool
    file: when the task runs again, the article fails for its time limit at once."""
    t0 = time.perf_counter()
    marker = spool.with_suffix(".timeout") if spool is not None else None
    try:
        if marker is not None and marker.exists():
            return Entry(job.rel, "failed", marker.read_text(encoding="utf-8"))
        with time_limit(options.time_limit, marker):
            p = prepare(job.path, input_dir, options)
        ready = Ready(job, Spooled.save(p, spool) if spool is not None else p, {"prepare_s": _since(t0)},
                      p.source.warnings)
    except Rejected as e:
        return Entry(job.rel, "rejected", str(e), timings={"prepare_s": _since(t0)})
    except TimeLimit as e:
        return Entry(job.rel, "failed", str(e), timings={"prepare_s": _since(t0)})
    except Exception as e:  # one bad article never stops the batch
        log.debug("failed to prepare %s", job.rel, exc_info=True)
        return Entry(job.rel, "failed", f"{type(e).__name__}: {e}", timings={"prepare_s": _since(t0)})
    return ready


# --------------------------------------------------------------------------- worker tasks

T = TypeVar("T")  # what the caller keeps beside each call
R = TypeVar("R")  # what each call returns


def run_calls(fn: Callable[..., R], calls: list[tuple[Any, ...]]) -> list[R | Exception]:
    """fn(*args) for each of `calls`, in one worker task: each result, or the exception in its place."""
    out: list[R | Exception] = []
    for args in calls:
        try:
            out.append(fn(*args))
        except Exception as e:
            out.append(e if _picklable(e) else RuntimeError(f"{type(e).__name__}: {e}"))
    return out


def _picklable(e: Exception) -> bool:
    try:
        pickle.loads(pickle.dumps(e))
        return True
    except Exception:
        return False


class TaskQueue(Generic[T, R]):
    """Worker tasks of a few calls of `fn` each, in the order submitted. A task whose worker died twice
    (WorkerDied) is split into one task per call, so that only the call that kills its worker fails."""

    def __init__(self, workers: Pool, fn: Callable[..., R], any_order: bool = False):
        self.workers, self.fn, self.any_order = workers, fn, any_order
        self.tasks: deque[tuple[list[tuple[Any, ...]], list[T], Task]] = deque()

    def __len__(self) -> int:
        return len(self.tasks)

    def submit(self, calls: list[tuple[Any, ...]], tags: list[T]) -> None:
        """`tags`: what the caller wants back beside each call's result."""
        self.tasks.append((calls, tags, self.workers.submit(run_calls, self.fn, calls)))

    def submit_each(self, items: list[tuple[Any, T]], per_task: int) -> None:
        """fn(item) for each (item, tag), `per_task` calls to a task."""
        for i in range(0, len(items), per_task):
            group = items[i:i + per_task]
            self.submit([(item,) for item, _ in group], [tag for _, tag in group])

    def ready(self) -> bool:
        if self.any_order:
            return any(task.done() for _, _, task in self.tasks)
        return bool(self.tasks) and self.tasks[0][2].done()

    def wait(self, seconds: float | None = None) -> bool:
        """Wait until a task is ready (`ready`), at most `seconds` (None: as long as it takes); whether one is."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while self.tasks and not self.ready():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return self.ready()

    def pop(self) -> list[tuple[T, R | Exception]]:
        """(tag, result or exception) for each call of the oldest task, waiting for it; with `any_order`, of the
        first task done (so that one slow task holds up no other), waiting for one."""
        if self.any_order:
            self.wait()
            self.tasks.rotate(-next(i for i, (_, _, task) in enumerate(self.tasks) if task.done()))
        calls, tags, task = self.tasks.popleft()
        try:
            results: list[R | Exception] = task.result()
            return list(zip(tags, results, strict=True))
        except WorkerDied as e:
            if len(calls) == 1:
                return [(tags[0], e)]
            for call, tag in reversed(list(zip(calls, tags, strict=True))):
                self.tasks.appendleft(([call], [tag], self.workers.submit(run_calls, self.fn, [call])))
            return self.pop()
        except Exception as e:  # its result could not be read back
            return [(tag, e) for tag in tags]


# --------------------------------------------------------------------------- preparing, in chunks


@dataclass(frozen=True)
class Chunk:
    """What came back from preparation for the model to take at once: the articles ready to translate, and
    the entries of those that were rejected or failed."""

    ready: list[Ready]
    settled: list[Entry]


class Preparation:
    """The jobs in preparation: a bounded window of worker tasks (a few jobs each where the workers are
    many processes), refilled as tasks come back, taken in the order they come back. It starts at once, while
    the model loads."""

    def __init__(self, workers: Pool, jobs: list[Job], steps: Steps, input_dir: Path, options: BriefOptions,
                 spool: Path | None):
        self.workers, self.steps, self.input_dir, self.options, self.spool = workers, steps, input_dir, options, spool
        self.per_task = PER_TASK if workers.mode == "processes" else 1  # articles to a writing task
        # articles to a preparing task: one in a small pool, where an article that takes long would hold up the
        # others of its task on a machine that has no other worker to spare
        self.prepare_per_task = self.per_task if workers.processes > SMALL_POOL else 1
        self.queue: TaskQueue[str, Ready | Entry] = TaskQueue(workers, prepare_job, any_order=True)
        self.jobs = iter(jobs)
        self.top_up()

    def __len__(self) -> int:
        return len(self.queue)

    def top_up(self) -> None:
        while len(self.queue) < max(8, 4 * self.workers.processes) and (group := list(islice(self.jobs, self.prepare_per_task))):
            self.queue.submit([(self.steps.prepare, j, self.input_dir, self.options,
                                self.spool and self.spool / f"{j.name}.pickle") for j in group], [j.rel for j in group])

    def chunks(self, floor: int) -> Iterator[Chunk]:
        """Chunks of prepared articles: at least `floor` units (a full batch of the model) if there are that
        many, and whatever else is ready by then, up to 8 times that (room for sorting by length), so that
        the model neither waits for stragglers nor gets crumbs. Where nothing comes back for HEARTBEAT seconds, the
        chunk is what came (empty, maybe), so that the run takes in what else is done (briefs written) and an
        article that takes long holds up no other."""
        while len(self.queue):
            ready: list[Ready] = []
            settled: list[Entry] = []
            units = 0
            while len(self.queue) and units < 8 * floor and (units < floor or self.queue.ready()):
                if not self.queue.wait(HEARTBEAT):  # a straggler: the model takes what came, the run the rest
                    break
                outcomes = self.queue.pop()
                self.top_up()
                for rel, outcome in outcomes:
                    if isinstance(outcome, Exception):  # its worker died twice, or its result was unreadable
                        outcome = Entry(rel, "failed", f"{type(outcome).__name__}: {outcome}")
                    if isinstance(outcome, Entry):  # rejected or failed while preparing
                        settled.append(outcome)
                        continue
                    ready.append(outcome)
                    units += len(outcome.units)
            yield Chunk(ready, settled)
