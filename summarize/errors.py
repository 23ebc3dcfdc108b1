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
    """A configuration file or option that cannot be used."""


class UnknownModel(ConfigError):
    """A model name that is neither an alias, a hub id nor an existing folder."""


class ModelUnavailable(SummarizeError):
    """The model is not cached and cannot be fetched (offline, no such repository, ...)."""


class NeedsCT2(ModelUnavailable):
    """A ready CTranslate2 model asked of a backend that cannot run it."""


class VocabularyMismatch(ModelUnavailable):
    """A model whose vocabulary lacks too many pieces of Korean text: it would translate noise."""


class BackendUnavailable(SummarizeError):
    """A backend that cannot run this model here (not installed, unsupported, no GPU build). Inside the
    model layer it means "try the other backend"; where there is none, it becomes ModelUnavailable."""


class MissingDependency(SummarizeError):
    """An optional package is not installed; the message says which pip install fixes it."""


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
