"""Hostile files that must not be lost or misreported: a UTF-8 file with a byte missing, a page nested 10,000
levels deep, a file name near the file system's limit, a file name with a line break in it."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from conftest import SAMPLES, FakeTranslator, wired

from summarize import BriefOptions, run
from summarize.cli import main
from summarize.host import NAME_BYTES

GOOD = SAMPLES / "economy_bok_rate.txt"
KEY = "기준금리를 연 3.50%로 동결했다"


def _run(inbox, out):
    report = run(inbox, out, BriefOptions(workers=0), translator_factory=lambda spec, options: FakeTranslator())
    return {e.path: e for e in report.entries}


def test_a_utf8_file_missing_a_byte_is_read_with_a_warning(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    data = GOOD.read_bytes()
    cut = data.index("동결".encode()) + 1  # the middle of a character
    (inbox / "cut.txt").write_bytes(data[:cut] + data[cut + 1:])
    entry = _run(inbox, tmp_path / "out")["cut.txt"]
    assert entry.status == "written"
    warning = "1 undecodable byte sequence of the file replaced with U+FFFD: a character or two of the article may " \
              "be missing"
    assert entry.warnings == (warning,)
    brief = json.loads((tmp_path / "out" / "cut.json").read_text(encoding="utf-8"))
    assert warning in brief["warnings"]
    articles = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["articles"]
    assert articles[0]["warnings"] == [warning]


def test_a_cp949_file_is_not_mended_as_utf8(tmp_path):
    """Content decides: a CP949 file fails UTF-8 everywhere, so it is CP949, not UTF-8 with replacements."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "legacy.txt").write_bytes(GOOD.read_text(encoding="utf-8").encode("cp949"))
    entry = _run(inbox, tmp_path / "out")["legacy.txt"]
    assert entry.status == "written" and entry.warnings == ()
    assert KEY in (tmp_path / "out" / "legacy.md").read_text(encoding="utf-8")


def test_ten_thousand_nested_divs_keep_their_body(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    paragraphs = "".join(f"<p>{p}</p>" for p in GOOD.read_text(encoding="utf-8").splitlines() if p.strip())
    page = ("<html><head><title>한국은행 기준금리 동결</title></head><body>" + "<div>" * 10000 + paragraphs
            + "</div>" * 10000 + "</body></html>")
    (inbox / "deep.html").write_text(page, encoding="utf-8")
    entry = _run(inbox, tmp_path / "out")["deep.html"]
    assert entry.status == "written", entry.reason
    assert KEY in (tmp_path / "out" / "deep.md").read_text(encoding="utf-8")


def test_a_file_name_near_the_limit_is_briefed(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    name = "기사" * 41 + ".txt"  # 250 bytes: the temporary name of its brief used to pass 255
    assert len(name.encode()) == 250
    shutil.copy(GOOD, inbox / name)
    entry = _run(inbox, tmp_path / "out")[name]
    assert entry.status == "written", entry.reason
    out_name = entry.outputs["json"]
    assert len(out_name.encode()) <= NAME_BYTES + len(".json")
    assert KEY in (tmp_path / "out" / entry.outputs["md"]).read_text(encoding="utf-8")


def test_a_line_break_in_a_file_name_stays_on_its_line(tmp_path, fake_model):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "good.txt")
    (inbox / "two\nlines.txt").write_text("   \n", encoding="utf-8")  # rejected: empty
    r = CliRunner().invoke(main, ["brief", str(inbox), "--out", str(tmp_path / "out")], obj=wired(fake_model))
    assert r.exit_code == 0, r.stderr
    assert "rejected: two\\nlines.txt: empty file" in r.stderr.splitlines()
