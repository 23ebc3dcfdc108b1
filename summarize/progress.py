"""How far a run has got, for people: articles done of those to brief, the rate, the time elapsed and the time
left. The library tells (run's `on_phase`, `on_entry`); the CLI keeps a `Progress` and shows its line.

The rate, and so the time left, is measured from the articles finished after the model is ready, not from
the start: until then articles wait for the model, and a rate that counts that wait (or the few articles
finished before it) predicts nothing. Until one article has been finished with the model ready, there is no
estimate.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Progress", "clock_text"]


def clock_text(seconds: float) -> str:
    """0:07, 3:25, 1:02:09."""
    s = max(0, int(round(seconds)))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Articles done of `total`, measured with `clock` (time.monotonic; a test hands in its own)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.started = clock()
        self.total: int | None = None
        self.done = 0
        self.ready_at: tuple[float, int] | None = None  # (when, articles done then): the model became ready

    def plan(self, total: int) -> None:
        """The articles this run will brief (those unchanged left out)."""
        self.total = total

    def ready(self) -> None:
        """The model is loaded: from now on, the rate means something."""
        self.ready_at = (self.clock(), self.done)

    def advance(self, n: int = 1) -> None:
        self.done += n

    def elapsed(self) -> float:
        return self.clock() - self.started

    def rate(self) -> float | None:
        """Articles a second since the model was ready; None before an article was finished then."""
        if self.ready_at is None:
            return None
        since, done_then = self.ready_at
        n, seconds = self.done - done_then, self.clock() - since
        if n <= 0 or seconds <= 0:
            return None
        return n / seconds

    def left(self) -> float | None:
        """Seconds until the last article, at the rate so far; None where there is no rate yet."""
        rate = self.rate()
        if rate is None or self.total is None:
            return None
        return max(0, self.total - self.done) / rate

    def line(self) -> str:
        """`12/365 articles · 4.1/s · 0:03 elapsed · 1:26 left`."""
        total = "?" if self.total is None else str(self.total)
        parts = [f"{self.done}/{total} articles"]
        rate = self.rate()
        if rate is not None:
            parts.append(f"{rate:.1f}/s" if rate >= 1 else f"{60 * rate:.1f}/min")
        parts.append(f"{clock_text(self.elapsed())} elapsed")
        left = self.left()
        parts.append(f"{clock_text(left)} left" if left is not None else "time left: after the first articles")
        return " · ".join(parts)
