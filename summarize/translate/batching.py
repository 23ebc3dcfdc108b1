"""Batching: texts into length-sorted batches within the model's limits, long texts split (never
truncated), the translation cache asked first."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from .base import Translator
from .cache import TranslationCache

__all__ = ["Limits", "batch_limits", "batches", "split_long", "translate_texts"]

log = logging.getLogger(__name__)


class Limits(NamedTuple):
    """How much one model call takes: sentences, and source tokens counted with padding."""

    sentences: int
    tokens: int


def batch_limits(batch_size: int, max_batch_tokens: int, device: str) -> Limits:
    """Sentences and source tokens per model call: as set, or (0) what suits the device.
    A GPU idles on small batches; a CPU gains nothing past a few dozen sentences."""
    gpu = device == "cuda"
    return Limits(batch_size or (1024 if gpu else 32), max_batch_tokens or (65536 if gpu else 4096))


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
    parallel = max(1, translator.parallel)  # a model that runs n batches at once gets n at a time
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
