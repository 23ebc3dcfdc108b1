# summarize: the two commands of the README, and their helpers.
#   make brief   [MODEL=alias|hub-id|folder] [CONFIG=file] [OUT=folder]
#   make test        the linter, the type checker and every test; make test-fast: without the slow ones
#                    (the tests that start Ray run in a loopback-only network namespace: .ci/loopback)
#   make eval    the summary against human extractive summaries (../shared/summaries/, tests/pages/)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TESTS  := $(VENV)/.installed-test
CONFIG ?= configs/default.toml
OUT    ?= briefs
MODEL  ?=

.PHONY: install install-test brief test test-fast lint browser bench bench-ray eval tiny-model clean

install: $(STAMP)
install-test: $(TESTS)

# What a run needs, and nothing else (no test tools). torch is pinned here: this version's CPU wheel is what
# an unpinned install would otherwise replace with a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# The test tools on top (pytest, ruff, mypy, the SMTP server, hypothesis, the deploy files' linters)
$(TESTS): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TESTS)

brief: install
	$(VENV)/bin/summarize brief samples --out $(OUT) --config $(CONFIG) $(if $(MODEL),--model $(MODEL))

# ruff, and mypy (its settings, strict on the modules that wire the package, are in pyproject.toml)
lint: install-test
	$(VENV)/bin/ruff check summarize tests bench
	$(VENV)/bin/mypy

# Headless Chromium and Korean fonts for the test that looks at the HTML email (Debian packages, as root;
# without their Recommends, which a headless browser does not need: no desktop, printing or mDNS helpers)
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; } || \
	  echo "note: chromium could not be installed; the email screenshot test will be skipped"

# The tests marked `ray` start Ray, which reaches beyond this machine unless kept in: they run apart, in a
# network namespace with loopback alone and Ray's usage reports off (.ci/loopback; they skip, saying why, where
# it cannot be made), and within a quarter of an hour whatever happens (they take about four minutes on 2 cores)
test: lint browser
	$(PY) -m pytest -m "not ray"
	timeout 900 .ci/loopback $(PY) -m pytest -m ray

# The tests without the `slow` marker (those build and run tiny real models, whole runs in subprocesses, Ray)
test-fast: lint
	$(PY) -m pytest -m "not slow and not ray"

# Benchmark (outside the test suite): ratios measured side by side in one run, see bench/bench.py
bench: install
	$(PY) bench/bench.py $(BENCH_ARGS)

# The Ray executor against the local one, on the same cores (outside the test suite; it starts Ray, so it
# runs in a loopback-only network namespace): see bench/ray_job.py. BENCH_ARGS: e.g. --copies 40 --model tiny
bench-ray: install-test
	timeout 3600 .ci/loopback $(PY) bench/ray_job.py $(BENCH_ARGS)

# The abridged summary against human extractive summaries (outside the test suite): sentence F1 and
# ROUGE-1/2/L of lead-3, the lead at the default length and the selection, side by side; see
# bench/eval_summary.py. EVAL_ARGS: e.g. --pages FOLDER (more annotated pages laid out as tests/pages/)
eval: install
	$(PY) bench/eval_summary.py $(EVAL_ARGS)

# A tiny random model built the way the tests build theirs: `make brief MODEL=.tiny-model`
tiny-model: install
	$(PY) tests/tiny_model.py .tiny-model

clean:
	rm -rf $(VENV) $(OUT) .tiny-model .pytest_cache .ruff_cache .mypy_cache *.egg-info
