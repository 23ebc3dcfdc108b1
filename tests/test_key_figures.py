"""The Key figures table of every sample brief, against a committed golden file.

A change to the figure finder that changes what a reader sees in a Key figures row (its Korean
text or its English) fails here. When the change is deliberate, regenerate the file and review its
diff before committing it:

    SUMMARIZE_REGENERATE_GOLDEN=1 PYTHONPATH=$PWD python -m pytest tests/test_key_figures.py
    git diff tests/golden/key_figures.tsv
"""

import os
from pathlib import Path

import pytest
from conftest import SAMPLES

from summarize import BriefOptions, prepare
from summarize.stages.reading import find_inputs
from summarize.stages.rendering import key_figure_rows

GOLDEN = Path(__file__).parent / "golden" / "key_figures.tsv"
HEADER = "sample\tkorean\tenglish"


def current_rows() -> list[str]:
    rows = []
    for path in find_inputs(SAMPLES):
        p = prepare(path, SAMPLES, BriefOptions())
        for ko, en, _ctx in key_figure_rows(p.figures, p.sentences):
            rows.append(f"{path.relative_to(SAMPLES).as_posix()}\t{ko}\t{en}")
    return rows


@pytest.fixture(scope="module")
def rows() -> list[str]:
    got = current_rows()
    if os.environ.get("SUMMARIZE_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text("\n".join([HEADER, *got]) + "\n", encoding="utf-8")
    return got


def test_key_figures_match_the_golden_table(rows):
    want = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert want[0] == HEADER
    want = want[1:]
    added = [r for r in rows if r not in want]
    removed = [r for r in want if r not in rows]
    assert not added and not removed, (
        "Key figures rows changed (regenerate tests/golden/key_figures.tsv if deliberate):\n"
        + "\n".join([f"+ {r}" for r in added] + [f"- {r}" for r in removed]))
    assert rows == want  # and in the same order


def test_every_sample_has_key_figures(rows):
    assert {r.split("\t")[0] for r in rows} == {p.relative_to(SAMPLES).as_posix() for p in find_inputs(SAMPLES)}
