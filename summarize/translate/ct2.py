"""The CTranslate2 backend (the engine of quickmt and Argos): int8 on a CPU, float16 on a GPU.

A transformers checkpoint is converted once and cached beside the HF cache, keyed by model id, revision
and weight type; a ready CTranslate2 model (quickmt's layout: model.bin, CTranslate2's config.json,
source and target sentencepiece models) is loaded as it is, without torch or transformers.

ctranslate2 is imported on first use: importing this module loads neither it nor torch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from ..errors import BackendUnavailable, ModelUnavailable
from ..host import default_threads, folder_fingerprint, safe_name
from ..options import BriefOptions
from ..records import ModelInfo, OnPhase, Phase
from .base import Device, ModelSpec, Translator, model_id
from .batching import batch_limits
from .hf import load_tokenizer, quiet_transformers, torch_and_transformers
from .hub import ct2_ready, fetch, hf_cache, read_config
from .marian_spm import MarianSpm
from .tokenizers import NLLB_SOURCE, NLLB_TARGET, Encodings, PieceTokenizer, SubwordTokenizer

__all__ = ["CT2Translator", "ReadyTokenizer", "convert", "ct2_dir", "ct2_root", "ct2_target", "weight_type"]

log = logging.getLogger(__name__)


def ct2_root(options: BriefOptions) -> Path:
    """Converted models live beside the HF cache: $HF_HOME/summarize-ct2 (or beside --cache-dir)."""
    return hf_cache(options).parent / "summarize-ct2"


def ct2_dir(spec: ModelSpec, folder: Path, revision: str | None, options: BriefOptions, quantization: str | None = None) -> Path:
    """Where the conversion of this model id, revision and weight type is cached."""
    if revision is None:  # a local folder: its files are its revision
        revision = "local-" + folder_fingerprint(folder)[:16]
    safe = safe_name(spec.id.strip("/"), fill="--")[-120:]
    return ct2_root(options) / safe / revision / (quantization or "float32")


def convert(spec: ModelSpec, options: BriefOptions, force: bool = False, quantization: str | None = None,
            on_phase: OnPhase | None = None) -> tuple[Path, bool]:
    """The CTranslate2 conversion of the model: (folder, whether it was converted now).

    Converted once per model id, revision and weight type (int8 weights for an int8 run on the
    CPU load fast and small; None keeps float32), written to a temporary folder and renamed, so
    that a conversion killed half-way is never taken for a finished one. A conversion already made
    is found without importing the converter (which imports torch and transformers). `on_phase` hears
    of a conversion as it starts and ends.
    """
    folder, revision = fetch(spec, options)
    if ct2_ready(folder):  # a ready CTranslate2 model: nothing to convert
        return folder, False
    target = ct2_dir(spec, folder, revision, options, quantization)
    if (target / "model.bin").exists() and not force:
        return target, False
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError:
        raise BackendUnavailable("ctranslate2 is not installed (pip install ctranslate2)") from None
    t0 = time.perf_counter()
    if on_phase:
        on_phase(Phase("convert", spec.name))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    quiet_transformers()
    try:
        TransformersConverter(str(folder)).convert(str(tmp), quantization=quantization, force=True)
    except Exception as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BackendUnavailable(f"CTranslate2 cannot convert {spec.name}: {str(e).splitlines()[0]}") from None
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    log.info("converted %s to CTranslate2 in %s", spec.name, target)
    if on_phase:
        on_phase(Phase("convert", spec.name, round(time.perf_counter() - t0, 3)))
    return target, True


def _ctranslate2():
    try:
        import ctranslate2
    except ImportError:
        raise BackendUnavailable("ctranslate2 is not installed (pip install ctranslate2)") from None
    return ctranslate2


def ct2_target(options: BriefOptions, ready: bool = False) -> tuple[Device, str]:
    """The device and compute type a CTranslate2 run would use here. Where this CTranslate2 build cannot use
    a GPU that torch can, a model that transformers could run goes there instead (BackendUnavailable); a
    ready CTranslate2 model (`ready`), which only CTranslate2 runs, takes the CPU."""
    ctranslate2 = _ctranslate2()
    device: Device = ("cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu") if options.device == "auto" \
        else options.device
    if options.device == "auto":
        if device == "cpu" and not ready and Path("/dev/nvidia0").exists() and torch_and_transformers()[0].cuda.is_available():
            raise BackendUnavailable("this CTranslate2 build cannot use the GPU that torch sees")
    compute_type = options.compute_type
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def weight_type(compute_type: str) -> str | None:
    """The weights to store for a compute type: as computed (int8 loads small and fast), float32 otherwise."""
    return compute_type if compute_type in ("int8", "float16", "int8_float16", "bfloat16") else None


class ReadyTokenizer:
    """The tokenizer of a ready CTranslate2 model (quickmt's layout), without torch or transformers: the source
    text into pieces by its source sentencepiece model (src.spm.model), the output pieces into text by the
    target one (tgt.spm.model); one joint.spm.model may serve both. A piece that the model's source vocabulary
    (source_vocabulary.json, or shared_vocabulary.json) lacks goes in as its unknown token, as CTranslate2
    would take it; the bos/eos tokens its config asks for CTranslate2 adds itself."""

    SOURCE = ("src.spm.model", "joint.spm.model")
    TARGET = ("tgt.spm.model", "joint.spm.model")

    def __init__(self, folder: Path, config: dict):
        import sentencepiece as spm

        def first(names: tuple[str, ...]) -> Path:
            for name in names:
                if (folder / name).is_file():
                    return folder / name
            raise ModelUnavailable(f"the CTranslate2 model in {folder} has no sentencepiece model "
                                   f"({' or '.join(names)}) to {'read' if names is self.SOURCE else 'write'} text with")

        self.source = spm.SentencePieceProcessor(model_file=str(first(self.SOURCE)))
        self.target = spm.SentencePieceProcessor(model_file=str(first(self.TARGET)))
        self.unk = config.get("unk_token") or "<unk>"
        vocab = _ct2_vocabulary(folder, "source")
        self.vocab = set(vocab) if vocab is not None else None  # None: the sentencepiece model's own pieces
        self.special = {self.unk, config.get("bos_token") or "<s>", config.get("eos_token") or "</s>",
                        config.get("decoder_start_token") or "<s>", "<blank>", "<pad>"}

    def tokens(self, texts: list[str]) -> list[list[str]]:
        rows = self.source.encode(list(texts), out_type=str)
        if self.vocab is None:
            return rows
        vocab, unk = self.vocab, self.unk
        return [[p if p in vocab else unk for p in row] for row in rows]

    def unknown(self, texts: list[str]) -> tuple[int, int]:
        rows = self.tokens(texts)
        sp_unk = self.source.id_to_piece(self.source.unk_id())
        return sum(1 for row in rows for p in row if p in (self.unk, sp_unk)), sum(len(row) for row in rows)

    def texts(self, token_lists: list[list[str]]) -> list[str]:
        special = self.special
        pieces = [[t for t in tokens if t not in special] for tokens in token_lists]
        return [x.replace("\u2581", " ").strip() for x in self.target.decode_pieces(pieces)] if pieces else []


def _ct2_vocabulary(folder: Path, side: str) -> list[str] | None:
    """A CTranslate2 model's vocabulary of one side (`source`, `target`): its JSON list, or text file of one
    token a line; the shared one where the sides share one; None where the folder has neither."""
    for name in (f"{side}_vocabulary", "shared_vocabulary"):
        if (folder / f"{name}.json").is_file():
            return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        if (folder / f"{name}.txt").is_file():
            return (folder / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    return None


class CT2Translator(Translator):
    """A CTranslate2 translator over the converted model. For Marian models it runs without torch."""

    backend = "ct2"

    def __init__(self, tokenizer: PieceTokenizer, translator, spec: ModelSpec, options: BriefOptions, device: Device,
                 compute_type: str, revision: str | None, config: dict, threads: int):
        self.tokenizer = tokenizer
        self.translator = translator
        self.spec = spec
        self.device = device
        self.generation = options.generation
        self.max_batch_tokens = batch_limits(options.batch_size, options.max_batch_tokens, device)[1]
        self.encodings = Encodings(tokenizer.tokens)
        self.nllb = config.get("model_type") == "m2m_100"
        limits = [config.get("max_position_embeddings")]
        hf = getattr(tokenizer, "hf", None)
        if hf is not None:
            limits.append(getattr(hf, "model_max_length", None))
            if self.nllb:
                hf.src_lang = NLLB_SOURCE
        self.max_input_tokens = min(x for x in limits + [1024] if isinstance(x, int) and x > 0)
        # transformers forces </s> on the last step allowed; CTranslate2 does not, so it stops one short
        self.forced_eos = config.get("forced_eos_token_id") is not None
        self.compute_type = compute_type
        self.threads = threads
        self.parallel = translator.num_translators if device == "cpu" else 1
        self.info = ModelInfo(id=model_id(spec), revision=revision, settings=asdict(self.generation),
                              backend=self.backend, compute_type=compute_type)

    @classmethod
    def load(cls, spec: ModelSpec, options: BriefOptions, on_phase: OnPhase | None = None) -> CT2Translator:
        """The model on CTranslate2: a ready one as it is, another converted first (once; `on_phase` hears of it)."""
        ctranslate2 = _ctranslate2()  # BackendUnavailable where it is missing
        folder, revision = fetch(spec, options)
        config = read_config(folder)
        ready = ct2_ready(folder)
        device, compute_type = ct2_target(options, ready)
        threads = options.threads or default_threads()
        tok: PieceTokenizer
        if ready:  # loaded as it is, with its own sentencepiece models: neither torch nor transformers
            path, tok = folder, ReadyTokenizer(folder, config)
        else:
            path, _ = convert(spec, options, quantization=weight_type(compute_type), on_phase=on_phase)
            tok = MarianSpm(folder) if MarianSpm.fits(folder) else SubwordTokenizer(load_tokenizer(folder, spec))
        try:
            tr = _ct2_translator(ctranslate2, path, device, compute_type, threads)
        except (RuntimeError, ValueError) as e:
            why = f"CTranslate2 cannot run on {device} ({compute_type}): {str(e).splitlines()[0]}"
            if not (ready and device == "cuda" and options.device == "auto"):
                raise BackendUnavailable(why) from None
            # a GPU that this CTranslate2 build sees but cannot use (its CUDA libraries missing): a ready model,
            # which nothing else runs, takes the CPU
            device, compute_type = ct2_target(options.replace(device="cpu"), ready)
            log.warning("%s; running %s on the CPU (%s)", why, spec.name, compute_type)
            try:
                tr = _ct2_translator(ctranslate2, path, device, compute_type, threads)
            except (RuntimeError, ValueError) as e:
                raise BackendUnavailable(f"CTranslate2 cannot run on cpu ({compute_type}): "
                                         f"{str(e).splitlines()[0]}") from None
        log.info("loaded %s (CTranslate2 %s, %s) on %s", spec.id, ctranslate2.__version__, compute_type, device)
        return cls(tok, tr, spec, options, device, compute_type, revision, config, threads)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.encodings.count(texts) if texts else []

    def unknown_pieces(self, texts: list[str]) -> tuple[int, int]:
        return self.tokenizer.unknown(texts)

    def translate_tokens(self, texts: list[str]) -> list[list[str]]:
        g = self.generation
        # The converter sets add_source_eos=false: the tokenizer's </s> is part of the input. A ready model's
        # config says itself whether CTranslate2 adds bos/eos to the pieces.
        source = self.encodings.take(texts)
        prefix = [[NLLB_TARGET]] * len(source) if self.nllb else None
        max_len = g.max_new_tokens - 1 if self.forced_eos else g.max_new_tokens
        min_len = min(g.min_new_tokens, max_len) if g.min_new_tokens else 1
        results = self.translator.translate_batch(
            source,
            target_prefix=prefix,
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
            beam_size=g.num_beams,
            length_penalty=g.length_penalty,
            repetition_penalty=g.repetition_penalty,
            no_repeat_ngram_size=g.no_repeat_ngram_size,
            max_decoding_length=max_len,
            min_decoding_length=min_len,
            max_input_length=0,  # never truncate: long sentences are split before they get here
        )
        out = [r.hypotheses[0] for r in results]
        if self.nllb:
            out = [h[1:] if h[:1] == [NLLB_TARGET] else h for h in out]
        return out

    def translate_batch(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        return self.tokenizer.texts(self.translate_tokens(texts))


def _ct2_translator(ctranslate2, path: Path, device: Device, compute_type: str, threads: int):
    inter, intra = (threads, 1) if device == "cpu" else (1, 0)
    return ctranslate2.Translator(str(path), device=device, compute_type=compute_type,
                                  inter_threads=inter, intra_threads=intra)
