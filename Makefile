# The README's two commands: `make run` and `make test`. Both set up .venv (and vendor/) when needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.govkg-installed
YASGUI_VERSION := 4.6.2
YASGUI := vendor/node_modules/@zazuko/yasgui/build/yasgui.min.js
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per CPU this process may use, at most 8 (each builds its own fixtures);
# TEST_WORKERS=0 runs the tests in this process.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; n = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count(); print(min(8, n or 1))")

.PHONY: setup bytecode vendor run test lint bench clean

setup: $(STAMP) $(YASGUI) bytecode

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Python writes a module's bytecode to __pycache__ at its first import, unless told not to (PYTHONDONTWRITEBYTECODE,
# set on some CI and container images): then every govkg command and worker process compiles its ~130 modules again
# (0.15 s of each start). Compiled here instead; Python still checks each file against its source when importing.
bytecode: $(STAMP)
	$(PY) -m compileall -q src

# YASGUI (the SPARQL query UI) from the npm registry, served by `govkg serve` from vendor/; never committed.
# A wheel built here takes it from vendor/ (hatch_build.py), so `pip install` of that wheel has the query UI.
vendor: $(YASGUI)

$(YASGUI):
	npm install --no-save --no-audit --no-fund --loglevel=error --prefix vendor @zazuko/yasgui@$(YASGUI_VERSION)
	test -f $(YASGUI)

run: setup
	$(PY) -m govkg build data/samples --out out
	$(PY) -m govkg network html --store out --out out/network.html
	$(PY) -m govkg serve --store out --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m ruff check src tests bench
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: setup
	$(PY) -m ruff check src tests bench

bench: setup
	$(PY) bench/endpoint.py

clean:
	rm -rf $(VENV) vendor build dist out .pytest_cache .ruff_cache test-artifacts
