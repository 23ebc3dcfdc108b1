"""The run on a Ray cluster (`--executor ray`, summarize.cluster), against a real Ray on this machine: a local one
(`ray.init`) and a two-node cluster (`ray.cluster_utils.Cluster`).

Ray reaches beyond loopback out of the box (the node's address, cloud metadata, usage reports), so the tests
that start it (marked `ray`) run only inside a network namespace where loopback is all there is, with usage
reports and metadata probes off: `.ci/loopback`, through which `make test` runs them. Anywhere else they skip,
saying why. The tests that need no Ray (options, listing object storage, Ray missing) run everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, FakeTranslator

from summarize import BriefOptions, GenerationOptions, run
from summarize.cli import Wiring, main
from summarize.errors import ConfigError
from summarize.jobs import Steps
from summarize.options import RayOptions, load_options
from summarize.translate.loading import load_translator

# What a Ray started by these tests must not do, whatever the shell says (.ci/loopback sets the same)
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_USAGE_STATS_REPORT_URL": "http://127.0.0.1:9/",
           "RAY_AUTH_MODE": "disabled", "AWS_EC2_METADATA_DISABLED": "true",
           # moto's S3 takes any credentials; the workers read the inputs with these
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
ARTICLES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))


# --------------------------------------------------------------------------- without Ray


# (config text, what the error says): the executor's keys are checked like every other
BAD_CONFIGS = [
    ("executor = 'dask'", "executor must be one of local, ray, not 'dask'"),
    ("[ray]\nactors = -1", "actors must be at least 0"),
    ("[ray]\nbatch_articles = 1.5", "'batch_articles' must be int, not float"),
    ("[ray]\nnodes = 3", "unknown key in"),
    ("ray_address = 6379", "'ray_address' must be str, not int"),
    ("ray_address = ''", "ray_address must not be empty"),
]


@pytest.mark.parametrize("text,message", BAD_CONFIGS)
def test_the_executor_s_settings_are_checked(tmp_path, text, message):
    p = tmp_path / "c.toml"
    p.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_options(p)


def test_the_executor_s_settings_load(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("executor = 'ray'\nray_address = 'auto'\n[ray]\nactors = 3\nbatch_articles = 64\n", encoding="utf-8")
    options = load_options(p)
    assert (options.executor, options.ray_address, options.ray) == ("ray", "auto", RayOptions(3, 64))


def test_without_ray_installed_the_run_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as where it is not installed
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(SAMPLES), "--out", str(out), "--executor", "ray"])
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == ["error: --executor ray needs Ray Data: pip install 'summarize[ray]' "
                                             "(ray[data] 2.60)"]
    assert not out.exists()  # nothing touched


def test_object_storage_takes_the_ray_executor(tmp_path):
    r = CliRunner().invoke(main, ["brief", "s3://bucket/news", "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and "object storage is read by --executor ray" in r.output
    with pytest.raises(ConfigError, match="object storage is read by --executor ray"):
        run("s3://bucket/news", tmp_path / "out", BriefOptions())


def test_a_folder_that_does_not_exist_is_still_a_usage_error(tmp_path):
    r = CliRunner().invoke(main, ["brief", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and "does not exist" in r.output


# (the cluster's resources, [ray] actors, batch_articles, threads, device) -> (actors, CPUs and GPUs each, articles a
# call): an actor per GPU where there are GPUs; else CPU actors in 3/4 of the CPUs, one CPU left for the other work
SIZINGS = [
    ({"CPU": 2.0}, 0, 0, 0, "auto", (1, 1, 0, 16)),
    ({"CPU": 16.0}, 0, 0, 0, "auto", (12, 1, 0, 16)),
    ({"CPU": 16.0}, 0, 0, 4, "auto", (3, 4, 0, 16)),
    ({"CPU": 16.0}, 20, 8, 0, "auto", (15, 1, 0, 8)),  # more than fit: capped
    ({"CPU": 64.0, "GPU": 8.0}, 0, 0, 0, "auto", (8, 1, 1, 256)),
    ({"CPU": 64.0, "GPU": 8.0}, 3, 512, 0, "auto", (3, 1, 1, 512)),
    ({"CPU": 64.0, "GPU": 8.0}, 12, 0, 0, "auto", (8, 1, 1, 256)),  # no more actors than GPUs
    ({"CPU": 64.0, "GPU": 8.0}, 0, 0, 0, "cpu", (48, 1, 0, 16)),  # --device cpu: the GPUs left alone
]


@pytest.mark.parametrize("resources,actors,batch,threads,device,sized", SIZINGS)
def test_the_actor_pool_is_sized_to_the_cluster(resources, actors, batch, threads, device, sized):
    from summarize.cluster import _Sizing

    options = BriefOptions(threads=threads, device=device, ray=RayOptions(actors, batch))
    s = _Sizing.of(resources, options)
    assert (s.actors, s.cpus, s.gpus, s.batch) == sized


def test_the_driver_records_a_brief_once_its_files_are_written(tmp_path):
    """The briefs that come back are written in threads, and recorded in the order they came, each once its files
    are in place; one that cannot be written fails alone, as a worker's failed write in a local run."""
    from summarize import state
    from summarize.cluster import _Composed, _Writer
    from summarize.jobs import Job
    from summarize.records import ModelInfo
    from summarize.report import RunReport
    from summarize.run import _Books
    from summarize.translate.cache import TranslationCache

    out = tmp_path / "out"
    state.open_out(out)
    books = _Books(RunReport("in", str(out), [], None, 0.0), state.Articles(state.connect(state.db_path(out))), None)
    cache = TranslationCache(state.connect(state.db_path(out), threads=True))
    rels = [f"{c}.txt" for c in "abcdefghijklmnopqrstuvwxyz"]  # more than the writer's queue holds
    names = books.articles.names(rels)
    (out / "b.md").mkdir()  # b's Markdown cannot be written: a folder is in its place
    info = ModelInfo("m", None, {})
    writer = _Writer(out, books, cache)
    for rel in rels:
        writer.write(_Composed(Job(Path(rel), rel, f"key {rel}", names[rel]), json.dumps({"rel": rel}), f"# {rel}\n", 0,
                               {"render_s": 0.0}, {"path": rel}, {f"{rel} 원문": f"{rel} English"}, info))
    writer.close()
    assert [(e.path, e.status) for e in books.report.entries] == [(r, "failed" if r == "b.txt" else "written")
                                                                  for r in rels]
    assert "IsADirectoryError" in books.report.entries[1].reason
    assert books.articles.key("a.txt") == ("key a.txt", "written") and books.articles.key("b.txt") == (None, "failed")
    assert json.loads((out / "z.json").read_text(encoding="utf-8")) == {"rel": "z.txt"}
    assert (out / "z.md").read_text(encoding="utf-8") == "# z.txt\n"
    assert set(books.digest_items) == set(rels) - {"b.txt"}
    assert cache.get_many(info, ["a.txt 원문", "b.txt 원문"]) == {"a.txt 원문": "a.txt English"}


def make_tree(root: Path) -> None:
    for rel in ("b.txt", "a.md", "sub/c.html", "sub/.hidden.txt", ".git/d.txt", "e.pdf", "sub/f.HTM"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"{rel} 기사", encoding="utf-8")


def test_a_folder_in_object_storage_is_listed_as_a_local_one(tmp_path):
    from summarize.article import find_inputs
    from summarize.cluster import find_objects

    make_tree(tmp_path)
    fs, found = find_objects(tmp_path.as_uri())  # file://, through pyarrow's filesystems as s3:// and gs://
    assert [o.rel for o in found] == [p.relative_to(tmp_path).as_posix() for p in find_inputs(tmp_path)]
    assert [o.rel for o in found] == ["a.md", "b.txt", "sub/c.html", "sub/f.HTM"]
    assert all(o.size == (tmp_path / o.rel).stat().st_size for o in found)
    assert fs.open_input_stream(found[1].path).read() == (tmp_path / "b.txt").read_bytes()
    before = {o.rel: o.stamp for o in found}
    (tmp_path / "b.txt").write_text("바뀐 기사, 더 길게", encoding="utf-8")
    after = {o.rel: o.stamp for o in find_objects(tmp_path.as_uri())[1]}
    assert [rel for rel in before if before[rel] != after[rel]] == ["b.txt"]  # a changed object is known unread


def test_a_folder_that_cannot_be_listed_says_so_without_its_credentials(tmp_path):
    from summarize.cluster import _shown, find_objects
    from summarize.errors import ClusterError

    assert _shown("s3://KEY:SECRET@bucket/news?region=x") == "s3://bucket/news?region=x"
    with pytest.raises(ClusterError, match="cannot list file://"):
        find_objects((tmp_path / "nowhere").as_uri())


# --------------------------------------------------------------------------- Ray on this machine


def why_ray_cannot_start_here() -> str | None:
    """Why Ray must not start in this process, or None: only inside a loopback-only network namespace."""
    if os.environ.get("RAY_NAMESPACE_ERROR"):
        return os.environ["RAY_NAMESPACE_ERROR"]
    names = sorted(name for _, name in socket.if_nameindex())
    if names != ["lo"]:
        return (f"not inside a loopback-only network namespace (interfaces: {', '.join(names)}): the Ray tests run "
                "through .ci/loopback, as `make test` runs them")
    try:
        import ray  # noqa: F401
    except ImportError:
        return "Ray is not installed (pip install 'summarize[ray]')"
    return None


class Rays:
    """The Ray of this session's tests, one at a time: a local one, or a two-node cluster on this machine."""

    def __init__(self, home: Path):
        self.home = home  # Ray's processes see a HOME that says the cluster is a local one: no cloud probes
        (home / "ray_bootstrap_config.yaml").write_text("provider: {type: local}\n", encoding="utf-8")
        self.cluster = None

    def _env(self) -> dict[str, str]:
        path = os.pathsep.join([str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
        return {**RAY_ENV, "HOME": str(self.home), "PYTHONPATH": path}  # the workers import this checkout

    def local(self) -> None:
        import ray

        if self.cluster is None and ray.is_initialized():
            return
        self.stop()
        os.environ.update(self._env())
        ray.init(num_cpus=2, include_dashboard=False, object_store_memory=300 * 2**20, _node_ip_address="127.0.0.1")

    def two_nodes(self, connect: bool = True) -> str:
        import ray
        from ray.cluster_utils import Cluster

        if self.cluster is None:
            self.stop()
            os.environ.update(self._env())
            args = {"num_cpus": 1, "object_store_memory": 200 * 2**20, "include_dashboard": False,
                    "node_ip_address": "127.0.0.1"}
            self.cluster = Cluster(initialize_head=True, head_node_args=args)
            self.cluster.add_node(**args)
            self.cluster.wait_for_nodes()
        if connect and not ray.is_initialized():
            ray.init(address=self.cluster.address)
        elif not connect and ray.is_initialized():
            ray.shutdown()
        return self.cluster.address

    def stop(self) -> None:
        import ray

        if ray.is_initialized():
            ray.shutdown()
        if self.cluster is not None:
            self.cluster.shutdown()
            self.cluster = None


@pytest.fixture(scope="session")
def rays(tmp_path_factory):
    why = why_ray_cannot_start_here()
    if why:
        pytest.skip(why)
    saved = dict(os.environ)
    r = Rays(tmp_path_factory.mktemp("ray-home"))
    yield r
    r.stop()
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def ray_local(rays):
    rays.local()
    return rays


def note(log: Path, line: str) -> None:
    with open(log, "a", encoding="utf-8") as fh:  # one write per line: processes append without mixing
        fh.write(line + "\n")


def notes(log: Path, what: str) -> list[str]:
    return [line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith(what)] \
        if log.exists() else []


class NotingPrepare:
    """article.prepare, noting each article it prepares in `log` (in whatever process runs it); an input whose
    name holds "boom" raises, one whose name holds "crash" kills its process."""

    def __init__(self, log: Path):
        self.log = log

    def __call__(self, path: Path, root: Path, options: BriefOptions):
        from summarize.article import prepare

        note(self.log, f"prepare {path.name}")
        if "boom" in path.name:
            raise ValueError("a bug in the stages")
        if "crash" in path.name:
            os.kill(os.getpid(), signal.SIGKILL)
        return prepare(path, root, options)


class NotingModel:
    """load_translator, noting each load and each batch the model translates in `log`."""

    def __init__(self, log: Path):
        self.log = log

    def __call__(self, spec, options):
        tr = load_translator(spec, options)
        note(self.log, f"load {os.getpid()}")
        real, log = tr.translate_batches, self.log

        def noted(batches):
            for out in real(batches):
                note(log, f"batch {len(out)}")
                yield out

        tr.translate_batches = noted
        return tr


def masked_outputs(out: Path) -> dict[str, str]:
    """Every brief and the digest, as text; the digest's date and start time masked (run.json apart)."""
    files = {}
    for p in sorted(out.iterdir()):
        if p.is_file() and p.name != "run.json":
            files[p.name] = p.read_text(encoding="utf-8")
    digest = json.loads(files["digest.json"])
    files["digest.json"] = json.dumps({**digest, "date": "-", "started": "-"}, ensure_ascii=False, sort_keys=True)
    files["digest.md"] = files["digest.md"].replace(digest["date"], "-")
    return files


def entries(out: Path) -> list[dict]:
    """run.json's articles without their timings, by path."""
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return sorted(({**a, "timings": sorted(a["timings"])} for a in data["articles"]), key=lambda a: a["path"])


ADDRESS = "https://news.example.org/bok/1"


def samples_with_extras(tmp_path: Path) -> tuple[Path, Path]:
    """samples/ with a sidecar that gives one article its address, and a glossary file beside it (neither of which
    a worker on another machine could read where the driver left them: they travel with the work)."""
    inbox = tmp_path / "in"
    shutil.copytree(SAMPLES, inbox)
    (inbox / "economy_bok_rate.url").write_text(f"[InternetShortcut]\r\nURL={ADDRESS}\r\n", encoding="utf-8")
    names = tmp_path / "names.tsv"
    names.write_text("한국은행\tBank of Korea\n이창용\tRhee Chang-yong\n", encoding="utf-8")
    return inbox, names


@pytest.mark.ray
@pytest.mark.slow
def test_the_samples_through_ray_are_the_local_run_s_and_a_rerun_sends_nothing(ray_local, tiny_model_dir, tmp_path):
    inbox, names = samples_with_extras(tmp_path)
    options = BriefOptions(model=str(tiny_model_dir), backend="transformers", device="cpu", threads=1, batch_size=1,
                           workers=0, generation=GenerationOptions(num_beams=1, max_new_tokens=16),
                           glossary_file=str(names))
    local = run(inbox, tmp_path / "local", options)
    log = tmp_path / "log"
    far = replace(options, executor="ray")
    steps = Steps(prepare=NotingPrepare(log))
    report = run(inbox, tmp_path / "ray", far, translator_factory=NotingModel(log), steps=steps)
    assert report.ok and report.counts() == local.counts()
    assert masked_outputs(tmp_path / "ray") == masked_outputs(tmp_path / "local")  # byte for byte
    bok = (tmp_path / "ray" / "economy_bok_rate.json").read_text(encoding="utf-8")
    assert ADDRESS in bok and "Rhee Chang-yong" in bok  # the sidecar's address, the glossary file's name
    assert entries(tmp_path / "ray") == entries(tmp_path / "local")
    model = json.loads((tmp_path / "ray" / "run.json").read_text(encoding="utf-8"))["model"]
    assert {**model, "load_s": 0} == {**json.loads((tmp_path / "local" / "run.json").read_text())["model"], "load_s": 0}
    assert len(notes(log, "prepare")) == len(ARTICLES) and notes(log, "batch")
    # once in the probe that checks the model, once in the one actor that translates
    assert len(notes(log, "load")) == 2

    before = log.read_text(encoding="utf-8")
    again = run(inbox, tmp_path / "ray", far, translator_factory=NotingModel(log), steps=steps)
    assert again.counts()["unchanged"] == len(ARTICLES)
    assert log.read_text(encoding="utf-8") == before  # nothing prepared, no model loaded, nothing translated

    forced = run(inbox, tmp_path / "ray", far, force=True, translator_factory=NotingModel(log), steps=steps)
    assert forced.counts()["written"] == local.counts()["written"]
    new = log.read_text(encoding="utf-8")[len(before):].splitlines()
    assert [x for x in new if x.startswith("batch")] == []  # every English from the driver's cache
    assert masked_outputs(tmp_path / "ray") == masked_outputs(tmp_path / "local")


class FailsOnMarker(FakeTranslator):
    """The fake model, which fails any batch that holds the marker word."""

    def translate_batch(self, texts):
        if any("실패표지" in t for t in texts):
            raise RuntimeError("the model choked")
        return super().translate_batch(texts)


def fails_on_marker(spec, options):
    return FailsOnMarker()


@pytest.mark.ray
@pytest.mark.slow
def test_rejects_and_failures_come_back_with_their_reasons(ray_local, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ARTICLES[:3]:
        shutil.copy(SAMPLES / name, inbox / name)
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inbox / "english.txt").write_text("Only English here. Nothing Korean at all.\n" * 5, encoding="utf-8")
    (inbox / "boom.txt").write_bytes((SAMPLES / ARTICLES[0]).read_bytes())
    text = (SAMPLES / "economy_bok_rate.txt").read_text(encoding="utf-8")
    (inbox / "marked.txt").write_text(text.replace("한은, 기준금리", "실패표지 한은, 기준금리", 1),  # its headline
                                      encoding="utf-8")
    log = tmp_path / "log"
    local = run(inbox, tmp_path / "local", BriefOptions(workers=0), translator_factory=fails_on_marker,
                steps=Steps(prepare=NotingPrepare(log)))
    statuses = {e["path"]: e["status"] for e in entries(tmp_path / "local")}
    assert statuses["binary.txt"] == statuses["english.txt"] == "rejected"
    assert statuses["boom.txt"] == statuses["marked.txt"] == "failed"
    assert local.counts()["written"] == 3

    (inbox / "crash.txt").write_bytes((SAMPLES / ARTICLES[1]).read_bytes())  # kills its process, each time
    report = run(inbox, tmp_path / "ray", BriefOptions(executor="ray", ray=RayOptions(batch_articles=4)),
                 translator_factory=fails_on_marker, steps=Steps(prepare=NotingPrepare(log)))
    got = {e["path"]: e for e in entries(tmp_path / "ray")}
    from summarize.cluster import LOST

    assert got.pop("crash.txt")["reason"] == LOST  # it alone
    assert list(got.values()) == entries(tmp_path / "local")  # the same statuses and reasons
    assert "translation failed: RuntimeError: the model choked" in got["marked.txt"]["reason"]
    assert got["boom.txt"]["reason"] == "ValueError: a bug in the stages"
    assert report.counts() == {**local.counts(), "failed": local.counts()["failed"] + 1}
    digest = json.loads((tmp_path / "ray" / "digest.json").read_text(encoding="utf-8"))
    assert {p["path"] for p in digest["problems"]} == {"binary.txt", "english.txt", "boom.txt", "marked.txt",
                                                       "crash.txt"}


RAIN_SIDECAR, RAIN_ADDRESS = "society_heavy_rain_cp949.txt.url", "https://news.example.org/rain/7\n"


@pytest.fixture
def s3_inbox(tmp_path):
    """The samples in a bucket of moto's S3 on 127.0.0.1, as a URL; where moto cannot run, a file:// URL of a
    folder, read through the same code. Yields (url, put) where put(rel, data) replaces an object."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
    except Exception as e:  # noqa: BLE001 - any reason at all: the file:// route covers the same code
        print(f"no S3 server here ({type(e).__name__}: {e}): a file:// URL instead", file=sys.stderr)
        folder = tmp_path / "bucket"
        shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.json"))
        (folder / RAIN_SIDECAR).write_text(RAIN_ADDRESS, encoding="utf-8")
        yield folder.as_uri(), lambda rel, data: (folder / rel).write_bytes(data)
        return
    host, port = server.get_host_and_port()
    s3 = boto3.client("s3", endpoint_url=f"http://{host}:{port}", region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    s3.create_bucket(Bucket="news")
    for name in ARTICLES:
        s3.put_object(Bucket="news", Key=f"desk/{name}", Body=(SAMPLES / name).read_bytes())
    s3.put_object(Bucket="news", Key=f"desk/{RAIN_SIDECAR}", Body=RAIN_ADDRESS.encode())
    try:
        yield (f"s3://news/desk?endpoint_override={host}:{port}&scheme=http&region=us-east-1",
               lambda rel, data: s3.put_object(Bucket="news", Key=f"desk/{rel}", Body=data))
    finally:
        server.stop()


@pytest.mark.ray
@pytest.mark.slow
def test_inputs_in_object_storage_are_read_by_the_workers(ray_local, s3_inbox, tmp_path, monkeypatch):
    for k, v in RAY_ENV.items():
        monkeypatch.setenv(k, v)
    url, put = s3_inbox
    model = lambda spec, options: FakeTranslator()  # noqa: E731
    inbox = tmp_path / "in"
    shutil.copytree(SAMPLES, inbox)
    (inbox / RAIN_SIDECAR).write_text(RAIN_ADDRESS, encoding="utf-8")
    local = run(inbox, tmp_path / "local", BriefOptions(workers=0), translator_factory=model)
    log = tmp_path / "log"
    report = run(url, tmp_path / "ray", BriefOptions(executor="ray"), translator_factory=model,
                 steps=Steps(prepare=NotingPrepare(log)))
    assert report.ok and report.counts() == local.counts()
    assert masked_outputs(tmp_path / "ray") == masked_outputs(tmp_path / "local")
    assert json.loads((tmp_path / "ray" / "run.json").read_text(encoding="utf-8"))["input"] == url
    assert RAIN_ADDRESS.strip() in (tmp_path / "ray" / "society_heavy_rain_cp949.md").read_text(encoding="utf-8")
    assert len(notes(log, "prepare")) == len(ARTICLES)

    again = run(url, tmp_path / "ray", BriefOptions(executor="ray"), translator_factory=model,
                steps=Steps(prepare=NotingPrepare(log)))
    assert again.counts()["unchanged"] == len(ARTICLES) and len(notes(log, "prepare")) == len(ARTICLES)

    name = "economy_bok_rate.txt"
    put(name, (SAMPLES / name).read_bytes() + "\n추가된 문단이다.\n".encode())  # another size: a changed object
    put(RAIN_SIDECAR, b"https://news.example.org/rain/moved/7\n")  # a new address redoes its article
    third = run(url, tmp_path / "ray", BriefOptions(executor="ray"), translator_factory=model,
                steps=Steps(prepare=NotingPrepare(log)))
    redone = ["economy_bok_rate.txt", "society_heavy_rain_cp949.txt"]
    assert [e.path for e in third.entries if e.status == "written"] == redone
    assert notes(log, "prepare")[len(ARTICLES):] == [f"prepare {n}" for n in redone]
    assert "rain/moved/7" in (tmp_path / "ray" / "society_heavy_rain_cp949.md").read_text(encoding="utf-8")


class DiesOnce(FakeTranslator):
    """The fake model, in an actor: killed (SIGKILL) at its second batch of articles, once in the whole run."""

    def __init__(self, marker: Path):
        super().__init__()
        self.marker, self.batches = marker, 0

    def translate_batch(self, texts):
        import ray

        if ray.get_runtime_context().get_actor_id() is not None and texts and texts[0] != self._last:
            self.batches += 1
        self._last = texts[0] if texts else None
        if self.batches == 2:
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                pass
            else:
                os.kill(os.getpid(), signal.SIGKILL)
        return super().translate_batch(texts)

    _last: str | None = None


class DyingModel:
    def __init__(self, marker: Path):
        self.marker = marker

    def __call__(self, spec, options):
        return DiesOnce(self.marker)


@pytest.mark.ray
@pytest.mark.slow
def test_an_actor_killed_mid_run_on_two_nodes_loses_and_doubles_nothing(rays, tmp_path):
    address = rays.two_nodes(connect=False)  # the CLI connects, and disconnects after
    out, marker = tmp_path / "out", tmp_path / "killed"
    cfg = tmp_path / "ray.toml"
    cfg.write_text("[ray]\nactors = 1\nbatch_articles = 2\n", encoding="utf-8")
    args = ["brief", str(SAMPLES), "--out", str(out), "--executor", "ray", "--ray-address", address, "-c", str(cfg)]
    r = CliRunner().invoke(main, args, obj=Wiring(translator_factory=DyingModel(marker)), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert marker.exists()  # the actor was killed mid-run
    assert "on the cluster: 1 actor) loaded and checked in" in r.output  # the steps, as a local run tells them
    assert f"{len(ARTICLES)} briefed, 0 unchanged, 0 rejected, 0 failed in" in r.output.splitlines()[-1]
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert sorted(a["path"] for a in data["articles"]) == ARTICLES  # each once
    assert {a["status"] for a in data["articles"]} == {"written"}
    digest = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert sorted(b["path"] for b in digest["briefs"]) == ARTICLES
    for a in data["articles"]:  # each brief whole
        assert (out / a["outputs"]["md"]).read_text(encoding="utf-8").rstrip().endswith("</sub>")
        json.loads((out / a["outputs"]["json"]).read_text(encoding="utf-8"))

    # nothing to do sends nothing to the cluster: not even a connection (nothing listens at this address)
    again = CliRunner().invoke(main, [*args[:6], "--ray-address", "127.0.0.1:9", "-c", str(cfg)])
    assert again.exit_code == 0 and f"0 briefed, {len(ARTICLES)} unchanged" in again.output
