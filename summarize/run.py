"""A whole run: every article under the input folder into briefs, wired from the other rooms.

A run is incremental (an unchanged input with the same model and settings is not redone), atomic (every
file is written to a temporary name and renamed), locked (one run per output folder), and never lets one
bad article stop the others. What would stop it stops it first, in one line, before any article is prepared:
folders that cannot be used (InputError, OutputError), another run (Locked), a model whose files cannot be had
(ModelUnavailable, from `locate`). Then preparation starts in the workers (Kiwi loads there) while this thread
loads the model; from then on this thread only translates (chunks of prepared articles), and the workers
write. A model that then fails to load or to pass its checks stops the run too, with no article marked.
`on_phase` hears of each step that takes time (records.PHASES), `on_entry` of each article's outcome.
"""

from __future__ import annotations

import functools
import json
import logging
import pickle
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import article, state
from .errors import ConfigError, InputError, ModelUnavailable, OutputError
from .jobs import STEPS, Preparation, Ready, Spooled, Steps, TaskQueue, Written, plan, to_write
from .options import BriefOptions
from .records import Entry, OnPhase, Phase, PhaseName
from .report import RunReport, write_digest
from .translate.base import ModelSpec, Translator, TranslatorFactory, model_fingerprint, resolve_model
from .translate.batching import Limits, batch_limits
from .translate.cache import TranslationCache
from .translate.checks import canary, check_vocabulary
from .translate.loading import load_translator, locate
from .workers import PoolFactory, Task, Workers, default_processes

__all__ = ["run", "check_folders", "Locator"]

log = logging.getLogger(__name__)


# What a run calls to find its model's files before anything else (translate.loading.locate, or a test's)
Locator = Callable[[ModelSpec, BriefOptions], object]


def check_folders(input_dir: Path, out_dir: Path) -> list[Path]:
    """The article files of `input_dir`; InputError where there are none (saying what there is instead), or where
    `out_dir` is the input folder or holds it (a run leaves its output folder out of its inputs: all would be)."""
    input_dir, out_dir = input_dir.resolve(), out_dir.resolve()
    if out_dir == input_dir or out_dir in input_dir.parents:
        what = "is the input folder" if out_dir == input_dir else f"holds the input folder {input_dir}"
        raise InputError(f"--out {out_dir} {what}: a run leaves its output folder out of its inputs, so no "
                         "article would be read; choose another output folder (a subfolder of the input is fine)")
    inputs = article.find_inputs(input_dir, exclude=(out_dir,))
    if not inputs:
        kinds = ", ".join(sorted(article.KINDS))
        raise InputError(f"no article files ({kinds}) in {input_dir}: found "
                         f"{article.found_instead(input_dir, exclude=(out_dir,))}")
    return inputs


def run(input_dir: Path | str, out_dir: Path, options: BriefOptions, force: bool = False, lock_wait: float = 0.0,
        translator_factory: TranslatorFactory | None = None, on_entry: Callable[[Entry], None] | None = None,
        steps: Steps = STEPS, pool: PoolFactory = Workers, locator: Locator | None = None,
        on_phase: OnPhase | None = None) -> RunReport:
    """Brief every article under `input_dir` into `out_dir`. See the module docstring for the guarantees.
    `translator_factory` loads the model and `locator` finds its files first (by default the real ones; with a
    factory of its own and no locator, a test's model needs no files), `steps` are the work of each article,
    `pool` is where it runs; `on_phase` and `on_entry` hear how it goes.
    With `options.executor` "ray", the run is summarize.cluster's (`input_dir` may be a URL of object storage)."""
    if options.executor == "ray":
        from .cluster import run_cluster  # Ray is imported only by a run that uses it

        return run_cluster(input_dir, out_dir, options, force, lock_wait, translator_factory, on_entry, steps,
                           locator, on_phase)
    if "://" in str(input_dir):
        raise ConfigError(f"{input_dir}: object storage is read by --executor ray (executor = \"ray\") only")
    spec = resolve_model(options.model, options.backend)  # UnknownModel before anything is touched
    input_dir, out_dir = Path(input_dir).resolve(), out_dir.resolve()
    inputs = check_folders(input_dir, out_dir)
    state.open_out(out_dir)  # OutputError: the folder cannot be written
    if translator_factory is None:
        translator_factory = functools.partial(load_translator, on_phase=on_phase)
        locator = locator or locate
    phases = _Phases(on_phase)
    unwritten: OutputError | None = None
    report = RunReport(str(input_dir), str(out_dir), [], None, time.time())
    with state.OutputLock(state.state_dir(out_dir), lock_wait):
        state.clear_leftovers(out_dir)  # of a run that was killed: half-written files, spooled articles
        try:
            books = _Books(report, state.Articles(state.connect(state.db_path(out_dir))), on_entry)
            cache = TranslationCache(state.connect(state.db_path(out_dir), threads=True))
        except sqlite3.Error as e:
            raise state.cannot_write(out_dir, OSError(str(e))) from None
        try:
            fingerprint = model_fingerprint(spec, options.revision)
            phases.start("plan")
            jobs = plan(inputs, input_dir, out_dir, books.articles, fingerprint, options, force)
            books.settle(*jobs.done, mark=False)
            phases.end("plan", count=len(jobs.todo))
            if jobs.todo and locator is not None:  # the model's files, before any article is prepared
                phases.start("locate", spec.name)
                locator(spec, options)
                phases.end("locate", spec.name)
            with pool(_processes(options.workers, len(jobs.todo), steps)) as workers:
                spool = state.spool_dir(out_dir) if workers.mode == "processes" else None  # articles stay there
                if spool:
                    spool.mkdir()
                # the workers start (a process pool's server imports the stages and warms Kiwi first) in a thread
                # of their own, while this one loads the model
                starting = _Starting(lambda: (phases.task("kiwi", workers.submit(steps.warm)) if jobs.todo else None,
                                              Preparation(workers, jobs.todo, steps, input_dir, options, spool)))
                model = _Model.load(spec, options, translator_factory, report, cache, phases) \
                    if jobs.todo else _Model(None, batch_limits(options.batch_size, options.max_batch_tokens, "cpu"))
                kiwi, preparing = starting.result()
                writing: TaskQueue[Ready, Written] = TaskQueue(workers, steps.write)
                for chunk in preparing.chunks(model.floor):
                    phases.poll(kiwi)
                    books.settle(*chunk.settled)
                    while writing.ready():
                        books.written(writing.pop())
                    if not chunk.ready or model.translator is None:
                        continue
                    model.vet(chunk.ready, options.max_unknown)
                    english = steps.translate(chunk.ready, model.translator, cache, model.limits)
                    failed, writes = to_write(chunk.ready, english, model.translator.info, spec.warning, out_dir)
                    books.settle(*failed)
                    writing.submit_each(writes, preparing.per_task)
                    while writing.ready():
                        books.written(writing.pop())
                while len(writing):
                    books.written(writing.pop())
                phases.poll(kiwi)
        except ModelUnavailable as e:  # the model cannot be had, loaded or trusted: the run stops, in one line
            report.model_error = str(e)
            raise
        except (sqlite3.Error, OSError) as e:  # the output folder cannot be written any more (a full disk)
            if isinstance(e, OSError) and e.errno not in state.WRITE_ERRORS:
                raise
            stopped = state.cannot_write(out_dir, e if isinstance(e, OSError) else OSError(str(e)))
            report.error = str(stopped)
            raise stopped from None
        finally:
            report.finished = time.time()
            shutil.rmtree(state.spool_dir(out_dir), ignore_errors=True)  # room for run.json on a full disk
            if report.model is None:
                report.model = {"id": spec.id, "revision": options.revision, "settings": asdict(options.generation)}
            try:
                _write_report(report, out_dir, books.digest_items, options.base_url)
            except OSError as e:  # raised below, unless the run is stopping for another reason already
                unwritten = state.cannot_write(out_dir, e)
            cache.close()
            books.articles.db.close()
    if unwritten is not None:
        raise unwritten
    return report


class _Starting:
    """A call run in a thread of its own; `result()` waits for it (its exception raised here)."""

    def __init__(self, fn: Callable[[], Any]):
        self.value: Any = None
        self.error: BaseException | None = None

        def call() -> None:
            try:
                self.value = fn()
            except BaseException as e:  # raised in the run's thread
                self.error = e

        self.thread = threading.Thread(target=call, name="summarize-start", daemon=True)
        self.thread.start()

    def result(self) -> Any:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


def _processes(asked: int, tasks: int, steps: Steps) -> int:
    """The worker processes of a run (workers.default_processes); none where its steps cannot travel to a process
    (a test's functions that are not importable by name): they then run in a thread."""
    n = default_processes(asked, tasks)
    if n:
        try:
            pickle.dumps((steps.prepare, steps.write, steps.warm))  # translate stays in this thread
        except Exception:
            log.debug("the run's steps cannot be sent to a process: preparing articles in a thread")
            return 0
    return n


class _Phases:
    """The run's steps as they start and end, told to `on_phase` (if any), each timed."""

    def __init__(self, on_phase: OnPhase | None):
        self.on_phase = on_phase
        self.started: dict[PhaseName, float] = {}
        self.pending: dict[PhaseName, Task] = {}

    def start(self, name: PhaseName, detail: str = "") -> None:
        self.started[name] = time.perf_counter()
        if self.on_phase:
            self.on_phase(Phase(name, detail))

    def end(self, name: PhaseName, detail: str = "", count: int | None = None, seconds: float | None = None) -> None:
        took = seconds if seconds is not None else time.perf_counter() - self.started.get(name, time.perf_counter())
        if self.on_phase:
            self.on_phase(Phase(name, detail, round(took, 3), count))

    def task(self, name: PhaseName, task: Task) -> Task:
        """A step that runs in a worker (its result: the seconds it took): started now, ended when `poll` finds it
        done."""
        self.start(name)
        self.pending[name] = task
        return task

    def poll(self, task: Task | None) -> None:
        for name, t in list(self.pending.items()):  # name: a PhaseName (the key `task` was given)
            if t is task and t.done():
                del self.pending[name]
                try:
                    seconds = float(t.result())
                except Exception:  # the articles will say what is wrong
                    seconds = time.perf_counter() - self.started[name]
                self.end(name, seconds=seconds)


@dataclass
class _Model:
    """The run's model, checked, with its batch limits (None where the run has nothing to translate)."""

    translator: Translator | None
    limits: Limits
    vetted: bool = False  # the vocabulary checked on the run's own first articles too

    @property
    def floor(self) -> int:
        """The units worth a model call: a full batch, times the batches it runs at once."""
        return self.limits.sentences * max(1, self.translator.parallel if self.translator else 1)

    @classmethod
    def load(cls, spec: ModelSpec, options: BriefOptions, factory: TranslatorFactory, report: RunReport,
             cache: TranslationCache, phases: _Phases) -> _Model:
        """Load the model and check it (the vocabulary check and the canary); run.json's record of it.
        ModelUnavailable (VocabularyMismatch, NeedsCT2) stops the run."""
        t0 = time.perf_counter()
        if options.model is None and options.backend == "transformers":
            log.warning("--backend transformers cannot run the default model (quickmt, CTranslate2 "
                        "only): using %s; name it with --model to silence this", spec.id)
        phases.start("model", spec.name)
        translator = factory(spec, options)
        report.model = {**asdict(translator.info), "load_s": round(time.perf_counter() - t0, 4)}
        limits = batch_limits(options.batch_size, options.max_batch_tokens, translator.device)
        share = check_vocabulary(translator, options.max_unknown)  # a vocabulary that cannot read Korean stops it
        report.model["unknown_share"] = None if share is None else round(share, 4)
        report.model_warning = canary(translator, article.figures_wrong, cache, *limits)  # once, cached after
        if report.model_warning:
            log.warning("%s", report.model_warning)
        info = translator.info
        phases.end("model", f"{spec.name} ({info.backend or 'model'}{', ' + info.compute_type if info.compute_type else ''}"
                            f", {translator.device})")
        return cls(translator, limits)

    def vet(self, chunk: list[Ready], max_unknown: float) -> None:
        """The vocabulary check on the first chunk's own pieces (VocabularyMismatch stops the run)."""
        if self.translator is not None and not self.vetted:
            check_vocabulary(self.translator, max_unknown, [ko for r in chunk for ko, *_ in r.units],
                             "the run's first articles")
            self.vetted = True


class _Books:
    """What a run records of each input: its entry in the report (and to `on_entry`), its status in the state,
    and the digest's entry of each brief written."""

    def __init__(self, report: RunReport, articles: state.Articles, on_entry: Callable[[Entry], None] | None):
        self.report, self.articles, self.on_entry = report, articles, on_entry
        self.digest_items: dict[str, dict[str, Any]] = {}

    def settle(self, *entries: Entry, key: str | None = None, mark: bool = True) -> None:
        for e in entries:
            if mark:
                self.articles.mark(e.path, key, e.status)
            self.report.entries.append(e)
            if self.on_entry:
                self.on_entry(e)

    def written(self, outcomes: list[tuple[Ready, Written | Exception]]) -> None:
        for r, out in outcomes:
            if isinstance(out, OSError) and out.errno in state.WRITE_ERRORS:  # a full disk: said in words
                self.settle(Entry(r.job.rel, "failed", f"cannot write its brief: {out.strerror}", timings=r.timings))
                continue
            if isinstance(out, Exception):
                self.settle(Entry(r.job.rel, "failed", f"{type(out).__name__}: {out}", timings=r.timings))
                continue
            self.digest_items[r.job.rel] = out.digest
            if isinstance(r.article, Spooled):
                r.article.path.unlink(missing_ok=True)  # its brief is written
            self.settle(Entry(r.job.rel, "written", None, {"md": f"{out.name}.md", "json": f"{out.name}.json"},
                              {**r.timings, "render_s": out.render_s}, out.flagged, r.warnings), key=r.job.key)


def _write_report(report: RunReport, out_dir: Path, digest_items: dict[str, dict[str, Any]],
                  base_url: str | None = None) -> None:
    """run.json and the digest, whatever happened to the run."""
    run_info = report.to_dict()
    state.atomic_write(out_dir / "run.json", json.dumps(run_info, ensure_ascii=False, indent=2) + "\n")
    try:
        write_digest(run_info, out_dir, state.atomic_write, digest_items, base_url)
    except Exception:  # the briefs and run.json are written; a digest must not hide what went wrong
        log.warning("could not write the digest", exc_info=True)
