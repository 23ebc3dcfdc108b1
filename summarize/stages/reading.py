"""Reading: find the articles in a folder, decode them, and pull the text out of HTML pages."""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import logging
import re
from pathlib import Path, PurePath
from typing import Any

from ..errors import Rejected
from ..records import Meta, Source, SourceKind
from ._text import hangul_ratio

__all__ = ["KINDS", "find_inputs", "is_input", "found_instead", "read_source", "decode", "decode_mended", "sidecar",
           "sidecar_url",
           "input_digest"]

log = logging.getLogger(__name__)

KINDS: dict[str, SourceKind] = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}

_KOREAN_CODECS = {"euc_kr": "cp949", "euc-kr": "cp949", "cp949": "cp949", "johab": "johab", "iso2022_kr": "iso2022_kr"}


def find_inputs(root: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Every article file under `root` (subfolders too), sorted, hidden files and `exclude` left out."""
    root = root.resolve()
    skip = tuple(p.resolve() for p in exclude)
    found = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if not is_input(rel):
            continue
        if any(p == s or s in p.parents for s in skip):
            continue
        if p.is_file():
            found.append(p)
    return found


def is_input(rel: PurePath) -> bool:
    """Whether a file at `rel` (relative to the input folder) is one to brief: an article file, not hidden."""
    return not any(part.startswith(".") for part in rel.parts) and rel.suffix.lower() in KINDS


def found_instead(root: Path, exclude: tuple[Path, ...] = ()) -> str:
    """What a folder holds where find_inputs finds no article file, in words: its files by kind ("3 .pdf files,
    1 .docx file"), the hidden ones apart, or that it is empty."""
    root = root.resolve()
    skip = tuple(p.resolve() for p in exclude)
    kinds: dict[str, int] = {}
    hidden = 0
    for p in root.rglob("*"):
        if not p.is_file() or any(p == s or s in p.parents for s in skip):
            continue
        if any(part.startswith(".") for part in p.relative_to(root).parts):
            hidden += 1
            continue
        kind = p.suffix.lower() or "extension-less"
        kinds[kind] = kinds.get(kind, 0) + 1
    ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [f"{n} {k} file{'s' if n > 1 else ''}" for k, n in ranked[:5]]
    if len(ranked) > 5:
        parts.append(f"{sum(n for _, n in ranked[5:])} other files")
    if hidden:
        parts.append(f"{hidden} hidden file{'s' if hidden > 1 else ''} (skipped)")
    return ", ".join(parts) if parts else "nothing"


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes: BOMs, UTF-8, UTF-16, CP949/EUC-KR and whatever charset detection finds.

    Raises Rejected for empty, binary or undecodable data.
    """
    text, encoding, _ = decode_mended(data, declared)
    return text, encoding


# A UTF-8 text with a few bytes that do not decode (a byte lost in a copy, a cut in the middle of a character)
# is read with them replaced (U+FFFD): at most this many, and at most one in this many bytes
MENDABLE, MENDABLE_SHARE = 64, 1000


def decode_mended(data: bytes, declared: str | None = None) -> tuple[str, str, tuple[str, ...]]:
    """`decode`, and what it had to mend: a mostly-UTF-8 text's few undecodable bytes replaced, with a warning."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" not in data[:4096]:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "replace")
            bad = text.count("\ufffd") - data.count("\ufffd".encode())
            if 0 < bad <= min(MENDABLE, len(data) // MENDABLE_SHARE + 1) and hangul_ratio(text) >= 0.3:
                return text, "utf-8", (f"{bad} undecodable byte sequence{'s' if bad > 1 else ''} of the file replaced "
                                       "with U+FFFD: a character or two of the article may be missing",)
    text, encoding = _decode(data, declared)
    return text, encoding, ()


def _decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    if not data.strip():
        raise Rejected("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, enc), enc
    if b"\x00" in data[:4096]:
        wide = _utf16_without_bom(data)
        if wide is None:
            raise Rejected("binary file (NUL bytes)")
        return _strict(data, wide), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Korean sites' legacy encoding before a page's own label, which is often wrong (a CP949 page labelled
    # ISO-8859-1 decodes without an error into nonsense), and before charset detection, which guesses
    # wrong on short CP949 texts: the content decides.
    try:
        text = data.decode("cp949")
        if hangul_ratio(text) >= 0.3:
            return text, "cp949"
    except UnicodeDecodeError:
        pass
    if declared:
        enc = _KOREAN_CODECS.get(declared.lower().replace("-", "_"), declared)
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
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


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    return bad / len(text)


def sidecar(path: Path) -> Path | None:
    """The file beside an article that holds its address: `article.txt.url`, else `article.url`; None if neither."""
    for p in (path.with_name(path.name + ".url"), path.with_suffix(".url")):
        if p.is_file():
            return p
    return None


_URL_LINE = re.compile(r"^\s*(?:URL\s*=\s*)?(https?://\S+)\s*$", re.I)


def sidecar_url(path: Path) -> str | None:
    """The address in an article's sidecar: its first line that is an http(s) address, bare or as a Windows
    Internet Shortcut writes it (`URL=https://...`); None without a sidecar or an address in it."""
    side = sidecar(path)
    if side is None:
        return None
    try:
        text = side.read_bytes()[:8192].decode("utf-8-sig", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        m = _URL_LINE.match(line)
        if m:
            return m.group(1)
    return None


def input_digest(path: Path) -> str:
    """What an input's brief is made of, as a hash: the file's bytes and its sidecar's (a new or changed address
    redoes the brief)."""
    h = hashlib.sha256(path.read_bytes())
    side = sidecar(path)
    if side is not None:
        h.update(b"\0url\0" + side.read_bytes()[:8192])
    return h.hexdigest()


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


def read_source(path: Path, root: Path, max_bytes: int = 5_000_000) -> Source:
    """Read one article file. Raises Rejected with the reason when it cannot be one."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a symbolic link out of the folder (or one swapped in since the run listed it)
        raise Rejected("a symbolic link to a file outside the input folder: not followed") from None
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
    text, encoding, mended = decode_mended(data, declared)
    if kind == "html":
        source = _from_html(text, rel, encoding, digest)
    elif kind == "markdown":
        title, body, meta, zones = _from_markdown(text)
        source = Source(rel, body, encoding, digest, kind, title=title, meta=meta, zones=zones)
    else:
        source = Source(rel, text, encoding, digest, kind)
    url = sidecar_url(path)  # the address the file was saved from: it wins over what the page says of itself
    if url:
        source = dataclasses.replace(source, meta=dataclasses.replace(source.meta, url=url))
    if mended:
        source = dataclasses.replace(source, warnings=mended)
    return source


def _from_html(html: str, rel: str, encoding: str, digest: str) -> Source:
    """Every visible line of the page, in order, each with what its markup says of it (`Source.zones`):
    the cleaning stage classifies them all, so that nothing the page shows is dropped unexplained.
    The article extractor (trafilatura) marks the lines of the main content (a leading "*")."""
    import trafilatura
    from lxml import etree

    html = _XML_DECLARATION.sub("", html, count=1)
    parser = etree.HTMLParser(huge_tree=True, remove_comments=True)
    try:
        root = etree.fromstring(html, parser)
    except (etree.ParserError, ValueError):
        root = None
    too_deep = any("depth" in str(e).lower() for e in parser.error_log)
    if root is None and not too_deep:
        raise Rejected("not an HTML page: nothing could be parsed")
    doc: Any = None  # trafilatura's Document
    if too_deep:
        # nested deeper than libxml2 builds a tree (2,048 levels): lxml stops there, and trafilatura (lxml too)
        # finds nothing; the page's own lines, from a parser that keeps no tree, are classified instead
        lines = _flat_lines(html)
        head = _head_meta(root) if root is not None else {}
    else:
        lines = _visible_lines(root)
        head = _head_meta(root)
        try:
            doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                              include_images=False, deduplicate=False)
        except Exception:  # the extractor's own failure on an odd page: every line is still classified
            log.debug("trafilatura failed on %s", rel, exc_info=True)
            doc = None
    main: set[str] = set()
    if doc is not None and (doc.text or "").strip():
        main = {_squash(x) for x in doc.text.split("\n") if len(_squash(x)) >= 4}
    blob = "\n".join(main) if len(main) < 5000 else ""
    texts, zones = [], []
    for text, zone in lines:
        key = _squash(text)
        if main and (key in main or (len(key) >= 12 and blob and key in blob)):
            zone = "*" + zone  # the extractor kept it as main content
        texts.append(text)
        zones.append(zone)
    if not any(t.strip() for t in texts):
        raise Rejected("no text found in the HTML page")
    title = head.get("title") or (doc.title if doc is not None else None)
    meta = Meta(
        outlet=head.get("site") or (doc.sitename if doc is not None else None) or None,
        author=head.get("author") or (doc.author if doc is not None else None) or None,
        published=head.get("published") or (doc.date if doc is not None else None) or None,
        url=head.get("url") or (doc.url if doc is not None else None) or None,
        section=head.get("section"),
    )
    return Source(rel, "\n".join(texts), encoding, digest, "html", title=title or None, meta=meta,
                  zones=tuple(zones))


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "select", "textarea",
              "canvas", "video", "audio", "map"}
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "tbody", "thead", "tfoot", "section", "article", "header", "footer", "nav", "aside", "figure",
               "figcaption", "blockquote", "pre", "form", "hr", "main", "address", "caption", "fieldset", "legend",
               "body", "html", "center", "menu", "details", "summary", "button", "label"}
_ZONE_TAGS = {"nav": "nav", "header": "nav", "footer": "footer", "aside": "related", "figcaption": "caption",
              "menu": "nav", "time": "date", "address": "footer", "button": "share"}
# The markup's own words for what a block is: its class and id, matched in this order.
_ZONE_WORDS = [
    ("caption", re.compile(r"caption|photo_?(?:desc|txt|text|info|exp)|img_?(?:desc|txt|cap)|pic_?desc|figcap")),
    ("comment", re.compile(r"comment|reply|(?:^|[-_ ])cmt|댓글")),
    ("ad", re.compile(r"(?:^|[-_ ])(?:ad|ads|adv|advert\w*|banner\w*|promo\w*|sponsor\w*|dable|taboola|criteo)"
                      r"(?:$|[-_ \d])")),
    ("share", re.compile(r"share|(?:^|[-_ ])sns|social|font_?size|fontsize|(?:^|[-_ ])print|(?:^|[-_ ])tts|"
                         r"(?:^|[-_ ])util|scrap|subscribe|(?:^|[-_ ])like")),
    ("related", re.compile(r"related|relation|recommend|ranking|(?:^|[-_ ])rank|popular|most_?(?:read|view)|"
                           r"(?:^|[-_ ])best|hot_?(?:news|issue)|more_?news|other_?news|news_?list|headline_?list|"
                           r"issue_?list|latest|photo_?news|(?:^|[-_ ])tag(?:s|_?list)?(?:$|[-_ ])|keyword")),
    ("byline", re.compile(r"byline|writer|reporter|author|journalist")),
    ("date", re.compile(r"(?:^|[-_ ])(?:date|time|datetime|posted|published|updated|regdate)(?:$|[-_ ])")),
    ("nav", re.compile(r"gnb|lnb|snb|(?:^|[-_ ])nav|menu|breadcrumb|(?:^|[-_ ])location|site_?header|top_?bar|"
                       r"(?:^|[-_ ])search|login|logo|(?:^|[-_ ])header(?:$|[-_ ])")),
    ("footer", re.compile(r"footer|copyright|company_?info|corp_?info|site_?info|(?:^|[-_ ])bottom|(?:^|[-_ ])copy(?:$|[-_ ])")),
]


def _zone_of(el: Any, parent_zone: str) -> str:  # an lxml element
    tag = el.tag if isinstance(el.tag, str) else ""
    words = f"{el.get('class', '')} {el.get('id', '')}".lower().strip()
    if words:
        for zone, pattern in _ZONE_WORDS:
            if pattern.search(words):
                return zone
    return _ZONE_TAGS.get(tag.lower(), parent_zone)


def _visible_lines(root: Any) -> list[tuple[str, str]]:
    """(text, zone) of each visible line, in document order: a block element ends a line, as a browser
    lays it out. Walked without recursion, so that a deeply nested page costs no more than a flat one."""
    from lxml import etree

    out: list[tuple[str, str]] = []
    buf: list[str] = []
    zones: list[str] = [""]

    def flush() -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            out.append((text, zones[-1]))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS or not tag:
                walker.skip_subtree()
                zones.append(zones[-1])  # its "end" comes still: keep the stack even
                continue
            if tag in _BLOCK_TAGS or tag == "br":
                flush()
            zones.append(_zone_of(el, zones[-1]))
            if el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            zones.pop()
            if el.tail:
                buf.append(el.tail)
    flush()
    return out


def _flat_lines(html: str) -> list[tuple[str, str]]:
    """(text, "") of each visible line of a page, from the standard library's parser, which keeps no tree: a
    block tag ends a line, script and style are skipped. However deep the page nests, it costs one pass."""
    from html.parser import HTMLParser

    out: list[tuple[str, str]] = []
    buf: list[str] = []
    skipping = [0]

    def flush() -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            out.append((text, ""))

    class Lines(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _SKIP_TAGS:
                skipping[0] += 1
            elif tag in _BLOCK_TAGS or tag == "br":
                flush()

        def handle_endtag(self, tag: str) -> None:
            if tag in _SKIP_TAGS:
                skipping[0] = max(0, skipping[0] - 1)
            elif tag in _BLOCK_TAGS:
                flush()

        def handle_data(self, data: str) -> None:
            if not skipping[0]:
                buf.append(data)

    p = Lines(convert_charrefs=True)
    p.feed(html)
    p.close()
    flush()
    return out


def _head_meta(root: Any) -> dict[str, str]:
    """What the page's <head> says of the article: title, site, author, date, address, section."""
    found: dict[str, str] = {}
    names = {"og:title": "title", "twitter:title": "title", "og:site_name": "site", "author": "author",
             "article:author": "author", "dable:author": "author", "og:article:author": "author",
             "article:published_time": "published", "og:regdate": "published", "pubdate": "published",
             "og:url": "url", "article:section": "section", "og:article:section": "section"}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or "").strip().lower()
        value = " ".join((m.get("content") or "").split())
        if key in names and value and names[key] not in found:
            found[names[key]] = value
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href", "").startswith(("http://", "https://")):
            found["url"] = link.get("href").strip()  # the canonical address wins over og:url
            break
    if found.get("url") and not found["url"].startswith(("http://", "https://")):
        del found["url"]
    if "author" in found and (found["author"].startswith("http") or len(found["author"]) > 40):
        del found["author"]
    return found


def _squash(s: str) -> str:
    return "".join(s.split())


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")


_FRONT_KEYS = {"title": "title", "url": "url", "link": "url", "source": "source", "canonical": "url",
               "source_url": "url", "date": "published", "published": "published", "author": "author",
               "outlet": "outlet", "site": "outlet", "publisher": "outlet", "section": "section",
               "category": "section"}


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """The `key: value` pairs of a YAML front matter block (between two `---` lines), and where the text starts."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            found: dict[str, str] = {}
            for line in lines[1:end]:
                m = re.match(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$", line)
                if m and m.group(1).lower() in _FRONT_KEYS and m.group(2):
                    value = m.group(2)
                    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                        value = value[1:-1]  # a quoted YAML string; quotes inside it stay
                    found.setdefault(_FRONT_KEYS[m.group(1).lower()], value)
            return found, end + 1
    return {}, 0


def _from_markdown(text: str) -> tuple[str | None, str, Meta, tuple[str, ...]]:
    """Plain text of a Markdown article, its title (front matter, else the first level-one heading), what
    its front matter says (address, date, author, outlet, section), and a zone per line: "caption" for
    the line under an image (or an italic line beside one)."""
    lines = text.splitlines()
    front, start = _front_matter(lines)
    title = front.get("title")
    out = [""] * start  # the front matter's lines stay as blank lines: line numbers keep pointing at the file
    zones = [""] * start
    after_image = False
    for line in lines[start:]:
        s = line.strip()
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", s)
        if m:
            if title is None and len(m.group(1)) == 1:
                title = _md_inline(m.group(2))  # the line stays: cleaning classifies it as the headline
            out.append(_md_inline(m.group(2)))
            zones.append("")
            after_image = False
            continue
        image_only = bool(_MD_IMAGE.fullmatch(s))
        italic = bool(re.fullmatch(r"([*_])[^*_].*[^*_\s]\1", s))
        s = re.sub(r"^>\s?", "", s)
        s = re.sub(r"^(?:[-*+]|\d+\.)\s+", "", s)
        if re.fullmatch(r"[-*_]{3,}", s):
            out.append("")
            zones.append("")
            continue
        out.append(_md_inline(s[1:-1] if italic else s))
        zones.append(("caption" if italic else "caption?") if s and after_image else "")
        if s:
            after_image = image_only
    source = front.get("source")  # a web address, or the outlet's name
    url = front.get("url") or (source if source and source.startswith(("http://", "https://")) else None)
    outlet = front.get("outlet") or (source if source and not source.startswith(("http://", "https://")) else None)
    published = front.get("published")
    if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?", published):
        published = published.replace(" ", "T")
    meta = Meta(outlet=outlet, author=front.get("author"), published=published,
                url=url if url and url.startswith(("http://", "https://")) else None, section=front.get("section"))
    return title, "\n".join(out), meta, tuple(zones)


def _md_inline(s: str) -> str:
    s = _MD_IMAGE.sub("", s)
    s = _MD_LINK.sub(r"\1", s)
    s = _MD_EMPH.sub(r"\2", s)
    return s.replace("`", "")
