"""The embedded default: one SQLite file with chunks, their vectors and an FTS5 index.

Vectors are float32 blobs; search is exact cosine over a matrix kept in memory and reloaded
only when the index's generation changes. At profile scale (thousands of chunks) that is well
under a millisecond. Every ingest is one transaction: a failure leaves the old index whole.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexNotReadyError
from ..text import keyword_terms, stems
from .base import IngestReport, Progress, SourceBatch, StoredChunk

MIGRATIONS: list[str] = [
    # 1: chunks, their full-text index, and where they came from
    """
    CREATE TABLE chunks (
        id TEXT PRIMARY KEY, source_key TEXT NOT NULL, source TEXT NOT NULL,
        section TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
        position INTEGER NOT NULL, embedding BLOB NOT NULL
    );
    CREATE INDEX chunks_source ON chunks(source_key);
    CREATE VIRTUAL TABLE chunks_fts USING fts5(id UNINDEXED, title, text,
        tokenize = 'porter unicode61 remove_diacritics 2');
    CREATE TABLE sources (
        key TEXT PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL, sections TEXT NOT NULL,
        ingested_at REAL NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: what visitors said about answers, and what each answer cost
    """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL, session_id TEXT,
        question TEXT NOT NULL, answer TEXT NOT NULL, rating INTEGER NOT NULL, comment TEXT
    );
    CREATE TABLE usage (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL, provider TEXT NOT NULL,
        model TEXT NOT NULL, prompt_tokens INTEGER, completion_tokens INTEGER,
        latency_ms REAL, fallback_reason TEXT
    );
    """,
]

class SQLiteStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, check_same_thread=False, timeout=30, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()
        self._matrix: tuple[str, list[str], np.ndarray] | None = None
        self._terms: tuple[str, dict[str, int]] | None = None

    # ---- schema ------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self._conn.executescript(
                    f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # ---- writing -----------------------------------------------------------------------------
    def ingest(self, batches: Sequence[SourceBatch], embed: Callable[[list[str]], np.ndarray],
               embedder_name: str, *, reset: bool = False,
               progress: Progress | None = None) -> IngestReport:
        with self._lock:
            built_with = self._meta("embedder")
            if built_with and built_with != embedder_name and not reset:
                raise IndexNotReadyError(
                    f"The index at {self.path} was built with '{built_with}', not "
                    f"'{embedder_name}'.", hint="Run `twin ingest --reset PATH...` to rebuild it.")
            existing = set() if reset else {
                row[0] for row in self._conn.execute("SELECT id FROM chunks")}
            wanted = {c.id: c for batch in batches for c in batch.chunks}
            fresh = [c for cid, c in wanted.items() if cid not in existing]
            vectors = self._embed(fresh, embed, progress)

            source_of = {c.id: b.key for b in batches for c in b.chunks}
            order = {cid: i for i, cid in enumerate(wanted)}
            report = IngestReport(sources=len(batches))
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                if reset:
                    for table in ("chunks", "chunks_fts", "sources"):
                        conn.execute(f"DELETE FROM {table}")
                for batch in batches:
                    keep = {c.id for c in batch.chunks}
                    stale = [r[0] for r in conn.execute(
                        "SELECT id FROM chunks WHERE source_key = ?", (batch.key,))
                        if r[0] not in keep]
                    self._delete(stale)
                    report.removed += len(stale)
                    conn.execute(
                        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
                        (batch.key, batch.name, json.dumps(batch.owner),
                         json.dumps(batch.sections), time.time()))
                for chunk, vector in zip(fresh, vectors, strict=True):
                    self._delete([chunk.id])  # same passage moved between files
                    conn.execute(
                        "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (chunk.id, source_of[chunk.id], chunk.source, chunk.section, chunk.title,
                         chunk.text, chunk.kind, order[chunk.id], vector.astype(np.float32).tobytes()))
                    conn.execute("INSERT INTO chunks_fts (id, title, text) VALUES (?, ?, ?)",
                                 (chunk.id, chunk.title, chunk.text))
                report.added = len(fresh)
                report.unchanged = len(wanted) - len(fresh)
                generation = int(self._meta("generation") or 0) + 1
                conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
                    ("embedder", embedder_name), ("generation", str(generation))])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            report.total = self.count()
            return report

    def _embed(self, chunks, embed, progress: Progress | None) -> np.ndarray:
        texts = [f"{c.title}\n{c.text}" for c in chunks]
        out, batch = [], 32
        if progress:
            progress(0, len(texts))
        for start in range(0, len(texts), batch):
            out.append(embed(texts[start:start + batch]))
            if progress:
                progress(min(start + batch, len(texts)), len(texts))
        return np.concatenate(out) if out else np.zeros((0, 1), dtype=np.float32)

    def _delete(self, ids: Sequence[str]) -> None:
        for cid in ids:
            self._conn.execute("DELETE FROM chunks WHERE id = ?", (cid,))
            self._conn.execute("DELETE FROM chunks_fts WHERE id = ?", (cid,))

    # ---- reading -----------------------------------------------------------------------------
    def _vectors(self) -> tuple[list[str], np.ndarray]:
        with self._lock:
            generation = self._meta("generation") or "0"
            if self._matrix is None or self._matrix[0] != generation:
                rows = self._conn.execute("SELECT id, embedding FROM chunks ORDER BY rowid")
                ids, blobs = [], []
                for row in rows:
                    ids.append(row[0])
                    blobs.append(np.frombuffer(row[1], dtype=np.float32))
                matrix = np.vstack(blobs) if blobs else np.zeros((0, 1), dtype=np.float32)
                self._matrix = (generation, ids, matrix)
            return self._matrix[1], self._matrix[2]

    def dense(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        ids, matrix = self._vectors()
        if not ids:
            return []
        scores = matrix @ vector.astype(np.float32)
        top = np.argsort(-scores)[:n]
        return [(ids[i], float(scores[i])) for i in top]

    def similarity(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        all_ids, matrix = self._vectors()
        where = {cid: i for i, cid in enumerate(all_ids)}
        return {cid: float(matrix[where[cid]] @ vector) for cid in ids if cid in where}

    def keyword(self, query: str, n: int) -> list[tuple[str, float]]:
        terms = keyword_terms(query)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, bm25(chunks_fts, 0.0, 2.0, 1.0) AS rank FROM chunks_fts "
                "WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?", (match, n)).fetchall()
        return [(row[0], -float(row[1])) for row in rows]

    def term_frequencies(self) -> dict[str, int]:
        """How many passages hold each word stem (titles included), for the relevance decision."""
        with self._lock:
            generation = self._meta("generation") or "0"
            if self._terms is None or self._terms[0] != generation:
                counts: dict[str, int] = {}
                for title, text in self._conn.execute("SELECT title, text FROM chunks"):
                    for term in stems(f"{title} {text}"):
                        counts[term] = counts.get(term, 0) + 1
                self._terms = (generation, counts)
            return self._terms[1]

    def get(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT id, title, text, source, section, kind FROM chunks WHERE id IN ({marks})",
                list(ids)).fetchall()
        return {row["id"]: StoredChunk(*row) for row in rows}

    def all_chunks(self) -> list[StoredChunk]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, title, text, source, section, kind FROM chunks ORDER BY source, position"
            ).fetchall()
        return [StoredChunk(*row) for row in rows]

    def sources(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, name, owner, sections, ingested_at FROM sources ORDER BY ingested_at"
            ).fetchall()
        return [{"key": r[0], "name": r[1], "owner": json.loads(r[2]),
                 "sections": json.loads(r[3]), "ingested_at": r[4]} for r in rows]

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def owners(self) -> list[dict[str, Any]]:
        """Who each ingested file says the owner is, oldest first."""
        with self._lock:
            rows = self._conn.execute("SELECT owner FROM sources ORDER BY ingested_at").fetchall()
        return [json.loads(r[0]) for r in rows]

    def info(self) -> dict[str, Any]:
        with self._lock:
            names = [r[0] for r in self._conn.execute(
                "SELECT name FROM sources ORDER BY ingested_at")]
            return {"path": str(self.path), "chunks": self.count(),
                    "embedder": self._meta("embedder"), "sources": names}

    # ---- feedback and usage ------------------------------------------------------------------
    def record(self, table: str, **values: Any) -> int:
        if table not in ("feedback", "usage"):
            raise ValueError(table)
        values.setdefault("created_at", time.time())
        names = ", ".join(values)
        marks = ", ".join("?" * len(values))
        with self._lock:
            cursor = self._conn.execute(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", list(values.values()))
            return int(cursor.lastrowid)

    def rows(self, table: str, limit: int = 100) -> list[dict[str, Any]]:
        if table not in ("feedback", "usage"):
            raise ValueError(table)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT * FROM {table} ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]
