"""Reading: find the articles in a folder, decode them, and pull the text out of HTML pages."""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from pathlib import Path

from .errors import Rejected
from .types import Meta, Source

__all__ = ["KINDS", "find_inputs", "read_source", "decode"]

log = logging.getLogger(__name__)

KINDS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}

_KOREAN_CODECS = {"euc_kr": "cp949", "euc-kr": "cp949", "cp949": "cp949", "johab": "johab", "iso2022_kr": "iso2022_kr"}


def find_inputs(root: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Every article file under `root` (subfolders too), sorted, hidden files and `exclude` left out."""
    root = root.resolve()
    skip = tuple(p.resolve() for p in exclude)
    found = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if any(p == s or s in p.parents for s in skip):
            continue
        if p.is_file() and p.suffix.lower() in KINDS:
            found.append(p)
    return found


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes: BOMs, UTF-8, UTF-16, CP949/EUC-KR and whatever charset detection finds.

    Raises Rejected for empty, binary or undecodable data.
    """
    if not data.strip():
        raise Rejected("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, enc), enc
    if b"\x00" in data[:4096]:
        enc = _utf16_without_bom(data)
        if enc is None:
            raise Rejected("binary file (NUL bytes)")
        return _strict(data, enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        enc = _KOREAN_CODECS.get(declared.lower().replace("-", "_"), declared)
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    # Korean sites' legacy encoding first: charset detection guesses wrong on short CP949 texts.
    try:
        text = data.decode("cp949")
        if _hangul_share(text) >= 0.3:
            return text, "cp949"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Rejected("undecodable: not UTF-8, UTF-16 or CP949/EUC-KR text")
    enc = _KOREAN_CODECS.get(best.encoding, best.encoding)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        text = str(best)
    if _control_ratio(text) > 0.05:
        raise Rejected("binary file")
    return text, enc


def _strict(data: bytes, enc: str) -> str:
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        raise Rejected(f"undecodable as {enc}: {e.reason} at byte {e.start}") from None
    if not text.strip():
        raise Rejected("empty file")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    n = max(1, len(head) // 2)
    if odd / n > 0.2 and even / n < 0.05:
        return "utf-16-le"
    if even / n > 0.2 and odd / n < 0.05:
        return "utf-16-be"
    # Hangul in UTF-16 has few NULs; try both and keep the one that reads as text
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) < 0.01 and re.search(r"[가-힣]", text):
            return enc
    return None


def _hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if "가" <= c <= "힣") / len(letters) if letters else 0.0


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    return bad / len(text)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


def read_source(path: Path, root: Path, max_bytes: int = 5_000_000) -> Source:
    """Read one article file. Raises Rejected with the reason when it cannot be one."""
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    size = path.stat().st_size
    if size > max_bytes:
        raise Rejected(f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    kind = KINDS.get(path.suffix.lower(), "text")
    declared = None
    if kind == "html":
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "replace") if m else None
    text, encoding = decode(data, declared)
    if kind == "html":
        return _from_html(text, rel, encoding, digest)
    if kind == "markdown":
        title, body = _from_markdown(text)
        return Source(rel, body, encoding, digest, kind, title=title)
    return Source(rel, text, encoding, digest, kind)


def _from_html(html: str, rel: str, encoding: str, digest: str) -> Source:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, include_images=False, deduplicate=False
    )
    if doc is None or not (doc.text or "").strip():
        raise Rejected("no article body found in the HTML page")
    meta = Meta(outlet=doc.sitename or None, author=doc.author or None, published=doc.date or None)
    return Source(rel, doc.text, encoding, digest, "html", title=(doc.title or None), meta=meta)


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")


def _from_markdown(text: str) -> tuple[str | None, str]:
    """Plain text of a Markdown article, and its first level-one heading as the title."""
    title = None
    out = []
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", s)
        if m:
            if title is None and len(m.group(1)) == 1:
                title = _md_inline(m.group(2))
                continue
            out.append(_md_inline(m.group(2)))
            continue
        s = re.sub(r"^>\s?", "", s)
        s = re.sub(r"^(?:[-*+]|\d+\.)\s+", "", s)
        if re.fullmatch(r"[-*_]{3,}", s):
            out.append("")
            continue
        out.append(_md_inline(s))
    return title, "\n".join(out)


def _md_inline(s: str) -> str:
    s = _MD_IMAGE.sub("", s)
    s = _MD_LINK.sub(r"\1", s)
    s = _MD_EMPH.sub(r"\2", s)
    return s.replace("`", "")
