"""One Kiwi analyser per process, loaded on first use (it takes about a second)."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def kiwi():
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=1)
