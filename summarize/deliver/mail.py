"""Email: a brief or the digest as a real MIME message, sent over SMTP.

`multipart/alternative` with the Markdown as the plain-text part and an HTML part rendered from it
by markdown-it-py, styled with inline CSS that mail clients keep (tables, blockquotes, Korean font
fallbacks); UTF-8 headers (Korean subjects encoded as RFC 2047 words), a Message-ID and a Date.
Settings come from the config's [email] table and SUMMARIZE_SMTP_* variables; the password only from
SUMMARIZE_SMTP_PASSWORD, and it never appears in a message, a log or a file.
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
from ..options import SECURITIES, EmailOptions, spec_of
from .once import Item, Logbook, Outcome, deliver, items_to_send
from .retry import RetryPolicy, with_retries

__all__ = ["SmtpSettings", "to_html", "build_message", "send_message", "write_eml", "send_email"]

# The port of each kind of connection, where none is set
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
PASSWORD_VARIABLE = "SUMMARIZE_SMTP_PASSWORD"  # the password comes from here only, never from a file

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
}


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
            password=env.get(PASSWORD_VARIABLE),
            sender=var("sender") or (c.sender if c and c.sender else "summarize@localhost"),
        )


def to_html(markdown: str, title: str) -> str:
    """The Markdown rendered by markdown-it-py, with inline styles that mail clients keep."""
    from markdown_it import MarkdownIt

    text = re.sub(r"</?sub>", "", markdown)  # the footer's <sub>: the HTML part styles it itself
    body = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").render(text)
    for tag, style in STYLES.items():
        body = re.sub(rf"<{tag}(?=[ >])", f'<{tag} style="{style}"', body)
    body = body.replace("<hr />\n<p", '<hr />\n<p style="font-size:12px;color:#666"', 1) if "<hr" in body else body
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>\n"
        f'<body style="margin:0;padding:0;background:#ffffff;font-family:{FONTS};font-size:15px;line-height:1.6;'
        f'color:#222;word-break:keep-all;overflow-wrap:anywhere">\n'
        f'<div style="max-width:760px;margin:0 auto;padding:20px 16px">\n{body}</div>\n</body></html>\n'
    )


def build_message(item: Item, to: str, settings: SmtpSettings) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = item.subject
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    domain = settings.sender.rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(idstring=item.name[:40], domain=domain)
    msg.set_content(item.markdown, charset="utf-8")
    msg.add_alternative(to_html(item.markdown, item.subject), subtype="html", charset="utf-8")
    # Headers are written on one line (up to RFC 5322's 998): Python folds a long Korean subject between
    # two encoded words at a space, and readers drop a space there (`⅓ …` arrives as `⅓…`). The bodies
    # were encoded above, with the usual line length.
    msg.policy = SMTP.clone(max_line_length=998)
    return msg


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
               sleep: Callable[[float], None] = time.sleep) -> list[Outcome]:
    """Mail the digest (or each brief) of the last run in `out_dir` to every recipient.
    A dry run writes .eml files to OUT_DIR/outbox/email/ instead."""
    items = items_to_send(out_dir, each)
    if dry_run:
        out = []
        for r in recipients:
            for item in items:
                path = write_eml(build_message(item, r, settings), out_dir / "outbox" / "email" / safe_name(r), item.name)
                out.append(Outcome("email", r, item.name, "written", str(path)))
        return out
    policy = policy or RetryPolicy()

    def one(item: Item, recipient: str, _logbook: Logbook) -> int:
        msg = build_message(item, recipient, settings)
        return with_retries(lambda: send_message(msg, settings), policy, f"email to {recipient}", sleep)

    return deliver(items, recipients, "email", one, out_dir, resend)
