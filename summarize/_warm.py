"""Imported by the worker processes' forkserver: the text stages loaded and Kiwi warmed, once."""

from . import pipeline  # noqa: F401  (every stage a worker runs)
from ._kiwi import kiwi

try:
    kiwi().split_into_sents("준비.")  # Kiwi loads part of its model on the first analysis
except Exception:  # a worker then loads it on first use, as a thread would
    pass
