"""Usage, feedback and leads, conversations, the answer cache and rate limits: one SQL
implementation of each contract, over the small dialect an engine gives (`sqlite.SQLiteDialect`,
`postgres.PostgresDialect`).

Every worker and replica that opens the same file or database reads and writes the same rows: a
follow-up keeps its context whichever one answers it, and a client's requests count against one
limit wherever they land. A read-modify-write step (a conversation's next turn, a rate-limit
hit) runs in the dialect's locked transaction, so two of them never interleave.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import numpy as np

from .base import FeedbackRecord, LeadRecord, UsageRecord
from .failures import storage_errors
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

SESSION_LOCKS, RATE_LOCKS = 1, 2  # the first part of the key each kind of step locks


class Dialect(Protocol):
    """What differs between engines, and nothing else."""

    where: str  # a path, or a database address without its password
    errors: type[Exception]  # the driver's errors, reported as `StorageError`
    unlimited: str  # LIMIT's "no limit" ("-1", "ALL")

    def hint(self, exc: Exception) -> str: ...

    def sql(self, text: str) -> str:
        """A statement written with `?` placeholders, in the driver's own."""
        ...

    def connection(self) -> AbstractContextManager[Any]:
        """A connection whose statements each commit."""
        ...

    def transaction(self, key: tuple[int, str] | None = None, *,
                    durable: bool = True) -> AbstractContextManager[Any]:
        """One transaction, holding `key` (or the whole store) until it ends. Not `durable`:
        for state that is cheap to lose, its commit need not wait for the disk."""
        ...

    def now(self, conn: Any) -> float:
        """Seconds since the epoch, on a clock every worker and replica shares."""
        ...

    def close(self) -> None: ...


class _SQL:
    def __init__(self, dialect: Dialect):
        self.dialect, self.where = dialect, dialect.where

    def _run(self, conn, text: str, args: Sequence = ()):
        return conn.execute(self.dialect.sql(text), tuple(args))

    def close(self) -> None:
        self.dialect.close()


@storage_errors(None, None)
class SQLUsage(_SQL):
    """Usage and feedback (`UsageLog`, `FeedbackLog`), and leads (`LeadLog`)."""

    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        with self.dialect.transaction() as conn:
            conn.cursor().executemany(self.dialect.sql(_insert("usage", USAGE_COLUMNS)),
                                      [usage_row(record) for record in records])

    def usage(self, limit: int = 100, since: float = 0.0) -> list[UsageRecord]:
        return [usage_record(row) for row in self._recent("usage", USAGE_COLUMNS, limit, since)]

    def prune(self, before: float) -> int:
        with self.dialect.connection() as conn:
            return self._run(conn, "DELETE FROM usage WHERE created_at < ?", (before,)).rowcount

    def record_feedback(self, record: FeedbackRecord) -> int:
        return self._insert("feedback", FEEDBACK_COLUMNS, feedback_row(record))

    def feedback(self, limit: int = 100, since: float = 0.0) -> list[FeedbackRecord]:
        return [feedback_record(row)
                for row in self._recent("feedback", FEEDBACK_COLUMNS, limit, since)]

    def record_lead(self, record: LeadRecord) -> int:
        return self._insert("leads", LEAD_COLUMNS, lead_row(record))

    def leads(self, limit: int = 100, since: float = 0.0) -> list[LeadRecord]:
        return [lead_record(row) for row in self._recent("leads", LEAD_COLUMNS, limit, since)]

    def _insert(self, table: str, names: list[str], values: tuple) -> int:
        with self.dialect.connection() as conn:
            return int(self._run(conn, _insert(table, names) + " RETURNING id",
                                 values).fetchall()[0][0])

    def _recent(self, table: str, names: list[str], limit: int, since: float) -> list[dict]:
        with self.dialect.connection() as conn:
            rows = self._run(conn, f"SELECT {', '.join(names)} FROM {table} "
                                   "WHERE created_at >= ? ORDER BY id DESC LIMIT ?",
                             (since, limit)).fetchall()
        return [dict(zip(names, row, strict=True)) for row in rows]


def _insert(table: str, names: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


@storage_errors(None, None)
class SQLConversations(_SQL):
    """Conversations (`SessionStore`): the last `session_turns` of each, for `session_ttl`
    seconds, at most `max_sessions` of them."""

    def __init__(self, dialect: Dialect, *, session_ttl: float = 1800.0,
                 max_sessions: int = 1000, session_turns: int = 20):
        super().__init__(dialect)
        self.session_ttl, self.max_sessions = session_ttl, max_sessions
        self.session_turns = session_turns

    def history(self, session_id: str) -> list[dict] | None:
        with self.dialect.connection() as conn:
            row = self._run(conn, "SELECT history FROM sessions WHERE id = ? AND updated_at > ?",
                            (session_id, time.time() - self.session_ttl)).fetchone()
        return json.loads(row[0]) if row else None

    def append(self, session_id: str, question: str, answer: str) -> None:
        """Add a turn, keep the last `session_turns`, and drop expired and surplus sessions."""
        now = time.time()
        with self.dialect.transaction((SESSION_LOCKS, session_id), durable=False) as conn:
            row = self._run(conn, "SELECT history, updated_at FROM sessions WHERE id = ?",
                            (session_id,)).fetchone()
            kept = row[0] if row and row[1] > now - self.session_ttl else None
            self._run(conn, "INSERT INTO sessions VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE "
                            "SET updated_at = excluded.updated_at, history = excluded.history",
                      (session_id, now, grown_history(kept, question, answer,
                                                      self.session_turns)))
            self._run(conn, "DELETE FROM sessions WHERE updated_at <= ?",
                      (now - self.session_ttl,))
            self._run(conn, "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY "
                            f"updated_at DESC LIMIT {self.dialect.unlimited} OFFSET ?)",
                      (self.max_sessions,))

    def forget(self, session_id: str) -> None:
        with self.dialect.connection() as conn:
            self._run(conn, "DELETE FROM sessions WHERE id = ?", (session_id,))

    def active(self) -> int:
        with self.dialect.connection() as conn:
            return self._run(conn, "SELECT count(*) FROM sessions WHERE updated_at > ?",
                             (time.time() - self.session_ttl,)).fetchone()[0]


@storage_errors(None, None)
class SQLAnswerCache(_SQL):
    """Answers kept for repeated questions (`AnswerCache`), for one index version at a time."""

    def cached(self, key: str, version: str, newer_than: float) -> str | None:
        with self.dialect.connection() as conn:
            row = self._run(conn, "SELECT answer FROM answer_cache WHERE key = ? AND version = ? "
                                  "AND created_at > ?", (key, version, newer_than)).fetchone()
        return row[0] if row else None

    def cached_vectors(self, version: str, newer_than: float
                       ) -> list[tuple[str, np.ndarray, str]]:
        with self.dialect.connection() as conn:
            rows = self._run(conn, "SELECT key, vector, answer FROM answer_cache WHERE "
                                   "version = ? AND created_at > ? AND vector IS NOT NULL",
                             (version, newer_than)).fetchall()
        return [(key, vector_from_bytes(blob), answer) for key, blob, answer in rows]

    def keep(self, key: str, version: str, vector: np.ndarray | None, answer: str) -> None:
        with self.dialect.transaction(durable=False) as conn:
            self._run(conn, "INSERT INTO answer_cache VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT (key, version) DO UPDATE SET "
                            "created_at = excluded.created_at, vector = excluded.vector, "
                            "answer = excluded.answer",
                      (key, version, time.time(), vector_bytes(vector), answer))
            self._run(conn, "DELETE FROM answer_cache WHERE version != ?", (version,))


@storage_errors(None, None)
class SQLRateLimits(_SQL):
    """Requests per client in the last minute (`RateLimits`), on the dialect's shared clock,
    so workers and replicas whose clocks differ still agree on the window."""

    PRUNE_EVERY = 200  # hits between sweeps of every client's expired rows

    def __init__(self, dialect: Dialect):
        super().__init__(dialect)
        self._hits = 0

    def hit(self, client: str, per_minute: int) -> float:
        self._hits += 1
        with self.dialect.transaction((RATE_LOCKS, client), durable=False) as conn:
            now = self.dialect.now(conn)
            if self._hits % self.PRUNE_EVERY == 0:
                self._run(conn, "DELETE FROM rate_hits WHERE at <= ?", (now - WINDOW,))
            self._run(conn, "DELETE FROM rate_hits WHERE client = ? AND at <= ?",
                      (client, now - WINDOW))
            hits = [row[0] for row in self._run(
                conn, "SELECT at FROM rate_hits WHERE client = ? ORDER BY at", (client,))]
            wait = window_wait(hits, now, per_minute)
            if not wait:
                self._run(conn, "INSERT INTO rate_hits VALUES (?, ?)", (client, now))
        return wait
