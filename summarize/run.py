"""The one place that wires the stages: one article (`prepare` + `compose`) and a whole run (`run`).

A run is incremental (an unchanged input with the same model and settings is not
redone), atomic (every file is written to a temporary name and renamed), locked
(one run per output folder), and never lets one bad article stop the others.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

from . import __version__
from .cleaning import clean
from .digest import digest_item, write_digest
from .errors import Locked, ModelUnavailable, NeedsCT2, Rejected, VocabularyMismatch
from .figures import article_domain, check_english, extract_figures, missing_figures, prerender
from .options import BriefOptions
from .quotes import find_quotes
from .reading import find_inputs, read_source
from .rendering import to_json, to_markdown
from .segmenting import segment_analysed
from .selecting import select
from .translation import (
    ModelSpec,
    TranslationCache,
    Translator,
    batch_limits,
    canary,
    check_vocabulary,
    load_translator,
    resolve_model,
    translate_texts,
)
from .types import Article, Brief, Figure, Line, ModelInfo, Quote, Sentence, SentenceScore, Source, Translated
from .workers import Task, WorkerDied, Workers, default_processes

__all__ = ["Prepared", "prepare", "explain", "Explained", "units_of", "compose", "guard", "run", "RunReport", "Entry", "STATE_DIR"]

log = logging.getLogger(__name__)

STATE_DIR = ".summarize"
RESERVED = {"run", "digest"}  # names of the run's own files in OUT_DIR
HANGUL = re.compile(r"[가-힣]")
NO_HEADLINE = "the page has no headline: the first summary sentence stands in"


# --------------------------------------------------------------------------- one article


@dataclass(frozen=True)
class Prepared:
    """An article read, cleaned, segmented, with its figures, quotes and summary chosen: ready to translate."""

    source: Source
    article: Article
    sentences: tuple[Sentence, ...]
    figures: tuple[Figure, ...]
    quotes: tuple[Quote, ...]
    summary: tuple[int, ...]
    # The texts to translate, each with the figures its English must keep (see units_of)
    units: tuple[tuple[str, tuple[Figure, ...]], ...] = ()
    scores: tuple[SentenceScore, ...] = ()  # why each summary sentence was chosen, in the order of `summary`


def prepare(path: Path, root: Path, options: BriefOptions) -> Prepared:
    """All the stages before translation. Raises Rejected for inputs that are not articles."""
    source = read_source(path, root, options.max_bytes)
    article = clean(source, options.min_hangul)
    sentences, tokens = segment_analysed(article.paragraphs, {p for p, _, _ in article.spoken})
    if not sentences:
        raise Rejected("no sentences in the article body")
    domain = article_domain([article.title or ""] + [s.ko for s in sentences])
    figures = [f for s in sentences for f in extract_figures(s.ko, s.id, domain)]
    bites = {p: (who, title) for p, who, title in article.spoken}  # a sound-bite is one sentence: its paragraph's
    quotes = find_quotes(sentences, tokens, {s.id: bites[s.paragraph] for s in sentences if s.paragraph in bites})
    counts: dict[int, int] = {}
    for f in figures:
        if is_quantity(f):
            counts[f.sentence] = counts.get(f.sentence, 0) + 1
    scores = select(sentences, counts, {q.sentence for q in quotes}, options.max_sentences, options.max_chars,
                    title=article.title, tokens=tokens)
    summary = tuple(sc.id for sc in scores)
    units = _units(article.title, sentences, figures, quotes, summary, domain)
    return Prepared(source, article, tuple(sentences), tuple(figures), tuple(quotes), summary, units, scores)


@dataclass(frozen=True)
class Explained:
    """How the reading and cleaning stages see one file: its lines, each with its class and rule."""

    path: str
    source: Source | None  # None: the file could not be read as text
    article: Article | None  # None: rejected
    reason: str | None  # why it was rejected
    lines: tuple[Line, ...]  # every non-blank line with its class and rule (as far as cleaning got)
    cuts: tuple[Line, ...] = ()


def explain(path: Path, options: BriefOptions) -> Explained:
    """Read and clean one file, keeping every line's class and rule, rejected or not."""
    path = Path(path)
    try:
        source = read_source(path, path.parent, options.max_bytes)
    except Rejected as e:
        return Explained(path.name, None, None, str(e), tuple(e.lines))
    try:
        article = clean(source, options.min_hangul)
    except Rejected as e:
        return Explained(path.name, source, None, str(e), tuple(e.lines))
    return Explained(path.name, source, article, None, article.lines, article.cuts)


def _who(q: Quote) -> str | None:
    """What the brief translates of who speaks: the name, or the role of someone the article does not name."""
    return q.speaker or q.speaker_title


def is_quantity(f: Figure) -> bool:
    """A figure that weighs in choosing summary sentences: an amount, not a rank, an ordinal, an age group
    or a number spelled `한` (a, one)."""
    return f.value is not None and f.kind not in ("ordinal", "rank") and f.unit != "age group" and bool(f.required)


def _units(title, sentences, figures, quotes, summary, domain=None) -> tuple[tuple[str, tuple[Figure, ...]], ...]:
    by_id = {s.id: s for s in sentences}
    units = [(title, tuple(extract_figures(title, -1, domain)))] if title else []
    for i in summary:
        units.append((by_id[i].ko, tuple(f for f in figures if f.sentence == i)))
    for q in quotes:
        units.append((q.ko, tuple(extract_figures(q.ko, q.sentence, domain))))
        if _who(q):
            units.append((_who(q), ()))
    return tuple(units)


@dataclass(frozen=True)
class Spooled:
    """A Prepared article that the worker process which prepared it left on disk: only its units (what
    the model and the figure check need) travel through the main process, and the worker that writes
    its brief loads the rest. The main process then never pickles a whole article, which on a GPU is
    time taken from the thread that drives the model."""

    path: Path
    units: tuple[tuple[str, tuple[Figure, ...]], ...]

    @classmethod
    def save(cls, p: Prepared, path: Path) -> Spooled:
        path.write_bytes(pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL))
        return cls(path, p.units)

    def load(self) -> Prepared:
        return pickle.loads(self.path.read_bytes())


def units_of(p: Prepared | Spooled) -> tuple[tuple[str, tuple[Figure, ...]], ...]:
    """The texts to translate, each with the figures its English must keep:
    the title, the summary sentences, each quote as its own unit, and the speakers (their names, or the
    role of a speaker the article does not name; worked out once, in prepare)."""
    return p.units


def guard(ko: str, figures: list[Figure], en: str, retry_en: str | None = None) -> Translated:
    """Check the model's English against the figures of its Korean.

    A figure the first English lost is looked for in `retry_en` (the translation of the
    sentence with its figures pre-rendered); one still missing is appended as
    `[26만㎡ = 260,000 m²]` and flagged `figure-restored`. A number that no figure of the
    Korean holds flags `unverified-number`; Hangul left in the English flags `untranslated`.
    Each flag has one note that says what it is about (`unverified-number: $19 billion is not in the
    source`); numbers are written as the English has them.
    """
    missing, extra = check_english(ko, figures, en)
    notes: list[str] = []
    if missing and retry_en is not None:
        missing2, extra2 = check_english(ko, figures, retry_en)
        if _badness(missing2, extra2, retry_en) < _badness(missing, extra, en):
            en, missing, extra = retry_en, missing2, extra2
            notes.append("retranslated with the figures written out")
    flags: list[str] = []
    if extra:
        flags.append("unverified-number")
        verb = "are" if len(extra) > 1 else "is"
        notes.append(f"unverified-number: {_and(extra)} {verb} not in the source")
    if HANGUL.search(en):
        flags.append("untranslated")
        notes.append("untranslated: the English still holds Korean text")
    if missing:
        flags.append("figure-restored")
        restored = " ".join(f"[{f.text} = {f.en}]" for f in missing)
        notes.append(f"figure-restored: the model dropped or changed {_and([f.text for f in missing])}; "
                     "restored from the source")
        en = f"{en} {restored}".strip()
    return Translated(ko=ko, en=en, flags=tuple(flags), notes=tuple(notes))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _badness(missing: list, extra: list, en: str) -> int:
    """How much is wrong with an English rendering: lost figures, invented numbers, Korean left over."""
    return len(missing) + len(extra) + (3 if HANGUL.search(en) else 0)


def compose(p: Prepared, first: dict[str, str], retry: dict[str, str], model: ModelInfo, note: str | None = None) -> Brief:
    """The brief of one article from its translations (`first`) and its figure-guard retranslations (`retry`)."""
    units = dict((ko, figs) for ko, figs in units_of(p))

    def tr(ko: str) -> Translated:
        figs = units.get(ko, [])
        retry_en = retry.get(prerender(ko, figs)) if figs else None
        return guard(ko, figs, first.get(ko, ""), retry_en)

    by_id = {s.id: s for s in p.sentences}
    summary = tuple((i, tr(by_id[i].ko)) for i in p.summary)
    if p.article.title:
        title = tr(p.article.title)
    else:  # no headline on the page: the first summary sentence's English stands in, and says so
        title = Translated(ko="", en=summary[0][1].en if summary else "", notes=(NO_HEADLINE,))
    quotes = tuple((q, tr(q.ko), tr(_who(q)) if _who(q) else None) for q in p.quotes)
    warnings: list[str] = []
    counted = _flag_count(title, summary, quotes)
    if counted:
        warnings.append(counted)
    if note:
        warnings.append(f"model licence: {note}")
    return Brief(
        source=p.source, article=p.article, sentences=p.sentences, summary=summary, figures=p.figures,
        quotes=quotes, title=title, warnings=tuple(warnings), model=model, tool_version=__version__,
        scores=p.scores,
    )


def _flag_count(title: Translated, summary, quotes) -> str | None:
    """The one line at the top of a brief that counts its flagged items; each item carries its own mark."""
    parts = []
    if title.flags:
        parts.append("the headline")
    flagged = sum(1 for _, t in summary if t.flags)
    if flagged:
        parts.append(f"{flagged} of {len(summary)} summary sentence{'s' if len(summary) > 1 else ''}")
    quoted = sum(1 for _, t, sp in quotes if t.flags or (sp is not None and sp.flags))
    if quoted:
        parts.append(f"{quoted} of {len(quotes)} quote{'s' if len(quotes) > 1 else ''}")
    if not parts:
        return None
    n = (1 if title.flags else 0) + flagged + quoted
    return f"{_and(parts)} {'is' if n == 1 else 'are'} flagged: see the ⚠️ marks below"


def retry_texts(p: Prepared | Spooled, first: dict[str, str]) -> list[str]:
    """The pre-rendered sources of the units whose first English lost a figure."""
    return [prerender(ko, figs) for ko, figs in units_of(p) if figs and ko in first
            and missing_figures(figs, first[ko])]


# --------------------------------------------------------------------------- run state


@dataclass
class Entry:
    path: str
    status: str  # written, unchanged, rejected, failed
    reason: str | None = None
    outputs: dict | None = None
    timings: dict = field(default_factory=dict)
    flags: int = 0


@dataclass
class RunReport:
    input_dir: str
    out_dir: str
    entries: list[Entry]
    model: dict | None
    started: float
    finished: float = 0.0
    model_error: str | None = None
    model_warning: str | None = None  # what the canary found wrong with the model's English

    def counts(self) -> dict[str, int]:
        out = {"written": 0, "unchanged": 0, "rejected": 0, "failed": 0}
        for e in self.entries:
            out[e.status] += 1
        return out

    @property
    def ok(self) -> bool:
        return self.counts()["failed"] == 0 and self.model_error is None

    def summary_line(self) -> str:
        c = self.counts()
        return (f"{c['written']} briefed, {c['unchanged']} unchanged, {c['rejected']} rejected, "
                f"{c['failed']} failed in {self.finished - self.started:.1f} s")

    def to_dict(self) -> dict:
        return {
            "schema": 1,
            "tool": {"version": __version__},
            "input": self.input_dir,
            "out": self.out_dir,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.started)),
            "duration_s": round(self.finished - self.started, 3),
            "model": self.model,
            "model_error": self.model_error,
            "model_warning": self.model_warning,
            "totals": self.counts(),
            "articles": [asdict(e) for e in self.entries],
        }


def atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class OutputLock:
    """An exclusive lock on the output folder, held for the whole run."""

    def __init__(self, state_dir: Path, wait: float = 0.0):
        self.path = state_dir / "lock"
        self.wait = wait
        self.fh = None

    def __enter__(self):
        self.fh = self.path.open("a+", encoding="utf-8")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    self.fh.seek(0)
                    holder = self.fh.read().strip() or "unknown"
                    self.fh.close()
                    raise Locked(
                        f"another summarize run (pid {holder}) is writing to {self.path.parent.parent}; "
                        "wait for it to finish, or pass --lock-wait SECONDS"
                    ) from None
                time.sleep(0.2)
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


class State:
    """Which input became which brief, with which key: SQLite beside the outputs."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        # a commit lost to a power cut only makes the next run redo that article: no fsync per commit
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, "
            "key TEXT, status TEXT, updated REAL)"
        )
        self.db.commit()

    def names(self, paths: list[str]) -> dict[str, str]:
        """A unique output name per input: its stem, unless another input already has it."""
        known = dict(self.db.execute("SELECT path, name FROM articles").fetchall())
        taken = set(known.values()) | RESERVED  # run.json and digest.md are the run's own
        out = {}
        for rel in sorted(paths):
            if rel in known:
                out[rel] = known[rel]
                continue
            p = Path(rel)
            stem = _safe(p.stem)
            candidates = [stem, f"{stem}-{p.suffix.lstrip('.').lower()}", _safe("-".join(p.with_suffix("").parts))]
            name = next((c for c in candidates if c not in taken), None)
            k = 2
            while name is None:
                name = f"{stem}-{k}" if f"{stem}-{k}" not in taken else None
                k += 1
            taken.add(name)
            out[rel] = name
            self.db.execute("INSERT INTO articles (path, name) VALUES (?, ?)", (rel, name))
        self.db.commit()
        return out

    def key(self, rel: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT key, status FROM articles WHERE path = ?", (rel,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def mark(self, rel: str, key: str | None, status: str) -> None:
        self.db.execute("UPDATE articles SET key = ?, status = ?, updated = ? WHERE path = ?",
                        (key, status, time.time(), rel))
        self.db.commit()  # at once: the translation cache writes to the same database

    def close(self) -> None:
        self.db.close()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "article"


def _model_fingerprint(spec: ModelSpec, options: BriefOptions) -> str:
    """What identifies the model before it is loaded: hub id and revision, or the folder's files."""
    if not spec.local:
        return f"{spec.id}@{options.revision or 'default'}"
    parts = [spec.id]
    for p in sorted(Path(spec.id).iterdir()):
        if p.is_file():
            st = p.stat()
            parts.append(f"{p.name}:{st.st_size}:{int(st.st_mtime)}")
    return "|".join(parts)


def _article_key(sha256: str, fingerprint: str, options: BriefOptions) -> str:
    relevant = {
        "model": fingerprint,
        "generation": asdict(options.generation),
        "backend": [options.backend, options.compute_type],
        "max_sentences": options.max_sentences,
        "max_chars": options.max_chars,
        "min_hangul": options.min_hangul,
        "tool": __version__,
    }
    blob = json.dumps([sha256, relevant], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


# --------------------------------------------------------------------------- the run


def run(
    input_dir: Path,
    out_dir: Path,
    options: BriefOptions,
    force: bool = False,
    lock_wait: float = 0.0,
    translator_factory: Callable[[ModelSpec, BriefOptions], Translator] | None = None,
    on_entry: Callable[[Entry], None] | None = None,
) -> RunReport:
    """Brief every article under `input_dir` into `out_dir`. See the module docstring for the guarantees."""
    spec = resolve_model(options.model, options.backend)  # UnknownModel before anything is touched
    input_dir, out_dir = input_dir.resolve(), out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    state_dir = out_dir / STATE_DIR
    state_dir.mkdir(exist_ok=True)
    report = RunReport(str(input_dir), str(out_dir), [], None, time.time())

    def emit(e: Entry) -> None:
        report.entries.append(e)
        if on_entry:
            on_entry(e)

    with OutputLock(state_dir, lock_wait):
        for stale in out_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)  # left by a run that was killed mid-write
        spool_dir = state_dir / "spool"
        shutil.rmtree(spool_dir, ignore_errors=True)  # likewise
        digest_items: dict[str, dict] = {}
        state = State(state_dir / "state.sqlite")
        cache = TranslationCache(state_dir / "state.sqlite")
        try:
            paths = find_inputs(input_dir, exclude=(out_dir,))
            rels = [p.resolve().relative_to(input_dir).as_posix() for p in paths]
            names = state.names(rels)
            fingerprint = _model_fingerprint(spec, options)
            todo: list[tuple[Path, str, str]] = []
            for path, rel in zip(paths, rels, strict=True):
                try:
                    sha = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as e:
                    emit(Entry(rel, "failed", f"cannot read: {e.strerror or e}"))
                    continue
                key = _article_key(sha, fingerprint, options)
                old_key, old_status = state.key(rel)
                outputs = {"md": f"{names[rel]}.md", "json": f"{names[rel]}.json"}
                if (not force and old_key == key and old_status == "written"
                        and all((out_dir / f).exists() for f in outputs.values())):
                    emit(Entry(rel, "unchanged", None, outputs))
                    continue
                todo.append((path, rel, key))

            translator: Translator | None = None
            load_error: str | None = None
            with Workers(default_processes(options.workers, len(todo))) as workers:
                # preparation starts at once, in the workers, while this thread loads the model
                spool = spool_dir if workers.mode == "processes" else None  # articles stay with the workers
                if spool:
                    spool.mkdir()
                per_task = PER_TASK if workers.mode == "processes" else 1
                preparing = _Queue(workers, _prepare_one)
                jobs = iter(todo)

                def top_up() -> None:  # a bounded window of articles in preparation
                    while len(preparing) < max(8, 4 * workers.processes) and (group := list(islice(jobs, per_task))):
                        preparing.submit([(path, rel, key, input_dir, options, spool and spool / f"{names[rel]}.pickle")
                                          for path, rel, key in group], [rel for _, rel, _ in group])

                top_up()
                if todo:
                    t0 = time.perf_counter()
                    if options.model is None and options.backend == "transformers":
                        log.warning("--backend transformers cannot run the default model (quickmt, CTranslate2 "
                                    "only): using %s; name it with --model to silence this", spec.id)
                    try:
                        translator = (translator_factory or load_translator)(spec, options)
                        report.model = {**asdict(translator.info), "load_s": _since(t0)}
                    except NeedsCT2:
                        raise
                    except ModelUnavailable as e:
                        load_error = str(e)
                limits = batch_limits(options.batch_size, options.max_batch_tokens, getattr(translator, "device", "cpu"))
                if translator is not None:  # a vocabulary that cannot read Korean stops the run, in one line
                    share = check_vocabulary(translator, options.max_unknown)
                    report.model["unknown_share"] = None if share is None else round(share, 4)
                    report.model_warning = canary(  # once per run, from the cache where it can
                        translator, lambda ko, en: any(check_english(ko, extract_figures(ko), en)), cache, *limits)
                    if report.model_warning:
                        log.warning("%s", report.model_warning)
                vetted = False  # the first articles' own pieces checked too
                writing = _Queue(workers, _write_one)

                def finish() -> None:
                    for (rel, key, timings, p), out in writing.pop():
                        if isinstance(out, Exception):
                            state.mark(rel, None, "failed")
                            emit(Entry(rel, "failed", f"{type(out).__name__}: {out}", timings=timings))
                            continue
                        name, flags, render_s, digest_items[rel] = out
                        if isinstance(p, Spooled):
                            p.path.unlink(missing_ok=True)
                        state.mark(rel, key, "written")
                        emit(Entry(rel, "written", None, {"md": f"{name}.md", "json": f"{name}.json"},
                                   {**timings, "render_s": render_s}, flags))

                # a chunk: at least a full batch of units if there are that many, and whatever else is
                # ready by then, up to 8 batches (room for sorting by length), so that the model neither
                # waits for stragglers nor gets crumbs (a last batch of a few joins the one before)
                floor = limits[0] * max(1, getattr(translator, "parallel", 1))
                while len(preparing):
                    chunk: list = []
                    units = 0
                    while len(preparing) and units < 8 * floor and (units < floor or preparing.ready()):
                        outcomes = preparing.pop()
                        top_up()
                        for rel, outcome in outcomes:
                            if isinstance(outcome, Exception):  # its worker died twice, or its result was unreadable
                                outcome = Entry(rel, "failed", f"{type(outcome).__name__}: {outcome}")
                            if isinstance(outcome, Entry):  # rejected or failed while preparing
                                state.mark(outcome.path, None, outcome.status)
                                emit(outcome)
                                continue
                            chunk.append(outcome)
                            units += len(outcome[0].units)
                    if not chunk:
                        continue
                    report.model_error = report.model_error or load_error  # an error only if an article needed it
                    if translator is None:
                        for _p, rel, _, timings in chunk:
                            state.mark(rel, None, "failed")
                            emit(Entry(rel, "failed", "model unavailable (run.json's model_error says why)",
                                       timings=timings))
                        continue
                    if not vetted:
                        check_vocabulary(translator, options.max_unknown, [ko for p, *_ in chunk for ko, _ in p.units],
                                         "the run's first articles")
                        vetted = True
                    first, retry, retried, failures = _translate_chunk(chunk, translator, cache, limits)
                    calls, tags = [], []
                    for p, rel, key, timings in chunk:
                        if rel in failures:
                            state.mark(rel, None, "failed")
                            emit(Entry(rel, "failed", failures[rel], timings=timings))
                            continue
                        mine = {ko: first[ko] for ko, _ in p.units if ko in first}
                        again = {r: retry[r] for r in retried.get(rel, ()) if r in retry}
                        calls.append((p, mine, again, translator.info, spec.warning, out_dir, names[rel]))
                        tags.append((rel, key, timings, p))
                    for i in range(0, len(calls), per_task):
                        writing.submit(calls[i:i + per_task], tags[i:i + per_task])
                    while writing.ready():
                        finish()
                while len(writing):
                    finish()
        except (NeedsCT2, VocabularyMismatch) as e:  # the wrong model for this run: it stops, in one line
            report.model_error = str(e)
            raise
        finally:
            report.finished = time.time()
            if report.model is None:
                report.model = {"id": spec.id, "revision": options.revision, "settings": asdict(options.generation)}
            run_info = report.to_dict()
            atomic_write(out_dir / "run.json", json.dumps(run_info, ensure_ascii=False, indent=2) + "\n")
            try:
                write_digest(run_info, out_dir, atomic_write, digest_items)
            except Exception:  # the briefs and run.json are written; a digest must not hide what went wrong
                log.warning("could not write the digest", exc_info=True)
            shutil.rmtree(spool_dir, ignore_errors=True)  # articles that failed before their brief was written
            cache.close()
            state.close()
    return report


# Articles per worker task, where the workers are processes: each round trip through the pool costs the
# main process (pickling, waking its threads) about what a small article's share of the model does on a GPU
PER_TASK = 4


def _calls(fn: Callable, calls: list[tuple]) -> list:
    """fn(*args) for each of `calls`, in one worker task: each result, or the exception in its place."""
    out = []
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


class _Queue:
    """Worker tasks of a few calls of `fn` each, in the order submitted. A task whose worker died twice
    (WorkerDied) is split into one task per call, so that only the call that kills its worker fails."""

    def __init__(self, workers: Workers, fn: Callable):
        self.workers, self.fn = workers, fn
        self.tasks: deque[tuple[list[tuple], list, Task]] = deque()

    def __len__(self) -> int:
        return len(self.tasks)

    def submit(self, calls: list[tuple], tags: list) -> None:
        """`tags`: what the caller wants back beside each call's result."""
        self.tasks.append((calls, tags, self.workers.submit(_calls, self.fn, calls)))

    def ready(self) -> bool:
        return bool(self.tasks) and self.tasks[0][2].done()

    def pop(self) -> list[tuple[object, object]]:
        """(tag, result or exception) for each call of the oldest task, waiting for it."""
        calls, tags, task = self.tasks.popleft()
        try:
            return list(zip(tags, task.result(), strict=True))
        except WorkerDied as e:
            if len(calls) == 1:
                return [(tags[0], e)]
            for call, tag in reversed(list(zip(calls, tags, strict=True))):
                self.tasks.appendleft(([call], [tag], self.workers.submit(_calls, self.fn, [call])))
            return self.pop()
        except Exception as e:  # its result could not be read back
            return [(tag, e) for tag in tags]


def _prepare_one(path: Path, rel: str, key: str, input_dir: Path, options: BriefOptions, spool: Path | None = None):
    """A Prepared article (Spooled to `spool`, where given) with its bookkeeping, or the Entry that says
    why it cannot be one. Runs in a worker."""
    t0 = time.perf_counter()
    try:
        p = prepare(path, input_dir, options)
        if spool is not None:
            p = Spooled.save(p, spool)
    except Rejected as e:
        return Entry(rel, "rejected", str(e), timings={"prepare_s": _since(t0)})
    except Exception as e:  # one bad article never stops the batch
        log.debug("failed to prepare %s", rel, exc_info=True)
        return Entry(rel, "failed", f"{type(e).__name__}: {e}", timings={"prepare_s": _since(t0)})
    return p, rel, key, {"prepare_s": _since(t0)}


def _write_one(p: Prepared | Spooled, first: dict[str, str], retry: dict[str, str], model: ModelInfo,
               note: str | None, out_dir: Path, name: str) -> tuple[str, int, float, dict]:
    """Compose, render and write one brief: (name, flagged summary sentences, seconds, its digest entry).
    Runs in a worker."""
    t0 = time.perf_counter()
    if isinstance(p, Spooled):
        p = p.load()  # the file stays until the brief is written: a task whose worker died runs again
    brief = compose(p, first, retry, model, note)
    data = to_json(brief)
    atomic_write(out_dir / f"{name}.json", data)
    atomic_write(out_dir / f"{name}.md", to_markdown(brief))
    return name, sum(1 for _, t in brief.summary if t.flags), _since(t0), digest_item(json.loads(data))


def _since(t0: float) -> float:
    return round(time.perf_counter() - t0, 4)


def _translate_all(translator, cache, limits: tuple[int, int], texts):
    return translate_texts(translator, texts, cache, *limits)


def _translate_chunk(chunk, translator, cache, limits: tuple[int, int]) -> tuple[dict, dict, dict, dict[str, str]]:
    """English for the units of a chunk of articles, together: (first, retry, the retried texts by
    article, failures by article).

    If the batched call fails, the articles are translated one by one, so that one article the
    model chokes on fails alone.
    """
    t0 = time.perf_counter()
    failures: dict[str, str] = {}
    retried: dict[str, list[str]] = {}
    try:
        first = _translate_all(translator, cache, limits, [ko for p, *_ in chunk for ko, _ in p.units])
        for p, rel, _, _ in chunk:
            retried[rel] = retry_texts(p, first)
        retry = _translate_all(translator, cache, limits, [t for ts in retried.values() for t in ts])
    except Exception:
        log.warning("batched translation failed; translating article by article", exc_info=True)
        first, retry = {}, {}
        for p, rel, _, _ in chunk:
            try:
                f = _translate_all(translator, cache, limits, [ko for ko, _ in p.units])
                retried[rel] = retry_texts(p, f)
                retry.update(_translate_all(translator, cache, limits, retried[rel]))
                first.update(f)
            except Exception as e:
                failures[rel] = f"translation failed: {type(e).__name__}: {e}"
    share = _since(t0) / max(1, len(chunk))
    for _p, _rel, _key, timings in chunk:
        timings["translate_s"] = round(share, 4)
    return first, retry, retried, failures


# --------------------------------------------------------------------------- delivery


def send_email(out_dir: Path, recipients: list[str], settings, each: bool = False, dry_run: bool = False,
               resend: bool = False, policy=None, sleep=time.sleep) -> list:
    """Mail the digest (or each brief) of the last run in `out_dir` to every recipient.
    A dry run writes .eml files to OUT_DIR/outbox/email/ instead."""
    from .delivery import Outcome, RetryPolicy, deliver, items_to_send, with_retries
    from .mailing import build_message, send_message, write_eml

    items = items_to_send(out_dir, each)
    if dry_run:
        out = []
        for r in recipients:
            for item in items:
                path = write_eml(build_message(item, r, settings), out_dir / "outbox" / "email" / _safe(r), item.name)
                out.append(Outcome("email", r, item.name, "written", str(path)))
        return out
    policy = policy or RetryPolicy()

    def one(item, recipient, _logbook) -> int:
        msg = build_message(item, recipient, settings)
        return with_retries(lambda: send_message(msg, settings), policy, f"email to {recipient}", sleep)

    return deliver(items, recipients, "email", one, out_dir, resend)


def send_slack(out_dir: Path, target, each: bool = False, dry_run: bool = False, resend: bool = False,
               policy=None, sleep=time.sleep) -> list:
    """Post the digest (or each brief) of the last run to Slack. A dry run writes the JSON payloads to
    OUT_DIR/outbox/slack/ instead."""
    from .delivery import Outcome, RetryPolicy, deliver, items_to_send, with_retries
    from .slack import messages_for, post

    items = items_to_send(out_dir, each)
    if dry_run:
        folder = out_dir / "outbox" / "slack"
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for item in items:
            for n, payload in enumerate(messages_for(item), 1):
                path = folder / f"{item.name}.{n}.json"
                path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            out.append(Outcome("slack", target.name, item.name, "written", str(folder)))
        return out
    policy = policy or RetryPolicy()

    def one(item, recipient, logbook) -> int:
        """Each message of the item that has not gone yet: a re-run after a failure part-way through
        posts only the rest, into the first message's thread."""
        attempts, ts = 0, None
        done = {} if resend else logbook.parts("slack", recipient, item)
        for n, payload in enumerate(messages_for(item), 1):
            if n in done:
                ts = ts or done[n]
                continue

            def send(p=payload, n=n):
                nonlocal ts
                got = post(target, p, ts)
                logbook.record_part("slack", recipient, item, n, got)
                ts = ts or got  # the rest of a long brief goes into the first message's thread
            attempts += with_retries(send, policy, f"Slack {target.name}", sleep)
        return attempts

    return deliver(items, [target.name], "slack", one, out_dir, resend)
