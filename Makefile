# The README's two commands: `make run` and `make test`. Both set up .venv when needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.govkg-installed

.PHONY: setup run test lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: setup
	$(PY) -m govkg build data/samples --out out

test: setup
	$(PY) -m ruff check src tests
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check src tests

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
