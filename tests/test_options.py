"""Options: the shipped config files are valid, and configs/default.toml states the built-in defaults."""

import re
from pathlib import Path

import pytest

from summarize.errors import ConfigError
from summarize.options import BriefOptions, GenerationOptions, load_options

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def test_default_toml_is_the_builtin_default():
    assert load_options(CONFIGS / "default.toml") == BriefOptions()


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_configs_load(path):
    assert isinstance(load_options(path), BriefOptions)


@pytest.mark.parametrize(
    "text,message",
    [("modle = 'x'", "unknown key"), ("[generation]\nbeams = 2", "unknown key"), ("batch_size = 'big'", "must be int"),
     ("max_sentences = ", "not valid TOML"), ("generation = 3", "must be a table")],
)
def test_bad_configs(tmp_path, text, message):
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_options(p)


def test_replace_ignores_unset_values():
    o = BriefOptions().replace(model=None, batch_size=8, generation=GenerationOptions(num_beams=1))
    assert o.model == BriefOptions().model and o.batch_size == 8 and o.generation.num_beams == 1


# option -> a value other than the default: a setting that changes the brief redoes the article (a new key) ...
CHANGES_THE_BRIEF = [
    ("max_chars", 300), ("max_sentences", 3), ("min_hangul", 0.5), ("backend", "ct2"), ("compute_type", "int8"),
    ("generation", GenerationOptions(num_beams=1)), ("generation", GenerationOptions(max_new_tokens=64)),
    ("generation", GenerationOptions(length_penalty=1.2)),
]
# ... and one that does not leaves it alone
LEAVES_THE_BRIEF = [("threads", 2), ("workers", 0), ("batch_size", 8), ("max_batch_tokens", 1000), ("max_bytes", 10),
                    ("max_unknown", 0.5), ("decoder", "generate"), ("offline", True)]


def key(**changes):
    from summarize.article import article_key

    return article_key("ab" * 32, "some/model@main", BriefOptions().replace(**changes))


@pytest.mark.parametrize("name,value", CHANGES_THE_BRIEF)
def test_what_changes_the_brief_is_in_the_article_key(name, value):
    assert key(**{name: value}) != key()


@pytest.mark.parametrize("name,value", LEAVES_THE_BRIEF)
def test_what_leaves_the_brief_alone_is_not_in_the_article_key(name, value):
    assert key(**{name: value}) == key()


def test_a_rerun_with_another_max_chars_redoes_the_briefs(tmp_path):
    from conftest import SAMPLES, FakeTranslator

    from summarize import run

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes((SAMPLES / "economy_bok_rate.txt").read_bytes())
    cfg = tmp_path / "c.toml"
    for max_chars, status in ((600, "written"), (600, "unchanged"), (200, "written")):
        cfg.write_text(f"max_chars = {max_chars}\n", encoding="utf-8")
        report = run(inbox, tmp_path / "out", load_options(cfg), translator_factory=lambda s, o: FakeTranslator())
        assert [e.status for e in report.entries] == [status]


# (the config's text, what the error says): each option is checked against its one definition (summarize.options)
OUT_OF_RANGE = [
    ("max_sentences = 0", "max_sentences must be at least 1, not 0"),
    ("threads = -1", "threads must be at least 0"),
    ("min_hangul = 1.5", "min_hangul must be between 0 and 1"),
    ("device = 'tpu'", "device must be one of auto, cpu, cuda, not 'tpu'"),
    ("compute_type = 'int4'", "compute_type must be one of auto, float32"),
    ("[generation]\nnum_beams = 0", "num_beams must be at least 1"),
    ("[email]\nto = 'desk@example.org'", "'to' must be list, not str"),
    ("[email]\nsecurity = 'tls'", "security must be one of starttls, ssl, none"),
    ("threads = true", "'threads' must be int, not bool"),
]


@pytest.mark.parametrize("text,message", OUT_OF_RANGE)
def test_values_outside_their_definition_are_refused(tmp_path, text, message):
    p = tmp_path / "c.toml"
    p.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_options(p)


def test_the_cli_offers_what_the_config_accepts():
    """The CLI's choices and ranges are built from the same definitions as the config's checks."""
    import click

    from summarize.cli import brief
    from summarize.options import COMPUTE_TYPES, DEVICES, spec_of

    params = {p.name: p for p in brief.params}
    assert list(params["compute_type"].type.choices) == list(COMPUTE_TYPES)
    assert list(params["device"].type.choices) == list(DEVICES)
    for name in ("threads", "max_sentences", "max_unknown"):
        spec = spec_of(BriefOptions, name)
        assert isinstance(params[name].type, (click.IntRange, click.FloatRange))
        assert (params[name].type.min, params[name].type.max) == (spec.min, spec.max), name
        assert params[name].envvar == spec.env
    assert params["batch_size"].type.min == 1  # a flag of 0 would be no flag: the device's default
