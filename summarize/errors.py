"""The library's exceptions. The CLI maps them to one-line messages and exit codes."""


class SummarizeError(Exception):
    """Base class of every error the library raises on purpose."""


class Rejected(SummarizeError):
    """An input that is not an article we can brief (empty, binary, not Korean, ...).

    Rejections are reported and the batch goes on; they are not failures. `lines` holds how cleaning
    classified each line of the page, where it got that far (`summarize explain` shows them).
    """

    def __init__(self, message: str, lines: tuple = ()):
        super().__init__(message)
        self.lines = lines

    def __reduce__(self):  # picklable with its lines (rejects travel back from worker processes)
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


class MissingDependency(SummarizeError):
    """An optional package is not installed; the message says which pip install fixes it."""


class Locked(SummarizeError):
    """Another run holds the output folder."""
