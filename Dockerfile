# The twin as a container, in two stages: the first exports the packaged embedding model
# (all-MiniLM-L6-v2) to ONNX with torch and checks it against sentence-transformers; the second
# runs the twin with onnxruntime and that export, without torch (about 280 MB of packages
# instead of 1.6 GB). Served on port 8000.
#
#   docker build -t digital-twin .
#   docker run -p 8000:8000 -v twin-data:/data digital-twin            # SQLite in /data
#   docker run -p 8000:8000 -e TWIN_DATABASE_URL=postgresql://... digital-twin   # replicas
#   docker run -p 8000:8000 -e TWIN_UPSTASH_URL=https://... -e TWIN_UPSTASH_TOKEN=... \
#     -v twin-data:/data digital-twin     # the index in Upstash Vector, the logs in /data
#
# Ingest a profile into the same index with the same image:
#   docker run --rm -v twin-data:/data -v "$PWD/me.json:/profile/me.json:ro" digital-twin \
#     ingest /profile/me.json
FROM python:3.12-slim AS export

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# torch is pinned first, as the Makefile does, so that sentence-transformers finds it and pulls
# no other build of its own. Where the package index offers CUDA builds, pass PyTorch's CPU-only
# wheel index as TORCH_INDEX_URL.
ARG TORCH_INDEX_URL=
RUN pip install ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} torch==2.13.0
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install '.[embeddings,export]' && python -m digital_twin.onnx_export

FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TWIN_DB=/data/twin.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install '.[embeddings,postgres,upstash]'
# The export lives beside the environment, where the twin looks for it.
COPY --from=export /usr/local/share/digital-twin /usr/local/share/digital-twin
RUN python -c "from digital_twin.embeddings import load_embedder; load_embedder().embed(['ok'])"

RUN useradd --create-home --uid 10001 twin && mkdir -p /data && chown twin /data
USER twin
VOLUME ["/data"]
EXPOSE 8000

# /health is liveness (the process answers); the model loads before the port opens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

ENTRYPOINT ["twin"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
