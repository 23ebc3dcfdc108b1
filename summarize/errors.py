"""The library's exceptions. The CLI maps them to one-line messages and exit codes."""

from __future__ import annotations

from typing import Any


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
