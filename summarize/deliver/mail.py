"""Email: a brief or the digest as real MIME messages, sent over SMTP.

`multipart/alternative` with the Markdown as the plain-text part and an HTML part rendered from it
by markdown-it-py, styled with inline CSS that mail clients keep (tables, blockquotes, Korean font
fallbacks, each Korean source set apart under its English); UTF-8 headers (Korean subjects encoded as
RFC 2047 words), a Message-ID and a Date. Settings come from the config's [email] table and
SUMMARIZE_SMTP_* variables; the password only from SUMMARIZE_SMTP_PASSWORD, and it never appears in a
message, a log or a file.

The digest stays under the size at which Gmail clips a message's HTML (about 102 KB): its stories go in as
many messages as they need ("part 1 of 3", each saying it continues), and each story's brief goes with them,
inline below the stories with an anchor that the story links to while there is room, attached as an HTML file
after that. Where the briefs folder is published (`base_url`), the stories link there instead.
"""

from __future__ import annotations

import html
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..errors import ConfigError, Permanent, Transient
from ..host import safe_name
from ..options import SECURITIES, EmailOptions, secret, spec_of
from .once import Item, Logbook, Outcome, deliver, forget_sent, items_to_send
from .retry import RetryPolicy, with_retries

__all__ = ["SmtpSettings", "to_html", "build_message", "build_messages", "digest_parts", "send_message", "write_eml",
           "send_email", "HTML_LIMIT"]

# The port of each kind of connection, where none is set
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
PASSWORD_VARIABLE = "SUMMARIZE_SMTP_PASSWORD"  # the password comes from here only, never from a file
# The most HTML a message carries, in bytes: Gmail clips a message whose HTML passes about 102 KB
HTML_LIMIT = 90_000

FONTS = ("-apple-system, 'Segoe UI', 'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', 'Noto Sans CJK KR', "
         "'Nanum Gothic', 'Helvetica Neue', Arial, sans-serif")
STYLES = {
    "h1": "font-size:22px;line-height:1.3;margin:0 0 8px;color:#111",
    "h2": "font-size:17px;line-height:1.35;margin:22px 0 8px;color:#111;border-bottom:1px solid #e5e5e5;padding-bottom:4px",
    "h3": "font-size:15px;margin:18px 0 6px;color:#111",
    "p": "margin:0 0 12px",
    "ol": "margin:0 0 12px;padding-left:22px",
    "ul": "margin:0 0 12px;padding-left:22px",
    "li": "margin:0 0 10px",
    "blockquote": "margin:0 0 12px;padding:6px 12px;border-left:4px solid #c8d3e6;background:#f6f8fb;color:#333",
    "table": "border-collapse:collapse;width:100%;margin:0 0 14px;font-size:13px",
    "th": "border:1px solid #d0d7de;padding:6px 8px;background:#f3f5f7;text-align:left",
    "td": "border:1px solid #d0d7de;padding:6px 8px;vertical-align:top",
    "code": "font-family:Menlo,Consolas,monospace;font-size:12px;background:#f3f5f7;padding:1px 4px;border-radius:3px",
    "hr": "border:0;border-top:1px solid #e5e5e5;margin:18px 0",
    "a": "color:#0b57d0",
    "pre": "font-family:Menlo,Consolas,monospace;font-size:12px;background:#f3f5f7;padding:8px;white-space:pre-wrap",
}
# A Korean source under its English (a blockquote inside a list item): set apart, smaller and quieter
SOURCE_STYLE = "margin:4px 0 0;padding:2px 10px;border-left:3px solid #d9dde3;color:#555;font-size:14px"
GIST_STYLE = "margin:0 0 14px;font-size:16px;line-height:1.55;color:#111"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    security: str = "starttls"  # starttls, ssl or none
    sender: str = "summarize@localhost"
    timeout: float = 30.0

    @classmethod
    def load(cls, config: EmailOptions | None = None, env: Mapping[str, str] = os.environ) -> SmtpSettings:
        """From the config's [email] table, overridden by SUMMARIZE_SMTP_* variables."""
        c = config

        def var(name: str) -> str | None:  # the [email] key's environment variable, as summarize.options names it
            return env.get(spec_of(EmailOptions, name).env or "")

        host = var("host") or (c.host if c else None)
        if not host:
            raise ConfigError("no SMTP server: set SUMMARIZE_SMTP_HOST (or host in the config's [email] table)")
        security = var("security") or (c.security if c else "starttls")
        if security not in SECURITIES:
            raise ConfigError(f"SMTP security must be {', '.join(SECURITIES[:-1])} or {SECURITIES[-1]}, not {security!r}")
        port: int | str = var("port") or (c.port if c and c.port else DEFAULT_PORTS[security])
        if isinstance(port, str):  # from the environment: checked by the [email] table's definition of it
            spec = spec_of(EmailOptions, "port")
            try:
                port = int(spec.parse(spec.env or "port", port))
            except ValueError as e:
                raise ConfigError(str(e)) from None
            problem = spec.problem(spec.env or "port", port)
            if problem:
                raise ConfigError(problem)
        return cls(
            host=host, port=port, security=security,
            user=var("user") or (c.user if c else None),
            password=secret(PASSWORD_VARIABLE, "password", env),
            sender=var("sender") or (c.sender if c and c.sender else "summarize@localhost"),
        )


def html_body(markdown: str, anchors: dict[int, str] | None = None) -> str:
    """The Markdown as styled HTML (no page around it). `anchors`: the id of the n-th level-one heading, for
    links within the message (`#brief-x`)."""
    from markdown_it import MarkdownIt

    text = re.sub(r"</?sub>", "", markdown)  # the footer's <sub>: the HTML part styles it itself
    body = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").render(text)
    body = _set_apart_sources(body)
    body = re.sub(r"<p><strong>In brief:</strong>", f'<p style="{GIST_STYLE}"><strong>In brief:</strong>', body)
    for tag, style in STYLES.items():
        body = re.sub(rf"<{tag}(?=[ >])(?! style=)", f'<{tag} style="{style}"', body)
    body = re.sub(r"<hr />\n<p style=\"[^\"]*\"", '<hr />\n<p style="font-size:12px;color:#666"', body)
    if anchors:
        count = iter(range(10**9))
        body = re.sub(r"<h1(?= )", lambda m: f'<h1 id="{anchors[n]}"' if (n := next(count)) in anchors else "<h1",
                      body)
    return body


def _set_apart_sources(body: str) -> str:
    """Style each blockquote that stands inside a list item (a sentence's Korean source) apart from quotes."""
    out, depth, pos = [], 0, 0
    for m in re.finditer(r"<(/?)(li|blockquote)(?=[ >])", body):
        out.append(body[pos:m.end()])
        pos = m.end()
        closing, tag = m.group(1), m.group(2)
        if tag == "li":
            depth += -1 if closing else 1
        elif not closing and depth > 0:
            out.append(f' style="{SOURCE_STYLE}" lang="ko"')
    out.append(body[pos:])
    return "".join(out)


def to_html(markdown: str, title: str, anchors: dict[int, str] | None = None) -> str:
    """The Markdown rendered by markdown-it-py, with inline styles that mail clients keep."""
    body = html_body(markdown, anchors)
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>\n"
        f'<body style="margin:0;padding:0;background:#ffffff;font-family:{FONTS};font-size:15px;line-height:1.6;'
        f'color:#222;word-break:keep-all;overflow-wrap:anywhere">\n'
        f'<div style="max-width:760px;margin:0 auto;padding:20px 16px">\n{body}</div>\n</body></html>\n'
    )


def build_message(item: Item, to: str, settings: SmtpSettings) -> EmailMessage:
    """One message of an item's whole Markdown (a brief; `build_messages` cuts the digest to size)."""
    return _message(item.subject, item.name, item.markdown, to_html(item.markdown, item.subject), to, settings)


def _message(subject: str, name: str, markdown: str, rich: str, to: str, settings: SmtpSettings,
             attachments: tuple[tuple[str, str], ...] = ()) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = subject
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    domain = settings.sender.rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(idstring=name[:40], domain=domain)
    msg.set_content(markdown, charset="utf-8")
    msg.add_alternative(rich, subtype="html", charset="utf-8")
    if attachments:
        msg.make_mixed()
        for filename, page in attachments:
            msg.add_attachment(page.encode("utf-8"), maintype="text", subtype="html", filename=filename)
    # Headers are written on one line (up to RFC 5322's 998): Python folds a long Korean subject between
    # two encoded words at a space, and readers drop a space there (`⅓ …` arrives as `⅓…`). The bodies
    # were encoded above, with the usual line length.
    msg.policy = SMTP.clone(max_line_length=998)
    return msg


@dataclass(frozen=True)
class Part:
    """One message of the digest: its Markdown (the plain-text part), its HTML, and its attachments
    (file name, HTML page)."""

    markdown: str
    html: str
    attachments: tuple[tuple[str, str], ...]


def _anchor(name: str) -> str:
    return "brief-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _digest_pieces(markdown: str) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """The digest's Markdown in pieces: its head, each story (with the section it stands in) and its tail (what
    was not briefed, the footer), as summarize.report writes them."""
    lines = markdown.split("\n")
    head: list[str] = []
    stories: list[tuple[str, list[str]]] = []
    tail: list[str] = []
    section = ""
    where = "head"
    for line in lines:
        if line.startswith("## ") and line != "## Not briefed":
            section, where = line[3:], "section"
            continue
        if line == "## Not briefed" or line == "---":
            where = "tail"
        if where == "tail":
            tail.append(line)
        elif line.startswith("### "):
            stories.append((section, [line]))
            where = "story"
        elif where == "story":
            stories[-1][1].append(line)
        else:
            head.append(line)
    return head, [(sec, "\n".join(body).strip() + "\n") for sec, body in stories], tail


def _relink(story: str, briefs: list[Item], target: Callable[[Item], str | None]) -> str:
    """The story's `[brief](…)` links pointed at `target(brief)` (an anchor, a web address), in the order the
    digest lists its briefs; a brief with no target is said to be attached."""
    it = iter(briefs)

    def one(m: re.Match[str]) -> str:
        b = next(it, None)
        if b is None:
            return m.group(0)
        to = target(b)
        return f"[brief]({to})" if to else f"brief attached: `{b.name}.html`"

    return re.sub(r"\[brief\]\([^)]*\)", one, story)


def digest_parts(item: Item, limit: int = HTML_LIMIT) -> list[Part]:
    """The digest in messages whose HTML stays under `limit` bytes: the stories in order, each part saying
    where it continues; each story's lead brief inline (an anchor that the story links to) while there is room,
    every other brief of the part's stories attached. Where the briefs folder is published (`item.base_url`),
    the stories link there and nothing is inlined or attached."""
    head, stories, tail = _digest_pieces(item.markdown)
    story_briefs = item.story_briefs()
    if len(story_briefs) != len(stories):  # a digest written by another version: as it is
        story_briefs = [[] for _ in stories]
    web = bool(item.base_url)

    def size(md: str) -> int:
        return len(html_body(md).encode("utf-8"))

    frame = size("\n".join(head + ["## Economy", "", "_Continued in the next message (part 99 of 99)._", ""]
                           + tail)) + 1200  # the page around the body, the heading of a part
    groups: list[list[int]] = [[]]
    used = frame
    for n, (_, story) in enumerate(stories):
        cost = size(_relink(story, story_briefs[n], lambda b: f"#{_anchor(b.name)}")) + 200
        if groups[-1] and used + cost > limit:
            groups.append([])
            used = frame
        groups[-1].append(n)
        used += cost
    total = len(groups)
    parts = []
    for k, group in enumerate(groups, 1):
        lines = list(head)
        if total > 1:
            lines[0] = f"{lines[0]} · part {k} of {total}"
            if k > 1:
                lines += [f"_Continued from part {k - 1}._", ""]
        listed = [story_briefs[n] for n in group]
        inline: list[Item] = []
        if not web:
            room = limit - frame - sum(size(stories[n][1]) + 200 for n in group)
            for briefs in listed:
                if briefs and (cost := size(briefs[0].markdown) + 400) <= room:
                    inline.append(briefs[0])
                    room -= cost
        inlined = {b.name for b in inline}

        def target(b: Item, inlined: set[str] = inlined) -> str | None:
            return item.link(b) if web else (f"#{_anchor(b.name)}" if b.name in inlined else None)

        section = None
        for n in group:
            sec, story = stories[n]
            if sec != section:
                lines += [f"## {sec}", ""]
                section = sec
            lines += [_relink(story, story_briefs[n], target)]
        if k < total:
            lines += [f"_Continued in the next message (part {k + 1} of {total})._", ""]
        else:
            lines += tail
        anchors = {}
        if inline:
            lines += ["", "---", "", "## The briefs", ""]
            for i, b in enumerate(inline, 1):
                anchors[i] = _anchor(b.name)
                lines += [b.markdown.strip(), ""]
        markdown = "\n".join(lines)
        rich = to_html(markdown, item.subject, anchors)
        attached = () if web else tuple((f"{b.name}.html", to_html(b.markdown, b.subject))
                                        for briefs in listed for b in briefs if b.name not in inlined)
        parts.append(Part(markdown, rich, attached))
    return parts


def build_messages(item: Item, to: str, settings: SmtpSettings, limit: int = HTML_LIMIT) -> list[EmailMessage]:
    """The messages of an item: a brief in one, the digest in as many as keep each under `limit`."""
    if item.kind != "digest":
        return [build_message(item, to, settings)]
    parts = digest_parts(item, limit)
    return [_message(item.subject + (f" ({k} of {len(parts)})" if len(parts) > 1 else ""), f"{item.name}.{k}",
                     p.markdown, p.html, to, settings, p.attachments) for k, p in enumerate(parts, 1)]


def send_message(msg: EmailMessage, settings: SmtpSettings) -> None:
    """Send one message; Transient or Permanent on failure, with no secret in the text."""
    where = f"{settings.host}:{settings.port}"
    try:
        client: smtplib.SMTP
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.send_message(msg)
    except smtplib.SMTPAuthenticationError as e:
        raise Permanent(f"SMTP server {where} refused the login for {settings.user} ({e.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused as e:
        codes = [code for code, _ in e.recipients.values()]
        error = Transient if codes and all(400 <= c < 500 for c in codes) else Permanent
        raise error(f"SMTP server {where} refused {', '.join(e.recipients)} ({', '.join(map(str, codes))})") from None
    except smtplib.SMTPResponseException as e:
        reply = e.smtp_error.decode("utf-8", "replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        error = Transient if 400 <= e.smtp_code < 500 else Permanent
        raise error(f"SMTP server {where} answered {e.smtp_code} {reply.splitlines()[0] if reply else ''}") from None
    except (TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError) as e:
        raise Transient(f"SMTP server {where}: {type(e).__name__}: {e}") from None
    except smtplib.SMTPException as e:  # e.g. no AUTH offered: a setting to fix, not worth a retry
        raise Permanent(f"SMTP server {where}: {type(e).__name__}: {str(e).splitlines()[0]}") from None
    except ssl.SSLError as e:
        raise Permanent(f"SMTP server {where}: TLS failed: {e.reason}") from None
    except OSError as e:
        raise Transient(f"SMTP server {where}: {e.strerror or e}") from None


def write_eml(msg: EmailMessage, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.eml"
    path.write_bytes(msg.as_bytes())
    return path


def send_email(out_dir: Path, recipients: list[str], settings: SmtpSettings, each: bool = False,
               dry_run: bool = False, resend: bool = False, policy: RetryPolicy | None = None,
               sleep: Callable[[float], None] = time.sleep, base_url: str | None = None,
               limit: int = HTML_LIMIT) -> list[Outcome]:
    """Mail the digest (or each brief) of the last run in `out_dir` to every recipient, the digest in as many
    messages as keep each one's HTML under `limit` bytes. A dry run writes .eml files to OUT_DIR/outbox/email/
    instead."""
    items = items_to_send(out_dir, each, base_url)
    if dry_run:
        out = []
        for r in recipients:
            for item in items:
                msgs = build_messages(item, r, settings, limit)
                for k, msg in enumerate(msgs, 1):
                    name = item.name if len(msgs) == 1 else f"{item.name}.{k}"
                    path = write_eml(msg, out_dir / "outbox" / "email" / safe_name(r), name)
                out.append(Outcome("email", r, item.name, "written", str(path)))
        return out
    policy = policy or RetryPolicy(attempt_s=settings.timeout)

    def one(item: Item, recipient: str, logbook: Logbook) -> int:
        """Each message of the item that has not gone yet: after a failure part-way, a re-run sends the rest."""
        attempts = 0
        done = {} if resend else logbook.parts("email", recipient, item)
        for k, msg in enumerate(build_messages(item, recipient, settings, limit), 1):
            if k in done:
                continue

            def send(m: EmailMessage = msg, k: int = k) -> None:
                send_message(m, settings)
                logbook.record_part("email", recipient, item, k, str(m["Message-ID"]))
            attempts += with_retries(send, policy, f"email to {recipient}", sleep)
        return attempts

    outcomes = deliver(items, recipients, "email", one, out_dir, resend)
    forget_sent(items, outcomes)
    return outcomes
