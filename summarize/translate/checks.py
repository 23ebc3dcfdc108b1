"""Checks of a loaded model, before any article is translated: the vocabulary check (does it read Korean at
all?) and the canary (does its English keep plain figures?)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from ..errors import VocabularyMismatch
from .base import Translator
from .batching import translate_texts
from .cache import TranslationCache

__all__ = ["VOCABULARY_TEXT", "CANARY", "CANARY_FAILURES", "check_vocabulary", "canary", "repetitive"]

log = logging.getLogger(__name__)

# A news-like Korean text (figures, names, an agency, a quote) that any Korean-to-English vocabulary covers
VOCABULARY_TEXT = (
    "서울시는 3일 내년 예산을 48조 7천억 원으로 확정했다고 밝혔다. "
    "김민준 시의회 의장은 \"청년 주거 지원에 2,300억 원을 더 배정했다\"고 말했다. "
    "한국은행은 기준금리를 연 3.25%로 유지했으며, 소비자물가 상승률은 지난달 2.1%를 기록했다. "
    "부산항의 컨테이너 물동량은 전년보다 5.4% 늘어난 2천3백만 TEU였다. "
    "이번 대책으로 수도권 아파트 1만 2천 가구가 새로 공급될 예정이다. "
    "정부는 반도체 수출이 11개월 연속 증가했다고 설명했다."
)


def check_vocabulary(translator: Translator, max_unknown: float, texts: Iterable[str] = (VOCABULARY_TEXT,),
                     what: str = "a Korean test text") -> float | None:
    """The share of the texts' source pieces that the model's vocabulary lacks (None where the model cannot
    tell). Above `max_unknown` the model cannot read Korean (a vocabulary that lost its Hangul pieces, as a
    port of a model with separate vocabularies may have): VocabularyMismatch, in one line."""
    try:
        unknown, total = translator.unknown_pieces([t for t in texts if t and t.strip()])
    except Exception as e:  # a tokenizer this check does not understand: no reason to stop the run
        log.warning("could not check the vocabulary of %s: %s: %s", translator.info.id, type(e).__name__, e)
        return None
    if not total:
        return None
    share = unknown / total
    if share > max_unknown:
        raise VocabularyMismatch(
            f"model {translator.info.id} does not know {share:.1%} of the pieces of {what} ({unknown} of {total}; "
            f"the limit is {max_unknown:.1%}): its vocabulary cannot read Korean. Choose another model "
            "(`summarize models`), or raise --max-unknown"
        )
    return share


# Korean sentences with plain figures that any working model renders (checked against the figure guard)
CANARY = (
    "서울시는 올해 공원 12곳을 새로 만들고 나무 3,400그루를 심는다.",
    "한국은행은 기준금리를 연 3.5%로 동결했다.",
    "이 회사의 지난해 매출은 2조 원으로 집계됐다.",
    "경기는 관중 4만 5천 명이 지켜보는 가운데 열렸다.",
)
CANARY_FAILURES = 2  # this many wrong canary sentences make the warning: one may be a slip of a good model

_HANGUL_RUN = re.compile(r"[가-힣]{2,}")
_WORD = re.compile(r"\w+|[^\w\s]")
_LOOP = re.compile(r"(.{2,}?)\1{3,}", re.S)


def repetitive(en: str) -> bool:
    """Mostly the same token over and over ("the the the", "connectconnectconnect")."""
    tokens = _WORD.findall(en)
    if len(tokens) >= 6 and max(tokens.count(t) for t in set(tokens)) > len(tokens) / 2:
        return True
    looped = sum(len(m.group(0)) for m in _LOOP.finditer(en))
    return len(en) >= 12 and looped > len(en) / 2


def canary(translator: Translator, figures_wrong: Callable[[str, str], bool], cache: TranslationCache | None = None,
           batch_size: int = 32, max_batch_tokens: int = 4096) -> str | None:
    """Translate the CANARY sentences (one batch, or none where the cache has them) and say what is wrong,
    or None: a model whose English loses the figures (`figures_wrong(ko, en)`, the figure guard), repeats
    itself, copies the Korean or says nothing is probably broken (random weights, a broken vocabulary)."""
    try:
        out = translate_texts(translator, CANARY, cache, batch_size, max_batch_tokens)
    except Exception as e:
        log.debug("the canary failed", exc_info=True)
        return f"the model may be broken: it could not translate the test sentences ({type(e).__name__}: {e})"
    problems: dict[str, int] = {}
    wrong = 0
    for ko in CANARY:
        en = out.get(ko, "")
        found = [name for name, bad in (
            ("no English", not en.strip()),
            ("figures lost or changed", bool(en.strip()) and figures_wrong(ko, en)),
            ("the same words over and over", repetitive(en)),
            ("Korean copied", bool(_HANGUL_RUN.search(en))),
        ) if bad]
        wrong += bool(found)
        for name in found:
            problems[name] = problems.get(name, 0) + 1
    if wrong < CANARY_FAILURES:
        return None
    details = ", ".join(f"{name} in {n}" for name, n in problems.items())
    return (f"the model may be broken: {wrong} of {len(CANARY)} test sentences came back wrong ({details}); "
            "check its English before trusting these briefs")
