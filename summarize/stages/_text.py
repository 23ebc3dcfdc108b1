"""Small text measures that more than one stage needs (a private helper of the stages, like _kiwi)."""

from __future__ import annotations

import re

__all__ = ["hangul_ratio", "HANGUL", "LETTER", "SURNAMES", "DOUBLE_SURNAMES"]

HANGUL = re.compile(r"[가-힣]")
LETTER = re.compile(r"[^\W\d_]")
# The common Korean surnames (a person's name starts with one), and the two-syllable ones
SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진지엄채원천방공현함변염여추"
                     "도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예봉경사부나림")
DOUBLE_SURNAMES = frozenset({"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"})


def hangul_ratio(text: str) -> float:
    """The share of Hangul syllables among the letters of `text` (0 where it has no letter)."""
    letters = LETTER.findall(text)
    if not letters:
        return 0.0
    return len(HANGUL.findall(text)) / len(letters)
