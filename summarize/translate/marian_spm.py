"""Marian's tokenizer with sentencepiece alone (no torch, no transformers), a whole batch at a time."""

from __future__ import annotations

import json
from pathlib import Path

from .tokenizers import SubwordTokenizer

__all__ = ["MarianSpm"]


class MarianSpm(SubwordTokenizer):
    """Marian's tokenizer with sentencepiece alone, as `MarianTokenizer` does it, without importing
    torch: source.spm pieces mapped through vocab.json, </s> appended; decoding through the shared
    vocabulary's sentencepiece model. Checked token for token against MarianTokenizer in the tests."""

    def __init__(self, folder: Path):
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
        return self._decode([[p for i in row if i < n and (p := by_id[i]) is not None] for row in rows])

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
