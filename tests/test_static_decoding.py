"""The static greedy decoder (CUDA graphs on a GPU) against generate: identical tokens, on the tiny model."""

import pytest
import torch

from summarize import BriefOptions, GenerationOptions
from summarize.translate.base import resolve_model
from summarize.translate.loading import load_translator
from summarize.translate.static_greedy import StaticGreedy

pytestmark = pytest.mark.slow

TEXTS = ["박원순 시장은 26만㎡ 규모의 사이버포트를 방문했다.", "1,200개", "짧다.",
         "서울은 인재가 밀집된 도시이고, 중국은 드넓은 시장을 보유하고 있다.", "홍콩정부가 2005년에 조성했다."]


def pair(model_dir, **gen):
    g = GenerationOptions(num_beams=1, **{"max_new_tokens": 14, **gen})
    spec = resolve_model(str(model_dir))
    ref = load_translator(spec, BriefOptions(backend="transformers", decoder="generate", generation=g))
    fast = load_translator(spec, BriefOptions(backend="transformers", decoder="static", generation=g))
    assert ref.static is None and isinstance(fast.static, StaticGreedy)
    return ref, fast


def uneven_eos_bias(tr) -> float:
    """A bias on </s> under which the tiny model ends some sentences early and others not."""
    eos, pad = tr.model.config.eos_token_id, tr.model.config.pad_token_id
    for step in range(1, 200):
        bias = step * 0.05
        with torch.no_grad():
            tr.model.final_logits_bias[0, eos] += bias
            lengths = (tr.generate_ids(TEXTS) != pad).sum(1).tolist()
            tr.model.final_logits_bias[0, eos] -= bias
        if len(set(lengths)) > 1:
            return bias
    raise AssertionError("no bias ends the sentences unevenly")


@pytest.mark.parametrize("min_new", [0, 6])
@pytest.mark.parametrize("early_stops", [False, True])
@pytest.mark.parametrize("bad_pad", [False, True])
def test_identical_tokens_to_generate(tiny_model_dir, min_new, early_stops, bad_pad):
    ref, fast = pair(tiny_model_dir, min_new_tokens=min_new)
    bias = uneven_eos_bias(ref) if early_stops else 0.0
    for tr in (ref, fast):
        with torch.no_grad():
            tr.model.final_logits_bias[0, tr.model.config.eos_token_id] += bias
        if bad_pad:
            tr.model.generation_config.bad_words_ids = [[tr.model.config.pad_token_id]]
    if bad_pad:
        fast.static = StaticGreedy(fast.model, fast.generation)
    a, b = ref.generate_ids(TEXTS), fast.generate_ids(TEXTS)
    assert torch.equal(a, b)
    assert fast.translate_batch(TEXTS) == ref.translate_batch(TEXTS)


def test_beam_search_and_other_models_keep_generate(tiny_model_dir):
    g = GenerationOptions(num_beams=2, max_new_tokens=8)
    tr = load_translator(resolve_model(str(tiny_model_dir)),
                         BriefOptions(backend="transformers", decoder="static", generation=g))
    assert tr.static is None


def test_auto_uses_static_decoding_only_on_a_gpu(tiny_model_dir):
    g = GenerationOptions(num_beams=1, max_new_tokens=8)
    tr = load_translator(resolve_model(str(tiny_model_dir)),
                         BriefOptions(backend="transformers", device="cpu", generation=g))
    assert tr.static is None


def test_only_a_few_batch_shapes_keep_their_state(tiny_model_dir):
    ref, fast = pair(tiny_model_dir)
    for n in range(1, len(TEXTS) + 1):  # five batch sizes, five shapes
        assert torch.equal(fast.generate_ids(TEXTS[:n]), ref.generate_ids(TEXTS[:n]))
    assert len(fast.static.graphs) == fast.static.keep < len(TEXTS)
    assert (len(TEXTS), max(len(x) for x in fast.encodings.encode(TEXTS))) in fast.static.graphs  # the latest kept


def min_gap(tr, text: str) -> float:
    """The smallest margin between the two best logits along the greedy path of `text`."""
    ids = tr.generate_ids([text])[0].tolist()
    with torch.no_grad():
        logits = tr.model(**tr.encode([text]), decoder_input_ids=torch.tensor([ids[:-1]])).logits[0].float()
    top = torch.topk(logits, 2).values
    return float((top[:, 0] - top[:, 1]).min())


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("min_new", [0, 6])
def test_identical_tokens_in_half_precision(tiny_model_dir, dtype, min_new):
    """As on a GPU: the static decoder takes the argmax of the logits in the model's dtype, where
    generate first copies them to float32."""
    ref, fast = pair(tiny_model_dir, min_new_tokens=min_new)
    for tr in (ref, fast):
        tr.model.to(dtype)
    fast.static = StaticGreedy(fast.model, fast.generation)
    clear = [t for t in TEXTS if min_gap(ref, t) >= 0.01]  # no near tie that rounding could break either way
    assert len(clear) >= 4
    a, b = ref.generate_ids(clear), fast.generate_ids(clear)
    assert b.dtype == a.dtype and torch.equal(a, b)


def test_batches_come_back_in_order_decoded_beside_the_device(tiny_model_dir):
    """With the static decoder, a batch's text is decoded in a second thread while the next batch runs."""
    import threading

    from summarize.translate.batching import translate_texts

    ref, fast = pair(tiny_model_dir)
    threads = set()
    real = fast.spm.texts_of_ids

    def spy(rows):
        threads.add(threading.current_thread().name)
        return real(rows)

    fast.spm.texts_of_ids = spy
    groups = [TEXTS[:2], TEXTS[2:3], TEXTS[3:]]
    assert list(fast.translate_batches(groups)) == [ref.translate_batch(g) for g in groups]
    assert threads and all(name.startswith("summarize-decode") for name in threads)
    texts = TEXTS + [t + " 다시" for t in TEXTS]
    assert translate_texts(fast, texts, None, 2, 4096) == translate_texts(ref, texts, None, 2, 4096)


def test_the_kept_shapes_fit_a_memory_budget(tiny_model_dir):
    ref, fast = pair(tiny_model_dir)
    static = fast.static
    sizes = []
    for n in range(1, len(TEXTS) + 1):
        assert torch.equal(fast.generate_ids(TEXTS[:n]), ref.generate_ids(TEXTS[:n]))
        (batch, src_len), (s, _) = next(reversed(static.graphs.items()))
        kv = sum(t.numel() * t.element_size() for k in ("self_k", "self_v", "enc_k", "enc_v") for t in s[k])
        assert static.state_bytes(batch, src_len, s["self_k"][0].dtype) == kv  # the estimate is what is allocated
        sizes.append(kv)
    static.graphs.clear()
    static.budget = int(1.5 * max(sizes))  # room for one more shape beside the one in use, not four
    for n in range(1, len(TEXTS) + 1):
        assert torch.equal(fast.generate_ids(TEXTS[:n]), ref.generate_ids(TEXTS[:n]))
        assert static.held() <= static.budget + sizes[n - 1]
    assert 1 <= len(static.graphs) <= 2 < static.keep
