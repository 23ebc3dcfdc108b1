"""Translation layer: model names, batching, splitting, caching — with a fake model, no torch."""

import pytest
from conftest import FakeTranslator

from summarize.errors import UnknownModel
from summarize.state import connect
from summarize.translate.base import MODELS, resolve_model
from summarize.translate.batching import batches, split_long, translate_texts
from summarize.translate.cache import TranslationCache


def test_aliases_hub_ids_and_folders(tmp_path):
    assert resolve_model("opus-mt-tc-big").id == "Helsinki-NLP/opus-mt-tc-big-ko-en"
    assert resolve_model("opus-mt").id == "Helsinki-NLP/opus-mt-ko-en"
    assert "non-commercial" in resolve_model("nllb-600m").warning
    assert resolve_model("opus-mt").warning is None
    spec = resolve_model("someone/ko-en-model")
    assert spec.id == "someone/ko-en-model" and not spec.local
    spec = resolve_model(str(tmp_path))
    assert spec.local and spec.id == str(tmp_path.resolve())


def test_unknown_alias_lists_the_valid_ones():
    with pytest.raises(UnknownModel) as e:
        resolve_model("opus-big")
    for alias in MODELS:
        assert alias in str(e.value)


def test_missing_folder():
    with pytest.raises(UnknownModel, match="folder not found"):
        resolve_model("./no/such/model")


def test_batches_limit_items_and_padded_tokens():
    lengths = [5, 50, 3, 8, 40, 7, 2, 60]
    got = list(batches(lengths, batch_size=3, max_tokens=100))
    assert sorted(i for b in got for i in b) == list(range(len(lengths)))
    for b in got:
        assert len(b) <= 3
        assert max(lengths[i] for i in b) * len(b) <= 100 or len(b) == 1
    flat = [lengths[i] for b in got for i in b]
    assert flat == sorted(flat)  # shortest first


def test_a_last_batch_of_a_few_items_joins_the_one_before():
    assert [len(b) for b in batches([5] * 17, batch_size=16, max_tokens=10_000)] == [17]
    assert [len(b) for b in batches([5] * 19, batch_size=16, max_tokens=10_000)] == [16, 3]  # over an eighth
    assert [len(b) for b in batches([5] * 17, batch_size=16, max_tokens=80)] == [16, 1]  # over the tokens
    assert [len(b) for b in batches([5] * 10, batch_size=16, max_tokens=10_000)] == [10]


def test_split_long_never_drops_text():
    text = ", ".join(f"문장 조각 {i}번" for i in range(40)) + "."
    pieces = split_long(text, lambda s: len(s.split()), 12)
    assert len(pieces) > 1
    assert all(len(p.split()) <= 12 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_translate_texts_batches_sorts_and_restores_order():
    fake = FakeTranslator(fn=lambda t: f"EN<{t}>")
    texts = [f"{'가 ' * n}끝" for n in (9, 1, 5, 3, 7, 2)] + ["가 끝"]  # one duplicate of a length-2 text
    out = translate_texts(fake, texts, batch_size=2, max_batch_tokens=1000)
    assert out == {t: f"EN<{t}>" for t in texts}
    assert len(fake.calls) == 3  # 6 distinct texts, 2 per batch
    sizes = [len(t.split()) for call in fake.calls for t in call]
    assert sizes == sorted(sizes)


def test_long_units_are_split_then_joined():
    fake = FakeTranslator(fn=lambda t: f"[{t}]", max_input_tokens=8)
    long = " ".join(f"단어{i}" for i in range(20))
    out = translate_texts(fake, [long])
    assert out[long].count("[") > 1
    assert out[long].replace("[", "").replace("]", "").split() == long.split()
    assert all(n <= fake.max_input_tokens for call in fake.calls for n in fake.count_tokens(call))


def test_cache_means_a_rerun_translates_nothing(tmp_path):
    cache = TranslationCache(connect(tmp_path / "c.sqlite", threads=True))
    fake = FakeTranslator()
    translate_texts(fake, ["하나다.", "둘이다."], cache)
    assert len(fake.calls) == 1
    cache.close()
    cache = TranslationCache(connect(tmp_path / "c.sqlite", threads=True))
    again = FakeTranslator()
    out = translate_texts(again, ["하나다.", "둘이다."], cache)
    assert again.calls == [] and set(out) == {"하나다.", "둘이다."}
    other = FakeTranslator(info=again.info.__class__(id="fake/model", revision="1" * 40, settings={"num_beams": 1}))
    translate_texts(other, ["하나다."], cache)
    assert len(other.calls) == 1  # another revision is another key


def test_a_parallel_model_gets_that_many_batches_at_once():
    fake = FakeTranslator()
    fake.parallel = 2
    texts = [f"문장 {i}번이다." for i in range(40)]
    translate_texts(fake, texts, batch_size=8, max_batch_tokens=10_000)
    assert [len(c) for c in fake.calls] == [16, 16, 8]


def test_batch_limits_follow_the_device_unless_set():
    from summarize.translate.batching import batch_limits

    assert batch_limits(0, 0, "cpu") == (32, 4096)
    assert batch_limits(0, 0, "cuda") == (1024, 65536)
    assert batch_limits(8, 0, "cuda") == (8, 65536)
    assert batch_limits(0, 500, "cpu") == (32, 500)


def test_cache_keys_keep_their_format():
    """Caches written before stay valid: the key is the sha256 of the same JSON list as ever."""
    import hashlib
    import json

    from summarize.records import ModelInfo
    from summarize.translate.cache import TranslationCache

    info = ModelInfo(id="m/x", revision="abc", settings={"num_beams": 1, "z": "é", "a": [1, 2]}, backend="ct2",
                     compute_type="int8")
    for text in ['큰따옴표 "가" 있다', "back\\slash", "", "😀"]:
        blob = json.dumps([info.id, info.revision, info.backend, info.compute_type, info.settings, text],
                          sort_keys=True, ensure_ascii=False)
        assert TranslationCache.key(info, text) == hashlib.sha256(blob.encode("utf-8")).hexdigest()
    other = ModelInfo(id="m/y", revision="abc", settings={}, backend="ct2", compute_type="int8")
    assert TranslationCache.key(other, "가") != TranslationCache.key(info, "가")


def test_a_batch_the_model_fails_on_is_translated_article_by_article(tmp_path):
    """One article the model chokes on fails alone: the chunk it shared with the others is translated again,
    article by article."""
    from conftest import SAMPLES

    from summarize import BriefOptions, run

    inbox = tmp_path / "in"
    inbox.mkdir()
    article = (SAMPLES / "economy_bok_rate.txt").read_text(encoding="utf-8")
    for i in range(3):
        (inbox / f"e{i}.txt").write_text(article.replace("동결…", "동결(독)…") if i == 1 else article, encoding="utf-8")

    def choke(ko: str) -> str:
        if "(독)" in ko:
            raise RuntimeError("the model choked")
        return ko

    fake = FakeTranslator(fn=choke)
    # a batch larger than the three articles: they are translated together, in one chunk
    report = run(inbox, tmp_path / "out", BriefOptions(workers=0, batch_size=512), translator_factory=lambda s, o: fake)
    status = {e.path: (e.status, e.reason) for e in report.entries}
    assert status.pop("e1.txt") == ("failed", "translation failed: RuntimeError: the model choked")
    assert status == {"e0.txt": ("written", None), "e2.txt": ("written", None)}
    together = next(c for c in fake.calls if any("(독)" in t for t in c))
    assert any("동결…" in t for t in together)  # the failed call held the other articles' units too
