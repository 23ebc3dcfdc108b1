"""Imported by the worker processes' forkserver: the stages loaded and Kiwi warmed, once. SECONDS: how long that
took, which every worker forked from the server inherits (its own warm-up then finds Kiwi loaded)."""

import time

_t0 = time.perf_counter()
from . import jobs  # noqa: E402,F401  (every step a worker runs, and the stages they use)
from .stages._kiwi import kiwi  # noqa: E402

try:
    kiwi().split_into_sents("준비.")  # Kiwi loads part of its model on the first analysis
except Exception:  # a worker then loads it on first use, as a thread would
    pass
SECONDS = round(time.perf_counter() - _t0, 3)
