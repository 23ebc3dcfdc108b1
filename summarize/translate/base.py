"""The model layer's ground floor: model names (the alias table, resolving a name) and the interface every
translator implements.

Every other module of summarize.translate builds on this one; it imports none of them, and nothing here
imports torch, transformers or ctranslate2 (summarize.translate.hf and .ct2 do, when a model is loaded).
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import UnknownModel
from ..host import folder_fingerprint
from ..options import BriefOptions
from ..records import ModelInfo

__all__ = [
    "MODELS",
    "Alias",
    "ModelSpec",
    "DEFAULT_MODEL",
    "TRANSFORMERS_DEFAULT",
    "default_model",
    "resolve_model",
    "looks_like_path",
    "model_fingerprint",
    "model_id",
    "Translator",
    "TranslatorFactory",
    "Device",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSpec:
    """A model to load: a hub id or a local folder."""

    name: str  # what the user asked for
    id: str  # hub id, or the folder's absolute path
    local: bool
    warning: str | None = None  # a caveat every brief must carry (a non-commercial licence)
    backend: Literal["ct2"] | None = None  # "ct2": known to be a ready CTranslate2 model, which only that backend runs


NON_COMMERCIAL = "CC-BY-NC 4.0: non-commercial use only"


@dataclass(frozen=True)
class Alias:
    """A model the project names and has looked at: where it is, what runs it, its licence and download size."""

    hub_id: str
    backend: Literal["ct2", "any"]  # "ct2" (a ready CTranslate2 model: the ct2 backend only) or "any" (transformers weights)
    licence: str
    size: str  # what a download fetches: one weight format and the tokenizer files, from the hub's file sizes
    description: str
    warning: str | None = None


# The aliases, from a table kept here (`summarize models` shows it without the network). The first is the
# default; with --backend transformers, which cannot run it, the default is TRANSFORMERS_DEFAULT.
MODELS: dict[str, Alias] = {
    "quickmt": Alias("quickmt/quickmt-ko-en", "ct2", "CC-BY 4.0", "363 MB",
                     "transformer-big, 8+2 layers, ready CTranslate2 model"),
    "opus-mt": Alias("Helsinki-NLP/opus-mt-ko-en", "any", "Apache-2.0 / CC-BY 4.0", "315 MB",
                     "Marian base, one joint vocabulary"),
    "opus-mt-tc-big": Alias("Helsinki-NLP/opus-mt-tc-big-ko-en", "any", "CC-BY 4.0", "420 MB",
                            "Marian transformer-big; separate vocabularies, suspect in its HF port"),
    "nllb-600m": Alias("facebook/nllb-200-distilled-600M", "any", "CC-BY-NC 4.0", "2.5 GB",
                       "NLLB-200 distilled 600M", NON_COMMERCIAL),
    "nllb-1.3b": Alias("facebook/nllb-200-distilled-1.3B", "any", "CC-BY-NC 4.0", "5.5 GB",
                       "NLLB-200 distilled 1.3B", NON_COMMERCIAL),
    "nllb-3.3b": Alias("facebook/nllb-200-3.3B", "any", "CC-BY-NC 4.0", "17.6 GB", "NLLB-200 3.3B", NON_COMMERCIAL),
}
DEFAULT_MODEL = next(iter(MODELS))
TRANSFORMERS_DEFAULT = "opus-mt"


def default_model(backend: str = "auto") -> str:
    """The alias a run uses when no model is named: quickmt, or opus-mt where only transformers may run."""
    return TRANSFORMERS_DEFAULT if backend == "transformers" else DEFAULT_MODEL


def resolve_model(name: str | None, backend: str = "auto") -> ModelSpec:
    """An alias, a local folder, or a hub id (`org/name`); None is the default for the backend.
    Raises UnknownModel otherwise."""
    if name is None:
        name = default_model(backend)
    if name in MODELS:
        a = MODELS[name]
        return ModelSpec(name, a.hub_id, False, a.warning, "ct2" if a.backend == "ct2" else None)
    path = Path(name).expanduser()
    if path.is_dir():
        return ModelSpec(name, str(path.resolve()), True, None)
    if looks_like_path(name):
        raise UnknownModel(f"model folder not found: {name}{_nearby(path)}")
    if re.fullmatch(r"[\w.-]+/[\w.-]+", name):
        known = {a.hub_id: a for a in MODELS.values()}.get(name)
        return ModelSpec(name, name, False, NON_COMMERCIAL if "nllb" in name.lower() else None,
                         "ct2" if known and known.backend == "ct2" else None)
    raise UnknownModel(
        f"unknown model alias {name!r}; valid aliases: {', '.join(MODELS)} "
        "(or give a hub id such as Helsinki-NLP/opus-mt-ko-en, or a local folder)"
    )


def looks_like_path(name: str) -> bool:
    """Whether a model name that is no folder was meant as one: it starts like a path, has a backslash, more
    than one slash or a trailing one, or its first part is a folder here (`models/opus-mt` where `models/` is
    a folder). Any other `org/name` is a hub id."""
    if name.startswith((".", "/", "~")) or "\\" in name or name.count("/") > 1 or name.endswith("/"):
        return True
    head = name.partition("/")[0]
    return "/" in name and Path(head).is_dir()


def _nearby(path: Path) -> str:
    """What the folder that should hold `path` holds, to spot a typo; or that it does not exist either."""
    parent = path.parent
    if not parent.is_dir():
        return f" (nor is there a folder {parent})" if str(parent) not in ("", ".") else ""
    entries = sorted(p.name + ("/" if p.is_dir() else "") for p in parent.iterdir() if not p.name.startswith("."))
    shown = ", ".join(entries[:8]) + (", ..." if len(entries) > 8 else "")
    return f" ({parent} holds: {shown})" if entries else f" ({parent} is empty)"


def model_fingerprint(spec: ModelSpec, revision: str | None) -> str:
    """What identifies the model before it is loaded: hub id and revision, or a local folder's files."""
    if not spec.local:
        return f"{spec.id}@{revision or 'default'}"
    return f"{spec.id}|{folder_fingerprint(Path(spec.id))}"


def model_id(spec: ModelSpec) -> str:
    """The model's id in briefs and the cache key: the hub id, or a local folder as it was named."""
    return spec.name if spec.local else spec.id


Device = Literal["cpu", "cuda"]


class Translator(ABC):
    """A seq2seq model that turns Korean sentences into English, a batch at a time.

    Besides the batch method, what the run reads of a model: `info` (recorded in every brief, part of the
    cache key), `max_input_tokens` (longer texts are split), `device` (where it runs, which sets the default
    batch sizes) and `parallel` (batches it runs at once: a run hands it that many at a time).
    """

    info: ModelInfo
    max_input_tokens: int = 512
    device: Device = "cpu"
    parallel: int = 1  # batches the model can run at once (CTranslate2 on several CPU threads)

    @abstractmethod
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source tokens of each text, special tokens included."""

    @abstractmethod
    def translate_batch(self, texts: list[str]) -> list[str]:
        """English for each text, in the same order."""

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[list[str]]:
        """English for each batch in turn: a backend may work on the next batch while it hands one back."""
        for texts in batches:
            yield self.translate_batch(texts)

    def unknown_pieces(self, texts: list[str]) -> tuple[int, int]:
        """How many of the texts' source pieces the model's vocabulary lacks (they reach it as its unknown
        token), and how many pieces there are, special tokens left out; (0, 0) where it cannot tell."""
        return 0, 0


# What a run calls to load its model (summarize.translate.loading.load_translator, or a test's fake)
TranslatorFactory = Callable[[ModelSpec, BriefOptions], Translator]
