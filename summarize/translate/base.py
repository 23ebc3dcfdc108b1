"""Translation: model names, the model interface, batching, splitting and the translation cache.

Nothing here imports torch or transformers: the Hugging Face implementation lives in
`summarize.model` and is imported only when a model is loaded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import UnknownModel, VocabularyMismatch
from .types import ModelInfo

__all__ = [
    "MODELS",
    "Alias",
    "ModelSpec",
    "default_model",
    "resolve_model",
    "Translator",
    "TranslationCache",
    "batches",
    "split_long",
    "translate_texts",
    "load_translator",
    "VOCABULARY_TEXT",
    "CANARY",
    "check_vocabulary",
    "canary",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSpec:
    """A model to load: a hub id or a local folder."""

    name: str  # what the user asked for
    id: str  # hub id, or the folder's absolute path
    local: bool
    warning: str | None = None  # a caveat every brief must carry (a non-commercial licence)
    backend: str | None = None  # "ct2": known to be a ready CTranslate2 model, which only that backend runs


NON_COMMERCIAL = "CC-BY-NC 4.0: non-commercial use only"


@dataclass(frozen=True)
class Alias:
    """A model the project names and has looked at: where it is, what runs it, its licence and download size."""

    hub_id: str
    backend: str  # "ct2" (a ready CTranslate2 model: the ct2 backend only) or "any" (transformers weights)
    licence: str
    size: str  # what a download fetches: one weight format and the tokenizer files, from the hub's file sizes
    description: str
    warning: str | None = None


# The aliases, from a table kept here (`summarize models` shows it without the network). The first is the
# default; with --backend transformers, which cannot run it, the default is TRANSFORMERS_DEFAULT.
MODELS: dict[str, Alias] = {
    "quickmt": Alias("quickmt/quickmt-ko-en", "ct2", "CC-BY 4.0", "363 MB",
                     "transformer-big, 8+2 layers, ready CTranslate2 model"),
    "opus-mt": Alias("Helsinki-NLP/opus-mt-ko-en", "any", "Apache-2.0 / CC-BY 4.0", "315 MB",
                     "Marian base, one joint vocabulary"),
    "opus-mt-tc-big": Alias("Helsinki-NLP/opus-mt-tc-big-ko-en", "any", "CC-BY 4.0", "420 MB",
                            "Marian transformer-big; separate vocabularies, suspect in its HF port"),
    "nllb-600m": Alias("facebook/nllb-200-distilled-600M", "any", "CC-BY-NC 4.0", "2.5 GB",
                       "NLLB-200 distilled 600M", NON_COMMERCIAL),
    "nllb-1.3b": Alias("facebook/nllb-200-distilled-1.3B", "any", "CC-BY-NC 4.0", "5.5 GB",
                       "NLLB-200 distilled 1.3B", NON_COMMERCIAL),
    "nllb-3.3b": Alias("facebook/nllb-200-3.3B", "any", "CC-BY-NC 4.0", "17.6 GB", "NLLB-200 3.3B", NON_COMMERCIAL),
}
DEFAULT_MODEL = next(iter(MODELS))
TRANSFORMERS_DEFAULT = "opus-mt"


def default_model(backend: str = "auto") -> str:
    """The alias a run uses when no model is named: quickmt, or opus-mt where only transformers may run."""
    return TRANSFORMERS_DEFAULT if backend == "transformers" else DEFAULT_MODEL


def resolve_model(name: str | None, backend: str = "auto") -> ModelSpec:
    """An alias, a local folder, or a hub id (`org/name`); None is the default for the backend.
    Raises UnknownModel otherwise."""
    if name is None:
        name = default_model(backend)
    if name in MODELS:
        a = MODELS[name]
        return ModelSpec(name, a.hub_id, False, a.warning, "ct2" if a.backend == "ct2" else None)
    path = Path(name).expanduser()
    if path.is_dir():
        return ModelSpec(name, str(path.resolve()), True, None)
    looks_like_path = name.startswith((".", "/", "~")) or "\\" in name or name.count("/") > 1
    if looks_like_path:
        raise UnknownModel(f"model folder not found: {name}")
    if re.fullmatch(r"[\w.-]+/[\w.-]+", name):
        known = {a.hub_id: a for a in MODELS.values()}.get(name)
        return ModelSpec(name, name, False, NON_COMMERCIAL if "nllb" in name.lower() else None,
                         "ct2" if known and known.backend == "ct2" else None)
    raise UnknownModel(
        f"unknown model alias {name!r}; valid aliases: {', '.join(MODELS)} "
        "(or give a hub id such as Helsinki-NLP/opus-mt-ko-en, or a local folder)"
    )


class Translator(ABC):
    """A seq2seq model that turns Korean sentences into English, a batch at a time."""

    info: ModelInfo
    max_input_tokens: int = 512
    parallel: int = 1  # batches the model can run at once (CTranslate2 on several CPU threads)

    @abstractmethod
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source tokens of each text, special tokens included."""

    @abstractmethod
    def translate_batch(self, texts: list[str]) -> list[str]:
        """English for each text, in the same order."""

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[list[str]]:
        """English for each batch in turn: a backend may work on the next batch while it hands one back."""
        for texts in batches:
            yield self.translate_batch(texts)

    def unknown_pieces(self, texts: list[str]) -> tuple[int, int]:
        """How many of the texts' source pieces the model's vocabulary lacks (they reach it as its unknown
        token), and how many pieces there are, special tokens left out; (0, 0) where it cannot tell."""
        return 0, 0


def load_translator(spec: ModelSpec, options) -> Translator:
    """The backend the options ask for, imported here so that torch loads only when a model is needed."""
    from .model import load

    return load(spec, options)


# --------------------------------------------------------------------------- batching


def batch_limits(batch_size: int, max_batch_tokens: int, device: str) -> tuple[int, int]:
    """Sentences and source tokens per model call: as set, or (0) what suits the device.
    A GPU idles on small batches; a CPU gains nothing past a few dozen sentences."""
    gpu = device == "cuda"
    return batch_size or (1024 if gpu else 32), max_batch_tokens or (65536 if gpu else 4096)


def batches(lengths: list[int], batch_size: int, max_tokens: int) -> Iterator[list[int]]:
    """Indices grouped into batches, shortest first.

    A batch holds at most `batch_size` items and at most `max_tokens` tokens counted
    with padding (longest item x items), so that one long sentence does not drag a
    whole batch of short ones into a huge padded tensor. A last batch of a few items
    (an eighth of a batch at most) joins the one before if the tokens allow: a model
    call costs much the same for 10 sentences as for 100.
    """
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    out: list[list[int]] = []
    batch: list[int] = []
    longest = 0
    for i in order:
        n = max(1, lengths[i])
        if batch and (len(batch) >= batch_size or max(longest, n) * (len(batch) + 1) > max_tokens):
            out.append(batch)
            batch, longest = [], 0
        batch.append(i)
        longest = max(longest, n)
    if batch:
        if out and len(batch) <= batch_size // 8 and len(out[-1]) == batch_size:
            joined = out[-1] + batch
            if max(lengths[i] for i in joined) * len(joined) <= max_tokens:
                out[-1], batch = joined, []
        if batch:
            out.append(batch)
    yield from out


_BREAKS = [re.compile(p) for p in (r"(?<=[.!?])\s+", r"(?<=[,;:])\s+", r"(?<=[며고서면])\s+", r"\s+")]


def split_long(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Pieces of `text` that each fit in `limit` tokens, cut at the most natural break near the middle.

    Nothing is dropped: joining the pieces with spaces gives the text back.
    """
    if count(text) <= limit:
        return [text]
    mid = len(text) / 2
    for pat in _BREAKS:
        cuts = [m for m in pat.finditer(text) if 0 < m.start() < len(text)]
        if cuts:
            m = min(cuts, key=lambda m: abs(m.start() - mid))
            left, right = text[:m.start()].strip(), text[m.end():].strip()
            if left and right:
                return split_long(left, count, limit) + split_long(right, count, limit)
    # no whitespace at all: cut by characters
    half = len(text) // 2
    if half == 0:
        return [text]
    return split_long(text[:half], count, limit) + split_long(text[half:], count, limit)


# --------------------------------------------------------------------------- cache


_KEY_BASES: dict[int, tuple] = {}  # id(ModelInfo) -> (that ModelInfo, sha256 of the model part of a key)


class TranslationCache:
    """Translations keyed by text, model, revision and settings, in SQLite."""

    def __init__(self, path: Path | None):
        self._lock = threading.Lock()
        self.db = sqlite3.connect(str(path) if path else ":memory:", timeout=30, check_same_thread=False)
        if path:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # a lost commit costs a retranslation, nothing more
        self.db.execute("CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, en TEXT NOT NULL)")
        self.db.commit()
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


def translate_texts(
    translator: Translator,
    texts: Iterable[str],
    cache: TranslationCache | None = None,
    batch_size: int = 32,
    max_batch_tokens: int = 4096,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """English for every distinct text: from the cache, else from the model in length-sorted batches.

    Texts longer than the model's input limit are split into pieces, translated, and
    joined again: never truncated. Each batch's results are cached as soon as they come.
    """
    wanted = list(dict.fromkeys(t for t in texts if t and t.strip()))
    found = cache.get_many(translator.info, wanted) if cache else {}
    if cache:
        cache.hits += len(found)
    todo = [t for t in wanted if t not in found]
    if not todo:
        return found
    limit = max(8, translator.max_input_tokens - 2)
    pieces_of: dict[str, list[str]] = {}
    counts = translator.count_tokens(todo)
    for t, n in zip(todo, counts, strict=True):
        if n <= limit:
            pieces_of[t] = [t]
        else:
            pieces_of[t] = split_long(t, lambda s: translator.count_tokens([s])[0], limit)
            log.info("split a %d-token sentence into %d pieces", n, len(pieces_of[t]))
    pieces = list(dict.fromkeys(p for ps in pieces_of.values() for p in ps))
    counted = dict(zip(todo, counts, strict=True))
    owners: dict[str, list[str]] = {}
    for t, ps in pieces_of.items():
        for p in dict.fromkeys(ps):
            owners.setdefault(p, []).append(t)
    lengths = [counted[p] if p in counted else translator.count_tokens([p])[0] for p in pieces]
    done: dict[str, str] = {}
    parallel = max(1, getattr(translator, "parallel", 1))  # a model that runs n batches at once gets n at a time
    order = list(batches(lengths, batch_size * parallel, max_batch_tokens * parallel))
    sources = ([pieces[i] for i in idx] for idx in order)
    for idx, out in zip(order, translator.translate_batches(sources), strict=True):
        src = [pieces[i] for i in idx]
        if len(out) != len(src):
            raise RuntimeError(f"model returned {len(out)} translations for {len(src)} inputs")
        done.update(zip(src, (o.strip() for o in out), strict=True))
        touched = dict.fromkeys(t for p in src for t in owners[p])
        finished = {t: " ".join(done[p] for p in pieces_of[t]) for t in touched
                    if all(p in done for p in pieces_of[t])}
        if cache and finished:
            cache.put_many(translator.info, finished)
        found.update(finished)
        if on_batch:
            on_batch(len(src))
    if cache:
        cache.misses += len(todo)
    return found


# --------------------------------------------------------------------------- checks of a loaded model

# A news-like Korean text (figures, names, an agency, a quote) that any Korean-to-English vocabulary covers
VOCABULARY_TEXT = (
    "서울시는 3일 내년 예산을 48조 7천억 원으로 확정했다고 밝혔다. "
    "김민준 시의회 의장은 \"청년 주거 지원에 2,300억 원을 더 배정했다\"고 말했다. "
    "한국은행은 기준금리를 연 3.25%로 유지했으며, 소비자물가 상승률은 지난달 2.1%를 기록했다. "
    "부산항의 컨테이너 물동량은 전년보다 5.4% 늘어난 2천3백만 TEU였다. "
    "이번 대책으로 수도권 아파트 1만 2천 가구가 새로 공급될 예정이다. "
    "정부는 반도체 수출이 11개월 연속 증가했다고 설명했다."
)


def check_vocabulary(translator: Translator, max_unknown: float, texts: Iterable[str] = (VOCABULARY_TEXT,),
                     what: str = "a Korean test text") -> float | None:
    """The share of the texts' source pieces that the model's vocabulary lacks (None where the model cannot
    tell). Above `max_unknown` the model cannot read Korean (a vocabulary that lost its Hangul pieces, as a
    port of a model with separate vocabularies may have): VocabularyMismatch, in one line."""
    try:
        unknown, total = translator.unknown_pieces([t for t in texts if t and t.strip()])
    except Exception as e:  # a tokenizer this check does not understand: no reason to stop the run
        log.warning("could not check the vocabulary of %s: %s: %s", translator.info.id, type(e).__name__, e)
        return None
    if not total:
        return None
    share = unknown / total
    if share > max_unknown:
        raise VocabularyMismatch(
            f"model {translator.info.id} does not know {share:.1%} of the pieces of {what} ({unknown} of {total}; "
            f"the limit is {max_unknown:.1%}): its vocabulary cannot read Korean. Choose another model "
            "(`summarize models`), or raise --max-unknown"
        )
    return share


# Korean sentences with plain figures that any working model renders (checked against the figure guard)
CANARY = (
    "서울시는 올해 공원 12곳을 새로 만들고 나무 3,400그루를 심는다.",
    "한국은행은 기준금리를 연 3.5%로 동결했다.",
    "이 회사의 지난해 매출은 2조 원으로 집계됐다.",
    "경기는 관중 4만 5천 명이 지켜보는 가운데 열렸다.",
)
CANARY_FAILURES = 2  # this many wrong canary sentences make the warning: one may be a slip of a good model

_HANGUL_RUN = re.compile(r"[가-힣]{2,}")
_WORD = re.compile(r"\w+|[^\w\s]")
_LOOP = re.compile(r"(.{2,}?)\1{3,}", re.S)


def repetitive(en: str) -> bool:
    """Mostly the same token over and over ("the the the", "connectconnectconnect")."""
    tokens = _WORD.findall(en)
    if len(tokens) >= 6 and max(tokens.count(t) for t in set(tokens)) > len(tokens) / 2:
        return True
    looped = sum(len(m.group(0)) for m in _LOOP.finditer(en))
    return len(en) >= 12 and looped > len(en) / 2


def canary(translator: Translator, figures_wrong: Callable[[str, str], bool], cache: TranslationCache | None = None,
           batch_size: int = 32, max_batch_tokens: int = 4096) -> str | None:
    """Translate the CANARY sentences (one batch, or none where the cache has them) and say what is wrong,
    or None: a model whose English loses the figures (`figures_wrong(ko, en)`, the figure guard), repeats
    itself, copies the Korean or says nothing is probably broken (random weights, a broken vocabulary)."""
    try:
        out = translate_texts(translator, CANARY, cache, batch_size, max_batch_tokens)
    except Exception as e:
        log.debug("the canary failed", exc_info=True)
        return f"the model may be broken: it could not translate the test sentences ({type(e).__name__}: {e})"
    problems: dict[str, int] = {}
    wrong = 0
    for ko in CANARY:
        en = out.get(ko, "")
        found = [name for name, bad in (
            ("no English", not en.strip()),
            ("figures lost or changed", bool(en.strip()) and figures_wrong(ko, en)),
            ("the same words over and over", repetitive(en)),
            ("Korean copied", bool(_HANGUL_RUN.search(en))),
        ) if bad]
        wrong += bool(found)
        for name in found:
            problems[name] = problems.get(name, 0) + 1
    if wrong < CANARY_FAILURES:
        return None
    details = ", ".join(f"{name} in {n}" for name, n in problems.items())
    return (f"the model may be broken: {wrong} of {len(CANARY)} test sentences came back wrong ({details}); "
            "check its English before trusting these briefs")
