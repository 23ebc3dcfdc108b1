"""The README's CLI reference is the real --help output, and its commands exist in the Makefile."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarize.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


COMMANDS = [[], ["brief"], ["explain"], ["send", "email"], ["send", "slack"], ["models"]]


def help_block(args: list[str]) -> str:
    out = CliRunner().invoke(main, [*args, "--help"], prog_name="summarize").output.rstrip()
    return f"$ summarize {' '.join(args + ['--help'])}\n{out}\n```"


@pytest.mark.parametrize("args", COMMANDS)
def test_cli_reference_matches_help(args):
    assert help_block(args) in README, "run `python tests/test_readme.py` to update the README's --help blocks"


def test_readme_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"make (\w[\w-]*)", README)):
        assert re.search(rf"^{target}:", makefile, re.M), target


if __name__ == "__main__":  # rewrite the README's --help blocks from the real output
    text = README
    for args in COMMANDS:
        head = f"$ summarize {' '.join(args + ['--help'])}\n"
        start = text.index(head)
        end = text.index("```", start) + 3
        text = text[:start] + help_block(args) + text[end:]
    (ROOT / "README.md").write_text(text, encoding="utf-8")
