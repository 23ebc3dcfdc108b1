"""What a run reports: run.json (one entry per input, the totals, the model) and the digest (one page with
every new or changed brief, and what was rejected or failed)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .records import STATUSES, Entry, Status
from .version import __version__

__all__ = ["RunReport", "build_digest", "digest_item", "digest_markdown", "write_digest"]


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

    def counts(self) -> dict[Status, int]:
        out: dict[Status, int] = {s: 0 for s in STATUSES}
        for e in self.entries:
            out[e.status] += 1
        return out

    @property
    def ok(self) -> bool:
        return self.counts()["failed"] == 0 and self.model_error is None

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
            "totals": self.counts(),
            "articles": [asdict(e) for e in self.entries],
        }


# --------------------------------------------------------------------------- the digest


def digest_item(data: dict[str, Any]) -> dict[str, Any]:
    """What the digest shows of one brief, from its JSON."""
    summary = data["summary"]
    return {
        "title": data["title"],
        "meta": data["meta"],
        "first": {"en": summary[0]["en"], "ko": summary[0]["ko"]} if summary else None,
        "figures": len(data["figures"]),
        "quotes": len(data["quotes"]),
        "flagged": sum(1 for s in summary if s["flags"]),
    }


def build_digest(report: dict[str, Any], out_dir: Path, known: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The digest of a run, from its run.json content and the briefs it wrote (read back from
    `out_dir`, unless `known` holds their digest_item by input path).

    Unchanged briefs are not repeated: only `written` entries appear, with rejects and failures.
    """
    items, problems = [], []
    known = known or {}
    for a in report["articles"]:
        if a["status"] == "written":
            item = known.get(a["path"])
            if item is None:
                item = digest_item(json.loads((out_dir / a["outputs"]["json"]).read_text(encoding="utf-8")))
            items.append({"path": a["path"], "brief": a["outputs"]["md"], **item})
        elif a["status"] in ("rejected", "failed"):
            problems.append({"path": a["path"], "status": a["status"], "reason": a["reason"]})
    return {
        "schema": 1,
        "date": report["started"][:10] if report.get("started") else time.strftime("%Y-%m-%d"),
        "started": report.get("started"),
        "totals": report["totals"],
        # the model that wrote this run's briefs: none when it wrote none (it may never have loaded)
        "model": (report.get("model") or {}).get("id") if report["totals"].get("written") else None,
        "model_error": report.get("model_error"),
        "model_warning": report.get("model_warning"),
        "briefs": items,
        "problems": problems,
    }


def digest_markdown(d: dict[str, Any]) -> str:
    t = d["totals"]
    lines = [f"# Korean news briefs · {d['date']}", "",
             f"{t['written']} new or changed, {t['unchanged']} unchanged, {t['rejected']} rejected, "
             f"{t['failed']} failed.", ""]
    if d.get("model_error"):
        lines += [f"> ⛔ **Nothing was translated: {d['model_error']}**", ""]
    if d.get("model_warning"):
        lines += [f"> ⚠️ **{d['model_warning']}**", ""]
    for b in d["briefs"]:
        meta = b["meta"]
        source = " · ".join(x for x in (meta.get("outlet"), (meta.get("published") or "")[:10] or None) if x)
        lines.append(f"## {b['title']['en'] or b['title']['ko'] or b['path']}")
        lines.append("")
        if b["title"].get("ko"):
            lines.append(f"**{b['title']['ko']}**  ")
        lines.append(f"{source + ' · ' if source else ''}`{b['path']}` → [{b['brief']}]({b['brief']})")
        lines.append("")
        if b["first"]:
            lines.append(f"> {b['first']['en']}")
            lines.append(">")
            lines.append(f"> {b['first']['ko']}")
            lines.append("")
        flag = f", ⚠️ {b['flagged']} flagged" if b["flagged"] else ""
        lines.append(f"{b['figures']} figures, {b['quotes']} quotes{flag}")
        lines.append("")
    if d["problems"]:
        lines += ["## Not briefed", "", "| file | status | reason |", "|---|---|---|"]
        for p in d["problems"]:
            lines.append(f"| `{p['path']}` | {p['status']} | {str(p['reason']).replace('|', '/')} |")
        lines.append("")
    if d.get("model"):
        lines += ["---", f"<sub>Translated by {d['model']}</sub>", ""]
    return "\n".join(lines)


def write_digest(report: dict[str, Any], out_dir: Path, write: Callable[[Path, str], None],
                 known: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Build the digest and write digest.md and digest.json with `write(path, text)` (atomic)."""
    d = build_digest(report, out_dir, known)
    write(out_dir / "digest.json", json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    write(out_dir / "digest.md", digest_markdown(d))
    return d
