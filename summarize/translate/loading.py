"""Choosing the backend and finding the model: the one the options ask for; `auto` is CTranslate2 where it
works, else transformers with a one-line notice (a ready CTranslate2 model, which transformers cannot run,
cannot fall back). `locate` finds the model's files before anything else of a run happens (cheap: a look in
the cache, or a download), so that a model that cannot be had stops the run at once, in one line."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path

from ..errors import BackendUnavailable, ModelUnavailable, NeedsCT2, SummarizeError
from ..options import BriefOptions
from ..records import OnPhase
from .base import ModelSpec, Translator
from .ct2 import CT2Translator
from .hf import HFTranslator
from .hub import WEIGHTS, ct2_config, ct2_only, ct2_ready, fetch

__all__ = ["load_translator", "locate"]

log = logging.getLogger(__name__)


def locate(spec: ModelSpec, options: BriefOptions) -> Path:
    """The model's folder, once its files are known to be there: a local folder that holds a model, or a hub
    model in the cache (fetched where it is missing and the hub can be reached). Loads nothing: ModelUnavailable
    (NeedsCT2 for a ready CTranslate2 model that only transformers may run) says what is missing, in one line."""
    if options.backend == "transformers" and spec.backend == "ct2":
        raise ct2_only(spec)
    folder, _ = fetch(spec, options, backend="transformers" if options.backend == "transformers" else None)
    if not (folder / "config.json").is_file():
        raise ModelUnavailable(f"{spec.name} holds no model: there is no config.json in {folder}")
    weights = ["model.bin"] if ct2_config(folder) else WEIGHTS
    if not any((folder / w).is_file() for w in weights):
        raise ModelUnavailable(f"{spec.name} has no weights: none of {', '.join(weights)} in {folder}")
    ready = ct2_ready(folder)
    if options.backend == "transformers" and ready:
        raise ct2_only(spec)
    if (ready or options.backend == "ct2") and importlib.util.find_spec("ctranslate2") is None:
        raise ModelUnavailable(f"{spec.name} needs the CTranslate2 backend, and ctranslate2 is not installed "
                               "(pip install ctranslate2)")
    return folder


def load_translator(spec: ModelSpec, options: BriefOptions, *,
                    ct2: Callable[..., Translator] = CT2Translator.load,
                    transformers: Callable[..., Translator] = HFTranslator.load,
                    on_phase: OnPhase | None = None) -> Translator:
    """The translator the options ask for; `auto` is CTranslate2 where it works, else transformers (except for
    a ready CTranslate2 model, which transformers cannot run: then the reason, in one line). `ct2` and
    `transformers` load each backend (a test hands in one that is unavailable); `on_phase` hears of a conversion
    for CTranslate2 (the real `ct2` loader's only). A model whose files are there but do not load (truncated
    or damaged weights, a config that is not one) is ModelUnavailable, saying so."""
    try:
        return _load(spec, options, ct2, transformers, on_phase)
    except SummarizeError:
        raise
    except Exception as e:  # the backend's own error on damaged files
        first = str(e).strip().splitlines()[0][:200] if str(e).strip() else ""
        raise ModelUnavailable(f"the model {spec.name} cannot be loaded: its files are damaged or incomplete "
                               f"({type(e).__name__}{': ' + first if first else ''}); fetch or convert it "
                               "again") from None


def _load(spec: ModelSpec, options: BriefOptions, ct2: Callable[..., Translator],
          transformers: Callable[..., Translator], on_phase: OnPhase | None) -> Translator:
    def load_ct2() -> Translator:
        return ct2(spec, options, on_phase=on_phase) if on_phase is not None else ct2(spec, options)

    if options.backend == "transformers":
        return transformers(spec, options)
    if options.backend == "ct2":
        try:
            return load_ct2()
        except BackendUnavailable as e:
            raise ModelUnavailable(str(e)) from None
    try:
        return load_ct2()
    except BackendUnavailable as e:
        try:
            tr = transformers(spec, options)
        except NeedsCT2:
            raise ModelUnavailable(f"{e}; and {spec.name} is a ready CTranslate2 model, which only that backend "
                                   "runs") from None
        log.warning("using the transformers backend: %s", e)
        return tr
