"""What a run reports: run.json (one entry per input, the totals, the model) and the digest (one page with
every new or changed brief, and what was rejected or failed)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import inert
from .records import STATUSES, Entry, Status
from .version import __version__

__all__ = ["RunReport", "build_digest", "digest_item", "digest_markdown", "write_digest", "story_markdown",
           "digest_head", "digest_tail", "link", "SAME_STORY", "DIGEST_SCHEMA", "DIGESTS", "run_digest_name",
           "kept_digests"]


@dataclass
class RunReport:
    """A run as it goes: its entries, the model it used, when it started and finished (run.json)."""

    input_dir: str
    out_dir: str
    entries: list[Entry]
    model: dict[str, Any] | None
    started: float
    finished: float = 0.0
    model_error: str | None = None
    model_warning: str | None = None  # what the canary found wrong with the model's English
    error: str | None = None  # what stopped the run part-way (the output folder could not be written)

    def counts(self) -> dict[Status, int]:
        out: dict[Status, int] = {s: 0 for s in STATUSES}
        for e in self.entries:
            out[e.status] += 1
        return out

    @property
    def ok(self) -> bool:
        return self.counts()["failed"] == 0 and self.model_error is None and self.error is None

    def summary_line(self) -> str:
        c = self.counts()
        return (f"{c['written']} briefed, {c['unchanged']} unchanged, {c['rejected']} rejected, "
                f"{c['failed']} failed in {self.finished - self.started:.1f} s")

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "tool": {"version": __version__},
            "input": self.input_dir,
            "out": self.out_dir,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.started)),
            "duration_s": round(self.finished - self.started, 3),
            "model": self.model,
            "model_error": self.model_error,
            "model_warning": self.model_warning,
            "error": self.error,
            "totals": self.counts(),
            "articles": [asdict(e) for e in self.entries],
        }


# --------------------------------------------------------------------------- the digest

DIGEST_SCHEMA = 2
SAME_STORY = 0.5  # estimated Jaccard similarity of two articles' shingles above which they are one story
_PERM = 64  # MinHash permutations
_SHINGLE = 4  # characters to a shingle (spaces and punctuation left out)
OTHER_SECTION = "Other"
DIGEST_WORDS = 50  # a story's English paragraph in the digest: its first summary sentences, up to about this


def _signature(data: dict[str, Any]) -> list[int]:
    """The MinHash signature (datasketch) of an article's character shingles: its headline and body in Korean,
    without spaces or punctuation. Two copies of one story, edited or re-filed by another outlet, share most of
    their shingles."""
    from datasketch import MinHash

    text = "".join([data["title"].get("ko") or ""] + [s["ko"] for s in data.get("sentences", [])])
    text = "".join(ch for ch in text if ch.isalnum())
    m = MinHash(num_perm=_PERM, seed=1, scheme="affine32")
    m.update_batch([text[i:i + _SHINGLE].encode("utf-8") for i in range(max(1, len(text) - _SHINGLE + 1))])
    return [int(v) for v in m.hashvalues]


def _short(summary: list[dict[str, Any]], words: int = DIGEST_WORDS) -> str:
    """The digest's paragraph of a brief: its first summary sentences in English, up to about `words` words."""
    out: list[str] = []
    n = 0
    for s in summary:
        w = len(s["en"].split())
        if out and n + w > words:
            break
        out.append(s["en"].strip())
        n += w
    return " ".join(x for x in out if x)


def digest_item(data: dict[str, Any]) -> dict[str, Any]:
    """What the digest shows of one brief, from its JSON (and, for grouping, its signature: not written out)."""
    summary = data["summary"]
    return {
        "title": data["title"],
        "meta": data["meta"],
        "gist": _short(summary),
        "first": {"en": summary[0]["en"], "ko": summary[0]["ko"]} if summary else None,
        "figures": len(data["figures"]),
        "quotes": len(data["quotes"]),
        "flagged": sum(1 for s in summary if s["flags"]) + (1 if data["title"].get("flags") else 0),
        "length": len(data.get("sentences", [])),
        "signature": _signature(data),
    }


def link(name: str, base_url: str | None) -> str:
    """Where a reader finds a brief: base_url + its file name where the folder is published, else the file
    name (beside the digest)."""
    if not base_url:
        return name
    from urllib.parse import quote

    return base_url.rstrip("/") + "/" + quote(name)


def _stories(items: list[dict[str, Any]]) -> list[list[int]]:
    """The items grouped into stories: near-duplicates (MinHash LSH, then the estimated similarity checked)
    are one story. Each story's indices, in input order."""
    from datasketch import MinHash, MinHashLSH

    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hashes = [MinHash(num_perm=_PERM, seed=1, hashvalues=it["signature"], scheme="affine32") for it in items]
    lsh = MinHashLSH(threshold=SAME_STORY, num_perm=_PERM)
    for i, h in enumerate(hashes):
        for j in lsh.query(h):
            if h.jaccard(hashes[int(j)]) >= SAME_STORY:
                parent[root(i)] = root(int(j))
        lsh.insert(str(i), h)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _lead(items: list[dict[str, Any]], group: list[int]) -> list[int]:
    """A story's briefs, the one it shows first: the fewest flags, then the longest article, then input order."""
    return sorted(group, key=lambda i: (items[i]["flagged"], -items[i]["length"], i))


def _importance(items: list[dict[str, Any]], group: list[int]) -> tuple[int, int, int]:
    """How a story ranks (smaller first): the outlets that carried it (more first), whether its lead brief is
    flagged (clean first), its length (longer first)."""
    lead = items[group[0]]
    outlets = {items[i]["meta"].get("outlet") or items[i]["path"] for i in group}
    return (-len(outlets), 1 if lead["flagged"] else 0, -lead["length"])


def build_digest(report: dict[str, Any], out_dir: Path, known: dict[str, dict[str, Any]] | None = None,
                 base_url: str | None = None) -> dict[str, Any]:
    """The digest of a run, from its run.json content and the briefs it wrote (read back from
    `out_dir`, unless `known` holds their digest_item by input path).

    Unchanged briefs are not repeated: only `written` entries appear, with rejects and failures. The briefs
    are grouped into stories (one story from several outlets is one entry listing its sources), ranked by
    importance, and the stories into sections (the page's section in English; Other without one).
    """
    items, problems = [], []
    known = known or {}
    for a in report["articles"]:
        if a["status"] == "written":
            item = known.get(a["path"])
            if item is None:
                item = digest_item(json.loads((out_dir / a["outputs"]["json"]).read_text(encoding="utf-8")))
            brief = a["outputs"]["md"]
            items.append({"path": a["path"], "brief": brief, "link": link(brief, base_url), **item})
        elif a["status"] in ("rejected", "failed"):
            problems.append({"path": a["path"], "status": a["status"], "reason": a["reason"]})
    groups = [_lead(items, g) for g in _stories(items)] if items else []
    groups.sort(key=lambda g: (_importance(items, g), g[0]))
    sections: dict[str, list[int]] = {}
    stories = []
    for n, g in enumerate(groups):
        meta = items[g[0]]["meta"]
        section = meta.get("section_en") or meta.get("section") or OTHER_SECTION
        outlets = list(dict.fromkeys(items[i]["meta"].get("outlet") or "" for i in g))
        stories.append({"id": n, "section": section, "briefs": [items[i]["path"] for i in g],
                        "outlets": [o for o in outlets if o]})
        sections.setdefault(section, []).append(n)
    order = sorted(sections, key=lambda k: (k == OTHER_SECTION, sections[k][0]))
    for it in items:
        del it["signature"]
    return {
        "schema": DIGEST_SCHEMA,
        "date": report["started"][:10] if report.get("started") else time.strftime("%Y-%m-%d"),
        "started": report.get("started"),
        "totals": report["totals"],
        # the model that wrote this run's briefs: none when it wrote none (it may never have loaded)
        "model": (report.get("model") or {}).get("id") if report["totals"].get("written") else None,
        "model_error": report.get("model_error"),
        "model_warning": report.get("model_warning"),
        "base_url": base_url,
        "briefs": items,
        "stories": stories,
        "sections": [{"name": k, "stories": sections[k]} for k in order],
        "problems": problems,
    }


def _when(meta: dict[str, Any]) -> str | None:
    p: str | None = meta.get("published")
    if not p:
        return None
    return p.replace("T", " ")[:16] + (f" {p[-6:]}" if len(p) > 16 and p[-6] in "+-" else "")


def _outlet(meta: dict[str, Any]) -> str | None:
    ko, en = meta.get("outlet"), meta.get("outlet_en")
    if en and ko and en != ko:
        return f"**{en}** ({ko})"
    return f"**{ko}**" if ko else None


def story_markdown(d: dict[str, Any], story: dict[str, Any], link_of: Callable[[dict[str, Any]], str] | None = None
                   ) -> list[str]:
    """One story of the digest as Markdown lines: its headline, its sources (the lead brief's, then every other
    outlet that carried it), the English paragraph, its counts. `link_of(item)` is where a brief is read (by
    default the item's `link`)."""
    by_path = {b["path"]: b for b in d["briefs"]}
    briefs = [by_path[p] for p in story["briefs"]]
    b = briefs[0]
    to = link_of or (lambda it: str(it["link"]))
    out = [f"### {inert(b['title']['en'] or b['title']['ko'] or b['path'])}", ""]
    if b["title"].get("ko"):
        out.append(f"**{inert(b['title']['ko'])}**  ")
    meta = b["meta"]
    parts = [inert(p) for p in (_outlet(meta), _when(meta)) if p]
    if meta.get("url"):
        parts.append(f"[original]({meta['url']})")
    parts.append(f"[brief]({to(b)})")
    out.append(" · ".join(parts) + ("  " if len(briefs) > 1 else ""))
    if len(briefs) > 1:
        others = []
        for x in briefs[1:]:
            links = ([f"[original]({x['meta']['url']})"] if x["meta"].get("url") else []) + [f"[brief]({to(x)})"]
            others.append(f"{inert(_outlet(x['meta']) or x['path'])} ({', '.join(links)})")
        out.append("Also carried by " + " · ".join(others))
    out.append("")
    if b.get("gist"):
        out += [inert(b["gist"]), ""]
    flag = f" · ⚠️ {b['flagged']} flagged" if b["flagged"] else ""
    carried = f" · {len(story['outlets'])} outlets" if len(story["outlets"]) > 1 else ""
    out += [f"_{b['figures']} figures, {b['quotes']} quotes{carried}{flag}_", ""]
    return out


def digest_head(d: dict[str, Any], part: tuple[int, int] | None = None) -> list[str]:
    """The digest's title and counts (`part`: (n, of) where it goes in several messages)."""
    t = d["totals"]
    title = f"# Korean news briefs · {d['date']}" + (f" · part {part[0]} of {part[1]}" if part else "")
    stories = d.get("stories", [])
    merged = len(d["briefs"]) - len(stories)
    lines = [title, "",
             f"{len(stories)} stories from {t['written']} new or changed briefs"
             + (f" ({merged} carried by more than one outlet, merged)" if merged else "")
             + f"; {t['unchanged']} unchanged, {t['rejected']} rejected, {t['failed']} failed.", ""]
    if d.get("model_error"):
        lines += [f"> ⛔ **Nothing was translated: {d['model_error']}**", ""]
    if d.get("model_warning"):
        lines += [f"> ⚠️ **{d['model_warning']}**", ""]
    return lines


def digest_tail(d: dict[str, Any]) -> list[str]:
    """What was not briefed, and the model."""
    lines: list[str] = []
    if d["problems"]:
        lines += ["## Not briefed", "", "| file | status | reason |", "|---|---|---|"]
        for p in d["problems"]:
            lines.append(f"| `{p['path']}` | {p['status']} | {str(p['reason']).replace('|', '/')} |")
        lines.append("")
    if d.get("model"):
        lines += ["---", f"<sub>Translated by {d['model']}</sub>", ""]
    return lines


def digest_markdown(d: dict[str, Any]) -> str:
    """The whole digest: by section, the most important story first."""
    lines = digest_head(d)
    stories = d.get("stories", [])
    for section in d.get("sections", []):
        lines += [f"## {section['name']}", ""]
        for n in section["stories"]:
            lines += story_markdown(d, stories[n])
    lines += digest_tail(d)
    return "\n".join(lines)


def write_digest(report: dict[str, Any], out_dir: Path, write: Callable[[Path, str], None],
                 known: dict[str, dict[str, Any]] | None = None, base_url: str | None = None) -> dict[str, Any]:
    """Build the digest and write digest.md and digest.json with `write(path, text)` (atomic), and the same
    under digests/, named by the run (`digest-<started>`), where it stays until `send` has sent it: a later run
    does not replace a digest nobody has had yet."""
    d = build_digest(report, out_dir, known, base_url)
    js, md = json.dumps(d, ensure_ascii=False, indent=2) + "\n", digest_markdown(d)
    write(out_dir / "digest.json", js)
    write(out_dir / "digest.md", md)
    kept = out_dir / DIGESTS
    kept.mkdir(exist_ok=True)
    name = run_digest_name(report)
    n = 2
    while (kept / f"{name}.json").exists():  # two runs in one second
        name = f"{run_digest_name(report)}-{n}"
        n += 1
    write(kept / f"{name}.json", js)
    write(kept / f"{name}.md", md)
    for old in kept_digests(out_dir)[:-KEEP_DIGESTS]:  # a folder nobody sends from stays small
        old.with_suffix(".md").unlink(missing_ok=True)
        old.unlink(missing_ok=True)
    return d


DIGESTS = "digests"  # OUT_DIR/digests/: each run's digest until it is sent


def kept_digests(out_dir: Path) -> list[Path]:
    """The kept digests (their .json), oldest first."""
    return sorted((out_dir / DIGESTS).glob("digest-*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name))
KEEP_DIGESTS = 30  # the unsent digests kept at most, the newest


def run_digest_name(report: dict[str, Any]) -> str:
    """The name of a run's kept digest: `digest-` and when the run started (`20250107-063000`)."""
    digits = re.sub(r"\D", "", str(report.get("started", "")))[:14].ljust(14, "0")
    return f"digest-{digits[:8]}-{digits[8:]}"
