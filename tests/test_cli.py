"""The command line through Click's CliRunner: exit codes, messages, rejects, --force, re-runs, the lock."""

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, wired

from summarize import __version__
from summarize.article import prepare
from summarize.cli import main
from summarize.jobs import Steps
from summarize.state import STATE_DIR, OutputLock

ARTICLE = (SAMPLES / "economy_bok_rate.txt").read_text(encoding="utf-8")


@pytest.fixture
def inbox(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    shutil.copy(SAMPLES / "culture_museum.html", d / "sub" / "b.html")
    shutil.copy(SAMPLES / "society_heavy_rain_cp949.txt", d / "c.txt")
    return d


def brief(*args, model=None, steps=None, **kw):
    """`summarize brief ARGS`, with `model` (a fake) as its model and `steps` as the steps of an article."""
    wiring = wired(model, **({"steps": steps} if steps else {})) if model else None
    return CliRunner().invoke(main, ["brief", *map(str, args)], catch_exceptions=False, obj=wiring, **kw)


def test_help_and_version():
    r = CliRunner().invoke(main, ["--help"])
    assert r.exit_code == 0 and "brief" in r.output and "models" in r.output
    r = CliRunner().invoke(main, ["brief", "-h"])
    assert r.exit_code == 0
    for opt in ("--out", "--model", "--config", "--device", "--batch-size", "--max-sentences", "--force", "--quiet"):
        assert opt in r.output
    r = CliRunner().invoke(main, ["--version"])
    assert r.exit_code == 0 and __version__ in r.output


def test_writes_briefs_and_run_json(inbox, tmp_path, fake_model):
    out = tmp_path / "out"
    r = brief(inbox, "--out", out, model=fake_model)
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1].startswith("3 briefed, 0 unchanged, 0 rejected, 0 failed in ")
    assert {p.name for p in out.iterdir()} >= {"a.md", "a.json", "b.md", "b.json", "c.md", "c.json", "run.json"}
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["totals"] == {"written": 3, "unchanged": 0, "rejected": 0, "failed": 0}
    assert {a["path"] for a in run["articles"]} == {"a.txt", "sub/b.html", "c.txt"}
    assert all(a["status"] == "written" and "prepare_s" in a["timings"] for a in run["articles"])
    assert run["model"]["id"] == "fake/model"
    assert json.loads((out / "c.json").read_text(encoding="utf-8"))["source"]["encoding"] == "cp949"


def test_rerun_is_incremental_and_force_redoes(inbox, tmp_path, fake_model):
    out = tmp_path / "out"
    assert brief(inbox, "--out", out, model=fake_model).exit_code == 0
    calls = len(fake_model.calls)
    r = brief(inbox, "--out", out, model=fake_model)
    assert r.exit_code == 0 and "0 briefed, 3 unchanged" in r.output
    assert len(fake_model.calls) == calls  # nothing translated again
    (inbox / "a.txt").write_text(ARTICLE.replace("3.50%로 동결했다", "3.25%로 인하했다"), encoding="utf-8")
    r = brief(inbox, "--out", out, model=fake_model)
    assert "1 briefed, 2 unchanged" in r.output
    r = brief(inbox, "--out", out, "--force", model=fake_model)
    assert "3 briefed, 0 unchanged" in r.output
    r = brief(inbox, "--out", out, "--max-sentences", "2", model=fake_model)
    assert "3 briefed" in r.output  # other settings, other briefs
    assert len(json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]) == 2


def test_rejects_are_reported_not_failures(inbox, tmp_path, fake_model):
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "english.txt").write_text("The Bank of Korea kept its rate.\n\nThe central bank said on Thursday that "
                                       "it would hold its stance until inflation eased further.", encoding="utf-8")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (inbox / "menu.html").write_text("<html><body><nav>홈 정치 경제</nav></body></html>", encoding="utf-8")
    (inbox / "notes.json").write_text("{}", encoding="utf-8")  # not an article type: ignored
    out = tmp_path / "out"
    r = brief(inbox, "--out", out, model=fake_model)
    assert r.exit_code == 0
    assert "3 briefed, 0 unchanged, 4 rejected, 0 failed" in r.output
    assert "rejected: empty.txt: empty file" in r.stderr
    assert "rejected: english.txt: not Korean" in r.stderr
    assert "rejected: binary.txt" in r.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    rejected = {a["path"]: a["reason"] for a in run["articles"] if a["status"] == "rejected"}
    assert set(rejected) == {"empty.txt", "english.txt", "binary.txt", "menu.html"}
    assert not (out / "empty.md").exists() and not (out / "english.json").exists()


def test_a_failing_article_does_not_stop_the_others(inbox, tmp_path, fake_model):
    def flaky(path, root, options):
        if path.name == "a.txt":
            raise RuntimeError("boom")
        return prepare(path, root, options)

    out = tmp_path / "out"
    r = brief(inbox, "--out", out, model=fake_model, steps=Steps(prepare=flaky))
    assert r.exit_code == 1
    assert "2 briefed, 0 unchanged, 0 rejected, 1 failed" in r.output
    assert "failed: a.txt: RuntimeError: boom" in r.stderr
    assert (out / "b.md").exists() and (out / "c.md").exists()


def test_colliding_stems_get_unique_names(tmp_path, fake_model):
    d = tmp_path / "in"
    for rel in ("x.txt", "x.html", "sub/x.txt"):
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
    (d / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "sub" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "run.txt").write_text(ARTICLE, encoding="utf-8")  # must not overwrite run.json
    (d / "digest.txt").write_text(ARTICLE, encoding="utf-8")  # nor digest.md
    shutil.copy(SAMPLES / "culture_museum.html", d / "x.html")
    out = tmp_path / "out"
    assert brief(d, "--out", out, model=fake_model).exit_code == 0
    mds = sorted(p.name for p in out.glob("*.md") if p.name != "digest.md")
    assert len(mds) == 5 and len(set(mds)) == 5
    assert "run-txt.md" in mds and "digest-txt.md" in mds
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["totals"]["written"] == 5
    assert brief(d, "--out", out, model=fake_model).output.count("5 unchanged") == 1  # names are stable across runs


@pytest.mark.parametrize(
    "args,message",
    [
        (["/no/such/folder", "--out", "OUT"], "does not exist"),
        (["IN", "--out", "OUT", "--model", "opus-big"], "unknown model alias 'opus-big'; valid aliases: quickmt, opus-mt, opus-mt-tc-big"),
        (["IN", "--out", "OUT", "--device", "tpu"], "--device must be one of auto, cpu, cuda, not 'tpu'"),
        (["IN", "--out", "OUT", "--batch-size", "0"], "--batch-size must be at least 1, not 0"),
        (["IN"], "Missing option '--out'"),
        (["IN", "--out", "OUT", "--config", "CONFIG"], "unknown key in"),
    ],
)
def test_usage_errors_exit_2(inbox, tmp_path, args, message):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("modle = 'opus-mt'\n", encoding="utf-8")
    args = [a.replace("IN", str(inbox)).replace("OUT", str(tmp_path / "out")).replace("CONFIG", str(cfg)) for a in args]
    r = CliRunner().invoke(main, ["brief", *args])
    assert r.exit_code == 2
    assert message in r.output
    assert len(r.output.splitlines()) == 1 and r.output.startswith("error: ")  # one line, no usage text


def test_uncached_model_offline_says_how_to_fetch_it(inbox, tmp_path):
    r = brief(inbox, "--out", tmp_path / "out", "--model", "opus-mt")
    assert r.exit_code == 3  # the model's own exit code: nothing was briefed
    assert len(r.stderr.strip().splitlines()) == 1  # once, not once per article
    msg = r.stderr.strip()
    assert msg.startswith("error: model Helsinki-NLP/opus-mt-ko-en is not in the Hugging Face cache")
    assert "models pull opus-mt" in msg and "--model" in msg
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["totals"]["failed"] == 0 and run["model_error"] and not run["articles"]


def test_second_run_refuses_the_lock(inbox, tmp_path, fake_model):
    out = tmp_path / "out"
    (out / STATE_DIR).mkdir(parents=True)
    with OutputLock(out / STATE_DIR):
        r = brief(inbox, "--out", out, "--lock-wait", "0.3", model=fake_model)
    assert r.exit_code == 4  # the output folder's exit code
    assert "another summarize run" in r.stderr and "is writing to" in r.stderr
    assert not (out / "a.md").exists()
    assert brief(inbox, "--out", out, model=fake_model).exit_code == 0  # once released, the run goes ahead


def test_config_file_and_precedence(inbox, tmp_path, fake_model, monkeypatch):
    cfg = tmp_path / "c.toml"
    cfg.write_text("max_sentences = 3\n", encoding="utf-8")
    out = tmp_path / "out"
    assert brief(inbox, "--out", out, "--config", cfg, model=fake_model).exit_code == 0
    assert len(json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]) == 3
    monkeypatch.setenv("SUMMARIZE_MAX_SENTENCES", "2")  # env beats the file
    assert brief(inbox, "--out", out, "--config", cfg, model=fake_model).exit_code == 0
    assert len(json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]) == 2
    assert brief(inbox, "--out", out, "--config", cfg, "--max-sentences", "1", model=fake_model).exit_code == 0  # flag beats env
    assert len(json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]) == 1


def test_models_lists_aliases():
    r = CliRunner().invoke(main, ["models"])
    assert r.exit_code == 0
    assert "opus-mt-tc-big" in r.output and "Helsinki-NLP/opus-mt-ko-en" in r.output and "not cached" in r.output


@pytest.mark.slow
def test_articles_prepared_in_worker_processes(inbox, tmp_path, fake_model):
    for i in range(6):
        shutil.copy(SAMPLES / "politics_supplementary_budget.txt", inbox / f"p{i}.txt")
    cfg = tmp_path / "w.toml"
    cfg.write_text("workers = 2\n", encoding="utf-8")
    out = tmp_path / "out"
    r = brief(inbox, "--out", out, "--config", cfg, model=fake_model)
    assert r.exit_code == 0 and "9 briefed" in r.output
    one = json.loads((out / "p0.json").read_text(encoding="utf-8"))
    two = json.loads((out / "p5.json").read_text(encoding="utf-8"))
    assert one["summary"] == two["summary"] and len(one["quotes"]) == 8


def test_digest_lists_new_briefs_and_problems_once(inbox, tmp_path, fake_model):
    (inbox / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert brief(inbox, "--out", out, model=fake_model).exit_code == 0
    d = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert [b["path"] for b in d["briefs"]] == ["a.txt", "c.txt", "sub/b.html"]
    assert d["problems"] == [{"path": "empty.txt", "status": "rejected", "reason": "empty file"}]
    md = (out / "digest.md").read_text(encoding="utf-8")
    first = d["briefs"][0]
    # the digest shows each story's English paragraph (the Korean sentences stay in the brief)
    assert first["title"]["ko"] in md and first["gist"] in md and "a.md" in md and "empty file" in md
    assert first["figures"] > 0 and first["quotes"] == 3
    (inbox / "a.txt").write_text(ARTICLE.replace("3.50%로 동결했다", "3.25%로 인하했다"), encoding="utf-8")
    assert brief(inbox, "--out", out, model=fake_model).exit_code == 0
    d = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert [b["path"] for b in d["briefs"]] == ["a.txt"]  # unchanged briefs are not repeated
    assert d["totals"]["unchanged"] == 2


def test_the_digest_from_the_writers_matches_the_digest_read_back_from_the_briefs(inbox, tmp_path, fake_model):
    from summarize.report import build_digest

    out = tmp_path / "out"
    assert brief(inbox, "--out", out, model=fake_model).exit_code == 0
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    written = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert written["briefs"] and written == build_digest(report, out)  # build_digest reads every brief back
