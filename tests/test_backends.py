"""The CTranslate2 backend against the transformers reference, on the tiny model: same tokens, same brief."""

import json
import logging

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from summarize import BriefOptions, GenerationOptions, run
from summarize.cli import main
from summarize.translate.base import resolve_model
from summarize.translate.loading import load_translator

pytestmark = pytest.mark.slow

SENTENCES = [
    "박원순 시장은 26만㎡ 규모의 사이버포트를 방문했다.",
    "1,200개",
    "서울은 인재가 밀집된 도시이고, 중국은 드넓은 시장을 보유하고 있다.",
    "한국은행 금융통화위원회가 23일 기준금리를 연 3.50%로 동결했다.",
]


def options(model, backend, **kw):
    return BriefOptions(model=str(model), backend=backend, compute_type="float32",
                        generation=GenerationOptions(num_beams=1, max_new_tokens=kw.pop("max_new_tokens", 16)), **kw)


def test_greedy_tokens_are_identical(tiny_model_dir):
    spec = resolve_model(str(tiny_model_dir))
    hf = load_translator(spec, options(tiny_model_dir, "transformers"))
    ct = load_translator(spec, options(tiny_model_dir, "ct2"))
    assert (hf.info.backend, ct.info.backend) == ("transformers", "ct2")
    assert type(ct.tokenizer).__name__ == "MarianSpm"
    special = set(hf.tokenizer.all_special_tokens)
    hf_tokens = [[t for t in hf.tokenizer.convert_ids_to_tokens(ids) if t not in special]
                 for ids in hf.generate_ids(SENTENCES)]
    ct_tokens = [[t for t in h if t not in special] for h in ct.translate_tokens(SENTENCES)]
    assert hf_tokens == ct_tokens
    assert len({tuple(t) for t in hf_tokens}) > 1  # the outputs depend on the inputs
    assert hf.translate_batch(SENTENCES) == ct.translate_batch(SENTENCES)


def test_marian_spm_tokenizes_as_marian_tokenizer(tiny_model_dir):
    from transformers import AutoTokenizer

    from summarize.translate.marian_spm import MarianSpm

    hf = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    light = MarianSpm(tiny_model_dir)
    sentences = [s for p in SAMPLES.glob("*.txt") for s in p.read_text(encoding="utf-8", errors="ignore").splitlines()
                 if s.strip()] + [">>eng<< 코드가 붙은 문장", "이모지 😀와 ㎡, ℃"]
    assert light.tokens(sentences) == [hf.convert_ids_to_tokens(ids) for ids in hf(sentences)["input_ids"]]
    for ids in hf(sentences)["input_ids"]:
        toks = hf.convert_ids_to_tokens(ids)
        assert light.text(toks) == hf.decode(ids, skip_special_tokens=True)


def near_tie(hf, text: str) -> bool:
    """Whether greedy decoding of `text` passes a step whose two best logits are within 1e-4: a tie that
    float rounding in either engine may break either way (a random tiny model has a few)."""
    import torch

    ids = hf.generate_ids([text])[0].tolist()
    enc = hf.encode([text])
    with torch.no_grad():
        logits = hf.model(**enc, decoder_input_ids=torch.tensor([ids[:-1]])).logits[0]
    top = torch.topk(logits, 2).values
    return bool(((top[:, 0] - top[:, 1]) < 1e-4).any())


def translated_units(brief: dict) -> dict[str, str]:
    units = {brief["title"]["ko"]: brief["title"]["en"]}
    units.update((s["ko"], s["en"]) for s in brief["summary"])
    for q in brief["quotes"]:
        units[q["ko"]] = q["en"]
        if q.get("speaker"):
            units[q["speaker"]] = q.get("speaker_en")
    return units


def test_briefs_identical_apart_from_the_backend_record(tiny_model_dir, tmp_path):
    from summarize.stages.figures import extract_figures, prerender

    out = {}
    for backend in ("transformers", "ct2"):
        report = run(SAMPLES, tmp_path / backend, options(tiny_model_dir, backend, max_new_tokens=12))
        assert report.ok and report.model["backend"] == backend
        out[backend] = report
    hf = load_translator(resolve_model(str(tiny_model_dir)), options(tiny_model_dir, "transformers",
                                                                       max_new_tokens=12))
    identical, ties = 0, []
    for entry in out["ct2"].entries:
        a = json.loads((tmp_path / "transformers" / entry.outputs["json"]).read_text(encoding="utf-8"))
        b = json.loads((tmp_path / "ct2" / entry.outputs["json"]).read_text(encoding="utf-8"))
        assert (a["model"].pop("backend"), b["model"].pop("backend")) == ("transformers", "ct2")
        md_a = (tmp_path / "transformers" / entry.outputs["md"]).read_text(encoding="utf-8")
        md_b = (tmp_path / "ct2" / entry.outputs["md"]).read_text(encoding="utf-8")
        assert "(ct2, float32;" in md_b and "(transformers, float32;" in md_a
        ua, ub = translated_units(a), translated_units(b)
        differing = [ko for ko in ua if ua[ko] != ub[ko]]
        for ko in differing:  # only where the reference itself is a coin toss
            assert near_tie(hf, ko) or near_tie(hf, prerender(ko, extract_figures(ko))), (ko, ua[ko], ub[ko])
            ties.append(ko)
        if not differing:
            assert a == b
            assert md_a.split("<sub>")[0] == md_b.split("<sub>")[0]
            identical += 1
        else:  # everything but the English of the tied units is the same
            for key in ("title", "sentences", "figures", "source", "meta", "model"):
                assert key == "title" or a[key] == b[key], key
            assert [s["id"] for s in a["summary"]] == [s["id"] for s in b["summary"]]
            assert [(q["ko"], q["speaker"]) for q in a["quotes"]] == [(q["ko"], q["speaker"]) for q in b["quotes"]]
    assert identical >= len(out["ct2"].entries) - 1 and len(ties) <= 2, ties


def test_conversion_is_cached(tiny_model_dir, monkeypatch):
    import ctranslate2.converters

    from summarize.translate.ct2 import convert

    calls = []
    real = ctranslate2.converters.TransformersConverter.convert

    def counting(self, *a, **kw):
        calls.append(1)
        return real(self, *a, **kw)

    monkeypatch.setattr(ctranslate2.converters.TransformersConverter, "convert", counting)
    spec = resolve_model(str(tiny_model_dir))
    opts = options(tiny_model_dir, "ct2")  # float32 weights
    folder, converted = convert(spec, opts)
    assert converted and (folder / "model.bin").exists() and len(calls) == 1
    assert "summarize-ct2" in str(folder)
    load_translator(spec, opts)
    load_translator(spec, opts)
    assert convert(spec, opts) == (folder, False)
    assert len(calls) == 1  # loaded twice, converted once
    int8, converted = convert(spec, opts, quantization="int8")
    assert converted and int8 != folder and len(calls) == 2  # another weight type is another conversion
    load_translator(spec, opts.replace(compute_type="int8"))
    assert len(calls) == 2


def test_auto_falls_back_to_transformers_with_a_notice(tiny_model_dir, caplog):
    from summarize.errors import BackendUnavailable

    def unavailable(*a, **kw):
        raise BackendUnavailable("ctranslate2 is not installed (pip install ctranslate2)")

    with caplog.at_level(logging.WARNING, logger="summarize"):
        tr = load_translator(resolve_model(str(tiny_model_dir)), options(tiny_model_dir, "auto"), ct2=unavailable)
    assert tr.info.backend == "transformers"
    notices = [r.getMessage() for r in caplog.records]
    assert notices == ["using the transformers backend: ctranslate2 is not installed (pip install ctranslate2)"]


def test_auto_falls_back_when_ctranslate2_is_not_installed(tiny_model_dir, monkeypatch, caplog):
    import sys

    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import ctranslate2 -> ImportError
    with caplog.at_level(logging.WARNING, logger="summarize"):
        tr = load_translator(resolve_model(str(tiny_model_dir)), options(tiny_model_dir, "auto"))
    assert tr.info.backend == "transformers"
    assert "ctranslate2 is not installed" in caplog.text


def test_models_convert_and_pull_commands(tiny_model_dir):
    r = CliRunner().invoke(main, ["models", "convert", str(tiny_model_dir)])
    assert r.exit_code == 0 and ("converted:" in r.output)
    r = CliRunner().invoke(main, ["models", "convert", str(tiny_model_dir)])
    assert r.exit_code == 0 and r.output.startswith("already converted:")
    r = CliRunner().invoke(main, ["models", "pull", "opus-mt"])
    assert r.exit_code == 3  # the model's exit code
    assert "error: model Helsinki-NLP/opus-mt-ko-en is not in the Hugging Face cache" in r.stderr
    r = CliRunner().invoke(main, ["models", "pull", "nope"])
    assert r.exit_code == 2 and "valid aliases" in r.output


@pytest.mark.parametrize("backend", ["transformers", "ct2"])
def test_each_text_is_tokenized_once(tiny_model_dir, backend):
    from summarize.translate.batching import translate_texts

    tr = load_translator(resolve_model(str(tiny_model_dir)), options(tiny_model_dir, backend))
    encoded: list[str] = []
    real = tr.encodings.encode
    tr.encodings.encode = lambda texts: (encoded.extend(texts), real(texts))[1]
    out = translate_texts(tr, SENTENCES * 3, None, batch_size=2, max_batch_tokens=10_000)
    assert sorted(encoded) == sorted(SENTENCES) and set(out) == set(SENTENCES)
    assert tr.encodings.kept == {}  # handed over to the batches, not kept


def test_padding_by_hand_matches_the_tokenizer(tiny_model_dir):
    hf = load_translator(resolve_model(str(tiny_model_dir)), options(tiny_model_dir, "transformers"))
    hf.count_tokens(SENTENCES)
    mine = hf.encode(SENTENCES)
    theirs = hf.tokenizer(SENTENCES, return_tensors="pt", padding=True)
    assert mine["input_ids"].tolist() == theirs["input_ids"].tolist()
    assert mine["attention_mask"].tolist() == theirs["attention_mask"].tolist()
    assert 0 in mine["attention_mask"].tolist()[1]  # there was padding to do


def test_marian_text_goes_through_sentencepiece_as_marian_tokenizer_would(tiny_model_dir):
    hf = load_translator(resolve_model(str(tiny_model_dir)), options(tiny_model_dir, "transformers"))
    assert hf.spm is not None
    hf.count_tokens(SENTENCES)
    ids = hf.generate_ids(SENTENCES)
    hf.count_tokens(SENTENCES)
    assert hf.translate_batch(SENTENCES) == hf.tokenizer.batch_decode(ids, skip_special_tokens=True)
    every = [list(range(len(hf.spm.vocab)))[i::7] for i in range(7)]  # each id once, specials included
    assert hf.spm.texts_of_ids(every) == hf.tokenizer.batch_decode(every, skip_special_tokens=True)


def test_marian_ids_and_text_match_marian_tokenizer_when_the_vocabulary_is_not_sentencepiece_order(
        tiny_model_dir, tmp_path):
    """As in the real opus-mt models: vocab.json numbers the pieces its own way and holds pieces the
    source sentencepiece model does not know (the other language's), which it decodes as they are."""
    import json
    import random
    import shutil

    from transformers import MarianTokenizer

    from summarize.translate.marian_spm import MarianSpm

    folder = tmp_path / "tok"
    folder.mkdir()
    for name in ("source.spm", "target.spm", "tokenizer_config.json"):
        shutil.copy(tiny_model_dir / name, folder / name)
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text(encoding="utf-8"))
    special = {p: i for p, i in vocab.items() if p in ("</s>", "<unk>", "<pad>")}  # ids the config names too
    others = [p for p in vocab if p not in special] + ["\u2581the", "\u2581government", "😀"]  # the last unknown
    others = list(dict.fromkeys(others))
    random.Random(3).shuffle(others)
    free = [i for i in range(len(vocab) + 3) if i not in special.values()]
    vocab = {**special, **dict(zip(others, free, strict=True))}
    pieces = sorted(vocab, key=vocab.get)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    hf = MarianTokenizer.from_pretrained(str(folder))
    light = MarianSpm(folder)
    sentences = SENTENCES + [">>eng<< 코드가 붙은 문장", "이모지 😀와 ㎡, ℃", "알 수 없는 글자 ☃"]
    assert light.ids(sentences) == hf(sentences)["input_ids"]
    every = [list(range(len(pieces)))[i::7] for i in range(7)] + [[len(pieces) + 5, 0, 1]]  # one id past the end
    assert light.texts_of_ids(every[:-1]) == hf.batch_decode(every[:-1], skip_special_tokens=True)
    assert light.texts_of_ids(every[-1:]) == light.texts_of_ids([[0, 1]])  # an id past the end is skipped
    assert any(x in " ".join(light.texts_of_ids(every)) for x in ("the", "government"))
