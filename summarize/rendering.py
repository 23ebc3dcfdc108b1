"""Rendering: a brief as Markdown (for mail clients and GitHub) and as JSON (schema 1, for machines)."""

from __future__ import annotations

import json
import re

from .types import Brief, Figure, SentenceScore

__all__ = ["to_markdown", "to_json", "to_dict", "SCHEMA", "FLAG_TEXT"]

SCHEMA = 1

FLAG_TEXT = {
    "figure-restored": "a figure the model dropped or changed was restored from the source",
    "unverified-number": "the English holds a number that its Korean sentence does not",
    "untranslated": "the English still holds Korean text",
}


_SCORE_PARTS = ("total", "position", "headline", "centrality", "length", "figures", "quote", "penalty", "redundancy")


def _score(sc: SentenceScore | None) -> dict | None:
    """A summary sentence's score and its parts (rounded), and the order in which it was chosen."""
    if sc is None:
        return None
    out = {k: round(getattr(sc, k), 4) + 0.0 for k in _SCORE_PARTS}  # + 0.0: no -0.0
    out["rank"] = sc.rank
    return out


def to_dict(b: Brief) -> dict:
    by_id = {s.id: s for s in b.sentences}
    scores = {sc.id: sc for sc in b.scores}
    return {
        "schema": SCHEMA,
        "source": {"path": b.source.path, "sha256": b.source.sha256, "encoding": b.source.encoding},
        "title": {"ko": b.title.ko, "en": b.title.en, "flags": list(b.title.flags)},
        "meta": {"outlet": b.article.meta.outlet, "author": b.article.meta.author,
                 "published": b.article.meta.published},
        "sentences": [{"id": s.id, "ko": s.ko} for s in b.sentences],
        "summary": [
            {"id": i, "ko": by_id[i].ko, "en": t.en, "flags": list(t.flags), "notes": list(t.notes),
             "score": _score(scores.get(i))}
            for i, t in b.summary
        ],
        "figures": [
            {"text": f.text, "value": f.value, "unit": f.unit, "en": f.en, "sentence": f.sentence,
             "kind": f.kind, "qualifier": f.qualifier}
            for f in b.figures
        ],
        "quotes": [
            {"ko": q.ko, "en": t.en, "speaker": q.speaker, "speaker_en": sp.en if sp else None,
             "sentence": q.sentence, "flags": list(t.flags)}
            for q, t, sp in b.quotes
        ],
        "warnings": list(b.warnings),
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


def _flag_marks(flags) -> str:
    return "".join(f" ⚠️ *{f}*" for f in flags)


def to_markdown(b: Brief) -> str:
    meta = b.article.meta
    lines = [f"# {b.title.en or b.title.ko}", "", f"**{b.title.ko}**", ""]
    published = meta.published.replace("T", " ")[:16] if meta.published else None
    source = [x for x in (meta.outlet, meta.author, published) if x]
    source.append(f"`{b.source.path}`")
    lines += [" · ".join(source), ""]
    if b.warnings:
        lines += ["> **Check before you trust:**"]
        lines += [f"> - {w}" for w in b.warnings]
        lines += [""]
    lines += ["## Summary", ""]
    by_id = {s.id: s for s in b.sentences}
    for n, (i, t) in enumerate(b.summary, 1):
        lines.append(f"{n}. {t.en}{_flag_marks(t.flags)}  ")
        lines.append(f"   _Korean:_ {by_id[i].ko}")
        for note in t.notes:
            lines.append(f"   - ⚠️ {note}")
        lines.append("")
    valued = [f for f in b.figures if f.value is not None or f.kind in ("range", "score") or f.required]
    if valued:
        lines += ["## Key figures", "", "| Korean | English | Context |", "|---|---|---|"]
        seen = set()
        for f in valued:
            if (f.text, f.sentence) in seen:
                continue
            seen.add((f.text, f.sentence))
            ctx = _context(by_id[f.sentence].ko, f) if f.sentence in by_id else ""
            lines.append(f"| {_cell(f.text)} | {_cell(f.en)} | {_cell(ctx)} |")
        lines.append("")
    if b.quotes:
        lines += ["## Quotes", ""]
        for q, t, sp in b.quotes:
            who_ko = q.speaker or "화자 미상"
            who_en = (sp.en if sp else None) or ("unnamed speaker" if not q.speaker else q.speaker)
            lines.append(f"> “{t.en}”{_flag_marks(t.flags)}  ")
            lines.append(f"> — {who_en} ({who_ko})")
            lines.append(">")
            lines.append(f"> “{q.ko}”")
            lines.append("")
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
