"""Small text measures that more than one stage needs (a private helper of the stages, like _kiwi)."""

from __future__ import annotations

import re

__all__ = ["hangul_ratio", "HANGUL", "LETTER"]

HANGUL = re.compile(r"[가-힣]")
LETTER = re.compile(r"[^\W\d_]")


def hangul_ratio(text: str) -> float:
    """The share of Hangul syllables among the letters of `text` (0 where it has no letter)."""
    letters = LETTER.findall(text)
    if not letters:
        return 0.0
    return len(HANGUL.findall(text)) / len(letters)
