"""What the twin adds on top of the LLM server: time-to-first-token and total latency.

A loopback OpenAI-compatible server (tests/fake_llm.py) answers with a fixed latency and token
rate. We time the raw server through the `openai` SDK, then the twin's `openai` provider
(retrieval, prompt, SDK, usage logging), streamed and not. Prints one JSON object.

    python bench/provider_overhead.py [--runs N] [--latency S] [--tokens-per-s R]
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

from openai import OpenAI  # noqa: E402

from digital_twin.config import Settings  # noqa: E402
from digital_twin.service import Token, Twin  # noqa: E402
from tests.fake_llm import FakeLLM  # noqa: E402
from tests.servers import serving  # noqa: E402

QUESTION = "Tell me about your time at Northwind Analytics"


def p50(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def raw(client: OpenAI, stream: bool) -> tuple[float, float]:
    started = time.perf_counter()
    messages = [{"role": "user", "content": QUESTION}]
    if not stream:
        client.chat.completions.create(model="fake-model", messages=messages)
        total = time.perf_counter() - started
        return total, total
    first = None
    for chunk in client.chat.completions.create(model="fake-model", messages=messages,
                                                stream=True):
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = time.perf_counter() - started
    return first, time.perf_counter() - started


def twin_run(twin: Twin, stream: bool) -> tuple[float, float]:
    started = time.perf_counter()
    first = None
    for event in twin.stream(QUESTION, whole=not stream):
        if first is None and isinstance(event, Token):
            first = time.perf_counter() - started
    return first, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds to first byte")
    parser.add_argument("--tokens-per-s", type=float, default=100.0)
    args = parser.parse_args()
    server = FakeLLM(latency=args.latency, token_delay=1 / args.tokens_per_s)
    with serving(server.app) as url, tempfile.TemporaryDirectory() as tmp:
        client = OpenAI(base_url=url + "/v1", api_key="x", max_retries=0)
        twin = Twin(Settings(db=Path(tmp) / "b.db", provider="openai", cache="off",
                             openai_base_url=url + "/v1", openai_model="fake-model"))
        twin.ingest([ROOT / "examples" / "digitaltwin.json"])
        twin_run(twin, True)  # warm the model and connections
        results = {}
        for mode, stream in (("non_streamed", False), ("streamed", True)):
            raw_runs = [raw(client, stream) for _ in range(args.runs)]
            twin_runs = [twin_run(twin, stream) for _ in range(args.runs)]
            results[mode] = {
                "raw_ttft_ms_p50": p50([r[0] for r in raw_runs]),
                "twin_ttft_ms_p50": p50([r[0] for r in twin_runs]),
                "raw_total_ms_p50": p50([r[1] for r in raw_runs]),
                "twin_total_ms_p50": p50([r[1] for r in twin_runs]),
            }
            results[mode]["added_ttft_ms"] = round(
                results[mode]["twin_ttft_ms_p50"] - results[mode]["raw_ttft_ms_p50"], 2)
            results[mode]["added_total_ms"] = round(
                results[mode]["twin_total_ms_p50"] - results[mode]["raw_total_ms_p50"], 2)
    print(json.dumps({"server": {"latency_s": args.latency, "tokens_per_s": args.tokens_per_s,
                                 "reply_tokens": len(server.reply.split())},
                      "runs": args.runs, **results}, indent=2))


if __name__ == "__main__":
    main()
