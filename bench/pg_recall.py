"""PostgreSQL + pgvector: HNSW recall@10 against exact search, and the latency of a dense
search, on real MiniLM vectors, for several `hnsw.ef_search` values. Prints one JSON object.

The passages are real English paragraphs: the package descriptions installed beside the twin
(every `*.dist-info/METADATA`) and the docstrings of the standard library and those packages,
split on blank lines. The questions are other paragraphs, held
out. Exact search is numpy over the same vectors; the HNSW results come through the twin's own
`PostgresIndex.dense`, on a PostgreSQL started by `pgserver` in a temporary folder.

    python bench/pg_recall.py [--sizes 2000,5000] [--queries 200] [--ef 40,100,200,400]
                              [--vectors vectors.npy]
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from digital_twin.embeddings import load_embedder
from digital_twin.profile import Chunk
from digital_twin.stores import Query, SourceChange, SourceRecord
from digital_twin.stores.postgres import Database, PostgresIndex


def paragraphs(limit: int) -> list[str]:
    """Distinct paragraphs of 80 to 1,000 characters of real English: the descriptions of the
    installed packages, then the docstrings of the standard library and those packages."""
    seen: dict[str, None] = {}
    for text in _texts():
        for part in text.split("\n\n"):
            clean = " ".join(part.split())
            if 80 <= len(clean) <= 1000 and not clean.startswith(("```", "|", "<", "[![", ">>>")):
                seen.setdefault(clean)
        if len(seen) >= limit:
            break
    return list(seen)[:limit]


def _texts() -> Iterator[str]:
    purelib = Path(sysconfig.get_paths()["purelib"])
    for meta in sorted(purelib.glob("*.dist-info/METADATA")):
        yield meta.read_text(errors="replace").split("\n\n", 1)[-1]
    for root in (Path(sysconfig.get_paths()["stdlib"]), purelib):
        for source in sorted(root.rglob("*.py")):
            try:
                tree = ast.parse(source.read_text(errors="replace"))
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
                    yield ast.get_docstring(node) or ""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(url: str, vectors: np.ndarray, queries: np.ndarray, efs: list[int]) -> dict:
    db = Database(url, pool_size=2)
    index = PostgresIndex(db)
    chunks = [Chunk(f"p{i}", f"passage {i}", "bench.md", f"s{i}") for i in range(len(vectors))]
    started = time.perf_counter()
    index.apply([SourceChange(SourceRecord("/bench.md", "bench.md"), chunks, vectors,
                              list(range(len(chunks))), [])], embedder="all-MiniLM-L6-v2",
                reset=True)
    ingest_s = time.perf_counter() - started
    ids = [c.id for c in chunks]
    exact = [set(ids[i] for i in np.argsort(-(vectors @ q))[:10]) for q in queries]
    result = {"passages": len(vectors), "ingest_s": round(ingest_s, 2), "ef_search": {}}
    for ef in efs:
        index.ef_search = ef
        for q in queries[:20]:  # warm the cache
            index.dense(Query("", q), 10)
        recalls, latencies = [], []
        for q, truth in zip(queries, exact, strict=True):
            t0 = time.perf_counter()
            found = index.dense(Query("", q), 10)
            latencies.append((time.perf_counter() - t0) * 1000)
            recalls.append(len(truth & {cid for cid, _ in found}) / 10)
        result["ef_search"][ef] = {
            "recall@10": round(statistics.mean(recalls), 4),
            "min_recall@10": min(recalls),
            "p50_ms": round(percentile(latencies, 0.5), 2),
            "p95_ms": round(percentile(latencies, 0.95), 2)}
    latencies = []
    with db.connection() as conn:  # exact top 10: an order the HNSW index cannot serve
        for q in queries:
            t0 = time.perf_counter()
            conn.execute("SELECT id FROM chunks ORDER BY (embedding <=> %s) + 0 LIMIT 10",
                         (q,)).fetchall()
            latencies.append((time.perf_counter() - t0) * 1000)
    result["exact_p50_ms"] = round(percentile(latencies, 0.5), 2)
    db.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,5000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ef", default="40,100,200,400")
    parser.add_argument("--vectors", help="a .npy file keeping the embedded texts for next time")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    efs = [int(e) for e in args.ef.split(",")]
    import pgserver
    import psycopg

    texts = paragraphs(max(sizes) + args.queries)
    if len(texts) < max(sizes) + args.queries:
        sys.exit(f"only {len(texts)} paragraphs found; ask for fewer")
    started = time.perf_counter()
    cached = Path(args.vectors) if args.vectors else None
    if cached and cached.exists() and len(np.load(cached)) >= len(texts):
        vectors = np.load(cached)[:len(texts)]  # the same texts, embedded before
    else:
        vectors = load_embedder().embed(texts)
        if cached:
            np.save(cached, vectors)
    embed_s = time.perf_counter() - started
    queries, passages = vectors[:args.queries], vectors[args.queries:]
    with tempfile.TemporaryDirectory(prefix="twin-pg-bench-") as folder:
        server = pgserver.get_server(Path(folder) / "data", cleanup_mode="delete")
        url = server.get_uri()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        runs = [measure(url, passages[:size], queries, efs) for size in sizes]
        server.cleanup()
    print(json.dumps({"model": "all-MiniLM-L6-v2", "queries": args.queries,
                      "embedded": len(texts), "embed_s": round(embed_s, 1), "runs": runs},
                     indent=2))


if __name__ == "__main__":
    main()
