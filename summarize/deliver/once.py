"""Once only: what to send (the digest, or each brief of the last run), and sending each item to each
recipient that has not had it.

Every delivery (a brief or the digest, to one channel and one recipient) is recorded in the run
state beside the outputs (summarize.state's `deliveries` table), keyed by the content it sent: a re-run
sends nothing twice (`resend` forces it), and a brief that changed is a new delivery. One failed
recipient never stops the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .. import state
from ..errors import DeliveryError, Permanent

__all__ = ["Item", "items_to_send", "Logbook", "Outcome", "deliver", "forget_sent", "SENDER_WAIT", "DIGESTS"]

DIGESTS = "digests"  # OUT_DIR/digests/: each run's digest until it is sent (summarize.report writes them)

# How long a sender waits for another one that holds the delivery log (each message's retries last two minutes
# at most)
SENDER_WAIT = 3600.0


@dataclass(frozen=True)
class Item:
    """Something to deliver: a brief (its Markdown and JSON) or the run's digest."""

    kind: Literal["brief", "digest"]
    name: str  # e.g. "seed_shenzhen_hongkong" or "digest"
    markdown: str
    data: dict[str, Any]  # the brief's JSON (schema 3), or the digest's
    briefs: tuple[Item, ...] = ()  # the digest's: the briefs of its stories, which messages inline, attach or thread
    base_url: str | None = None  # where the briefs folder is published (links become base_url + file name)
    kept: Path | None = None  # a run's digest kept under digests/ until it is sent (its .json)

    def link(self, brief: Item) -> str | None:
        """Where a reader opens one of the digest's briefs on the web, or None where the folder is not
        published."""
        if not self.base_url:
            return None
        from urllib.parse import quote

        return self.base_url.rstrip("/") + "/" + quote(f"{brief.name}.md")

    def story_briefs(self) -> list[list[Item]]:
        """The digest's briefs story by story, in the order the digest shows the stories (by section, the most
        important first); each story's lead brief first."""
        by_path = {b["path"]: b["brief"].removesuffix(".md") for b in self.data.get("briefs", [])}
        named = {b.name: b for b in self.briefs}
        stories = self.data.get("stories", [])
        out = []
        for section in self.data.get("sections", []):
            for n in section["stories"]:
                out.append([named[by_path[p]] for p in stories[n]["briefs"] if by_path.get(p) in named])
        return out

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.markdown.encode("utf-8")).hexdigest()

    @property
    def subject(self) -> str:
        if self.kind == "digest":
            t = self.data["totals"]
            return f"Korean news briefs {self.data['date']}: {t['written']} new"
        title = self.data["title"]
        subject: str
        if not title.get("ko"):  # no headline on the page
            subject = title["en"] or self.data["source"]["path"]
        else:
            subject = f"{title['en'] or title['ko']} ({title['ko']})" if title["en"] else title["ko"]
        return subject


def items_to_send(out_dir: Path, each: bool, base_url: str | None = None) -> list[Item]:
    """The digest of the last run (with the briefs of its stories), or (`each`) every brief the last run wrote.
    `base_url` (else the one the digest was written with) is where the briefs folder is published."""
    out_dir = Path(out_dir)
    if not each:
        md, js = out_dir / "digest.md", out_dir / "digest.json"
        # each run's digest not yet sent, oldest first
        kept = sorted((out_dir / DIGESTS).glob("digest-*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        if not md.exists() and not kept:
            raise DeliveryError(f"no digest in {out_dir}: run `summarize brief` first")
        latest = md.read_text(encoding="utf-8") if md.exists() else None
        found: list[tuple[Path, Path, Path | None]] = [(k.with_suffix(".md"), k, k) for k in kept
                                                       if k.with_suffix(".md").exists()] or [(md, js, None)]
        out = []
        for kmd, kjs, keep in found:
            text = kmd.read_text(encoding="utf-8")
            name = "digest" if text == latest or keep is None else kmd.stem  # the last run's: as before
            out.append(_digest(out_dir, name, text, json.loads(kjs.read_text(encoding="utf-8")), base_url, keep))
        return out
    run = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
    out = []
    for a in run["articles"]:
        if a["status"] in ("written", "unchanged") and a.get("outputs"):
            md, js = out_dir / a["outputs"]["md"], out_dir / a["outputs"]["json"]
            if md.exists() and js.exists():
                out.append(Item("brief", md.stem, md.read_text(encoding="utf-8"),
                                json.loads(js.read_text(encoding="utf-8"))))
    return out


def _digest(out_dir: Path, name: str, markdown: str, data: dict[str, Any], base_url: str | None,
            kept: Path | None) -> Item:
    briefs = []
    for b in data.get("briefs", []):
        bmd, bjs = out_dir / b["brief"], (out_dir / b["brief"]).with_suffix(".json")
        if bmd.exists() and bjs.exists():
            briefs.append(Item("brief", bmd.stem, bmd.read_text(encoding="utf-8"),
                               json.loads(bjs.read_text(encoding="utf-8"))))
    return Item("digest", name, markdown, data, tuple(briefs), base_url or data.get("base_url"), kept)


def forget_sent(items: list[Item], outcomes: list[Outcome]) -> None:
    """The kept digests that every recipient has had (sent now or before): removed from digests/."""
    failed = {o.item for o in outcomes if o.status == "failed"}
    for item in items:
        if item.kept is not None and item.name not in failed:
            item.kept.with_suffix(".md").unlink(missing_ok=True)
            item.kept.unlink(missing_ok=True)


class Logbook:
    """What was delivered from one output folder: the run state's delivery tables, by item."""

    def __init__(self, out_dir: Path):
        self.db = state.connect(state.db_path(Path(out_dir)), durable=True)
        self.deliveries = state.Deliveries(self.db)

    def sent(self, channel: str, recipient: str, item: Item) -> bool:
        return self.deliveries.sent(channel, recipient, item.digest)

    def record(self, channel: str, recipient: str, item: Item) -> None:
        self.deliveries.record(channel, recipient, item.name, item.digest)

    def parts(self, channel: str, recipient: str, item: Item) -> dict[int, str | None]:
        """The parts of `item` already sent to `recipient`: part number -> its message id."""
        return self.deliveries.parts(channel, recipient, item.digest)

    def record_part(self, channel: str, recipient: str, item: Item, part: int, ref: str | None) -> None:
        self.deliveries.record_part(channel, recipient, item.digest, part, ref)

    def close(self) -> None:
        self.db.close()


DeliveryStatus = Literal["sent", "skipped", "failed", "written"]  # skipped: sent before; written: a dry run


@dataclass
class Outcome:
    channel: str
    recipient: str
    item: str
    status: DeliveryStatus
    detail: str | None = None
    attempts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def deliver(items: list[Item], recipients: list[str], channel: str,
            send_one: Callable[[Item, str, Logbook], int],
            out_dir: Path, resend: bool = False) -> list[Outcome]:
    """Send every item to every recipient that has not had it; record what went through.

    `send_one` sends one item to one recipient (retrying as it needs, see `with_retries`) and returns
    the attempts it took; a failure is reported and the others go on. It gets the log too, for an
    item sent in several messages to record each as it goes.
    """
    outcomes: list[Outcome] = []
    folder = state.state_dir(Path(out_dir))
    folder.mkdir(parents=True, exist_ok=True)
    # one sender at a time: another one waits, then finds sent what the first sent
    with state.OutputLock(folder, SENDER_WAIT, name="deliver.lock", what="summarize send"):
        logbook = Logbook(out_dir)
        try:
            _deliver(items, recipients, channel, send_one, logbook, resend, outcomes)
        finally:
            logbook.close()
    return outcomes


def _deliver(items: list[Item], recipients: list[str], channel: str, send_one: Callable[[Item, str, Logbook], int],
             logbook: Logbook, resend: bool, outcomes: list[Outcome]) -> None:
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
