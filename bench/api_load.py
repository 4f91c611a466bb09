"""Load on `POST /api/query`: requests per second and latency percentiles by concurrency.

`twin serve` runs as a real server process; its LLM is a loopback OpenAI-compatible server with
a fixed latency (tests/fake_llm.py); the twin has no response cache. Every request goes to
127.0.0.1 and each level sends a bounded number of requests. Prints one JSON object.

    python bench/api_load.py [--llm-latency 0.3] [--levels 1,10,100] [--requests 20,100,300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.fake_llm import FakeLLM  # noqa: E402
from tests.servers import free_port, serving, wait_ready  # noqa: E402

QUESTIONS = ["Where did you study?", "Which programming languages do you know?",
             "Tell me about your time at Tidewater Bank", "What are your salary expectations?",
             "What is your biggest weakness?", "Which cloud platforms do you use?"]


def percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return round(sorted_values[index] * 1000, 1)


async def level(url: str, concurrency: int, total: int) -> dict:
    latencies: list[float] = []
    errors = 0
    queue = list(range(total))

    async def worker():
        # a client (one connection) per visitor: a pool shared by 100 connections costs the
        # load generator a scan of the pool per request, enough to make it the bottleneck
        async with httpx.AsyncClient(timeout=120) as client:
            await visit(client)

    async def visit(client: httpx.AsyncClient):
        nonlocal errors
        while queue:
            i = queue.pop()
            started = time.perf_counter()
            res = await client.post(url + "/api/query",
                                    json={"question": QUESTIONS[i % len(QUESTIONS)]})
            latencies.append(time.perf_counter() - started)
            if res.status_code != 200 or res.json()["provider"] != "openai":
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"concurrency": concurrency, "requests": total, "errors": errors,
            "rps": round(total / elapsed, 1), "p50_ms": percentile(latencies, 0.5),
            "p95_ms": percentile(latencies, 0.95), "p99_ms": percentile(latencies, 0.99),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llm-latency", type=float, default=0.3)
    parser.add_argument("--levels", default="1,10,100")
    parser.add_argument("--requests", default="20,100,300")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    counts = [int(x) for x in args.requests.split(",")]
    llm = FakeLLM(latency=args.llm_latency)
    twin_bin = str(Path(sys.executable).with_name("twin"))
    with serving(llm.app) as llm_url, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TWIN_DB": str(Path(tmp) / "load.db"), "TWIN_PROVIDER": "openai",
               "OPENAI_BASE_URL": llm_url + "/v1", "OPENAI_MODEL": "fake-model",
               "TWIN_RATE_LIMIT": "0", "TWIN_MAX_RETRIES": "0", "TWIN_CACHE": "off"}
        subprocess.run([twin_bin, "ingest", str(ROOT / "examples" / "digitaltwin.json")],
                       env=env, check=True, capture_output=True)
        port = free_port()
        proc = subprocess.Popen([twin_bin, "serve", "--port", str(port),
                                 "--workers", str(args.workers)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(url, proc)
            asyncio.run(level(url, 1, 3))  # warm-up
            results = [asyncio.run(level(url, c, n)) for c, n in zip(levels, counts, strict=True)]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(json.dumps({"endpoint": "POST /api/query", "llm_latency_s": args.llm_latency,
                      "cache": "off", "server_workers": args.workers, "levels": results},
                     indent=2))


if __name__ == "__main__":
    main()
