"""One Kiwi analyser per process, loaded on first use (about a second).

Single-threaded (`num_workers=0`): no thread pool, so a process forked from one that has
loaded it works (the worker processes are forked from a server that loads it once), and
one text at a time is as fast as Kiwi's own batching. The multi-word dictionary is left
out: it doubles the load time and changes no sentence, figure or quote of the samples.
"""

from __future__ import annotations

import functools
import warnings


@functools.lru_cache(maxsize=1)
def kiwi():
    from kiwipiepy import Kiwi

    with warnings.catch_warnings():  # "behavior of num_workers=0 is changed since v0.21.0": the new one is wanted
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=0, load_multi_dict=False)
