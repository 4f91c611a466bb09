"""How the twin holds up as things grow, as one JSON object:

- search: p50/p95 of dense (top 10) and hybrid search at 1,000 / 10,000 / 100,000 passages, with
  recall@10 of dense search against exact numpy search, for every store engine `open_stores`
  can open (SQLite always; PostgreSQL too when TWIN_DATABASE_URL is set). Query vectors are
  given, so the figures are the store's and the retriever's, not the embedding model's.
- ingest: wall time and peak RSS of `twin ingest` on a Markdown file of 10,000 paragraphs.
- start: cold `twin ask` and `twin search` (extractive), each a fresh process.
- api: requests/s and p50/p95 of `POST /api/query` at 100 concurrent clients for a bounded
  time, against a loopback LLM answering in 300 ms, no response cache, for `twin serve
  --workers` 1, 2 and 4.

    python bench/scale.py [--only search,ingest,start,api] [--sizes 1000,10000,100000]
                          [--paragraphs 10000] [--workers 1,2,4] [--seconds 15]

Every server is on 127.0.0.1; sizes and durations are bounded by the flags. With
TWIN_DATABASE_URL set, the search and API parts empty and refill the index of that database:
point it at a scratch one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the twin runs (digital_twin/__init__)
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "src"))

import numpy as np  # noqa: E402

from bench.scale_data import QUESTIONS, paragraph, synthetic_vectors, write_markdown  # noqa: E402

# covered by the example profile, so every answer comes from the LLM (as in bench/api_load.py)
API_QUESTIONS = ["Where did you study?", "Which programming languages do you know?",
                 "Tell me about your time at Tidewater Bank",
                 "What are your salary expectations?", "What is your biggest weakness?",
                 "Which cloud platforms do you use?"]

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
SQLITE_ENV = {k: v for k, v in ENV.items() if k != "TWIN_DATABASE_URL"}  # ingest, start
TWIN = [sys.executable, "-m", "digital_twin"]


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 2)


# ---- search ------------------------------------------------------------------------------------
@contextlib.contextmanager
def environment(**changes: str | None):
    saved = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def engines() -> dict[str, dict[str, str | None]]:
    """Each engine `open_stores` can open here, as the environment that selects it."""
    found: dict[str, dict[str, str | None]] = {"sqlite": {"TWIN_DATABASE_URL": None}}
    if os.environ.get("TWIN_DATABASE_URL"):
        found["postgresql"] = {"TWIN_DATABASE_URL": os.environ["TWIN_DATABASE_URL"]}
    return found


class GivenVectors:
    """An embedder that knows the query vectors in advance (the model is not measured)."""

    name, dim = "all-MiniLM-L6-v2", 384

    def __init__(self, table: dict[str, np.ndarray]):
        self.table = table

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.table[text] for text in texts])


def bench_search(sizes: list[int], queries: int) -> dict:
    from digital_twin.config import Settings
    from digital_twin.embeddings import load_embedder
    from digital_twin.profile import Chunk
    from digital_twin.retrieval import Retriever
    from digital_twin.stores import SourceChange, SourceRecord, open_stores

    model = load_embedder()
    real = model.embed([paragraph(i) for i in range(400)])
    asked = dict(zip(QUESTIONS, model.embed(QUESTIONS), strict=True))
    vectors = synthetic_vectors(real, max(sizes), seed=1)
    probes = np.vstack([*asked.values(), synthetic_vectors(real, queries - len(asked), seed=2)])
    results: dict = {"vectors": "synthetic: mixtures of two real MiniLM vectors of generated "
                                "paragraphs plus noise (400 real vectors)",
                     "queries": len(probes), "hybrid_questions": len(QUESTIONS), "engines": {}}
    for engine, env in engines().items():
        figures: list[dict] = []
        with tempfile.TemporaryDirectory() as tmp, environment(**env):
            stores = open_stores(Settings(db=Path(tmp) / "scale.db", provider="extractive"))
            index, done = stores.index, 0
            for size in sorted(sizes):
                started = time.perf_counter()
                for start in range(done, size, 10_000):
                    end = min(size, start + 10_000)
                    chunks = [Chunk(f"Note {i + 1}", paragraph(i), "notes.md", f"notes#{i}",
                                    "document") for i in range(start, end)]
                    record = SourceRecord("/bench/notes.md", "notes.md", {"name": "Bench"}, {})
                    index.apply([SourceChange(record, chunks, vectors[start:end],
                                              list(range(start, end)), [])],
                                embedder=model.name, reset=start == 0)
                done = size
                figures.append(measure(index, size, vectors[:size], probes, asked,
                                       time.perf_counter() - started, Retriever))
            stores.close()
        results["engines"][engine] = figures
    return results


def measure(index, size: int, matrix: np.ndarray, probes: np.ndarray, asked: dict,
            load_s: float, retriever_class) -> dict:
    from digital_twin.stores import Query

    started = time.perf_counter()
    index.dense(Query("", probes[0]), 10)
    first = time.perf_counter() - started
    dense_times, recalls = [], []
    for probe in probes:
        started = time.perf_counter()
        got = index.dense(Query("", probe), 10)
        dense_times.append(time.perf_counter() - started)
        exact = set(np.argpartition(-(matrix @ probe), 10)[:10].tolist())
        recalls.append(len({int(cid.split("#")[1]) for cid, _ in got_sections(index, got)}
                           & exact) / 10)
    retriever = retriever_class(index, GivenVectors(asked), top_k=5)
    first_round = []  # after an ingest: the words and each intent's passages found once
    for question in QUESTIONS:
        started = time.perf_counter()
        retriever.search(question)
        first_round.append(time.perf_counter() - started)
    hybrid_times = []
    for _ in range(3):
        for question in QUESTIONS:
            started = time.perf_counter()
            retriever.search(question)
            hybrid_times.append(time.perf_counter() - started)
    return {"passages": size, "load_s": round(load_s, 2),
            "dense_first_query_ms": round(first * 1000, 1),
            "dense_p50_ms": ms(dense_times, 0.5), "dense_p95_ms": ms(dense_times, 0.95),
            "recall_at_10": round(statistics.fmean(recalls), 4),
            "hybrid_first_round_max_ms": ms(first_round, 1.0),
            "hybrid_p50_ms": ms(hybrid_times, 0.5), "hybrid_p95_ms": ms(hybrid_times, 0.95)}


def got_sections(index, got: list[tuple[str, float]]) -> list[tuple[str, str]]:
    """(section, id) of each hit: the section says which generated passage it is."""
    chunks = index.get([cid for cid, _ in got])
    return [(chunks[cid].section, cid) for cid, _ in got if cid in chunks]


# ---- ingest and start-up -----------------------------------------------------------------------
# Runs the command and reports its rusage. The measured process is started from this small
# interpreter, not from the benchmark: a child forked from a process holding 100,000 vectors
# would report that process's memory as its own peak.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.run(sys.argv[2:])
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"code": proc.returncode, "rss_kb": usage.ru_maxrss, "seconds": elapsed,
               "cpu_s": usage.ru_utime + usage.ru_stime}, out)
"""


def timed_process(command: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS (MB) and standard output of one process, on
    SQLite."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        proc = subprocess.run([sys.executable, "-c", _MEASURE, report.name, *command],
                              env=SQLITE_ENV, capture_output=True, text=True)
        usage = json.loads(Path(report.name).read_text() or "{}")
    if proc.returncode or usage.get("code"):
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr[-2000:]}")
    return usage["seconds"], usage["cpu_s"], usage["rss_kb"] / 1024, proc.stdout


def bench_ingest(paragraphs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        notes = write_markdown(Path(tmp) / "notes.md", paragraphs)
        size_mb = notes.stat().st_size / 1e6
        seconds, cpu, rss, output = timed_process([*TWIN, "ingest", str(notes), "--db",
                                                   str(Path(tmp) / "ingest.db"), "--json"])
        report = json.loads(output)
        words = statistics.fmean(len(paragraph(i).split()) for i in range(0, paragraphs, 97))
    return {"paragraphs": paragraphs, "passages": report["total"], "words_per_paragraph":
            round(words, 1), "file_mb": round(size_mb, 2),
            "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "peak_rss_mb": round(rss), "embedding": backend(), "engine": "sqlite"}


def backend() -> str:
    try:
        from digital_twin.onnx_encoder import MODEL_FILE, exported_model_dir
    except ImportError:  # a version of the twin from before the ONNX export
        return "torch"
    return "onnx" if (exported_model_dir() / MODEL_FILE).is_file() else "torch"


def bench_start(runs: int) -> dict:
    example = ROOT / "examples" / "digitaltwin.json"
    figures: dict = {"runs": runs, "provider": "extractive", "embedding": backend(),
                     "engine": "sqlite"}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "start.db")
        timed_process([*TWIN, "ingest", str(example), "--db", db])
        for command in (["ask", "Which cloud platforms do you use?"],
                        ["search", "Which programming languages do you know?"], ["--help"]):
            times, peaks = [], []
            for _ in range(runs):
                extra = ["--db", db] if command[0] != "--help" else []
                seconds, _, rss, _ = timed_process([*TWIN, *command, *extra])
                times.append(seconds)
                peaks.append(rss)
            figures[command[0].removeprefix("--")] = {
                "median_s": round(statistics.median(times), 2), "max_s": round(max(times), 2),
                "peak_rss_mb": round(max(peaks))}
    return figures


# ---- the API under load -----------------------------------------------------------------------
def bench_api(workers: list[int], seconds: float, clients: int, llm_latency: float) -> dict:
    import asyncio

    from tests.servers import free_port, wait_ready

    runs = []
    with fake_llm(llm_latency) as llm_url, tempfile.TemporaryDirectory() as tmp:
        for engine, selected in engines().items():
            env = {**ENV, "TWIN_DB": str(Path(tmp) / f"load-{engine}.db"),
                   "TWIN_PROVIDER": "openai", "OPENAI_BASE_URL": llm_url + "/v1",
                   "OPENAI_MODEL": "fake-model", "OPENAI_API_KEY": "not-needed",
                   "TWIN_RATE_LIMIT": "0", "TWIN_MAX_RETRIES": "0", "TWIN_CACHE": "off",
                   # every client may wait on the LLM at once: the server, not the admission
                   # bound (8 in flight + 32 queued by default), is what is measured
                   "TWIN_PROVIDER_CONCURRENCY": str(clients),
                   "TWIN_ANSWER_QUEUE": str(clients)}
            env = {k: v for k, v in {**env, **selected}.items() if v is not None}
            subprocess.run([*TWIN, "ingest", str(ROOT / "examples" / "digitaltwin.json"),
                            "--reset"], env=env, check=True, capture_output=True)
            for count in workers:
                port = free_port()
                server_log = Path(tmp) / f"serve-{engine}-{count}.log"
                with server_log.open("w") as log_file:
                    proc = subprocess.Popen([*TWIN, "serve", "--port", str(port), "--workers",
                                             str(count)], env=env, stdout=log_file,
                                            stderr=subprocess.STDOUT)
                url = f"http://127.0.0.1:{port}"
                try:
                    wait_ready(url, proc)
                    asyncio.run(load(url, clients, 5.0))  # every worker started and warm
                    result = asyncio.run(load(url, clients, seconds))
                finally:
                    proc.terminate()
                    proc.wait(timeout=60)
                # A worker that misses the supervisor's health check is killed and replaced:
                # its connections drop (the clients see them as read errors).
                restarted = server_log.read_text().count("died")
                runs.append({"engine": engine, "workers": count, **result,
                             "workers_replaced": restarted})
    return {"endpoint": "POST /api/query", "clients": clients, "llm_latency_s": llm_latency,
            "cache": "off", "provider_concurrency": clients, "seconds_each": seconds,
            "runs": runs}


@contextlib.contextmanager
def fake_llm(latency: float):
    """The tests' loopback OpenAI-compatible server (tests/fake_llm.py), in a process of its
    own so that it does not share an interpreter lock with the load client."""
    import httpx

    from tests.servers import free_port

    port = free_port()
    code = ("import sys, uvicorn\nfrom tests.fake_llm import FakeLLM\n"
            f"uvicorn.run(FakeLLM(latency={latency!r}).app, host='127.0.0.1', port={port}, timeout_keep_alive=75, "
            "log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=ENV)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(url + "/", timeout=1)
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("the loopback LLM did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def load(url: str, clients: int, seconds: float) -> dict:
    import asyncio

    import aiohttp

    latencies: list[float] = []
    failures: dict[str, int] = {}
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        # A session of its own per visitor (one connection, kept alive), on aiohttp: the load
        # generator shares the server's two cores, so it should cost them little. (One httpx
        # client shared by 100 visitors scanned its pool on every request and saturated its
        # core; httpx clients of their own still took a quarter of a core at 230 requests/s,
        # aiohttp sessions 0.06 of one.)
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector,
                                         timeout=aiohttp.ClientTimeout(total=60)) as http:
            await visit(http, n)

    async def visit(http, n: int) -> None:
        i = n
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                async with http.post(url + "/api/query", json={
                        "question": API_QUESTIONS[i % len(API_QUESTIONS)]}) as res:
                    body = await res.json() if res.status == 200 else {}
                    status = res.status
                ok = body.get("provider") == "openai"  # each of these questions needs the LLM
                why = (f"fell back: {str(body.get('fallback_reason'))[:60]}" if body
                       else str(status))
            except (TimeoutError, aiohttp.ClientError) as exc:
                ok, why = False, type(exc).__name__
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                failures[why] = failures.get(why, 0) + 1
            i += clients

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    return {"ok": len(latencies), "failed": failures, "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": ms(latencies, 0.5) if latencies else None,
            "p95_ms": ms(latencies, 0.95) if latencies else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="search,ingest,start,api",
                        help="comma-separated parts: search, ingest, start, api")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="cold starts of each command")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=15.0, help="load time per server")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--llm-latency", type=float, default=0.3)
    args = parser.parse_args()
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    out: dict = {"machine": {"cpus": os.cpu_count(), "load_average_at_start": [
        round(x, 2) for x in os.getloadavg()]}}
    if "search" in parts:
        out["search"] = bench_search([int(s) for s in args.sizes.split(",")], args.queries)
    if "ingest" in parts:
        out["ingest"] = bench_ingest(args.paragraphs)
    if "start" in parts:
        out["start"] = bench_start(args.runs)
    if "api" in parts:
        out["api"] = bench_api([int(w) for w in args.workers.split(",")], args.seconds,
                               args.clients, args.llm_latency)
    out["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
