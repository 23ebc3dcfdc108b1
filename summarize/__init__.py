"""summarize: Korean news articles in, bilingual (Korean + English) Markdown and JSON briefs out.

The library's API, re-exported from the modules that define it; the CLI (summarize.cli) is one user of it.
"""

from .article import compose, explain, guard, prepare
from .errors import (
    ConfigError,
    InputError,
    Locked,
    MissingDependency,
    ModelUnavailable,
    NeedsCT2,
    OutputError,
    Rejected,
    SummarizeError,
    UnknownModel,
    VocabularyMismatch,
)
from .options import BriefOptions, GenerationOptions, load_options
from .records import (
    Article,
    Brief,
    Entry,
    Explained,
    Figure,
    Meta,
    ModelInfo,
    Name,
    Prepared,
    Quote,
    Sentence,
    SentenceScore,
    Source,
    Translated,
)
from .report import RunReport
from .run import run
from .translate.base import MODELS, Translator, resolve_model
from .version import __version__

__all__ = [
    "__version__",
    "run",
    "prepare",
    "compose",
    "guard",
    "explain",
    "Prepared",
    "Explained",
    "RunReport",
    "Entry",
    "BriefOptions",
    "GenerationOptions",
    "load_options",
    "MODELS",
    "Translator",
    "resolve_model",
    "Article",
    "Brief",
    "Figure",
    "Meta",
    "Name",
    "ModelInfo",
    "Quote",
    "Sentence",
    "SentenceScore",
    "Source",
    "Translated",
    "SummarizeError",
    "Rejected",
    "ConfigError",
    "UnknownModel",
    "ModelUnavailable",
    "NeedsCT2",
    "VocabularyMismatch",
    "MissingDependency",
    "Locked",
    "InputError",
    "OutputError",
]
