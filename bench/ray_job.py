"""Benchmark: the whole brief job with the Ray executor on a two-node cluster on this machine, against the local
executor on the same cores.

    make bench-ray [BENCH_ARGS="--copies 40 --model base --repeats 2"]
    .ci/loopback python bench/ray_job.py ...        (what make bench-ray runs)

Inputs: --copies copies of samples/, each a different article (a marker in every sentence, as bench.py's job
paths make them). The model: `tiny` (tests/tiny_model.py, the smallest real model: where the executor's own
cost weighs most) or `base` (random weights with opus-mt-ko-en's architecture, as bench.py builds it), through
--backend (CTranslate2 int8 by default), greedy, a fixed number of new tokens per sentence, one thread.

Each repeat runs the local executor (the project's defaults on this machine: on 2 cores, the model's thread and
one thread preparing and writing) and then the Ray executor on a cluster of two nodes of one CPU each (one
translation actor with one thread; preparing and composing in tasks), each into a fresh output folder, and times
each from the call to its return (model loads included: one for the local run; two for the Ray run, the probe's
and the actor's). The cluster starts once, before the repeats (its start is reported apart); its workers run at
the local run's priority (RAY_worker_niceness=0: Ray's default, nice 15, loses to anything else on a shared
machine). The driver's CPU is this process's CPU time (all its threads, Ray's own included: Ray Data's executor
loop runs in it) over the Ray run, per article. Last, the driver's own work per brief (the cache, two atomic
writes, the state's commit) is replayed alone on this disk: the rate that one driver cannot exceed.

Ray starts here: run this inside a loopback-only network namespace (.ci/loopback); it refuses to start elsewhere.
Prints a table and writes bench/results/<machine>-ray-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
SAMPLES = ROOT / "samples"


def _loopback_only() -> None:
    names = sorted(name for _, name in socket.if_nameindex())
    if os.environ.get("RAY_NAMESPACE_ERROR") or names != ["lo"]:
        raise SystemExit(f"not inside a loopback-only network namespace (interfaces: {', '.join(names)}; "
                         f"{os.environ.get('RAY_NAMESPACE_ERROR', 'run it through .ci/loopback')}): Ray is not started")


def _inbox(tmp: Path, copies: int) -> tuple[Path, int]:
    from bench import _tag

    inbox = tmp / "in"
    inbox.mkdir()
    n = 0
    for i in range(copies):
        for p in sorted(SAMPLES.iterdir()):
            if p.suffix in (".txt", ".md", ".html"):
                data = p.read_bytes()
                try:
                    enc, text = "utf-8", data.decode("utf-8")
                except UnicodeDecodeError:  # the CP949 / EUC-KR samples stay in their encoding
                    enc, text = "cp949", data.decode("cp949")
                (inbox / f"{i:03d}_{p.name}").write_bytes(text.replace("다.", f"다({_tag(i)}).").encode(enc))
                n += 1
    return inbox, n


def _model(kind: str, folder: Path) -> Path:
    if kind == "tiny":
        from tiny_model import build_tiny_model

        return build_tiny_model(folder, [SAMPLES])
    from bench import build_model

    build_model(kind, folder)
    return folder


def _driver_floor(briefs: Path, tmp: Path) -> dict[str, float]:
    """What the driver does for each brief that comes back, replayed alone on this disk through the driver's own
    writer (summarize.cluster._Writer): the brief's JSON and Markdown written atomically (each fsynced, in the
    writer's threads), its English stored in the translation cache, its row in the state marked. Wall and CPU
    milliseconds per article: the rate that one driver cannot exceed."""
    from summarize import state
    from summarize.cluster import _Composed, _Writer
    from summarize.jobs import Job
    from summarize.records import ModelInfo
    from summarize.report import RunReport
    from summarize.run import _Books
    from summarize.translate.cache import TranslationCache

    out = tmp / "floor"
    state.open_out(out)
    books = _Books(RunReport("in", str(out), [], None, time.time()), state.Articles(state.connect(state.db_path(out))),
                   None)
    cache = TranslationCache(state.connect(state.db_path(out), threads=True))
    files = [f for f in sorted(briefs.glob("*.json")) if f.name not in ("run.json", "digest.json")]
    names = books.articles.names([f.stem for f in files])
    info = ModelInfo("bench", None, {})
    composed = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        english = {f"{f.stem} {k}": s for k, s in enumerate(text.split(".")[:9])}  # about 9 sentences an article
        composed.append(_Composed(Job(f, f.stem, "key", names[f.stem]), text,
                                  f.with_suffix(".md").read_text(encoding="utf-8"), 0, {"render_s": 0.0}, {}, english,
                                  info))
    writer = _Writer(out, books, cache)
    c0, t0 = time.process_time(), time.perf_counter()
    for b in composed:
        writer.write(b)
    writer.close()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert sum(e.status == "written" for e in books.report.entries) == len(files)
    cache.close()
    books.articles.db.close()
    return {"articles": len(files), "wall_ms_per_article": round(1000 * wall / len(files), 2),
            "cpu_ms_per_article": round(1000 * cpu / len(files), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=40, help="copies of samples/ (9 articles each)")
    ap.add_argument("--model", choices=["tiny", "base"], default="base")
    ap.add_argument("--backend", choices=["ct2", "transformers"], default="ct2")
    ap.add_argument("--new-tokens", type=int, default=40, help="new tokens per sentence, fixed")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--batch-articles", type=int, default=0, help="the Ray executor's [ray] batch_articles")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = ap.parse_args()
    _loopback_only()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ray-"))
    os.environ.setdefault("HF_HOME", str(tmp / "hf"))  # the CTranslate2 conversion is cached there, for all
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])  # for the workers
    # Ray runs its workers at nice 15 (the driver and Ray's own daemons first): on a machine shared with other work,
    # that alone would slow the Ray run against the local one, which runs at nice 0. The same priority for both.
    os.environ.setdefault("RAY_worker_niceness", "0")
    try:
        _run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(args: argparse.Namespace, tmp: Path) -> None:
    import ray
    from ray.cluster_utils import Cluster

    from summarize import BriefOptions, GenerationOptions, run
    from summarize.options import RayOptions

    load_before = os.getloadavg()[0]  # what else this machine was doing (it may be shared)
    t0 = time.perf_counter()
    model = _model(args.model, tmp / "model")
    build_s = time.perf_counter() - t0
    inbox, articles = _inbox(tmp, args.copies)
    gen = GenerationOptions(num_beams=1, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens)
    # max_unknown 1: the vocabulary check off (a random model's sentencepiece, trained on the samples alone, may
    # lack a few pieces of the check's own Korean text)
    local = BriefOptions(model=str(model), backend=args.backend, device="cpu", threads=1, generation=gen,
                         max_unknown=1.0)
    far = replace(local, executor="ray", ray=RayOptions(batch_articles=args.batch_articles))
    warm = tmp / "warm"  # the model converted for CTranslate2 once, and Kiwi loaded in this process
    warm.mkdir()
    shutil.copy(SAMPLES / "economy_bok_rate.txt", warm)
    run(warm, tmp / "warm-out", local)

    t0 = time.perf_counter()
    node = {"num_cpus": 1, "include_dashboard": False, "node_ip_address": "127.0.0.1",
            "object_store_memory": 400 * 2**20}
    cluster = Cluster(initialize_head=True, head_node_args=node)
    cluster.add_node(**node)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address)
    cluster_s = time.perf_counter() - t0
    rows = []
    try:
        for r in range(args.repeats):
            t0 = time.perf_counter()
            a = run(inbox, tmp / f"local{r}", local)
            local_s = time.perf_counter() - t0
            c0, t0 = time.process_time(), time.perf_counter()
            b = run(inbox, tmp / f"ray{r}", far)
            ray_s, driver_s = time.perf_counter() - t0, time.process_time() - c0
            assert a.ok and b.ok and a.counts() == b.counts(), (a.summary_line(), b.summary_line())
            rows.append({"local_s": round(local_s, 2), "ray_s": round(ray_s, 2), "ratio": round(ray_s / local_s, 3),
                         "driver_cpu_ms_per_article": round(1000 * driver_s / articles, 2),
                         "local_line": a.summary_line(), "ray_line": b.summary_line()})
            print(f"repeat {r + 1}: local {local_s:.1f} s, ray {ray_s:.1f} s ({ray_s / local_s:.2f}x), driver CPU "
                  f"{1000 * driver_s / articles:.1f} ms/article", file=sys.stderr)
    finally:
        ray.shutdown()
        cluster.shutdown()
    import ray as ray_module

    floor = _driver_floor(tmp / "ray0", tmp)
    print(f"the driver's writes alone: {floor['wall_ms_per_article']:.1f} ms/article wall, "
          f"{floor['cpu_ms_per_article']:.1f} ms CPU", file=sys.stderr)

    result = {
        "versions": {"python": platform.python_version(), "cpus": os.cpu_count(), "ray": ray_module.__version__},
        "worker_niceness": os.environ["RAY_worker_niceness"], "load_before": round(load_before, 2),
        "model": args.model, "backend": args.backend, "new_tokens": args.new_tokens, "articles": articles,
        "model_build_s": round(build_s, 1), "cluster_start_s": round(cluster_s, 1),
        "batch_articles": args.batch_articles, "repeats": rows, "driver_floor": floor,
        "median": {k: statistics.median(x[k] for x in rows) for k in ("local_s", "ray_s", "ratio",
                                                                      "driver_cpu_ms_per_article")},
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = f"{platform.node() or 'host'}-ray-{args.model}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    (out / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    m = result["median"]
    print(f"{articles} articles, {args.model} model ({args.backend}, {args.new_tokens} tokens a sentence), median of "
          f"{len(rows)}: local {m['local_s']:.1f} s, Ray on two nodes {m['ray_s']:.1f} s: {m['ratio']:.2f}x; "
          f"driver CPU {m['driver_cpu_ms_per_article']:.1f} ms/article; cluster start {cluster_s:.1f} s "
          f"(bench/results/{name})")


if __name__ == "__main__":
    main()
