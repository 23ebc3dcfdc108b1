"""Where a batch's time goes on a GPU: host (tokenizing, decoding) against device, and the top kernels
of the static decoder and of `generate`. Run by bench/gpu.sh after the benchmark; prints a report
and writes it to --out.

    python bench/profile_gpu.py --out DIR [--arch base] [--batch 1024] [--new-tokens 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="base", choices=list(bench.ARCHS))
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--new-tokens", type=int, default=40)
    ap.add_argument("--out", default=".")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"], help="cpu: a smoke test of this script")
    args = ap.parse_args()

    import torch
    from torch.profiler import ProfilerActivity, profile

    from summarize import BriefOptions, GenerationOptions
    from summarize.translate.base import resolve_model
    from summarize.translate.loading import load_translator

    model = bench.build_model(args.arch, Path(tempfile.mkdtemp(prefix="profile-")) / "model")
    base = bench.sample_sentences()
    texts = [f"{s} ({bench._tag(i)})" for i in range(args.batch // len(base) + 1) for s in base][: args.batch]
    texts.sort(key=len)
    gen = GenerationOptions(num_beams=1, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens)
    cuda = args.device == "cuda"
    lines = [f"{torch.cuda.get_device_name(0) if cuda else 'CPU'} · torch {torch.__version__} · {args.arch} · batch {len(texts)} · "
             f"{args.new_tokens} tokens"]

    def sync():
        if cuda:
            torch.cuda.synchronize()

    for decoder in ("static", "generate"):
        opts = BriefOptions(model=str(model), backend="transformers", device=args.device, decoder=decoder,
                            generation=gen)
        tr = load_translator(resolve_model(str(model)), opts)
        for _ in range(2):  # warm-up: kernels chosen, the graph captured
            tr.count_tokens(texts)
            tr.translate_batch(texts)
        sync()
        phases = {}
        t0 = time.perf_counter()
        tr.count_tokens(texts)
        enc = tr.encode(texts)
        sync()
        phases["host: tokenize + pad + copy"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with torch.inference_mode():
            ids = (tr.static.generate(enc["input_ids"], enc["attention_mask"]) if tr.static is not None else
                   tr.model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=args.new_tokens,
                                     min_new_tokens=args.new_tokens))
        sync()
        phases["device: encoder + decoding"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = ids.tolist()
        if tr.spm is not None:
            tr.spm.texts_of_ids(rows)
        else:
            tr.tokenizer.batch_decode(rows, skip_special_tokens=True)
        phases["host: decode"] = time.perf_counter() - t0
        total = sum(phases.values())
        lines.append(f"\n== {decoder}: {len(texts) / total:.0f} sentences/s, "
                     f"{phases['device: encoder + decoding'] / args.new_tokens * 1000:.2f} ms per step on the device")
        lines += [f"  {k:<30} {v * 1000:8.1f} ms  {v / total:6.1%}" for k, v in phases.items()]
        tr.count_tokens(texts)
        with profile(activities=[ProfilerActivity.CPU] + [ProfilerActivity.CUDA] * cuda) as prof:
            tr.translate_batch(texts)
            sync()
        lines.append(prof.key_averages().table(sort_by="cuda_time_total" if cuda else "cpu_time_total", row_limit=25))
        del tr
        if cuda:
            torch.cuda.empty_cache()
    report = "\n".join(lines)
    print(report)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"profile-{args.arch}-{time.strftime('%Y%m%d-%H%M%S')}.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
