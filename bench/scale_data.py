"""Generated profile text for the scale benchmark: paragraphs that read like engineering notes,
and vectors spread like real MiniLM vectors of such text.

Embedding 100,000 passages with the real model would take hours on two cores, so large indexes
get synthetic vectors: each is a mixture of two real vectors of generated paragraphs plus
noise, normalised. They cluster as real ones do (topics shared by many passages), which is what
makes approximate search lose recall; uniform random vectors would not.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

SUBJECTS = ["I", "Our team", "The platform group", "My squad", "We"]
VERBS = ["built", "migrated", "designed", "led", "shipped", "profiled", "rewrote", "scaled",
         "automated", "mentored engineers on", "cut the cost of", "documented"]
THINGS = ["a feature store", "the Kafka ingestion pipeline", "a Kubernetes operator",
          "the recommendation service", "our Terraform modules", "a PostgreSQL cluster",
          "the fraud model", "a Rust CLI", "the data warehouse in BigQuery",
          "CI on GitHub Actions", "a GPU scheduler", "the search API",
          "an Airflow DAG library", "the mobile backend"]
PLACES = ["at Tidewater Bank", "at Northwind Analytics", "for a retail client", "in Toronto",
          "during a hackathon", "for the payments team", "as an open-source maintainer"]
RESULTS = ["latency fell by {n}%", "costs dropped {n}%", "we served {n} million requests a day",
           "on-call pages fell by {n}%", "the team grew to {n} people", "recall rose {n} points"]
QUESTIONS = ["Where did you study?", "Which programming languages do you know?",
             "Tell me about the Kafka ingestion pipeline", "What did you do at Tidewater Bank?",
             "Have you run PostgreSQL in production?", "What are your salary expectations?",
             "Which cloud platforms do you use?", "Tell me about a project you led",
             "How did you cut costs for the payments team?", "What is your biggest weakness?",
             "Have you mentored engineers?", "What did you build with Rust?"]


def paragraph(i: int) -> str:
    """Three to five sentences (60 to 100 words), the same for the same `i`."""
    pick = random.Random(i)
    return " ".join(
        f"{pick.choice(SUBJECTS)} {pick.choice(VERBS)} {pick.choice(THINGS)} "
        f"{pick.choice(PLACES)}, and {pick.choice(RESULTS).format(n=pick.randint(2, 90))}."
        for _ in range(pick.randint(3, 5)))


def write_markdown(path: Path, paragraphs: int) -> Path:
    """A notes file: one `##` heading per paragraph, so each paragraph is one passage."""
    with path.open("w") as out:
        out.write("# Engineering notes\n\n")
        for i in range(paragraphs):
            out.write(f"## Note {i + 1}\n\n{paragraph(i)}\n\n")
    return path


def synthetic_vectors(real: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """`count` unit vectors mixed from rows of `real` (unit vectors of real text)."""
    rng = np.random.default_rng(seed)
    first = real[rng.integers(len(real), size=count)]
    second = real[rng.integers(len(real), size=count)]
    weight = rng.uniform(0.0, 0.5, size=(count, 1)).astype(np.float32)
    noise = rng.normal(scale=0.25 / np.sqrt(real.shape[1]),
                       size=(count, real.shape[1])).astype(np.float32)
    mixed = (1 - weight) * first + weight * second + noise
    return (mixed / np.linalg.norm(mixed, axis=1, keepdims=True)).astype(np.float32)
