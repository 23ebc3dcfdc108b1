"""Delivery against real servers on this machine: an SMTP server (aiosmtpd) and an HTTP server that stands
in for Slack and checks every payload against Block Kit's structure and limits."""

import html
import json
import re
import socket
import threading
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, wired

from summarize import BriefOptions, run
from summarize.cli import main
from summarize.deliver.mail import SmtpSettings, build_message, send_email, to_html
from summarize.deliver.once import Item, items_to_send
from summarize.deliver.retry import RetryPolicy
from summarize.deliver.slack import LIMITS, SlackTarget, escape, messages_for, mrkdwn, send_slack

ARTICLES = len(json.loads((SAMPLES / "gold.json").read_text(encoding="utf-8")))  # one brief each
NO_WAIT = RetryPolicy(attempts=4, first_wait=0.01, max_wait=0.05, max_total=5)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    """A run over the samples with a scripted model: the briefs every test here delivers."""
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "tests"))
    from conftest import FakeTranslator

    out = tmp_path_factory.mktemp("out")
    report = run(SAMPLES, out, BriefOptions(model="fake/model"), translator_factory=lambda s, o: FakeTranslator())
    assert report.ok
    return out


@pytest.fixture
def out(briefs, tmp_path):
    """A fresh copy of the run's outputs, so that every test starts with nothing delivered."""
    import shutil

    dst = tmp_path / "out"
    shutil.copytree(briefs, dst)
    (dst / ".summarize" / "state.sqlite").unlink()
    return dst


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- SMTP


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, refuses what it is told to, and can fail at first."""

    def __init__(self):
        self.messages = []
        self.fail_first = 0  # answer 451 to this many DATA commands
        self.refuse = set()  # recipients answered 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_first > 0:
            self.fail_first -= 1
            return "451 4.3.0 try again later"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch):
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SUMMARIZE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SUMMARIZE_SMTP_PORT", str(port))
    monkeypatch.setenv("SUMMARIZE_SMTP_SECURITY", "none")
    monkeypatch.setenv("SUMMARIZE_SMTP_FROM", "briefs@example.org")
    yield box
    controller.stop()


def parts(raw: bytes):
    msg = message_from_bytes(raw, policy=default)
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",)).get_content()
    rich = msg.get_body(("html",)).get_content()
    return msg, plain, rich


def test_each_brief_by_email_with_parts_headers_figures_and_quotes(out, smtp):
    settings = SmtpSettings.load()
    outcomes = send_email(out, ["reader@example.org"], settings, each=True, policy=NO_WAIT)
    items = {i.name: i for i in items_to_send(out, each=True)}
    assert [o.status for o in outcomes] == ["sent"] * len(items) == ["sent"] * ARTICLES
    for _, raw in smtp.messages:
        msg, plain, rich = parts(raw)
        assert msg["Message-ID"] and msg["Date"] and msg["From"] == "briefs@example.org"
        headers = raw.split(b"\r\n\r\n", 1)[0]
        subject_line = re.search(rb"^Subject: (.*?)\r\n(?=\S)", headers, re.M | re.S).group(1)
        assert b"=?utf-8?" in subject_line and not re.search(rb"[\x80-\xff]", subject_line)  # RFC 2047 words
        item = next(i for i in items.values() if i.subject == msg["Subject"])  # round trip
        assert re.search("[가-힣]", msg["Subject"])
        text = html.unescape(re.sub(r"<[^>]+>", "", rich))
        for f in item.data["figures"]:
            if f["key"]:
                assert f["text"] in plain and f["text"] in text
        for q in item.data["quotes"]:
            assert q["ko"] in plain and q["ko"] in text
        assert 'style="border-collapse:collapse' in rich and "Noto Sans KR" in rich


@pytest.mark.parametrize("subject", [
    "English: 5 1/3 innings 2 runs 3 straight wins , ⅓ … (류현진, 5⅓이닝 2실점 역투…한화 3연승 이끌어)",
    "가 " * 60 + "⅓ … · 끝",
    "Seoul · 서울 " * 12,
])
def test_a_long_korean_subject_keeps_its_spaces(subject):
    item = Item(kind="brief", name="x", markdown="본문", data={"title": {"ko": subject, "en": None}})
    raw = build_message(item, "reader@example.org", SmtpSettings(host="h", sender="a@example.org")).as_bytes()
    assert message_from_bytes(raw, policy=default)["Subject"] == subject


def test_digest_to_several_recipients_once_then_resend(out, smtp):
    env = {"SUMMARIZE_SMTP_PASSWORD": "s3cr3t-pw"}
    args = ["send", "email", str(out), "--to", "a@example.org", "--to", "b@example.org"]
    r = CliRunner().invoke(main, args, env=env)
    assert r.exit_code == 0, r.output
    assert "2 sent, 0 written (dry run), 0 already sent, 0 failed" in r.output
    assert sorted(rc for rcpts, _ in smtp.messages for rc in rcpts) == ["a@example.org", "b@example.org"]
    r = CliRunner().invoke(main, args, env=env)
    assert "0 sent, 0 written (dry run), 2 already sent" in r.output and len(smtp.messages) == 2  # no double send
    r = CliRunner().invoke(main, [*args, "--resend"], env=env)
    assert "2 sent" in r.output and len(smtp.messages) == 4
    assert "s3cr3t-pw" not in r.output + r.stderr


def test_transient_failures_are_retried(out, smtp):
    smtp.fail_first = 2
    outcomes = send_email(out, ["a@example.org"], SmtpSettings.load(), policy=NO_WAIT)
    assert [(o.status, o.attempts) for o in outcomes] == [("sent", 3)]
    assert len(smtp.messages) == 1


def test_a_refused_recipient_does_not_stop_the_others(out, smtp):
    smtp.refuse = {"gone@example.org"}
    r = CliRunner().invoke(main, ["send", "email", str(out), "--to", "gone@example.org", "--to", "ok@example.org"])
    assert r.exit_code == 1
    assert "1 sent, 0 written (dry run), 0 already sent, 1 failed" in r.output
    assert "gone@example.org" in r.stderr and "550" in r.stderr
    assert [rc for rcpts, _ in smtp.messages for rc in rcpts] == ["ok@example.org"]


def test_secrets_never_leak_into_messages_or_files(out, smtp, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_SMTP_USER", "briefs")
    monkeypatch.setenv("SUMMARIZE_SMTP_PASSWORD", "s3cr3t-pw")  # the test server offers no AUTH: login fails
    r = CliRunner().invoke(main, ["send", "email", str(out), "--to", "a@example.org"])
    assert r.exit_code == 1 and "failed" in r.stderr
    assert "s3cr3t-pw" not in r.output + r.stderr
    for p in out.rglob("*"):
        if p.is_file():
            assert b"s3cr3t-pw" not in p.read_bytes(), p
    assert "s3cr3t" not in repr(SmtpSettings.load())


def test_permanent_when_the_server_is_gone_after_retries(out, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SUMMARIZE_SMTP_PORT", str(free_port()))  # nobody listens
    monkeypatch.setenv("SUMMARIZE_SMTP_SECURITY", "none")
    outcomes = send_email(out, ["a@example.org"], SmtpSettings.load(), policy=NO_WAIT)
    assert outcomes[0].status == "failed" and "gave up after 4 tries" in outcomes[0].detail


def test_dry_run_writes_eml_files(out):
    r = CliRunner().invoke(main, ["send", "email", str(out), "--to", "a@example.org", "--each", "--dry-run"])
    assert r.exit_code == 0 and f"{ARTICLES} written (dry run)" in r.output
    emls = sorted((out / "outbox" / "email").rglob("*.eml"))
    assert len(emls) == ARTICLES
    msg, plain, rich = parts(emls[0].read_bytes())
    assert msg["To"] == "a@example.org"


def test_no_smtp_server_is_a_usage_error(out):
    r = CliRunner().invoke(main, ["send", "email", str(out), "--to", "a@example.org"])
    assert r.exit_code == 2 and "SUMMARIZE_SMTP_HOST" in r.output


def test_password_in_a_config_file_is_refused(out, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[email]\nhost = "smtp.example.org"\npassword = "x"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["send", "email", str(out), "--to", "a@example.org", "--config", str(cfg)])
    assert r.exit_code == 2 and "secrets do not belong in config files" in r.output


# --------------------------------------------------------------------------- Slack


def check_block_kit(payload: dict) -> None:
    """Block Kit's structure and Slack's limits, as Slack enforces them."""
    assert isinstance(payload.get("text"), str) and payload["text"]
    blocks = payload["blocks"]
    assert 0 < len(blocks) <= LIMITS["blocks"]
    for b in blocks:
        assert b["type"] in ("header", "section", "context", "divider")
        if b["type"] == "header":
            assert b["text"]["type"] == "plain_text" and 0 < len(b["text"]["text"]) <= LIMITS["header"]
        if b["type"] == "section":
            assert "text" in b or "fields" in b
            if "text" in b:
                assert b["text"]["type"] == "mrkdwn" and 0 < len(b["text"]["text"]) <= LIMITS["text"]
            for f in b.get("fields", []):
                assert f["type"] == "mrkdwn" and 0 < len(f["text"]) <= LIMITS["field"]
            assert len(b.get("fields", [])) <= LIMITS["fields"]
        if b["type"] == "context":
            assert 0 < len(b["elements"]) <= LIMITS["context"]
            for e in b["elements"]:
                assert len(e["text"]) <= LIMITS["text"]
        for text in re.findall(r'"text": "((?:[^"\\]|\\.)*)"', json.dumps(b, ensure_ascii=False)):
            raw = json.loads(f'"{text}"')
            assert not re.search(r"<(?![@#!]|https?://)", raw), raw  # < only in Slack's own <...> syntax
            assert not re.search(r"&(?!amp;|lt;|gt;)", raw), raw


class SlackStandIn(BaseHTTPRequestHandler):
    """Answers from a script: a list of (status, headers, body); then 200 ok."""

    script: list = []
    received: list = []

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        check_block_kit(payload)
        status, headers, body = self.script.pop(0) if self.script else (200, {}, None)
        if status == 200 and '"ok": false' not in (body or ""):  # what Slack took
            type(self).received.append((self.path, dict(self.headers), payload))
        if body is None:
            body = json.dumps({"ok": True, "ts": f"17.{len(self.received)}"}) if "chat.postMessage" in self.path \
                else "ok"
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body.encode("utf-8"))

    def log_message(self, *args):
        pass


@pytest.fixture
def slack(monkeypatch):
    SlackStandIn.script, SlackStandIn.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlackStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("SUMMARIZE_SLACK_WEBHOOK", f"{base}/services/T000/B000/SECRETHOOK")
    monkeypatch.setenv("SUMMARIZE_SLACK_API", f"{base}/api")
    yield SlackStandIn
    server.shutdown()


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_each_brief_to_slack_keeps_every_figure_and_quote(out, slack):
    r = CliRunner().invoke(main, ["send", "slack", str(out), "--each"])
    assert r.exit_code == 0, r.output + r.stderr
    assert f"{ARTICLES} sent" in r.output
    for item in items_to_send(out, each=True):
        payloads = [p for _, _, p in slack.received if p["text"].startswith(item.subject[:40])]
        assert payloads
        dump = unescape(json.dumps(payloads, ensure_ascii=False)).replace('\\"', '"')
        assert item.data["title"]["ko"] in dump
        for f in item.data["figures"]:
            if f["key"]:
                assert f["text"] in dump and f["en"] in dump
        for q in item.data["quotes"]:
            assert q["ko"] in dump
    assert "SECRETHOOK" not in r.output + r.stderr


def test_slack_retries_429_and_500_then_never_posts_twice(out, slack):
    slack.script = [(429, {"Retry-After": "0"}, "rate limited"), (500, {}, "oops")]
    outcomes = send_slack(out, SlackTarget(webhook=__import__("os").environ["SUMMARIZE_SLACK_WEBHOOK"]),
                          policy=NO_WAIT)
    assert [(o.status, o.attempts) for o in outcomes] == [("sent", 3)]
    r = CliRunner().invoke(main, ["send", "slack", str(out)])
    assert "1 already sent" in r.output and len(slack.received) == 1


def test_slack_404_fails_fast_with_a_clear_message(out, slack):
    slack.script = [(404, {}, "no_service")]
    r = CliRunner().invoke(main, ["send", "slack", str(out)])
    assert r.exit_code == 1
    assert "webhook answered 404 no_service" in r.stderr and "SECRETHOOK" not in r.stderr
    assert slack.script == []  # one try only


def test_token_mode_threads_a_long_brief(out, slack, monkeypatch):
    data = json.loads((out / "seed_shenzhen_hongkong.json").read_text(encoding="utf-8"))
    data["summary"] = data["summary"] * 12  # far over 50 blocks
    (out / "seed_shenzhen_hongkong.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.delenv("SUMMARIZE_SLACK_WEBHOOK")
    monkeypatch.setenv("SUMMARIZE_SLACK_TOKEN", "xoxb-test")  # a secret never on the command line
    r = CliRunner().invoke(main, ["send", "slack", str(out), "--each", "--channel", "#briefs"])
    assert r.exit_code == 0, r.stderr
    seed = [(h, p) for path, h, p in slack.received if path.endswith("/chat.postMessage")
            and "Cyberport" not in p["text"] and p["text"].startswith(data["title"]["en"][:30])]
    assert len(seed) >= 2
    assert seed[0][0]["Authorization"] == "Bearer xoxb-test" and seed[0][1]["channel"] == "#briefs"
    first_ts = f"17.{[p for _, _, p in slack.received].index(seed[0][1]) + 1}"
    assert "thread_ts" not in seed[0][1] and all(p["thread_ts"] == first_ts for _, p in seed[1:])
    assert "xoxb-test" not in r.output + r.stderr


def test_a_long_brief_that_failed_part_way_posts_only_the_rest(out, slack):
    data = json.loads((out / "seed_shenzhen_hongkong.json").read_text(encoding="utf-8"))
    data["summary"] = data["summary"] * 12  # several messages
    (out / "seed_shenzhen_hongkong.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for p in out.glob("*.json"):
        if p.name not in ("seed_shenzhen_hongkong.json", "run.json", "digest.json"):
            p.unlink()
    target = SlackTarget(token="xoxb-test", channel="#briefs", api=__import__("os").environ["SUMMARIZE_SLACK_API"])
    slack.script = [(200, {}, None), (200, {}, json.dumps({"ok": False, "error": "channel_is_archived"}))]
    first = send_slack(out, target, each=True, policy=NO_WAIT)
    assert [o.status for o in first] == ["failed"] and len(slack.received) == 1
    head_ts = "17.1"
    second = send_slack(out, target, each=True, policy=NO_WAIT)
    assert [o.status for o in second] == ["sent"]
    posted = [p for _, _, p in slack.received]
    assert len(posted) >= 2 and posted.count(posted[0]) == 1  # the first message was not posted again
    assert all(p["thread_ts"] == head_ts for p in posted[1:])
    third = send_slack(out, target, each=True, policy=NO_WAIT)
    assert [o.status for o in third] == ["skipped"] and len(slack.received) == len(posted)


def test_split_never_cuts_a_text():
    long_en = " ".join(f"Sentence {i} holds 1,200 companies." for i in range(400))
    data = json.loads((SAMPLES.parent / "samples" / "gold.json").read_text(encoding="utf-8"))
    assert data  # the samples exist
    item_data = {
        "title": {"ko": "제목", "en": "T" * 200}, "meta": {}, "source": {"path": "x.txt"}, "warnings": [],
        "summary": [{"id": 0, "ko": "한국어 문장이다.", "en": long_en, "flags": ["figure-restored"]}],
        "figures": [{"text": f"{i}개", "value": i, "en": str(i), "kind": "count"} for i in range(25)],
        "quotes": [], "model": {"id": "m", "backend": "ct2"}, "tool": {"version": "0"},
    }
    msgs = messages_for(Item("brief", "x", "x", item_data))
    for m in msgs:
        check_block_kit(m)
    texts = [b["text"]["text"] for m in msgs for b in m["blocks"] if b["type"] == "section" and "text" in b]
    joined = " ".join(texts)
    assert "T" * 200 in joined  # the long headline, whole, below the shortened header
    assert all(f"Sentence {i} holds 1,200 companies." in joined for i in range(400))
    fields = [f["text"] for m in msgs for b in m["blocks"] for f in b.get("fields", [])]
    assert len(fields) == 25


@pytest.mark.parametrize(
    "md,expected",
    [("**굵게** and *italic*", "*굵게* and _italic_"), ("[기사](https://e.x/a?b=1&c=2)", "<https://e.x/a?b=1&c=2|기사>"),
     ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"), ("# 제목", "*제목*")],
)
def test_mrkdwn(md, expected):
    assert mrkdwn(md) == expected
    assert escape("<&>") == "&lt;&amp;&gt;"


def test_dry_run_writes_payloads(out):
    r = CliRunner().invoke(main, ["send", "slack", str(out), "--dry-run", "--each"])
    assert r.exit_code == 0
    files = sorted((out / "outbox" / "slack").glob("*.json"))
    assert len(files) >= 7
    for f in files:
        check_block_kit(json.loads(f.read_text(encoding="utf-8")))


def test_brief_delivers_in_the_same_command(tmp_path, smtp, slack, fake_model):
    import shutil

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SAMPLES / "economy_bok_rate.txt", inbox)
    r = CliRunner().invoke(main, ["brief", str(inbox), "--out", str(tmp_path / "o"), "--email-to", "a@example.org",
                                  "--slack"], obj=wired(fake_model))
    assert r.exit_code == 0, r.output + r.stderr
    assert len(smtp.messages) == 1 and len(slack.received) == 1
    msg, plain, _ = parts(smtp.messages[0][1])
    assert "한은, 기준금리 3.50% 동결" in plain


def test_html_email_is_well_formed():
    html_text = to_html("# 제목\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> 인용\n\n<script>x</script>", "제목")
    assert "<table style=" in html_text and "<blockquote style=" in html_text
    assert "<script>" not in html_text  # raw HTML in an article is text, not markup


# security (from the environment, or the [email] table), port set where -> the port a message goes to
DEFAULT_PORTS = [
    ("ssl", None, None, 465),
    ("starttls", None, None, 587),
    ("none", None, None, 25),
    ("ssl", "2465", None, 2465),  # SUMMARIZE_SMTP_PORT beats the default
    ("starttls", None, 1587, 1587),  # and so does the config's port
    ("none", "2525", 1587, 2525),  # the environment beats the config
]


@pytest.mark.parametrize("security,env_port,config_port,port", DEFAULT_PORTS)
def test_smtp_ports_by_security(security, env_port, config_port, port):
    from summarize.options import EmailOptions

    env = {"SUMMARIZE_SMTP_HOST": "smtp.example.org", "SUMMARIZE_SMTP_SECURITY": security}
    if env_port:
        env["SUMMARIZE_SMTP_PORT"] = env_port
    config = EmailOptions(port=config_port) if config_port else None
    assert SmtpSettings.load(config, env).port == port
    if not env_port:  # the security from the config's table gives the same default
        table = EmailOptions(host="smtp.example.org", security=security, port=config_port or 0)
        assert SmtpSettings.load(table, {}).port == port


def test_brief_mails_the_recipients_of_the_config(tmp_path, smtp, fake_model):
    import shutil

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SAMPLES / "economy_bok_rate.txt", inbox)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[email]\nto = ["desk@example.org", "editor@example.org"]\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["brief", str(inbox), "--out", str(tmp_path / "o"), "--config", str(cfg)],
                           obj=wired(fake_model))
    assert r.exit_code == 0, r.output + r.stderr
    assert sorted(rcpt for rcpts, _ in smtp.messages for rcpt in rcpts) == ["desk@example.org", "editor@example.org"]
    r = CliRunner().invoke(main, ["brief", str(inbox), "--out", str(tmp_path / "o"), "--config", str(cfg),
                                  "--email-to", "night@example.org"], obj=wired(fake_model))
    assert r.exit_code == 0 and smtp.messages[-1][0] == ["night@example.org"]  # the flag replaces the list


# Retry-After (seconds) -> the wait before the second try: as Slack asks, up to the policy's longest wait
RETRY_AFTER = [("7", 7.0), ("0.5", 0.5), ("90", 30.0), ("soon", 1.0)]  # not a number: the policy's own wait


@pytest.mark.parametrize("header,wait", RETRY_AFTER)
def test_slack_waits_as_long_as_retry_after_says(out, slack, header, wait):
    slack.script = [(429, {"Retry-After": header}, "rate limited")]
    slept = []
    outcomes = send_slack(out, SlackTarget(webhook=__import__("os").environ["SUMMARIZE_SLACK_WEBHOOK"]),
                          policy=RetryPolicy(attempts=4, first_wait=1.0, max_wait=30.0, max_total=600),
                          sleep=slept.append)
    assert [(o.status, o.attempts) for o in outcomes] == [("sent", 2)]
    assert slept == [wait]
