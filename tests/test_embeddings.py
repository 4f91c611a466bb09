"""The embedding paths: the ONNX export gives sentence-transformers' vectors, questions asked at
once are embedded together, and without the export the torch path answers and says so."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from digital_twin.embeddings import Closeness, MiniLMEmbedder
from digital_twin.indexer import passage_text
from digital_twin.microbatch import MicroBatcher
from digital_twin.onnx_encoder import MODEL_FILE, exported_model_dir
from digital_twin.onnx_export import export
from digital_twin.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory) -> Path:
    """The export `make install` made, or a fresh one (which tests the export too)."""
    installed = exported_model_dir()
    if (installed / MODEL_FILE).is_file():
        return installed
    return export(tmp_path_factory.mktemp("onnx") / "model")


def real_texts() -> list[str]:
    """Every passage of the example profiles and the questions of the evaluation sets."""
    texts = []
    for name in ("digitaltwin.json", "resume.md"):
        profile = load_profile(ROOT / "examples" / name, [])
        texts += [passage_text(chunk) for chunk in profile.chunks]
    for cases in sorted((ROOT / "examples" / "eval").glob("*.jsonl")):
        texts += [json.loads(line)["question"] for line in cases.read_text().splitlines()
                  if line.strip()]
    return [*texts, " ".join(texts[:30])]  # one far over the model's 256 tokens: truncated


def test_onnx_vectors_are_sentence_transformers_vectors(onnx_dir, tmp_path, caplog):
    texts = real_texts()
    assert len(texts) > 100 and max(len(t) for t in texts) > 3000
    onnx = MiniLMEmbedder(onnx_dir=onnx_dir)
    torch = MiniLMEmbedder(onnx_dir=tmp_path / "absent")
    with caplog.at_level("WARNING", logger="digital_twin.embeddings"):
        reference = torch.embed(texts)
    assert torch.backend == "torch" and "No ONNX export" in caplog.text
    ours = onnx.embed(texts)
    assert onnx.backend == "onnx" and ours.shape == reference.shape == (len(texts), 384)
    assert float(np.min(np.sum(ours * reference, axis=1))) >= 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    alone = np.vstack([onnx.embed([text]) for text in texts[:5]])  # no padding: same vectors
    assert float(np.min(np.sum(alone * reference[:5], axis=1))) >= 0.9999


def test_the_model_uses_the_threads_it_is_given(onnx_dir):
    embedder = MiniLMEmbedder(onnx_dir=onnx_dir, threads=1)
    embedder.embed(["warm up"])
    session = embedder._encode.__self__.session
    assert session.get_session_options().intra_op_num_threads == 1


def test_questions_asked_at_once_are_embedded_together():
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        time.sleep(0.05)  # a model call: others arrive meanwhile
        return np.array([[float(len(t))] for t in texts])

    batcher = MicroBatcher(encode, wait=0.01, max_batch=32)
    results: dict[str, float] = {}

    def ask(text: str) -> None:
        results[text] = float(batcher.embed(text)[0])

    threads = [threading.Thread(target=ask, args=("x" * n,)) for n in range(1, 17)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"x" * n: float(n) for n in range(1, 17)}  # each caller gets its row
    assert len(calls) < 16 and max(len(c) for c in calls) > 1


def test_a_failed_batch_fails_each_of_its_callers():
    def encode(texts: list[str]) -> np.ndarray:
        raise RuntimeError("model broke")

    batcher = MicroBatcher(encode, wait=0.001)
    with pytest.raises(RuntimeError, match="model broke"):
        batcher.embed("one")
    with pytest.raises(RuntimeError, match="model broke"):  # the thread is still serving
        batcher.embed("two")


def test_closeness_is_the_cosine_and_keeps_a_bounded_number_of_vectors(embedder):
    calls = []

    class Counting:
        def embed(self, texts):
            calls.append(list(texts))
            return embedder.embed(texts)

    close = Closeness(Counting(), keep=3)
    texts = ["I led a team of nine nurses.", "I speak Portuguese.", "I hold a BSc in Biology."]
    near = close("Which languages do you speak?", texts)
    vectors = embedder.embed(["Which languages do you speak?", *texts])
    assert np.allclose(near, vectors[1:] @ vectors[0], atol=1e-5)
    assert int(np.argmax(near)) == 1
    close("Where did you study?", texts)  # the texts' vectors are kept: only the question
    assert calls[-1] == ["Where did you study?"]
    close("Where did you study?", ["Something new."])  # the oldest is dropped past `keep`
    assert len(close._vectors) == 3 and texts[0] not in close._vectors
