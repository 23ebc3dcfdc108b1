"""Models: the aliases and the default, ready CTranslate2 models (a folder, the HF cache), the real
vocabularies of ../shared/real_artifacts, and the two checks a run makes of a model once it is loaded (the
vocabulary check, which stops a run, and the canary, which warns once)."""

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, FakeTranslator, wired

from summarize import BriefOptions, GenerationOptions, run
from summarize.cli import main
from summarize.errors import ConfigError, ModelUnavailable, VocabularyMismatch
from summarize.options import load_options
from summarize.stages.figures import check_english, extract_figures
from summarize.state import connect
from summarize.translate.base import MODELS, resolve_model
from summarize.translate.cache import TranslationCache
from summarize.translate.checks import CANARY, VOCABULARY_TEXT, canary, check_vocabulary, repetitive
from summarize.translate.loading import load_translator

# (model asked for, backend) -> the hub id a run loads
DEFAULTS = [
    (None, "auto", "quickmt/quickmt-ko-en"),
    (None, "ct2", "quickmt/quickmt-ko-en"),
    (None, "transformers", "Helsinki-NLP/opus-mt-ko-en"),
    ("quickmt", "transformers", "quickmt/quickmt-ko-en"),  # named: kept (and refused at load, see below)
    ("opus-mt-tc-big", "auto", "Helsinki-NLP/opus-mt-tc-big-ko-en"),
]

# English for each canary sentence, written by hand: what a working model gives
GOOD = {
    CANARY[0]: "Seoul will create 12 new parks this year and plant 3,400 trees.",
    CANARY[1]: "The Bank of Korea kept its key rate at 3.5% a year.",
    CANARY[2]: "The company's sales last year came to 2 trillion won.",
    CANARY[3]: "The match was played in front of 45,000 spectators.",
}

# scripted translators -> the problem the canary must name (None: no warning)
CANARY_CASES = [
    ("good", lambda ko: GOOD[ko], None),
    ("one slip of a good model", lambda ko: "The city has plans." if ko == CANARY[0] else GOOD[ko], None),
    ("figures dropped", lambda ko: "The officials said the plan would go ahead.", "figures lost or changed in 4"),
    ("a loop", lambda ko: "the " * 12, "the same words over and over in 4"),
    ("a loop without spaces", lambda ko: "connect" * 9, "the same words over and over in 4"),
    ("the Korean copied", lambda ko: ko, "Korean copied in 4"),
    ("nothing", lambda ko: "", "no English in 4"),
]

# text -> whether it is "mostly the same tokens over and over"
REPETITION = [
    ("The Bank of Korea kept its key rate at 3.5%.", False),
    ("the the the the the the the the", True),
    ("addestaddestaddestaddestaddestaddest", True),
    ("Yes, yes, yes, he said: it is done.", False),
    ("Gen Gen Terrorism Terrorism Terrorism Terrorism Terrorism Terrorism Cookie", True),
]

# max_unknown values a config file may not hold
BAD_MAX_UNKNOWN = [-0.1, 1.5, "2%", True]


def figures_wrong(ko: str, en: str) -> bool:
    return any(check_english(ko, extract_figures(ko), en))


def options(model, backend="auto", **kw):
    return BriefOptions(model=str(model) if model is not None else None, backend=backend, compute_type="float32",
                        generation=GenerationOptions(num_beams=1, max_new_tokens=kw.pop("max_new_tokens", 12)), **kw)


def inbox(tmp_path, names=("economy_bok_rate.txt", "seed_shenzhen_hongkong.txt")) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def hub_snapshot(folder: Path, repo_id: str, revision: str = "0123456789abcdef0123456789abcdef01234567") -> Path:
    """`folder` laid out as the HF cache holds a download of `repo_id` (HF_HOME is a temp folder: conftest)."""
    repo = Path(os.environ["HF_HOME"]) / "hub" / f"models--{repo_id.replace('/', '--')}"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(revision, encoding="utf-8")
    shutil.copytree(folder, repo / "snapshots" / revision)
    return repo / "snapshots" / revision


def article_texts() -> list[str]:
    """The paragraphs of the sample articles, read and cleaned as a run reads them."""
    from summarize.stages.cleaning import clean
    from summarize.stages.reading import read_source

    out = []
    for p in sorted(SAMPLES.iterdir()):
        if p.suffix in (".txt", ".md", ".html"):
            article = clean(read_source(p, SAMPLES, 5_000_000), 0.3)
            out += [article.title, *article.paragraphs]
    return out


# --------------------------------------------------------------------------- aliases and the default


@pytest.mark.parametrize("model,backend,hub_id", DEFAULTS)
def test_the_default_follows_the_backend(model, backend, hub_id):
    assert resolve_model(model, backend).id == hub_id


def test_the_default_is_a_ready_ct2_model_and_opus_mt_the_transformers_one():
    assert next(iter(MODELS)) == "quickmt" and MODELS["quickmt"].backend == "ct2"
    assert resolve_model("quickmt").backend == "ct2" and resolve_model("quickmt/quickmt-ko-en").backend == "ct2"
    assert resolve_model("opus-mt").backend is None and MODELS["opus-mt"].backend == "any"
    assert BriefOptions().model is None  # unset: the default for the backend


def test_models_lists_backend_licence_and_size_of_every_alias():
    r = CliRunner().invoke(main, ["models"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].split() == ["alias", "model", "backend", "licence", "size", "cache"]
    for alias, a in MODELS.items():
        row = next(i for i, line in enumerate(lines) if line.startswith(f"{alias} "))
        line, notes = lines[row], lines[row + 1]
        assert a.hub_id in line and a.licence in line and a.size in line and "not cached" in line
        assert ("ct2 only" if a.backend == "ct2" else "both") in line
        assert ("non-commercial" in notes) == ("nllb" in alias)
        assert ("default" in notes.split("; ")) == (alias == "quickmt")
    assert "default with --backend transformers" in lines[[i for i, x in enumerate(lines) if x.startswith("opus-mt ")][0] + 1]


def test_backend_transformers_without_a_model_takes_opus_mt_with_a_notice(tmp_path, caplog):
    seen = []

    def factory(spec, opts):
        seen.append(spec)
        return FakeTranslator()

    with caplog.at_level(logging.WARNING, logger="summarize"):
        report = run(inbox(tmp_path), tmp_path / "out", options(None, "transformers"), translator_factory=factory)
    assert report.ok and [s.id for s in seen] == ["Helsinki-NLP/opus-mt-ko-en"]
    notices = [r.getMessage() for r in caplog.records if "cannot run the default model" in r.getMessage()]
    assert len(notices) == 1 and "Helsinki-NLP/opus-mt-ko-en" in notices[0]
    seen.clear()
    caplog.clear()
    run(inbox(tmp_path / "again"), tmp_path / "out2", options(None, "auto"), translator_factory=factory)
    assert [s.id for s in seen] == ["quickmt/quickmt-ko-en"] and "cannot run the default" not in caplog.text


@pytest.mark.parametrize("value", BAD_MAX_UNKNOWN)
def test_max_unknown_is_validated(tmp_path, value):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"max_unknown = {json.dumps(value)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="max_unknown"):
        load_options(cfg)


def test_max_unknown_flag_is_a_share(tmp_path):
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path)), "--out", str(tmp_path / "o"), "--max-unknown", "2"])
    assert r.exit_code == 2 and "--max-unknown must be between 0 and 1, not 2" in r.output


# --------------------------------------------------------------------------- the canary


@pytest.mark.parametrize("name,english,problem", CANARY_CASES, ids=[c[0] for c in CANARY_CASES])
def test_canary(name, english, problem):
    fake = FakeTranslator(fn=english)
    warning = canary(fake, figures_wrong)
    assert len(fake.calls) == 1 and sorted(fake.calls[0]) == sorted(CANARY)  # one batch
    if problem is None:
        assert warning is None
    else:
        assert warning.startswith("the model may be broken: 4 of 4 test sentences came back wrong") and problem in warning


def test_a_model_that_fails_on_the_canary_is_reported_not_raised():
    def boom(ko):
        raise RuntimeError("CUDA error: device-side assert")

    warning = canary(FakeTranslator(fn=boom), figures_wrong)
    assert warning == ("the model may be broken: it could not translate the test sentences "
                       "(RuntimeError: CUDA error: device-side assert)")


@pytest.mark.parametrize("text,expected", REPETITION)
def test_repetition(text, expected):
    assert repetitive(text) is expected


def test_canary_comes_from_the_translation_cache_the_second_time(tmp_path):
    cache = TranslationCache(connect(tmp_path / "c.sqlite", threads=True))
    first = FakeTranslator(fn=lambda ko: "the " * 12)
    assert canary(first, figures_wrong, cache) is not None and len(first.calls) == 1
    again = FakeTranslator(fn=lambda ko: GOOD[ko])  # the same model id: its cached English is used
    assert canary(again, figures_wrong, cache) is not None and again.calls == []


def test_a_good_model_gives_no_warning_anywhere(tmp_path, fake_model):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path)), "--out", str(out)], obj=wired(fake_model))
    assert r.exit_code == 0 and "may be broken" not in r.output
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["model_warning"] is None
    assert json.loads((out / "digest.json").read_text(encoding="utf-8"))["model_warning"] is None
    assert "may be broken" not in (out / "digest.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_tiny_random_model_is_flagged_once_per_run(tiny_model_dir, fast_config, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path)), "--out", str(out), "--model", str(tiny_model_dir),
                                  "--config", str(fast_config)])
    assert r.exit_code == 0 and "2 briefed" in r.output
    assert r.stderr.count("the model may be broken") == 1  # once, not per article
    warning = json.loads((out / "run.json").read_text(encoding="utf-8"))["model_warning"]
    assert warning.startswith("the model may be broken: ") and "of 4 test sentences came back wrong" in warning
    assert warning in (out / "digest.md").read_text(encoding="utf-8")
    assert json.loads((out / "digest.json").read_text(encoding="utf-8"))["model_warning"] == warning
    assert "may be broken" not in (out / "economy_bok_rate.md").read_text(encoding="utf-8")
    from summarize.deliver.slack import digest_blocks

    blocks = json.dumps(digest_blocks(json.loads((out / "digest.json").read_text(encoding="utf-8"))))
    assert "the model may be broken" in blocks


# --------------------------------------------------------------------------- the vocabulary check


@pytest.fixture(scope="session")
def ascii_model_dir(tmp_path_factory):
    """A tiny Marian model whose vocab.json kept only the ASCII pieces: every Hangul piece is <unk>, as in a
    port of a model with separate vocabularies whose vocab.json lost the source side."""
    from tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("ascii") / "model", [SAMPLES], ascii_vocabulary=True)


@pytest.mark.slow
def test_a_vocabulary_without_hangul_stops_the_run_in_one_line(ascii_model_dir, fast_config, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path)), "--out", str(out), "--model", str(ascii_model_dir),
                                  "--config", str(fast_config)])
    assert r.exit_code == 3  # the model's exit code
    # one error line (besides the steps of the run: converting the model), nothing per article
    lines = [line for line in r.stderr.strip().splitlines() if not line.startswith(("converting ", str(ascii_model_dir)))]
    assert len(lines) == 1 and lines[0].startswith(f"error: model {ascii_model_dir} does not know ")
    share = float(re.search(r"does not know ([\d.]+)% of the pieces", lines[0]).group(1))
    assert share > 50 and "--max-unknown" in lines[0]
    assert not [p for p in out.glob("*.md") if p.name != "digest.md"]  # nothing translated, nothing written
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert report["model_error"] == lines[0].removeprefix("error: ") and report["totals"]["written"] == 0
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path / "2")), "--out", str(tmp_path / "o2"), "--model",
                                  str(ascii_model_dir), "--config", str(fast_config), "--max-unknown", "1"])
    assert r.exit_code == 0 and "2 briefed" in r.output  # the explicit override


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["transformers", "ct2"])
def test_both_backends_count_the_unknown_pieces_alike(ascii_model_dir, tiny_model_dir, backend):
    from transformers import AutoTokenizer

    from summarize.translate.tokenizers import SubwordTokenizer

    broken = load_translator(resolve_model(str(ascii_model_dir)), options(ascii_model_dir, backend))
    unknown, total = broken.unknown_pieces([VOCABULARY_TEXT])
    hf = SubwordTokenizer(AutoTokenizer.from_pretrained(str(ascii_model_dir)))
    assert (unknown, total) == hf.unknown([VOCABULARY_TEXT]) and unknown > total / 2
    with pytest.raises(VocabularyMismatch, match=r"does not know \d+\.\d% of the pieces of a Korean test text"):
        check_vocabulary(broken, 0.02)
    assert check_vocabulary(broken, 1.0) == unknown / total
    fine = load_translator(resolve_model(str(tiny_model_dir)), options(tiny_model_dir, backend))
    assert check_vocabulary(fine, 0.02) <= 0.02  # trained on the samples alone: a few rare syllables unknown


class CannotCount(FakeTranslator):
    def unknown_pieces(self, texts):
        raise TypeError("no unk token")


def test_a_tokenizer_the_check_cannot_read_does_not_stop_the_run(caplog):
    with caplog.at_level(logging.WARNING, logger="summarize"):
        assert check_vocabulary(CannotCount(), 0.02) is None
    assert "could not check the vocabulary of fake/model: TypeError: no unk token" in caplog.text
    assert check_vocabulary(FakeTranslator(), 0.0) is None  # a model that cannot tell is not stopped


class KnowsOnlyTheTestText(FakeTranslator):
    def unknown_pieces(self, texts):
        n = sum(len(t.split()) for t in texts)
        return (0, n) if texts == [VOCABULARY_TEXT] else (n, n)


def test_the_first_articles_are_checked_before_any_is_translated(tmp_path):
    fake = KnowsOnlyTheTestText(fn=lambda ko: GOOD.get(ko, "English"))
    with pytest.raises(VocabularyMismatch, match="of the pieces of the run's first articles"):
        run(inbox(tmp_path), tmp_path / "out", options("fake/model"), translator_factory=lambda s, o: fake)
    assert [sorted(c) for c in fake.calls] == [sorted(CANARY)]  # the canary, no article
    assert json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["model_error"]


# --------------------------------------------------------------------------- the real vocabularies


def quickmt_tokenizer(real):
    from summarize.translate.ct2 import ReadyTokenizer

    folder = real / "quickmt-ko-en"
    return ReadyTokenizer(folder, json.loads((folder / "config.json").read_text(encoding="utf-8")))


def opus_tokenizer(real, tmp_path, source_spm):
    from tiny_model import spm_from_vocabulary

    from summarize.translate.marian_spm import MarianSpm

    folder = tmp_path / f"opus-{source_spm}"
    folder.mkdir()
    for name in ("vocab.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(real / "opus-mt-ko-en" / name, folder / name)
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    if source_spm == "own pieces":
        spm_from_vocabulary(real / "quickmt-ko-en" / "src.spm.model", sorted(vocab, key=vocab.get), folder / "source.spm")
    else:
        shutil.copy(real / "quickmt-ko-en" / "src.spm.model", folder / "source.spm")
    shutil.copy(real / "quickmt-ko-en" / "tgt.spm.model", folder / "target.spm")
    return MarianSpm(folder)


@pytest.mark.parametrize("which", ["quickmt-ko-en", "opus-mt-ko-en"])
def test_the_real_vocabularies_pass_the_check(real_artifacts, tmp_path, which):
    tok = quickmt_tokenizer(real_artifacts) if which == "quickmt-ko-en" else \
        opus_tokenizer(real_artifacts, tmp_path, "own pieces")
    for texts in ([VOCABULARY_TEXT], list(CANARY), article_texts()):
        unknown, total = tok.unknown(texts)
        assert total > 0 and unknown / total <= BriefOptions().max_unknown, (which, unknown, total)


def test_another_models_sentencepiece_is_no_fair_stand_in_for_opus_mt(real_artifacts, tmp_path):
    """quickmt's Korean sentencepiece model cuts Korean otherwise than opus-mt's own source.spm would: a good
    share of its pieces are not in vocab.json. Every one of them is spelt by vocab.json's own pieces, so the
    share measures the stand-in, not a vocabulary without Hangul."""
    tok = opus_tokenizer(real_artifacts, tmp_path, "quickmt")
    unknown, total = tok.unknown([VOCABULARY_TEXT])
    assert unknown / total > BriefOptions().max_unknown
    pieces = set(tok.vocab)
    missing = [p for p in tok.source.encode(VOCABULARY_TEXT, out_type=str) if p not in pieces]
    assert len(missing) == unknown

    def spelt(word: str) -> bool:  # a sequence of vocab.json's pieces makes it up
        ok = [True] + [False] * len(word)
        for j in range(1, len(word) + 1):
            ok[j] = any(ok[i] and word[i:j] in pieces for i in range(j))
        return ok[-1]

    assert all(spelt(p) for p in missing), [p for p in missing if not spelt(p)]


# --------------------------------------------------------------------------- real configs, random weights


@pytest.mark.slow
def test_opus_mt_ko_en_through_both_backends(opus_mt_dir, tmp_path):
    """opus-mt-ko-en's real config (shrunk) and vocabulary, random weights: the whole job on either backend,
    with the same source ids as MarianTokenizer."""
    from transformers import MarianTokenizer

    texts = [VOCABULARY_TEXT, *CANARY]
    reference = MarianTokenizer.from_pretrained(str(opus_mt_dir))(texts)["input_ids"]
    assert max(i for row in reference for i in row) > 30_000  # the real 65,001-piece numbering
    runs = {}
    for backend in ("transformers", "ct2"):
        tr = load_translator(resolve_model(str(opus_mt_dir)), options(opus_mt_dir, backend))
        assert tr.spm is not None if backend == "transformers" else type(tr.tokenizer).__name__ == "MarianSpm"
        ids = tr.spm.ids(texts) if backend == "transformers" else tr.tokenizer.ids(texts)
        assert ids == reference
        report = run(inbox(tmp_path / backend), tmp_path / backend / "out", options(opus_mt_dir, backend))
        assert report.ok and report.counts()["written"] == 2 and report.model["backend"] == backend
        assert report.model["unknown_share"] == 0.0 and report.model_warning.startswith("the model may be broken")
        runs[backend] = json.loads((tmp_path / backend / "out" / "economy_bok_rate.json").read_text(encoding="utf-8"))
    assert runs["transformers"]["summary"][0]["ko"] == runs["ct2"]["summary"][0]["ko"]


@pytest.mark.slow
def test_a_ready_ct2_folder_through_the_cli(quickmt_ct2_dir, fast_config, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path)), "--out", str(out), "--model", str(quickmt_ct2_dir),
                                  "--config", str(fast_config)])
    assert r.exit_code == 0, r.output
    assert "2 briefed" in r.output and r.stderr.count("the model may be broken") == 1
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert report["model"]["backend"] == "ct2" and report["model"]["unknown_share"] == 0.0
    brief = json.loads((out / "economy_bok_rate.json").read_text(encoding="utf-8"))
    assert brief["model"]["id"] == str(quickmt_ct2_dir) and brief["title"]["en"]
    assert not list(Path(os.environ["HF_HOME"]).glob("summarize-ct2/**/model.bin"))  # loaded, not converted
    r = CliRunner().invoke(main, ["models", "convert", str(quickmt_ct2_dir)])
    assert r.exit_code == 0 and r.output.startswith("a ready CTranslate2 model, nothing to convert")


@pytest.mark.slow
def test_transformers_refuses_a_ready_ct2_model_in_one_line(quickmt_ct2_dir, fast_config, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path)), "--out", str(out), "--model", str(quickmt_ct2_dir),
                                  "--config", str(fast_config), "--backend", "transformers"])
    assert r.exit_code == 3  # the model's exit code
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "is a ready CTranslate2 model, which the transformers backend cannot load" in lines[0]
    assert "--backend ct2" in lines[0] and "--model opus-mt" in lines[0]
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["model_error"] in lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("name,repo_id", [("quickmt", "quickmt/quickmt-ko-en"),
                                          ("someone/ko-en-ct2", "someone/ko-en-ct2")])
def test_a_ready_ct2_model_from_the_hf_cache_offline(quickmt_ct2_dir, fast_config, tmp_path, name, repo_id):
    """Through the HF cache like any hub model; a hub id outside the alias table is recognised by its config,
    and wants model.bin (there is no safetensors in this snapshot)."""
    snapshot = hub_snapshot(quickmt_ct2_dir, repo_id)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path)), "--out", str(out), "--model", name,
                                  "--config", str(fast_config), "--offline"])
    assert r.exit_code == 0, r.output
    model = json.loads((out / "run.json").read_text(encoding="utf-8"))["model"]
    assert (model["id"], model["revision"], model["backend"]) == (repo_id, snapshot.name, "ct2")
    r = CliRunner().invoke(main, ["brief", str(inbox(tmp_path / "t")), "--out", str(tmp_path / "o2"), "--model", name,
                                  "--config", str(fast_config), "--offline", "--backend", "transformers"])
    assert r.exit_code == 3 and "is a ready CTranslate2 model" in r.stderr


@pytest.mark.slow
def test_a_ready_ct2_model_takes_the_cpu_where_ctranslate2_cannot_use_the_gpu(quickmt_ct2_dir, tiny_model_dir,
                                                                              monkeypatch, caplog):
    """As on a machine whose CTranslate2 build sees the GPU but lacks its CUDA libraries: a ready model, which
    nothing else runs, goes to the CPU; a transformers model is left to the transformers backend, as before."""
    import ctranslate2

    real = ctranslate2.Translator

    def translator(path, device="cpu", **kw):
        if device == "cuda":
            raise RuntimeError("Library libcublas.so.12 is not found or cannot be loaded")
        return real(path, device=device, **kw)

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(ctranslate2, "Translator", translator)
    g = GenerationOptions(num_beams=1, max_new_tokens=8)
    with caplog.at_level(logging.WARNING, logger="summarize"):
        tr = load_translator(resolve_model(str(quickmt_ct2_dir)), BriefOptions(model=str(quickmt_ct2_dir), generation=g))
    assert (tr.info.backend, tr.device, tr.compute_type) == ("ct2", "cpu", "int8") and tr.translate_batch(["가"])
    assert "cannot run on cuda (float16): Library libcublas.so.12" in caplog.text and "on the CPU (int8)" in caplog.text
    with pytest.raises(ModelUnavailable, match="cannot run on cuda"):
        load_translator(resolve_model(str(tiny_model_dir)), BriefOptions(model=str(tiny_model_dir), backend="ct2",
                                                                          generation=g))


@pytest.mark.slow
def test_a_ready_ct2_model_runs_without_torch_or_transformers(quickmt_ct2_dir):
    code = (
        "import json, sys\n"
        "from summarize import BriefOptions, GenerationOptions\n"
        "from summarize.translate.base import resolve_model\n"
        "from summarize.translate.loading import load_translator\n"
        "from summarize.translate.checks import check_vocabulary\n"
        f"spec = resolve_model({str(quickmt_ct2_dir)!r})\n"
        "tr = load_translator(spec, BriefOptions(model=spec.id, generation=GenerationOptions(num_beams=1, "
        "max_new_tokens=8)))\n"
        "en = tr.translate_batch(['한국은행은 기준금리를 연 3.5%로 동결했다.'])\n"
        "print(json.dumps([tr.info.backend, check_vocabulary(tr, 0.02), bool(en[0]), 'torch' in sys.modules, "
        "'transformers' in sys.modules]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1]) == ["ct2", 0.0, True, False, False]
