"""A whole run: every article under the input folder into briefs, wired from the other rooms.

A run is incremental (an unchanged input with the same model and settings is not redone), atomic (every
file is written to a temporary name and renamed), locked (one run per output folder), and never lets one
bad article stop the others. Preparation starts in the workers at once, while this thread loads the
model; from then on this thread only translates (chunks of prepared articles), and the workers write.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import article, state
from .errors import ModelUnavailable, NeedsCT2, VocabularyMismatch
from .jobs import STEPS, Preparation, Ready, Spooled, Steps, TaskQueue, Written, plan, to_write
from .options import BriefOptions
from .records import Entry
from .report import RunReport, write_digest
from .translate.base import ModelSpec, Translator, TranslatorFactory, model_fingerprint, resolve_model
from .translate.batching import Limits, batch_limits
from .translate.cache import TranslationCache
from .translate.checks import canary, check_vocabulary
from .translate.loading import load_translator
from .workers import PoolFactory, Workers, default_processes

__all__ = ["run"]

log = logging.getLogger(__name__)


def run(input_dir: Path, out_dir: Path, options: BriefOptions, force: bool = False, lock_wait: float = 0.0,
        translator_factory: TranslatorFactory | None = None, on_entry: Callable[[Entry], None] | None = None,
        steps: Steps = STEPS, pool: PoolFactory = Workers) -> RunReport:
    """Brief every article under `input_dir` into `out_dir`. See the module docstring for the guarantees.
    `translator_factory` loads the model, `steps` are the work of each article, `pool` is where it runs."""
    spec = resolve_model(options.model, options.backend)  # UnknownModel before anything is touched
    input_dir, out_dir = input_dir.resolve(), out_dir.resolve()
    state.state_dir(out_dir).mkdir(parents=True, exist_ok=True)
    report = RunReport(str(input_dir), str(out_dir), [], None, time.time())
    with state.OutputLock(state.state_dir(out_dir), lock_wait):
        state.clear_leftovers(out_dir)  # of a run that was killed: half-written files, spooled articles
        books = _Books(report, state.Articles(state.connect(state.db_path(out_dir))), on_entry)
        cache = TranslationCache(state.connect(state.db_path(out_dir), threads=True))
        try:
            fingerprint = model_fingerprint(spec, options.revision)
            jobs = plan(article.find_inputs(input_dir, exclude=(out_dir,)), input_dir, out_dir, books.articles,
                        fingerprint, options, force)
            books.settle(*jobs.done, mark=False)
            with pool(default_processes(options.workers, len(jobs.todo))) as workers:
                spool = state.spool_dir(out_dir) if workers.mode == "processes" else None  # articles stay there
                if spool:
                    spool.mkdir()
                preparing = Preparation(workers, jobs.todo, steps, input_dir, options, spool)  # starts at once
                model = _Model.load(spec, options, translator_factory or load_translator, report, cache) \
                    if jobs.todo else _Model(None, batch_limits(options.batch_size, options.max_batch_tokens, "cpu"))
                writing: TaskQueue[Ready, Written] = TaskQueue(workers, steps.write)
                for chunk in preparing.chunks(model.floor):
                    books.settle(*chunk.settled)
                    if not chunk.ready:
                        continue
                    report.model_error = report.model_error or model.error  # an error only if an article needed it
                    if model.translator is None:
                        books.settle(*(Entry(r.job.rel, "failed", MODEL_UNAVAILABLE, timings=r.timings)
                                       for r in chunk.ready))
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
        except (NeedsCT2, VocabularyMismatch) as e:  # the wrong model for this run: it stops, in one line
            report.model_error = str(e)
            raise
        finally:
            report.finished = time.time()
            if report.model is None:
                report.model = {"id": spec.id, "revision": options.revision, "settings": asdict(options.generation)}
            _write_report(report, out_dir, books.digest_items, options.base_url)
            shutil.rmtree(state.spool_dir(out_dir), ignore_errors=True)  # articles that failed before their brief
            cache.close()
            books.articles.db.close()
    return report


MODEL_UNAVAILABLE = "model unavailable (run.json's model_error says why)"


@dataclass
class _Model:
    """The run's model, checked, with its batch limits; or why there is none (`error`)."""

    translator: Translator | None
    limits: Limits
    error: str | None = None
    vetted: bool = False  # the vocabulary checked on the run's own first articles too

    @property
    def floor(self) -> int:
        """The units worth a model call: a full batch, times the batches it runs at once."""
        return self.limits.sentences * max(1, self.translator.parallel if self.translator else 1)

    @classmethod
    def load(cls, spec: ModelSpec, options: BriefOptions, factory: TranslatorFactory, report: RunReport,
             cache: TranslationCache) -> _Model:
        """Load the model and check it (the vocabulary check and the canary); run.json's record of it."""
        t0 = time.perf_counter()
        if options.model is None and options.backend == "transformers":
            log.warning("--backend transformers cannot run the default model (quickmt, CTranslate2 "
                        "only): using %s; name it with --model to silence this", spec.id)
        try:
            translator = factory(spec, options)
        except NeedsCT2:
            raise
        except ModelUnavailable as e:
            return cls(None, batch_limits(options.batch_size, options.max_batch_tokens, "cpu"), str(e))
        report.model = {**asdict(translator.info), "load_s": round(time.perf_counter() - t0, 4)}
        limits = batch_limits(options.batch_size, options.max_batch_tokens, translator.device)
        share = check_vocabulary(translator, options.max_unknown)  # a vocabulary that cannot read Korean stops it
        report.model["unknown_share"] = None if share is None else round(share, 4)
        report.model_warning = canary(translator, article.figures_wrong, cache, *limits)  # once, cached after
        if report.model_warning:
            log.warning("%s", report.model_warning)
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
            if isinstance(out, Exception):
                self.settle(Entry(r.job.rel, "failed", f"{type(out).__name__}: {out}", timings=r.timings))
                continue
            self.digest_items[r.job.rel] = out.digest
            if isinstance(r.article, Spooled):
                r.article.path.unlink(missing_ok=True)  # its brief is written
            self.settle(Entry(r.job.rel, "written", None, {"md": f"{out.name}.md", "json": f"{out.name}.json"},
                              {**r.timings, "render_s": out.render_s}, out.flagged), key=r.job.key)


def _write_report(report: RunReport, out_dir: Path, digest_items: dict[str, dict[str, Any]],
                  base_url: str | None = None) -> None:
    """run.json and the digest, whatever happened to the run."""
    run_info = report.to_dict()
    state.atomic_write(out_dir / "run.json", json.dumps(run_info, ensure_ascii=False, indent=2) + "\n")
    try:
        write_digest(run_info, out_dir, state.atomic_write, digest_items, base_url)
    except Exception:  # the briefs and run.json are written; a digest must not hide what went wrong
        log.warning("could not write the digest", exc_info=True)
