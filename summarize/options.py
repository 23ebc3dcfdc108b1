"""Options: one dataclass of documented defaults, loaded from TOML, unknown keys refused.

Precedence (highest first): command-line flag > environment variable > config file > default.

Each field carries its `Spec` (type, range, choices, environment variable): the one definition that every
value is checked against, whatever its source. The config loader checks the file's values; `settle` reads
the flags' and environment variables' text (`Spec.parse`) and checks it by the same Spec, and the CLI builds
its option types (choices, ranges) from it, for --help. Every problem found, in every source, is one line of
the ConfigError raised (`problems(options)` lists those of a built options object; `__post_init__` raises).
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from .errors import ConfigError, keep_secret

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["GenerationOptions", "EmailOptions", "SlackOptions", "RayOptions", "BriefOptions", "load_options", "settle",
           "Spec", "spec_of", "problems", "secret", "SecretKind", "DEVICES", "BACKENDS", "DECODERS", "COMPUTE_TYPES",
           "SECURITIES", "EXECUTORS"]

Device = Literal["auto", "cpu", "cuda"]
Backend = Literal["auto", "transformers", "ct2"]
Decoder = Literal["auto", "static", "generate"]
# CTranslate2's compute types; the transformers backend reads float16 and bfloat16 (on a GPU), else float32
ComputeType = Literal["auto", "float32", "float16", "bfloat16", "int8", "int8_float16", "int8_float32", "int8_bfloat16"]
Security = Literal["starttls", "ssl", "none"]
Executor = Literal["local", "ray"]
DEVICES: tuple[Device, ...] = get_args(Device)
BACKENDS: tuple[Backend, ...] = get_args(Backend)
DECODERS: tuple[Decoder, ...] = get_args(Decoder)
COMPUTE_TYPES: tuple[ComputeType, ...] = get_args(ComputeType)
SECURITIES: tuple[Security, ...] = get_args(Security)
EXECUTORS: tuple[Executor, ...] = get_args(Executor)


@dataclass(frozen=True)
class Spec:
    """What one option may be: every source's value is checked by it, and the CLI's option types are built from it."""

    type: type  # int, float, bool, str or list; an int is taken where a float is wanted
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    optional: bool = False  # None is a value (unset)
    env: str | None = None  # the environment variable the CLI reads it from
    flag_min: float | None = None  # a flag's lower bound where the default (0: decide for me) is what no flag gives
    path: bool = False  # a folder's path

    def problem(self, name: str, value: Any, flag: bool = False) -> str | None:
        """Why `value` cannot be option `name` (`flag`: given as a flag or an environment variable), or None."""
        if value is None:
            return None if self.optional else f"{name} must be set"
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not _is(value, self.type):
            return f"{name} must be {self.type.__name__}, not {type(value).__name__}"
        if self.type is list and not all(isinstance(x, str) for x in value):
            return f"{name} must be a list of strings"
        if self.type is float and not math.isfinite(value):
            return f"{name} must be a finite number, not {value!r}"
        if self.type is str and not self.choices and not value.strip():
            return f"{name} must not be empty"
        if self.path and "\0" in value:
            return f"{name} must be a folder's path, not {value!r}"
        if self.path and Path(value).expanduser().exists() and not Path(value).expanduser().is_dir():
            return f"{name} must be a folder, and {value} is a file"
        if self.type is dict and not all(isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
                                         for k, v in value.items()):
            return f"[{name}] must map Korean names to English names (strings, not empty)"
        if self.choices and value not in self.choices:
            return f"{name} must be one of {', '.join(self.choices)}, not {value!r}"
        low = self.flag_min if flag and self.flag_min is not None else self.min
        if low is not None and self.max is not None and not low <= value <= self.max:
            return f"{name} must be between {_num(low)} and {_num(self.max)}, not {_num(value)}"
        if low is not None and value < low:
            return f"{name} must be at least {_num(low)}, not {_num(value)}"
        if self.max is not None and value > self.max:
            return f"{name} must be at most {_num(self.max)}, not {_num(value)}"
        return None

    def parse(self, name: str, text: str) -> Any:
        """The value of option `name` written as text (a flag's or an environment variable's); ValueError says
        why it is none. The value is then checked like any other (`problem`)."""
        t = text.strip()
        if self.type is bool:
            if t.lower() in ("1", "true", "yes", "on"):
                return True
            if t.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(f"{name} must be true or false (1/0, yes/no, on/off), not {text!r}")
        if self.type is int:
            try:
                return int(t)
            except ValueError:
                raise ValueError(f"{name} must be a whole number, not {text!r}") from None
        if self.type is float:
            try:
                return float(t)
            except ValueError:
                raise ValueError(f"{name} must be a number, not {text!r}") from None
        if self.type is list:
            return [x.strip() for x in text.split(",") if x.strip()]
        return text


def _is(value: Any, kind: type) -> bool:
    """Whether `value` is of `kind`, where a bool is no int."""
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def _num(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and x == int(x) else str(x)


T = TypeVar("T")


def option(default: T, type_: type | None = None, *, choices: tuple[str, ...] = (), min: float | None = None,
           max: float | None = None, env: str | None = None, flag_min: float | None = None, path: bool = False) -> T:
    """A dataclass field with its Spec (the type is the default's unless given)."""
    spec = Spec(type_ or type(default), choices, min, max, optional=default is None, env=env, flag_min=flag_min,
                path=path)
    return field(default=default, metadata={"spec": spec})


def spec_of(cls: type, name: str) -> Spec:
    """The Spec of field `name` of an options class."""
    spec: Spec = next(f.metadata["spec"] for f in dataclasses.fields(cls) if f.name == name)
    return spec


def problems(options: Any) -> list[str]:
    """Every field of an options dataclass whose value breaks its Spec, as a message each."""
    out = []
    for f in dataclasses.fields(options):
        spec = f.metadata.get("spec")
        problem = spec.problem(f.name, getattr(options, f.name)) if spec else None
        if problem:
            out.append(problem)
    return out


def _check(options: Any) -> None:
    found = problems(options)
    if found:
        raise ConfigError(*found)


@dataclass(frozen=True)
class GenerationOptions:
    """How the model decodes. Recorded in every brief and part of the translation cache key."""

    num_beams: int = option(4, min=1)  # beam width; 1 is greedy decoding
    max_new_tokens: int = option(256, min=1)  # hard cap on the tokens generated per unit
    no_repeat_ngram_size: int = option(0, min=0)  # 0 turns it off
    repetition_penalty: float = option(1.0)  # 1.0 turns it off
    length_penalty: float = option(1.0)
    min_new_tokens: int = option(0, min=0)  # 0 lets the model stop when it is done (the benchmark forces a fixed length)

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True)
class EmailOptions:
    """The [email] table. The password is never read from a file: SUMMARIZE_SMTP_PASSWORD only."""

    host: str | None = option(None, str, env="SUMMARIZE_SMTP_HOST")  # SMTP server
    port: int = option(0, min=0, max=65535, env="SUMMARIZE_SMTP_PORT")  # 0: 465 for ssl, 587 for starttls, 25 for none
    user: str | None = option(None, str, env="SUMMARIZE_SMTP_USER")
    security: Security = option("starttls", str, choices=SECURITIES, env="SUMMARIZE_SMTP_SECURITY")
    sender: str | None = option(None, str, env="SUMMARIZE_SMTP_FROM")  # the From address
    to: list[str] = field(default_factory=list, metadata={"spec": Spec(list)})  # recipients for `summarize brief`

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True)
class SlackOptions:
    """The [slack] table. The webhook URL and the token are secrets: SUMMARIZE_SLACK_WEBHOOK and
    SUMMARIZE_SLACK_TOKEN only."""

    channel: str | None = option(None, str)  # with a token: the channel to post to

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True)
class RayOptions:
    """The [ray] table: how a run with executor = "ray" uses its cluster (docs/cluster.md)."""

    actors: int = option(0, min=0)  # translation actors, one model each; 0: one per GPU, else 3/4 of the CPUs
    batch_articles: int = option(0, min=0)  # articles per call of an actor; 0: 16, or 256 on GPUs

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True)
class BriefOptions:
    """Everything a run can be told. The fields are the keys of the config file's tables."""

    # alias, hub id or local folder; None: quickmt, or opus-mt with the transformers backend
    model: str | None = option(None, str, env="SUMMARIZE_MODEL")
    revision: str | None = option(None, str, env="SUMMARIZE_REVISION")  # hub branch, tag or commit; None: default branch
    cache_dir: str | None = option(None, str, path=True)  # Hugging Face cache folder; None is the normal HF cache
    offline: bool = option(False, env="SUMMARIZE_OFFLINE")  # never reach the hub, only the cache or a local folder
    device: Device = option("auto", str, choices=DEVICES, env="SUMMARIZE_DEVICE")
    # auto (CTranslate2 where it works, else transformers), transformers or ct2
    backend: Backend = option("auto", str, choices=BACKENDS, env="SUMMARIZE_BACKEND")
    # auto (ct2: int8 on CPU, float16 on GPU; transformers: float32 on CPU, float16 on GPU)
    compute_type: ComputeType = option("auto", str, choices=COMPUTE_TYPES, env="SUMMARIZE_COMPUTE_TYPE")
    # CPU threads; 0 is half the cores (ct2: parallel batches, transformers: intra-op threads)
    threads: int = option(0, min=0, env="SUMMARIZE_THREADS")
    workers: int = option(-1, min=-1)  # processes that prepare articles and write briefs; -1: cores - 2 on 6+ cores, else 2; 0: a thread
    # transformers greedy decoding: static (CUDA graphs on a GPU), generate, or auto (static on a GPU)
    decoder: Decoder = option("auto", str, choices=DECODERS)
    batch_size: int = option(0, min=0, flag_min=1, env="SUMMARIZE_BATCH_SIZE")  # sentences per model call; 0: 32 on a CPU, 1024 on a GPU
    # source tokens per model call, padding included; 0: 4096 on a CPU, 65536 on a GPU
    max_batch_tokens: int = option(0, min=0)
    max_sentences: int = option(6, min=1, env="SUMMARIZE_MAX_SENTENCES")  # longest summary, in sentences
    max_chars: int = option(600, min=1)  # longest summary, in Korean characters (about a one-minute read in English)
    max_bytes: int = option(5_000_000, min=1)  # larger input files are rejected
    # seconds one article may take from reading to its summary chosen; past it, the article fails and the batch
    # goes on (a normal article takes well under a second)
    time_limit: float = option(60.0, min=1, max=86400, env="SUMMARIZE_TIME_LIMIT")
    min_hangul: float = option(0.3, min=0, max=1)  # share of Hangul among the letters below which a text is not Korean
    # share of Korean pieces a model's vocabulary may lack before the run stops; 1 = off
    max_unknown: float = option(0.02, min=0, max=1, env="SUMMARIZE_MAX_UNKNOWN")
    # the glossary: Korean -> English names every brief keeps (the [glossary] table), and a TSV file of more
    # (`Korean<TAB>English` a line; relative to the config file's folder); the table wins where both have a name
    glossary: dict[str, str] = field(default_factory=dict, metadata={"spec": Spec(dict)})
    glossary_file: str | None = option(None, str)
    # outlets' English names beyond the built-in table (the [outlets] table: "한빛일보" = "Hanbit Ilbo")
    outlets: dict[str, str] = field(default_factory=dict, metadata={"spec": Spec(dict)})
    # where the briefs folder is published on the web: links in the digest and deliveries become base_url + file
    base_url: str | None = option(None, str, env="SUMMARIZE_BASE_URL")
    # where the articles are prepared and translated: local (this machine) or ray (a Ray cluster, the [ray] table)
    executor: Executor = option("local", str, choices=EXECUTORS, env="SUMMARIZE_EXECUTOR")
    # with executor = "ray": None: RAY_ADDRESS, else a Ray started on this machine for the run; "auto": the
    # cluster this machine is a node of (`ray start`); HOST:PORT: that cluster's head
    ray_address: str | None = option(None, str, env="SUMMARIZE_RAY_ADDRESS")
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    ray: RayOptions = field(default_factory=RayOptions)
    email: EmailOptions = field(default_factory=EmailOptions)
    slack: SlackOptions = field(default_factory=SlackOptions)

    def __post_init__(self) -> None:
        _check(self)
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"base_url must start with http:// or https://, not {self.base_url!r}")

    def replace(self, **changes: Any) -> BriefOptions:
        """These options with the changes that are set (None leaves a field as it is)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)


_TABLES: dict[str, type] = {"generation": GenerationOptions, "email": EmailOptions, "slack": SlackOptions,
                            "ray": RayOptions}
SECRETS = ("password", "webhook", "token")


def _from_mapping(cls: type[T], data: dict[str, Any], where: str, found: list[str]) -> T:
    """An options object of `cls` from a TOML table: each problem appended to `found` (one line each), the
    values that have one left at their defaults."""
    names = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(names))
    if unknown:
        found.append(f"unknown key{'s' if len(unknown) > 1 else ''} in {where}: {', '.join(unknown)} "
                     f"(known: {', '.join(sorted(names))})")
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            continue
        if key in _TABLES:
            if not isinstance(value, dict):
                found.append(f"{where}: '{key}' must be a table")
                continue
            if key in ("email", "slack") and set(SECRETS) & set(value):
                found.append(f"{where} [{key}]: secrets do not belong in config files; "
                             "use SUMMARIZE_SMTP_PASSWORD, SUMMARIZE_SLACK_WEBHOOK or SUMMARIZE_SLACK_TOKEN")
                value = {k: v for k, v in value.items() if k not in SECRETS}
            kwargs[key] = _from_mapping(_TABLES[key], value, f"{where} [{key}]", found)
            continue
        spec: Spec = names[key].metadata["spec"]
        if spec.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not _is(value, spec.type):
            found.append(f"{where}: '{key}' must be {spec.type.__name__}, not {type(value).__name__}")
            continue
        problem = spec.problem(key, value)
        if problem:
            found.append(f"{where}: {problem}")
            continue
        kwargs[key] = value
    return cls(**kwargs)


def _read_config(path: Path, found: list[str]) -> dict[str, Any]:
    """A config file's TOML table; what is wrong with the file, if anything, appended to `found`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        found.append(f"config file not found: {path}")
        return {}
    except OSError as e:
        found.append(f"cannot read the config file {path}: {e.strerror or e}")
        return {}
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        found.append(f"{path}: not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); "
                     "TOML files are UTF-8: save it as UTF-8")
        return {}
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as e:
        found.append(f"{path}: not valid TOML: {e}")
        return {}


def load_options(path: str | Path | None = None) -> BriefOptions:
    """Defaults, overridden by the TOML file at `path` if one is given. ConfigError names every problem."""
    if path is None:
        return BriefOptions()
    found: list[str] = []
    data = _read_config(Path(path), found)
    options = _from_mapping(BriefOptions, data, str(path), found)
    if found:
        raise ConfigError(*found)
    return _beside(options, Path(path))


def _beside(options: BriefOptions, config: Path) -> BriefOptions:
    """A relative glossary_file given in a config file is found beside that file."""
    if options.glossary_file and not Path(options.glossary_file).is_absolute():
        return dataclasses.replace(options, glossary_file=str(config.parent / options.glossary_file))
    return options


# Where a value given as text came from: the flag ("--batch-size") or the environment variable's name
Given = Mapping[str, tuple[Any, str]]


def _apply(cls: type[T], base: T, given: Given, found: list[str]) -> T:
    changes: dict[str, Any] = {}
    for name, (value, where) in given.items():
        spec = spec_of(cls, name)
        if isinstance(value, str) and spec.type is not str:
            try:
                value = spec.parse(where, value)
            except ValueError as e:
                found.append(str(e))
                continue
        problem = spec.problem(where, value, flag=True)
        if problem:
            found.append(problem)
            continue
        changes[name] = value
    return dataclasses.replace(base, **changes)  # type: ignore[type-var]


def settle(path: str | Path | None, given: Given, environ: Mapping[str, str] | None = None) -> BriefOptions:
    """The options of a run, from every source, each value checked once by its Spec: the config file at `path`,
    then the environment's SMTP settings (the [email] table's variables, where `environ` is given), then `given`
    (option name -> (value, where it came from), the flags and the other environment variables, which win).
    Raises ConfigError with one line for every problem in every source."""
    found: list[str] = []
    data = _read_config(Path(path), found) if path is not None else {}
    options = _from_mapping(BriefOptions, data, str(path), found)
    if path is not None:
        options = _beside(options, Path(path))
    if environ is not None:
        email = {f.name: (environ[v], v) for f in dataclasses.fields(EmailOptions)
                 if (v := f.metadata["spec"].env) and environ.get(v)}
        options = dataclasses.replace(options, email=_apply(EmailOptions, options.email, email, found))
    options = _apply(BriefOptions, options, {k: v for k, v in given.items() if v[0] is not None}, found)
    if found:
        raise ConfigError(*found)
    return options


# --------------------------------------------------------------------------- secrets

# What a secret is: a token (Slack's), a URL (a webhook's), a password (SMTP's)
SecretKind = Literal["token", "url", "password"]


def secret(variable: str, kind: SecretKind, environ: Mapping[str, str], file: Path | None = None) -> str | None:
    """A secret's value, from `file` where one is given (its last line end dropped), else from the environment's
    `variable`; None where neither has one. Never from a flag or a config file: a command line is seen by every
    user of the machine (`ps`). A value that cannot work (a control character such as a line break, a URL that
    is not one, a password SMTP cannot send) is a ConfigError that says what is wrong without showing the value.
    Every value read is handed to errors.keep_secret, so that no message shows it."""
    if file is not None:
        where = f"the file {file}"
        try:
            value = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read the secret in {where}: "
                              f"{getattr(e, 'strerror', None) or type(e).__name__}") from None
        value = value[:-2] if value.endswith("\r\n") else value[:-1] if value.endswith("\n") else value
    else:
        where = variable
        got = environ.get(variable)
        if not got:
            return None
        value = got
    keep_secret(value)
    why = _secret_problem(value, kind)
    if why:
        raise ConfigError(f"{where} does not hold a usable {_KIND_NAMES[kind]}: {why} (the value is not shown)")
    return value


_KIND_NAMES = {"token": "token", "url": "webhook URL", "password": "password"}


def _secret_problem(value: str, kind: SecretKind) -> str | None:
    if not value.strip():
        return "it is empty"
    bad = [c for c in value if ord(c) < 32 or ord(c) == 127]
    if bad:
        at = " at its end" if value[-1] in bad else ""
        what = "a line break" if set(bad) & {"\r", "\n"} else "a control character"
        return f"it holds {what}{at}"
    if kind == "token" and (not value.isascii() or " " in value):
        return "a token is ASCII letters, digits and dashes, without spaces"
    if kind == "password" and not value.isascii():
        return "it holds characters other than ASCII, which SMTP login cannot send"
    if kind == "url":
        from urllib.parse import urlsplit

        if any(c.isspace() for c in value):
            return "a URL holds no spaces"
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - a port that is not a number raises here
        except ValueError:
            return "its port is not a number from 0 to 65535"
        if parts.scheme not in ("https", "http"):
            return "it does not start with https://"
        if not parts.hostname:
            return "it names no host"
    return None
