"""Imported by the worker processes' forkserver: the stages loaded and Kiwi warmed, once."""

from . import jobs  # noqa: F401  (every step a worker runs, and the stages they use)
from .stages._kiwi import kiwi

try:
    kiwi().split_into_sents("준비.")  # Kiwi loads part of its model on the first analysis
except Exception:  # a worker then loads it on first use, as a thread would
    pass
