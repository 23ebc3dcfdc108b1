"""The command line (Click only): parses, validates, wires, and maps errors to exit codes; the work is done
by the library (summarize.run, summarize.article, summarize.deliver, summarize.translate).

Exit codes: 0 every accepted article was briefed (rejected inputs are reported, not
failures); 1 an article failed, the model could not be loaded, or another run holds the
output folder; 2 usage error (missing folder, unknown model alias, bad config).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .errors import ConfigError, SummarizeError, UnknownModel
from .jobs import STEPS, Steps
from .options import BriefOptions, EmailOptions, Spec, load_options, spec_of
from .records import Entry
from .translate.base import TranslatorFactory
from .version import __version__
from .workers import PoolFactory, Workers

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100, "terminal_width": 100}


@dataclass(frozen=True)
class Wiring:
    """What the commands run on, where it is not the default: the model loader, the steps of an article, the
    pool of workers. A test hands in fakes: `CliRunner().invoke(main, args, obj=Wiring(...))`."""

    translator_factory: TranslatorFactory | None = None
    steps: Steps = STEPS
    pool: PoolFactory = Workers


def _wiring() -> Wiring:
    obj = click.get_current_context().find_root().obj
    return obj if isinstance(obj, Wiring) else Wiring()


def _spec(name: str) -> Spec:
    return spec_of(BriefOptions, name)


def _choice(name: str) -> click.Choice:
    """The choices of option `name`, as summarize.options defines them."""
    return click.Choice(list(_spec(name).choices))


def _range(name: str) -> click.IntRange | click.FloatRange:
    """The range of option `name`, as summarize.options defines it (a flag's own lower bound where it has one)."""
    spec = _spec(name)
    low = spec.flag_min if spec.flag_min is not None else spec.min
    if spec.type is int:
        return click.IntRange(min=None if low is None else int(low), max=None if spec.max is None else int(spec.max))
    return click.FloatRange(min=low, max=spec.max)


def _env(name: str) -> str | None:
    return _spec(name).env


_SMTP_HOST = spec_of(EmailOptions, "host").env or ""


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("summarize")
    root.handlers[:] = [handler]
    root.setLevel(level)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="summarize", message="%(prog)s %(version)s")
def main() -> None:
    """Turn a folder of Korean news articles into bilingual (Korean + English) briefs.

    Settings come from, highest first: command-line flags, environment variables
    (SUMMARIZE_MODEL, SUMMARIZE_CONFIG, SUMMARIZE_DEVICE, SUMMARIZE_BATCH_SIZE, ...),
    the --config file, and the built-in defaults (configs/default.toml shows them all).
    """


@main.command(context_settings=CONTEXT)
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
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
@click.option("--offline/--online", default=None, envvar=_env("offline"),
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
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr, no progress bar.")
def brief(input_dir, out_dir, model, revision, config_file, device, backend, compute_type, threads, batch_size,
          max_sentences, max_unknown, offline, force, lock_wait, email_to, to_slack, each, base_url, verbose, quiet):
    """Brief every article (.txt, .md, .html, .htm) under INPUT_DIR into OUT_DIR.

    Writes OUT_DIR/X.md and OUT_DIR/X.json per article and OUT_DIR/run.json for the run.
    Articles whose content, model and settings are unchanged are skipped (--force redoes them).
    """
    _setup_logging(verbose, quiet)
    from .article import find_inputs
    from .run import run

    try:
        options = load_options(config_file).replace(
            model=model, revision=revision, device=device, backend=backend, compute_type=compute_type,
            threads=threads, batch_size=batch_size, max_sentences=max_sentences, max_unknown=max_unknown,
            offline=offline, base_url=base_url,
        )
    except ConfigError as e:
        raise click.UsageError(str(e)) from None
    if out_dir.exists() and not out_dir.is_dir():
        raise click.UsageError(f"--out {out_dir} exists and is not a folder")

    total = len(find_inputs(input_dir, exclude=(out_dir,)))
    show_bar = not quiet and sys.stderr.isatty()
    bar = click.progressbar(length=total, label="briefing", file=sys.stderr) if show_bar else None

    def on_entry(e: Entry) -> None:
        if bar is not None:
            bar.update(1)
        if e.status in ("rejected", "failed"):
            msg = f"{e.status}: {e.path}: {e.reason}"
            if bar is not None:
                click.echo("", err=True)
            if not quiet or e.status == "failed":
                click.echo(msg, err=True)
        elif e.status == "written" and verbose and e.outputs:
            click.echo(f"written: {e.path} -> {e.outputs['md']}", err=True)

    try:
        if bar is not None:
            bar.__enter__()
        try:
            wiring = _wiring()
            report = run(input_dir, out_dir, options, force=force, lock_wait=lock_wait, on_entry=on_entry,
                         translator_factory=wiring.translator_factory, steps=wiring.steps, pool=wiring.pool)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    except UnknownModel as e:
        raise click.UsageError(str(e)) from None
    except SummarizeError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_FAILED)
    if report.model_error:
        click.echo(f"error: {report.model_error}", err=True)
    click.echo(report.summary_line())
    delivered_ok = True
    recipients = list(email_to) or list(options.email.to)
    if recipients:
        delivered_ok &= _send_email(out_dir, recipients, options, each, False, False)
    if to_slack:
        delivered_ok &= _send_slack(out_dir, None, None, options.slack.channel, each, False, False, options.base_url)
    sys.exit(EXIT_OK if report.ok and delivered_ok else EXIT_FAILED)


def _report(outcomes) -> bool:
    """One line per delivery that did not simply go through, and a summary; True if none failed."""
    for o in outcomes:
        if o.status == "failed":
            click.echo(f"failed: {o.channel} {o.item} to {o.recipient}: {o.detail}", err=True)
        elif o.status == "written":
            click.echo(f"written: {o.detail}")
    counts = {k: sum(1 for o in outcomes if o.status == k) for k in ("sent", "written", "skipped", "failed")}
    click.echo(f"{counts['sent']} sent, {counts['written']} written (dry run), {counts['skipped']} already sent, "
               f"{counts['failed']} failed")
    return counts["failed"] == 0


def _send_email(out_dir: Path, recipients: list[str], options: BriefOptions, each: bool, dry_run: bool,
                resend: bool) -> bool:
    from .deliver.mail import SmtpSettings, send_email

    try:
        settings = SmtpSettings.load(options.email) if not dry_run or os.environ.get(_SMTP_HOST) \
            else SmtpSettings(host="dry-run", sender=options.email.sender or "summarize@localhost")
        return _report(send_email(Path(out_dir), recipients, settings, each, dry_run, resend,
                                  base_url=options.base_url))
    except ConfigError as e:
        raise click.UsageError(str(e)) from None
    except SummarizeError as e:
        click.echo(f"error: {e}", err=True)
        return False


def _send_slack(out_dir: Path, webhook: str | None, token: str | None, channel: str | None, each: bool,
                dry_run: bool, resend: bool, base_url: str | None = None) -> bool:
    from .deliver.slack import SlackTarget, send_slack

    webhook = webhook or os.environ.get("SUMMARIZE_SLACK_WEBHOOK")
    token = token or os.environ.get("SUMMARIZE_SLACK_TOKEN")
    if not dry_run and not webhook and not token:
        raise click.UsageError("no Slack destination: set SUMMARIZE_SLACK_WEBHOOK, or SUMMARIZE_SLACK_TOKEN "
                               "with --channel")
    if token and not webhook and not channel:
        raise click.UsageError("posting with a token needs --channel (or channel in the config's [slack] table)")
    target = SlackTarget(webhook=None if token and not webhook else webhook, token=token if not webhook else None,
                         channel=channel, api=os.environ.get("SUMMARIZE_SLACK_API", "https://slack.com/api"))
    try:
        return _report(send_slack(Path(out_dir), target, each, dry_run, resend, base_url=base_url))
    except SummarizeError as e:
        click.echo(f"error: {e}", err=True)
        return False


def _load(config_file):
    """The options of a config file; a bad one is a usage error."""
    try:
        return load_options(config_file)
    except ConfigError as e:
        raise click.UsageError(str(e)) from None


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

    options = _load(config_file)
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
@click.option("--webhook", metavar="URL", help="Incoming webhook URL (default: SUMMARIZE_SLACK_WEBHOOK).")
@click.option("--token", metavar="TOKEN", help="Bot token (default: SUMMARIZE_SLACK_TOKEN); needs --channel.")
@click.option("--channel", metavar="CHANNEL", help="Channel to post to with a token.")
@_what_option
@_dry_option
@_resend_option
@_send_config_option
@_base_url_option
@click.option("-v", "--verbose", count=True, help="More detail on stderr.")
def send_slack_cmd(out_dir, webhook, token, channel, digest, dry_run, resend, config_file, base_url, verbose):
    """Post the digest or the briefs in OUT_DIR to Slack, as Block Kit messages.

    The digest is one message with its stories by section; with a token, each story's brief follows in its
    thread (a webhook cannot thread: it posts the digest alone).
    """
    _setup_logging(verbose, False)
    options = _with_base_url(_load(config_file), base_url)
    ok = _send_slack(out_dir, webhook, token, channel or options.slack.channel, not digest, dry_run, resend,
                     options.base_url)
    sys.exit(EXIT_OK if ok else EXIT_FAILED)


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
    except UnknownModel as e:
        raise click.UsageError(str(e)) from None
    return spec, BriefOptions(model=name, revision=revision, cache_dir=str(cache_dir) if cache_dir else None)


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
    except SummarizeError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"{spec.id} @ {rev or 'local'}: {folder}")


@models.command("convert", context_settings=CONTEXT)
@click.argument("model", metavar="ALIAS|HUB_ID|PATH")
@_revision_option
@_cache_option
@click.option("--device", type=_choice("device"), default="auto", show_default=True,
              help="Convert for the device a run would use.")
@click.option("--compute-type", default="auto", show_default=True, type=_choice("compute_type"),
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
    except SummarizeError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_FAILED)
    if ct2_root(options) not in folder.parents:  # the model itself: a ready CTranslate2 one
        click.echo(f"a ready CTranslate2 model, nothing to convert: {folder}")
    else:
        click.echo(f"{'converted' if converted else 'already converted'}: {folder}")


if __name__ == "__main__":  # pragma: no cover
    main()
