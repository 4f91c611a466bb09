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
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in a batch
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
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                            "token_type_ids": types})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
