"""Options: the shipped config files are valid, and configs/default.toml states the built-in defaults."""

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
