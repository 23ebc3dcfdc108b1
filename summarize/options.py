"""Options: one dataclass of documented defaults, loaded from TOML, unknown keys refused.

Precedence (highest first): command-line flag > environment variable > config file > default.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["GenerationOptions", "BriefOptions", "load_options"]


@dataclass(frozen=True)
class GenerationOptions:
    """How the model decodes. Recorded in every brief and part of the translation cache key."""

    num_beams: int = 4  # beam width; 1 is greedy decoding
    max_new_tokens: int = 256  # hard cap on the tokens generated per unit
    no_repeat_ngram_size: int = 0  # 0 turns it off
    repetition_penalty: float = 1.0  # 1.0 turns it off
    length_penalty: float = 1.0
    min_new_tokens: int = 0  # 0 lets the model stop when it is done (the benchmark forces a fixed length)


@dataclass(frozen=True)
class EmailOptions:
    """The [email] table. The password is never read from a file: SUMMARIZE_SMTP_PASSWORD only."""

    host: str | None = None  # SMTP server (SUMMARIZE_SMTP_HOST)
    port: int = 0  # 0: 465 for ssl, 587 for starttls, 25 for none (SUMMARIZE_SMTP_PORT)
    user: str | None = None  # SUMMARIZE_SMTP_USER
    security: str = "starttls"  # starttls, ssl or none (SUMMARIZE_SMTP_SECURITY)
    sender: str | None = None  # the From address (SUMMARIZE_SMTP_FROM)
    to: list = field(default_factory=list)  # recipients for `summarize brief`


@dataclass(frozen=True)
class SlackOptions:
    """The [slack] table. The webhook URL and the token are secrets: SUMMARIZE_SLACK_WEBHOOK and
    SUMMARIZE_SLACK_TOKEN only."""

    channel: str | None = None  # with a token: the channel to post to


@dataclass(frozen=True)
class BriefOptions:
    """Everything a run can be told. The fields are the keys of the config file's tables."""

    model: str | None = None  # alias, hub id or local folder; None: quickmt, or opus-mt with the transformers backend
    revision: str | None = None  # hub revision (branch, tag or commit); None is the default branch
    cache_dir: str | None = None  # Hugging Face cache folder; None is the normal HF cache
    offline: bool = False  # never reach the hub, only the cache or a local folder
    device: str = "auto"  # auto, cpu or cuda
    backend: str = "auto"  # auto (CTranslate2 where it works, else transformers), transformers or ct2
    compute_type: str = "auto"  # auto (ct2: int8 on CPU, float16 on GPU; transformers: float32 on CPU, float16 on GPU)
    threads: int = 0  # CPU threads; 0 is half the cores (ct2: parallel batches, transformers: intra-op threads)
    workers: int = -1  # processes that prepare articles and write briefs; -1: cores - 2 on 6+ cores, else a thread
    decoder: str = "auto"  # transformers greedy decoding: static (CUDA graphs on a GPU), generate, or auto (static on a GPU)
    batch_size: int = 0  # sentences per model call; 0: 32 on a CPU, 1024 on a GPU
    max_batch_tokens: int = 0  # source tokens per model call, padding included; 0: 4096 on a CPU, 65536 on a GPU
    max_sentences: int = 6  # longest summary, in sentences
    max_chars: int = 600  # longest summary, in Korean characters (about a one-minute read in English)
    max_bytes: int = 5_000_000  # larger input files are rejected
    min_hangul: float = 0.3  # share of Hangul among the letters below which a text is not Korean
    max_unknown: float = 0.02  # share of Korean pieces a model's vocabulary may lack before the run stops; 1 = off
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    email: EmailOptions = field(default_factory=EmailOptions)
    slack: SlackOptions = field(default_factory=SlackOptions)

    def __post_init__(self):
        choices = {"device": ("auto", "cpu", "cuda"), "backend": ("auto", "transformers", "ct2"),
                   "decoder": ("auto", "static", "generate"),
                   "compute_type": ("auto", "float32", "float16", "bfloat16", "int8", "int8_float16",
                                    "int8_float32", "int8_bfloat16")}
        for key, allowed in choices.items():
            if getattr(self, key) not in allowed:
                raise ConfigError(f"{key} must be one of {', '.join(allowed)}, not {getattr(self, key)!r}")
        if self.model is not None and not isinstance(self.model, str):
            raise ConfigError(f"model must be a string, not {type(self.model).__name__}")
        if not (isinstance(self.max_unknown, (int, float)) and 0 <= self.max_unknown <= 1):
            raise ConfigError(f"max_unknown must be a share between 0 and 1, not {self.max_unknown!r}")

    def replace(self, **changes) -> BriefOptions:
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)


def _from_mapping(cls, data: dict, where: str):
    names = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ConfigError(f"unknown key{'s' if len(unknown) > 1 else ''} in {where}: {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(names))})")
    kwargs = {}
    for key, value in data.items():
        f = names[key]
        if key in _TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{key}' must be a table")
            if key in ("email", "slack") and {"password", "webhook", "token"} & set(value):
                raise ConfigError(f"{where} [{key}]: secrets do not belong in config files; "
                                  "use SUMMARIZE_SMTP_PASSWORD, SUMMARIZE_SLACK_WEBHOOK or SUMMARIZE_SLACK_TOKEN")
            kwargs[key] = _from_mapping(_TABLES[key], value, f"{where} [{key}]")
            continue
        default = f.default
        expected = type(default) if default is not None and default is not dataclasses.MISSING else None
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if expected is not None and not isinstance(value, expected):
            raise ConfigError(f"{where}: '{key}' must be {expected.__name__}, not {type(value).__name__}")
        kwargs[key] = value
    return cls(**kwargs)


_TABLES = {"generation": GenerationOptions, "email": EmailOptions, "slack": SlackOptions}


def load_options(path: str | Path | None = None) -> BriefOptions:
    """Defaults, overridden by the TOML file at `path` if one is given."""
    if path is None:
        return BriefOptions()
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    return _from_mapping(BriefOptions, data, str(path))
