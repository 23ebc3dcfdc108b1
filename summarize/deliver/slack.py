"""Slack: a brief or the digest as Block Kit messages, posted to a webhook or with a bot token.

Slack's limits are kept: 150 characters in a header, 3,000 in a text object, 2,000 in a field, 10
fields to a section, 50 blocks to a message. A long brief is split over several messages (a thread
when posting with a token); a text too long for one block is split over several blocks at sentence
or word boundaries. No figure and no quote is ever cut.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Permanent, Transient
from .once import Item, Logbook, Outcome, deliver, items_to_send
from .retry import RetryPolicy, with_retries

__all__ = ["mrkdwn", "escape", "messages_for", "SlackTarget", "post", "LIMITS", "send_slack"]

LIMITS = {"header": 150, "text": 3000, "field": 2000, "fields": 10, "blocks": 50, "context": 10}


def escape(text: str) -> str:
    """Slack's three control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(markdown: str) -> str:
    """Markdown emphasis and links in Slack's mrkdwn, with &, < and > escaped."""
    links = []

    def keep(m: re.Match[str]) -> str:
        links.append(f"<{m.group(2)}|{escape(m.group(1))}>")
        return f"\x00{len(links) - 1}\x00"

    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", keep, markdown)
    text = escape(text)
    text = re.sub(r"(?<![*\w])\*(?!\s)([^*]+?)(?<!\s)\*(?![*\w])", r"_\1_", text)  # *italic* first
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: f"*{m.group(1) or m.group(2)}*", text)
    text = re.sub(r"^#{1,6}\s+(.*)$", r"*\1*", text, flags=re.M)
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], text)


def _split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line, sentence or word end; nothing dropped."""
    if len(text) <= limit:
        return [text]
    for sep in ("\n", ". ", "다. ", " "):
        cut = text.rfind(sep, 0, limit)
        if cut > limit // 3:
            cut += len(sep)
            return [text[:cut].rstrip()] + _split(text[cut:].lstrip(), limit)
    return [text[:limit]] + _split(text[limit:], limit)


def _section(text: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in _split(text, LIMITS["text"])]


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in _split(text, LIMITS["text"])]}


def _header(text: str) -> list[dict[str, Any]]:
    """A header block; a title over 150 characters is shortened there and given whole just below."""
    if len(text) <= LIMITS["header"]:
        return [{"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}]
    short = text[: LIMITS["header"] - 1].rsplit(" ", 1)[0] + "…"
    return [{"type": "header", "text": {"type": "plain_text", "text": short, "emoji": True}},
            *_section(f"*{escape(text)}*")]


FLAG_MARK = {"figure-restored": "figure restored", "unverified-number": "unverified number",
             "untranslated": "untranslated"}


def brief_blocks(data: dict[str, Any]) -> list[dict[str, Any]]:
    title, meta = data["title"], data["meta"]
    blocks = _header(title["en"] or title["ko"] or data["source"]["path"])
    source = " · ".join(x for x in (meta.get("outlet"), meta.get("author"), (meta.get("published") or "")[:16]) if x)
    korean = f"*{escape(title['ko'])}*\n" if title.get("ko") else ""
    blocks.append(_context(f"{korean}{escape(source)} · `{escape(data['source']['path'])}`"))
    for w in data.get("warnings", []):
        blocks += _section(f":warning: {escape(w)}")
    for n, item in enumerate(data["summary"], 1):
        flags = "".join(f" :warning: _{FLAG_MARK.get(f, f)}_" for f in item["flags"])
        blocks += _section(f"*{n}.* {escape(item['en'])}{flags}\n>{escape(item['ko'])}")
    figures = [f for f in data["figures"] if f.get("key", f["value"] is not None or f.get("kind") in ("range", "score"))]
    if figures:
        blocks.append({"type": "divider"})
        fields = [{"type": "mrkdwn", "text": f"*{escape(f['text'])}*\n{escape(f['en'])}"} for f in figures]
        for i in range(0, len(fields), LIMITS["fields"]):
            block: dict[str, Any] = {"type": "section", "fields": fields[i:i + LIMITS["fields"]]}
            if i == 0:
                block["text"] = {"type": "mrkdwn", "text": "*Key figures*"}
            blocks.append(block)
    if data["quotes"]:
        blocks.append({"type": "divider"})
        for q in data["quotes"]:
            who = q.get("speaker_en") or q.get("speaker") or "unnamed speaker"
            ko_who = f" ({escape(q['speaker'])})" if q.get("speaker") else ""
            lines = [f">“{escape(q['en'])}”", f">— {escape(who)}{ko_who}", f">“{escape(q['ko'])}”"]
            blocks += _section("\n".join(lines))
    m = data["model"]
    blocks.append(_context(f"Translated by {escape(m['id'])} ({escape(m.get('backend') or '')}) · "
                           f"summarize {escape(data['tool']['version'])}"))
    return blocks


def digest_blocks(data: dict[str, Any]) -> list[dict[str, Any]]:
    t = data["totals"]
    blocks = _header(f"Korean news briefs · {data['date']}")
    blocks.append(_context(f"{t['written']} new or changed, {t['unchanged']} unchanged, "
                           f"{t['rejected']} rejected, {t['failed']} failed"))
    if data.get("model_warning"):
        blocks += _section(f":warning: *{escape(data['model_warning'])}*")
    for b in data["briefs"]:
        first = f"\n>{escape(b['first']['en'])}" if b.get("first") else ""
        flag = f", :warning: {b['flagged']} flagged" if b["flagged"] else ""
        korean = f"\n{escape(b['title']['ko'])}" if b["title"].get("ko") else ""
        blocks += _section(f"*{escape(b['title']['en'] or b['title']['ko'] or b['path'])}*{korean}{first}\n"
                           f"_{b['figures']} figures, {b['quotes']} quotes{flag} · `{escape(b['brief'])}`_")
    if data["problems"]:
        lines = [f"• `{escape(p['path'])}`: {p['status']}, {escape(str(p['reason']))}" for p in data["problems"]]
        blocks += _section("*Not briefed*\n" + "\n".join(lines))
    return blocks


def messages_for(item: Item) -> list[dict[str, Any]]:
    """The payloads of an item: as many messages of at most 50 blocks as it needs."""
    blocks = brief_blocks(item.data) if item.kind == "brief" else digest_blocks(item.data)
    fallback = item.subject[:LIMITS["text"]]
    chunks = [blocks[i:i + LIMITS["blocks"]] for i in range(0, len(blocks), LIMITS["blocks"])]
    out = []
    for n, chunk in enumerate(chunks, 1):
        text = fallback if len(chunks) == 1 else f"{fallback} ({n}/{len(chunks)})"
        out.append({"text": text, "blocks": chunk})
    return out


@dataclass
class SlackTarget:
    """A webhook URL, or a bot token with a channel. The URL and the token are secrets: never shown."""

    webhook: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    channel: str | None = None
    api: str = "https://slack.com/api"
    timeout: float = 30.0

    @property
    def name(self) -> str:
        return f"channel {self.channel}" if self.token else "webhook"


def _request(url: str, payload: dict[str, Any], headers: dict[str, Any], timeout: float) -> tuple[int, dict[str, Any], str]:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers or {}), e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise Transient(f"Slack could not be reached: {reason}") from None


def _retry_after(headers: dict[str, Any]) -> float | None:
    for k, v in headers.items():
        if k.lower() == "retry-after":
            try:
                return float(v)
            except ValueError:
                return None
    return None


def post(target: SlackTarget, payload: dict[str, Any], thread_ts: str | None = None) -> str | None:
    """Post one message; returns its ts (token mode). Transient or Permanent on failure."""
    if target.token:
        body = {**payload, "channel": target.channel}
        if thread_ts:
            body["thread_ts"] = thread_ts
        status, headers, text = _request(f"{target.api.rstrip('/')}/chat.postMessage", body,
                                         {"Authorization": f"Bearer {target.token}"}, target.timeout)
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {"ok": False, "error": text[:100]}
        if status == 429 or answer.get("error") == "ratelimited":
            raise Transient("Slack rate limit (429)", _retry_after(headers))
        if status >= 500:
            raise Transient(f"Slack answered {status}")
        if not answer.get("ok"):
            raise Permanent(f"Slack refused the message: {answer.get('error', status)}")
        ts: str | None = answer.get("ts")
        return ts
    status, headers, text = _request(target.webhook or "", payload, {}, target.timeout)
    if status == 429:
        raise Transient("Slack rate limit (429)", _retry_after(headers))
    if status >= 500:
        raise Transient(f"Slack answered {status}")
    if status != 200:
        raise Permanent(f"the Slack webhook answered {status} {text[:60]}".strip())
    return None


def send_slack(out_dir: Path, target: SlackTarget, each: bool = False, dry_run: bool = False, resend: bool = False,
               policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep) -> list[Outcome]:
    """Post the digest (or each brief) of the last run to Slack. A dry run writes the JSON payloads to
    OUT_DIR/outbox/slack/ instead."""
    items = items_to_send(out_dir, each)
    if dry_run:
        folder = out_dir / "outbox" / "slack"
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for item in items:
            for n, payload in enumerate(messages_for(item), 1):
                path = folder / f"{item.name}.{n}.json"
                path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            out.append(Outcome("slack", target.name, item.name, "written", str(folder)))
        return out
    policy = policy or RetryPolicy()

    def one(item: Item, recipient: str, logbook: Logbook) -> int:
        """Each message of the item that has not gone yet: a re-run after a failure part-way through
        posts only the rest, into the first message's thread."""
        attempts, ts = 0, None
        done = {} if resend else logbook.parts("slack", recipient, item)
        for n, payload in enumerate(messages_for(item), 1):
            if n in done:
                ts = ts or done[n]
                continue

            def send(p: dict[str, Any] = payload, n: int = n) -> None:
                nonlocal ts
                got = post(target, p, ts)
                logbook.record_part("slack", recipient, item, n, got)
                ts = ts or got  # the rest of a long brief goes into the first message's thread
            attempts += with_retries(send, policy, f"Slack {target.name}", sleep)
        return attempts

    return deliver(items, [target.name], "slack", one, out_dir, resend)
