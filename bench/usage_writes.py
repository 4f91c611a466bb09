"""What recording usage costs an answer: the time a request thread spends handing its usage row
over, written in place (one transaction per row, as before) or queued for the batching writer;
and how many rows a second each way sustains with many threads answering at once. Prints one
JSON object.

    python bench/usage_writes.py [--rows 2000] [--threads 100]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from digital_twin.observability.recorder import UsageRecorder  # noqa: E402
from digital_twin.stores import UsageRecord  # noqa: E402
from digital_twin.stores.logs import SQLUsage  # noqa: E402
from digital_twin.stores.sqlite import SQLiteDialect  # noqa: E402


def row(n: int) -> UsageRecord:
    return UsageRecord("groq", "openai/gpt-oss-20b", "answered", f"s{n}", 900, 120,
                       latency_ms=350.0, question="Which cloud platforms do you use?",
                       answer="I use AWS and Google Cloud. [1]", answer_id=f"a{n}")


def run(mode: str, rows: int, threads: int, folder: Path) -> dict:
    logs = SQLUsage(SQLiteDialect(folder / f"{mode}.db"))
    recorder = UsageRecorder(logs, on_fault=lambda why: None, retention=90 * 86400)
    write = (lambda r: logs.record_usage([r])) if mode == "in_place" else recorder.record
    spent: list[float] = []

    def one(n: int) -> None:
        started = time.perf_counter()
        write(row(n))
        spent.append((time.perf_counter() - started) * 1e6)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(rows)))
    recorder.flush()
    elapsed = time.perf_counter() - started
    kept = len(logs.usage(rows * 2))
    recorder.close()
    logs.close()
    spent.sort()
    return {"rows": rows, "kept": kept, "rows_per_s": round(rows / elapsed),
            "request_thread_us_p50": round(statistics.median(spent), 1),
            "request_thread_us_p95": round(spent[int(0.95 * (len(spent) - 1))], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = {mode: run(mode, args.rows, args.threads, Path(tmp))
                  for mode in ("in_place", "batched")}
    print(json.dumps({"threads": args.threads, **result}))


if __name__ == "__main__":
    main()
