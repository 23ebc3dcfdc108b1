"""The translation models: the only module that imports torch, transformers and ctranslate2.

Two backends behind one interface (`Translator`):

- `transformers`: `AutoTokenizer` + `AutoModelForSeq2SeqLM.generate`, any HF seq2seq checkpoint
  (Marian/opus-mt, NLLB with kor_Hang -> eng_Latn, a local folder saved with `save_pretrained`);
  fp16 on GPU, `torch.inference_mode`, intra-op threads set from the options.
- `ct2`: CTranslate2 (the engine of quickmt and Argos). An HF checkpoint is converted once and
  cached beside the HF cache, keyed by model id and revision; a ready CTranslate2 model (quickmt's
  layout: model.bin, CTranslate2's config.json, source and target sentencepiece models) is loaded as
  it is, without torch or transformers. int8 on CPU, float16 on GPU.

`auto` takes CTranslate2 where it is installed and works for the model, and falls back to
transformers with a one-line notice (a ready CTranslate2 model cannot fall back). Models are fetched
through `huggingface_hub`, so the normal HF cache, `revision`, `cache_dir` and offline mode behave as
everywhere else.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlparse

from .errors import MissingDependency, ModelUnavailable, NeedsCT2
from .translation import ModelSpec, Translator, batch_limits
from .types import ModelInfo


def _torch():
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


__all__ = ["HFTranslator", "CT2Translator", "load", "fetch", "convert", "ct2_dir", "cpu_count", "default_threads"]

log = logging.getLogger(__name__)

NLLB_SOURCE, NLLB_TARGET = "kor_Hang", "eng_Latn"
# What a translation model needs from a hub repository (weights are fetched apart: one format only; a ready
# CTranslate2 model's model.bin, where config.json is CTranslate2's).
MODEL_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.tiktoken"]
WEIGHTS = ["model.safetensors", "pytorch_model.bin"]


class BackendUnavailable(Exception):
    """A backend that cannot run this model here (not installed, unsupported, no GPU build)."""


# --------------------------------------------------------------------------- threads


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """Half the cores, at least one: on a shared machine more OpenMP threads than free cores is far slower."""
    return max(1, cpu_count() // 2)


# --------------------------------------------------------------------------- fetching


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
        f"fetch it ahead with `summarize models pull {spec.name}` (or `hf download {spec.id}`) on a connected "
        "machine into the same HF cache, or point --model at a local folder (saved with save_pretrained, or a "
        "ready CTranslate2 model)"
    )


def _offline(options) -> bool:
    return bool(options.offline) or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")


def hf_cache(options) -> Path:
    """The HF hub cache in force now: --cache-dir, HF_HUB_CACHE, HF_HOME/hub, or the default."""
    if options.cache_dir:
        return Path(options.cache_dir)
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def _ct2_config(folder: Path) -> bool:
    """Whether the folder's config.json is CTranslate2's (special tokens and flags, no `model_type`)
    rather than a transformers model's."""
    import json

    try:
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(cfg, dict) and "model_type" not in cfg and "architectures" not in cfg and (
        "unk_token" in cfg or "add_source_bos" in cfg or "decoder_start_token" in cfg)


def ct2_ready(folder: Path) -> bool:
    """A ready CTranslate2 model (quickmt's layout): CTranslate2's config.json and model.bin, to load as it is."""
    return (folder / "model.bin").is_file() and _ct2_config(folder)


def _ct2_only(spec: ModelSpec) -> NeedsCT2:
    return NeedsCT2(f"{spec.name} is a ready CTranslate2 model, which the transformers backend cannot load: "
                    "run it with --backend ct2 (or auto), or choose a transformers model such as --model opus-mt")


def _weights(folder: Path) -> list[str]:
    """The weight files a model folder wants, in order of preference (one is enough)."""
    return ["model.bin"] if _ct2_config(folder) else WEIGHTS


def _snapshot(spec: ModelSpec, options, local_only: bool, progress: bool, backend: str | None = None) -> Path:
    from huggingface_hub import hf_hub_download, snapshot_download
    from huggingface_hub.errors import EntryNotFoundError
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    (enable_progress_bars if progress else disable_progress_bars)()
    kwargs = dict(revision=options.revision, cache_dir=str(hf_cache(options)), local_files_only=local_only)
    # the small files first (subfolders left out: quickmt keeps the training checkpoint in one); they say
    # whether this is a transformers model or a ready CTranslate2 one, and so which weights to fetch
    folder = Path(snapshot_download(spec.id, allow_patterns=MODEL_FILES, ignore_patterns=["*/*"], **kwargs))
    weights = _weights(folder)
    if backend == "transformers" and weights == ["model.bin"]:
        raise _ct2_only(spec)
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


def fetch(spec: ModelSpec, options, progress: bool = False, backend: str | None = None) -> tuple[Path, str | None]:
    """The model's local folder and revision: a local folder as it is, a hub model from the cache
    or else downloaded. Raises ModelUnavailable with a message that says how to fix it; NeedsCT2 where
    `backend` is "transformers" and the model is a ready CTranslate2 one (before its weights are fetched)."""
    if backend == "transformers" and spec.backend == "ct2":
        raise _ct2_only(spec)
    if spec.local:
        if backend == "transformers" and ct2_ready(Path(spec.id)):
            raise _ct2_only(spec)
        return Path(spec.id), None
    try:
        folder = _snapshot(spec, options, local_only=True, progress=False, backend=backend)
        return folder, folder.name
    except ModelUnavailable:
        raise
    except Exception:  # not (completely) in the cache
        if _offline(options):
            raise ModelUnavailable(f"model {spec.id} is not in the Hugging Face cache and offline mode is on: "
                                   f"{_fetch_hint(spec)}") from None
    if not _hub_reachable():
        raise ModelUnavailable(f"model {spec.id} is not in the Hugging Face cache and the hub cannot be reached: "
                               f"{_fetch_hint(spec)}")
    try:
        folder = _snapshot(spec, options, local_only=False, progress=progress, backend=backend)
    except ModelUnavailable:
        raise
    except Exception as e:
        raise ModelUnavailable(f"cannot fetch model {spec.id}: {str(e).splitlines()[0]}; {_fetch_hint(spec)}") from None
    return folder, folder.name


def _quiet_transformers() -> None:
    _, transformers = _torch()
    transformers.utils.logging.disable_progress_bar()  # progress bars belong to the CLI, not the library
    if not log.isEnabledFor(logging.DEBUG):
        transformers.utils.logging.set_verbosity_error()


def _load_tokenizer(folder: Path, spec: ModelSpec):
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


def _model_id(spec: ModelSpec) -> str:
    return spec.name if spec.local else spec.id


# --------------------------------------------------------------------------- transformers


class Encodings:
    """Each text tokenized once: `count` (what batching needs) keeps the encodings for `take`
    (the batch that translates them), which hands them over and forgets them."""

    def __init__(self, encode: Callable[[list[str]], list], limit: int = 100_000):
        self.encode = encode
        self.kept: dict[str, list] = {}
        self.limit = limit  # counted texts never translated (split_long's trial pieces) are dropped past this

    def _get(self, texts: list[str], keep: bool) -> list:
        missing = [t for t in dict.fromkeys(texts) if t not in self.kept]
        new = dict(zip(missing, self.encode(missing), strict=True)) if missing else {}
        if keep and new:
            if len(self.kept) + len(new) > self.limit:
                self.kept.clear()
            self.kept.update(new)
        return [new[t] if t in new else self.kept[t] for t in texts]

    def count(self, texts: list[str]) -> list[int]:
        return [len(x) for x in self._get(list(texts), keep=True)]

    def take(self, texts: list[str]) -> list:
        out = self._get(list(texts), keep=False)
        for t in texts:
            self.kept.pop(t, None)
        return out


class HFTranslator(Translator):
    """`AutoTokenizer` + `AutoModelForSeq2SeqLM`, called directly (transformers 5 has no translation pipeline)."""

    backend = "transformers"

    def __init__(self, tokenizer, model, spec: ModelSpec, options, device: str, revision: str | None, threads: int,
                 spm: MarianSpm | None = None):
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
        self.info = ModelInfo(id=_model_id(spec), revision=revision, settings=asdict(self.generation),
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
    def load(cls, spec: ModelSpec, options) -> HFTranslator:
        folder, revision = fetch(spec, options, backend="transformers")  # NeedsCT2 for a ready CTranslate2 model
        torch, transformers = _torch()
        from transformers import AutoModelForSeq2SeqLM

        device = options.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device == "cuda" and not torch.cuda.is_available():
            raise ModelUnavailable("--device cuda was asked for, but torch sees no CUDA device")
        threads = options.threads or default_threads()
        if device == "cpu":
            torch.set_num_threads(threads)
        _quiet_transformers()
        tok = _load_tokenizer(folder, spec)
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
        torch, _ = _torch()
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
        torch, _ = _torch()
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


# --------------------------------------------------------------------------- CTranslate2


def ct2_root(options) -> Path:
    """Converted models live beside the HF cache: $HF_HOME/summarize-ct2 (or beside --cache-dir)."""
    return hf_cache(options).parent / "summarize-ct2"


def ct2_dir(spec: ModelSpec, folder: Path, revision: str | None, options, quantization: str | None = None) -> Path:
    """Where the conversion of this model id, revision and weight type is cached."""
    if revision is None:  # a local folder: its files are its revision
        h = hashlib.sha256()
        for p in sorted(folder.iterdir()):
            if p.is_file():
                st = p.stat()
                h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
        revision = "local-" + h.hexdigest()[:16]
    safe = "".join(c if c.isalnum() or c in "-_." else "--" for c in spec.id.strip("/"))[-120:]
    return ct2_root(options) / safe / revision / (quantization or "float32")


def convert(spec: ModelSpec, options, force: bool = False, quantization: str | None = None) -> tuple[Path, bool]:
    """The CTranslate2 conversion of the model: (folder, whether it was converted now).

    Converted once per model id, revision and weight type (int8 weights for an int8 run on the
    CPU load fast and small; None keeps float32), written to a temporary folder and renamed, so
    that a conversion killed half-way is never taken for a finished one.
    """
    folder, revision = fetch(spec, options)
    if ct2_ready(folder):  # a ready CTranslate2 model: nothing to convert
        return folder, False
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError:
        raise BackendUnavailable("ctranslate2 is not installed (pip install ctranslate2)") from None
    target = ct2_dir(spec, folder, revision, options, quantization)
    if (target / "model.bin").exists() and not force:
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    _quiet_transformers()
    try:
        TransformersConverter(str(folder)).convert(str(tmp), quantization=quantization, force=True)
    except Exception as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BackendUnavailable(f"CTranslate2 cannot convert {spec.name}: {str(e).splitlines()[0]}") from None
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    log.info("converted %s to CTranslate2 in %s", spec.name, target)
    return target, True


def _ctranslate2():
    try:
        import ctranslate2
    except ImportError:
        raise BackendUnavailable("ctranslate2 is not installed (pip install ctranslate2)") from None
    return ctranslate2


def ct2_target(options, ready: bool = False) -> tuple[str, str]:
    """The device and compute type a CTranslate2 run would use here. Where this CTranslate2 build cannot use
    a GPU that torch can, a model that transformers could run goes there instead (BackendUnavailable); a
    ready CTranslate2 model (`ready`), which only CTranslate2 runs, takes the CPU."""
    ctranslate2 = _ctranslate2()
    device = options.device
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        if device == "cpu" and not ready and Path("/dev/nvidia0").exists() and _torch()[0].cuda.is_available():
            raise BackendUnavailable("this CTranslate2 build cannot use the GPU that torch sees")
    compute_type = options.compute_type
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def weight_type(compute_type: str) -> str | None:
    """The weights to store for a compute type: as computed (int8 loads small and fast), float32 otherwise."""
    return compute_type if compute_type in ("int8", "float16", "int8_float16", "bfloat16") else None


class SubwordTokenizer:
    """What the CTranslate2 path needs of a tokenizer: source tokens in, text out."""

    def __init__(self, hf_tokenizer):
        self.hf = hf_tokenizer

    def tokens(self, texts: list[str]) -> list[list[str]]:
        return [self.hf.convert_ids_to_tokens(ids) for ids in self.hf(list(texts))["input_ids"]]

    def text(self, tokens: list[str]) -> str:
        return self.hf.decode(self.hf.convert_tokens_to_ids(tokens), skip_special_tokens=True)

    def texts(self, token_lists: list[list[str]]) -> list[str]:
        return [self.text(t) for t in token_lists]

    def unknown(self, texts: list[str]) -> tuple[int, int]:
        """Unknown source pieces of the texts, and all their pieces (special tokens left out)."""
        hf = self.hf
        unk = hf.unk_token
        special = set(hf.all_special_tokens) - {unk}
        pieces = [t for tokens in self.tokens(texts) for t in tokens if t not in special]
        return sum(1 for t in pieces if t == unk), len(pieces)


class MarianSpm(SubwordTokenizer):
    """Marian's tokenizer with sentencepiece alone, as `MarianTokenizer` does it, without importing
    torch: source.spm pieces mapped through vocab.json, </s> appended; decoding through the shared
    vocabulary's sentencepiece model. Checked token for token against MarianTokenizer in the tests."""

    def __init__(self, folder: Path):
        import json

        import sentencepiece as spm

        cfg = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        self.vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        self.separate = bool(cfg.get("separate_vocabs"))
        self.source = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        self.eos, self.unk = cfg.get("eos_token", "</s>"), cfg.get("unk_token", "<unk>")
        self.special = {self.eos, self.unk, cfg.get("pad_token", "<pad>")}
        self.cleanup = bool(cfg.get("clean_up_tokenization_spaces", False))
        # the id route: source sentencepiece ids -> model ids, model ids -> pieces (None: special)
        self.unk_id, self.eos_id = self.vocab.get(self.unk), self.vocab.get(self.eos)
        self.source_unk = self.source.unk_id()
        self.to_model = [self.vocab.get(self.source.id_to_piece(i), self.unk_id)
                         for i in range(self.source.get_piece_size())]
        self.by_id: list[str | None] = [None] * (max(self.vocab.values(), default=-1) + 1)
        for piece, i in self.vocab.items():
            self.by_id[i] = None if piece in self.special else piece

    @classmethod
    def fits(cls, folder: Path) -> bool:
        import json

        try:
            cfg = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (cfg.get("tokenizer_class") == "MarianTokenizer" and not cfg.get("separate_vocabs")
                and all((folder / f).exists() for f in ("source.spm", "target.spm", "vocab.json")))

    def tokens(self, texts: list[str]) -> list[list[str]]:
        out = []
        for text in texts:
            code = []
            if text.startswith(">>") and (end := text.find("<<")) != -1:
                code, text = [text[:end + 2]], text[end + 2:]
            pieces = code + self.source.encode(text, out_type=str)
            out.append([p if p in self.vocab else self.unk for p in pieces] + [self.eos])
        return out

    def unknown(self, texts: list[str]) -> tuple[int, int]:
        """Source pieces that vocab.json lacks (a Marian port whose vocabulary lost the source language's
        pieces maps most of them to <unk>), and all pieces; </s> left out."""
        rows = self.tokens(texts)
        return sum(row[:-1].count(self.unk) for row in rows), sum(len(row) - 1 for row in rows)

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Model input ids, as `tokens` mapped through vocab.json, the whole batch encoded at once as
        sentencepiece ids. A text with a language code, or with a piece that sentencepiece does not know
        (whose surface vocab.json might still hold), goes the way of `tokens`."""
        rows = self.source.encode(list(texts), out_type=int)
        out = []
        for text, row in zip(texts, rows, strict=True):
            if self.source_unk in row or text.startswith(">>"):
                out.append([self.vocab.get(p, self.unk_id) for p in self.tokens([text])[0]])
            else:
                out.append([self.to_model[i] for i in row] + [self.eos_id])
        return out

    def text(self, tokens: list[str]) -> str:
        return self.texts([tokens])[0]

    def texts(self, token_lists: list[list[str]]) -> list[str]:
        """The text of each token list, decoded together."""
        return self._decode([[t for t in tokens if t not in self.special] for tokens in token_lists])

    def texts_of_ids(self, rows: list[list[int]]) -> list[str]:
        """The text of each row of model output ids (special and unknown ids skipped), decoded together."""
        by_id, n = self.by_id, len(self.by_id)
        return self._decode([[by_id[i] for i in row if i < n and by_id[i] is not None] for row in rows])

    def _decode(self, pieces: list[list[str]]) -> list[str]:
        sp = self.target if self.separate else self.source
        return [self._tidy(x) for x in sp.decode_pieces(pieces)] if pieces else []

    def _tidy(self, out: str) -> str:
        out = out.replace("\u2581", " ").strip()
        if self.cleanup:
            for a, b in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                         (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
                out = out.replace(a, b)
        return out


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
    import json

    for name in (f"{side}_vocabulary", "shared_vocabulary"):
        if (folder / f"{name}.json").is_file():
            return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        if (folder / f"{name}.txt").is_file():
            return (folder / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    return None


def _read_config(folder: Path) -> dict:
    import json

    return json.loads((folder / "config.json").read_text(encoding="utf-8"))


class CT2Translator(Translator):
    """A CTranslate2 translator over the converted model. For Marian models it runs without torch."""

    backend = "ct2"

    def __init__(self, tokenizer: SubwordTokenizer, translator, spec: ModelSpec, options, device: str,
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
        self.info = ModelInfo(id=_model_id(spec), revision=revision, settings=asdict(self.generation),
                              backend=self.backend, compute_type=compute_type)

    @classmethod
    def load(cls, spec: ModelSpec, options) -> CT2Translator:
        ctranslate2 = _ctranslate2()  # BackendUnavailable where it is missing
        folder, revision = fetch(spec, options)
        config = _read_config(folder)
        ready = ct2_ready(folder)
        device, compute_type = ct2_target(options, ready)
        threads = options.threads or default_threads()
        if ready:  # loaded as it is, with its own sentencepiece models: neither torch nor transformers
            path, tok = folder, ReadyTokenizer(folder, config)
        else:
            path, _ = convert(spec, options, quantization=weight_type(compute_type))
            tok = MarianSpm(folder) if MarianSpm.fits(folder) else SubwordTokenizer(_load_tokenizer(folder, spec))
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


# --------------------------------------------------------------------------- choosing


def _ct2_translator(ctranslate2, path: Path, device: str, compute_type: str, threads: int):
    inter, intra = (threads, 1) if device == "cpu" else (1, 0)
    return ctranslate2.Translator(str(path), device=device, compute_type=compute_type,
                                  inter_threads=inter, intra_threads=intra)


def load(spec: ModelSpec, options) -> Translator:
    """The translator the options ask for; `auto` is CTranslate2 where it works, else transformers (except for
    a ready CTranslate2 model, which transformers cannot run: then the reason, in one line)."""
    if options.backend == "transformers":
        return HFTranslator.load(spec, options)
    if options.backend == "ct2":
        try:
            return CT2Translator.load(spec, options)
        except BackendUnavailable as e:
            raise ModelUnavailable(str(e)) from None
    try:
        return CT2Translator.load(spec, options)
    except BackendUnavailable as e:
        try:
            tr = HFTranslator.load(spec, options)
        except NeedsCT2:
            raise ModelUnavailable(f"{e}; and {spec.name} is a ready CTranslate2 model, which only that backend "
                                   "runs") from None
        log.warning("using the transformers backend: %s", e)
        return tr


# --------------------------------------------------------------------------- static greedy decoding


class StaticGreedy:
    """Greedy decoding of a Marian model over the model's own layers, with a static KV cache.

    It gives the same tokens as `generate(num_beams=1)` (the min-new-tokens, bad-words and
    forced-EOS rules included) without `generate`'s per-step overhead; on CUDA every step is one
    CUDA-graph replay, captured once per batch shape. The encoder runs as usual, once per batch.
    """

    def __init__(self, model, generation):
        torch, _ = _torch()
        self.torch = torch
        self.model = model
        self.decoder = model.model.decoder
        self.layers = list(self.decoder.layers)
        gc = model.generation_config
        eos = gc.eos_token_id if gc.eos_token_id is not None else model.config.eos_token_id
        self.eos = [eos] if isinstance(eos, int) else list(eos)
        self.pad = gc.pad_token_id if gc.pad_token_id is not None else model.config.pad_token_id
        self.start = model.config.decoder_start_token_id
        self.forced_eos = gc.forced_eos_token_id
        self.bad = sorted({ids[0] for ids in (gc.bad_words_ids or []) if len(ids) == 1})
        self.min_new = generation.min_new_tokens
        self.max_new = generation.max_new_tokens
        # one state (KV caches) and CUDA graph per batch shape; a run meets many shapes (length-sorted
        # batches), and each state holds GPU memory, so only the most recent few are kept
        self.graphs: OrderedDict = OrderedDict()
        self.keep = 4
        # and at most this many bytes of them beside the one in use: a quarter of the GPU's memory (a
        # shape's KV caches take about 4 GB for the base model at batch 1,024 and 256 new tokens)
        self.budget: int | None = None
        if torch.cuda.is_available() and next(model.parameters()).is_cuda:
            self.budget = torch.cuda.get_device_properties(next(model.parameters()).device).total_memory // 4

    @staticmethod
    def supports(model, generation) -> bool:
        gc = model.generation_config
        return (getattr(model.config, "model_type", "") == "marian" and generation.num_beams == 1
                and generation.repetition_penalty == 1.0 and generation.no_repeat_ngram_size == 0
                and all(len(ids) == 1 for ids in (gc.bad_words_ids or [])))

    def _state(self, batch: int, src_len: int, device, dtype):
        torch = self.torch
        cfg = self.model.config
        heads = cfg.decoder_attention_heads
        dh = cfg.d_model // heads
        steps = self.max_new
        z = dict(device=device, dtype=dtype)
        return dict(
            tok=torch.full((batch,), self.start, dtype=torch.long, device=device),
            t=torch.zeros((), dtype=torch.long, device=device),
            unfinished=torch.ones(batch, dtype=torch.bool, device=device),
            out=torch.full((batch, steps), self.pad, dtype=torch.long, device=device),
            self_k=[torch.zeros(batch, heads, steps, dh, **z) for _ in self.layers],
            self_v=[torch.zeros(batch, heads, steps, dh, **z) for _ in self.layers],
            enc_k=[torch.zeros(batch, heads, src_len, dh, **z) for _ in self.layers],
            enc_v=[torch.zeros(batch, heads, src_len, dh, **z) for _ in self.layers],
            enc_mask=torch.zeros(batch, 1, 1, src_len, dtype=torch.bool, device=device),
            positions=torch.arange(steps, device=device),
            eos=torch.tensor(self.eos, device=device),
            bad=torch.tensor(self.bad, dtype=torch.long, device=device),
        )

    def state_bytes(self, batch: int, src_len: int, dtype) -> int:
        """The bytes of the KV caches of one batch shape."""
        cfg = self.model.config
        size = self.torch.empty((), dtype=dtype).element_size()
        return 2 * len(self.layers) * batch * cfg.d_model * (self.max_new + src_len) * size

    def held(self) -> int:
        """The bytes of the KV caches kept now."""
        return sum(self.state_bytes(b, n, s["self_k"][0].dtype) for (b, n), (s, _) in self.graphs.items())

    def _step(self, s) -> None:
        """One decoding step on the static state: every shape fixed, no host round trip."""
        torch = self.torch
        F = torch.nn.functional
        dec = self.decoder
        t = s["t"]
        tok = s["tok"]
        batch = tok.shape[0]
        # index_select, not weight[t]: indexing with a tensor would read it back to the host
        h = dec.embed_tokens(tok[:, None]) * dec.embed_scale + dec.embed_positions.weight.index_select(0, t.view(1))
        self_mask = (s["positions"] <= t)[None, None, None, :]
        heads, dh = s["self_k"][0].shape[1], s["self_k"][0].shape[3]

        def split(x):
            return x.view(batch, 1, heads, dh).transpose(1, 2)

        for i, layer in enumerate(self.layers):
            att = layer.self_attn
            q = split(att.q_proj(h))
            s["self_k"][i].index_copy_(2, t.view(1), split(att.k_proj(h)))
            s["self_v"][i].index_copy_(2, t.view(1), split(att.v_proj(h)))
            a = F.scaled_dot_product_attention(q, s["self_k"][i], s["self_v"][i], attn_mask=self_mask,
                                               scale=att.scaling)
            h = layer.self_attn_layer_norm(h + att.out_proj(a.transpose(1, 2).reshape(batch, 1, -1)))
            cross = layer.encoder_attn
            q = split(cross.q_proj(h))
            a = F.scaled_dot_product_attention(q, s["enc_k"][i], s["enc_v"][i], attn_mask=s["enc_mask"],
                                               scale=cross.scaling)
            h = layer.encoder_attn_layer_norm(h + cross.out_proj(a.transpose(1, 2).reshape(batch, 1, -1)))
            h = layer.final_layer_norm(h + layer.fc2(layer.activation_fn(layer.fc1(h))))
        # In the model's dtype, as the model computes them: generate then copies them to float32, which
        # changes no value and so no argmax; at batch 1,024 that copy and the passes over it were a good
        # part of a step's memory traffic.
        logits = self.model.lm_head(h[:, 0]) + self.model.final_logits_bias
        neg = torch.finfo(logits.dtype).min
        # index tensors made ahead: a CUDA graph cannot copy a Python list to the device while capturing
        if self.min_new:
            logits[:, s["eos"]] = torch.where(t < self.min_new, neg, logits[:, s["eos"]])
        if self.bad:
            logits.index_fill_(1, s["bad"], neg)
        nxt = logits.argmax(-1)
        if self.forced_eos is not None:  # at the last step that token, whatever the logits say
            nxt = torch.where(t == self.max_new - 1, self.forced_eos, nxt)
        nxt = torch.where(s["unfinished"], nxt, self.pad)
        s["unfinished"] &= ~(nxt[:, None] == s["eos"][None, :]).any(-1)
        s["out"].index_copy_(1, t.view(1), nxt[:, None])
        tok.copy_(nxt)
        t.add_(1)

    def _reset(self, s) -> None:
        s["tok"].fill_(self.start)
        s["t"].zero_()
        s["unfinished"].fill_(True)
        s["out"].fill_(self.pad)

    def generate(self, input_ids, attention_mask):
        """Token ids [batch, steps] (decoder start token first, as generate returns them)."""
        torch = self.torch
        batch, src_len = input_ids.shape
        device = input_ids.device
        enc = self.model.model.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        key = (batch, src_len)
        if key not in self.graphs:
            need = self.state_bytes(batch, src_len, enc.dtype)
            while self.graphs and (len(self.graphs) >= self.keep or (
                    self.budget is not None and self.held() + need > self.budget)):
                self.graphs.popitem(last=False)  # its state and graph memory go back to the allocator
            self.graphs[key] = [self._state(batch, src_len, device, enc.dtype), None]
        self.graphs.move_to_end(key)
        s, graph = self.graphs[key]
        self._reset(s)
        heads = s["enc_k"][0].shape[1]
        for i, layer in enumerate(self.layers):
            att = layer.encoder_attn
            s["enc_k"][i].copy_(att.k_proj(enc).view(batch, src_len, heads, -1).transpose(1, 2))
            s["enc_v"][i].copy_(att.v_proj(enc).view(batch, src_len, heads, -1).transpose(1, 2))
        s["enc_mask"].copy_(attention_mask.bool()[:, None, None, :])
        use_graph = device.type == "cuda"
        if use_graph and graph is None:
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):  # warm-up outside the capture, as CUDA graphs require
                self._step(s)
            torch.cuda.current_stream().wait_stream(side)
            self._reset(s)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                self._step(s)
            self.graphs[key][1] = graph
            self._reset(s)
        done = 0
        for i in range(self.max_new):
            if use_graph:
                graph.replay()
            else:
                self._step(s)
            done = i + 1
            if (i % 8 == 7 or not use_graph) and not bool(s["unfinished"].any()):
                break
        start = torch.full((batch, 1), self.start, dtype=torch.long, device=device)
        return torch.cat([start, s["out"][:, :done]], dim=1)
