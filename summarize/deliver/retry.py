"""Sending with bounded retries: transient failures (an SMTP 4xx, a dropped connection, Slack's 429 with its
Retry-After, a 5xx) are tried again with backoff, bounded in count and time; permanent ones fail at once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import DeliveryError, Transient

__all__ = ["RetryPolicy", "with_retries"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all
    first_wait: float = 1.0  # seconds before the second try, doubled after each
    max_wait: float = 30.0  # the longest single wait, Retry-After included
    max_total: float = 120.0  # the longest a send may take in all: the attempts themselves and the waits
    # the longest one attempt may take (the transport's timeout); None: the longest attempt seen so far
    attempt_s: float | None = None


def with_retries(send: Callable[[], None], policy: RetryPolicy, what: str,
                 sleep: Callable[[float], None] = time.sleep) -> int:
    """Call `send` until it succeeds, a Permanent error, or the policy runs out. Returns the attempts. Another
    attempt is made only where it can end within `max_total` (the time spent, the wait, and an attempt's
    longest), so that a send that keeps failing stops within its limit, not an attempt's timeout after it."""
    start = time.monotonic()
    wait = policy.first_wait
    longest = 0.0
    for attempt in range(1, policy.attempts + 1):
        began = time.monotonic()
        try:
            send()
            return attempt
        except Transient as e:
            longest = max(longest, time.monotonic() - began)
            pause = min(policy.max_wait, e.retry_after if e.retry_after is not None else wait)
            spent = time.monotonic() - start
            next_attempt = policy.attempt_s if policy.attempt_s is not None else longest
            if attempt == policy.attempts or spent + pause + next_attempt > policy.max_total:
                raise DeliveryError(f"{what}: gave up after {attempt} tries: {e}") from None
            log.info("%s: %s; trying again in %.1f s", what, e, pause)
            sleep(pause)
            wait *= 2
    raise AssertionError("unreachable")  # pragma: no cover
