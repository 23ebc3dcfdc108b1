"""One article through the stages: `prepare` (reading to the summary chosen, before the model) and
`compose` (the brief, from the model's English, through the figure guard); `explain` (how reading and
cleaning see a file).

The only module that wires the stages (summarize.stages) together: a stage never imports another, so what
one stage needs of another (the guard, the figure finder's check of an English) is handed over here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import NamedTuple

from .errors import Rejected
from .options import BriefOptions
from .records import (
    Article,
    Brief,
    Explained,
    Figure,
    ModelInfo,
    Prepared,
    Quote,
    QuoteLine,
    Sentence,
    SummaryLine,
    Translated,
    Unit,
)
from .stages import guard as guarding
from .stages.cleaning import clean
from .stages.figures import article_domain, check_english, extract_figures, missing_figures, prerender
from .stages.glossary import find_names, missing_names, names_in, prerender_names, read_tsv
from .stages.provenance import provenance
from .stages.quotes import find_quotes
from .stages.reading import KINDS, find_inputs, found_instead, input_digest, is_input, read_source, sidecar
from .stages.rendering import to_json, to_markdown
from .stages.segmenting import segment_analysed
from .stages.segmenting import warm as warm_kiwi
from .stages.selecting import select
from .version import __version__

__all__ = ["prepare", "explain", "compose", "guard", "render", "Rendered", "retry_texts", "figures_wrong",
           "is_quantity", "article_key", "find_inputs", "found_instead", "KINDS", "warm", "input_digest",
           "glossary", "is_input", "sidecar", "NO_HEADLINE"]

NO_HEADLINE = "the page has no headline: the first summary sentence stands in"


def warm() -> float:
    """Load what preparing an article needs that takes time (Kiwi), in the process that will prepare them; the
    seconds it took (in a process forked from a server that loaded it, the seconds the server took)."""
    t0 = time.perf_counter()
    warm_kiwi()
    took = time.perf_counter() - t0
    # in a worker forked from a server that warmed Kiwi already (summarize._warm), that server's time is the wait
    server = sys.modules.get("summarize._warm")
    return round(max(took, getattr(server, "SECONDS", 0.0)), 3)


def prepare(path: Path, root: Path, options: BriefOptions) -> Prepared:
    """All the stages before translation. Raises Rejected for inputs that are not articles."""
    source = read_source(path, root, options.max_bytes)
    article = clean(source, options.min_hangul)
    article = dataclasses.replace(article, meta=provenance(article.meta, options.outlets))
    article, cut = _bounded(article)
    if cut:
        source = dataclasses.replace(source, warnings=(*source.warnings, cut))
    sentences, tokens = segment_analysed(article.paragraphs, {p for p, _, _ in article.spoken})
    if not sentences:
        raise Rejected("no sentences in the article body")
    domain = article_domain([article.title or ""] + [s.ko for s in sentences])
    figures = [f for s in sentences for f in extract_figures(s.ko, s.id, domain)]
    bites = {p: (who, title) for p, who, title in article.spoken}  # a sound-bite is one sentence: its paragraph's
    quotes = find_quotes(sentences, tokens, {s.id: bites[s.paragraph] for s in sentences if s.paragraph in bites})
    counts: dict[int, int] = {}
    for f in figures:
        if is_quantity(f):
            counts[f.sentence] = counts.get(f.sentence, 0) + 1
    scores = select(sentences, counts, {q.sentence for q in quotes}, options.max_sentences, options.max_chars,
                    title=article.title, tokens=tokens)
    summary = tuple(sc.id for sc in scores)
    names = glossary(options)
    units = _units(article.title, sentences, figures, quotes, summary, domain, names)
    found = find_names(sentences, tokens, quotes, names, article.title)
    return Prepared(source, article, tuple(sentences), tuple(figures), tuple(quotes), summary, units, scores, found)


# The longest body summarised, in characters: some twenty-five long news stories. A longer one (a 5 MB paragraph) is
# summarised from its start, with a warning: every later stage costs time in proportion to it.
MAX_BODY = 50_000


def _bounded(article: Article) -> tuple[Article, str | None]:
    """The article with its body cut to MAX_BODY characters (at a sentence's end where there is one), and the
    warning that says so; or the article as it is, and None."""
    if sum(len(p) for p in article.paragraphs) <= MAX_BODY:
        return article, None
    kept: list[str] = []
    room = MAX_BODY
    for p in article.paragraphs:
        if len(p) > room:
            end = p.rfind(". ", 0, room)
            if end > room // 2:
                kept.append(p[:end + 1])
            break
        kept.append(p)
        room -= len(p)
    total = sum(len(p) for p in article.paragraphs)
    spoken = tuple(x for x in article.spoken if x[0] < len(kept))
    return (dataclasses.replace(article, paragraphs=tuple(kept), spoken=spoken),
            f"the body is {total:,} characters long: summarised from its first {sum(len(p) for p in kept):,}")


def glossary(options: BriefOptions) -> dict[str, str]:
    """The run's glossary: the config's glossary file, then its [glossary] table (which wins where both name
    the same Korean)."""
    out = dict(_glossary_file(options.glossary_file)) if options.glossary_file else {}
    out.update(options.glossary)
    return out


@functools.lru_cache(maxsize=8)
def _glossary_file(path: str) -> dict[str, str]:
    return read_tsv(path)


def explain(path: Path, options: BriefOptions) -> Explained:
    """Read and clean one file, keeping every line's class and rule, rejected or not."""
    path = Path(path)
    try:
        source = read_source(path, path.parent, options.max_bytes)
    except Rejected as e:
        return Explained(path.name, None, None, str(e), tuple(e.lines))
    try:
        article = clean(source, options.min_hangul)
    except Rejected as e:
        return Explained(path.name, source, None, str(e), tuple(e.lines))
    return Explained(path.name, source, article, None, article.lines, article.cuts)


def is_quantity(f: Figure) -> bool:
    """A figure that weighs in choosing summary sentences: an amount, not a rank, an ordinal, an age group
    or a number spelled `한` (a, one)."""
    return f.value is not None and f.kind not in ("ordinal", "rank") and f.unit != "age group" and bool(f.required)


def _who(q: Quote) -> str | None:
    """What the brief translates of who speaks: the name, or the role of someone the article does not name."""
    return q.speaker or q.speaker_title


def _units(title: str | None, sentences: list[Sentence], figures: list[Figure], quotes: list[Quote],
           summary: tuple[int, ...], domain: str | None = None,
           names: Mapping[str, str] | None = None) -> tuple[Unit, ...]:
    """The texts to translate, each with the figures and the glossary's names its English must keep: the title,
    the summary sentences, each quote as its own unit, and the speakers (their names, or the role of a speaker
    the article does not name)."""
    by_id = {s.id: s for s in sentences}
    names = names or {}
    units = [Unit(title, tuple(extract_figures(title, -1, domain)), names_in(title, names))] if title else []
    for i in summary:
        units.append(Unit(by_id[i].ko, tuple(f for f in figures if f.sentence == i), names_in(by_id[i].ko, names)))
    for q in quotes:
        units.append(Unit(q.ko, tuple(extract_figures(q.ko, q.sentence, domain)), names_in(q.ko, names)))
        who = _who(q)
        if who:
            units.append(Unit(who, (), names_in(who, names)))
    return tuple(units)


def guard(ko: str, figures: Sequence[Figure], en: str, retry_en: str | None = None,
          names: Sequence[tuple[str, str]] = ()) -> Translated:
    """The guard (summarize.stages.guard) with the figure finder's check of the English and the glossary's."""
    return guarding.guard(ko, figures, en, retry_en, check_english, names, missing_names)


def figures_wrong(ko: str, en: str) -> bool:
    """Whether an English loses or changes a figure of its Korean, or holds a number the Korean does not (the
    figure guard's test, for the canary)."""
    return any(check_english(ko, extract_figures(ko), en))


def _retry_text(u: Unit) -> str:
    """A unit's Korean with its figures and the glossary's names written out, for the model's second try."""
    return prerender_names(prerender(u.ko, u.figures), u.names)


def _whole_name(u: Unit) -> bool:
    """A unit that is a name of the glossary and nothing else: its English is the glossary's."""
    return any(u.ko.strip() == ko for ko, _ in u.names)


def retry_texts(units: tuple[Unit, ...], first: dict[str, str]) -> list[str]:
    """The pre-rendered sources of the units whose first English lost a figure or a name of the glossary."""
    return [_retry_text(u) for u in units
            if u.ko in first and not _whole_name(u)
            and ((u.figures and missing_figures(u.figures, first[u.ko])) or missing_names(u.names, first[u.ko]))]


def compose(p: Prepared, first: dict[str, str], retry: dict[str, str], model: ModelInfo, note: str | None = None) -> Brief:
    """The brief of one article from its translations (`first`) and its figure-guard retranslations (`retry`)."""
    units = {u.ko: u for u in p.units}

    def tr(ko: str) -> Translated:
        u = units.get(ko, Unit(ko, ()))
        retry_en = retry.get(_retry_text(u)) if u.figures or u.names else None
        return guard(ko, u.figures, first.get(ko, ""), retry_en, u.names)

    by_id = {s.id: s for s in p.sentences}
    summary = tuple(SummaryLine(i, tr(by_id[i].ko)) for i in p.summary)
    if p.article.title:
        title = tr(p.article.title)
    else:  # no headline on the page: the first summary sentence's English stands in, and says so
        title = Translated(ko="", en=summary[0].text.en if summary else "", notes=(NO_HEADLINE,))
    quotes = tuple(QuoteLine(q, tr(q.ko), tr(who) if (who := _who(q)) else None) for q in p.quotes)
    warnings: list[str] = list(p.source.warnings)
    counted = guarding.flag_count(title, summary, quotes)
    if counted:
        warnings.append(counted)
    if note:
        warnings.append(f"model licence: {note}")
    return Brief(
        source=p.source, article=p.article, sentences=p.sentences, summary=summary, figures=p.figures,
        quotes=quotes, title=title, warnings=tuple(warnings), model=model, tool_version=__version__,
        scores=p.scores, names=p.names,
    )


class Rendered(NamedTuple):
    """A brief as its two files: JSON (for machines) and Markdown (for people)."""

    json: str
    markdown: str


def render(brief: Brief) -> Rendered:
    return Rendered(to_json(brief), to_markdown(brief))


def article_key(sha256: str, fingerprint: str, options: BriefOptions) -> str:
    """What a brief depends on: the input's bytes, the model, and every setting that changes the brief. An
    input whose key has not changed since its brief was written is not redone."""
    relevant = {
        "model": fingerprint,
        "generation": asdict(options.generation),
        "backend": [options.backend, options.compute_type],
        "max_sentences": options.max_sentences,
        "max_chars": options.max_chars,
        "min_hangul": options.min_hangul,
        "glossary": sorted(glossary(options).items()),
        "outlets": sorted(options.outlets.items()),
        "tool": __version__,
    }
    blob = json.dumps([sha256, relevant], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()
