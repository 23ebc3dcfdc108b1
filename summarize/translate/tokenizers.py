"""Tokenizing without a model: each text encoded once (`Encodings`), and what the CTranslate2 path needs of a
Hugging Face tokenizer (`SubwordTokenizer`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Encodings", "PieceTokenizer", "SubwordTokenizer", "NLLB_SOURCE", "NLLB_TARGET"]

NLLB_SOURCE, NLLB_TARGET = "kor_Hang", "eng_Latn"


class Encodings:
    """Each text tokenized once: `count` (what batching needs) keeps the encodings for `take`
    (the batch that translates them), which hands them over and forgets them."""

    def __init__(self, encode: Callable[[list[str]], list[Any]], limit: int = 100_000):
        self.encode = encode
        self.kept: dict[str, Any] = {}  # each text's encoding (ids or pieces)
        self.limit = limit  # counted texts never translated (split_long's trial pieces) are dropped past this

    def _get(self, texts: list[str], keep: bool) -> list[Any]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.kept]
        new = dict(zip(missing, self.encode(missing), strict=True)) if missing else {}
        if keep and new:
            if len(self.kept) + len(new) > self.limit:
                self.kept.clear()
            self.kept.update(new)
        return [new[t] if t in new else self.kept[t] for t in texts]

    def count(self, texts: list[str]) -> list[int]:
        return [len(x) for x in self._get(list(texts), keep=True)]

    def take(self, texts: list[str]) -> list[Any]:
        out = self._get(list(texts), keep=False)
        for t in texts:
            self.kept.pop(t, None)
        return out


class PieceTokenizer(Protocol):
    """What the CTranslate2 path needs of a tokenizer: source pieces in, text out, and the unknown pieces."""

    def tokens(self, texts: list[str]) -> list[list[str]]: ...

    def texts(self, token_lists: list[list[str]]) -> list[str]: ...

    def unknown(self, texts: list[str]) -> tuple[int, int]: ...


class SubwordTokenizer:
    """What the CTranslate2 path needs of a tokenizer: source tokens in, text out."""

    def __init__(self, hf_tokenizer: Any):  # a transformers tokenizer
        self.hf = hf_tokenizer

    def tokens(self, texts: list[str]) -> list[list[str]]:
        return [self.hf.convert_ids_to_tokens(ids) for ids in self.hf(list(texts))["input_ids"]]

    def text(self, tokens: list[str]) -> str:
        text: str = self.hf.decode(self.hf.convert_tokens_to_ids(tokens), skip_special_tokens=True)
        return text

    def texts(self, token_lists: list[list[str]]) -> list[str]:
        return [self.text(t) for t in token_lists]

    def unknown(self, texts: list[str]) -> tuple[int, int]:
        """Unknown source pieces of the texts, and all their pieces (special tokens left out)."""
        hf = self.hf
        unk = hf.unk_token
        special = set(hf.all_special_tokens) - {unk}
        pieces = [t for tokens in self.tokens(texts) for t in tokens if t not in special]
        return sum(1 for t in pieces if t == unk), len(pieces)
