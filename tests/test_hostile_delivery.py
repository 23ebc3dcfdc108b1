"""Delivery under hostile conditions: article text that tries to become a link, an image or a Slack mention;
two senders at once; a server that keeps failing slowly."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time

import pytest
from conftest import SAMPLES, FakeTranslator

from summarize import BriefOptions, run
from summarize.deliver.mail import SmtpSettings, build_messages
from summarize.deliver.once import Item, deliver, items_to_send
from summarize.deliver.retry import RetryPolicy, with_retries
from summarize.deliver.slack import messages_for
from summarize.errors import DeliveryError, Transient, inert

EVIL = "http://evil.example"
# (what an article's author wrote into a sentence) -> it must stay text in the e-mail
WRITTEN = [
    f"[여기를 누르세요]({EVIL}/click)",
    f"![추적 이미지]({EVIL}/pixel.png)",
    f"<{EVIL}/auto>",
    f"[참조][1]\n\n[1]: {EVIL}/ref",
]


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory):
    """A run whose one article carries, in its headline and body, links, an image and Slack mentions."""
    base = tmp_path_factory.mktemp("hostile")
    inbox = base / "in"
    inbox.mkdir()
    text = (SAMPLES / "economy_bok_rate.txt").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(text) if line.startswith("[종합2보]"))
    text[at] = f"<!channel> 한은 <@U123> 기준금리 3.50% 동결 [속보]({EVIL}/title)"  # the headline
    body = [f"한국은행은 이날 회의에서 {w} 기준금리를 연 3.50%로 동결했다고 <!channel> 밝혔다." for w in WRITTEN[:3]]
    (inbox / "evil.txt").write_text("\n".join(text[:at + 1] + body + text[at + 1:]) + "\n", encoding="utf-8")
    report = run(inbox, base / "out", BriefOptions(workers=0, max_sentences=12, max_chars=5000),
                 translator_factory=lambda spec, options: FakeTranslator(lambda ko: ko))  # the Korean as English
    assert report.ok
    return base / "out"


def test_no_link_or_image_of_the_article_is_live_in_the_email(hostile_out):
    for item in items_to_send(hostile_out, each=True) + items_to_send(hostile_out, each=False):
        for msg in build_messages(item, "desk@example.org", SmtpSettings(host="dry-run")):
            rich = msg.get_body(("html",)).get_content()
            assert "evil.example" in rich  # the text is there
            assert not re.search(r"<a [^>]*href=\"[^\"]*evil\.example", rich), rich
            assert not re.search(r"<img", rich)


def test_inert_markdown_renders_as_text():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    for text in WRITTEN:
        html = md.render(inert(text))
        assert "<a " not in html and "<img" not in html, html
    assert inert("[서울=뉴스1] 기자") == "[서울=뉴스1] 기자"  # brackets that make no link are left alone


def _all_text(payload) -> list[str]:
    out = []

    def walk(x):
        if isinstance(x, dict) and x.get("type") == "plain_text":
            return  # a header: Slack parses no mention in plain text
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "text" and isinstance(v, str):
                    out.append(v)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(payload)
    return out


def test_no_mention_of_the_article_reaches_slack(hostile_out):
    for item in items_to_send(hostile_out, each=True) + items_to_send(hostile_out, each=False):
        for payload in messages_for(item, threaded=True):
            for text in _all_text(payload):
                assert "<!channel>" not in text and "<@U123>" not in text, text
                assert not re.search(r"<http://evil", text), text
            assert "&lt;!channel&gt;" in payload["text"] or item.kind == "digest"


def test_two_senders_at_once_send_each_message_once(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    items = [Item("brief", f"b{i}", f"# brief {i}\n", {}) for i in range(6)]
    sent: list[str] = []
    lock = threading.Lock()

    def send_one(item, recipient, logbook):
        time.sleep(0.05)  # slow enough for the other sender to come in between
        with lock:
            sent.append(item.name)
        return 1

    outcomes: list = []
    threads = [threading.Thread(target=lambda: outcomes.extend(deliver(items, ["desk"], "email", send_one, out)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sent) == [f"b{i}" for i in range(6)]  # each once
    assert sorted(o.status for o in outcomes) == ["sent"] * 6 + ["skipped"] * 6


def test_retries_stop_within_their_limit_counting_the_attempts():
    policy = RetryPolicy(attempts=10, first_wait=0.01, max_wait=0.05, max_total=1.0)
    calls = []

    def slow_failure():
        calls.append(time.monotonic())
        time.sleep(0.3)  # an attempt that times out, slowly
        raise Transient("timed out")

    t0 = time.monotonic()
    with pytest.raises(DeliveryError):
        with_retries(slow_failure, policy, "test")
    assert time.monotonic() - t0 <= 1.0 + 0.05
    assert len(calls) == 3  # a fourth would have ended past the limit


def test_the_transports_bound_each_attempt_by_their_timeout(monkeypatch):
    """send_slack and send_email give the retry its attempts' longest: their timeout."""
    import inspect

    from summarize.deliver import mail, slack

    assert "RetryPolicy(attempt_s=target.timeout)" in inspect.getsource(slack.send_slack)
    assert "RetryPolicy(attempt_s=settings.timeout)" in inspect.getsource(mail.send_email)


def test_a_later_run_keeps_the_unsent_digest(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SAMPLES / "economy_bok_rate.txt", inbox / "a.txt")
    out = tmp_path / "out"
    run(inbox, out, BriefOptions(workers=0), translator_factory=lambda spec, options: FakeTranslator())
    first = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    shutil.copy(SAMPLES / "politics_supplementary_budget.txt", inbox / "b.txt")
    run(inbox, out, BriefOptions(workers=0), translator_factory=lambda spec, options: FakeTranslator())
    from summarize.report import kept_digests

    kept = kept_digests(out)
    assert len(kept) == 2  # each run's digest, named by its run, until it is sent
    assert json.loads(kept[0].read_text(encoding="utf-8"))["briefs"] == first["briefs"]


def test_send_delivers_every_kept_digest_then_forgets_them(tmp_path):
    from summarize.deliver.once import forget_sent
    from summarize.report import kept_digests

    inbox = tmp_path / "in"
    inbox.mkdir()
    out = tmp_path / "out"
    for name in ("economy_bok_rate.txt", "politics_supplementary_budget.txt"):  # two runs, nothing sent between
        shutil.copy(SAMPLES / name, inbox / name)
        run(inbox, out, BriefOptions(workers=0), translator_factory=lambda spec, options: FakeTranslator())
    items = items_to_send(out, each=False)
    assert [i.kind for i in items] == ["digest", "digest"] and items[-1].name == "digest"  # oldest first
    sent = []
    outcomes = deliver(items, ["desk"], "email", lambda item, r, log: sent.append(item.markdown) or 1, out)
    forget_sent(items, outcomes)
    assert len(sent) == 2 and sent[1] == (out / "digest.md").read_text(encoding="utf-8")
    assert kept_digests(out) == []  # every recipient has had them
    assert items_to_send(out, each=False)[0].kept is None  # the last digest.md stays for a resend
