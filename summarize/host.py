"""What every room may ask of the machine and its file system: the cores, a safe file name, a folder's
fingerprint. One definition each; this module imports nothing of the package."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["cpu_count", "default_threads", "safe_name", "bounded_name", "folder_fingerprint", "NAME_BYTES"]

# The longest file name most file systems take is 255 bytes: names the tool makes stay well under it, so that
# a suffix (".json", ".pickle", a temporary name's) still fits
NAME_BYTES = 160


def cpu_count() -> int:
    """The cores this process may run on (its affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """Half the cores, at least one: on a shared machine more OpenMP threads than free cores is far slower."""
    return max(1, cpu_count() // 2)


def safe_name(name: str, fill: str = "_") -> str:
    """`name` with every character but letters, digits, `-`, `_` and `.` replaced by `fill`; never empty."""
    return "".join(c if c.isalnum() or c in "-_." else fill for c in name) or "article"


def bounded_name(name: str, limit: int = NAME_BYTES) -> str:
    """`name` where it is at most `limit` bytes in UTF-8; else its start, cut at a character, and a hash of the
    whole name (so that two long names that start alike stay apart)."""
    raw = name.encode("utf-8")
    if len(raw) <= limit:
        return name
    tag = hashlib.sha256(raw).hexdigest()[:12]
    head = raw[: limit - len(tag) - 1].decode("utf-8", "ignore")
    return f"{head}-{tag}"


def folder_fingerprint(folder: Path) -> str:
    """What identifies a folder's contents without reading them: sha256 of each file's name, size and
    modification time (nanoseconds), in name order."""
    h = hashlib.sha256()
    for p in sorted(Path(folder).iterdir()):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()
