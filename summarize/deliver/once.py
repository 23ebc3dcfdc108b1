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

__all__ = ["Item", "items_to_send", "Logbook", "Outcome", "deliver"]


@dataclass(frozen=True)
class Item:
    """Something to deliver: a brief (its Markdown and JSON) or the run's digest."""

    kind: Literal["brief", "digest"]
    name: str  # e.g. "seed_shenzhen_hongkong" or "digest"
    markdown: str
    data: dict[str, Any]  # the brief's JSON (schema 3), or the digest's
    briefs: tuple[Item, ...] = ()  # the digest's: the briefs of its stories, which messages inline, attach or thread
    base_url: str | None = None  # where the briefs folder is published (links become base_url + file name)

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
        if not md.exists():
            raise DeliveryError(f"no digest in {out_dir}: run `summarize brief` first")
        data = json.loads(js.read_text(encoding="utf-8"))
        briefs = []
        for b in data.get("briefs", []):
            bmd, bjs = out_dir / b["brief"], (out_dir / b["brief"]).with_suffix(".json")
            if bmd.exists() and bjs.exists():
                briefs.append(Item("brief", bmd.stem, bmd.read_text(encoding="utf-8"),
                                   json.loads(bjs.read_text(encoding="utf-8"))))
        return [Item("digest", "digest", md.read_text(encoding="utf-8"), data, tuple(briefs),
                     base_url or data.get("base_url"))]
    run = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
    out = []
    for a in run["articles"]:
        if a["status"] in ("written", "unchanged") and a.get("outputs"):
            md, js = out_dir / a["outputs"]["md"], out_dir / a["outputs"]["json"]
            if md.exists() and js.exists():
                out.append(Item("brief", md.stem, md.read_text(encoding="utf-8"),
                                json.loads(js.read_text(encoding="utf-8"))))
    return out


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
    logbook = Logbook(out_dir)
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
