"""Korean news with human extractive summaries, measured through the tool (shared by eval_summary.py,
fit_selector.py and the test of the shipped weights).

Two kinds of data:
- reference sets: JSON lines, one article a line (`id`, `source`, `title`, `sentences`, `paragraph` or
  null, `gold`: indices of the reference sentences), e.g. ../shared/summaries/scinews-dev.jsonl;
- the project's annotated pages: `tests/pages/<dev|heldout>/<page>` with their gold in
  `tests/pages/gold/<dev|heldout>/<page>.json` (its `summary`: the indices of the 3 sentences an editor picked).

Each article goes through summarize's own `prepare()` as a user would give it: a reference article as a
text file (the headline line, then its paragraphs; without paragraph marks, one sentence a paragraph, as
given), a page as saved. The tool's cleaned sentences are then mapped to the reference sentences by their
normalised text, and every score is counted on the tool's sentences: the gold of an article is the set of
its tool sentences that hold a gold reference sentence.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from summarize import BriefOptions, prepare
from summarize.errors import Rejected
from summarize.records import Sentence
from summarize.stages._kiwi import Token, tokenize
from summarize.stages.segmenting import segment_analysed

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT.parent / "shared" / "summaries"
PAGES = ROOT / "tests" / "pages"


@dataclass(frozen=True)
class Doc:
    """One article with a human extractive summary, before the tool."""

    id: str
    source: str  # the set it comes from: "scinews", "pages-dev", ...
    ref_sentences: tuple[str, ...]
    gold: frozenset[int]  # indices into ref_sentences
    title: str | None = None  # reference sets: the headline line of the file built for the tool
    paragraphs: tuple[str, ...] = ()  # reference sets: the body as paragraphs
    path: Path | None = None  # pages: the saved page


@dataclass(frozen=True)
class Case:
    """A Doc after the tool's preparation: what `select` is given, and the gold on the tool's sentences."""

    doc: Doc
    title: str
    sentences: tuple[Sentence, ...]
    tokens: dict[int, list[Token]]
    figure_counts: dict[int, int]
    quoted: frozenset[int]
    gold: frozenset[int]  # ids of the tool sentences that hold a gold reference sentence
    summary: tuple[int, ...]  # what prepare() chose with the default options
    unmatched_gold: int  # gold reference sentences that no tool sentence holds (cleaned away, or cut apart)

    @property
    def reference(self) -> str:
        return " ".join(self.doc.ref_sentences[j] for j in sorted(self.doc.gold))


# --------------------------------------------------------------------------- loading


def load_jsonl(path: Path) -> list[Doc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        sents = tuple(row["sentences"])
        if row.get("paragraph"):
            pars: dict[int, list[str]] = {}
            for s, p in zip(sents, row["paragraph"], strict=True):
                pars.setdefault(p, []).append(s)
            paragraphs = tuple(" ".join(v) for _, v in sorted(pars.items()))
        else:
            paragraphs = sents
        docs.append(Doc(id=row["id"], source=row.get("source") or path.stem, ref_sentences=sents,
                        gold=frozenset(row["gold"]), title=row["title"], paragraphs=paragraphs))
    return docs


def load_references(folder: Path = REFERENCES) -> list[Doc]:
    """Every *.jsonl reference set in `folder` (none if it is absent)."""
    if not folder.is_dir():
        return []
    return [d for p in sorted(folder.glob("*.jsonl")) for d in load_jsonl(p)]


def load_pages(folder: Path = PAGES, splits: Sequence[str] = ("dev", "heldout")) -> list[Doc]:
    """The annotated pages under `folder` whose gold has a 3-sentence `summary` (none if absent)."""
    docs = []
    for split in splits:
        gold_dir = folder / "gold" / split
        if not gold_dir.is_dir():
            continue
        for g in sorted(gold_dir.glob("*.json")):
            page = folder / split / g.name[: -len(".json")]
            gold = json.loads(g.read_text(encoding="utf-8"))
            if not page.is_file() or not gold.get("summary") or not gold.get("sentences"):
                continue
            docs.append(Doc(id=page.name, source=f"pages-{split}", ref_sentences=tuple(gold["sentences"]),
                            gold=frozenset(gold["summary"]), title=gold.get("title"), path=page))
    return docs


# --------------------------------------------------------------------------- through the tool


def normalised(text: str) -> str:
    """What two renderings of one sentence share: its letters and digits, NFC, without spaces or marks."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", text)).lower()


def holds(tool: str, ref: str) -> bool:
    """Whether a tool sentence holds (all or part of) a reference sentence, both normalised: the same
    text; one inside the other, where the shorter is a sentence's worth (15 characters) or most of the
    longer (a dateline or credit cut off, two sentences joined, one cut in two); or the two nearly the
    same (a photo mark such as (사진) taken out of the middle)."""
    if not tool or not ref:
        return False
    if tool == ref:
        return True
    short, long_ = sorted((tool, ref), key=len)
    if short in long_:
        return len(short) >= 15 or (len(short) >= 8 and len(short) >= 0.5 * len(long_))
    if len(short) < 0.8 * len(long_):
        return False
    m = difflib.SequenceMatcher(None, tool, ref, autojunk=False)
    return m.quick_ratio() >= 0.9 and m.ratio() >= 0.9


def article_file(doc: Doc, folder: Path) -> Path:
    """A reference article as a user would save it: the headline line, then the paragraphs."""
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', doc.id)}.txt"
    path.write_text(f"{doc.title}\n\n" + "\n\n".join(doc.paragraphs) + "\n", encoding="utf-8")
    return path


def through_tool(doc: Doc, folder: Path, options: BriefOptions | None = None) -> Case | None:
    """The Case of a Doc, from summarize's own prepare(); None if the tool rejects it."""
    path = doc.path if doc.path is not None else article_file(doc, folder)
    try:
        p = prepare(path, path.parent, options or BriefOptions())
    except Rejected:
        return None
    sentences, tokens = segment_analysed(p.article.paragraphs, {i for i, _, _ in p.article.spoken})  # as prepare() did
    assert tuple(sentences) == p.sentences
    counts: dict[int, int] = {}
    for f in p.figures:
        if f.value is not None:
            counts[f.sentence] = counts.get(f.sentence, 0) + 1
    tool = [normalised(s.ko) for s in p.sentences]
    refs = [normalised(s) for s in doc.ref_sentences]
    gold, unmatched = set(), 0
    for j in sorted(doc.gold):
        hit = {i for i, t in enumerate(tool) if holds(t, refs[j])}
        gold |= hit
        unmatched += not hit
    return Case(doc=doc, title=p.article.title, sentences=p.sentences, tokens=tokens, figure_counts=counts,
                quoted=frozenset(q.sentence for q in p.quotes), gold=frozenset(gold), summary=p.summary,
                unmatched_gold=unmatched)


def cases(docs: Iterable[Doc], folder: Path) -> list[Case]:
    out = []
    for d in docs:
        c = through_tool(d, folder)
        if c is not None and c.gold:
            out.append(c)
    return out


# --------------------------------------------------------------------------- baselines and scores


def lead(sentences: Sequence[Sentence], max_sentences: int, max_chars: int) -> list[int]:
    """The article's first sentences, as many as the budget holds (at least one)."""
    out, used = [], 0
    for s in sentences:
        if len(out) >= max_sentences or (out and used + len(s.ko) > max_chars):
            break
        out.append(s.id)
        used += len(s.ko)
    return out


def sentence_f1(chosen: Iterable[int], gold: Iterable[int]) -> float:
    c, g = set(chosen), set(gold)
    hit = len(c & g)
    return 2 * hit / (len(c) + len(g)) if hit else 0.0


_PUNCT = re.compile(r"^S[FPSEOWB]")


def morphemes(text: str) -> list[str]:
    """Kiwi's morphemes of `text` (form/tag), punctuation left out: what ROUGE counts here."""
    return [f"{t.form}/{t.tag}" for t in tokenize(text) if not _PUNCT.match(t.tag)]


def _ngrams(tokens: Sequence[str], n: int) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - n + 1):
        k = tuple(tokens[i:i + n])
        out[k] = out.get(k, 0) + 1
    return out


def _f(hit: float, n_cand: int, n_ref: int) -> float:
    if not hit or not n_cand or not n_ref:
        return 0.0
    p, r = hit / n_cand, hit / n_ref
    return 2 * p * r / (p + r)


def rouge_n(cand: Sequence[str], ref: Sequence[str], n: int) -> float:
    a, b = _ngrams(cand, n), _ngrams(ref, n)
    hit = sum(min(v, b.get(k, 0)) for k, v in a.items())
    return _f(hit, sum(a.values()), sum(b.values()))


def rouge_l(cand: Sequence[str], ref: Sequence[str]) -> float:
    """F of the longest common subsequence of the two token sequences."""
    if not cand or not ref:
        return 0.0
    prev = [0] * (len(ref) + 1)
    for x in cand:
        cur = [0]
        for j, y in enumerate(ref):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return _f(prev[-1], len(cand), len(ref))


def scores(case: Case, chosen: Sequence[int], ref_tokens: Sequence[str] | None = None) -> dict[str, float]:
    """Sentence F1 and ROUGE-1/2/L (on Kiwi morphemes, against the gold reference sentences) of `chosen`."""
    ref = ref_tokens if ref_tokens is not None else morphemes(case.reference)
    by_id = {s.id: s for s in case.sentences}
    cand = [f"{t.form}/{t.tag}" for i in sorted(chosen) for t in case.tokens.get(i) or tokenize(by_id[i].ko)
            if not _PUNCT.match(t.tag)]
    return {"f1": sentence_f1(chosen, case.gold), "r1": rouge_n(cand, ref, 1), "r2": rouge_n(cand, ref, 2),
            "rl": rouge_l(cand, ref)}
