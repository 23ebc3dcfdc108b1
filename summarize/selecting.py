"""Selecting: the key sentences for an abridged summary, chosen in Korean, kept in article order.

A sentence scores for standing at the lead, for being central (sharing vocabulary
with the rest of the article), and for carrying figures and quotes. The best are
taken until the length budget is spent. Deterministic: ties go to the earlier sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .types import Sentence

__all__ = ["SentenceScore", "score_sentences", "select"]

_WORD = re.compile(r"[가-힣]{2,}|[A-Za-z]{2,}|\d+")


@dataclass(frozen=True)
class SentenceScore:
    id: int
    position: float
    centrality: float
    figures: float
    quote: float

    @property
    def total(self) -> float:
        return self.position + self.centrality + self.figures + self.quote


def _bigrams(text: str) -> Counter:
    grams: Counter = Counter()
    for w in _WORD.findall(text):
        if len(w) >= 2 and not w.isdigit():
            grams.update(w[i:i + 2] for i in range(len(w) - 1))
    return grams


def _cosine_to_rest(g: Counter, whole: Counter, whole_sq: int) -> float:
    """The cosine of a sentence's bigrams `g` and the rest of the article's (whole - g), summed over
    the sentence's own bigrams only (`whole` holds every count of g; `whole_sq` is its squared norm)."""
    if not g:
        return 0.0
    dot = sum(v * (whole[k] - v) for k, v in g.items())
    rest_sq = whole_sq - sum(whole[k] ** 2 - (whole[k] - v) ** 2 for k, v in g.items())
    na = math.sqrt(sum(v * v for v in g.values()))
    nb = math.sqrt(rest_sq)
    return dot / (na * nb) if na and nb else 0.0


def score_sentences(
    sentences: list[Sentence], figure_counts: dict[int, int], quoted: set[int]
) -> list[SentenceScore]:
    """A score per sentence, from its position, centrality, figures and quotes."""
    grams = [_bigrams(s.ko) for s in sentences]
    whole: Counter = Counter()
    for g in grams:
        whole.update(g)
    first_of_paragraph = set()
    seen = set()
    for s in sentences:
        if s.paragraph not in seen:
            first_of_paragraph.add(s.id)
            seen.add(s.paragraph)
    whole_sq = sum(v * v for v in whole.values())
    scores = []
    for s, g in zip(sentences, grams, strict=True):
        position = 2.0 if s.id == 0 else 0.8 if s.id == 1 else 0.3 if s.id in first_of_paragraph else 0.0
        centrality = 2.0 * _cosine_to_rest(g, whole, whole_sq)
        figures = 0.6 * min(figure_counts.get(s.id, 0), 3)
        quote = 1.0 if s.id in quoted else 0.0
        if len(s.ko) < 15:
            centrality -= 1.0
        scores.append(SentenceScore(s.id, position, centrality, figures, quote))
    return scores


def select(
    sentences: list[Sentence],
    figure_counts: dict[int, int],
    quoted: set[int],
    max_sentences: int = 6,
    max_chars: int = 600,
) -> list[int]:
    """Ids of the summary sentences, in article order."""
    if not sentences:
        return []
    scores = score_sentences(sentences, figure_counts, quoted)
    ranked = sorted(scores, key=lambda sc: (-round(sc.total, 9), sc.id))
    by_id = {s.id: s for s in sentences}
    chosen: list[int] = []
    used = 0
    for sc in ranked:
        if len(chosen) >= max_sentences:
            break
        n = len(by_id[sc.id].ko)
        if chosen and used + n > max_chars:
            continue
        chosen.append(sc.id)
        used += n
    return sorted(chosen)
