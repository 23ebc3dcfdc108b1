"""The Hugging Face seq2seq translator: the only module that imports torch and transformers.

Any `AutoModelForSeq2SeqLM` checkpoint works: Marian (opus-mt), NLLB (with
kor_Hang -> eng_Latn), or a local folder saved with `save_pretrained`. Loading goes
through `from_pretrained`, so the normal HF cache, `revision`, `cache_dir` and offline
mode behave as everywhere else.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import asdict
from urllib.parse import urlparse

from .errors import MissingDependency, ModelUnavailable
from .translation import ModelSpec, Translator
from .types import ModelInfo

try:
    import torch
    import transformers
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
except ImportError as e:  # pragma: no cover - the package depends on both
    raise MissingDependency(
        f"the translation model needs torch and transformers ({e.name} is missing): "
        "pip install torch==2.13.0 transformers sentencepiece sacremoses"
    ) from None

__all__ = ["HFTranslator"]

log = logging.getLogger(__name__)

NLLB_SOURCE, NLLB_TARGET = "kor_Hang", "eng_Latn"


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


def _fetch_hint(spec: ModelSpec) -> str:
    return (
        f"fetch it ahead on a connected machine with `hf download {spec.id}` (or `huggingface-cli download "
        f"{spec.id}`) into the same HF cache, or point --model at a local folder saved with save_pretrained"
    )


def _offline(options) -> bool:
    return bool(options.offline) or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")


def _from_pretrained(spec: ModelSpec, options):
    kwargs = {"revision": options.revision, "cache_dir": options.cache_dir}
    if spec.local:
        kwargs = {}
    try:
        # The cache first: a cached model loads without touching the network.
        tok = AutoTokenizer.from_pretrained(spec.id, local_files_only=True, **kwargs)
        model = AutoModelForSeq2SeqLM.from_pretrained(spec.id, local_files_only=True, **kwargs)
        return tok, model
    except OSError as e:
        if spec.local:
            raise ModelUnavailable(f"cannot load the model folder {spec.id}: {str(e).splitlines()[0]}") from None
        if _offline(options):
            raise ModelUnavailable(f"model {spec.id} is not in the Hugging Face cache and offline mode is on: "
                                   f"{_fetch_hint(spec)}") from None
    if not _hub_reachable():
        raise ModelUnavailable(f"model {spec.id} is not in the Hugging Face cache and the hub cannot be reached: "
                               f"{_fetch_hint(spec)}")
    try:
        tok = AutoTokenizer.from_pretrained(spec.id, **kwargs)
        model = AutoModelForSeq2SeqLM.from_pretrained(spec.id, **kwargs)
    except OSError as e:
        raise ModelUnavailable(f"cannot load model {spec.id}: {str(e).splitlines()[0]}; {_fetch_hint(spec)}") from None
    return tok, model


class HFTranslator(Translator):
    """`AutoTokenizer` + `AutoModelForSeq2SeqLM`, called directly (transformers 5 has no translation pipeline)."""

    def __init__(self, tokenizer, model, spec: ModelSpec, options, device: str):
        self.tokenizer = tokenizer
        self.model = model
        self.spec = spec
        self.device = device
        self.generation = options.generation
        self.nllb = getattr(model.config, "model_type", "") == "m2m_100" or "Nllb" in type(tokenizer).__name__
        if self.nllb:
            tokenizer.src_lang = NLLB_SOURCE
        limits = [getattr(model.config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None)]
        self.max_input_tokens = min(x for x in limits + [1024] if isinstance(x, int) and x > 0)
        revision = None if spec.local else (getattr(model.config, "_commit_hash", None) or options.revision)
        settings = asdict(self.generation)
        self.info = ModelInfo(id=spec.id if not spec.local else spec.name, revision=revision, settings=settings,
                              backend="transformers")

    @classmethod
    def load(cls, spec: ModelSpec, options) -> HFTranslator:
        device = options.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device == "cuda" and not torch.cuda.is_available():
            raise ModelUnavailable("--device cuda was asked for, but torch sees no CUDA device")
        transformers.utils.logging.disable_progress_bar()  # progress bars belong to the CLI, not the library
        if not log.isEnabledFor(logging.DEBUG):
            transformers.utils.logging.set_verbosity_error()
        tok, model = _from_pretrained(spec, options)
        model.eval()
        if device == "cuda":
            model = model.half()
        model.to(device)
        log.info("loaded %s (transformers %s, torch %s) on %s", spec.id, transformers.__version__,
                 torch.__version__, device)
        return cls(tok, model, spec, options, device)

    def count_tokens(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        enc = self.tokenizer(list(texts), add_special_tokens=True)
        return [len(ids) for ids in enc["input_ids"]]

    def translate_batch(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        g = self.generation
        enc = self.tokenizer(list(texts), return_tensors="pt", padding=True, truncation=False).to(self.device)
        kwargs = dict(
            num_beams=g.num_beams,
            max_new_tokens=g.max_new_tokens,
            do_sample=False,
            length_penalty=g.length_penalty,
            repetition_penalty=g.repetition_penalty,
            no_repeat_ngram_size=g.no_repeat_ngram_size,
        )
        if self.nllb:
            kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(NLLB_TARGET)
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
        return self.tokenizer.batch_decode(out, skip_special_tokens=True)
