"""Selecting: the key sentences for an abridged summary, chosen in Korean, kept in article order.

News is written lead first, so a sentence's score starts from where it stands among the article's
content sentences; it rises with how much of the headline it carries, how central it is (its content
morphemes against the rest of the article's) and how much it says; a line that is not content (a
caption, a byline, a notice, a question to the reader, a very short line, a line the page repeats) is
marked down far enough that it is chosen only when nothing else is left. Figures and quotes only break
near ties: they have their own sections in the brief. The weights are fitted by bench/fit_selector.py
(a logistic regression over these features; the penalties are set by hand) and shipped below as a table.

The best sentences are taken one by one (maximal marginal relevance: a sentence loses what it shares
with those already taken) until the length budget is spent. Deterministic: ties go to the earlier sentence.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..records import Sentence, SentenceScore
from ._kiwi import Token, tokenize

__all__ = ["WEIGHTS", "PENALTIES", "Analysis", "analyse", "rank", "select", "content_words", "flags"]

# Fitted by bench/fit_selector.py on ../shared/summaries/scinews-dev.jsonl (its docstring says how; it
# prints this table and the scores it reaches). A weight multiplies a feature of `analyse`, in [0, 1].
WEIGHTS: dict[str, float] = {
    "first": 3.36,  # the first content sentence (the lead bonus: fitted, times the fit's ANCHOR)
    "second": 3.18,  # the second
    "third": 2.31,  # the third
    "decay": 1.43,  # 1 / (1 + position among the content sentences)
    "headline": 1.34,  # the share of the headline's content words that the sentence holds
    "centrality": 1.78,  # the cosine of its content words and the rest of the article's
    "length": 3.52,  # its content words, up to LONG
    "figures": 0.05,  # its valued figures, up to 3 (a tie-breaker, set by hand)
    "quote": -0.05,  # it holds a direct quote (a tie-breaker, set by hand: quotes have their own section)
    "redundancy": 1.5,  # MMR: minus this times its highest cosine with a sentence already chosen
}
# Set by hand: a line that is not content scores below every content sentence (the weights above add up
# to less than 10 for a line that takes no place in the lead), so it is chosen only when nothing else is left.
PENALTIES: dict[str, float] = {
    "fragment": -10.0, "question": -10.0, "notice": -10.0, "short": -10.0, "repeat": -10.0,
}
MAX_TIE_BREAK = 0.1  # the most that figures or quotes may weigh (the lead bonus is 2.4 to 3.4)
LONG = 20
SHORT = 4  # fewer content words than this: a very short line

# Content morphemes by tag, and what their key adds to the form: nouns, roots, numbers and Chinese
# characters as they are; verb and adjective stems with 다 (오르 -> 오르다); foreign words in lower case
_CLASS = {"NNG": "", "NNP": "", "XR": "", "SN": "", "SH": "", "SL": None,
          "VV": "다", "VV-R": "다", "VV-I": "다", "VA": "다", "VA-R": "다", "VA-I": "다"}
_NOT_CONTENT = object()
# Words of every news story: they make no two sentences alike.
_LIGHT = {
    "하", "되", "있", "없", "않", "같", "말", "밝히", "따르", "위하", "대하", "통하", "관하", "지나", "말하", "이르",
    "이날", "당시", "이번", "최근", "현재", "오늘", "올해", "지난해", "내년", "오전", "오후", "기자",
}
_PUNCT = re.compile(r"^S[FPSEOWB]")  # punctuation, brackets, symbols, list marks
_ENDING = re.compile(r"(?:다|요|죠|까|니다|네|자|라)$")
_NOTICE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|무단\s?전재|재배포\s?금지|저작권|ⓒ|©|[Cc]opyright|바로\s?가기|[▶☞※]|"
    r"구독(?:하기|\s?버튼)|(?:기자|프로필)\s?구독|제보(?:를|하기|\s?(?:전화|메일|채널))|(?:독자|기사)\s?제보|"
    r"(?:사진|자료|그래픽|출처|이미지)\s?[=:/]|영상\s?(?:편집|취재)\s?[:：]|(?:제공|캡처)\s*[)\]]?\s*[./]?$|"
    r"(?:^|\s)[가-힣]{2,4}\s?기자(?:\s*$|가\s?(?:보도|취재|전해)|입니다|였습니다)|문의\s?[:：]?\s?\d"
)
# a line that holds none of these is no notice (a quick test before _NOTICE)
_NOTICE_HINTS = ("@", "무단", "재배포", "저작권", "ⓒ", "©", "opyright", "가기", "▶", "☞", "※", "구독", "제보", "사진",
                 "자료", "그래픽", "출처", "이미지", "영상", "제공", "캡처", "기자", "문의")
_QUESTION = re.compile(r"\?[\s\"'”’」』)\]]*$")
_CLOSING_QUOTES = "”\"’'」』"


def content_words(tokens: Sequence[Token]) -> dict[str, int]:
    """The content morphemes of a sentence (nouns, roots, foreign words, numbers; verb and adjective
    stems) with their counts, without the light words every story has: 금리, 동결, 오르다, samsung."""
    out: dict[str, int] = {}
    for form, tag, _, _ in tokens:
        add: Any = _CLASS.get(tag, _NOT_CONTENT)
        if add is not _NOT_CONTENT and form not in _LIGHT:
            key = form.lower() if add is None else form + add
            out[key] = out.get(key, 0) + 1
    return out


def flags(text: str, tokens: Sequence[Token], n_content: int) -> tuple[str, ...]:
    """Why a line is not content: `fragment` (no sentence ending: a caption, a sub-headline, a credit),
    `question` (a question to the reader), `notice` (a byline, a credit, a copyright or subscription line),
    `short` (fewer than SHORT content words). (analyse adds `repeat`: a line that repeats an earlier one.)"""
    out = []
    end = text.rstrip()[-1:]
    quoted_end = bool(end) and end in _CLOSING_QUOTES
    last = next((t for t in reversed(tokens) if not _PUNCT.match(t.tag)), None)
    ends = last is not None and (last.tag == "EF" or last.tag.startswith("E") and bool(_ENDING.search(last.form)))
    if not ends and not quoted_end:
        out.append("fragment")
    if not quoted_end and "?" in text and _QUESTION.search(text):
        out.append("question")
    if any(h in text for h in _NOTICE_HINTS) and _NOTICE.search(text):
        out.append("notice")
    if n_content < SHORT:
        out.append("short")
    return tuple(out)


def _cosine(a: dict[str, int], b: dict[str, int], na: float, nb: float) -> float:
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b) / (na * nb)


@dataclass(frozen=True)
class Analysis:
    """What the scores are made of, per sentence (in article order)."""

    ids: tuple[int, ...]
    chars: tuple[int, ...]
    features: tuple[dict[str, float], ...]  # raw values, before the weights
    flags: tuple[tuple[str, ...], ...]
    words: tuple[dict[str, int], ...]  # content words and their counts, for redundancy
    norms: tuple[float, ...]


def analyse(
    sentences: Sequence[Sentence],
    figure_counts: Mapping[int, int],
    quoted: set[int] | frozenset[int],
    title: str | None = "",
    tokens: Mapping[int, Sequence[Token]] | None = None,
) -> Analysis:
    """The raw features of every sentence: position among content sentences, headline, centrality,
    length, figures, quote, and the non-content flags."""
    toks = [tokens[s.id] if tokens is not None and s.id in tokens else tokenize(s.ko) for s in sentences]
    words = [content_words(t) for t in toks]
    sizes = [sum(w.values()) for w in words]
    marks = [flags(s.ko, t, n) for s, t, n in zip(sentences, toks, sizes, strict=True)]
    seen: set[frozenset[tuple[str, int]]] = set()
    for i, w in enumerate(words):  # a line the page repeats (a caption, a pull quote): the same content words
        key = frozenset(w.items())
        if w and key in seen:
            marks[i] += ("repeat",)
        seen.add(key)
    head = content_words(tokenize(title)).keys() if title and title.strip() else set()
    whole: dict[str, int] = {}
    for w in words:
        for k, v in w.items():
            whole[k] = whole.get(k, 0) + v
    whole_sq = sum(v * v for v in whole.values())
    norms = [math.sqrt(sum(v * v for v in w.values())) for w in words]
    features = []
    position = 0
    for s, w, size, n, m in zip(sentences, words, sizes, norms, marks, strict=True):
        # the cosine of w and the rest of the article (whole - w), over w's own words only
        dot = rest_sq = 0
        for k, v in w.items():
            c = whole[k]
            dot += v * (c - v)
            rest_sq += c * c - (c - v) ** 2
        rest_sq = whole_sq - rest_sq
        features.append({
            "first": float(not m and position == 0),
            "second": float(not m and position == 1),
            "third": float(not m and position == 2),
            "decay": 1.0 / (1 + position),
            "headline": len(head & w.keys()) / len(head) if head else 0.0,
            "centrality": dot / (n * math.sqrt(rest_sq)) if n and rest_sq > 0 else 0.0,
            "length": min(size, LONG) / LONG,
            "figures": min(figure_counts.get(s.id, 0), 3) / 3,
            "quote": float(s.id in quoted),
        })
        if not m:
            position += 1
    return Analysis(
        ids=tuple(s.id for s in sentences), chars=tuple(len(s.ko) for s in sentences),
        features=tuple(features), flags=tuple(marks), words=tuple(words), norms=tuple(norms),
    )


# The parts of a score (SentenceScore's fields) and the features each adds up
_PARTS = (
    ("position", ("first", "second", "third", "decay")),
    ("headline", ("headline",)),
    ("centrality", ("centrality",)),
    ("length", ("length",)),
    ("figures", ("figures",)),
    ("quote", ("quote",)),
)


def rank(
    a: Analysis,
    max_sentences: int = 6,
    max_chars: int = 600,
    weights: Mapping[str, float] | None = None,
    penalties: Mapping[str, float] | None = None,
) -> tuple[SentenceScore, ...]:
    """The summary sentences with their scores, in article order: the best by score, each time less
    what it shares with those already taken, while the budget holds (the first always fits)."""
    w = WEIGHTS if weights is None else weights
    pen = PENALTIES if penalties is None else penalties
    weighted = [(name, [(k, w.get(k, 0.0)) for k in keys]) for name, keys in _PARTS]
    base = []
    totals = []
    for f, m in zip(a.features, a.flags, strict=True):
        parts = {name: sum(v * f[k] for k, v in ws) for name, ws in weighted}
        parts["penalty"] = sum((pen.get(x, 0.0) for x in m), 0.0)
        base.append(parts)
        totals.append(round(sum(parts.values()), 9))
    lam = w.get("redundancy", 0.0)
    redundancy = [0.0] * len(a.ids)
    seen = [0] * len(a.ids)  # how many of the chosen sentences redundancy[i] has been measured against
    # Lazy greedy: a score only falls as sentences are taken, so a stale one is an upper bound, and the
    # sentence on top is taken once its score is brought up to date (the same picks as measuring all).
    heap = [(-t, i) for i, t in enumerate(totals)]
    heapq.heapify(heap)
    chosen: list[int] = []
    used = 0
    while heap and len(chosen) < max_sentences:
        _, i = heapq.heappop(heap)
        if lam and seen[i] < len(chosen):
            for j in chosen[seen[i]:]:
                sim = _cosine(a.words[i], a.words[j], a.norms[i], a.norms[j])
                redundancy[i] = min(redundancy[i], round(-lam * sim, 9))
            seen[i] = len(chosen)
            heapq.heappush(heap, (-round(totals[i] + redundancy[i], 9), i))
            continue
        if chosen and used + a.chars[i] > max_chars:
            continue
        used += a.chars[i]
        chosen.append(i)
    scores = [
        SentenceScore(id=a.ids[i], total=totals[i] + redundancy[i], redundancy=redundancy[i], rank=n, **base[i])
        for n, i in enumerate(chosen, 1)
    ]
    return tuple(sorted(scores, key=lambda sc: sc.id))


def select(
    sentences: Sequence[Sentence],
    figure_counts: Mapping[int, int],
    quoted: set[int] | frozenset[int],
    max_sentences: int = 6,
    max_chars: int = 600,
    title: str | None = "",
    tokens: Mapping[int, Sequence[Token]] | None = None,
) -> tuple[SentenceScore, ...]:
    """The summary sentences, in article order, each with its score and the parts that make it up.
    `tokens`: each sentence's morphemes by id (segmenting.segment_analysed); analysed here where missing."""
    if not sentences:
        return ()
    return rank(analyse(sentences, figure_counts, quoted, title, tokens), max_sentences, max_chars)
