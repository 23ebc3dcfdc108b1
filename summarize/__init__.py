"""summarize: Korean news articles in, bilingual (Korean + English) Markdown and JSON briefs out."""

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    ConfigError,
    Locked,
    MissingDependency,
    ModelUnavailable,
    NeedsCT2,
    Rejected,
    SummarizeError,
    UnknownModel,
    VocabularyMismatch,
)
from .options import BriefOptions, GenerationOptions, load_options  # noqa: E402
from .pipeline import Prepared, RunReport, compose, guard, prepare, run  # noqa: E402
from .translation import MODELS, Translator, resolve_model  # noqa: E402
from .types import (  # noqa: E402
    Article,
    Brief,
    Figure,
    Meta,
    ModelInfo,
    Quote,
    Sentence,
    SentenceScore,
    Source,
    Translated,
)

__all__ = [
    "__version__",
    "run",
    "prepare",
    "compose",
    "guard",
    "Prepared",
    "RunReport",
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
]
