"""One Kiwi analyser per process, loaded on first use (about a second).

Single-threaded (`num_workers=0`): no thread pool, so a process forked from one that has
loaded it works (the worker processes are forked from a server that loads it once), and
one text at a time is as fast as Kiwi's own batching. The multi-word dictionary is left
out: it doubles the load time and changes no sentence, figure or quote of the samples.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any, NamedTuple


class Token(NamedTuple):
    """What the stages read of one of Kiwi's morphemes; `start` is its offset in the sentence."""

    form: str
    tag: str
    start: int
    len: int


@functools.lru_cache(maxsize=1)
def kiwi() -> Any:  # kiwipiepy's Kiwi (the package has no type information)
    from kiwipiepy import Kiwi

    with warnings.catch_warnings():  # "behavior of num_workers=0 is changed since v0.21.0": the new one is wanted
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=0, load_multi_dict=False)


def tokenize(text: str) -> list[Token]:
    """The morphemes of `text`, analysed on its own."""
    return [Token(t.form, t.tag, t.start, t.len) for t in kiwi().tokenize(text)]
