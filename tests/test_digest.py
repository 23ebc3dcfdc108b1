"""The digest at scale: stories grouped by section, the most important first, one story from several outlets
merged into one entry, every message within its size (an e-mail under Gmail's clipping size, Slack within Block
Kit's limits, the briefs in the parent's thread), and links that work (anchors, attachments, a published folder)."""

import json
import random
import re
from email import message_from_bytes
from email.policy import default

import pytest
from conftest import FakeTranslator
from corpus import make_corpus
from test_delivery import NO_WAIT, check_block_kit, smtp  # noqa: F401 (smtp: a fixture)

from summarize import BriefOptions, run
from summarize.deliver.mail import HTML_LIMIT, SmtpSettings, build_messages, digest_parts, send_email
from summarize.deliver.once import items_to_send
from summarize.deliver.slack import messages_for
from summarize.report import build_digest, digest_item, digest_markdown

STORIES, COPIES = 300, 30


def brief_data(n: int, outlet: str = "연합뉴스", section: str | None = "경제", flagged: int = 0, length: int = 6,
               words: str = "") -> dict:
    """A brief's JSON as the digest reads it: story `n` in words of its own (or `words`, for copies)."""
    rng = random.Random(n)  # syllables of its own: no two stories alike
    body = words or " ".join("".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(30)) for _ in range(length))
    sentences = [{"id": k, "ko": s} for k, s in enumerate(body.split())]
    return {"title": {"ko": f"제목{n}", "en": f"Story {n}", "flags": []},
            "meta": {"outlet": outlet, "outlet_en": None, "section": section, "section_en": None,
                     "published": "2024-05-23T11:52+09:00", "url": f"https://e.x/{n}"},
            "gist": f"Story {n} in English.", "sentences": sentences,
            "summary": [{"id": 0, "ko": sentences[0]["ko"], "en": f"Story {n} in English.",
                         "flags": ["figure-restored"] if k < flagged else []} for k in range(max(1, flagged))],
            "figures": [], "quotes": []}


def digest_of(briefs: list[dict], base_url: str | None = None) -> dict:
    report = {"started": "2024-05-23T12:00:00+0900", "totals": {"written": len(briefs), "unchanged": 0, "rejected": 0,
                                                                "failed": 0},
              "articles": [{"path": f"{k}.txt", "status": "written", "outputs": {"md": f"{k}.md", "json": f"{k}.json"}}
                           for k in range(len(briefs))]}
    return build_digest(report, None, {f"{k}.txt": digest_item(b) for k, b in enumerate(briefs)}, base_url)


def test_the_same_story_from_several_outlets_is_one_entry_listing_them():
    shared = brief_data(1)["sentences"]
    words = " ".join(s["ko"] for s in shared[:-1]) + " 다른매체는마지막문장을조금바꿔서썼다"  # one of six changed
    d = digest_of([brief_data(1), brief_data(2, "뉴시스"), brief_data(1, "뉴시스", words=words)])
    assert [s["briefs"] for s in d["stories"]] == [["0.txt", "2.txt"], ["1.txt"]]
    assert d["stories"][0]["outlets"] == ["연합뉴스", "뉴시스"]
    md = digest_markdown(d)
    assert md.count("### ") == 2
    assert "Also carried by **뉴시스** ([original](https://e.x/1), [brief](2.md))" in md


# briefs (outlet, section, flagged, length; copies share the story of the one they name) -> the stories in order
ORDER = [
    # more outlets first
    ([("연합뉴스", "경제", 0, 6, None), ("뉴시스", "경제", 0, 6, None), ("뉴스1", "경제", 0, 6, 1)], ["1", "0"]),
    # then a clean story before a flagged one
    ([("연합뉴스", "경제", 1, 9, None), ("연합뉴스", "경제", 0, 6, None)], ["1", "0"]),
    # then the longer article
    ([("연합뉴스", "경제", 0, 4, None), ("연합뉴스", "경제", 0, 8, None)], ["1", "0"]),
    # the lead brief of a story: the clean one
    ([("연합뉴스", "경제", 2, 6, None), ("뉴시스", "경제", 0, 6, 0)], ["1"]),
]


@pytest.mark.parametrize("rows,order", ORDER)
def test_the_most_important_story_first(rows, order):
    briefs = []
    for k, (outlet, section, flagged, length, copy_of) in enumerate(rows):
        if copy_of is None:
            briefs.append(brief_data(k, outlet, section, flagged, length))
        else:
            original = briefs[copy_of]
            briefs.append(brief_data(copy_of, outlet, section, flagged, length,
                                     words=" ".join(s["ko"] for s in original["sentences"])))
    d = digest_of(briefs)
    assert [s["briefs"][0].removesuffix(".txt") for s in d["stories"]] == order


def test_stories_are_grouped_by_section_in_english():
    briefs = [brief_data(0, section="야구"), brief_data(1, section="금융"), brief_data(2, section=None),
              brief_data(3, section="경제"), brief_data(4, section="프로야구")]
    for b in briefs:
        from summarize.stages.provenance import section_english

        b["meta"]["section_en"] = section_english(b["meta"]["section"])
    d = digest_of(briefs)
    sections = {s["name"]: [d["stories"][n]["briefs"][0] for n in s["stories"]] for s in d["sections"]}
    assert sections == {"Sports": ["0.txt", "4.txt"], "Economy": ["1.txt", "3.txt"], "Other": ["2.txt"]}
    assert d["sections"][-1]["name"] == "Other"  # the stories without a section come last
    md = digest_markdown(d)
    assert md.index("## Sports") < md.index("## Economy") < md.index("## Other")


# --------------------------------------------------------------------------- a few hundred articles


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """300 stories and 30 copies of some of them by other outlets, briefed with a scripted model."""
    root = tmp_path_factory.mktemp("big")
    which = make_corpus(root / "in", STORIES, COPIES)
    out = root / "out"
    report = run(root / "in", out, BriefOptions(model="fake/model", workers=0),
                 translator_factory=lambda s, o: FakeTranslator())
    assert report.ok and len(report.entries) == STORIES + COPIES
    return out, which


@pytest.mark.slow
def test_a_few_hundred_articles_make_one_entry_per_story(big):
    out, which = big
    d = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert len(d["briefs"]) == STORIES + COPIES and len(d["stories"]) == STORIES
    for s in d["stories"]:
        assert len({which[p] for p in s["briefs"]}) == 1  # never two stories in one entry
    merged = [s for s in d["stories"] if len(s["briefs"]) > 1]
    assert len(merged) == COPIES and all(len(s["outlets"]) == 2 for s in merged)
    assert d["stories"][:COPIES] == merged  # carried by two outlets: first
    listed = [n for sec in d["sections"] for n in sec["stories"]]
    assert sorted(listed) == list(range(STORIES))  # every story in one section
    for sec in d["sections"]:
        assert all(d["stories"][n]["section"] == sec["name"] for n in sec["stories"])
        assert sec["stories"] == sorted(sec["stories"])  # in order of importance within it
    md = (out / "digest.md").read_text(encoding="utf-8")
    assert md.count("\n### ") == STORIES and md.count("Also carried by") == COPIES
    for b in d["briefs"]:
        assert f"[brief]({b['brief']})" in md


@pytest.mark.slow
def test_the_digest_email_of_a_few_hundred_articles_stays_under_gmails_clipping(big):
    out, _ = big
    item = items_to_send(out, each=False)[0]
    parts = digest_parts(item)
    assert len(parts) > 1
    titles = [b["title"]["en"] for b in item.data["briefs"]]
    leads = {item.data["stories"][s["stories"][0]]["briefs"][0] for s in item.data["sections"]}
    assert leads
    seen: dict[str, int] = {}
    inline, attached = set(), set()
    for k, p in enumerate(parts, 1):
        assert len(p.html.encode("utf-8")) <= HTML_LIMIT < 102_000
        assert p.markdown.startswith(f"# Korean news briefs · {item.data['date']} · part {k} of {len(parts)}")
        assert ("Continued in the next message" in p.markdown) is (k < len(parts))
        assert ("Continued from part" in p.markdown) is (k > 1)
        for m in re.finditer(r"^### (.+)$", p.markdown.split("## The briefs")[0], re.M):
            seen[m.group(1)] = seen.get(m.group(1), 0) + 1
        for anchor in re.findall(r"\]\(#(brief-[\w-]+)\)", p.markdown):
            assert f'id="{anchor}"' in p.html  # a story's link leads to its brief, inline below
            inline.add(anchor.removeprefix("brief-"))
        for name in re.findall(r"brief attached: `([^`]+)\.html`", p.markdown):
            assert f"{name}.html" in {n for n, _ in p.attachments}
            attached.add(name)
        for name, page in p.attachments:
            assert page.startswith("<!DOCTYPE html>") and name.endswith(".html")
    assert sorted(seen.values()) == [1] * len(seen) and set(seen) <= set(titles)  # each story once, in one part
    assert len(seen) == STORIES
    names = {b["brief"].removesuffix(".md") for b in item.data["briefs"]}
    assert inline | attached == names and not inline & attached  # every brief inline or attached, once
    mails = build_messages(item, "r@example.org", SmtpSettings(host="h", sender="a@example.org"))
    assert len(mails) == len(parts)
    for k, m in enumerate(mails, 1):
        m = message_from_bytes(m.as_bytes(), policy=default)
        assert m["Subject"].endswith(f"({k} of {len(mails)})")
        assert len(m.get_body(("html",)).get_content().encode("utf-8")) <= HTML_LIMIT


@pytest.mark.slow
def test_slack_gets_one_parent_and_every_brief_in_its_thread(big):
    out, _ = big
    item = items_to_send(out, each=False)[0]
    msgs = messages_for(item, threaded=True)
    for m in msgs:
        check_block_kit(m)
    parent = msgs[0]
    assert parent["blocks"][0]["type"] == "header" and parent["text"].startswith("Korean news briefs")
    listed = "\n".join(b["text"]["text"] for b in parent["blocks"] if b["type"] == "section" and "text" in b)
    stories = item.story_briefs()
    assert len(stories) == STORIES
    rest = msgs[1:]
    continued = [m for m in rest if m["text"].startswith(item.subject)]  # the list, continued in the thread
    assert sum(len(re.findall(r"^\*\d+\.\*", t, re.M)) for t in
               [listed] + [b["text"]["text"] for m in continued for b in m["blocks"] if "text" in b
                           and isinstance(b["text"], dict)]) == STORIES
    threaded = [m for m in rest if m not in continued]
    for n, briefs in enumerate(stories, 1):
        mine = [m for m in threaded if m["text"].startswith(f"{n}. ")]
        assert mine, n  # the story's brief in the thread
        dump = json.dumps(mine, ensure_ascii=False)
        assert briefs[0].data["title"]["ko"].replace('"', '\\"') in dump
        if len(briefs) > 1:
            assert "Also carried by" in dump
    webhook = messages_for(item, threaded=False)  # a webhook cannot thread: the digest alone
    assert webhook[0] == parent and len(webhook) == 1 + len(continued)


@pytest.mark.slow
def test_a_published_folder_gets_links_and_no_attachments(big, tmp_path):
    out, _ = big
    base = "https://briefs.example.org/daily/"
    item = items_to_send(out, each=False, base_url=base)[0]
    parts = digest_parts(item)
    for p in parts:
        assert not p.attachments and "## The briefs" not in p.markdown
        links = re.findall(r"\[brief\]\(([^)]+)\)", p.markdown)
        assert links and all(u.startswith(base) and u.endswith(".md") for u in links)
    line = json.dumps(messages_for(item)[0], ensure_ascii=False)
    assert f"<{base}" in line  # the parent's story lines link to the published briefs


def test_base_url_in_the_digest_written_by_a_run(tmp_path):
    from conftest import SAMPLES

    report = run(SAMPLES, tmp_path / "out", BriefOptions(model="fake/model", base_url="https://b.example.org/x"),
                 translator_factory=lambda s, o: FakeTranslator())
    assert report.ok
    d = json.loads((tmp_path / "out" / "digest.json").read_text(encoding="utf-8"))
    assert d["base_url"] == "https://b.example.org/x"
    md = (tmp_path / "out" / "digest.md").read_text(encoding="utf-8")
    for b in d["briefs"]:
        assert b["link"] == f"https://b.example.org/x/{b['brief']}" and f"[brief]({b['link']})" in md


def test_the_cli_takes_base_url(tmp_path):
    from click.testing import CliRunner
    from conftest import SAMPLES, wired

    from summarize.cli import main

    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(SAMPLES), "--out", str(out), "--base-url", "https://b.example.org"],
                           obj=wired(FakeTranslator()))
    assert r.exit_code == 0, r.output
    assert json.loads((out / "digest.json").read_text(encoding="utf-8"))["base_url"] == "https://b.example.org"
    r = CliRunner().invoke(main, ["send", "slack", str(out), "--dry-run", "--base-url", "https://c.example.org"])
    assert r.exit_code == 0, r.output
    first = json.loads(next((out / "outbox" / "slack").glob("digest.1.json")).read_text(encoding="utf-8"))
    assert "<https://c.example.org/" in json.dumps(first)  # the flag wins over the digest's
    r = CliRunner().invoke(main, ["brief", str(SAMPLES), "--out", str(out), "--base-url", "example.org"],
                           obj=wired(FakeTranslator()))
    assert r.exit_code == 2 and "base_url must start with http" in r.output


@pytest.mark.slow
def test_a_digest_in_several_messages_is_sent_once_each_and_the_rest_after_a_failure(big, smtp, tmp_path):  # noqa: F811
    import shutil

    out, _ = big
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    (copy / ".summarize" / "state.sqlite").unlink()
    parts = len(digest_parts(items_to_send(copy, each=False)[0]))
    assert parts >= 3
    taken = smtp.handle_DATA

    async def fail_after_two(server, session, envelope):  # the server refuses every message after the second
        if len(smtp.messages) >= 2:
            return "451 4.3.0 try again later"
        return await taken(server, session, envelope)

    smtp.handle_DATA = fail_after_two
    settings = SmtpSettings.load()
    assert [o.status for o in send_email(copy, ["r@example.org"], settings, policy=NO_WAIT)] == ["failed"]
    assert len(smtp.messages) == 2
    smtp.handle_DATA = taken
    assert [o.status for o in send_email(copy, ["r@example.org"], settings, policy=NO_WAIT)] == ["sent"]
    subjects = [message_from_bytes(raw, policy=default)["Subject"] for _, raw in smtp.messages]
    assert len(subjects) == parts == len(set(subjects))  # the first two once, then only the rest
    assert [o.status for o in send_email(copy, ["r@example.org"], settings, policy=NO_WAIT)] == ["skipped"]
