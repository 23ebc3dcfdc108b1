"""The transformers backend: `AutoTokenizer` + `AutoModelForSeq2SeqLM`, any HF seq2seq checkpoint
(Marian/opus-mt, NLLB with kor_Hang -> eng_Latn, a local folder saved with `save_pretrained`); fp16 on
GPU, `torch.inference_mode`, intra-op threads set from the options. A Marian model's text goes through
sentencepiece directly (`MarianSpm`); greedy decoding of a Marian model may run on the static decoder.

torch and transformers are imported on first use: importing this module loads neither.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from ..errors import MissingDependency, ModelUnavailable
from ..host import default_threads
from ..options import BriefOptions
from ..records import ModelInfo
from .base import Device, ModelSpec, Translator, model_id
from .hub import fetch
from .marian_spm import MarianSpm
from .static_greedy import StaticGreedy
from .tokenizers import NLLB_SOURCE, NLLB_TARGET, Encodings, SubwordTokenizer

__all__ = ["HFTranslator", "torch_and_transformers", "load_tokenizer", "quiet_transformers"]

log = logging.getLogger(__name__)


def torch_and_transformers():
    """torch and transformers, imported on first use: the CTranslate2 path runs without them."""
    try:
        import torch
        import transformers
    except ImportError as e:  # pragma: no cover - the package depends on both
        raise MissingDependency(
            f"the transformers backend needs torch and transformers ({e.name} is missing): "
            "pip install torch==2.13.0 transformers sentencepiece sacremoses"
        ) from None
    return torch, transformers


def quiet_transformers() -> None:
    _, transformers = torch_and_transformers()
    transformers.utils.logging.disable_progress_bar()  # progress bars belong to the CLI, not the library
    if not log.isEnabledFor(logging.DEBUG):
        transformers.utils.logging.set_verbosity_error()


def load_tokenizer(folder: Path, spec: ModelSpec):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(folder))
    except (OSError, ValueError) as e:
        raise ModelUnavailable(f"cannot load the tokenizer of {spec.name}: {str(e).splitlines()[0]}") from None


def _is_nllb(tokenizer, config) -> bool:
    return getattr(config, "model_type", "") == "m2m_100" or "Nllb" in type(tokenizer).__name__


def _max_input(config, tokenizer) -> int:
    limits = [getattr(config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None)]
    return min(x for x in limits + [1024] if isinstance(x, int) and x > 0)


class HFTranslator(Translator):
    """`AutoTokenizer` + `AutoModelForSeq2SeqLM`, called directly (transformers 5 has no translation pipeline)."""

    backend = "transformers"

    def __init__(self, tokenizer, model, spec: ModelSpec, options: BriefOptions, device: Device, revision: str | None,
                 threads: int, spm: MarianSpm | None = None):
        self.tokenizer = tokenizer
        self.model = model
        self.spec = spec
        self.device = device
        self.generation = options.generation
        self.nllb = _is_nllb(tokenizer, model.config)
        if self.nllb:
            tokenizer.src_lang = NLLB_SOURCE
        self.max_input_tokens = _max_input(model.config, tokenizer)
        self.compute_type = str(next(model.parameters()).dtype).replace("torch.", "")
        self.threads = threads
        self.info = ModelInfo(id=model_id(spec), revision=revision, settings=asdict(self.generation),
                              backend=self.backend, compute_type=self.compute_type)
        # Greedy decoding of a Marian model: a static loop (CUDA graphs on a GPU) instead of generate
        decoder = options.decoder
        if decoder == "auto":
            decoder = "static" if device == "cuda" else "generate"
        self.static = StaticGreedy(model, self.generation) if (
            decoder == "static" and StaticGreedy.supports(model, self.generation)) else None
        # A Marian model's text goes through sentencepiece directly, a batch at a time: the same ids and text as
        # MarianTokenizer, many times faster
        self.spm = spm
        if spm is not None:
            self.encodings = Encodings(spm.ids)
        else:
            self.encodings = Encodings(lambda texts: tokenizer(texts, add_special_tokens=True)["input_ids"])

    @classmethod
    def load(cls, spec: ModelSpec, options: BriefOptions) -> HFTranslator:
        folder, revision = fetch(spec, options, backend="transformers")  # NeedsCT2 for a ready CTranslate2 model
        torch, transformers = torch_and_transformers()
        from transformers import AutoModelForSeq2SeqLM

        device: Device = ("cuda" if torch.cuda.is_available() else "cpu") if options.device == "auto" else options.device
        if device == "cuda" and not torch.cuda.is_available():
            raise ModelUnavailable("--device cuda was asked for, but torch sees no CUDA device")
        threads = options.threads or default_threads()
        if device == "cpu":
            torch.set_num_threads(threads)
        quiet_transformers()
        tok = load_tokenizer(folder, spec)
        dtype = {"auto": torch.float16, "float16": torch.float16, "bfloat16": torch.bfloat16}.get(options.compute_type)
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(str(folder))
        except (OSError, ValueError) as e:
            raise ModelUnavailable(f"cannot load model {spec.name}: {str(e).splitlines()[0]}") from None
        model.eval()
        if device == "cuda" and dtype is not None:
            model = model.to(dtype)
        model.to(device)
        log.info("loaded %s (transformers %s, torch %s) on %s", spec.id, transformers.__version__,
                 torch.__version__, device)
        return cls(tok, model, spec, options, device, revision, threads,
                   MarianSpm(folder) if MarianSpm.fits(folder) and not _is_nllb(tok, model.config) else None)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.encodings.count(texts) if texts else []

    def unknown_pieces(self, texts: list[str]) -> tuple[int, int]:
        if self.spm is not None:
            return self.spm.unknown(texts)
        return SubwordTokenizer(self.tokenizer).unknown(texts)

    def encode(self, texts: list[str]) -> dict:
        """Input ids and attention mask, padded as the tokenizer pads, from each text's one encoding."""
        torch, _ = torch_and_transformers()
        import numpy as np

        ids = self.encodings.take(texts)
        lengths = np.array([len(x) for x in ids])
        width = int(lengths.max())
        left = getattr(self.tokenizer, "padding_side", "right") == "left"
        rows = np.full((len(ids), width), self.tokenizer.pad_token_id, dtype=np.int64)
        for row, x in zip(rows, ids, strict=True):
            if left:
                row[width - len(x):] = x
            else:
                row[:len(x)] = x
        cols = np.arange(width)[None, :]
        mask = (cols >= width - lengths[:, None]) if left else (cols < lengths[:, None])
        return {"input_ids": torch.from_numpy(rows).to(self.device, non_blocking=True),
                "attention_mask": torch.from_numpy(mask.astype(np.int64)).to(self.device, non_blocking=True)}

    def generate_ids(self, texts: list[str]):
        torch, _ = torch_and_transformers()
        g = self.generation
        enc = self.encode(texts)
        kwargs = dict(
            num_beams=g.num_beams,
            max_new_tokens=g.max_new_tokens,
            min_new_tokens=g.min_new_tokens or None,
            do_sample=False,
            length_penalty=g.length_penalty,
            repetition_penalty=g.repetition_penalty,
            no_repeat_ngram_size=g.no_repeat_ngram_size,
        )
        if self.nllb:
            kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(NLLB_TARGET)
        with torch.inference_mode():
            if self.static is not None:
                return self.static.generate(enc["input_ids"], enc["attention_mask"])
            return self.model.generate(**enc, **kwargs)

    def translate_batch(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        return self._texts_of(self.generate_ids(texts))

    def _texts_of(self, ids) -> list[str]:
        if self.spm is not None:
            return self.spm.texts_of_ids(ids.tolist())
        return self.tokenizer.batch_decode(ids, skip_special_tokens=True)

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[list[str]]:
        """With the static decoder, each batch's text is decoded in a second thread while the device
        works on the next batch, which it would otherwise wait for (its steps leave the GIL free)."""
        if self.static is None:
            yield from super().translate_batches(batches)
            return
        with ThreadPoolExecutor(1, thread_name_prefix="summarize-decode") as decoding:
            waiting = None
            for texts in batches:
                # copied to the host here, once the device is done with it: a copy the other thread asked
                # for would queue behind the next batch's steps
                ready = decoding.submit(self._texts_of, self.generate_ids(texts).cpu()) if texts else decoding.submit(list)
                if waiting is not None:
                    yield waiting.result()
                waiting = ready
            if waiting is not None:
                yield waiting.result()
