"""The package's layout: which room may import which (read from each module's syntax tree, every import
counted, those inside functions too), where the heavy libraries may be imported, and that `import summarize`
stays light. docs/architecture.md draws the same arrows."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "summarize"
LEAVES = {"summarize.version", "summarize.errors", "summarize.records", "summarize.host"}
BASICS = LEAVES | {"summarize.options"}  # what any room may use

# The model layer, in the order of what it may import: each module only those before it (and BASICS)
TRANSLATE = ["base", "cache", "hub", "tokenizers", "marian_spm", "static_greedy", "batching", "checks", "hf", "ct2",
             "loading"]
# Delivery, likewise
DELIVER = ["retry", "once", "mail", "slack"]

# importer (a pattern) -> what it may import (patterns); the first pattern that matches a module decides
RULES: list[tuple[str, set[str]]] = [
    ("summarize.version", set()),
    ("summarize.errors", set()),
    ("summarize.records", set()),
    ("summarize.host", set()),
    ("summarize.progress", set()),
    ("summarize.options", {"summarize.errors"}),
    # a stage: records and errors, and the stages' private helpers; never another stage
    ("summarize.stages._*", {"summarize.records", "summarize.errors"}),
    ("summarize.stages", set()),
    ("summarize.stages.*", {"summarize.records", "summarize.errors", "summarize.stages._*"}),
    *[(f"summarize.translate.{m}", BASICS | {f"summarize.translate.{x}" for x in TRANSLATE[:i]})
      for i, m in enumerate(TRANSLATE)],
    ("summarize.translate", set()),
    ("summarize.article", BASICS | {"summarize.stages", "summarize.stages.*", "summarize.version"}),
    ("summarize.report", BASICS),
    ("summarize.state", BASICS),
    ("summarize.workers", BASICS),
    ("summarize.jobs", BASICS | {"summarize.article", "summarize.report", "summarize.state", "summarize.workers",
                                 "summarize.translate.*"}),
    ("summarize.run", BASICS | {"summarize.article", "summarize.jobs", "summarize.state", "summarize.report",
                                "summarize.workers", "summarize.translate.*", "summarize.cluster"}),
    # the run on a Ray cluster: run's own rooms, and run's bookkeeping (run hands a Ray run to it, lazily)
    ("summarize.cluster", BASICS | {"summarize.article", "summarize.jobs", "summarize.state", "summarize.report",
                                    "summarize.run", "summarize.translate.*"}),
    *[(f"summarize.deliver.{m}", BASICS | {"summarize.state"} | {f"summarize.deliver.{x}" for x in DELIVER[:i]})
      for i, m in enumerate(DELIVER)],
    ("summarize.deliver", set()),
    ("summarize._warm", {"summarize.jobs", "summarize.stages._kiwi"}),
    ("summarize.cli", {"summarize.*"}),
    ("summarize.__main__", {"summarize.cli"}),
    ("summarize", {"summarize.*"}),
]
HEAVY = {"torch": "summarize.translate.{hf,static_greedy}", "transformers": "summarize.translate.{hf,ct2}",
         "ctranslate2": "summarize.translate.ct2", "kiwipiepy": "summarize.stages._kiwi", "ray": "summarize.cluster",
         "pyarrow": "summarize.cluster"}
HEAVY_HOMES = {"torch": {"summarize.translate.hf", "summarize.translate.static_greedy"},
               "transformers": {"summarize.translate.hf", "summarize.translate.ct2"},
               "ctranslate2": {"summarize.translate.ct2"}, "kiwipiepy": {"summarize.stages._kiwi"},
               "ray": {"summarize.cluster"}, "pyarrow": {"summarize.cluster"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, source: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import in `source`, relative ones resolved; a name
    imported from a package counts as its submodule where there is one."""
    tree = ast.parse(source)
    package = name if MODULES.get(name, Path()).name == "__init__.py" else name.rpartition(".")[0]
    lazy = {id(x) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            for x in ast.walk(f)}  # imported when the function runs
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, id(node) not in lazy) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.append((sub if sub in MODULES else target, node.lineno, id(node) not in lazy))
    return out


def violations(name: str, source: str) -> list[str]:
    """What `source`, as module `name`, imports against the rules."""
    allowed = next((targets for pattern, targets in RULES if fnmatch(name, pattern)), None)
    if allowed is None:
        return [f"{name} belongs to no room: add it to RULES (and docs/architecture.md)"]
    out = []
    for target, line, at_top in imports(name, source):
        root = target.split(".")[0]
        if root in HEAVY_HOMES:
            if name not in HEAVY_HOMES[root]:
                out.append(f"{name}:{line} imports {root}, which belongs in {HEAVY[root]} only")
            elif at_top:
                out.append(f"{name}:{line} imports {root} when it is imported, not when a model is loaded")
        if root != "summarize" or target == name:
            continue
        if target == "summarize.cli" and name != "summarize.__main__":
            out.append(f"{name}:{line} imports summarize.cli: nothing imports the CLI")
        elif not any(fnmatch(target, p) for p in allowed):
            out.append(f"{name}:{line} imports {target}")
    return out


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_one_way(name):
    assert violations(name, MODULES[name].read_text(encoding="utf-8")) == []


# (module, source, what the rules must say of it): the checker itself catches what it is there to catch
BREACHES = [
    ("summarize.stages.quotes", "from .figures import extract_figures\n", "imports summarize.stages.figures"),
    ("summarize.stages.guard", "from ..translate.base import Translator\n", "imports summarize.translate.base"),
    ("summarize.translate.base", "def f():\n    from .hf import HFTranslator\n", "imports summarize.translate.hf"),
    ("summarize.translate.hub", "from .ct2 import convert\n", "imports summarize.translate.ct2"),
    ("summarize.run", "from .cli import main\n", "nothing imports the CLI"),
    ("summarize.run", "from .deliver.mail import send_email\n", "imports summarize.deliver.mail"),
    ("summarize.deliver.once", "from ..run import run\n", "imports summarize.run"),
    ("summarize.records", "from . import options\n", "imports summarize.options"),
    ("summarize.translate.hf", "import torch\n", "not when a model is loaded"),
    ("summarize.article", "def f():\n    import torch\n", "belongs in"),
    ("summarize.run", "def f():\n    import ray\n", "belongs in summarize.cluster"),
    ("summarize.cluster", "import ray\n", "not when a model is loaded"),
    ("summarize.newroom", "", "belongs to no room"),
]


@pytest.mark.parametrize("name,source,message", BREACHES)
def test_the_rules_catch_a_breach(name, source, message):
    found = violations(name, source)
    assert found and message in found[0], found


def test_every_room_of_the_sketch_exists():
    for name in ("summarize.records", "summarize.options", "summarize.article", "summarize.run", "summarize.jobs",
                 "summarize.workers", "summarize.state", "summarize.report", "summarize.cli", "summarize.version",
                 "summarize.cluster",
                 *(f"summarize.translate.{m}" for m in TRANSLATE), *(f"summarize.deliver.{m}" for m in DELIVER),
                 *(f"summarize.stages.{m}" for m in ("reading", "cleaning", "segmenting", "figures", "quotes",
                                                      "selecting", "guard", "rendering"))):
        assert name in MODULES, name


@pytest.mark.parametrize("module", ["summarize", "summarize.cli", "summarize.run", "summarize.cluster"])
def test_importing_the_package_loads_no_model_library(module):
    code = (f"import json, sys\nimport {module}\n"
            "print(json.dumps(sorted(m for m in ('torch', 'transformers', 'ctranslate2', 'kiwipiepy', "
            "'huggingface_hub', 'trafilatura', 'ray', 'pyarrow') if m in sys.modules)))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []


def test_the_package_exports_its_api_and_nothing_else():
    import summarize

    assert sorted(summarize.__all__) == sorted(set(summarize.__all__))
    for name in summarize.__all__:
        assert getattr(summarize, name) is not None
    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert all(isinstance(n, (ast.ImportFrom, ast.Assign, ast.Expr)) for n in tree.body)  # re-exports only
    assert "noqa" not in source
