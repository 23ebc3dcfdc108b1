"""Fetching models: the Hugging Face cache first, the hub where it can be reached (a quick probe, so that
an offline machine fails in milliseconds), a local folder as it is; and what a model folder holds (a
transformers model, or a ready CTranslate2 one)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

from ..errors import ModelUnavailable, NeedsCT2
from ..options import BriefOptions
from .base import ModelSpec

__all__ = ["MODEL_FILES", "WEIGHTS", "fetch", "hf_cache", "offline", "ct2_ready", "ct2_config", "ct2_only",
           "read_config"]

# What a translation model needs from a hub repository (weights are fetched apart: one format only; a ready
# CTranslate2 model's model.bin, where config.json is CTranslate2's).
MODEL_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.tiktoken"]
WEIGHTS = ["model.safetensors", "pytorch_model.bin"]


def _hub_reachable() -> bool:
    """A quick look-up of the hub's host, so that an offline machine fails in milliseconds, not minutes."""
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return True
    from huggingface_hub import constants

    host = urlparse(constants.ENDPOINT).hostname or "huggingface.co"
    try:
        socket.getaddrinfo(host, 443)
        return True
    except OSError:
        return False


def _no_folder(spec: ModelSpec) -> str:
    """For a hub id that could be meant as a folder (`models/opus-mt`): that there is no such folder either."""
    return f"; nor is there a folder {spec.name} here" if spec.name == spec.id and spec.name.count("/") == 1 else ""


def offline(options: BriefOptions) -> bool:
    return bool(options.offline) or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")


def hf_cache(options: BriefOptions) -> Path:
    """The HF hub cache in force now: --cache-dir, HF_HUB_CACHE, HF_HOME/hub, or the default."""
    if options.cache_dir:
        return Path(options.cache_dir)
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def ct2_config(folder: Path) -> bool:
    """Whether the folder's config.json is CTranslate2's (special tokens and flags, no `model_type`)
    rather than a transformers model's."""
    try:
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(cfg, dict) and "model_type" not in cfg and "architectures" not in cfg and (
        "unk_token" in cfg or "add_source_bos" in cfg or "decoder_start_token" in cfg)


def ct2_ready(folder: Path) -> bool:
    """A ready CTranslate2 model (quickmt's layout): CTranslate2's config.json and model.bin, to load as it is."""
    return (folder / "model.bin").is_file() and ct2_config(folder)


def ct2_only(spec: ModelSpec) -> NeedsCT2:
    return NeedsCT2(f"{spec.name} is a ready CTranslate2 model, which the transformers backend cannot load: "
                    "run it with --backend ct2 (or auto), or choose a transformers model such as --model opus-mt")


def _weights(folder: Path) -> list[str]:
    """The weight files a model folder wants, in order of preference (one is enough)."""
    return ["model.bin"] if ct2_config(folder) else WEIGHTS


def _snapshot(spec: ModelSpec, options: BriefOptions, local_only: bool, progress: bool, backend: str | None = None) -> Path:
    from huggingface_hub import hf_hub_download, snapshot_download
    from huggingface_hub.errors import EntryNotFoundError
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    (enable_progress_bars if progress else disable_progress_bars)()
    kwargs: dict[str, Any] = dict(revision=options.revision, cache_dir=str(hf_cache(options)), local_files_only=local_only)
    # the small files first (subfolders left out: quickmt keeps the training checkpoint in one); they say
    # whether this is a transformers model or a ready CTranslate2 one, and so which weights to fetch
    folder = Path(cast(str, snapshot_download(spec.id, allow_patterns=MODEL_FILES, ignore_patterns=["*/*"], **kwargs)))
    weights = _weights(folder)
    if backend == "transformers" and weights == ["model.bin"]:
        raise ct2_only(spec)
    for name in weights:
        if (folder / name).exists():
            return folder
    for name in weights:
        try:
            hf_hub_download(spec.id, name, **kwargs)
            return folder
        except EntryNotFoundError:
            continue
    raise ModelUnavailable(f"model {spec.id} has no {' or '.join(weights)}")


def fetch(spec: ModelSpec, options: BriefOptions, progress: bool = False, backend: str | None = None) -> tuple[Path, str | None]:
    """The model's local folder and revision: a local folder as it is, a hub model from the cache
    or else downloaded. Raises ModelUnavailable with a message that says how to fix it; NeedsCT2 where
    `backend` is "transformers" and the model is a ready CTranslate2 one (before its weights are fetched)."""
    if backend == "transformers" and spec.backend == "ct2":
        raise ct2_only(spec)
    if spec.local:
        if backend == "transformers" and ct2_ready(Path(spec.id)):
            raise ct2_only(spec)
        return Path(spec.id), None
    try:
        folder = _snapshot(spec, options, local_only=True, progress=False, backend=backend)
        return folder, folder.name
    except ModelUnavailable:
        raise
    except Exception:  # not (completely) in the cache
        if offline(options):
            raise ModelUnavailable(f"model {spec.id} is not in the Hugging Face cache ({hf_cache(options)}) and "
                                   f"offline mode is on{_no_folder(spec)}", spec.name, "offline mode is on") from None
    if not _hub_reachable():
        raise ModelUnavailable(f"model {spec.id} is not in the Hugging Face cache ({hf_cache(options)}) and the hub "
                               f"cannot be reached{_no_folder(spec)}", spec.name, "the hub cannot be reached")
    try:
        folder = _snapshot(spec, options, local_only=False, progress=progress, backend=backend)
    except ModelUnavailable:
        raise
    except Exception as e:
        from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

        if isinstance(e, (RepositoryNotFoundError, RevisionNotFoundError)):  # fetching again will not help
            what = f"revision {options.revision} of model {spec.id}" if isinstance(e, RevisionNotFoundError) \
                else f"model {spec.id}"
            raise ModelUnavailable(f"the hub has no {what} (or it is private){_no_folder(spec)}: check the name "
                                   "(`summarize models` lists the aliases)") from None
        raise ModelUnavailable(f"cannot fetch model {spec.id}: {str(e).splitlines()[0]}", spec.name) from None
    return folder, folder.name


def read_config(folder: Path) -> dict[str, Any]:
    """A model folder's config.json."""
    config: dict[str, Any] = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return config
