"""The guard: the model's English checked against the figures and the glossary's names of its Korean, and
flagged.

The check of the figures (which figures an English lost, which of its numbers the Korean does not hold) is the
figure finder's (`figures.check_english`), and the check of the names the glossary's (`glossary.missing_names`);
summarize.article hands both in, as a stage never imports another stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..records import Figure, QuoteLine, SummaryLine, Translated
from ._text import HANGUL

__all__ = ["guard", "flag_count", "FigureCheck", "NameCheck", "FLAGS"]

# (Korean, its figures, English) -> (the figures the English lost, the English numbers the Korean does not hold)
FigureCheck = Callable[[str, Sequence[Figure], str], tuple[list[Figure], list[str]]]
# (the glossary's (Korean, English) names of a Korean, English) -> the names whose English the English lacks
NameCheck = Callable[[Sequence[tuple[str, str]], str], list[tuple[str, str]]]

# Every flag, and what it means in a few words
FLAGS = {
    "figure-restored": "the model dropped or changed a figure; it is restored from the source",
    "name-restored": "the model's English lacks a name of the glossary; it is restored from the glossary",
    "unverified-number": "the English holds a number that its Korean does not",
    "untranslated": "the English still holds Korean text",
}


def guard(ko: str, figures: Sequence[Figure], en: str, retry_en: str | None, check: FigureCheck,
          names: Sequence[tuple[str, str]] = (), check_names: NameCheck | None = None) -> Translated:
    """Check the model's English against the figures and the glossary's names of its Korean.

    A figure or a name the first English lost is looked for in `retry_en` (the translation of the
    sentence with its figures and names pre-rendered); a figure still missing is appended as
    `[26만㎡ = 260,000 m²]` and flagged `figure-restored`, a name as `[이창용 = Rhee Chang-yong]` and flagged
    `name-restored`. A number that no figure of the Korean holds flags `unverified-number`; Hangul left in
    the English flags `untranslated`. Each flag has one note that says what it is about (`unverified-number:
    $19 billion is not in the source`); numbers are written as the English has them. A text that is a name
    of the glossary and nothing else (a speaker) is the glossary's English.
    """
    for name_ko, name_en in names:
        if ko.strip() == name_ko:
            return Translated(ko=ko, en=name_en)
    lost = check_names or (lambda _names, _en: [])
    missing, extra = check(ko, figures, en)
    gone = lost(names, en) if names else []
    notes: list[str] = []
    if (missing or gone) and retry_en is not None:
        missing2, extra2 = check(ko, figures, retry_en)
        gone2 = lost(names, retry_en) if names else []
        if _badness(missing2, extra2, retry_en) + len(gone2) < _badness(missing, extra, en) + len(gone):
            en, missing, extra, gone = retry_en, missing2, extra2, gone2
            notes.append("retranslated with the " + ("figures and names" if figures and names else
                                                     "names" if names and not figures else "figures") + " written out")
    flags: list[str] = []
    if extra:
        flags.append("unverified-number")
        verb = "are" if len(extra) > 1 else "is"
        notes.append(f"unverified-number: {_and(extra)} {verb} not in the source")
    if HANGUL.search(en):
        flags.append("untranslated")
        notes.append("untranslated: the English still holds Korean text")
    if missing:
        flags.append("figure-restored")
        restored = " ".join(f"[{f.text} = {f.en}]" for f in missing)
        notes.append(f"figure-restored: the model dropped or changed {_and([f.text for f in missing])}; "
                     "restored from the source")
        en = f"{en} {restored}".strip()
    if gone:
        flags.append("name-restored")
        notes.append(f"name-restored: the model's English lacks {_and([e for _, e in gone])}; restored from the "
                     "glossary")
        en = f"{en} " + " ".join(f"[{k} = {e}]" for k, e in gone)
    return Translated(ko=ko, en=en, flags=tuple(flags), notes=tuple(notes))


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _badness(missing: Sequence[Figure], extra: Sequence[str], en: str) -> int:
    """How much is wrong with an English rendering: lost figures, invented numbers, Korean left over."""
    return len(missing) + len(extra) + (3 if HANGUL.search(en) else 0)


def flag_count(title: Translated, summary: Sequence[SummaryLine], quotes: Sequence[QuoteLine]) -> str | None:
    """The one line at the top of a brief that counts its flagged items; each item carries its own mark."""
    parts = []
    if title.flags:
        parts.append("the headline")
    flagged = sum(1 for _, t in summary if t.flags)
    if flagged:
        parts.append(f"{flagged} of {len(summary)} summary sentence{'s' if len(summary) > 1 else ''}")
    quoted = sum(1 for _, t, sp in quotes if t.flags or (sp is not None and sp.flags))
    if quoted:
        parts.append(f"{quoted} of {len(quotes)} quote{'s' if len(quotes) > 1 else ''}")
    if not parts:
        return None
    n = (1 if title.flags else 0) + flagged + quoted
    return f"{_and(parts)} {'is' if n == 1 else 'are'} flagged: see the ⚠️ marks below"
