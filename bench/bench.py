"""Benchmark: the translation paths and the whole brief job, side by side, in one run.

No real weights can be downloaded where this runs, so it builds randomly initialised models with
the real architectures of the two opus-mt models and forces a fixed output length (min = max new
tokens), which gives every engine the same work. Inputs are the body sentences of samples/.

Each measurement runs in its own process, so that peak RSS and thread settings are its own:
naive (one sentence at a time, fp32), generate (batched), project-transformers / project-ct2 (the
project's paths), job-auto (the whole brief job, reading to briefs written, with the time in the
model apart) and job-sim (the whole job against a simulated device exactly as fast as the reference
path, `generate` on a GPU and CTranslate2 on a CPU: whether everything around the model keeps up).
host: the transformers path with the model's forward stubbed, in GPU-sized batches (the host's part).

    python bench/bench.py [--arch base big] [--device cpu|cuda] [--new-tokens 40] [--repeats 3]

Prints a table and writes bench/results/<machine>-<device>-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.translate.base import Translator  # noqa: E402

ARCHS = {
    # Helsinki-NLP/opus-mt-ko-en
    "base": dict(d_model=512, heads=8, ffn=2048, layers=6, activation="swish", vocab=65001, positions=512),
    # Helsinki-NLP/opus-mt-tc-big-ko-en
    "big": dict(d_model=1024, heads=16, ffn=4096, layers=6, activation="relu", vocab=55000, positions=1024),
}


# --------------------------------------------------------------------------- inputs and models


def sample_sentences() -> list[str]:
    from summarize import BriefOptions, prepare
    from summarize.stages.reading import find_inputs

    out = []
    for p in find_inputs(ROOT / "samples"):
        out += [s.ko for s in prepare(p, ROOT / "samples", BriefOptions()).sentences]
    return out


def build_model(arch: str, folder: Path) -> Path:
    """A random Marian model with the real architecture; sentencepiece trained on the samples,
    its vocabulary padded to the real size so that the embedding matrices are the real size."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    a = ARCHS[arch]
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(sample_sentences()), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(folder / "sp"), vocab_size=2000,
                                   character_coverage=1.0, pad_id=-1, bos_id=-1, eos_id=0, unk_id=1,
                                   eos_piece="</s>", unk_piece="<unk>", hard_vocab_limit=False, minloglevel=2)
    sp = spm.SentencePieceProcessor(model_file=str(folder / "sp.model"))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    for i in range(len(vocab), a["vocab"] - 1):
        vocab[f"<unused{i}>"] = i
    vocab["<pad>"] = a["vocab"] - 1
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    for name in ("source.spm", "target.spm"):
        shutil.copy(folder / "sp.model", folder / name)
    tok = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
                          source_lang="ko", target_lang="en")
    pad = a["vocab"] - 1
    config = MarianConfig(
        vocab_size=a["vocab"], d_model=a["d_model"], encoder_layers=a["layers"], decoder_layers=a["layers"],
        encoder_attention_heads=a["heads"], decoder_attention_heads=a["heads"], encoder_ffn_dim=a["ffn"],
        decoder_ffn_dim=a["ffn"], activation_function=a["activation"], max_position_embeddings=a["positions"],
        pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=None,
        scale_embedding=True, share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(0)
    MarianMTModel(config).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


# --------------------------------------------------------------------------- workers (one process each)


def _tag(i: int) -> str:
    return "".join("가나다라마바사아자차"[int(c)] for c in str(i))


def _rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would carry the parent's over exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _options(model: Path, backend: str, args, batch_size: int, decoder: str = "auto"):
    from summarize import BriefOptions, GenerationOptions

    gen = GenerationOptions(num_beams=1, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens)
    return BriefOptions(model=str(model), backend=backend, device=args.device, threads=args.threads,
                        batch_size=batch_size, max_batch_tokens=args.max_batch_tokens, decoder=decoder,
                        generation=gen, workers=getattr(args, "workers", -1))


def _timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def worker_naive(model: Path, sentences: list[str], args) -> dict:
    """What most scripts do: tokenizer + model.generate, one sentence at a time, fp32."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    torch.set_num_threads(args.threads or 1)
    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(model))
    m = AutoModelForSeq2SeqLM.from_pretrained(str(model)).eval().to(args.device)
    load = time.perf_counter() - t0
    sents = sentences[: args.naive_sentences]

    def go():
        for s in sents:
            enc = tok([s], return_tensors="pt").to(args.device)
            with torch.no_grad():
                m.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=args.new_tokens,
                           min_new_tokens=args.new_tokens)
        if args.device == "cuda":
            torch.cuda.synchronize()

    times = _timed(go, args.repeats)
    return dict(sentences=len(sents), times=times, load_s=load, threads=torch.get_num_threads())


def worker_generate(model: Path, sentences: list[str], args) -> dict:
    """Batched `generate`, length-sorted, fp16 on GPU: the plain transformers ceiling."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    torch.set_num_threads(args.threads or 1)
    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(model))
    m = AutoModelForSeq2SeqLM.from_pretrained(str(model)).eval()
    if args.device == "cuda":
        m = m.half()
    m = m.to(args.device)
    load = time.perf_counter() - t0
    order = sorted(sentences, key=len)

    def go():
        for i in range(0, len(order), args.gpu_batch if args.device == "cuda" else 64):
            chunk = order[i:i + (args.gpu_batch if args.device == "cuda" else 64)]
            enc = tok(chunk, return_tensors="pt", padding=True).to(args.device)
            with torch.inference_mode():
                m.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=args.new_tokens,
                           min_new_tokens=args.new_tokens)
        if args.device == "cuda":
            torch.cuda.synchronize()

    go()  # warm-up
    times = _timed(go, args.repeats)
    return dict(sentences=len(sentences), times=times, load_s=load, threads=torch.get_num_threads())


def worker_project(model: Path, sentences: list[str], args, backend: str) -> dict:
    """The project's translation path: load_translator + translate_texts (no cache).
    `generate` is the transformers backend with generate instead of the static decoder."""
    from summarize.translate.base import resolve_model
    from summarize.translate.batching import batch_limits, translate_texts
    from summarize.translate.loading import load_translator

    batch = args.gpu_batch if args.device == "cuda" else 64
    decoder = "generate" if backend == "generate" else "auto"
    backend = "transformers" if backend == "generate" else backend
    options = _options(model, backend, args, batch, decoder)
    spec = resolve_model(str(model))
    t0 = time.perf_counter()
    tr = load_translator(spec, options)
    load = time.perf_counter() - t0

    def go():
        translate_texts(tr, sentences, None, *batch_limits(options.batch_size, options.max_batch_tokens, tr.device))
        if args.device == "cuda":
            import torch

            torch.cuda.synchronize()

    go()  # warm-up
    times = _timed(go, args.repeats)
    return dict(sentences=len(sentences), times=times, load_s=load,
                decoder="static" if getattr(tr, "static", None) is not None else None,
                backend=tr.info.backend, compute_type=tr.info.compute_type, threads=getattr(tr, "threads", None))


def _job_folder(args) -> tuple[Path, Path, int]:
    """--job-copies copies of samples/, each a different article: a marker in every sentence, so
    that nothing is translated once for all copies."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-job-"))
    inbox = tmp / "in"
    inbox.mkdir()
    articles = 0
    for i in range(args.job_copies):
        tag = _tag(i)
        for p in sorted((ROOT / "samples").iterdir()):
            if p.suffix in (".txt", ".md", ".html"):
                data = p.read_bytes()
                try:
                    enc, text = "utf-8", data.decode("utf-8")
                except UnicodeDecodeError:  # the CP949 / EUC-KR samples stay in their encoding
                    enc, text = "cp949", data.decode("cp949")
                text = text.replace("다.", f"다({tag}).")
                (inbox / f"{i:03d}_{p.name}").write_bytes(text.encode(enc))
                articles += 1
    return inbox, tmp, articles


def worker_job(model: Path, sentences: list[str], args, backend: str) -> dict:
    """The whole brief job on a folder of articles: reading -> briefs written, time in the model apart."""
    from summarize import run
    from summarize.translate.loading import load_translator

    batch = args.gpu_batch if args.device == "cuda" else 64
    options = _options(model, backend, args, batch)
    inbox, tmp, articles = _job_folder(args)
    model_s = [0.0]
    units = [0]
    state = {}

    def factory(spec, opts):
        t0 = time.perf_counter()
        tr = load_translator(spec, opts)
        state["load_s"] = time.perf_counter() - t0
        real = tr.translate_batches

        def timed(batches):  # the time the job waits for each batch's English
            it = real(batches)
            while True:
                t = time.perf_counter()
                try:
                    out = next(it)
                except StopIteration:
                    return
                finally:
                    model_s[0] += time.perf_counter() - t
                units[0] += len(out)
                yield out

        tr.translate_batches = timed
        state["info"] = tr.info
        return tr

    times, overheads, in_model = [], [], []
    for r in range(args.repeats):
        out = tmp / f"out{r}"
        model_s[0] = 0.0
        units[0] = 0
        t0 = time.perf_counter()
        report = run(inbox, out, options, translator_factory=factory)
        total = time.perf_counter() - t0
        assert report.ok, report.to_dict()
        job = total - state["load_s"]
        times.append(job)
        in_model.append(model_s[0])
        overheads.append((job - model_s[0]) / model_s[0])
    shutil.rmtree(tmp, ignore_errors=True)
    return dict(articles=articles, units=units[0], times=times, model_s=in_model, overheads=overheads,
                load_s=state["load_s"],
                backend=state["info"].backend, compute_type=state["info"].compute_type)


class SimulatedDevice(Translator):
    """A translator that takes exactly len(texts) / rate seconds per batch and keeps every figure:
    the whole job against a device of known speed, to see whether the rest of the job keeps up."""

    max_input_tokens = 512

    def __init__(self, rate: float):
        from summarize.records import ModelInfo

        self.rate = rate
        self.info = ModelInfo(id="simulated", revision=None, settings={}, backend="simulated", compute_type=None)
        self.busy = 0.0
        self.cpu = 0.0
        self.units = 0

    def count_tokens(self, texts):
        return [len(t) // 2 + 1 for t in texts]

    def translate_batch(self, texts):
        from summarize.stages.figures import extract_figures

        t0, c0 = time.perf_counter(), time.thread_time()
        out = [" ".join(["English"] + [f.en for f in extract_figures(t)]) for t in texts]
        self.cpu += time.thread_time() - c0  # its own work, not the job's
        time.sleep(max(0.0, len(texts) / self.rate - (time.perf_counter() - t0)))  # the GIL is free meanwhile
        self.busy += time.perf_counter() - t0
        self.units += len(texts)
        return out


def worker_job_sim(args) -> dict:
    """The whole job with a simulated device at --sim-rate sentences/s: job rate / device rate."""
    from summarize import run

    batch = args.gpu_batch if args.device == "cuda" else 64
    options = _options(Path("simulated/device"), "auto", args, batch)
    inbox, tmp, articles = _job_folder(args)
    times, ratios, units, main_cpu = [], [], 0, []
    for r in range(args.repeats):
        sim = SimulatedDevice(args.sim_rate)

        def load(spec, opts, sim=sim):
            time.sleep(args.sim_load)  # as long as the real model takes to load: what it hides counts as hidden
            return sim

        t0, c0 = time.perf_counter(), _cpu_s()
        report = run(inbox, tmp / f"out{r}", options, translator_factory=load)
        times.append(time.perf_counter() - t0 - args.sim_load)
        assert report.ok, report.to_dict()
        units = sim.units
        ratios.append((sim.units / times[-1]) / args.sim_rate)
        # CPU of this (the model's) process for everything but the model: on a GPU it shares one GIL
        # with the thread that drives the device
        main_cpu.append((_cpu_s() - c0 - sim.cpu) / sim.units * 1e6)
        prepare_ms = statistics.median(e.timings["prepare_s"] for e in report.entries) * 1000
    shutil.rmtree(tmp, ignore_errors=True)
    return dict(articles=articles, units=units, times=times, sim_rate=args.sim_rate, vs_device=ratios,
                load_s=args.sim_load, main_cpu_us=main_cpu, prepare_ms=prepare_ms,
                workers=_workers_used(options, articles))


def worker_host(model: Path, sentences: list[str], args) -> dict:
    """The host's part of the project's transformers path (tokenizing, batching, padding, decoding): the
    model's forward replaced by ids of the forced output length, so that only the rest is timed."""
    import torch

    from summarize.translate.base import resolve_model
    from summarize.translate.batching import batch_limits, translate_texts
    from summarize.translate.loading import load_translator

    options = _options(model, "transformers", args, 1024)
    t0 = time.perf_counter()
    tr = load_translator(resolve_model(str(model)), options)
    load = time.perf_counter() - t0
    out = torch.randint(5, 1000, (1024, args.new_tokens + 1))

    def forward(texts):
        tr.encode(texts)  # the padded tensors, as for the model
        return out[:len(texts)]

    tr.generate_ids = forward
    limits = batch_limits(1024, 65536, "cuda")  # a GPU's batches: where the host's part matters
    times = _timed(lambda: translate_texts(tr, sentences, None, *limits), args.repeats)
    return dict(sentences=len(sentences), times=times, load_s=load, host_us=[t / len(sentences) * 1e6 for t in times])


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)  # all threads of this process, not the worker processes
    return r.ru_utime + r.ru_stime


def _workers_used(options, articles: int) -> int:
    from summarize.workers import default_processes

    return default_processes(options.workers, articles)


def worker_convert(model: Path, args) -> dict:
    """The one-off CTranslate2 conversion, in its own process, so that later runs measure a cached one."""
    from summarize.translate.base import resolve_model
    from summarize.translate.ct2 import convert, ct2_target, weight_type

    options = _options(model, "ct2", args, 64)
    t0 = time.perf_counter()
    convert(resolve_model(str(model)), options, quantization=weight_type(ct2_target(options)[1]))
    return dict(times=[time.perf_counter() - t0], load_s=0.0)


def worker(args) -> None:
    model = Path(args.model_dir)
    sentences = json.loads(Path(args.sentences_file).read_text(encoding="utf-8"))
    kind = args.worker
    if kind == "convert":
        out = worker_convert(model, args)
    elif kind == "naive":
        out = worker_naive(model, sentences, args)
    elif kind == "generate":
        out = worker_generate(model, sentences, args)
    elif kind.startswith("project-"):
        out = worker_project(model, sentences, args, kind.split("-", 1)[1])
    elif kind == "host":
        out = worker_host(model, sentences, args)
    elif kind == "job-sim":
        out = worker_job_sim(args)
    elif kind.startswith("job-"):
        out = worker_job(model, sentences, args, kind.split("-", 1)[1])
    else:
        raise SystemExit(f"unknown worker {kind}")
    out["peak_rss_mb"] = round(_rss_mb(), 1)
    print("RESULT " + json.dumps(out))


# --------------------------------------------------------------------------- orchestration


def run_worker(kind: str, model: Path, sentences_file: Path, args) -> dict | None:
    cmd = [sys.executable, __file__, "--worker", kind, "--model-dir", str(model), "--sentences-file",
           str(sentences_file), "--device", args.device, "--new-tokens", str(args.new_tokens),
           "--repeats", str(args.repeats), "--threads", str(args.threads), "--naive-sentences",
           str(args.naive_sentences), "--gpu-batch", str(args.gpu_batch), "--job-copies", str(args.job_copies),
           "--max-batch-tokens", str(args.max_batch_tokens), "--sim-rate", str(args.sim_rate or 0),
           "--sim-load", str(args.sim_load), "--workers", str(args.workers)]
    path = os.pathsep.join(x for x in (str(ROOT), os.environ.get("PYTHONPATH", "")) if x)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": path, "HF_HOME": str(model.parent / "hf")}
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    print(f"  {kind:<22} {time.perf_counter() - t0:6.1f} s", file=sys.stderr)
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    print(p.stderr[-3000:], file=sys.stderr)
    return {"error": (p.stderr.strip().splitlines() or ["no output"])[-1]}


def versions() -> dict:
    out = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()}
    try:
        import torch

        out["gpu"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except Exception:
        out["gpu"] = None
    for name in ("torch", "transformers", "ctranslate2", "summarize"):
        try:
            out[name] = __import__(name).__version__
        except Exception:
            out[name] = None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", nargs="+", default=["base", "big"], choices=list(ARCHS))
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--new-tokens", type=int, default=40, help="output tokens per sentence, forced (min = max)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="CPU threads; 0 is the project's default")
    ap.add_argument("--naive-sentences", type=int, default=8, help="sentences for the slow one-at-a-time baseline")
    ap.add_argument("--gpu-batch", type=int, default=1024)
    ap.add_argument("--max-batch-tokens", type=int, default=4096)
    ap.add_argument("--job-copies", type=int, default=4, help="copies of samples/ in the whole-job folder")
    ap.add_argument("--sentences-x", type=int, default=1, help="repeat the sample sentences (GPU: thousands)")
    ap.add_argument("--sim-rate", type=float, default=0,
                    help="job-sim: the simulated device's sentences/s (default: this run's generate on a GPU, "
                         "CTranslate2 on a CPU)")
    ap.add_argument("--sim-load", type=float, default=-1,
                    help="job-sim: seconds the simulated model takes to load (default: the project path's load)")
    ap.add_argument("--workers", type=int, default=-1,
                    help="job paths: worker processes (default: the project's, -1; 0 is a thread)")
    ap.add_argument("--paths", nargs="+", default=None, help="which measurements (default: all for the device)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", help=argparse.SUPPRESS)
    ap.add_argument("--sentences-file", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args)
    if args.threads == 0:
        from summarize.host import default_threads

        args.threads = default_threads()

    paths = args.paths or (["naive", "generate", "project-transformers", "project-ct2", "host", "job-auto", "job-sim"]
                           if args.device == "cpu" else
                           ["naive", "generate", "project-generate", "project-transformers", "host", "job-auto",
                            "job-sim"])
    work = Path(tempfile.mkdtemp(prefix="summarize-bench-"))
    base = sample_sentences()
    # copies made different (a marker in each), so that no path can translate a sentence once for all
    sentences = [s if i == 0 else f"{s} ({_tag(i)})" for i in range(args.sentences_x) for s in base]
    sentences_file = work / "sentences.json"
    sentences_file.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
    results = {"versions": versions(), "device": args.device, "threads": args.threads,
               "new_tokens": args.new_tokens, "repeats": args.repeats, "sentences": len(sentences),
               "naive_sentences": args.naive_sentences, "archs": {}}
    try:
        for arch in args.arch:
            print(f"{arch}: building a random model with the real architecture", file=sys.stderr)
            model = build_model(arch, work / arch / "model")
            rs = results["archs"][arch] = {}
            for k in ["convert"] + paths:
                if k == "job-sim":  # as fast as this architecture's reference path, unless told
                    ref = rs.get("generate" if args.device == "cuda" else "project-ct2") or {}
                    load = rs.get("project-transformers" if args.device == "cuda" else "project-ct2") or {}
                    sim = argparse.Namespace(**vars(args))
                    sim.sim_rate = args.sim_rate or round(_rate(ref) or 1000.0, 1)
                    sim.sim_load = args.sim_load if args.sim_load >= 0 else round(load.get("load_s", 0.0), 2)
                    rs[k] = run_worker(k, model, sentences_file, sim)
                    continue
                rs[k] = run_worker(k, model, sentences_file, args)
            shutil.rmtree(work / arch, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = f"{platform.node() or 'host'}-{args.device}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {out / name}")


def _rate(r: dict) -> float | None:
    if not r or "error" in r:
        return None
    n = r.get("sentences") or r.get("articles")
    return n / statistics.median(r["times"])


def report(results: dict) -> None:
    v = results["versions"]
    print(f"\nsummarize {v['summarize']} · torch {v['torch']} · transformers {v['transformers']} · "
          f"ctranslate2 {v['ctranslate2']} · {v.get('gpu') or results['device']} · {results['threads']} thread(s) · "
          f"{results['new_tokens']} output tokens per sentence · median of {results['repeats']}")
    head = f"{'arch':<5} {'path':<22} {'rate':>14} {'× naive':>8} {'load s':>7} {'peak RSS MB':>11}  notes"
    print(head)
    print("-" * len(head))
    for arch, rs in results["archs"].items():
        base = _rate(rs.get("naive"))
        conv = rs.get("convert") or {}
        for kind, r in rs.items():
            if kind == "convert":
                continue
            if r is None or "error" in r:
                print(f"{arch:<5} {kind:<22} {'failed':>14}  {(r or {}).get('error', '')[:60]}")
                continue
            rate = _rate(r)
            unit = "art/s" if kind.startswith("job") else "sent/s"
            ratio = f"{rate / base:.1f}×" if base and not kind.startswith("job") and kind != "host" else ""
            notes = []
            if r.get("backend"):
                notes.append(f"{r['backend']} {r.get('compute_type') or ''}".strip())
            if kind.endswith("ct2") and conv.get("times"):
                notes.append(f"converted once in {conv['times'][0]:.1f} s")
            if r.get("decoder"):
                notes.append(f"{r['decoder']} decoder")
            gen = _rate(rs.get("generate"))
            if kind.startswith("project-") and gen:
                notes.append(f"{rate / gen:.2f}× generate")
            if kind == "host":
                notes.append(f"the host's part of the transformers path: {statistics.median(r['host_us']):.1f} µs/sent")
            if kind == "job-sim":
                cpu = f"; main process {statistics.median(r['main_cpu_us']):.0f} µs CPU/sent" if r.get(
                    "main_cpu_us") else ""
                cpu += f"; prepare {r['prepare_ms']:.1f} ms/article" if r.get("prepare_ms") else ""
                notes.append(f"device simulated at {r['sim_rate']:.0f} sent/s: the job ran at "
                             f"{statistics.median(r['vs_device']):.2f}× its speed; "
                             f"{r['workers'] or 'a thread, no'} worker processes{cpu}")
            elif kind.startswith("job"):
                sent = r["units"] / statistics.median(r["times"])
                vs = f", {sent / gen:.2f}× generate" if gen else ""
                naive = f", {sent / base:.0f}× naive" if base else ""
                notes.append(f"{sent:.0f} sent/s{vs}{naive}; overhead {statistics.median(r['overheads']):.1%} of model time")
            print(f"{arch:<5} {kind:<22} {rate:>8.2f} {unit:<6}{ratio:>8} {r['load_s']:>7.1f} "
                  f"{r['peak_rss_mb']:>11.0f}  {', '.join(notes)}")


if __name__ == "__main__":
    main()
