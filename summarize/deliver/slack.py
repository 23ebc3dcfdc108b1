"""Slack: a brief or the digest as Block Kit messages, posted to a webhook or with a bot token.

Slack's limits are kept: 150 characters in a header, 3,000 in a text object, 2,000 in a field, 10
fields to a section, 50 blocks to a message. A long brief is split over several messages (a thread
when posting with a token); a text too long for one block is split over several blocks at sentence
or word boundaries. No figure and no quote is ever cut.

The digest is one parent message (its stories by section, as many as fit, the rest continued in the thread)
and, when posting with a token, each story's brief in the thread below it. A webhook cannot thread: it posts
the digest's messages alone, linking to the briefs where the folder is published (`base_url`).
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
from .once import Item, Logbook, Outcome, deliver, forget_sent, items_to_send
from .retry import RetryPolicy, with_retries

__all__ = ["mrkdwn", "escape", "messages_for", "SlackTarget", "post", "LIMITS", "send_slack", "brief_blocks",
           "digest_blocks"]

LIMITS = {"header": 150, "text": 3000, "field": 2000, "fields": 10, "blocks": 50, "context": 10}


def escape(text: str) -> str:
    """Slack's three control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _url(url: str) -> str:
    """A URL inside Slack's <url|text>: the characters that would end it or open another (`|`, `>`, `<`, a
    space) percent-encoded."""
    return url.replace("&", "&amp;").replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


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


def _when(meta: dict[str, Any]) -> str | None:
    p: str | None = meta.get("published")
    if not p:
        return None
    zone = f" {p[-6:]}" if len(p) > 16 and p[-6] in "+-" else ""
    return p.replace("T", " ")[:16] + zone + (" (Korea time assumed)" if meta.get("zone_assumed") else "")


def _outlet(meta: dict[str, Any]) -> str | None:
    ko, en = meta.get("outlet"), meta.get("outlet_en")
    return f"{en} ({ko})" if en and ko and en != ko else ko


def _source(meta: dict[str, Any], path: str) -> str:
    """Where an article comes from, as mrkdwn: outlet, author, time with its zone, section, the original."""
    section = meta.get("section")
    if section and meta.get("section_en") and meta["section_en"] != section:
        section = f"{meta['section_en']} ({section})"
    parts = [escape(x) for x in (_outlet(meta), meta.get("author"), _when(meta), section) if x]
    if meta.get("url"):
        parts.append(f"<{_url(meta['url'])}|original article>")
    parts.append(f"`{escape(path)}`")
    return " · ".join(parts)


def _flag_note(notes: list[str], flags: list[str]) -> str:
    """An item's one mark: the note of each of its flags (notes that go with no flag stay in the JSON)."""
    kept = [n for n in notes if any(n.startswith(f"{f}:") for f in flags)]
    return f"\n:warning: _{escape(' · '.join(kept))}_" if kept else ""


KINDS = {"person": "People", "organisation": "Organisations", "place": "Places"}


def brief_blocks(data: dict[str, Any]) -> list[dict[str, Any]]:
    title, meta = data["title"], data["meta"]
    blocks = _header(title["en"] or title["ko"] or data["source"]["path"])
    korean = f"*{escape(title['ko'])}*\n" if title.get("ko") else ""
    blocks.append(_context(f"{korean}{_source(meta, data['source']['path'])}"))
    if title.get("flags"):
        blocks += _section(_flag_note(title.get("notes", []), title["flags"]).strip())
    if data.get("gist"):
        blocks += _section(f"*In brief:* {escape(data['gist'])}")
    for w in data.get("warnings", []):
        blocks += _section(f":warning: {escape(w)}")
    names = {k: [n for n in data.get("names", []) if n["kind"] == k][:8] for k in KINDS}
    line = " · ".join(f"*{KINDS[k]}:* " + ", ".join(f"{'_' if n['romanised'] else ''}{escape(n['en'])}"
                                                     f"{'_' if n['romanised'] else ''} ({escape(n['ko'])})" for n in v)
                      for k, v in names.items() if v)
    if line:
        blocks.append(_context(line))
    for n, item in enumerate(data["summary"], 1):
        note = _flag_note(item.get("notes", []), item["flags"])
        blocks += _section(f"*{n}.* {escape(item['en'])}{note}\n>{escape(item['ko'])}")
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
            note = _flag_note(q.get("notes", []), q.get("flags", []))
            lines = [f">“{escape(q['en'])}”{note}", f">— {escape(who)}{ko_who}", f">“{escape(q['ko'])}”"]
            blocks += _section("\n".join(lines))
    m = data["model"]
    blocks.append(_context(f"Translated by {escape(m['id'])} ({escape(m.get('backend') or '')}) · "
                           f"summarize {escape(data['tool']['version'])}"))
    return blocks


def _story_line(n: int, briefs: list[Item], item: Item) -> str:
    """One story of the digest in a line: its headline (linked where the briefs are published), its outlets,
    its flags."""
    b = briefs[0].data
    title = escape(b["title"]["en"] or b["title"]["ko"] or b["source"]["path"])
    url = item.link(briefs[0])
    head = f"<{_url(url)}|{title}>" if url else f"*{title}*"
    outlets = ", ".join(dict.fromkeys(escape(_outlet(x.data["meta"]) or x.data["source"]["path"]) for x in briefs))
    flagged = sum(1 for s in b["summary"] if s["flags"]) + (1 if b["title"].get("flags") else 0)
    flag = f" :warning: {flagged} flagged" if flagged else ""
    original = f" · <{_url(b['meta']['url'])}|original>" if b["meta"].get("url") else ""
    return f"*{n}.* {head}\n     _{outlets}_{original}{flag}"


def digest_blocks(data: dict[str, Any], item: Item | None = None) -> list[dict[str, Any]]:
    """The digest's stories by section, each in one line (what a parent message shows)."""
    t = data["totals"]
    blocks = _header(f"Korean news briefs · {data['date']}")
    stories = data.get("stories", [])
    merged = len(data.get("briefs", [])) - len(stories)
    blocks.append(_context(f"{len(stories)} stories from {t['written']} new or changed briefs"
                           + (f" ({merged} merged)" if merged > 0 else "")
                           + f"; {t['unchanged']} unchanged, {t['rejected']} rejected, {t['failed']} failed"))
    if data.get("model_warning"):
        blocks += _section(f":warning: *{escape(data['model_warning'])}*")
    grouped = item.story_briefs() if item is not None else []
    n = 0
    for section in data.get("sections", []):
        lines = []
        for _ in section["stories"]:
            if n < len(grouped) and grouped[n]:
                lines.append(_story_line(n + 1, grouped[n], item or Item("digest", "digest", "", data)))
            n += 1
        if lines:
            blocks += _section(f"*{escape(section['name'])}*\n" + "\n".join(lines))
    if data["problems"]:
        lines = [f"• `{escape(p['path'])}`: {p['status']}, {escape(str(p['reason']))}" for p in data["problems"]]
        blocks += _section("*Not briefed*\n" + "\n".join(lines))
    return blocks


def _messages(blocks: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Blocks in messages of at most 50; a message after the first says it continues."""
    chunks = [blocks[i:i + LIMITS["blocks"]] for i in range(0, len(blocks), LIMITS["blocks"])]
    out = []
    text = escape(text)  # the notification's text: no <!channel> of an article's reaches Slack as one
    for n, chunk in enumerate(chunks, 1):
        out.append({"text": text if len(chunks) == 1 else f"{text} ({n}/{len(chunks)})"[:LIMITS["text"]],
                    "blocks": chunk})
    return out


def messages_for(item: Item, threaded: bool = True) -> list[dict[str, Any]]:
    """The payloads of an item: as many messages of at most 50 blocks as it needs. For the digest, the first is
    the parent (the stories, by section) and, `threaded` (a token), each story's brief follows for the thread."""
    fallback = item.subject[:LIMITS["text"]]
    if item.kind == "brief":
        return _messages(brief_blocks(item.data), fallback)
    out = _messages(digest_blocks(item.data, item), fallback)
    if len(out) > 1 and len(out[0]["blocks"]) < LIMITS["blocks"]:  # the parent says the list goes on below
        out[0]["blocks"].append(_context("_The list continues in the thread._"))
    if threaded:
        for n, briefs in enumerate(item.story_briefs(), 1):
            if not briefs:
                continue
            lead = briefs[0]
            blocks = brief_blocks(lead.data)
            if len(briefs) > 1:
                also = " · ".join(f"{escape(_outlet(b.data['meta']) or b.name)}"
                                  + (f" <{_url(b.data['meta']['url'])}|original>" if b.data["meta"].get("url") else "")
                                  for b in briefs[1:])
                blocks.insert(2, _context(f"Also carried by {also}"))
            out += _messages(blocks, f"{n}. {lead.subject}"[:LIMITS["text"]])
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
            answer = {"ok": False, "error": f"an answer that is not Slack's ({status})"}
        if status == 429 or answer.get("error") == "ratelimited":
            raise Transient("Slack rate limit (429)", _retry_after(headers))
        if status >= 500:
            raise Transient(f"Slack answered {status}")
        if not answer.get("ok"):
            raise Permanent(f"Slack refused the message: {_code(str(answer.get('error', status)))}")
        ts: str | None = answer.get("ts")
        return ts
    status, headers, text = _request(target.webhook or "", payload, {}, target.timeout)
    if status == 429:
        raise Transient("Slack rate limit (429)", _retry_after(headers))
    if status >= 500:
        raise Transient(f"Slack answered {status}")
    if status != 200:
        raise Permanent(f"the Slack webhook answered {status} {_code(text)}".strip())
    return None


def _code(text: str) -> str:
    """Slack's error code from an answer (`invalid_token`, `no_service`), or nothing: any other body (a proxy's
    page that echoes the address asked for, and with it the webhook's secret path) is not repeated."""
    text = text.strip()
    return text if re.fullmatch(r"[a-z_]{1,40}", text) else ""


def send_slack(out_dir: Path, target: SlackTarget, each: bool = False, dry_run: bool = False, resend: bool = False,
               policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
               base_url: str | None = None) -> list[Outcome]:
    """Post the digest (or each brief) of the last run to Slack: with a token, the digest's parent message and
    each story's brief in its thread. A dry run writes the JSON payloads to OUT_DIR/outbox/slack/ instead."""
    items = items_to_send(out_dir, each, base_url)
    # a webhook cannot answer with a message's ts: no thread to post the briefs in (a dry run without one shows
    # what a token would post)
    threaded = bool(target.token) or (dry_run and not target.webhook)
    if dry_run:
        folder = out_dir / "outbox" / "slack"
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for item in items:
            for n, payload in enumerate(messages_for(item, threaded), 1):
                path = folder / f"{item.name}.{n}.json"
                path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            out.append(Outcome("slack", target.name, item.name, "written", str(folder)))
        return out
    policy = policy or RetryPolicy(attempt_s=target.timeout)

    def one(item: Item, recipient: str, logbook: Logbook) -> int:
        """Each message of the item that has not gone yet: a re-run after a failure part-way through
        posts only the rest, into the first message's thread."""
        attempts, ts = 0, None
        done = {} if resend else logbook.parts("slack", recipient, item)
        for n, payload in enumerate(messages_for(item, threaded), 1):
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

    outcomes = deliver(items, [target.name], "slack", one, out_dir, resend)
    forget_sent(items, outcomes)
    return outcomes
