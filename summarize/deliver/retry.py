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
    max_total: float = 120.0  # give up once this much time has gone


def with_retries(send: Callable[[], None], policy: RetryPolicy, what: str,
                 sleep: Callable[[float], None] = time.sleep) -> int:
    """Call `send` until it succeeds, a Permanent error, or the policy runs out. Returns the attempts."""
    start = time.monotonic()
    wait = policy.first_wait
    for attempt in range(1, policy.attempts + 1):
        try:
            send()
            return attempt
        except Transient as e:
            pause = min(policy.max_wait, e.retry_after if e.retry_after is not None else wait)
            spent = time.monotonic() - start
            if attempt == policy.attempts or spent + pause > policy.max_total:
                raise DeliveryError(f"{what}: gave up after {attempt} tries: {e}") from None
            log.info("%s: %s; trying again in %.1f s", what, e, pause)
            sleep(pause)
            wait *= 2
    raise AssertionError("unreachable")  # pragma: no cover
