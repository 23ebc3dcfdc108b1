"""Delivery: what to send, what was sent, and sending with bounded retries.

Every delivery (a brief or the digest, to one channel and one recipient) is recorded in the run
state beside the outputs, keyed by the content it sent: a re-run sends nothing twice (`resend`
forces it), and a brief that changed is a new delivery. Transient failures are retried with
backoff, bounded in count and time; permanent ones fail at once. One failed recipient never stops
the others.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SummarizeError

__all__ = ["Item", "items_to_send", "DeliveryLog", "Transient", "Permanent", "DeliveryError", "with_retries",
           "Outcome", "RetryPolicy", "deliver"]

log = logging.getLogger(__name__)

STATE = ".summarize/state.sqlite"


class DeliveryError(SummarizeError):
    """A delivery that did not go through."""


class Transient(DeliveryError):
    """Worth another try: a 4xx SMTP reply, a reset connection, Slack's 429 or a 5xx."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Permanent(DeliveryError):
    """Not worth another try: bad credentials, an unknown address, a webhook that does not exist."""


@dataclass(frozen=True)
class Item:
    """Something to deliver: a brief (its Markdown and JSON) or the run's digest."""

    kind: str  # "brief" or "digest"
    name: str  # e.g. "seed_shenzhen_hongkong" or "digest"
    markdown: str
    data: dict

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.markdown.encode("utf-8")).hexdigest()

    @property
    def subject(self) -> str:
        if self.kind == "digest":
            t = self.data["totals"]
            return f"Korean news briefs {self.data['date']}: {t['written']} new"
        title = self.data["title"]
        if not title.get("ko"):  # no headline on the page
            return title["en"] or self.data["source"]["path"]
        return f"{title['en'] or title['ko']} ({title['ko']})" if title["en"] else title["ko"]


def items_to_send(out_dir: Path, each: bool) -> list[Item]:
    """The digest of the last run, or (`each`) every brief the last run wrote."""
    out_dir = Path(out_dir)
    if not each:
        md, js = out_dir / "digest.md", out_dir / "digest.json"
        if not md.exists():
            raise DeliveryError(f"no digest in {out_dir}: run `summarize brief` first")
        return [Item("digest", "digest", md.read_text(encoding="utf-8"), json.loads(js.read_text(encoding="utf-8")))]
    run = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
    out = []
    for a in run["articles"]:
        if a["status"] in ("written", "unchanged") and a.get("outputs"):
            md, js = out_dir / a["outputs"]["md"], out_dir / a["outputs"]["json"]
            if md.exists() and js.exists():
                out.append(Item("brief", md.stem, md.read_text(encoding="utf-8"),
                                json.loads(js.read_text(encoding="utf-8"))))
    return out


class DeliveryLog:
    """Which item went to which recipient over which channel: a table in the run state."""

    def __init__(self, out_dir: Path):
        path = Path(out_dir) / STATE
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS deliveries (channel TEXT, recipient TEXT, item TEXT, digest TEXT, "
            "sent REAL, PRIMARY KEY (channel, recipient, digest))"
        )
        # the messages of an item sent in several (a long brief on Slack), each with its id (Slack's ts)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS delivery_parts (channel TEXT, recipient TEXT, digest TEXT, part INTEGER, "
            "ref TEXT, sent REAL, PRIMARY KEY (channel, recipient, digest, part))"
        )
        self.db.commit()

    def sent(self, channel: str, recipient: str, item: Item) -> bool:
        row = self.db.execute("SELECT 1 FROM deliveries WHERE channel = ? AND recipient = ? AND digest = ?",
                              (channel, recipient, item.digest)).fetchone()
        return row is not None

    def record(self, channel: str, recipient: str, item: Item) -> None:
        self.db.execute("INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?, ?, ?)",
                        (channel, recipient, item.name, item.digest, time.time()))
        self.db.commit()

    def parts(self, channel: str, recipient: str, item: Item) -> dict[int, str | None]:
        """The parts of `item` already sent to `recipient`: part number -> its message id."""
        rows = self.db.execute("SELECT part, ref FROM delivery_parts WHERE channel = ? AND recipient = ? AND digest = ?",
                               (channel, recipient, item.digest)).fetchall()
        return dict(rows)

    def record_part(self, channel: str, recipient: str, item: Item, part: int, ref: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO delivery_parts VALUES (?, ?, ?, ?, ?, ?)",
                        (channel, recipient, item.digest, part, ref, time.time()))
        self.db.commit()

    def close(self) -> None:
        self.db.close()


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


@dataclass
class Outcome:
    channel: str
    recipient: str
    item: str
    status: str  # sent, skipped (sent before), failed, written (dry run)
    detail: str | None = None
    attempts: int = 0
    extra: dict = field(default_factory=dict)


def deliver(items: list[Item], recipients: list[str], channel: str,
            send_one: Callable[[Item, str, DeliveryLog], int],
            out_dir: Path, resend: bool = False) -> list[Outcome]:
    """Send every item to every recipient that has not had it; record what went through.

    `send_one` sends one item to one recipient (retrying as it needs, see `with_retries`) and returns
    the attempts it took; a failure is reported and the others go on. It gets the log too, for an
    item sent in several messages to record each as it goes.
    """
    logbook = DeliveryLog(out_dir)
    outcomes: list[Outcome] = []
    try:
        for recipient in recipients:
            for item in items:
                if not resend and logbook.sent(channel, recipient, item):
                    outcomes.append(Outcome(channel, recipient, item.name, "skipped", "sent before"))
                    continue
                try:
                    n = send_one(item, recipient, logbook)
                except (DeliveryError, Permanent) as e:
                    outcomes.append(Outcome(channel, recipient, item.name, "failed", str(e)))
                    continue
                logbook.record(channel, recipient, item)
                outcomes.append(Outcome(channel, recipient, item.name, "sent", None, n))
    finally:
        logbook.close()
    return outcomes
