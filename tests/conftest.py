"""Shared fixtures: an isolated environment, the samples and their gold, fake and tiny real models."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path

import pytest

from summarize.cli import Wiring
from summarize.records import ModelInfo
from summarize.translate.base import Translator

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# The real non-weight files of public models (configs, vocabularies, sentencepiece models) live beside the
# repository, never in it: ../shared/real_artifacts (CI has it; see each folder's SOURCE.txt)
REAL_ARTIFACTS = ROOT.parent / "shared" / "real_artifacts"
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test reads or writes the user's caches or config, or reaches the network."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    for var in [v for v in os.environ if v.startswith("SUMMARIZE_")]:  # every one, known or not
        monkeypatch.delenv(var)
    # the CLI sets the package logger's level and handler (--quiet: errors only); no test inherits another's
    logger = logging.getLogger("summarize")
    level, handlers, propagate = logger.level, logger.handlers[:], logger.propagate
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers
    logger.propagate = propagate


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SAMPLES / "gold.json").read_text(encoding="utf-8"))


class FakeTranslator(Translator):
    """A scripted model: English is made by a function of the Korean; every call is counted."""

    max_input_tokens = 512

    def __init__(self, fn=None, info: ModelInfo | None = None, max_input_tokens: int = 512):
        self.fn = fn or default_english
        self.info = info or ModelInfo(id="fake/model", revision="0" * 40, settings={"num_beams": 1})
        self.max_input_tokens = max_input_tokens
        self.calls: list[list[str]] = []

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def translate_batch(self, texts):
        self.calls.append(list(texts))
        return [self.fn(t) for t in texts]


def default_english(ko: str) -> str:
    """A faithful 'translation' for the tests: every number written as the Korean has it, then words."""
    from summarize.stages.figures import extract_figures

    figs = extract_figures(ko)
    parts = [f.en for f in figs]
    rest = re.sub(r"[가-힣]+", "", ko)
    rest = re.sub(r"\d+(?:[.,]\d+)*", "", rest)
    return " ".join(["English:"] + parts) + " " + " ".join(rest.split())


@pytest.fixture
def fake_model() -> FakeTranslator:
    """A FakeTranslator for the test's runs: `translator_factory=lambda spec, options: fake_model` (summarize.run)
    or `obj=wired(fake_model)` (the CLI)."""
    return FakeTranslator()


def wired(fake: Translator, **kw) -> Wiring:
    """The CLI wired to `fake` as its model: `CliRunner().invoke(main, args, obj=wired(fake))`."""
    return Wiring(translator_factory=lambda spec, options: fake, **kw)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A tiny random Marian model with a sentencepiece vocabulary trained on the samples."""
    from tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model", [SAMPLES])


@pytest.fixture(scope="session")
def real_artifacts() -> Path:
    """../shared/real_artifacts, or a skip that says why."""
    needed = [REAL_ARTIFACTS / "opus-mt-ko-en" / "vocab.json", REAL_ARTIFACTS / "quickmt-ko-en" / "src.spm.model"]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        pytest.skip(f"the real vocabularies are not beside the repository ({', '.join(missing)} missing): "
                    "these tests need ../shared/real_artifacts")
    return REAL_ARTIFACTS


@pytest.fixture(scope="session")
def quickmt_ct2_dir(real_artifacts, tmp_path_factory) -> Path:
    """A random ready CTranslate2 model with quickmt-ko-en's real vocabularies and sentencepiece models."""
    from tiny_model import build_ct2_model

    return build_ct2_model(tmp_path_factory.mktemp("quickmt") / "model", real_artifacts / "quickmt-ko-en")


@pytest.fixture(scope="session")
def opus_mt_dir(real_artifacts, tmp_path_factory) -> Path:
    """A random Marian model on opus-mt-ko-en's real config (shrunk) and real vocab.json."""
    from tiny_model import build_opus_mt_ko_en

    return build_opus_mt_ko_en(tmp_path_factory.mktemp("opus") / "model", real_artifacts / "opus-mt-ko-en",
                               real_artifacts / "quickmt-ko-en")


@pytest.fixture
def fast_config(tmp_path) -> Path:
    """Greedy decoding and few new tokens, so the tiny model runs in seconds."""
    p = tmp_path / "fast.toml"
    p.write_text("batch_size = 16\n\n[generation]\nnum_beams = 1\nmax_new_tokens = 24\n", encoding="utf-8")
    return p
