"""Build a tiny, randomly initialised Marian translation model, the way the tests build theirs.

It has the real architecture and files (config, safetensors weights, sentencepiece
source/target models, vocab.json) of an opus-mt checkpoint, only very small, so that the
real Hugging Face loading and generation path runs in seconds without the hub. Its
translations are noise: it exercises the code, not the quality.

    python tests/tiny_model.py OUT_DIR [TEXT_DIR ...]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ENGLISH = """The mayor visited start-up hubs in Shenzhen and Hong Kong for two days.
The company has 1,200 employees and 260,000 square meters of land, worth 2 trillion won.
The central bank kept its key rate at 3.50% in May 2018 and said prices would stabilise.
"It is a good opportunity to cooperate more closely," he said.
The team won 3-1 in round 17 and moved up to 8th place.
"""


def build_tiny_model(out_dir: Path, text_dirs: list[Path], vocab_size: int = 2000, seed: int = 0) -> Path:
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


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    here = Path(__file__).resolve().parent.parent
    dirs = [Path(a) for a in sys.argv[2:]] or [here / "samples"]
    print(build_tiny_model(Path(sys.argv[1]), dirs))
