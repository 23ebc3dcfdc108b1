"""The README's CLI reference is the real --help output, and its commands exist in the Makefile."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarize.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [[], ["brief"], ["send", "email"], ["send", "slack"], ["models"]])
def test_cli_reference_matches_help(args):
    out = CliRunner().invoke(main, [*args, "--help"], prog_name="summarize").output.rstrip()
    block = f"$ summarize {' '.join(args + ['--help'])}\n{out}\n```"
    assert block in README


def test_readme_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"make (\w[\w-]*)", README)):
        assert re.search(rf"^{target}:", makefile, re.M), target
