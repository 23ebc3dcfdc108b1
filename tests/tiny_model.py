"""Build tiny, randomly initialised translation models, the way the tests build theirs.

`build_tiny_model` has the real architecture and files (config, safetensors weights, sentencepiece
source/target models, vocab.json) of an opus-mt checkpoint, only very small, so that the
real Hugging Face loading and generation path runs in seconds without the hub. Its
translations are noise: it exercises the code, not the quality.

The tests also build, from the real non-weight files of ../shared/real_artifacts: a random Marian model
with opus-mt-ko-en's real config and vocabulary (`build_opus_mt_ko_en`), and a random ready CTranslate2
model with quickmt-ko-en's real vocabularies and sentencepiece models (`build_ct2_model`).

    python tests/tiny_model.py OUT_DIR [TEXT_DIR ...]
"""

from __future__ import annotations

import json
import shutil
import struct
import sys
import tempfile
from pathlib import Path

ENGLISH = """The mayor visited start-up hubs in Shenzhen and Hong Kong for two days.
The company has 1,200 employees and 260,000 square meters of land, worth 2 trillion won.
The central bank kept its key rate at 3.50% in May 2018 and said prices would stabilise.
"It is a good opportunity to cooperate more closely," he said.
The team won 3-1 in round 17 and moved up to 8th place.
"""


def build_tiny_model(out_dir: Path, text_dirs: list[Path], vocab_size: int = 2000, seed: int = 0,
                     ascii_vocabulary: bool = False) -> Path:
    """`ascii_vocabulary`: vocab.json keeps only the pieces written in ASCII, as a port whose vocabulary
    lost the Korean side would (every Hangul piece becomes <unk>)."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    texts = [ENGLISH]
    for d in text_dirs:
        for p in sorted(Path(d).rglob("*")):
            if p.suffix in (".txt", ".md", ".html", ".htm") and p.is_file():
                texts.append(p.read_bytes().decode("utf-8", "ignore"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.txt"
        corpus.write_text("\n".join(texts), encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=str(tmp / "sp"), vocab_size=vocab_size, character_coverage=1.0,
            model_type="unigram", pad_id=-1, bos_id=-1, eos_id=1, unk_id=0, eos_piece="</s>", unk_piece="<unk>",
            hard_vocab_limit=False, minloglevel=2,
        )
        sp = spm.SentencePieceProcessor(model_file=str(tmp / "sp.model"))
        vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
        if ascii_vocabulary:
            kept = [p for p in vocab if p.replace("\u2581", "").isascii()]
            vocab = {p: i for i, p in enumerate(kept)}
        vocab["<pad>"] = len(vocab)
        (tmp / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        shutil.copy(tmp / "sp.model", tmp / "source.spm")
        shutil.copy(tmp / "sp.model", tmp / "target.spm")
        tok = MarianTokenizer(str(tmp / "source.spm"), str(tmp / "target.spm"), str(tmp / "vocab.json"),
                              source_lang="ko", target_lang="en")
        pad = vocab["<pad>"]
        config = MarianConfig(
            vocab_size=len(vocab), d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=256,
            pad_token_id=pad, eos_token_id=1, decoder_start_token_id=pad, forced_eos_token_id=1,
            init_std=0.2,  # larger than the default, so that the output depends on the input
        )
        torch.manual_seed(seed)
        model = MarianMTModel(config)
        out_dir.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(out_dir)
        tok.save_pretrained(out_dir)
    return out_dir


# --------------------------------------------------------------------------- from the real artifacts


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    out = shift = 0
    while True:
        b = buf[i]
        i += 1
        out |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return out, i


def _encode_varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _fields(buf: bytes):
    """(field number, value, the field's bytes) of a protobuf message, without protobuf."""
    i = 0
    while i < len(buf):
        start = i
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            value, i = buf[i:i + n], i + n
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, i = buf[i:i + size], i + size
        else:
            raise ValueError(f"protobuf wire type {wire}")
        yield number, value, buf[start:i]


def spm_from_vocabulary(template: Path, pieces: list[str], out: Path) -> Path:
    """A unigram sentencepiece model whose pieces are `pieces` (after the template's first three: <unk>,
    <s>, </s>), with the template's settings and, where the template has the piece, its score.

    What a stand-in for a Marian model's missing source.spm should be: a joint-vocabulary opus-mt model's
    own source.spm only yields pieces of its vocab.json, and so does this one, whereas another model's
    sentencepiece cuts Korean into pieces that vocab.json happens to spell otherwise."""
    raw = Path(template).read_bytes()
    kept, rest = [], b""
    for number, value, whole in _fields(raw):
        if number == 1:  # ModelProto.pieces: {1: piece, 2: score, 3: type}
            d = {n: v for n, v, _ in _fields(value)}
            kept.append((d[1].decode("utf-8"), struct.unpack("<f", d[2])[0] if 2 in d else 0.0, d.get(3, 1)))
        else:
            rest += whole
    head, scores = kept[:3], {p: score for p, score, _ in kept}
    low = min(scores.values())

    def message(piece: str, score: float, kind: int) -> bytes:
        text = piece.encode("utf-8")
        body = b"\x0a" + _encode_varint(len(text)) + text + b"\x15" + struct.pack("<f", score) + b"\x18" + _encode_varint(kind)
        return b"\x0a" + _encode_varint(len(body)) + body

    taken = {p for p, _, _ in head}
    body = b"".join(message(*p) for p in head)
    body += b"".join(message(p, scores.get(p, low - len(p)), 1) for p in dict.fromkeys(pieces) if p not in taken)
    Path(out).write_bytes(body + rest)
    return Path(out)


def build_opus_mt_ko_en(out_dir: Path, real: Path, quickmt: Path, d_model: int = 64, layers: int = 2,
                        seed: int = 0, source_spm: str = "rebuilt") -> Path:
    """A random Marian model on Helsinki-NLP/opus-mt-ko-en's real config.json (shrunk: `d_model`, `layers`,
    two heads, for speed), its real vocab.json (65,001 pieces), tokenizer config and generation config.

    Its .spm files exist only as LFS pointers, so they are stood in for: the target by quickmt-ko-en's
    English sentencepiece model, the source by a sentencepiece model over vocab.json's own pieces
    (`spm_from_vocabulary`, scores from quickmt's Korean model), or with `source_spm="quickmt"` by
    quickmt's Korean model itself."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("vocab.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"):
        shutil.copy(real / name, out_dir / name)
    vocab = json.loads((real / "vocab.json").read_text(encoding="utf-8"))
    if source_spm == "quickmt":
        shutil.copy(quickmt / "src.spm.model", out_dir / "source.spm")
    else:
        spm_from_vocabulary(quickmt / "src.spm.model", sorted(vocab, key=vocab.get), out_dir / "source.spm")
    shutil.copy(quickmt / "tgt.spm.model", out_dir / "target.spm")
    cfg = json.loads((real / "config.json").read_text(encoding="utf-8"))
    for key in ("_name_or_path", "transformers_version", "architectures", "id2label", "label2id", "model_type"):
        cfg.pop(key, None)
    cfg.update(d_model=d_model, encoder_layers=layers, decoder_layers=layers, num_hidden_layers=layers,
               encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=2 * d_model,
               decoder_ffn_dim=2 * d_model, init_std=0.2)
    torch.manual_seed(seed)
    model = MarianMTModel(MarianConfig(**cfg))
    model.save_pretrained(out_dir)
    return out_dir


def build_ct2_model(out_dir: Path, quickmt: Path, d_model: int = 32, layers: tuple[int, int] = (2, 1),
                    seed: int = 0) -> Path:
    """A random ready CTranslate2 model in quickmt-ko-en's layout, written by CTranslate2's spec API: a
    Transformer (`layers` encoder and decoder layers, two heads, `d_model`) over quickmt-ko-en's real source
    and target vocabularies, its config's special tokens, and its two sentencepiece models beside it."""
    import numpy as np
    from ctranslate2.specs import model_spec, transformer_spec

    out_dir = Path(out_dir)
    source = json.loads((quickmt / "source_vocabulary.json").read_text(encoding="utf-8"))
    target = json.loads((quickmt / "target_vocabulary.json").read_text(encoding="utf-8"))
    real = json.loads((quickmt / "config.json").read_text(encoding="utf-8"))
    spec = transformer_spec.TransformerSpec.from_config(layers, 2)
    rng = np.random.default_rng(seed)
    d, ffn = d_model, 2 * d_model

    def shape(name: str) -> tuple[int, ...]:
        if name.endswith(("gamma", "beta")):
            return (d,)
        if "embeddings" in name:
            return (len(source) if name.startswith("encoder") else len(target), d)
        if name.startswith("decoder/projection"):
            return (len(target), d)
        if "/ffn/linear_0" in name:
            return (ffn, d)
        if "/ffn/linear_1" in name:
            return (d, ffn)
        if "/self_attention/linear_0" in name:
            return (3 * d, d)
        if "/attention/linear_1" in name:  # the decoder's cross-attention: keys and values together
            return (2 * d, d)
        return (d, d)

    def fill(layer, name, value):
        if value is None:
            attr = name.rsplit("/", 1)[1]
            size = shape(name)
            array = np.ones(size) if attr == "gamma" else rng.normal(0, 0.2 if attr != "beta" else 0.02, size)
            setattr(layer, attr, array.astype(np.float32))

    model_spec.visit_spec(spec, fill)
    for key in ("unk_token", "bos_token", "eos_token", "decoder_start_token", "add_source_bos", "add_source_eos",
                "layer_norm_epsilon"):
        if key in real:
            setattr(spec.config, key, real[key])
    spec.register_source_vocabulary(source)
    spec.register_target_vocabulary(target)
    spec.validate()
    spec.optimize(quantization=None)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    shutil.copy(quickmt / "src.spm.model", out_dir / "src.spm.model")
    shutil.copy(quickmt / "tgt.spm.model", out_dir / "tgt.spm.model")
    return out_dir


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    here = Path(__file__).resolve().parent.parent
    dirs = [Path(a) for a in sys.argv[2:]] or [here / "samples"]
    print(build_tiny_model(Path(sys.argv[1]), dirs))
