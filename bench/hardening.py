"""Under pressure: `/health` latency while many clients wait on a slow LLM, and the server's
memory while clients send huge chunked bodies. Prints one JSON object.

`twin serve` runs as a real process; its LLM is a loopback OpenAI-compatible server that takes
`--llm-latency` seconds (tests/fake_llm.py). All traffic goes to 127.0.0.1, in bounded loops.

    python bench/hardening.py [--clients 60] [--llm-latency 20] [--bodies 4] [--body-mb 250]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import httpx  # noqa: E402
from api_load import percentile  # noqa: E402

from tests.fake_llm import FakeLLM  # noqa: E402
from tests.servers import free_port, serving, wait_ready  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def health_under_load(url: str, clients: int, probes: int) -> dict:
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=clients + 4)
                                 ) as client:
        waiting = [asyncio.create_task(client.post(url + "/api/query", json={
            "question": "Tell me about your time at Northwind Analytics"}))
            for _ in range(clients)]
        await asyncio.sleep(2)  # every client is now waiting on the LLM (or was refused)
        latencies = []
        for _ in range(probes):
            started = time.perf_counter()
            res = await client.get(url + "/health")
            assert res.status_code == 200
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)
        replies = await asyncio.gather(*waiting)
    latencies.sort()
    statuses: dict[str, int] = {}
    for reply in replies:
        key = str(reply.status_code)
        if reply.status_code == 200:
            key += ":" + reply.json()["provider"]
        statuses[key] = statuses.get(key, 0) + 1
    return {"clients": clients, "health_probes": probes,
            "health_p50_ms": percentile(latencies, 0.5),
            "health_p95_ms": percentile(latencies, 0.95),
            "health_max_ms": round(latencies[-1] * 1000, 1), "answers": statuses}


def huge_bodies(url: str, pid: int, senders: int, megabytes: int) -> dict:
    before = rss_mb(pid)
    peak, results = before, []

    def body():
        block = b"x" * (1 << 20)
        for _ in range(megabytes):
            yield block

    def send():
        try:
            res = httpx.post(url + "/api/query", content=body(), timeout=120,
                             headers={"content-type": "application/json"})
            results.append(res.status_code)
        except httpx.HTTPError as exc:  # the server may close the connection mid-upload
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mb(pid))
        time.sleep(0.05)
    return {"senders": senders, "body_mb": megabytes, "chunked": True, "replies": results,
            "server_rss_mb": {"before": round(before, 1), "peak": round(peak, 1),
                              "growth": round(peak - before, 1)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--llm-latency", type=float, default=20.0)
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--bodies", type=int, default=4)
    parser.add_argument("--body-mb", type=int, default=250)
    args = parser.parse_args()
    llm = FakeLLM(latency=args.llm_latency)
    twin_bin = str(Path(sys.executable).with_name("twin"))
    with serving(llm.app) as llm_url, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TWIN_DB": str(Path(tmp) / "hard.db"), "TWIN_PROVIDER": "openai",
               "OPENAI_BASE_URL": llm_url + "/v1", "OPENAI_MODEL": "fake-model",
               "TWIN_RATE_LIMIT": "0", "TWIN_CACHE": "off"}
        subprocess.run([twin_bin, "ingest", str(ROOT / "examples" / "digitaltwin.json")],
                       env=env, check=True, capture_output=True)
        port = free_port()
        proc = subprocess.Popen([twin_bin, "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(url, proc)
            started = time.perf_counter()
            slow = asyncio.run(health_under_load(url, args.clients, args.probes))
            slow["llm_latency_s"] = args.llm_latency
            slow["slowest_answer_s"] = round(time.perf_counter() - started, 1)
            bodies = huge_bodies(url, proc.pid, args.bodies, args.body_mb)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(json.dumps({"slow_llm": slow, "huge_bodies": bodies}, indent=2))


if __name__ == "__main__":
    main()
