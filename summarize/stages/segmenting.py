"""Segmenting: body paragraphs into sentences, with Kiwi, and the fixes Korean news needs.

Kiwi finds the sentence ends; this module then keeps together what must stay whole
(a quote of several sentences, a decimal, a dotted date, a URL, an e-mail, a bracket),
joins a piece that starts with a particle after a closing quote (‘대공방’ | 은 …) to the
one before, and splits after a sentence end that Kiwi missed because an apostrophe
year ('15년) looked like an opening quote.
"""

from __future__ import annotations

import bisect
import re

from ..records import Sentence
from ._kiwi import Token, kiwi, tokenize

__all__ = ["segment", "segment_analysed", "split_paragraph", "quote_spans", "warm"]

_APOS_YEAR = re.compile(r"['‘’`]\d{2}(?:년|\b)")
_PROTECT = re.compile(
    # each alternative starts only where its run starts, and never gives back what it took: linear time
    r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+|(?<![\d.])\d++(?:\.\d++)+\.?|"
    r"(?<![A-Za-z.])[A-Za-z]\.(?:[A-Za-z]\.)+|"
    r"(?<![가-힣])[가-힣]\.[가-힣](?:\.[가-힣])*(?=[가-힣\s])"  # 시.군, 시.도, 읍.면.동: one word
)
_PARTICLE_START = re.compile(
    r"^(?:은|는|이|가|을|를|의|에|에서|에게|와|과|도|로|으로|만|까지|부터|처럼|보다|라고|이라고|고|며|라며|이라며|"
    r"라는|이라는|란|이란|면서|라면서|이라면서|하고|이다|였다|이었다|으로서|로서)(?=\s|[,.!?]|$)"
)
_CLOSERS = "”’\"'」』)]}″′"
_MISSED_END = re.compile(r"(?<=[가-힣][.!?])\s+(?=\S)|(?<=[가-힣][.!?][”’\"'])\s+(?=\S)")
_WORD_CHAR = re.compile(r"[가-힣A-Za-z0-9]")
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
            opened = straight[ch]
            if opened is None:
                if ch == "'" and i > 0 and text[i - 1].isalnum() and not text[i + 1:i + 2].isspace():
                    continue  # an apostrophe inside a word
                straight[ch] = i
            else:
                spans.append((opened, i + 1, ch))
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
    """Spans no sentence end may fall inside, merged and sorted (for a binary search)."""
    spans = sorted([(s, e) for s, e, _ in quote_spans(text)] + [(m.start(), m.end()) for m in _PROTECT.finditer(text)])
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    k = bisect.bisect_left(starts, pos) - 1
    return k >= 0 and spans[k][0] < pos < spans[k][1]


def _spans(par: str, kiwi_ends: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, in order: Kiwi's ends and the ones it missed, none
    inside a quote, a number or an address; a piece that only continues the one before (a particle after
    a closing quote, a closing mark, punctuation) joins it. Linear in the paragraph's length."""
    protected = _protected(par)
    starts = [s for s, _ in protected]
    found = {e for e in kiwi_ends if 0 < e < len(par)}
    found |= {m.start() for m in _MISSED_END.finditer(par)}
    cuts = sorted(c for c in found if not _inside(protected, starts, c))
    out: list[tuple[int, int]] = []
    start = 0
    for c in cuts + [len(par)]:
        a, b = start, c
        while a < b and par[a].isspace():
            a += 1
        while b > a and par[b - 1].isspace():
            b -= 1
        start = c
        if a == b:
            continue
        if out and ((par[out[-1][1] - 1] in _CLOSERS and _PARTICLE_START.match(par, a, b))
                    or (par[a] in _CLOSERS and not _APOS_YEAR.match(par, a, b))
                    or not _WORD_CHAR.search(par, a, b)):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def split_paragraph(par: str, kiwi_ends: list[int] | None = None) -> list[str]:
    """Sentences of one paragraph. `kiwi_ends` are Kiwi's sentence end offsets (computed if None)."""
    if kiwi_ends is None:
        kiwi_ends = [end for _, end, _ in _kiwi_sentences(par)]
    return [par[a:b] for a, b in _spans(par, kiwi_ends)]


# Kiwi's analysis costs more than linear time on a very long text: a long paragraph goes to it in pieces
# cut at sentence ends (else at spaces), each piece analysed on its own.
_CHUNK = 3000
_SAFE_CUT = re.compile(r"(?<=[가-힣][.!?])\s+|(?<=[.!?][”’\"'])\s+")


def _chunks(par: str) -> list[tuple[int, int]]:
    if len(par) <= _CHUNK:
        return [(0, len(par))]
    protected = _protected(par)
    starts = [s for s, _ in protected]
    out, a = [], 0
    while len(par) - a > _CHUNK:
        window = par[a + _CHUNK // 2:a + _CHUNK]
        cut = None
        for m in _SAFE_CUT.finditer(window):
            pos = a + _CHUNK // 2 + m.end()
            if not _inside(protected, starts, pos):
                cut = pos
        if cut is None:
            space = window.rfind(" ")
            cut = a + _CHUNK // 2 + space + 1 if space >= 0 else a + _CHUNK
        out.append((a, cut))
        a = cut
    out.append((a, len(par)))
    return out


def _kiwi_sentences(par: str) -> list[tuple[int, int, list[Token]]]:
    """(start, end, morphemes with offsets in `par`) of each of Kiwi's sentences."""
    out = []
    for a, b in _chunks(par):
        for s in kiwi().split_into_sents(par[a:b], return_tokens=True):
            out.append((a + s.start, a + s.end, [Token(t.form, t.tag, a + t.start, t.len) for t in s.tokens]))
    return out


def warm() -> None:
    """Load Kiwi and let it analyse once (it loads part of its model on the first analysis): about a second."""
    kiwi().split_into_sents("준비.")


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
        found = _kiwi_sentences(par)
        starts, ends = {s for s, _, _ in found}, {e for _, e, _ in found}
        morphemes = [t for _, _, ts in found for t in ts]
        k = 0  # morphemes are in order: one walk over them for the whole paragraph
        for at, end in _spans(par, [e for _, e, _ in found]):
            sid = len(out)
            text = par[at:end]
            out.append(Sentence(id=sid, ko=text, paragraph=p))
            while k < len(morphemes) and morphemes[k].start < at:
                k += 1
            if at in starts and end in ends:
                j = k
                while j < len(morphemes) and morphemes[j].start < end:
                    j += 1
                tokens[sid] = [Token(t.form, t.tag, t.start - at, t.len) for t in morphemes[k:j]]
                k = j
            else:
                tokens[sid] = tokenize(text)
    return out, tokens
