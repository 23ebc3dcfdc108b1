"""The library's exceptions. The CLI maps them to one-line messages and exit codes, each through `redact` and
`printable`: the one place where a message loses the secrets it may hold (a URL's credentials and path, a token,
any value registered with `keep_secret`) and the control characters that would break its line (a file name
with a newline in it). `inert` is the same for an article's text put into Markdown: no link or image its author
wrote becomes live."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["keep_secret", "redact", "printable", "inert", "HIDDEN"]

HIDDEN = "[hidden]"
_secrets: set[str] = set()
_URL = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^\s/?#'\"<>]*)([^\s'\"<>]*)")
_TOKEN = re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+|\b(?i:bearer)\s+[^\s'\"]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def keep_secret(value: str | None) -> None:
    """Remember a secret's value (a password, a token, a webhook URL): `redact` hides it wherever it appears."""
    for v in (value, (value or "").strip()):
        if v and len(v) >= 4:
            _secrets.add(v)


def _url(m: re.Match[str]) -> str:
    scheme, host, rest = m.group(1), m.group(2), m.group(3)
    host = host.rpartition("@")[2]  # credentials in a URL go
    secret_path = "hook" in host.lower() or "?" in rest or "token" in rest.lower()
    return f"{scheme}{host}{'/' + HIDDEN if secret_path and rest.strip('/') else rest}"


def redact(text: str) -> str:
    """`text` without the secrets it may hold: every value given to `keep_secret`, a URL's credentials, the path
    and query of a webhook's URL (or of one with a query or a token in it), a Slack token, a bearer token."""
    text = _TOKEN.sub(HIDDEN, text)
    for v in sorted(_secrets, key=len, reverse=True):
        text = text.replace(v, HIDDEN)
    return _URL.sub(_url, text)


def printable(text: str) -> str:
    """`text` on one line: each control character (a newline in a file name) written as its escape."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1] if m.group() != "\x7f" else "\\x7f", text)


class SummarizeError(Exception):
    """Base class of every error the library raises on purpose."""


class Rejected(SummarizeError):
    """An input that is not an article we can brief (empty, binary, not Korean, ...).

    Rejections are reported and the batch goes on; they are not failures. `lines` holds how cleaning
    classified each line of the page, where it got that far (`summarize explain` shows them).
    """

    def __init__(self, message: str, lines: tuple[Any, ...] = ()):
        super().__init__(message)
        self.lines = lines

    def __reduce__(self) -> tuple[Any, ...]:  # picklable with its lines (rejects travel back from worker processes)
        return type(self), (str(self), self.lines)


class TimeLimit(SummarizeError):
    """An article whose preparation ran past the time limit (`time_limit`): it fails, the batch goes on."""


class ConfigError(SummarizeError):
    """Settings that cannot be used: a flag, an environment variable or a config file. Every problem found is
    one of `problems` (the CLI prints one line each); str() joins them."""

    def __init__(self, *problems: str):
        super().__init__(*problems)
        self.problems: tuple[str, ...] = problems

    def __str__(self) -> str:
        return "; ".join(self.problems)


class UnknownModel(ConfigError):
    """A model name that is neither an alias, a hub id nor an existing folder."""


class ModelUnavailable(SummarizeError):
    """The model cannot be used: not cached and cannot be fetched (offline, no such repository), a folder that
    holds no model, weights that do not load.

    The message says what is wrong (`cause`). Where fetching the model is the fix, `fetch` is the name that
    `summarize models pull` takes, and `offline` says why this machine could not fetch it itself (offline mode,
    the hub out of reach); str() adds that fix to the cause, and the CLI writes it with the command as the user
    can run it."""

    def __init__(self, cause: str, fetch: str | None = None, offline: str | None = None):
        super().__init__(cause, fetch, offline)
        self.cause, self.fetch, self.offline = cause, fetch, offline

    def __str__(self) -> str:
        if not self.fetch:
            return self.cause
        where = " on a machine that can reach the hub, into the Hugging Face cache this one reads" if self.offline \
            else ""
        return f"{self.cause}: fetch it with `summarize models pull {self.fetch}`{where}"


class NeedsCT2(ModelUnavailable):
    """A ready CTranslate2 model asked of a backend that cannot run it."""


class VocabularyMismatch(ModelUnavailable):
    """A model whose vocabulary lacks too many pieces of Korean text: it would translate noise."""


class BackendUnavailable(SummarizeError):
    """A backend that cannot run this model here (not installed, unsupported, no GPU build). Inside the
    model layer it means "try the other backend"; where there is none, it becomes ModelUnavailable."""


class MissingDependency(SummarizeError):
    """An optional package is not installed; the message says which pip install fixes it."""


class InputError(SummarizeError):
    """Folders a run cannot use as asked: an input folder with no article files, or an output folder that is the
    input folder or holds it (its articles would be hidden from the run)."""


class OutputError(SummarizeError):
    """The output folder cannot be written (a read-only file system, no permission, a file in its place)."""


class ClusterError(SummarizeError):
    """The Ray cluster of a run (`--executor ray`) cannot be reached or used, or its inputs cannot be listed."""


class Locked(SummarizeError):
    """Another run holds the output folder."""


class StateError(SummarizeError):
    """The run state (OUT_DIR/.summarize/state.sqlite) cannot be used, e.g. a newer version wrote it."""


class DeliveryError(SummarizeError):
    """A delivery that did not go through."""


class Transient(DeliveryError):
    """Worth another try: a 4xx SMTP reply, a reset connection, Slack's 429 or a 5xx."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Permanent(DeliveryError):
    """Not worth another try: bad credentials, an unknown address, a webhook that does not exist."""


# Markdown that makes a link or an image of text: [text](url), [text][ref], [ref]: url, <scheme:...>, <a@b.c>
_LINKISH = re.compile(r"\]\s*[(\[:]|<[A-Za-z][A-Za-z0-9+.-]{1,31}:|<[^\s<>@]+@[^\s<>@]+>")


def inert(text: str) -> str:
    """An article's text as Markdown that shows it and does nothing else: where it holds what would make a link
    or an image (`[..](..)`, `![..](..)`, `<https://..>`), its brackets are escaped; other text is left as it is."""
    if not _LINKISH.search(text):
        return text
    return re.sub(r"([\[\]<>!])", r"\\\1", text)
