"""Secrets never printed: they come from the environment or a file (never a flag), a value that cannot work is
refused without being shown, and every message goes through one redaction."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_delivery import briefs, out, slack, smtp  # noqa: F401 - the fixtures

from summarize.cli import main
from summarize.errors import HIDDEN, keep_secret, printable, redact
from summarize.options import secret

SECRET = "T0SECRET9"

# (variable, its value, the one line the CLI prints): each value holds SECRET, which must not be shown
MALFORMED = [
    ("SUMMARIZE_SLACK_TOKEN", f"xoxb-{SECRET}\n",
     "SUMMARIZE_SLACK_TOKEN does not hold a usable token: it holds a line break at its end (the value is not shown)"),
    ("SUMMARIZE_SLACK_TOKEN", f"xoxb-{SECRET}\r",
     "SUMMARIZE_SLACK_TOKEN does not hold a usable token: it holds a line break at its end (the value is not shown)"),
    ("SUMMARIZE_SLACK_WEBHOOK", f"hooks.slack.com/services/{SECRET}",
     "SUMMARIZE_SLACK_WEBHOOK does not hold a usable webhook URL: it does not start with https:// "
     "(the value is not shown)"),
    ("SUMMARIZE_SLACK_WEBHOOK", f"https://hooks.slack.com/services/{SECRET} x",
     "SUMMARIZE_SLACK_WEBHOOK does not hold a usable webhook URL: a URL holds no spaces (the value is not shown)"),
    ("SUMMARIZE_SLACK_WEBHOOK", f"https://hooks.slack.com:44x3/services/{SECRET}",
     "SUMMARIZE_SLACK_WEBHOOK does not hold a usable webhook URL: its port is not a number from 0 to 65535 "
     "(the value is not shown)"),
]


@pytest.mark.parametrize("variable,value,line", MALFORMED, ids=[repr(m[1][-6:]) for m in MALFORMED])
def test_a_malformed_slack_secret_is_refused_without_being_shown(out, monkeypatch, variable, value, line):  # noqa: F811
    monkeypatch.delenv("SUMMARIZE_SLACK_WEBHOOK", raising=False)
    monkeypatch.setenv(variable, value)
    r = CliRunner().invoke(main, ["send", "slack", str(out), "--channel", "#briefs"])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [f"error: {line}"]
    assert SECRET not in r.output + r.stderr


def test_a_password_smtp_cannot_send_is_refused_without_being_shown(out, smtp, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SUMMARIZE_SMTP_USER", "briefs")
    monkeypatch.setenv("SUMMARIZE_SMTP_PASSWORD", f"비밀{SECRET}")
    r = CliRunner().invoke(main, ["send", "email", str(out), "--to", "desk@example.org"])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["error: SUMMARIZE_SMTP_PASSWORD does not hold a usable password: it holds "
                                     "characters other than ASCII, which SMTP login cannot send (the value is not "
                                     "shown)"]
    assert SECRET not in r.output + r.stderr and not smtp.messages


@pytest.mark.parametrize("flag,variable", [("--webhook", "SUMMARIZE_SLACK_WEBHOOK"), ("--token", "SUMMARIZE_SLACK_TOKEN")])
def test_a_secret_on_the_command_line_is_refused(out, slack, flag, variable):  # noqa: F811
    r = CliRunner().invoke(main, ["send", "slack", str(out), flag, f"https://hooks.slack.com/{SECRET}"])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [f"error: {flag} puts a secret on the command line, where any user of this "
                                     f"machine sees it (ps): set {variable} or pass {flag}-file PATH"]
    assert SECRET not in r.output + r.stderr and not slack.received


def test_the_webhook_from_a_file(out, slack, monkeypatch, tmp_path):  # noqa: F811
    import os

    hook = tmp_path / "hook"
    hook.write_text(os.environ["SUMMARIZE_SLACK_WEBHOOK"] + "\n", encoding="utf-8")  # as an editor saves it
    monkeypatch.setenv("SUMMARIZE_SLACK_WEBHOOK", "https://wrong.invalid/x")
    r = CliRunner().invoke(main, ["send", "slack", str(out), "--webhook-file", str(hook)])
    assert r.exit_code == 0, r.stderr
    assert len(slack.received) >= 1 and slack.received[0][0].endswith("/SECRETHOOK")


def test_a_token_file_with_a_line_break_inside_is_refused(tmp_path):
    f = tmp_path / "token"
    f.write_bytes(f"xoxb-{SECRET}\r\nmore\n".encode())
    with pytest.raises(Exception) as e:
        secret("SUMMARIZE_SLACK_TOKEN", "token", {}, f)
    assert str(e.value) == f"the file {f} does not hold a usable token: it holds a line break (the value is not shown)"


def test_an_error_page_that_echoes_the_address_is_not_printed(out, slack):  # noqa: F811
    slack.script = [(404, {}, "<html>Not found: POST /services/T000/B000/SECRETHOOK</html>")]
    r = CliRunner().invoke(main, ["send", "slack", str(out)])
    assert r.exit_code == 1
    assert "the Slack webhook answered 404" in r.stderr
    assert "SECRETHOOK" not in r.output + r.stderr and "Not found" not in r.stderr


def test_an_unexpected_error_holding_a_secret_is_redacted(out, slack, monkeypatch):  # noqa: F811
    import summarize.deliver.slack as slack_module

    def boom(target, payload, thread_ts=None):
        raise RuntimeError(f"could not open {target.webhook}")

    monkeypatch.setattr(slack_module, "post", boom)
    r = CliRunner().invoke(main, ["send", "slack", str(out), "-vv"])
    assert r.exit_code == 1
    assert "could not open" in r.stderr and "SECRETHOOK" not in r.output + r.stderr


keep_secret("hunter2hunter2")
# (a message, as redact and printable show it)
REDACTED = [
    ("login failed for hunter2hunter2", f"login failed for {HIDDEN}"),
    ("POST https://hooks.slack.com/services/T0/B0/abc failed", f"POST https://hooks.slack.com/{HIDDEN} failed"),
    ("https://user:pw@smtp.example.org:465/x", "https://smtp.example.org:465/x"),
    ("GET https://api.example.org/v1?token=abc", f"GET https://api.example.org/{HIDDEN}"),
    ("Authorization: Bearer abc.def", f"Authorization: {HIDDEN}"),
    ("token xoxb-1234-abcd refused", f"token {HIDDEN} refused"),
    ("https://huggingface.co/Helsinki-NLP/opus-mt-ko-en", "https://huggingface.co/Helsinki-NLP/opus-mt-ko-en"),
]


@pytest.mark.parametrize("message,shown", REDACTED)
def test_redact(message, shown):
    assert redact(message) == shown


@pytest.mark.parametrize("name,shown", [("a\nb.txt", "a\\nb.txt"), ("a\rb\x1b.txt", "a\\rb\\x1b.txt"),
                                        ("기사.txt", "기사.txt")])
def test_printable(name, shown):
    assert printable(name) == shown
