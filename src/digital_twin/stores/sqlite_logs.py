"""Usage, feedback and conversations, kept in the index's SQLite file.

Every worker of `twin serve --workers N` opens the same file, so a follow-up keeps its context
whichever worker answers it. Times are wall-clock seconds, comparable across processes.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .base import FeedbackRecord, LeadRecord, UsageRecord
from .records import (
    FEEDBACK_COLUMNS,
    LEAD_COLUMNS,
    USAGE_COLUMNS,
    WINDOW,
    feedback_record,
    feedback_row,
    grown_history,
    lead_record,
    lead_row,
    usage_record,
    usage_row,
    vector_bytes,
    vector_from_bytes,
    window_wait,
)
from .sqlite import connect, storage_errors


@storage_errors
class SQLiteLogs:
    def __init__(self, path: Path | str, *, session_ttl: float = 1800.0,
                 max_sessions: int = 1000, session_turns: int = 20):
        self.path = Path(path)
        self.where = str(self.path)
        self.session_ttl = session_ttl
        self.max_sessions = max_sessions
        self.session_turns = session_turns
        self._lock = threading.Lock()
        self._conn = connect(self.path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ---- usage and feedback ------------------------------------------------------------------
    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        with self._transaction() as conn:
            conn.executemany(
                f"INSERT INTO usage ({', '.join(USAGE_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(USAGE_COLUMNS))})",
                [usage_row(record) for record in records])

    @contextmanager
    def _transaction(self):
        """One write transaction, taken at once (read-modify-write across workers)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def usage(self, limit: int = 100, since: float = 0.0) -> list[UsageRecord]:
        return [usage_record(row) for row in self._recent("usage", USAGE_COLUMNS, limit, since)]

    def prune(self, before: float) -> int:
        with self._lock:
            return self._conn.execute("DELETE FROM usage WHERE created_at < ?",
                                      (before,)).rowcount

    def record_feedback(self, record: FeedbackRecord) -> int:
        return self._insert("feedback", FEEDBACK_COLUMNS, feedback_row(record))

    def feedback(self, limit: int = 100, since: float = 0.0) -> list[FeedbackRecord]:
        return [feedback_record(row)
                for row in self._recent("feedback", FEEDBACK_COLUMNS, limit, since)]

    def _insert(self, table: str, names: list[str], values: tuple) -> int:
        with self._lock:
            cursor = self._conn.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                values)
            return int(cursor.lastrowid)

    def _recent(self, table: str, names: list[str], limit: int, since: float) -> list[dict]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {', '.join(names)} FROM {table} WHERE created_at >= ? "
                "ORDER BY id DESC LIMIT ?", (since, limit)).fetchall()
        return [dict(row) for row in rows]

    # ---- leads -------------------------------------------------------------------------------
    def record_lead(self, record: LeadRecord) -> int:
        return self._insert("leads", LEAD_COLUMNS, lead_row(record))

    def leads(self, limit: int = 100, since: float = 0.0) -> list[LeadRecord]:
        return [lead_record(row) for row in self._recent("leads", LEAD_COLUMNS, limit, since)]

    # ---- the answer cache --------------------------------------------------------------------
    def cached(self, key: str, version: str, newer_than: float) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT answer FROM answer_cache WHERE key = ? AND version = ? "
                "AND created_at > ?", (key, version, newer_than)).fetchone()
        return row[0] if row else None

    def cached_vectors(self, version: str, newer_than: float
                       ) -> list[tuple[str, np.ndarray, str]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, vector, answer FROM answer_cache WHERE version = ? AND "
                "created_at > ? AND vector IS NOT NULL", (version, newer_than)).fetchall()
        return [(r[0], vector_from_bytes(r[1]), r[2]) for r in rows]

    def keep(self, key: str, version: str, vector: np.ndarray | None, answer: str) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO answer_cache VALUES (?, ?, ?, ?, ?)",
                               (key, version, time.time(), vector_bytes(vector), answer))
            self._conn.execute("DELETE FROM answer_cache WHERE version != ?", (version,))

    # ---- conversations -----------------------------------------------------------------------
    def history(self, session_id: str) -> list[dict] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT history FROM sessions WHERE id = ? AND updated_at > ?",
                (session_id, time.time() - self.session_ttl)).fetchone()
        return json.loads(row[0]) if row else None

    def append(self, session_id: str, question: str, answer: str) -> None:
        """Add a turn, keep the last `session_turns`, and drop expired and surplus sessions."""
        now = time.time()
        with self._transaction() as conn:
            row = conn.execute("SELECT history, updated_at FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
            kept = row[0] if row and row[1] > now - self.session_ttl else None
            conn.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)",
                         (session_id, now, grown_history(kept, question, answer,
                                                         self.session_turns)))
            conn.execute("DELETE FROM sessions WHERE updated_at <= ?",
                         (now - self.session_ttl,))
            conn.execute(
                "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
                "ORDER BY updated_at DESC LIMIT -1 OFFSET ?)", (self.max_sessions,))

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def active(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM sessions WHERE updated_at > ?",
                                      (time.time() - self.session_ttl,)).fetchone()[0]


@storage_errors
class SQLiteRateLimits:
    """Requests per client in the last minute, in the index file: every worker of
    `twin serve --workers N` counts against the same limit, on a connection of its own."""

    PRUNE_EVERY = 200  # hits between sweeps of every client's expired rows

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.where = str(self.path)
        self._lock = threading.Lock()
        self._conn = connect(self.path)
        self._hits = 0

    def hit(self, client: str, per_minute: int) -> float:
        now = time.time()
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._hits += 1
                if self._hits % self.PRUNE_EVERY == 0:
                    conn.execute("DELETE FROM rate_hits WHERE at <= ?", (now - WINDOW,))
                conn.execute("DELETE FROM rate_hits WHERE client = ? AND at <= ?",
                             (client, now - WINDOW))
                hits = [row[0] for row in conn.execute(
                    "SELECT at FROM rate_hits WHERE client = ? ORDER BY at", (client,))]
                wait = window_wait(hits, now, per_minute)
                if not wait:
                    conn.execute("INSERT INTO rate_hits VALUES (?, ?)", (client, now))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return wait

    def close(self) -> None:
        with self._lock:
            self._conn.close()
