"""The translation cache: a re-run translates nothing it has translated before with the same model and
settings."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable

from ..records import ModelInfo

__all__ = ["TranslationCache"]

_KEY_BASES: dict[int, tuple[ModelInfo, hashlib._Hash]] = {}  # id(ModelInfo) -> (that ModelInfo, sha256 of the model part of a key)


class TranslationCache:
    """Translations keyed by text, model, revision and settings, in the `translations` table of an SQLite
    database whose schema summarize.state owns (`state.connect(path, threads=True)` opens one)."""

    def __init__(self, db: sqlite3.Connection):
        self._lock = threading.Lock()  # the connection is shared by the run's threads
        self.db = db
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(info: ModelInfo, text: str) -> str:
        """sha256 of the JSON list [id, revision, backend, compute type, settings, text]; the model part
        hashed once per model, not once per text."""
        base = _KEY_BASES.get(id(info))
        if base is None or base[0] is not info:
            head = json.dumps([info.id, info.revision, info.backend, info.compute_type, info.settings],
                              sort_keys=True, ensure_ascii=False)
            if len(_KEY_BASES) > 64:
                _KEY_BASES.clear()
            base = _KEY_BASES[id(info)] = (info, hashlib.sha256((head[:-1] + ", ").encode("utf-8")))
        h = base[1].copy()
        h.update((json.dumps(text, ensure_ascii=False) + "]").encode("utf-8"))
        return h.hexdigest()

    # Each SQLite step lets other threads take the GIL, and getting it back can take a switch
    # interval (5 ms) while a busy thread holds it; so a lookup or a store is one statement of one
    # step, the keys and rows travelling as JSON, not a step per row.

    def get_many(self, info: ModelInfo, texts: Iterable[str]) -> dict[str, str]:
        by_key = {self.key(info, t): t for t in texts}
        if not by_key:
            return {}
        with self._lock:
            (found,) = self.db.execute(
                "SELECT json_group_object(t.key, t.en) FROM json_each(?) AS k JOIN translations AS t ON t.key = k.value",
                (json.dumps(list(by_key)),),
            ).fetchone()
        return {by_key[k]: en for k, en in json.loads(found or "{}").items()}

    def put_many(self, info: ModelInfo, pairs: dict[str, str]) -> None:
        rows = {self.key(info, k): v for k, v in pairs.items()}
        with self._lock:
            self.db.execute("INSERT OR REPLACE INTO translations (key, en) SELECT key, value FROM json_each(?)",
                            (json.dumps(rows, ensure_ascii=False),))
            self.db.commit()

    def close(self) -> None:
        self.db.close()
