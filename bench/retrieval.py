"""Retrieval quality and speed on the bundled example profile. Prints one JSON object.

Each question names a fact that the right passage contains; a hit "finds" it when the fact
appears in its title or text. recall@k: share of questions whose fact is in the top k;
MRR: mean of 1/rank of the first hit holding the fact.

    python bench/retrieval.py [--db PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from digital_twin.config import Settings
from digital_twin.embeddings import load_embedder
from digital_twin.retrieval import Retriever
from digital_twin.service import Twin
from digital_twin.stores.sqlite import SQLiteIndex

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    ("Where did you go to university?", "University of Waterloo"),
    ("What degree do you have?", "Systems Design Engineering"),
    ("Which programming languages do you know?", "Python (9 years"),
    ("How many years of Scala experience do you have?", "Scala (4 years"),
    ("What do you use for infrastructure as code?", "Terraform"),
    ("Which cloud providers have you worked with?", "Google Cloud"),
    ("What is your current role?", "Senior Machine Learning Platform Engineer (March 2021"),
    ("Tell me about your time at Tidewater Bank", "Tidewater Bank I was Data Engineer"),
    ("How did you speed up the fraud Spark job?", "salted broadcast joins"),
    ("How did you make model deployment self-service?", "Median time from trained model"),
    ("How did you deal with silent pipeline failures?", "Great Expectations"),
    ("Did you do any internships?", "Software Developer Intern"),
    ("What is your biggest weakness?", "over-invest in polishing"),
    ("Why are you leaving your current job?", "larger scope"),
    ("What salary do you expect?", "190,000 to 215,000"),
    ("Are you open to relocating?", "Relocation willing"),
    ("Do you need a visa to work in the US?", "TN status"),
    ("What is your notice period?", "Four weeks"),
    ("What open source projects have you built?", "featherweight"),
    ("Tell me about a side project with public transit data", "streetcar delays"),
    ("What certifications do you hold?", "Certified Kubernetes Application Developer"),
    ("Have you spoken at conferences?", "PyCon Canada 2023"),
    ("What are your long-term career goals?", "staff or principal engineer"),
    ("Which industries interest you?", "Climate tech"),
    ("What ML tools are you familiar with?", "MLflow"),
    ("Do you have leadership experience?", "Mentored four engineers"),
    ("What soft skills do you bring?", "Calm incident command"),
    ("Have you worked with Kafka?", "Kafka"),
]
OFF_TOPIC = ["What is the capital of France?", "How do I bake sourdough bread?",
             "Who won the 1998 World Cup?", "Tell me a joke about cats"]


def evaluate(retriever: Retriever, mode: str) -> dict:
    ranks = []
    for question, fact in QUESTIONS:
        hits = retriever.search(question, 5, mode=mode)
        rank = next((i + 1 for i, h in enumerate(hits) if fact in h.title + " " + h.text), None)
        ranks.append(rank)
    n = len(ranks)
    result = {f"recall@{k}": round(sum(1 for r in ranks if r and r <= k) / n, 3)
              for k in (1, 3, 5)}
    result["mrr"] = round(sum(1 / r for r in ranks if r) / n, 3)
    result["off_topic_empty"] = sum(
        1 for q in OFF_TOPIC if not retriever.search(q, 5, mode=mode)) / len(OFF_TOPIC)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        settings = Settings(db=db, provider="extractive")
        embedder = load_embedder(settings.embedding_model)
        twin = Twin(settings, embedder=embedder)
        started = time.perf_counter()
        report = twin.ingest([ROOT / "examples" / "digitaltwin.json"], reset=True)
        ingest_s = time.perf_counter() - started
        retriever = Retriever(SQLiteIndex(db), embedder, min_score=settings.min_score)
        results = {mode: evaluate(retriever, mode) for mode in ("dense", "bm25", "hybrid")}
        timings = []
        for i in range(args.repeat):
            question = QUESTIONS[i % len(QUESTIONS)][0]
            t0 = time.perf_counter()
            twin.search(question)
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        out = {
            "profile": "examples/digitaltwin.json", "chunks": report.total,
            "questions": len(QUESTIONS), "ingest_s": round(ingest_s, 2),
            "embedder": embedder.name, **results,
            "search_latency_ms": {
                "p50": round(statistics.median(timings), 2),
                "p95": round(timings[int(0.95 * (len(timings) - 1))], 2),
                "n": len(timings)},
        }
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
