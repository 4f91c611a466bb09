"""The response cache: latency of a cached and an uncached answer through the API (a loopback
LLM with a fixed latency), and how the semantic layer's similarity threshold trades hits on
paraphrases against false hits on different questions. Prints one JSON object.

    python bench/cache.py [--llm-latency 0.3] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from digital_twin.api import create_app  # noqa: E402
from digital_twin.config import Settings  # noqa: E402
from digital_twin.embeddings import load_embedder  # noqa: E402
from digital_twin.service import Twin  # noqa: E402
from tests.fake_llm import FakeLLM  # noqa: E402
from tests.servers import serving  # noqa: E402

# (first question, a paraphrase that should hit)
PARAPHRASES = [
    ("Which cloud platforms do you use?", "What cloud platforms do you work with?"),
    ("Where did you study?", "Where did you go to university?"),
    ("What is your notice period?", "How much notice do you need to give?"),
    ("Are you open to relocating?", "Would you be willing to relocate?"),
    ("What are your salary expectations?", "What salary are you expecting?"),
    ("Tell me about your time at Tidewater Bank", "What did you do at Tidewater Bank?"),
    ("What programming languages do you know?", "Which programming languages do you use?"),
    ("What is your biggest weakness?", "What would you say is your greatest weakness?"),
    ("Do you have leadership experience?", "Have you led a team before?"),
    ("What are your long-term career goals?", "Where do you see your career going long term?"),
]
# (first question, a different question that must not hit)
NEAR_MISSES = [
    ("Which cloud platforms do you use?", "Which cloud platforms do you want to learn?"),
    ("Where did you study?", "What did you study?"),
    ("What is your notice period?", "What is your probation period?"),
    ("Tell me about your time at Tidewater Bank", "Tell me about your time at Northwind"),
    ("What programming languages do you know?", "What spoken languages do you know?"),
    ("What is your biggest weakness?", "What is your biggest strength?"),
    ("What are your salary expectations?", "What are your expectations for the team?"),
    ("Do you have leadership experience?", "Do you have Kubernetes experience?"),
    ("What are your long-term career goals?", "What are your short-term career goals?"),
    ("Are you open to relocating?", "Are you open to remote work?"),
]
THRESHOLDS = (0.80, 0.85, 0.90, 0.92, 0.95)


def similarities(pairs) -> list[float]:
    embedder = load_embedder()
    firsts = embedder.embed([a for a, _ in pairs])
    seconds = embedder.embed([b for _, b in pairs])
    return [round(float(a @ b), 4) for a, b in zip(firsts, seconds, strict=True)]


def latency(args) -> dict:
    llm = FakeLLM(latency=args.llm_latency)
    with serving(llm.app) as llm_url, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=Path(tmp) / "cache.db", provider="openai", rate_limit=0,
                            openai_base_url=llm_url + "/v1", openai_model="fake-model")
        twin = Twin(settings)
        twin.ingest([ROOT / "examples" / "digitaltwin.json"])
        with serving(create_app(settings, twin)) as url, httpx.Client(timeout=60) as client:
            timings: dict[str, list[float]] = {"uncached": [], "cached": []}
            for i in range(args.runs):
                question = f"Tell me about your time at Tidewater Bank ({i})"
                for kind in ("uncached", "cached"):  # the second time comes from the cache
                    started = time.perf_counter()
                    reply = client.post(url + "/api/query", json={"question": question}).json()
                    timings[kind].append((time.perf_counter() - started) * 1000)
                    assert reply["cached"] == (kind == "cached"), reply
    return {kind: {"p50_ms": round(statistics.median(v), 1),
                   "p95_ms": round(sorted(v)[int(0.95 * (len(v) - 1))], 1), "n": len(v)}
            for kind, v in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llm-latency", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    hits, misses = similarities(PARAPHRASES), similarities(NEAR_MISSES)
    curve = [{"threshold": t,
              "paraphrases_hit": round(sum(s >= t for s in hits) / len(hits), 2),
              "false_hits": round(sum(s >= t for s in misses) / len(misses), 2)}
             for t in THRESHOLDS]
    print(json.dumps({"api": latency(args), "llm_latency_s": args.llm_latency,
                      "semantic": {"paraphrase_similarity": hits,
                                   "near_miss_similarity": misses, "tradeoff": curve}},
                     indent=2))


if __name__ == "__main__":
    main()
