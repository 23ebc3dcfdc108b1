"""The run state beside the outputs (OUT_DIR/.summarize/): the lock, atomic writes, and the one SQLite
database with its schema.

This module owns the schema of state.sqlite, all of it: `articles` (which input became which brief, with
which key), `translations` (the translation cache, read and written by summarize.translate.cache) and
`deliveries` with `delivery_parts` (what was sent where, by summarize.deliver). The schema has a version
(SQLite's user_version) and a list of migrations; `connect` brings a database up to date, and refuses
one that a newer version of the tool wrote.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sqlite3
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import Locked, OutputError, StateError
from .host import bounded_name, safe_name
from .records import Status

__all__ = ["STATE_DIR", "WRITE_ERRORS", "SCHEMA_VERSION", "MIGRATIONS", "state_dir", "db_path", "spool_dir", "clear_leftovers", "connect",
           "open_out", "cannot_write",
           "Articles",
           "Deliveries", "OutputLock", "atomic_write"]

STATE_DIR = ".summarize"
# The errors of a write that say the output folder cannot take it (a full disk, a quota, a read-only mount)
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
RESERVED = {"run", "digest"}  # names of the run's own files in OUT_DIR

# Each entry takes the schema from version i to i + 1. Version 1 is the schema as the tool created it before
# the database had a version; its statements keep the tables such a database already has.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, "
        "key TEXT, status TEXT, updated REAL)",
        "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, en TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS deliveries (channel TEXT, recipient TEXT, item TEXT, digest TEXT, "
        "sent REAL, PRIMARY KEY (channel, recipient, digest))",
        # the messages of an item sent in several (a long brief on Slack), each with its id (Slack's ts)
        "CREATE TABLE IF NOT EXISTS delivery_parts (channel TEXT, recipient TEXT, digest TEXT, part INTEGER, "
        "ref TEXT, sent REAL, PRIMARY KEY (channel, recipient, digest, part))",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def state_dir(out_dir: Path) -> Path:
    return out_dir / STATE_DIR


def db_path(out_dir: Path) -> Path:
    return out_dir / STATE_DIR / "state.sqlite"


def spool_dir(out_dir: Path) -> Path:
    """Where worker processes leave the articles they prepared until their briefs are written."""
    return out_dir / STATE_DIR / "spool"


def open_out(out_dir: Path) -> None:
    """Make the output folder and its state folder, and check that a file can be written there; OutputError says
    in one line why not (a read-only file system, no permission, a file where a folder should be)."""
    try:
        state_dir(out_dir).mkdir(parents=True, exist_ok=True)
        probe = state_dir(out_dir) / f".probe.{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise cannot_write(out_dir, e) from None


def cannot_write(out_dir: Path, e: OSError) -> OutputError:
    """The one-line error for a write into the output folder that failed."""
    blocker = next((p for p in (out_dir, *out_dir.parents) if p.exists() and not p.is_dir()), None)
    why = f"{blocker} is a file, not a folder" if blocker is not None else (e.strerror or str(e))
    return OutputError(f"cannot write to the output folder {out_dir}: {why}")


def clear_leftovers(out_dir: Path) -> None:
    """What a run that was killed left behind: half-written files (never renamed into place) and the articles
    its workers spooled."""
    for stale in out_dir.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    shutil.rmtree(spool_dir(out_dir), ignore_errors=True)


def connect(path: Path | None, *, threads: bool = False, durable: bool = False) -> sqlite3.Connection:
    """The state database at `path` (None: in memory), migrated to SCHEMA_VERSION.

    `threads`: the connection may be used from several threads (the caller serialises its use).
    `durable`: every commit reaches the disk (what was delivered must not be forgotten); otherwise a commit
    lost to a power cut only makes the next run redo an article or a translation.
    """
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path) if path is not None else ":memory:", timeout=30, check_same_thread=not threads)
    if path is not None:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    _migrate(db, path)
    return db


def _version(db: sqlite3.Connection) -> int:
    (version,) = db.execute("PRAGMA user_version").fetchone()
    return int(version)


def _migrate(db: sqlite3.Connection, path: Path | None) -> None:
    if _version(db) == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")  # one process migrates; another waits, then finds it done
    try:
        version = _version(db)
        if version > SCHEMA_VERSION:
            raise StateError(f"{path} was written by a newer version of summarize (schema {version}; this one "
                             f"knows {SCHEMA_VERSION}): use that version, or another output folder")
        for step in MIGRATIONS[version:]:
            for statement in step:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.commit()
    except BaseException:
        db.rollback()
        raise


class Articles:
    """The `articles` table: which input became which brief (its output name), with which key and status."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

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
            stem = bounded_name(safe_name(p.stem))
            candidates = [stem, f"{stem}-{p.suffix.lstrip('.').lower()}",
                          bounded_name(safe_name("-".join(p.with_suffix("").parts)))]
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
        """The key and status the input had after its last run, or (None, None)."""
        row = self.db.execute("SELECT key, status FROM articles WHERE path = ?", (rel,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def mark(self, rel: str, key: str | None, status: Status) -> None:
        self.db.execute("UPDATE articles SET key = ?, status = ?, updated = ? WHERE path = ?",
                        (key, status, time.time(), rel))
        self.db.commit()  # at once: the translation cache writes to the same database


class Deliveries:
    """The `deliveries` and `delivery_parts` tables: which item (by the digest of its content) went to which
    recipient over which channel, and the parts of an item sent in several messages."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def sent(self, channel: str, recipient: str, digest: str) -> bool:
        row = self.db.execute("SELECT 1 FROM deliveries WHERE channel = ? AND recipient = ? AND digest = ?",
                              (channel, recipient, digest)).fetchone()
        return row is not None

    def record(self, channel: str, recipient: str, name: str, digest: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?, ?, ?)",
                        (channel, recipient, name, digest, time.time()))
        self.db.commit()

    def parts(self, channel: str, recipient: str, digest: str) -> dict[int, str | None]:
        """The parts of an item already sent to `recipient`: part number -> its message id."""
        rows = self.db.execute("SELECT part, ref FROM delivery_parts WHERE channel = ? AND recipient = ? AND digest = ?",
                               (channel, recipient, digest)).fetchall()
        return dict(rows)

    def record_part(self, channel: str, recipient: str, digest: str, part: int, ref: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO delivery_parts VALUES (?, ?, ?, ?, ?, ?)",
                        (channel, recipient, digest, part, ref, time.time()))
        self.db.commit()


def atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    tmp = path.with_name(f".{bounded_name(path.name)}.{os.getpid()}.tmp")  # under 255 bytes, however long the name
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk keeps no half-written file
        raise


class OutputLock:
    """An exclusive lock on the output folder, held for the whole run (`state_dir`: OUT_DIR/.summarize). `name`:
    another lock in the same folder (`deliver.lock`: the delivery log's, held by `send`), `what` the holder."""

    def __init__(self, state_dir: Path, wait: float = 0.0, name: str = "lock", what: str = "summarize run"):
        self.path = state_dir / name
        self.wait = wait
        self.what = what
        self.fh: IO[str] | None = None

    def __enter__(self) -> OutputLock:
        fh = self.fh = self.path.open("a+", encoding="utf-8")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    fh.close()
                    raise Locked(
                        f"another {self.what} (pid {holder}) is writing to {self.path.parent.parent}; "
                        "wait for it to finish, or pass --lock-wait SECONDS"
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.fh is not None:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
