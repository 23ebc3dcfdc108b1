"""Rendering: a brief as Markdown (for mail clients and GitHub) and as JSON (schema 3, for machines).

A brief opens with its headline, where it comes from (the outlet's English name, the time with its zone, the
section, the original's address) and the summary in English as one short paragraph; the sentences follow one by
one, each English with its Korean set apart as the source, then the key figures, the quotes, who and what the
article names, and the names a glossary could take up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from ..errors import inert
from ..records import Brief, Explained, Figure, Line, Meta, Name, Sentence, SentenceScore, Translated

__all__ = ["to_markdown", "to_json", "to_dict", "explain_text", "key_figures", "key_figure_rows", "gist",
           "source_line", "names_line", "when", "SCHEMA", "GIST_WORDS", "KINDS"]

SCHEMA = 3
GIST_WORDS = 60  # the English paragraph at the top of a brief: its summary sentences up to about this many words
# The kinds of name a brief lists, as its line names them
KINDS = {"person": "People", "organisation": "Organisations", "place": "Places"}

_SCORE_PARTS = ("total", "position", "headline", "centrality", "length", "figures", "quote", "penalty", "redundancy")


def _score(sc: SentenceScore | None) -> dict[str, Any] | None:
    """A summary sentence's score and its parts (rounded), and the order in which it was chosen."""
    if sc is None:
        return None
    out: dict[str, Any] = {k: round(getattr(sc, k), 4) + 0.0 for k in _SCORE_PARTS}  # + 0.0: no -0.0
    out["rank"] = sc.rank
    return out


def to_dict(b: Brief) -> dict[str, Any]:
    by_id = {s.id: s for s in b.sentences}
    scores = {sc.id: sc for sc in b.scores}
    key = {id(f) for f in key_figures(b.figures)}
    return {
        "schema": SCHEMA,
        "source": {"path": b.source.path, "sha256": b.source.sha256, "encoding": b.source.encoding},
        "title": {"ko": b.article.title, "en": b.title.en, "flags": list(b.title.flags), "notes": list(b.title.notes),
                  "from": "headline" if b.article.title else "summary"},
        "meta": {"outlet": b.article.meta.outlet, "outlet_en": b.article.meta.outlet_en,
                 "author": b.article.meta.author, "published": b.article.meta.published,
                 "zone_assumed": b.article.meta.zone_assumed, "url": b.article.meta.url,
                 "section": b.article.meta.section, "section_en": b.article.meta.section_en},
        "gist": gist(b),
        "deck": list(b.article.deck),
        "sentences": [{"id": s.id, "ko": s.ko} for s in b.sentences],
        "summary": [
            {"id": i, "ko": by_id[i].ko, "en": t.en, "flags": list(t.flags), "notes": list(t.notes),
             "score": _score(scores.get(i))}
            for i, t in b.summary
        ],
        "figures": [
            {"text": f.text, "value": f.value, "unit": f.unit, "en": f.en, "sentence": f.sentence,
             "kind": f.kind, "qualifier": f.qualifier, "key": id(f) in key}
            for f in b.figures
        ],
        "quotes": [
            {"ko": q.ko, "en": t.en, "speaker": q.speaker, "speaker_title": q.speaker_title,
             "speaker_en": sp.en if sp else None, "sentence": q.sentence, "flags": list(t.flags),
             "notes": list(t.notes), "speaker_flags": list(sp.flags) if sp else []}
            for q, t, sp in b.quotes
        ],
        "names": [{"ko": n.ko, "en": n.en, "kind": n.kind, "romanised": n.romanised, "count": n.count}
                  for n in b.names],
        "warnings": list(b.warnings),
        # every line of the page that is not in the body, and every part cut from a body line, with why
        "removed": [{"line": x.no, "text": x.text, "class": x.kind, "rule": x.rule} for x in b.article.removed],
        "model": {"id": b.model.id, "revision": b.model.revision, "settings": b.model.settings,
                  "backend": b.model.backend, "compute_type": b.model.compute_type},
        "tool": {"version": b.tool_version},
    }


def to_json(b: Brief) -> str:
    return json.dumps(to_dict(b), ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _context(sentence: str, f: Figure, width: int = 18) -> str:
    a, b = max(0, f.start - width), min(len(sentence), f.end + width)
    return ("…" if a else "") + sentence[a:b].strip() + ("…" if b < len(sentence) else "")


def _mark(t: Translated, speaker: Translated | None = None) -> str | None:
    """The one mark a flagged item carries: the note of each of its flags, saying which flag it is (a quote's
    mark holds its speaker's too). Notes that go with no flag (a retranslation that put things right) stay in
    the JSON."""
    notes = _flag_notes(t)
    if speaker is not None:
        notes += [f"speaker {n}" for n in _flag_notes(speaker)]
    if not notes:
        return None
    return "⚠️ " + " · ".join(notes)


def _flag_notes(t: Translated) -> list[str]:
    return [n for n in t.notes if any(n.startswith(f"{f}:") for f in t.flags)]


# Kinds of figure that say where or in which order (제2, 4차, 17라운드, 첫), not how much
_NOT_KEY = {"ordinal", "date", "time"}


def key_figures(figures: Iterable[Figure]) -> list[Figure]:
    """The figures of the Key figures table: amounts, counts, measures, ranks, ranges and scores,
    and anything the guard holds the English to; once per text and sentence."""
    out: list[Figure] = []
    seen: set[tuple[str, int]] = set()
    for f in figures:
        if not (f.value is not None and f.kind not in _NOT_KEY or f.kind in ("range", "score", "rank") or f.required):
            continue
        if (f.text, f.sentence) in seen:
            continue
        seen.add((f.text, f.sentence))
        out.append(f)
    return out


def key_figure_rows(figures: Iterable[Figure], sentences: Iterable[Sentence]) -> list[tuple[str, str, str]]:
    """(Korean, English, context) of each row of the Key figures table."""
    by_id = {s.id: s for s in sentences}
    return [(f.text, f.en, _context(by_id[f.sentence].ko, f) if f.sentence in by_id else "") for f in key_figures(figures)]


def gist(b: Brief, words: int = GIST_WORDS) -> str:
    """The summary in English as one short paragraph: its sentences in order, as many as fit in about `words`
    words (the first always)."""
    out: list[str] = []
    n = 0
    for _, t in b.summary:
        w = len(t.en.split())
        if out and n + w > words:
            break
        if t.en.strip():
            out.append(t.en.strip())
            n += w
    return " ".join(out)


def when(meta: Meta) -> str | None:
    """The publication time as a reader wants it: `2024-05-23 11:52 +09:00`, saying so where the zone is
    assumed (the page gives none: Korea's time)."""
    if not meta.published:
        return None
    m = re.match(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?(?:\.\d+)?([+-]\d{2}:\d{2})?$", meta.published)
    if not m:
        return meta.published
    day, clock, zone = m.groups()
    text = f"{day} {clock}" + (f" {zone}" if zone else "")
    if meta.zone_assumed:
        text += " (Korea time: the page gives no zone)"
    return text


def source_line(meta: Meta, path: str) -> str:
    """Where an article comes from, in one Markdown line: the outlet (English and Korean), the author, the time
    with its zone, the section, the original's address and the input file."""
    parts = []
    if meta.outlet:
        parts.append(inert(f"**{meta.outlet_en}** ({meta.outlet})" if meta.outlet_en and meta.outlet_en != meta.outlet
                           else f"**{meta.outlet}**"))
    if meta.author:
        parts.append(inert(meta.author))
    if t := when(meta):
        parts.append(t)
    if meta.section:
        parts.append(inert(f"{meta.section_en} ({meta.section})" if meta.section_en and meta.section_en != meta.section
                           else meta.section))
    if meta.url:
        parts.append(f"[original article]({meta.url})")
    parts.append(f"`{path}`")
    return " · ".join(parts)


def names_line(names: Iterable[Name], per_kind: int = 8) -> str | None:
    """`**People:** Rhee Chang-yong (이창용) · **Organisations:** … · **Places:** …`; a romanised name (not in
    the glossary) in italics."""
    groups: dict[str, dict[str, list[str]]] = {k: {} for k in KINDS}  # kind -> English -> its Korean forms
    for n in names:
        if n.kind in groups and (n.en in groups[n.kind] or len(groups[n.kind]) < per_kind):
            en = f"_{n.en}_" if n.romanised else n.en
            groups[n.kind].setdefault(en, []).append(n.ko)  # 서울 and 서울시: Seoul once
    parts = [f"**{KINDS[k]}:** " + ", ".join(f"{en} ({', '.join(ko)})" for en, ko in v.items())
             for k, v in groups.items() if v]
    return inert(" · ".join(parts)) if parts else None


def to_markdown(b: Brief) -> str:
    meta = b.article.meta
    if b.article.title:
        lines = [f"# {inert(b.title.en or b.title.ko)}", "", f"**{inert(b.title.ko)}**", ""]
        if mark := _mark(b.title):
            lines += [mark, ""]
    else:
        lines = [f"# {inert(b.title.en) or '(no headline)'}", "", "_The page has no headline: the first summary sentence stands in._", ""]
    lines += [source_line(meta, b.source.path), ""]
    if text := gist(b):
        lines += [f"**In brief:** {inert(text)}", ""]
    if b.warnings:
        lines += ["> **Check before you trust:**"]
        lines += [f"> - {inert(w)}" for w in b.warnings]
        lines += [""]
    if who := names_line(b.names):
        lines += [who, ""]
    lines += ["## Sentence by sentence", ""]
    by_id = {s.id: s for s in b.sentences}
    for n, (i, t) in enumerate(b.summary, 1):
        lines.append(f"{n}. {inert(t.en)}" + ("  " if _mark(t) else ""))
        if _mark(t):
            lines.append(f"   {_mark(t)}")
        lines.append(f"   > {inert(by_id[i].ko)}")
        lines.append("")
    rows = key_figure_rows(b.figures, b.sentences)
    if rows:
        lines += ["## Key figures", "", "| Korean | English | Context |", "|---|---|---|"]
        lines += [f"| {inert(_cell(ko))} | {inert(_cell(en))} | {inert(_cell(ctx))} |" for ko, en, ctx in rows]
        lines.append("")
    if b.quotes:
        lines += ["## Quotes", ""]
        for q, t, sp in b.quotes:
            who_ko = ", ".join(x for x in (q.speaker, q.speaker_title) if x) or "화자 미상"
            who_en = (sp.en if sp else None) or q.speaker or q.speaker_title or "unnamed speaker"
            lines.append(f"> “{inert(t.en)}”  ")
            if _mark(t, sp):
                lines.append(f"> {_mark(t, sp)}  ")
            lines.append(f"> — {inert(who_en)} ({inert(who_ko)})")
            lines.append(">")
            lines.append(f"> “{inert(q.ko)}”")
            lines.append("")
    romanised = [n for n in b.names if n.romanised and n.kind in KINDS]
    if romanised:
        lines += ["## Names not in the glossary", "",
                  "Romanised (Revised Romanization); to keep a name as it should read, add its line to the glossary:",
                  "", "```tsv"]
        lines += [f"{n.ko}\t{n.en}" for n in romanised]
        lines += ["```", ""]
    m = b.model
    rev = f" @ {m.revision[:12]}" if m.revision else ""
    g = m.settings
    settings = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in g.items())
    lines += [
        "---",
        f"<sub>Translated by {m.id}{rev} ({m.backend}{', ' + m.compute_type if m.compute_type else ''}; {settings}) · "
        f"summarize {b.tool_version} · "
        f"source sha256 {b.source.sha256[:12]} · {b.source.encoding}</sub>",
        "",
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def explain_text(ex: Explained, width: int | None = 100, only: tuple[str, ...] = ()) -> str:
    """How cleaning read a page (an Explained), line by line: number, class, text, rule.
    `width` shortens each line's text to fit (None: whole lines); `only` keeps these classes."""
    out = [f"{ex.path}" + (f"  ({ex.source.kind}, {ex.source.encoding})" if ex.source else "")]
    if ex.article is not None:
        a = ex.article
        out.append(f"headline: {a.title}" if a.title else "headline: none (the page has no headline line)")
        m = a.meta
        facts = [f"{k} {v}" for k, v in (("outlet", m.outlet), ("author", m.author), ("published", m.published),
                                         ("section", m.section), ("url", m.url)) if v]
        if facts:
            out.append(" · ".join(facts))
    else:
        out.append(f"rejected: {ex.reason}")
    out.append("")
    cuts: dict[int, list[Line]] = {}
    for c in ex.cuts:
        cuts.setdefault(c.no, []).append(c)
    text_width = max(20, width - 40) if width else None

    def shorten(t: str) -> str:
        return t if text_width is None or len(t) <= text_width else t[:text_width - 1] + "…"

    for x in ex.lines:
        if only and x.kind not in only and not any(c.kind in only for c in cuts.get(x.no, [])):
            continue
        rule = "" if x.kind == "body" else f"  ← {x.rule}"
        out.append(f"{x.no:5}  {x.kind:<10} {shorten(x.text)}{rule}")
        for c in cuts.get(x.no, []):
            out.append(f"{'':5}  {'└ ' + c.kind:<10} {shorten(c.text)}  ← {c.rule}")
    counts: dict[str, int] = {}
    for x in list(ex.lines) + list(ex.cuts):
        counts[x.kind] = counts.get(x.kind, 0) + 1
    kept = counts.pop("body", 0)
    counts.pop("headline", None)
    removed = ", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    paragraphs = f" in {len(ex.article.paragraphs)} paragraphs" if ex.article is not None else ""
    out += ["", f"{len(ex.lines)} lines: {kept} body{paragraphs}; removed: {removed or 'nothing'}"]
    return "\n".join(out) + "\n"
