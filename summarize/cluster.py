"""A whole run on a Ray cluster (`--executor ray`): the guarantees of summarize.run, the work as a Ray Data
pipeline.

The driver (the process that calls `run_cluster`) keeps everything that makes a run safe to repeat: the lock on
OUT_DIR, the plan (an unchanged input sends no work to the cluster; with nothing to do, Ray is not even
contacted), the state, the translation cache, every write (atomic, each brief as it arrives), run.json and the
digest. The cluster does the work of each article to do:

    inputs -> prepare (CPU tasks: reading to the summary chosen)
           -> translate (a pool of actors, the model loaded once in each, one GPU each where the cluster has
              GPUs; the figure guard's retranslations too)
           -> compose and render (CPU tasks)
           -> the driver, which writes each brief as it comes back

A local folder is read by the driver and its files travel with the work; a folder in object storage (s3://,
gs://, or file:// on storage that every node sees) is listed by the driver and read by the workers, through
pyarrow's filesystems. Before a text goes to the model, the actor looks it up in the driver's translation cache
(through a small actor on the driver's node that reads state.sqlite); the English comes back with the brief,
and the driver stores it.

A bad article is rejected or fails alone, as in the local run: each step catches its own article's errors. A
process that dies is replaced and its batch runs again (Ray retries tasks and restarts actors); articles whose
batch was lost for good run again one at a time, so that only the article that kills its process fails. A
brief that comes back twice is written once.

Ray and pyarrow are imported only here, and only when a run uses them (`pip install 'summarize[ray]'`).
"""

from __future__ import annotations

import json
import logging
import math
import pickle
import re
import sqlite3
import tempfile
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from . import article, state
from .errors import (
    ClusterError,
    InputError,
    MissingDependency,
    ModelUnavailable,
    OutputError,
    SummarizeError,
    VocabularyMismatch,
)
from .jobs import STEPS, Job, Plan, Ready, Spooled, Steps, WriteJob, plan, plan_one, prepare_job, to_write
from .options import BriefOptions
from .records import Entry, ModelInfo, OnPhase
from .report import RunReport, digest_item
from .run import Locator, _Books, _Phases, _write_report, check_folders
from .translate.base import ModelSpec, TranslatorFactory, model_fingerprint, resolve_model
from .translate.batching import batch_limits
from .translate.cache import TranslationCache
from .translate.checks import canary, check_vocabulary
from .translate.loading import load_translator, locate

__all__ = ["run_cluster", "find_objects", "is_url", "Object", "RAY_MISSING"]

log = logging.getLogger(__name__)

RAY_MISSING = "--executor ray needs Ray Data: pip install 'summarize[ray]' (ray[data] 2.60)"
LOST = "lost on the cluster: the process handling it died, and died again when it ran alone"
RETRIES = 2  # more tries of a task or an actor's batch whose process died
PER_TASK = 8  # articles per preparing or composing task (a Ray task costs a few milliseconds of scheduling)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(location: str | Path) -> bool:
    """Whether an input is a URL (object storage: s3://, gs://, file://, ...) rather than a local folder."""
    return isinstance(location, str) and bool(_URL.match(location))


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise MissingDependency(RAY_MISSING) from None
    return ray


# --------------------------------------------------------------------------- inputs in object storage


@dataclass(frozen=True)
class Object:
    """An input in object storage: its path in its filesystem, its path relative to the input folder, its size,
    what tells a changed object from the same one without reading it (its size and time, and its sidecar's), and
    the object beside it that holds its address (`X.txt.url`, else `X.url`, as for a local file), if any."""

    path: str
    rel: str
    size: int
    stamp: str
    sidecar: str | None = None


def _shown(url: str) -> str:
    """A URL without the credentials it may hold (s3://KEY:SECRET@bucket/...), for messages and run.json."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1", url)


def find_objects(url: str) -> tuple[Any, list[Object]]:
    """The article files under a URL (pyarrow's filesystems: s3://bucket/folder, gs://..., file:///...; S3 options
    such as ?endpoint_override=HOST:PORT&scheme=http go in the query), sorted, hidden ones left out; and the
    filesystem, for the workers to read them with."""
    try:
        import pyarrow
        from pyarrow import fs as pafs
    except ImportError:
        raise MissingDependency(RAY_MISSING) from None
    try:
        filesystem, base = pafs.FileSystem.from_uri(url)
        infos = filesystem.get_file_info(pafs.FileSelector(base, recursive=True))
    except (OSError, ValueError, pyarrow.ArrowException) as e:
        raise ClusterError(f"cannot list {_shown(url)}: {e}") from None
    base = base.rstrip("/")
    files = {info.path: info for info in infos if info.type == pafs.FileType.File}
    found = []
    for path, info in files.items():
        rel = path[len(base):].lstrip("/")
        if not article.is_input(PurePosixPath(rel)):
            continue
        stamp = f"{info.size} bytes, {info.mtime_ns} ns"
        side = next((s for s in (path + ".url", str(PurePosixPath(path).with_suffix(".url"))) if s in files), None)
        if side is not None:
            stamp += f"; address {files[side].size} bytes, {files[side].mtime_ns} ns"
        found.append(Object(path, rel, info.size, stamp, side))
    return filesystem, sorted(found, key=lambda o: o.rel)


def _plan_objects(objects: list[Object], out_dir: Path, articles: state.Articles, fingerprint: str,
                  options: BriefOptions, force: bool) -> Plan:
    """jobs.plan for objects: an object is known by its size and time, so that an unchanged one is not read."""
    names = articles.names([o.rel for o in objects])
    todo, done = [], []
    for o in objects:
        key = article.article_key(f"object of {o.stamp}", fingerprint, options)
        one = plan_one(Job(Path(o.path), o.rel, key, names[o.rel]), articles, out_dir, force)
        if isinstance(one, Job):
            todo.append(one)
        else:
            done.append(one)
    return Plan(todo, done)


# --------------------------------------------------------------------------- the rows of the pipeline
#
# Every row is (i, rel, kind, obj): the input's place in the run, its path, what `obj` (pickled) holds: a
# "job" (_Shipped), a "ready" article, an "entry" (rejected or failed), a brief to "write" (WriteJob, Ready), a
# composed "brief" (_Composed), or "stop" (why the model cannot read Korean).


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([("i", pa.int64()), ("rel", pa.string()), ("kind", pa.string()), ("obj", pa.binary())])


def _row(i: int, rel: str, kind: str, obj: object) -> dict[str, Any]:
    return {"i": i, "rel": rel, "kind": kind, "obj": pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)}


def _table(rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=_schema())


@dataclass(frozen=True)
class _Shipped:
    """An input as it travels to a worker: its job, its size, and its bytes (None: the worker reads them from
    object storage, or it is too large to be read at all); the same of its sidecar, if it has one (its name
    relative to the input folder, and its bytes or the object to read them from)."""

    job: Job
    size: int
    data: bytes | None = None
    sidecar: str | None = None
    sidecar_data: bytes | None = None
    sidecar_object: str | None = None


def _beside(rel: str, sidecar: str | None) -> str | None:
    """The path, relative to the input folder, of a sidecar (its name or path) beside the input at `rel`."""
    return None if sidecar is None else (PurePosixPath(rel).parent / PurePosixPath(sidecar).name).as_posix()


@dataclass(frozen=True)
class _Composed:
    """A brief composed and rendered on a worker, for the driver to write; with the English it was made from
    (for the driver's translation cache) and the model that wrote it."""

    job: Job
    json: str
    markdown: str
    flagged: int
    timings: dict[str, float]
    digest: dict[str, Any]
    english: dict[str, str]
    model: ModelInfo
    warnings: tuple[str, ...] = ()  # what reading had to mend


def _prepare_batch(batch: Any, prepare: Callable[[Path, Path, BriefOptions], Any], options: BriefOptions,
                   filesystem: Any) -> Any:
    """On a CPU worker: each job's article prepared (jobs.prepare_job), from the bytes the driver shipped or read
    here from object storage. Each file is written to a temporary folder under its own relative path first, so
    that reading sees it as the local run does."""
    out = []
    with tempfile.TemporaryDirectory(prefix="summarize-") as tmp:
        root = Path(tmp)
        for row in batch.to_pylist():
            s: _Shipped = pickle.loads(row["obj"])
            job, data = s.job, s.data
            local = root / job.rel
            try:
                local.parent.mkdir(parents=True, exist_ok=True)
                if s.size > options.max_bytes:  # not read: a file of its size, which reading rejects by its size
                    with local.open("wb") as fh:
                        fh.truncate(s.size)
                else:
                    if data is None:
                        with filesystem.open_input_stream(str(job.path)) as fh:
                            data = fh.read()
                    local.write_bytes(data)
                if s.sidecar is not None:  # beside it, as in the input folder: reading takes the address from it
                    side = s.sidecar_data
                    if side is None and s.sidecar_object is not None:
                        with filesystem.open_input_stream(s.sidecar_object) as fh:
                            side = fh.read(8192)
                    (root / s.sidecar).write_bytes(side or b"")
            except OSError as e:
                out.append(_row(row["i"], job.rel, "entry", Entry(job.rel, "failed", f"cannot read: {e.strerror or e}")))
                continue
            outcome = prepare_job(prepare, Job(local, job.rel, job.key, job.name), root, options)
            if isinstance(outcome, Ready):
                out.append(_row(row["i"], job.rel, "ready", replace(outcome, job=job)))
            else:
                out.append(_row(row["i"], job.rel, "entry", outcome))
    return _table(out)


class _DriverCache(TranslationCache):
    """The driver's translation cache as a worker sees it: each lookup goes to the reader on the driver's node;
    nothing is written here (what the model translates goes back to the driver, which stores it), but what
    would have been is kept in `fresh`."""

    def __init__(self, reader: Any):
        super().__init__(state.connect(None))
        self.reader = reader
        self.fresh: dict[str, str] = {}

    def get_many(self, info: ModelInfo, texts: Iterable[str]) -> dict[str, str]:
        wanted = list(texts)
        found = {t: self.fresh[t] for t in wanted if t in self.fresh}  # translated here, not yet stored
        rest = [t for t in wanted if t not in found]
        if rest:
            import ray

            found.update(ray.get(self.reader.get_many.remote(info, rest)))
        return found

    def put_many(self, info: ModelInfo, pairs: dict[str, str]) -> None:
        self.fresh.update(pairs)


class _CacheReader:
    """An actor on the driver's node: lookups in the driver's translation cache, for the workers."""

    def __init__(self, db: str):
        self.cache = TranslationCache(state.connect(Path(db), threads=True))

    def get_many(self, info: ModelInfo, texts: list[str]) -> dict[str, str]:
        return self.cache.get_many(info, texts)


@dataclass(frozen=True)
class _Probed:
    """The model as the probe found it: what run.json records of it, the canary's English (for the driver's
    cache), or why it cannot be used."""

    info: ModelInfo | None = None
    load_s: float = 0.0
    unknown_share: float | None = None
    warning: str | None = None
    english: dict[str, str] = field(default_factory=dict)
    error: ModelUnavailable | None = None
    device: str = "cpu"


def _probe(spec: ModelSpec, options: BriefOptions, factory: TranslatorFactory, reader: Any) -> _Probed:
    """On the cluster, where an actor would run: the model loaded and checked once (the vocabulary check, the
    canary), before any article is sent to the actors."""
    t0 = time.perf_counter()
    try:
        translator = factory(spec, options)
    except ModelUnavailable as e:  # NeedsCT2 too: the driver tells them apart
        return _Probed(error=e)
    load_s = round(time.perf_counter() - t0, 4)
    try:
        share = check_vocabulary(translator, options.max_unknown)
    except VocabularyMismatch as e:
        return _Probed(translator.info, load_s, error=e)
    cache = _DriverCache(reader)
    limits = batch_limits(options.batch_size, options.max_batch_tokens, translator.device)
    warning = canary(translator, article.figures_wrong, cache, *limits)
    return _Probed(translator.info, load_s, None if share is None else round(share, 4), warning, cache.fresh,
                   device=translator.device)


class _Translate:
    """A translation actor: the model loaded once, then a batch of prepared articles at a time, translated
    together (jobs.translate_chunk: the cache first, length-sorted model batches, the figure guard's
    retranslations, article by article if the batch fails)."""

    def __init__(self, spec: ModelSpec, options: BriefOptions, factory: TranslatorFactory, steps: Steps, reader: Any,
                 note: str | None, out_dir: Path):
        self.translator = factory(spec, options)
        self.limits = batch_limits(options.batch_size, options.max_batch_tokens, self.translator.device)
        self.cache = _DriverCache(reader)
        self.steps, self.note, self.out_dir, self.max_unknown = steps, note, out_dir, options.max_unknown
        self.vetted = False

    def __call__(self, batch: Any) -> Any:
        rows = batch.to_pylist()
        out = [r for r in rows if r["kind"] != "ready"]
        place = {r["rel"]: r["i"] for r in rows}
        ready: list[Ready] = [pickle.loads(r["obj"]) for r in rows if r["kind"] == "ready"]
        if not ready:
            return _table(out)
        if not self.vetted:  # the vocabulary check on the actor's first articles too, as the local run does
            try:
                check_vocabulary(self.translator, self.max_unknown, [ko for r in ready for ko, *_ in r.units],
                                 "the run's first articles")
            except VocabularyMismatch as e:
                return _table(out + [_row(place[r.job.rel], r.job.rel, "stop", str(e)) for r in ready])
            self.vetted = True
        self.cache.fresh.clear()
        english = self.steps.translate(ready, self.translator, self.cache, self.limits)
        failed, writes = to_write(ready, english, self.translator.info, self.note, self.out_dir)
        out += [_row(place[e.path], e.path, "entry", e) for e in failed]
        out += [_row(place[r.job.rel], r.job.rel, "write", (w, r)) for w, r in writes]
        return _table(out)


def _compose_batch(batch: Any) -> Any:
    """On a CPU worker: each translated article's brief composed (the figure guard) and rendered."""
    out = []
    for row in batch.to_pylist():
        if row["kind"] != "write":
            out.append(row)
            continue
        w: WriteJob
        r: Ready
        w, r = pickle.loads(row["obj"])
        t0 = time.perf_counter()
        try:
            p = w.article.load() if isinstance(w.article, Spooled) else w.article
            brief = article.compose(p, w.first, w.retry, w.model, w.note)
            files = article.render(brief)
            flagged = sum(1 for line in brief.summary if line.text.flags)
            done = _Composed(r.job, files.json, files.markdown, flagged,
                             {**r.timings, "render_s": round(time.perf_counter() - t0, 4)},
                             digest_item(json.loads(files.json)), {**w.first, **w.retry}, w.model, r.warnings)
        except Exception as e:  # one bad article never stops the batch
            log.debug("failed to compose %s", r.job.rel, exc_info=True)
            out.append(_row(row["i"], r.job.rel, "entry",
                            Entry(r.job.rel, "failed", f"{type(e).__name__}: {e}", timings=r.timings)))
            continue
        out.append(_row(row["i"], r.job.rel, "brief", done))
    return _table(out)


# --------------------------------------------------------------------------- the run


def run_cluster(input_dir: Path | str, out_dir: Path, options: BriefOptions, force: bool = False,
                lock_wait: float = 0.0, translator_factory: TranslatorFactory | None = None,
                on_entry: Callable[[Entry], None] | None = None, steps: Steps = STEPS, locator: Locator | None = None,
                on_phase: OnPhase | None = None) -> RunReport:
    """Brief every article under `input_dir` (a local folder, or a URL of a folder in object storage) into
    `out_dir` on the Ray cluster at `options.ray_address` (see the module docstring). `translator_factory` loads
    the model in each actor (it must be picklable) and `locator` finds its files first, on the driver (by default
    the real ones, as in summarize.run); `steps.prepare` and `steps.translate` are the work of each article on the
    cluster (composing and rendering are done there too; the driver writes); `on_phase` and `on_entry` hear how
    it goes, as from summarize.run."""
    ray = _import_ray()  # before anything is touched: one line saying what to install
    spec = resolve_model(options.model, options.backend)
    out_dir = Path(out_dir).resolve()
    filesystem: Any = None
    objects: list[Object] = []
    paths: list[Path] = []
    if is_url(input_dir):
        shown = _shown(str(input_dir))
        filesystem, objects = find_objects(str(input_dir))
        if not objects:
            raise InputError(f"no article files ({', '.join(sorted(article.KINDS))}) in {shown}")
        rels = [o.rel for o in objects]
    else:
        root = Path(input_dir).resolve()
        shown = str(root)
        paths = check_folders(root, out_dir)
        rels = [p.relative_to(root).as_posix() for p in paths]
    state.open_out(out_dir)  # OutputError: the folder cannot be written
    if translator_factory is None:
        translator_factory, locator = load_translator, locator or locate
    phases = _Phases(on_phase)
    unwritten: OutputError | None = None
    report = RunReport(shown, str(out_dir), [], None, time.time())
    with state.OutputLock(state.state_dir(out_dir), lock_wait):
        state.clear_leftovers(out_dir)
        try:
            books = _Books(report, state.Articles(state.connect(state.db_path(out_dir))), on_entry)
            cache = TranslationCache(state.connect(state.db_path(out_dir), threads=True))
        except sqlite3.Error as e:
            raise state.cannot_write(out_dir, OSError(str(e))) from None
        planned = 0
        try:
            fingerprint = model_fingerprint(spec, options.revision)
            phases.start("plan")
            jobs = (_plan_objects(objects, out_dir, books.articles, fingerprint, options, force) if filesystem
                    else plan(paths, root, out_dir, books.articles, fingerprint, options, force))
            books.settle(*jobs.done, mark=False)
            phases.end("plan", count=len(jobs.todo))
            planned = len(report.entries)
            if jobs.todo and locator is not None:  # the model's files, before the cluster is contacted
                phases.start("locate", spec.name)
                locator(spec, options)
                phases.end("locate", spec.name)
            if jobs.todo:  # nothing to do: the cluster is not even contacted
                with _connected(ray, options.ray_address):
                    sides = {o.rel: o for o in objects} if filesystem else None
                    _Work(ray, spec, options, translator_factory, steps, out_dir, filesystem, sides, books, cache,
                          report, phases).run(jobs.todo)
        except ModelUnavailable as e:  # the model cannot be had, loaded or trusted: the run stops, in one line
            report.model_error = str(e)
            raise
        finally:
            report.finished = time.time()
            if report.model is None:
                report.model = {"id": spec.id, "revision": options.revision, "settings": asdict(options.generation)}
            place = {rel: k for k, rel in enumerate(rels)}  # the entries in the inputs' order, as they arrived in any
            report.entries[planned:] = sorted(report.entries[planned:], key=lambda e: place.get(e.path, len(place)))
            try:
                _write_report(report, out_dir, books.digest_items, options.base_url)
            except OSError as e:  # raised below, unless the run is stopping for another reason already
                unwritten = state.cannot_write(out_dir, e)
            cache.close()
            books.articles.db.close()
    if unwritten is not None:
        raise unwritten
    return report


@contextmanager
def _connected(ray: Any, address: str | None) -> Iterator[None]:
    """Ray as the caller set it up (ray.init done: used as it is), or connected to `address` for the run (None:
    RAY_ADDRESS, or the cluster started last on this machine, else a Ray of its own) and disconnected after."""
    if ray.is_initialized():
        yield
        return
    if address and address.startswith("ray://"):
        raise ClusterError(f"--ray-address {address}: a Ray Client address cannot be used, for the run's driver "
                           "writes OUT_DIR and reads its state on its own node: run it on a node of the cluster "
                           "(`ray job submit`, or --ray-address auto there)")
    try:
        ray.init(address=address, include_dashboard=False, logging_level=logging.WARNING)
    except (ConnectionError, ValueError, RuntimeError) as e:
        raise ClusterError(f"cannot reach the Ray cluster at {address or 'RAY_ADDRESS'}: {e}") from None
    try:
        yield
    finally:
        ray.shutdown()


@contextmanager
def _ray_data_quiet() -> Iterator[None]:
    """Ray Data logs each execution, its progress and its settings to the console at INFO and WARNING; a run
    reports its own progress, so these are left to -v (summarize's logger at INFO). Its errors still show."""
    ray_data = logging.getLogger("ray.data")
    level = ray_data.level
    with warnings.catch_warnings():
        if not log.isEnabledFor(logging.INFO):
            ray_data.setLevel(logging.ERROR)
            warnings.filterwarnings("ignore", module="ray.data")
        try:
            yield
        finally:
            ray_data.setLevel(level)


@dataclass(frozen=True)
class _Sizing:
    """How the run uses the cluster: translation actors, each one's CPUs and GPUs, articles per actor call."""

    actors: int
    cpus: float
    gpus: float
    batch: int

    @classmethod
    def of(cls, cluster: dict[str, float], options: BriefOptions) -> _Sizing:
        gpus = cluster.get("GPU", 0.0) if options.device != "cpu" else 0.0
        if gpus >= 1:
            return cls(_fit(options.ray.actors, int(gpus), "GPUs"), 1, 1, options.ray.batch_articles or 256)
        threads = max(1, options.threads)
        cpus = int(cluster.get("CPU", 1.0))
        room = max(1, (cpus - 1) // threads)  # a CPU at least for preparing and composing
        actors = _fit(options.ray.actors, room, f"CPUs for actors of {threads} thread(s)") if options.ray.actors \
            else max(1, min(room, cpus * 3 // 4 // threads))
        return cls(actors, threads, 0, options.ray.batch_articles or 16)


def _fit(asked: int, room: int, what: str) -> int:
    """`asked` actors (0: as many as there is room for), but no more than the cluster can hold: Ray Data would
    wait for actors that can never be placed."""
    if asked > room:
        log.warning("[ray] actors = %d, but the cluster has %s for %d: using %d", asked, what, room, room)
    return min(asked, room) if asked else room


class _Work:
    """One run's work on the cluster, and the driver's side of it: what comes back is written and recorded."""

    def __init__(self, ray: Any, spec: ModelSpec, options: BriefOptions, factory: TranslatorFactory, steps: Steps,
                 out_dir: Path, filesystem: Any, objects: dict[str, Object] | None, books: _Books,
                 cache: TranslationCache, report: RunReport, phases: _Phases):
        self.ray, self.spec, self.factory, self.steps, self.out_dir = ray, spec, factory, steps, out_dir
        self.filesystem, self.objects, self.books, self.cache, self.report = filesystem, objects, books, cache, report
        self.phases = phases
        self.size = _Sizing.of(ray.cluster_resources(), options)
        # a CPU actor's threads are the CPUs it holds; the glossary travels as a table (its file may be on this
        # machine only): the same names, so the same briefs and keys
        threads = int(self.size.cpus) if not self.size.gpus and not options.threads else options.threads
        self.options = replace(options, threads=threads, glossary=article.glossary(options), glossary_file=None)
        self.done: set[str] = set()
        self.writer = _Writer(out_dir, books, cache)

    def run(self, todo: list[Job]) -> None:
        ray = self.ray
        node = ray.get_runtime_context().get_node_id()
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        reader = ray.remote(num_cpus=0)(_CacheReader).options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node, soft=False)).remote(str(state.db_path(self.out_dir)))
        try:
            self._probe(reader)
            for per_batch in (None, 1):  # None: as sized; 1: the articles of lost batches, each alone
                left = [j for j in todo if j.rel not in self.done]
                if not left:
                    break
                if per_batch == 1:
                    log.warning("%d article(s) came back from no batch (a process died under them); running them "
                                "again one at a time", len(left))
                with _ray_data_quiet():
                    for row in self._pipeline(left, per_batch, reader).iter_rows():
                        self._take(row)
                self.writer.close()
                self.writer = _Writer(self.out_dir, self.books, self.cache)
            for j in todo:
                if j.rel not in self.done:
                    self.books.settle(Entry(j.rel, "failed", LOST))
        except SummarizeError:
            raise
        except Exception as e:  # Ray's own: the cluster failed the run (a node lost, actors never placed, ...)
            first = (str(e).strip().splitlines() or [""])[0]
            raise ClusterError(f"the Ray cluster failed the run: {type(e).__name__}: {first}") from e
        finally:
            self.writer.close()  # what was written is recorded, whatever stopped the run
            ray.kill(reader)

    def _probe(self, reader: Any) -> None:
        """The model loaded and checked once on the cluster; run.json's record of it."""
        if self.options.model is None and self.options.backend == "transformers":
            log.warning("--backend transformers cannot run the default model (quickmt, CTranslate2 only): using "
                        "%s; name it with --model to silence this", self.spec.id)
        self.phases.start("model", self.spec.name)
        probe = self.ray.remote(num_cpus=self.size.cpus, num_gpus=self.size.gpus, max_retries=1)(_probe)
        found: _Probed = self.ray.get(probe.remote(self.spec, self.options, self.factory, reader))
        if found.info is not None:
            self.report.model = {**asdict(found.info), "load_s": found.load_s}
        if found.error is not None:  # the model cannot be loaded or trusted: the run stops, as the local one
            raise found.error
        assert found.info is not None and self.report.model is not None
        self.report.model["unknown_share"] = found.unknown_share
        self.report.model_warning = found.warning
        if found.warning:
            log.warning("%s", found.warning)
        self.cache.put_many(found.info, found.english)
        info = found.info
        self.phases.end("model", f"{self.spec.name} ({info.backend or 'model'}"
                                 f"{', ' + info.compute_type if info.compute_type else ''}, {found.device} on the "
                                 f"cluster: {self.size.actors} actor{'s' if self.size.actors > 1 else ''})")

    def _pipeline(self, jobs: list[Job], per_batch: int | None, reader: Any) -> Any:
        """The Ray Data pipeline over `jobs`: prepare -> translate -> compose; `per_batch` 1 runs each article
        alone (blocks, tasks and actor calls of one)."""
        ray = self.ray
        rows = []
        for i, job in enumerate(jobs):
            if self.objects is not None:  # an object: the workers read it, and its sidecar
                o = self.objects[job.rel]
                rows.append(_row(i, job.rel, "job", _Shipped(job, o.size, None, _beside(job.rel, o.sidecar), None,
                                                             o.sidecar)))
                continue
            try:  # a local file: read here, and shipped, with its sidecar
                size = job.path.stat().st_size
                data = job.path.read_bytes() if size <= self.options.max_bytes else None
                found = article.sidecar(job.path)
                rows.append(_row(i, job.rel, "job", _Shipped(job, size, data, _beside(job.rel, found.name if found else None),
                                                             found.read_bytes()[:8192] if found else None)))
            except OSError as e:
                self.books.settle(Entry(job.rel, "failed", f"cannot read: {e.strerror or e}"))
                self.done.add(job.rel)
        per_task = per_batch or PER_TASK
        ctx = ray.data.DataContext.get_current()
        ctx.max_errored_blocks = -1  # a batch lost for good is dropped: its articles run again, each alone
        ctx.print_on_execution_start = False
        ds = ray.data.from_items(rows, override_num_blocks=max(1, math.ceil(len(rows) / per_task)))
        with warnings.catch_warnings():
            # Ray Data retries a task, or an actor's batch, whose process died for ever: a batch that kills its
            # process each time would never end. Two more tries, then its articles run again alone (above). Ray
            # 2.60 warns that these arguments (max_retries, max_task_retries) go in 2.64.
            warnings.simplefilter("ignore", DeprecationWarning)
            ds = ds.map_batches(_prepare_batch, batch_size=per_task, batch_format="pyarrow", num_cpus=1,
                                max_retries=RETRIES, fn_kwargs={"prepare": self.steps.prepare, "options": self.options,
                                                                "filesystem": self.filesystem})
            # the actors' remote arguments differ from the tasks': preparing does not fuse into them
            ds = ds.map_batches(_Translate, batch_size=per_batch or self.size.batch, batch_format="pyarrow",
                                compute=ray.data.ActorPoolStrategy(size=self.size.actors), num_cpus=self.size.cpus,
                                num_gpus=self.size.gpus, max_task_retries=RETRIES,
                                fn_constructor_kwargs={"spec": self.spec, "options": self.options,
                                                       "factory": self.factory, "steps": self.steps, "reader": reader,
                                                       "note": self.spec.warning, "out_dir": self.out_dir})
            return ds.map_batches(_compose_batch, batch_size=per_task, batch_format="pyarrow", num_cpus=1,
                                  max_retries=RETRIES)

    def _take(self, row: dict[str, Any]) -> None:
        """One row back from the cluster: a brief handed to the writer, or an entry recorded; a second copy of one
        already taken (a batch that ran twice) is left alone."""
        rel = row["rel"]
        if rel in self.done:
            return
        kind, obj = row["kind"], pickle.loads(row["obj"])
        if kind == "stop":
            raise VocabularyMismatch(obj)
        self.done.add(rel)
        if kind == "entry":
            self.books.settle(obj)
        else:
            self.writer.write(obj)


class _Writer:
    """The driver's writes of the briefs that come back: each brief's two files written atomically in a few threads
    (each write ends with an fsync, which holds no lock, so that several overlap), then, in the caller's thread and
    in the order the briefs came, each recorded once its files are in place: its English in the translation cache,
    its entry, its state. A brief whose files cannot be written fails, as a worker's failed write does in a local
    run. `close` waits for every write and records it."""

    THREADS = 4

    def __init__(self, out_dir: Path, books: _Books, cache: TranslationCache):
        self.out_dir, self.books, self.cache = out_dir, books, cache
        self.pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="summarize-write")
        self.pending: deque[tuple[_Composed, float, Future[None]]] = deque()

    def write(self, b: _Composed) -> None:
        self.pending.append((b, time.perf_counter(), self.pool.submit(self._files, b)))
        self._record(wait=len(self.pending) > 4 * self.THREADS)  # a bounded queue: the cluster waits for the disk

    def _files(self, b: _Composed) -> None:
        state.atomic_write(self.out_dir / f"{b.job.name}.json", b.json)
        state.atomic_write(self.out_dir / f"{b.job.name}.md", b.markdown)

    def _record(self, wait: bool = False, every: bool = False) -> None:
        """Record the briefs at the head of the queue whose files are written (`wait`: the first one at least;
        `every`: all of them)."""
        while self.pending and (wait or every or self.pending[0][2].done()):
            b, t0, written = self.pending.popleft()
            wait = False
            rel = b.job.rel
            try:
                written.result()
            except OSError as e:  # as a worker's failed write in a local run (run._Books.written)
                why = f"cannot write its brief: {e.strerror}" if e.errno in state.WRITE_ERRORS \
                    else f"{type(e).__name__}: {e}"
                self.books.settle(Entry(rel, "failed", why, timings=b.timings))
                continue
            self.cache.put_many(b.model, b.english)
            self.books.digest_items[rel] = b.digest
            timings = {**b.timings, "render_s": round(b.timings["render_s"] + time.perf_counter() - t0, 4)}
            self.books.settle(Entry(rel, "written", None, {"md": f"{b.job.name}.md", "json": f"{b.job.name}.json"},
                                    timings, b.flagged, b.warnings), key=b.job.key)

    def close(self) -> None:
        try:
            self._record(every=True)
        finally:
            self.pool.shutdown(wait=True)
