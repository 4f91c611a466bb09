"""Under pressure: `/health` latency while many clients wait on a slow LLM, while many clients
send their requests a byte at a time, and the server's memory while clients send huge chunked
bodies. Prints one JSON object.

`twin serve` runs as a real process; its LLM is a loopback OpenAI-compatible server that takes
`--llm-latency` seconds (tests/fake_llm.py). All traffic goes to 127.0.0.1, in bounded loops.

    python bench/hardening.py [--clients 60] [--llm-latency 20] [--slow-clients 200]
                              [--bodies 4] [--body-mb 250] [--only slow_clients]
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


async def health_probes(client: httpx.AsyncClient, url: str, probes: int) -> list[float]:
    """`/health`'s latency, `probes` times, 50 ms apart, in seconds and sorted."""
    latencies = []
    for _ in range(probes):
        started = time.perf_counter()
        res = await client.get(url + "/health")
        assert res.status_code == 200
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0.05)
    return sorted(latencies)


async def health_under_load(url: str, clients: int, probes: int) -> dict:
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=clients + 4)
                                 ) as client:
        waiting = [asyncio.create_task(client.post(url + "/api/query", json={
            "question": "Tell me about your time at Northwind Analytics"}))
            for _ in range(clients)]
        await asyncio.sleep(2)  # every client is now waiting on the LLM (or was refused)
        latencies = await health_probes(client, url, probes)
        replies = await asyncio.gather(*waiting)
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


async def slow_clients(url: str, clients: int, every: float, probes: int,
                       request_timeout: float) -> dict:
    """`clients` connections that send a request head one byte every `every` seconds, as a
    slow-loris attack does, while `/health` is probed; then how many the server dropped."""
    host, port = url.removeprefix("http://").split(":")
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 200
    dropped_after: list[float] = []

    async def trickle() -> None:
        _, writer = await asyncio.open_connection(host, int(port))
        started = time.perf_counter()
        try:
            for byte in head:  # bounded: 230 bytes at most
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(every)
                if writer.transport.is_closing() or writer.is_closing():
                    break
        except (ConnectionError, OSError):
            pass
        dropped_after.append(time.perf_counter() - started)
        writer.close()

    started = time.perf_counter()
    tasks = [asyncio.create_task(trickle()) for _ in range(clients)]
    await asyncio.sleep(1)  # every slow client is connected and trickling
    async with httpx.AsyncClient(timeout=30) as client:
        latencies = await health_probes(client, url, probes)
    await asyncio.wait(tasks, timeout=request_timeout + 4 * every + 10)
    still_open = sum(not t.done() for t in tasks)
    for task in tasks:
        task.cancel()
    dropped_after.sort()
    return {"clients": clients, "byte_every_s": every, "request_timeout_s": request_timeout,
            "dropped": len(dropped_after), "still_open": still_open,
            "dropped_after_s": {"min": round(dropped_after[0], 1) if dropped_after else None,
                                "max": round(dropped_after[-1], 1) if dropped_after else None},
            "health_probes": probes, "health_p50_ms": percentile(latencies, 0.5),
            "health_p95_ms": percentile(latencies, 0.95),
            "health_max_ms": round(latencies[-1] * 1000, 1),
            "run_s": round(time.perf_counter() - started, 1)}


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
    parser.add_argument("--slow-clients", type=int, default=200)
    parser.add_argument("--byte-every", type=float, default=2.0)
    parser.add_argument("--bodies", type=int, default=4)
    parser.add_argument("--body-mb", type=int, default=250)
    parser.add_argument("--only", choices=("slow_llm", "slow_clients", "huge_bodies"))
    args = parser.parse_args()
    run = {"slow_llm", "slow_clients", "huge_bodies"} if args.only is None else {args.only}
    result: dict = {}
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
            if "slow_llm" in run:
                started = time.perf_counter()
                slow = asyncio.run(health_under_load(url, args.clients, args.probes))
                slow["llm_latency_s"] = args.llm_latency
                slow["slowest_answer_s"] = round(time.perf_counter() - started, 1)
                result["slow_llm"] = slow
            if "slow_clients" in run:
                timeout = float(env.get("TWIN_REQUEST_TIMEOUT", 10))
                result["slow_clients"] = asyncio.run(slow_clients(
                    url, args.slow_clients, args.byte_every, args.probes, timeout))
            if "huge_bodies" in run:
                result["huge_bodies"] = huge_bodies(url, proc.pid, args.bodies, args.body_mb)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
