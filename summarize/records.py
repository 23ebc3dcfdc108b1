"""The frozen records that the rooms of the package pass to each other, and the names of their kinds.

Each stage (summarize.stages: reading, cleaning, segmenting, figures, quotes, selecting, guard,
rendering) takes and returns these; so do the model layer (summarize.translate), one article
(summarize.article) and the run (summarize.run). This module imports nothing of the package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, get_args

# What became of one input in a run (run.json's `status`)
Status = Literal["written", "unchanged", "rejected", "failed"]
STATUSES: tuple[Status, ...] = get_args(Status)

# What a line of a page is (summarize.stages.cleaning.KINDS says each in words; `summarize explain` shows them)
LineClass = Literal[
    "body", "headline", "deck", "subhead", "byline", "date", "dateline", "caption", "credit", "menu", "widget",
    "notice", "related", "ad", "comment", "board", "release", "broadcast", "contact", "copyright", "footer",
    "link", "hashtags", "tag", "end", "after-end", "header", "repeated", "noise",
]
LINE_CLASSES: tuple[LineClass, ...] = get_args(LineClass)

# What an input file is read as
SourceKind = Literal["text", "markdown", "html"]


@dataclass(frozen=True)
class Meta:
    """What is known of an article besides its text."""

    outlet: str | None = None
    author: str | None = None  # a person's name, never an agency or a place
    published: str | None = None  # YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], as the page gives it
    url: str | None = None  # the page's own address: HTML canonical or og:url, Markdown front matter, a .url sidecar
    section: str | None = None  # the page's section (HTML article:section, a breadcrumb's last item)
    outlet_en: str | None = None  # the outlet's English name, where known (stages.provenance, the config's [outlets])
    section_en: str | None = None  # the section's English name (Economy, Politics, ...), where known
    zone_assumed: bool = False  # `published` carries +09:00 because the page gave a time without a zone


@dataclass(frozen=True)
class Source:
    """One input file, decoded."""

    path: str  # relative to the input folder, with forward slashes
    text: str  # decoded text (for HTML: the text the extractor kept)
    encoding: str  # e.g. "utf-8", "utf-8-sig", "utf-16", "cp949"
    sha256: str  # of the raw bytes
    kind: SourceKind
    title: str | None = None  # from HTML metadata or a Markdown heading
    meta: Meta = field(default_factory=Meta)
    # What the page's markup says of each line of `text`: the block it stands in ("nav", "related",
    # "comment", "ad", "share", "footer", "caption", "byline", "date"; "" where nothing is known), with a
    # leading "*" where the article extractor kept the line as main content. Empty for text files.
    zones: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what reading had to mend (undecodable bytes replaced), for the brief and run.json


@dataclass(frozen=True)
class Line:
    """One line of a page, or a part of one, as cleaning classified it: kept (`kind` "body") or removed."""

    no: int  # line number in Source.text, from 1
    text: str
    kind: LineClass
    rule: str  # the rule that decided it, in words


@dataclass(frozen=True)
class Article:
    """An article after cleaning: headline, metadata and body paragraphs, and how every line was classified."""

    title: str | None  # None: the page has no headline line
    meta: Meta
    paragraphs: tuple[str, ...]
    deck: tuple[str, ...] = ()  # sub-headlines between the headline and the body
    lines: tuple[Line, ...] = ()  # every non-blank line of the page, in order, with its class and rule
    cuts: tuple[Line, ...] = ()  # parts removed from body lines (a dateline, a photo credit, a signature)
    # Broadcast sound-bites: (paragraph index, speaker, speaker's title) of paragraphs that are one
    # person's words as spoken on air ([홍길동 / 시민 : …]).
    spoken: tuple[tuple[int, str | None, str | None], ...] = ()

    @property
    def removed(self) -> tuple[Line, ...]:
        """The lines and parts of lines that are not in the body, each with its reason."""
        return tuple(x for x in self.lines if x.kind not in ("body", "headline")) + self.cuts


@dataclass(frozen=True)
class Sentence:
    id: int  # position in the body, from 0
    ko: str
    paragraph: int


@dataclass(frozen=True)
class Figure:
    """A figure found in a sentence, with its value and English rendering."""

    text: str  # verbatim, as in the sentence (without qualifiers such as 약/이상)
    value: int | float | None  # the quantity, where the figure is one
    unit: str | None  # "won", "m²", "%", "items", "year", ...
    en: str  # English rendering, e.g. "260,000 m²", "2 trillion won", "May 2018"
    # amount, count, measure, percent, money, year, date, time, duration, ordinal, range, score, age, ...: the
    # finder's tables name them (figures.COUNTERS and the unit tables), so they are not a closed list here
    kind: str
    sentence: int  # Sentence.id
    start: int  # offsets of `text` in the sentence
    end: int
    qualifier: str | None = None  # "about", "more than", ...
    # What the English must contain for the figure to count as rendered: each
    # entry is a set of acceptable number tokens (see figures.english_tokens).
    required: tuple[tuple[str, ...], ...] = ()
    tokens: tuple[str, ...] = ()  # every number token an English rendering of it may hold


@dataclass(frozen=True)
class Quote:
    ko: str  # verbatim text between the quote marks
    speaker: str | None  # the person's name (성기홍), or an organisation where no person is named
    sentence: int  # the sentence the quote opens in
    start: int  # offsets of `ko` in the sentence (a quote that runs on into later sentences: to its end)
    end: int
    speaker_title: str | None = None  # the speaker's role (연합뉴스 사장), apart from the name
    last_sentence: int | None = None  # the sentence a quote that runs over paragraphs closes in


@dataclass(frozen=True)
class SentenceScore:
    """Why a sentence is in the summary: its score and the parts that add up to it (see selecting)."""

    id: int  # Sentence.id
    total: float  # the sum of the parts below
    position: float  # where it stands among the article's content sentences (the lead scores most)
    headline: float  # how much of the headline it carries
    centrality: float  # how much its content words share with the rest of the article
    length: float  # how much it says
    figures: float  # a tie-breaker
    quote: float  # a tie-breaker
    penalty: float  # a line that is not content: a caption, byline, notice, question, very short line
    redundancy: float  # what it repeats of the sentences chosen before it
    rank: int  # the order in which it was chosen, from 1


@dataclass(frozen=True)
class Translated:
    """One translated unit (the title, a summary sentence, a quote, a speaker)."""

    ko: str
    en: str
    flags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # human-readable details behind the flags


@dataclass(frozen=True)
class ModelInfo:
    """Which model translated, and how: recorded in every brief and part of the translation cache key."""

    id: str
    revision: str | None
    settings: dict[str, Any]  # the generation options
    backend: str = "transformers"  # or "ct2"
    compute_type: str | None = None  # float32, float16, int8, ...


class Unit(NamedTuple):
    """A text to translate (a headline, a summary sentence, a quote, a speaker), with the figures its English
    must keep and the glossary's names it holds: (Korean, English) pairs whose English must be in its English."""

    ko: str
    figures: tuple[Figure, ...]
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Name:
    """A person, organisation or place that an article names, with its English: the glossary's (or, for a
    country or a city, the built-in name), else a romanisation (Revised Romanization) for the glossary to take up."""

    ko: str
    en: str
    kind: Literal["person", "organisation", "place", "other"]
    romanised: bool  # True: the English is a romanisation, not a name the glossary or the tool knows
    count: int = 1  # how often the article names it


class SummaryLine(NamedTuple):
    """A summary sentence (its Sentence.id) with its English."""

    id: int
    text: Translated


class QuoteLine(NamedTuple):
    """A quote with its English, and the English of who said it (None: the article does not say)."""

    quote: Quote
    text: Translated
    speaker: Translated | None


@dataclass(frozen=True)
class Brief:
    """Everything that the Markdown and JSON renderings show."""

    source: Source
    article: Article
    sentences: tuple[Sentence, ...]
    summary: tuple[SummaryLine, ...]
    figures: tuple[Figure, ...]
    quotes: tuple[QuoteLine, ...]
    title: Translated
    warnings: tuple[str, ...]
    model: ModelInfo
    tool_version: str
    scores: tuple[SentenceScore, ...] = ()  # why each summary sentence was chosen (selecting)
    names: tuple[Name, ...] = ()  # who and what the article names, with their English


# --------------------------------------------------------------------------- one article, one run


@dataclass(frozen=True)
class Prepared:
    """An article read, cleaned, segmented, with its figures, quotes and summary chosen: ready to translate."""

    source: Source
    article: Article
    sentences: tuple[Sentence, ...]
    figures: tuple[Figure, ...]
    quotes: tuple[Quote, ...]
    summary: tuple[int, ...]
    # The texts to translate: the title, the summary sentences, each quote, and the speakers (their names, or
    # the role of a speaker the article does not name), each with the figures its English must keep
    units: tuple[Unit, ...] = ()
    scores: tuple[SentenceScore, ...] = ()  # why each summary sentence was chosen, in the order of `summary`
    names: tuple[Name, ...] = ()  # who and what the article names, with their English


@dataclass(frozen=True)
class Explained:
    """How the reading and cleaning stages see one file: its lines, each with its class and rule."""

    path: str
    source: Source | None  # None: the file could not be read as text
    article: Article | None  # None: rejected
    reason: str | None  # why it was rejected
    lines: tuple[Line, ...]  # every non-blank line with its class and rule (as far as cleaning got)
    cuts: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Entry:
    """What became of one input in a run: one entry of run.json's `articles`."""

    path: str  # relative to the input folder, with forward slashes
    status: Status
    reason: str | None = None  # why it was rejected or failed
    outputs: dict[str, str] | None = None  # {"md": "X.md", "json": "X.json"}
    timings: dict[str, float] = field(default_factory=dict)  # prepare_s, translate_s, render_s
    flags: int = 0  # flagged summary sentences
    warnings: tuple[str, ...] = ()  # what reading had to mend (undecodable bytes replaced)


# The steps of a run that take time, in the order they start: the inputs planned (which need briefing), the
# model's files found (fetched where missing), Kiwi loaded in the workers, the model converted for CTranslate2
# (once), the model loaded and checked; then the articles are briefed.
PhaseName = Literal["plan", "locate", "kiwi", "convert", "model"]
PHASES: tuple[PhaseName, ...] = get_args(PhaseName)


@dataclass(frozen=True)
class Phase:
    """A step of a run as it starts (`seconds` is None) and as it ends (`seconds`: the time it took). `detail`
    names what it is about (the model); `count`, at the end of `plan`, is the number of articles to brief."""

    name: PhaseName
    detail: str = ""
    seconds: float | None = None
    count: int | None = None


# What a run tells of its steps (the library never prints: the CLI shows them)
OnPhase = Callable[[Phase], None]
