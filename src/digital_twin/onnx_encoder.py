"""MiniLM without torch: the exported ONNX transformer run by onnxruntime, the `tokenizers`
tokenizer, then mean pooling and normalisation in numpy, as sentence-transformers does them.

The export lives beside the environment (`<venv>/share/digital-twin/models/<model>/`), written
by `python -m digital_twin.onnx_export` at install time; nothing is fetched at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

MODEL_FILE = "model.onnx"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Padded tokens per model call. On a CPU, small calls of similar lengths beat big padded ones:
# their activations stay in cache (four 120-token paragraphs: 13 ms each; 32 of them: 19 ms).
BATCH_TOKENS = 512


def exported_model_dir(name: str = DEFAULT_MODEL) -> Path:
    """Where the install step puts the ONNX export of model `name`."""
    return Path(sys.prefix) / "share" / "digital-twin" / "models" / name


class OnnxEncoder:
    """Texts to unit vectors with one onnxruntime session (thread-safe to call)."""

    def __init__(self, folder: Path, threads: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = json.loads((folder / "encoder.json").read_text())
        self.dim = int(config["dim"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(config["max_seq_length"]))
        self.tokenizer.no_padding()  # each call is padded to its own longest text
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Idle threads sleep instead of spinning: the machine is shared with the web server.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder / MODEL_FILE), options,
                                            providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for `texts`, in order; run in calls of similar lengths."""
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end + 1 - start) * len(encodings[order[end]].ids) \
                    <= BATCH_TOKENS:
                end += 1
            rows = order[start:end]
            vectors[rows] = self._run([encodings[i] for i in rows])
            start = end
        return vectors

    def _run(self, encodings: list) -> np.ndarray:
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), length), dtype=np.int64)
        mask, types = np.zeros_like(ids), np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = (encoding.ids, encoding.attention_mask,
                                                          encoding.type_ids)
        (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                            "token_type_ids": types})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)
