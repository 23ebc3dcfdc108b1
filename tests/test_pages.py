"""The real-page corpus (tests/pages, see its README): every structure class of real Korean news pages, with
gold. Development pages must come out right; every page, held out or not, keeps the every-line invariant."""

import json
import sys
from pathlib import Path

import pytest

from summarize import BriefOptions, prepare
from summarize.stages.reading import read_source

PAGES = Path(__file__).resolve().parent / "pages"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from eval_pages import f1, meta_ok, squash  # noqa: E402

KINDS = (".txt", ".md", ".html", ".htm")
DEV = sorted(p.name for p in (PAGES / "dev").iterdir() if p.suffix in KINDS)
ALL = [("dev", n) for n in DEV] + [("heldout", p.name) for p in sorted((PAGES / "heldout").iterdir()) if p.suffix in KINDS]
# The structures of real pages the corpus must hold (tests/pages/README.md explains each tag)
STRUCTURES = [
    "no-headline", "headline", "deck", "byline-top", "byline-end", "byline-bracket", "dateline", "date-line-input",
    "caption", "photo-credit", "caption-before-lead", "broadcast-script", "anchor-lead", "reporter-marker", "soundbite",
    "signoff", "anchor-handoff", "press-release", "bullets", "table-flattened", "portal-repost", "viewer-notice",
    "forum-repost", "board-label", "party-briefing", "related-list", "related-with-timestamps", "ad", "comment-widget",
    "footer-phone", "footer-email", "copyright", "html-nav", "menu-lines", "breadcrumb", "repeated-block", "old-numbers",
    "hangul-numerals", "negative-numbers", "mbc-quotes", "multi-paragraph-quote", "markdown-front-matter",
    "canonical-url", "cp949",
]


def gold(split: str, name: str) -> dict:
    return json.loads((PAGES / "gold" / split / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev_prepared():
    return {n: prepare(PAGES / "dev" / n, PAGES / "dev", BriefOptions()) for n in DEV}


def test_the_corpus_holds_every_structure():
    tags = {t for split, n in ALL for t in gold(split, n)["structures"]}
    assert not set(STRUCTURES) - tags
    assert len(ALL) >= 60 and len(DEV) >= 40


@pytest.mark.parametrize("name", DEV)
def test_dev_page_title_body_and_no_boilerplate(name, dev_prepared):
    g, p = gold("dev", name), dev_prepared[name]
    assert (p.article.title or None) == g["title"]
    sentences = [s.ko for s in p.sentences]
    assert f1(sentences, g["sentences"]) >= 0.95, set(map(squash, sentences)) ^ set(map(squash, g["sentences"]))
    visible = squash(" ¦ ".join([p.article.title or ""] + sentences + [f.text for f in p.figures] + [q.ko for q in p.quotes]))
    assert [b for b in g["boilerplate"] if squash(b) in visible] == []
    body = [squash(s) for s in g["sentences"]]
    for f in p.figures:  # no figure from a line that is not the article's
        s = squash(p.sentences[f.sentence].ko)
        assert any(s in b or b in s for b in body), (f.text, p.sentences[f.sentence].ko)


def test_dev_pages_meta(dev_prepared):
    wrong = [(n, k, getattr(dev_prepared[n].article.meta, k), gold("dev", n)["meta"].get(k))
             for n in DEV for k in ("outlet", "author", "published", "url")
             if not meta_ok(k, getattr(dev_prepared[n].article.meta, k), gold("dev", n)["meta"].get(k))]
    assert [w for w in wrong if w[:2] not in KNOWN] == []


# Where the brief and the gold differ on purpose, and why
KNOWN = {
    ("forum_repost_rent_2016.txt", "url"): "a forum repost keeps the address of the wire story it pastes",
    ("pressrelease_budget_2023.txt", "outlet"): "the release names its ministry only in its body",
}


@pytest.mark.parametrize("split,name", ALL, ids=[f"{s}/{n}" for s, n in ALL])
def test_every_line_of_every_page_is_body_or_removed_with_a_reason(split, name):
    from test_cleaning_lines import _every_line_accounted_for

    from summarize.stages.cleaning import clean

    source = read_source(PAGES / split / name, PAGES / split)
    article = clean(source)
    assert _every_line_accounted_for(source.text, article) == []
    assert all(x.rule for x in article.removed)
