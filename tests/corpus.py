"""A corpus for the digest at scale, made from the samples: each article a new mix of the samples' body sentences
(a story of its own: four sample sentences, one at most shared with another story,
and three of the samples' words in a new order), written as Markdown with front matter (outlet, section, address, time); some stories
filed again by other outlets with a sentence changed (the near-duplicates the digest merges).

    make_corpus(folder, stories=300, copies=30) -> {path: story number}
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
OUTLETS = ["연합뉴스", "뉴시스", "뉴스1", "한빛일보", "한강경제", "매일경제", "KBS", "동아일보"]
SECTIONS = ["정치", "경제", "사회", "국제", "스포츠", "문화", None]
_END = re.compile(r"(?<=다\.)\s+")


def sample_sentences() -> list[str]:
    """The samples' body sentences, one per line of their paragraphs that reads as a sentence."""
    from summarize.article import prepare
    from summarize.options import BriefOptions

    out: list[str] = []
    for p in sorted(SAMPLES.iterdir()):
        if p.suffix in (".txt", ".md", ".html"):
            prep = prepare(p, SAMPLES, BriefOptions())
            out += [s.ko for s in prep.sentences if s.ko.endswith("다.") and 20 <= len(s.ko) <= 200]
    return out


def make_corpus(folder: Path, stories: int = 300, copies: int = 30, seed: int = 7) -> dict[str, int]:
    """Write `stories` articles and `copies` re-filings of some of them into `folder`; which story each file is."""
    rng = random.Random(seed)
    pool = sample_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    which: dict[str, int] = {}
    bodies = []
    words = sorted({w for s in pool for w in s.split() if len(w) >= 2 and not w.endswith(".")})
    used: list[set[str]] = []
    for n in range(stories):
        body = rng.sample(pool, 4)
        while any(len(set(body) & u) > 1 for u in used):  # two stories share one sample sentence at most
            body = rng.sample(pool, 4)
        used.append(set(body))
        # and three sentences of their own: the samples' words in a new order
        body += [" ".join(rng.sample(words, 10)) + "라고 밝혔다." for _ in range(3)]
        title = f"{body[0][:28].rstrip()}… 제{n + 1}보"
        bodies.append((title, body))
        which[_write(folder, f"story{n:03d}.md", title, body, OUTLETS[n % len(OUTLETS)],
                     SECTIONS[n % len(SECTIONS)], n)] = n
    for k in range(copies):
        n = (k * 7) % stories
        title, body = bodies[n]
        edited = list(body)
        edited[-1] = f"이 같은 내용은 {k + 1}번째로 다른 매체를 통해서도 전해졌다."  # one sentence of seven changed
        outlet = OUTLETS[(n + 1 + k % (len(OUTLETS) - 1)) % len(OUTLETS)]  # never the original's
        which[_write(folder, f"copy{k:03d}_of_{n:03d}.md", title, edited, outlet, SECTIONS[n % len(SECTIONS)], n)] = n
    return which


def _write(folder: Path, name: str, title: str, body: list[str], outlet: str, section: str | None, n: int) -> str:
    front = ["---", f'title: "{title}"', f"outlet: {outlet}", f"date: 2024-05-{1 + n % 28:02d} {8 + n % 12:02d}:{n % 60:02d}",
             f"url: https://news.example.org/{name.removesuffix('.md')}"]
    if section:
        front.append(f"section: {section}")
    front.append("---")
    text = "\n".join(front + ["", f"# {title}", ""] + [f"{s}\n" for s in body] + ["홍길동 기자"]) + "\n"
    (folder / name).write_text(text, encoding="utf-8")
    return name
