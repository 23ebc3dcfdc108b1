"""Choosing the backend: the one the options ask for; `auto` is CTranslate2 where it works, else transformers
with a one-line notice (a ready CTranslate2 model, which transformers cannot run, cannot fall back)."""

from __future__ import annotations

import logging

from ..errors import BackendUnavailable, ModelUnavailable, NeedsCT2
from ..options import BriefOptions
from .base import ModelSpec, Translator, TranslatorFactory
from .ct2 import CT2Translator
from .hf import HFTranslator

__all__ = ["load_translator"]

log = logging.getLogger(__name__)


def load_translator(spec: ModelSpec, options: BriefOptions, *, ct2: TranslatorFactory = CT2Translator.load,
                    transformers: TranslatorFactory = HFTranslator.load) -> Translator:
    """The translator the options ask for; `auto` is CTranslate2 where it works, else transformers (except for
    a ready CTranslate2 model, which transformers cannot run: then the reason, in one line). `ct2` and
    `transformers` load each backend (a test hands in one that is unavailable)."""
    if options.backend == "transformers":
        return transformers(spec, options)
    if options.backend == "ct2":
        try:
            return ct2(spec, options)
        except BackendUnavailable as e:
            raise ModelUnavailable(str(e)) from None
    try:
        return ct2(spec, options)
    except BackendUnavailable as e:
        try:
            tr = transformers(spec, options)
        except NeedsCT2:
            raise ModelUnavailable(f"{e}; and {spec.name} is a ready CTranslate2 model, which only that backend "
                                   "runs") from None
        log.warning("using the transformers backend: %s", e)
        return tr
