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
from dataclasses import asdict, astuple, fields
from pathlib import Path

import numpy as np

from .base import FeedbackRecord, LeadRecord, UsageRecord
from .sqlite import connect, storage_errors

_USAGE = [f.name for f in fields(UsageRecord)]
_FEEDBACK = [f.name for f in fields(FeedbackRecord)]


@storage_errors
class SQLiteLogs:
    def __init__(self, path: Path | str, *, session_ttl: float = 1800.0,
                 max_sessions: int = 1000, session_turns: int = 20):
        self.path = Path(path)
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
                f"INSERT INTO usage ({', '.join(_USAGE)}) VALUES ({', '.join('?' * len(_USAGE))})",
                [astuple(record) for record in records])

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
        return [UsageRecord(**{**row, **{flag: bool(row[flag])
                                         for flag in ("estimated", "covered", "cached")}})
                for row in self._recent("usage", _USAGE, limit, since)]

    def prune(self, before: float) -> int:
        with self._lock:
            return self._conn.execute("DELETE FROM usage WHERE created_at < ?",
                                      (before,)).rowcount

    def record_feedback(self, record: FeedbackRecord) -> int:
        return self._insert("feedback", _FEEDBACK, astuple(record))

    def feedback(self, limit: int = 100, since: float = 0.0) -> list[FeedbackRecord]:
        return [FeedbackRecord(**row)
                for row in self._recent("feedback", _FEEDBACK, limit, since)]

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
        row = {**asdict(record), "questions": json.dumps(record.questions)}
        return self._insert("leads", list(row), tuple(row.values()))

    def leads(self, limit: int = 100, since: float = 0.0) -> list[LeadRecord]:
        names = [f.name for f in fields(LeadRecord)]
        return [LeadRecord(**{**row, "questions": json.loads(row["questions"])})
                for row in self._recent("leads", names, limit, since)]

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
        return [(r[0], np.frombuffer(r[1], dtype=np.float32), r[2]) for r in rows]

    def keep(self, key: str, version: str, vector: np.ndarray | None, answer: str) -> None:
        blob = None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO answer_cache VALUES (?, ?, ?, ?, ?)",
                               (key, version, time.time(), blob, answer))
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
        turn = [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
        with self._transaction() as conn:
            row = conn.execute("SELECT history, updated_at FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
            live = row and row[1] > now - self.session_ttl
            history = [*(json.loads(row[0]) if live else []), *turn]
            history = history[-2 * self.session_turns:]
            conn.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)",
                         (session_id, now, json.dumps(history)))
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
