"""Segmenting: body paragraphs into sentences, with Kiwi, and the fixes Korean news needs.

Kiwi finds the sentence ends; this module then keeps together what must stay whole
(a quote of several sentences, a decimal, a dotted date, a URL, an e-mail, a bracket),
joins a piece that starts with a particle after a closing quote (‘대공방’ | 은 …) to the
one before, and splits after a sentence end that Kiwi missed because an apostrophe
year ('15년) looked like an opening quote.
"""

from __future__ import annotations

import re

from ._kiwi import Token, kiwi, tokenize
from .types import Sentence

__all__ = ["segment", "segment_analysed", "split_paragraph", "quote_spans"]

_APOS_YEAR = re.compile(r"['‘’`]\d{2}(?:년|\b)")
_PROTECT = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\d+(?:\.\d+)+\.?|[A-Za-z]\.(?:[A-Za-z]\.)+|"
    r"(?<![가-힣])[가-힣]\.[가-힣](?:\.[가-힣])*(?=[가-힣\s])"  # 시.군, 시.도, 읍.면.동: one word
)
_PARTICLE_START = re.compile(
    r"^(?:은|는|이|가|을|를|의|에|에서|에게|와|과|도|로|으로|만|까지|부터|처럼|보다|라고|이라고|고|며|라며|이라며|"
    r"라는|이라는|란|이란|면서|라면서|이라면서|하고|이다|였다|이었다|으로서|로서)(?=\s|[,.!?]|$)"
)
_CLOSERS = "”’\"'」』)]}″′"
_MISSED_END = re.compile(r"(?<=[가-힣][.!?])\s+(?=\S)|(?<=[가-힣][.!?][”’\"'])\s+(?=\S)")
_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "(": ")", "[": "]"}


def quote_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans (start, end, opening mark) of balanced quotes and brackets, quote marks included.

    An apostrophe before a two-digit year ('15년, ‘18년) opens nothing.
    """
    spans: list[tuple[int, int, str]] = []
    stack: list[tuple[str, int]] = []
    straight: dict[str, int | None] = {'"': None, "'": None, "″": None, "′": None}  # MBC writes ″…″ and ′…′
    for i, ch in enumerate(text):
        if ch in straight:
            if ch == "'" and _APOS_YEAR.match(text, i):
                continue
            if straight[ch] is None:
                if ch == "'" and i > 0 and text[i - 1].isalnum() and not text[i + 1:i + 2].isspace():
                    continue  # an apostrophe inside a word
                straight[ch] = i
            else:
                spans.append((straight[ch], i + 1, ch))
                straight[ch] = None
            continue
        if ch in _PAIRS:
            if ch == "‘" and _APOS_YEAR.match(text, i):
                continue
            stack.append((ch, i))
        elif ch in _PAIRS.values():
            for k in range(len(stack) - 1, -1, -1):
                if _PAIRS[stack[k][0]] == ch:
                    opener, start = stack[k]
                    del stack[k:]
                    spans.append((start, i + 1, opener))
                    break
    return sorted(spans)


def _protected(text: str) -> list[tuple[int, int]]:
    spans = [(s, e) for s, e, _ in quote_spans(text)]
    spans += [(m.start(), m.end()) for m in _PROTECT.finditer(text)]
    return spans


def split_paragraph(par: str, kiwi_ends: list[int] | None = None) -> list[str]:
    """Sentences of one paragraph. `kiwi_ends` are Kiwi's sentence end offsets (computed if None)."""
    if kiwi_ends is None:
        kiwi_ends = [s.end for s in kiwi().split_into_sents(par)]
    protected = _protected(par)

    def inside(pos: int) -> bool:
        return any(s < pos < e for s, e in protected)

    cuts = {e for e in kiwi_ends if 0 < e < len(par)}
    cuts |= {m.start() for m in _MISSED_END.finditer(par)}
    cuts = sorted(c for c in cuts if not inside(c))
    pieces, start = [], 0
    for c in cuts + [len(par)]:
        piece = par[start:c].strip()
        if piece:
            pieces.append(piece)
        start = c
    out: list[str] = []
    for piece in pieces:
        if out and (
            (out[-1][-1:] in _CLOSERS and _PARTICLE_START.match(piece))
            or (piece[0] in _CLOSERS and not _APOS_YEAR.match(piece))
            or not re.search(r"[가-힣A-Za-z0-9]", piece)
        ):
            sep = "" if piece[0] in _CLOSERS or not par_has_space_before(par, piece) else " "
            out[-1] = f"{out[-1]}{sep}{piece}"
        else:
            out.append(piece)
    return out


def par_has_space_before(par: str, piece: str) -> bool:
    i = par.find(piece)
    return i > 0 and par[i - 1].isspace()


def segment(paragraphs: tuple[str, ...] | list[str]) -> list[Sentence]:
    """Every body sentence, in order, with its paragraph number."""
    out: list[Sentence] = []
    for p, par in enumerate(paragraphs):
        for text in split_paragraph(par):
            out.append(Sentence(id=len(out), ko=text, paragraph=p))
    return out


def segment_analysed(paragraphs: tuple[str, ...] | list[str], whole: frozenset[int] | set[int] = frozenset()
                     ) -> tuple[list[Sentence], dict[int, list[Token]]]:
    """`segment`, and the morphemes of each sentence by id. A sentence that is whole sentences of Kiwi's
    takes its morphemes from the analysis that found the ends (the same as its own analysis on every
    sample, at half the cost); one cut or joined here is analysed on its own. The paragraphs in `whole`
    stay one sentence each (a broadcast sound-bite: one person's words, quoted as one)."""
    out: list[Sentence] = []
    tokens: dict[int, list[Token]] = {}
    for p, par in enumerate(paragraphs):
        if p in whole:
            out.append(Sentence(id=len(out), ko=par, paragraph=p))
            tokens[len(out) - 1] = tokenize(par)
            continue
        found = kiwi().split_into_sents(par, return_tokens=True)
        starts, ends = {s.start for s in found}, {s.end for s in found}
        morphemes = [t for s in found for t in s.tokens]
        pos = 0
        for text in split_paragraph(par, [s.end for s in found]):
            sid = len(out)
            out.append(Sentence(id=sid, ko=text, paragraph=p))
            at = par.find(text, pos)
            end = at + len(text)
            if at >= 0 and at in starts and end in ends:
                tokens[sid] = [Token(t.form, t.tag, t.start - at, t.len) for t in morphemes if at <= t.start < end]
            else:
                tokens[sid] = tokenize(text)
            pos = end if at >= 0 else pos
    return out, tokens
