"""Two small fitted models over retrieval's signals: which passage answers, and whether any does.

Neither is a rule order. Each passage among the candidates (dense top N and keyword top N) gets a
row of signals: its cosine similarity and rank, its BM25 score and rank, the share of the
question's words it holds, whether it names what the question names and whether it is of the kind
the question's recruiter intent asks for. A logistic model weighs them into one score. A second
logistic model reads the question's evidence (best score, best similarity, how much of the
question the profile knows, names it does not know) and gives the chance that the profile covers
the question at all. A third weighs the sentences of the best passages for the extractive answer.

The weights and the decision's thresholds are fitted on the development corpus by
`eval/fit.py` and kept in `ranking.json` beside this module; the held-out profiles are only
measured. No signal is a word list taken from a profile.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

# The order of the columns of a passage's signals and of a question's evidence.
PASSAGE_SIGNALS = ("cosine", "cosine_gap", "dense_rank", "bm25", "bm25_rank", "overlap",
                   "title_overlap", "intent", "named", "length", "early", "early_generic",
                   "present_role", "sentence_cosine", "sentence_gap")
SENTENCE_SIGNALS = ("passage_score", "passage_rank", "overlap", "opening", "number_asked",
                    "length", "named", "intent", "present_role", "cosine", "cosine_gap")
QUESTION_SIGNALS = ("best_score", "second_score", "best_cosine", "coverage", "topicless",
                    "missing_name", "intent_passages", "addressed", "best_overlap",
                    "missing_phrase", "unknown_term", "yes_no", "yes_no_coverage",
                    "yes_no_overlap")


@dataclass(frozen=True)
class Linear:
    """A fitted logistic model: weights over named signals, and an intercept."""

    names: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray  # the signals are standardised with the development set's statistics
    scale: np.ndarray

    @classmethod
    def from_dict(cls, data: dict, names: tuple[str, ...] | None = None) -> Linear:
        """The model as saved; over `names`, a signal it was not fitted with weighs nothing."""
        names = names or tuple(data["names"])

        def column(part: str, missing: float) -> np.ndarray:
            return np.asarray([data[part].get(n, missing) for n in names], dtype=np.float64)

        return cls(names, column("weights", 0.0), float(data["bias"]), column("mean", 0.0),
                   column("scale", 1.0))

    def to_dict(self) -> dict:
        return {"names": list(self.names), "bias": round(self.bias, 6),
                "weights": {n: round(float(w), 6) for n, w in zip(self.names, self.weights,
                                                                  strict=True)},
                "mean": {n: round(float(m), 6) for n, m in zip(self.names, self.mean,
                                                               strict=True)},
                "scale": {n: round(float(s), 6) for n, s in zip(self.names, self.scale,
                                                                strict=True)}}

    def logits(self, rows: np.ndarray) -> np.ndarray:
        return ((rows - self.mean) / self.scale) @ self.weights + self.bias


@dataclass(frozen=True)
class Decision:
    """Whether the profile covers a question: its chance from the model, and two thresholds
    (at or above `covered` it answers; between the two, only an LLM judging the passages may)."""

    model: Linear
    covered: float
    borderline: float

    def chance(self, evidence: np.ndarray) -> float:
        return 1.0 / (1.0 + math.exp(-float(self.model.logits(evidence[None, :])[0])))


@dataclass(frozen=True)
class Models:
    ranker: Linear
    decision: Decision
    sentences: Linear  # which sentences of the best passages answer (the extractive answer)


MODEL_FILE = "ranking.json"


@cache
def fitted() -> Models:
    """The models shipped with the package (fitted by `eval/fit.py`)."""
    data = json.loads(resources.files(__package__).joinpath(MODEL_FILE).read_text("utf-8"))
    return models_from(data)


def models_from(data: dict) -> Models:
    decision = data["decision"]
    return Models(Linear.from_dict(data["ranker"], PASSAGE_SIGNALS),
                  Decision(Linear.from_dict(decision["model"], QUESTION_SIGNALS),
                           float(decision["covered"]), float(decision["borderline"])),
                  Linear.from_dict(data["sentences"], SENTENCE_SIGNALS))
