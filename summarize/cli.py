"""The command line (Click only): parses, validates, wires, and maps errors to exit codes; the work is done
by the library (summarize.run, summarize.article, summarize.deliver, summarize.translate).

Every error a user can cause is one line on stderr (`error: ...`) and one of these exit codes; a traceback
only with -vv:

  0  every accepted article was briefed or is unchanged (rejected inputs are reported, not failures)
  1  the run went through, but an article or a delivery failed; or an unexpected error (a bug)
  2  usage: a bad flag, environment variable or config file; an unknown model alias or a missing model folder;
     an input folder with no article files, or --out that is the input folder or holds it; a delivery asked
     for without its settings (all checked before any work)
  3  the model cannot be used (not fetched, not loadable, or fails its vocabulary check): nothing was briefed
  4  the output folder cannot be used: not writable, another run holds it, or a newer version wrote its state
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click
from click.core import ParameterSource

from .errors import (
    ConfigError,
    InputError,
    Locked,
    ModelUnavailable,
    OutputError,
    StateError,
    SummarizeError,
    keep_secret,
    printable,
    redact,
)
from .jobs import STEPS, Steps
from .options import BriefOptions, Spec, secret, settle, spec_of
from .progress import Progress
from .records import Entry, Phase
from .run import Locator
from .translate.base import TranslatorFactory
from .version import __version__
from .workers import PoolFactory, Workers

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_MODEL, EXIT_OUTPUT = 0, 1, 2, 3, 4

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100, "terminal_width": 100}


@dataclass(frozen=True)
class Wiring:
    """What the commands run on, where it is not the default: the model loader (and what finds its files first),
    the steps of an article, the pool of workers. A test hands in fakes: `CliRunner().invoke(main, args,
    obj=Wiring(...))`."""

    translator_factory: TranslatorFactory | None = None
    steps: Steps = STEPS
    pool: PoolFactory = Workers
    locator: Locator | None = None


def _wiring() -> Wiring:
    obj = click.get_current_context().find_root().obj
    return obj if isinstance(obj, Wiring) else Wiring()


def _spec(name: str) -> Spec:
    return spec_of(BriefOptions, name)


# The option types of the settings, built from their one definition in summarize.options: the choices and ranges
# that --help shows. They take any text: summarize.options.settle checks it, with the config file's values and
# the environment's, so that every bad setting is told at once, one line each.
class _Choice(click.Choice):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


class _IntRange(click.IntRange):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


class _FloatRange(click.FloatRange):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


def _choice(name: str) -> click.Choice:
    """The choices of option `name`, as summarize.options defines them."""
    return _Choice(list(_spec(name).choices))


def _range(name: str) -> click.IntRange | click.FloatRange:
    """The range of option `name`, as summarize.options defines it (a flag's own lower bound where it has one)."""
    spec = _spec(name)
    low = spec.flag_min if spec.flag_min is not None else spec.min
    if spec.type is int:
        return _IntRange(min=None if low is None else int(low), max=None if spec.max is None else int(spec.max))
    return _FloatRange(min=low, max=spec.max)


def _env(name: str) -> str | None:
    return _spec(name).env


def _given(ctx: click.Context, names: tuple[str, ...]) -> dict[str, tuple[Any, str]]:
    """The settings given as flags or environment variables: name -> (value, the flag or variable it came from)."""
    out: dict[str, tuple[Any, str]] = {}
    params = {p.name: p for p in ctx.command.params}
    for name in names:
        value = ctx.params.get(name)
        if value is None:
            continue
        param = params[name]
        if ctx.get_parameter_source(name) is ParameterSource.ENVIRONMENT:
            where = str(param.envvar)
        else:
            where = max((o for o in param.opts if o.startswith("--")), key=len, default=param.opts[0]).split("/")[0]
        out[name] = (value, where)
    return out


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Redacting("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("summarize")
    root.handlers[:] = [handler]
    root.setLevel(level)


def _tracebacks() -> bool:
    """Whether -vv asked for debug output (and so for tracebacks)."""
    return logging.getLogger("summarize").getEffectiveLevel() <= logging.DEBUG


def _line(text: str) -> str:
    """A message as it may be shown: without secrets, on one line (summarize.errors.redact and printable)."""
    return printable(redact(text))


class _Redacting(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(_line(line) for line in super().format(record).split("\n"))


def _fail(code: int, *lines: str) -> NoReturn:
    """One line on stderr per problem, and the exit code."""
    for line in lines:
        click.echo(f"error: {_line(line)}", err=True)
    sys.exit(code)


class _Main(click.Group):
    """The group, with every error in one line: Click's usage errors (without the usage text), and an error
    nobody expected (its traceback with -vv)."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            e.show()
            sys.exit(e.exit_code)
        except click.UsageError as e:
            hint = f" (`{e.ctx.command_path} --help` shows the options)" if e.ctx is not None else ""
            _fail(EXIT_USAGE, f"{e.format_message()}{hint}")
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except (click.Abort, KeyboardInterrupt, EOFError):
            click.echo("\ninterrupted", err=True)
            sys.exit(130)
        except Exception as e:  # a bug, or something nobody thought of: one line, and the traceback with -vv
            if _tracebacks():
                click.echo("\n".join(_line(x) for x in traceback.format_exc().rstrip().split("\n")), err=True)
            where = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
            at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
            _fail(EXIT_FAILED, f"unexpected {type(e).__name__}{at}: {str(e).splitlines()[0] if str(e) else ''} "
                               "(-vv shows the traceback)")
        sys.exit(rv if isinstance(rv, int) else EXIT_OK)


@click.group(cls=_Main, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="summarize", message="%(prog)s %(version)s")
def main() -> None:
    """Turn a folder of Korean news articles into bilingual (Korean + English) briefs.

    Settings come from, highest first: command-line flags, environment variables
    (SUMMARIZE_MODEL, SUMMARIZE_CONFIG, SUMMARIZE_DEVICE, SUMMARIZE_BATCH_SIZE, ...),
    the --config file, and the built-in defaults (configs/default.toml shows them all).
    """


class _InputDir(click.ParamType):
    """A folder that exists, or (for --executor ray) the URL of a folder in object storage (s3://, gs://, ...)."""

    name = "folder"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and "://" in value:
            return value  # run() says that only --executor ray reads it
        return click.Path(exists=True, file_okay=False, path_type=Path).convert(value, param, ctx)


@main.command(context_settings=CONTEXT)
@click.argument("input_dir", type=_InputDir())
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the briefs (X.md, X.json), run.json and the run state.")
@click.option("--model", "-m", envvar=_env("model"), metavar="ALIAS|HUB_ID|PATH",
              help="Translation model: an alias (see `summarize models`), a hub id, or a local folder (default: "
                   "quickmt; opus-mt with --backend transformers).")
@click.option("--revision", envvar=_env("revision"), help="Hub revision (branch, tag or commit) of the model.")
@click.option("--config", "-c", "config_file", envvar="SUMMARIZE_CONFIG",
              type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file.")
@click.option("--device", envvar=_env("device"), type=_choice("device"),
              help="Where the model runs (default: auto, the GPU when there is one).")
@click.option("--backend", envvar=_env("backend"), type=_choice("backend"),
              help="Translation engine (default: auto, CTranslate2 where it works, else transformers).")
@click.option("--compute-type", envvar=_env("compute_type"), type=_choice("compute_type"),
              help="Precision (default: auto, int8 on CPU and float16 on GPU with ct2).")
@click.option("--threads", envvar=_env("threads"), type=_range("threads"),
              help="CPU threads (default: 0, half the cores).")
@click.option("--batch-size", envvar=_env("batch_size"), type=_range("batch_size"),
              help="Sentences per model call (default: 32 on a CPU, 1024 on a GPU).")
@click.option("--max-sentences", envvar=_env("max_sentences"), type=_range("max_sentences"),
              help="Longest summary, in sentences.")
@click.option("--max-unknown", envvar=_env("max_unknown"), type=_range("max_unknown"), metavar="SHARE",
              help="Stop before translating if the model's vocabulary lacks more than this share of the pieces "
                   "of Korean text (default: 0.02; 1 turns the check off).")
@click.option("--time-limit", envvar=_env("time_limit"), type=_range("time_limit"), metavar="SECONDS",
              help="Seconds one article may take before translation; past them it fails and the run goes on "
                   "(default: 60).")
@click.option("--offline/--online", default=None,
              help="Offline: use only the HF cache or a local folder, never the hub (HF_HUB_OFFLINE=1 too).")
@click.option("--force", is_flag=True, help="Redo every article, even those whose brief is up to date.")
@click.option("--lock-wait", type=click.FloatRange(min=0), default=0, show_default=True, metavar="SECONDS",
              help="How long to wait when another run holds OUT_DIR before giving up.")
@click.option("--email-to", "email_to", multiple=True, metavar="ADDR",
              help="Then mail the digest to ADDR (repeatable; SMTP settings: see `summarize send email`).")
@click.option("--slack", "to_slack", is_flag=True,
              help="Then post the digest to Slack (SUMMARIZE_SLACK_WEBHOOK, or SUMMARIZE_SLACK_TOKEN and a channel).")
@click.option("--each", is_flag=True, help="Deliver each new brief instead of the digest.")
@click.option("--base-url", envvar=_env("base_url"), metavar="URL",
              help="Where OUT_DIR is published on the web: the digest's links become URL + file name.")
@click.option("--executor", envvar=_env("executor"), type=_choice("executor"),
              help="Where the articles are prepared and translated: local (this machine; the default) or ray (a Ray "
                   "cluster, docs/cluster.md; pip install 'summarize[ray]').")
@click.option("--ray-address", envvar=_env("ray_address"), metavar="auto|HOST:PORT",
              help="With --executor ray: the cluster (auto: the one this machine is a node of; default: RAY_ADDRESS, "
                   "else a Ray started for the run).")
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr, no progress bar.")
def brief(input_dir, out_dir, model, revision, config_file, device, backend, compute_type, threads, batch_size,
          max_sentences, max_unknown, time_limit, offline, force, lock_wait, email_to, to_slack, each, base_url,
          executor, ray_address, verbose, quiet):
    """Brief every article (.txt, .md, .html, .htm) under INPUT_DIR into OUT_DIR.

    Writes OUT_DIR/X.md and OUT_DIR/X.json per article and OUT_DIR/run.json for the run.
    Articles whose content, model and settings are unchanged are skipped (--force redoes them).
    With --executor ray, INPUT_DIR may be a folder in object storage (s3://bucket/folder, gs://...).
    """
    _setup_logging(verbose, quiet)
    from .run import run

    ctx = click.get_current_context()
    given = _given(ctx, SETTINGS)
    offline_env = _env("offline") or ""
    if "offline" not in given and os.environ.get(offline_env):
        given["offline"] = (os.environ[offline_env], offline_env)
    try:
        options = settle(config_file, given, os.environ)
    except ConfigError as e:
        _fail(EXIT_USAGE, *e.problems)
    recipients = list(email_to) or list(options.email.to)
    smtp, slack = _delivery_settings(options, recipients, to_slack)  # before any work: a missing setting stops it

    display = _Display(quiet, verbose, sys.stderr.isatty())
    wiring = _wiring()
    try:
        with display:
            report = run(input_dir, out_dir, options, force=force, lock_wait=lock_wait, on_entry=display.entry,
                         on_phase=display.phase, translator_factory=wiring.translator_factory, steps=wiring.steps,
                         pool=wiring.pool, locator=wiring.locator)
    except ConfigError as e:  # an unknown model alias, a model folder that is not there
        _fail(EXIT_USAGE, *e.problems)
    except InputError as e:
        _fail(EXIT_USAGE, str(e))
    except ModelUnavailable as e:
        _fail(EXIT_MODEL, _model_problem(e))
    except (OutputError, Locked, StateError) as e:
        _fail(EXIT_OUTPUT, str(e))
    except SummarizeError as e:
        _fail(EXIT_FAILED, str(e))
    click.echo(report.summary_line())
    delivered_ok = True
    if smtp is not None:
        delivered_ok &= _send_email(out_dir, recipients, options, each, False, False, smtp)
    if slack is not None:
        delivered_ok &= _slack_report(_slack(out_dir, slack, each, False, False, options.base_url))
    sys.exit(EXIT_OK if report.ok and delivered_ok else EXIT_FAILED)


# The settings that `summarize brief` takes as flags (and environment variables), checked with the config's
SETTINGS = ("model", "revision", "device", "backend", "compute_type", "threads", "batch_size", "max_sentences",
            "max_unknown", "time_limit", "offline", "base_url", "executor", "ray_address")


def _delivery_settings(options: BriefOptions, recipients: list[str], to_slack: bool) -> tuple[Any, Any]:
    """The SMTP settings and the Slack target a run will deliver with (None where it will not), checked now, so
    that a setting that is missing stops the run before any work rather than after it."""
    from .deliver.mail import SmtpSettings

    problems, smtp, slack = [], None, None
    if recipients:
        try:
            smtp = SmtpSettings.load(options.email)
        except ConfigError as e:
            problems += [f"--email-to: {p}" for p in e.problems]
    if to_slack:
        try:
            slack = _slack_target(None, None, options.slack.channel, False)
        except ConfigError as e:
            problems += [f"--slack: {p}" for p in e.problems]
    if problems:
        _fail(EXIT_USAGE, *problems)
    return smtp, slack


def _prog() -> str:
    """This program as the user can run it again: `summarize` where that is the one on the PATH, else its path
    (`.venv/bin/summarize`), else `python -m summarize`."""
    argv0 = Path(sys.argv[0])
    if argv0.name == "summarize" and argv0.is_file():
        on_path = shutil.which("summarize")
        if on_path and Path(on_path).resolve() == argv0.resolve():
            return "summarize"
        try:
            return shlex.quote(str(argv0.resolve().relative_to(Path.cwd())))
        except ValueError:
            return shlex.quote(str(argv0.resolve()))
    python = Path(sys.executable)
    on_path = shutil.which(python.name)
    if on_path and Path(on_path).resolve() == python.resolve():
        shown = python.name
    else:
        try:
            shown = str(python.relative_to(Path.cwd()))
        except ValueError:
            shown = str(python)
    return f"{shlex.quote(shown)} -m summarize"


def _trial() -> str:
    """The way to try the tool with no download (the Makefile's tiny random model), where there is a checkout."""
    root = Path(__file__).resolve().parent.parent
    makefile = root / "Makefile"
    if not makefile.is_file() or "tiny-model:" not in makefile.read_text(encoding="utf-8", errors="replace"):
        return ""
    cd = "" if root == Path.cwd().resolve() else f"cd {shlex.quote(str(root))} && "
    return f"; to try the tool without a download: `{cd}make tiny-model && make brief MODEL=.tiny-model`"


def _model_problem(e: ModelUnavailable) -> str:
    """The model's problem in one line: the cause, and a fix that works as written."""
    if not e.fetch:  # the trial route where the model itself is missing or broken, not the wrong one for the run
        return f"{e.cause}{_trial() if type(e) is ModelUnavailable else ''}"
    pull = f"`{_prog()} models pull {shlex.quote(e.fetch)}`"
    if e.offline == "offline mode is on":
        fix = (f"fetch it with {pull} with offline mode off (HF_HUB_OFFLINE unset, no --offline), here or on a "
               "machine that can reach the hub and then copy its Hugging Face cache here; or give --model a folder "
               "that holds the model")
    elif e.offline:
        fix = (f"on a machine that can reach the hub, {pull} fetches it; then copy that machine's Hugging Face cache "
               "(HF_HOME) here, or the model's folder, and give --model that folder")
    else:
        fix = f"fetch it with {pull}"
    return f"{e.cause}: {fix}{_trial()}"


class _Display:
    """What `summarize brief` shows on stderr as it goes: a line for each step that takes time, rejects and
    failures, and (on a terminal) a status line with the articles done, the rate, the time elapsed and left."""

    SLOW = 0.5  # a step that took less is not worth a line of its own

    def __init__(self, quiet: bool, verbose: int, tty: bool):
        self.quiet, self.verbose, self.live = quiet, verbose, tty and not quiet
        self.progress = Progress()
        self.planned = False
        self.unchanged = 0
        self.status = ""  # the status line on screen ("" where there is none)
        self.handler_filter = self._clear_for_log

    def __enter__(self) -> _Display:
        for h in logging.getLogger("summarize").handlers:
            h.addFilter(self.handler_filter)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._show("")
        for h in logging.getLogger("summarize").handlers:
            h.removeFilter(self.handler_filter)

    def _clear_for_log(self, record: logging.LogRecord) -> bool:
        self._show("")
        return True

    def _show(self, status: str) -> None:
        """Replace the status line (on a terminal only: a carriage return, and the line cleared)."""
        if not self.live:
            return
        if status or self.status:
            sys.stderr.write(f"\r\033[K{status}")
            sys.stderr.flush()
        self.status = status

    def say(self, line: str) -> None:
        """A line that stays, above the status line."""
        status = self.status
        self._show("")
        click.echo(line, err=True)
        self._show(status)

    def phase(self, p: Phase) -> None:
        done = p.seconds is not None
        if p.name == "plan" and done:
            self.planned = True
            self.progress.plan(p.count or 0)
        elif p.name == "model" and done:
            self.progress.ready()
        if self.quiet or p.name == "plan":
            return
        if not done:
            text = {"locate": f"finding the model {p.detail} (fetching it where it is missing)",
                    "kiwi": "loading Kiwi (the Korean analyser)",
                    "convert": f"converting {p.detail} for CTranslate2 (once; it is cached after)",
                    "model": f"loading the model {p.detail} and checking it"}[p.name]
            if self.live:
                self._show(text + " ...")
            elif p.name == "convert":
                self.say(text + " ...")
            return
        seconds = p.seconds or 0.0
        if p.name == "locate" and seconds < self.SLOW:
            self._show(self.progress_line())
            return
        text = {"locate": f"model {p.detail} found", "kiwi": "Kiwi loaded",
                "convert": f"{p.detail} converted for CTranslate2", "model": f"model {p.detail} loaded and checked"}[p.name]
        n = self.progress.total
        todo = f"; briefing {n} article{'' if n == 1 else 's'} ({self.unchanged} unchanged)" if p.name == "model" else ""
        self.say(f"{text} in {seconds:.1f} s{todo}")
        self._show(self.progress_line())

    def progress_line(self) -> str:
        return f"briefing {self.progress.line()}" if self.planned else ""

    def entry(self, e: Entry) -> None:
        if not self.planned:
            self.unchanged += e.status == "unchanged"
        else:
            self.progress.advance()
        if e.status in ("rejected", "failed") and (not self.quiet or e.status == "failed"):
            self.say(_line(f"{e.status}: {e.path}: {e.reason}"))
        elif e.status == "written" and self.verbose and e.outputs:
            self.say(_line(f"written: {e.path} -> {e.outputs['md']}"))
        self._show(self.progress_line())


def _report(outcomes) -> bool:
    """One line per delivery that did not simply go through, and a summary; True if none failed."""
    for o in outcomes:
        if o.status == "failed":
            click.echo(_line(f"failed: {o.channel} {o.item} to {o.recipient}: {o.detail}"), err=True)
        elif o.status == "written":
            click.echo(_line(f"written: {o.detail}"))
    counts = {k: sum(1 for o in outcomes if o.status == k) for k in ("sent", "written", "skipped", "failed")}
    click.echo(f"{counts['sent']} sent, {counts['written']} written (dry run), {counts['skipped']} already sent, "
               f"{counts['failed']} failed")
    return counts["failed"] == 0


def _send_email(out_dir: Path, recipients: list[str], options: BriefOptions, each: bool, dry_run: bool,
                resend: bool, settings: Any = None) -> bool:
    from .deliver.mail import SmtpSettings, send_email

    if settings is None:
        try:
            settings = SmtpSettings.load(options.email) if not dry_run or options.email.host \
                else SmtpSettings(host="dry-run", sender=options.email.sender or "summarize@localhost")
        except ConfigError as e:
            _fail(EXIT_USAGE, *e.problems)
    try:
        return _report(send_email(Path(out_dir), recipients, settings, each, dry_run, resend,
                                  base_url=options.base_url))
    except SummarizeError as e:
        click.echo(f"error: {_line(str(e))}", err=True)
        return False


def _slack_target(webhook_file: Path | None, token_file: Path | None, channel: str | None, dry_run: bool) -> Any:
    """Where Slack messages go: a webhook, or a token with a channel (ConfigError where neither is set, or where
    a secret cannot work). The secrets come from their files, else from the environment; never from a flag."""
    from .deliver.slack import SlackTarget

    webhook = secret("SUMMARIZE_SLACK_WEBHOOK", "url", os.environ, webhook_file)
    token = secret("SUMMARIZE_SLACK_TOKEN", "token", os.environ, token_file)
    if not dry_run and not webhook and not token:
        raise ConfigError("no Slack destination: set SUMMARIZE_SLACK_WEBHOOK, or SUMMARIZE_SLACK_TOKEN with --channel")
    if token and not webhook and not channel:
        raise ConfigError("posting with a token needs --channel (or channel in the config's [slack] table)")
    return SlackTarget(webhook=None if token and not webhook else webhook, token=token if not webhook else None,
                       channel=channel, api=os.environ.get("SUMMARIZE_SLACK_API", "https://slack.com/api"))


def _slack(out_dir: Path, target: Any, each: bool, dry_run: bool, resend: bool,
           base_url: str | None = None) -> list[Any]:
    from .deliver.slack import send_slack

    try:
        return list(send_slack(Path(out_dir), target, each, dry_run, resend, base_url=base_url))
    except SummarizeError as e:
        click.echo(f"error: {_line(str(e))}", err=True)
        return [_Failed()]


def _slack_report(outcomes: list[Any]) -> bool:
    """The report of a Slack delivery; False where it failed as a whole (and said why) or in part."""
    whole = any(isinstance(o, _Failed) for o in outcomes)
    return _report([o for o in outcomes if not isinstance(o, _Failed)]) and not whole


@dataclass(frozen=True)
class _Failed:
    """A delivery that failed as a whole (its reason already told)."""

    status: str = "failed"
    channel: str = ""
    item: str = ""
    recipient: str = ""
    detail: str = ""


def _load(config_file: Path | None, smtp: bool = True) -> BriefOptions:
    """The options of a config file, and of the environment's SMTP variables (`smtp`); every problem a line,
    exit 2."""
    try:
        return settle(config_file, {}, os.environ if smtp else None)
    except ConfigError as e:
        _fail(EXIT_USAGE, *e.problems)


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--config", "-c", "config_file", envvar="SUMMARIZE_CONFIG",
              type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file.")
@click.option("--full", is_flag=True, help="Print whole lines, not shortened to fit the terminal.")
@click.option("--only", multiple=True, metavar="CLASS",
              help="Only the lines of this class (repeatable): body, headline, caption, related, ...")
def explain(file, config_file, full, only):
    """Show how FILE is read: every line of the page with its class and the rule that decided it.

    The classes: body, headline, deck, subhead, byline, date, dateline, caption, credit, menu, widget,
    notice, related, ad, comment, board, release, broadcast, contact, copyright, footer, link, hashtags,
    tag, end, after-end, header, repeated, noise. Exit code 0 if the page holds an article, 1 if it is
    rejected (the reason is printed).
    """
    from .article import explain as explain_file
    from .stages.rendering import explain_text

    options = _load(config_file, smtp=False)
    ex = explain_file(file, options)
    width = None if full else max(60, shutil.get_terminal_size((100, 20)).columns)
    click.echo(explain_text(ex, width, tuple(only)), nl=False)
    sys.exit(EXIT_OK if ex.article is not None else EXIT_FAILED)


@main.group("send", context_settings=CONTEXT)
def send():
    """Deliver the briefs of OUT_DIR by email or to Slack (each delivery once; --resend forces it)."""


_out_argument = click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
_what_option = click.option("--digest/--each", "digest", default=True, show_default=True,
                            help="The run's digest, or each brief of the last run.")
_dry_option = click.option("--dry-run", is_flag=True, help="Write the messages to OUT_DIR/outbox/ instead of sending.")
_resend_option = click.option("--resend", is_flag=True, help="Send again what was sent before.")
_send_config_option = click.option("--config", "-c", "config_file", envvar="SUMMARIZE_CONFIG",
                                   type=click.Path(exists=True, dir_okay=False, path_type=Path),
                                   help="TOML settings file ([email] and [slack] tables).")
_base_url_option = click.option("--base-url", envvar=_env("base_url"), metavar="URL",
                                help="Where OUT_DIR is published on the web: briefs are linked as URL + file name "
                                     "(default: the config's base_url, or the one the digest was written with).")


def _with_base_url(options: BriefOptions, base_url: str | None) -> BriefOptions:
    try:
        return options.replace(base_url=base_url)
    except ConfigError as e:
        raise click.UsageError(str(e)) from None


@send.command("email", context_settings=CONTEXT)
@_out_argument
@click.option("--to", "to", multiple=True, required=True, metavar="ADDR", help="Recipient (repeatable).")
@_what_option
@_dry_option
@_resend_option
@_send_config_option
@_base_url_option
@click.option("-v", "--verbose", count=True, help="More detail on stderr.")
def send_email_cmd(out_dir, to, digest, dry_run, resend, config_file, base_url, verbose):
    """Mail the digest or the briefs in OUT_DIR.

    SMTP settings: SUMMARIZE_SMTP_HOST, SUMMARIZE_SMTP_PORT, SUMMARIZE_SMTP_USER, SUMMARIZE_SMTP_PASSWORD,
    SUMMARIZE_SMTP_SECURITY (starttls, ssl or none), SUMMARIZE_SMTP_FROM, or the config's [email] table
    (never the password).
    """
    _setup_logging(verbose, False)
    options = _with_base_url(_load(config_file), base_url)
    sys.exit(EXIT_OK if _send_email(out_dir, list(to), options, not digest, dry_run, resend) else EXIT_FAILED)


@send.command("slack", context_settings=CONTEXT)
@_out_argument
@click.option("--webhook-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="PATH",
              help="File holding the incoming webhook URL (default: SUMMARIZE_SLACK_WEBHOOK).")
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="PATH",
              help="File holding the bot token (default: SUMMARIZE_SLACK_TOKEN); needs --channel.")
@click.option("--webhook", "webhook_flag", hidden=True, callback=lambda c, p, v: _on_command_line(v, "webhook"))
@click.option("--token", "token_flag", hidden=True, callback=lambda c, p, v: _on_command_line(v, "token"))
@click.option("--channel", metavar="CHANNEL", help="Channel to post to with a token.")
@_what_option
@_dry_option
@_resend_option
@_send_config_option
@_base_url_option
@click.option("-v", "--verbose", count=True, help="More detail on stderr.")
def send_slack_cmd(out_dir, webhook_file, token_file, webhook_flag, token_flag, channel, digest, dry_run, resend,
                   config_file, base_url, verbose):
    """Post the digest or the briefs in OUT_DIR to Slack, as Block Kit messages.

    The digest is one message with its stories by section; with a token, each story's brief follows in its
    thread (a webhook cannot thread: it posts the digest alone).
    """
    _setup_logging(verbose, False)
    options = _with_base_url(_load(config_file), base_url)
    try:
        target = _slack_target(webhook_file, token_file, channel or options.slack.channel, dry_run)
    except ConfigError as e:
        _fail(EXIT_USAGE, *e.problems)
    ok = _slack_report(_slack(out_dir, target, not digest, dry_run, resend, options.base_url))
    sys.exit(EXIT_OK if ok else EXIT_FAILED)


def _on_command_line(value: str | None, what: str) -> None:
    """--webhook and --token are refused: a secret on the command line is seen by every user of the machine."""
    if value is not None:
        keep_secret(value)
        _fail(EXIT_USAGE, f"--{what} puts a secret on the command line, where any user of this machine sees it (ps): "
                          f"set SUMMARIZE_SLACK_{what.upper()} or pass --{what}-file PATH")


@main.group("models", context_settings=CONTEXT, invoke_without_command=True)
@click.pass_context
def models(ctx):
    """List, fetch and convert translation models (without a subcommand: list)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(models_list)


_cache_option = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar="HF_HUB_CACHE",
                             help="Hugging Face cache (default: the normal HF cache).")
_revision_option = click.option("--revision", help="Hub revision (branch, tag or commit).")


@models.command("list", context_settings=CONTEXT)
@_cache_option
def models_list(cache_dir=None):
    """The model aliases (backend, licence, download size), and which models are cached."""
    from .translate.base import DEFAULT_MODEL, MODELS, TRANSFORMERS_DEFAULT

    cached = set()
    try:
        from huggingface_hub import scan_cache_dir

        cached = {r.repo_id for r in scan_cache_dir(cache_dir).repos}
    except Exception:  # an empty or missing cache
        pass
    row = "{:<15} {:<34} {:<9} {:<23} {:>8}  {}"
    click.echo(row.format("alias", "model", "backend", "licence", "size", "cache").rstrip())
    for alias, a in MODELS.items():
        notes = [a.description, a.warning,
                 "default" if alias == DEFAULT_MODEL else None,
                 "default with --backend transformers" if alias == TRANSFORMERS_DEFAULT else None]
        backend = "ct2 only" if a.backend == "ct2" else "both"
        mark = "cached" if a.hub_id in cached else "not cached"
        click.echo(row.format(alias, a.hub_id, backend, a.licence, a.size, mark))
        click.echo(f"{'':<16}{'; '.join(n for n in notes if n)}")
    others = sorted(cached - {a.hub_id for a in MODELS.values()})
    for hub_id in others:
        click.echo(row.format("", hub_id, "", "", "", "cached"))


def _model_command(name: str, revision: str | None, cache_dir: Path | None, verbose: int) -> tuple[Any, BriefOptions]:
    from .translate.base import resolve_model

    _setup_logging(verbose, False)
    try:
        spec = resolve_model(name)
        return spec, BriefOptions(model=name, revision=revision, cache_dir=str(cache_dir) if cache_dir else None)
    except ConfigError as e:
        _fail(EXIT_USAGE, *e.problems)


def _pull_problem(e: ModelUnavailable, hub_id: str, options: BriefOptions) -> str:
    """Why `models pull` could not fetch, and what to do instead: on a machine that cannot reach the hub, running
    the same command again is no fix."""
    from .translate.hub import hf_cache

    if e.offline == "offline mode is on":
        return (f"{e.cause}: this machine is set to stay offline; if it can reach the hub, run "
                f"`HF_HUB_OFFLINE=0 {_prog()} models pull {shlex.quote(e.fetch or hub_id)}`")
    if e.offline:
        return (f"{e.cause}: fetch it on a machine that can (`summarize models pull {shlex.quote(e.fetch or hub_id)}`, "
                f"or `hf download {hub_id}`), then copy that machine's Hugging Face cache into {hf_cache(options)} "
                "here (or the model's folder, and give --model that folder)")
    return str(e)


@models.command("pull", context_settings=CONTEXT)
@click.argument("model", metavar="ALIAS|HUB_ID")
@_revision_option
@_cache_option
@click.option("-v", "--verbose", count=True, help="More detail on stderr.")
def models_pull(model, revision, cache_dir, verbose):
    """Fetch a model into the Hugging Face cache ahead of a nightly run."""
    spec, options = _model_command(model, revision, cache_dir, verbose)
    from .translate.hub import fetch

    try:
        folder, rev = fetch(spec, options, progress=True)
    except ModelUnavailable as e:
        _fail(EXIT_MODEL, _pull_problem(e, spec.id, options))
    click.echo(f"{spec.id} @ {rev or 'local'}: {folder}")


@models.command("convert", context_settings=CONTEXT)
@click.argument("model", metavar="ALIAS|HUB_ID|PATH")
@_revision_option
@_cache_option
@click.option("--device", type=click.Choice(_spec("device").choices), default="auto", show_default=True,
              help="Convert for the device a run would use.")
@click.option("--compute-type", default="auto", show_default=True, type=click.Choice(_spec("compute_type").choices),
              help="Weights to store (auto: int8 for the CPU, float16 for a GPU).")
@click.option("--force", is_flag=True, help="Convert again even if a conversion is cached.")
@click.option("-v", "--verbose", count=True, help="More detail on stderr.")
def models_convert(model, revision, cache_dir, device, compute_type, force, verbose):
    """Convert a model for the CTranslate2 backend (done once, then cached beside the HF cache)."""
    spec, options = _model_command(model, revision, cache_dir, verbose)
    options = options.replace(device=device, compute_type=compute_type)
    from .translate.ct2 import convert, ct2_root, ct2_target, weight_type

    try:
        _, ctype = ct2_target(options, ready=spec.backend == "ct2")
        folder, converted = convert(spec, options, force=force, quantization=weight_type(ctype))
    except ModelUnavailable as e:
        _fail(EXIT_MODEL, _model_problem(e))
    except SummarizeError as e:
        _fail(EXIT_FAILED, str(e))
    if ct2_root(options) not in folder.parents:  # the model itself: a ready CTranslate2 one
        click.echo(f"a ready CTranslate2 model, nothing to convert: {folder}")
    else:
        click.echo(f"{'converted' if converted else 'already converted'}: {folder}")


if __name__ == "__main__":  # pragma: no cover
    main()
