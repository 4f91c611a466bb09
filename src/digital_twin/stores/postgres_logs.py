"""Usage, feedback, leads, conversations, the answer cache and rate limits, in PostgreSQL.

Every replica reads and writes the same rows: a follow-up keeps its context whichever replica
answers it, and a client's requests count against one limit wherever they land. Read-modify-write
steps (a conversation's next turn, a rate-limit hit) hold a transaction-scoped advisory lock on
their key, so two replicas never interleave them. Rate limits use the database's clock, so
replicas whose clocks differ still agree on the window.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import numpy as np

from .base import FeedbackRecord, LeadRecord, UsageRecord
from .postgres import Database, storage_errors
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

SESSION_LOCKS, RATE_LOCKS = 1, 2  # the first key of the advisory locks each kind takes
PRUNE_EVERY = 200  # rate-limit hits between sweeps of every client's expired rows


def _insert(table: str, names: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"


@storage_errors
class PostgresLogs:
    def __init__(self, db: Database, *, session_ttl: float = 1800.0, max_sessions: int = 1000,
                 session_turns: int = 20):
        self.db, self.where = db, db.where
        self.session_ttl = session_ttl
        self.max_sessions = max_sessions
        self.session_turns = session_turns
        self._hits = 0

    def close(self) -> None:
        self.db.close()

    # ---- usage and feedback ------------------------------------------------------------------
    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        with self.db.transaction() as conn:
            conn.cursor().executemany(_insert("usage", USAGE_COLUMNS),
                                      [usage_row(record) for record in records])

    def usage(self, limit: int = 100, since: float = 0.0) -> list[UsageRecord]:
        return [usage_record(row) for row in self._recent("usage", USAGE_COLUMNS, limit, since)]

    def prune(self, before: float) -> int:
        with self.db.connection() as conn:
            return conn.execute("DELETE FROM usage WHERE created_at < %s", (before,)).rowcount

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
        with self.db.connection() as conn:
            return conn.execute(_insert(table, names) + " RETURNING id", values).fetchone()[0]

    def _recent(self, table: str, names: list[str], limit: int, since: float) -> list[dict]:
        with self.db.connection() as conn:
            cursor = conn.execute(f"SELECT {', '.join(names)} FROM {table} "
                                  "WHERE created_at >= %s ORDER BY id DESC LIMIT %s",
                                  (since, limit))
            return [dict(zip(names, row, strict=True)) for row in cursor]

    # ---- the answer cache --------------------------------------------------------------------
    def cached(self, key: str, version: str, newer_than: float) -> str | None:
        with self.db.connection() as conn:
            row = conn.execute("SELECT answer FROM answer_cache WHERE key = %s AND version = %s "
                               "AND created_at > %s", (key, version, newer_than)).fetchone()
        return row[0] if row else None

    def cached_vectors(self, version: str, newer_than: float
                       ) -> list[tuple[str, np.ndarray, str]]:
        with self.db.connection() as conn:
            rows = conn.execute(
                "SELECT key, vector, answer FROM answer_cache WHERE version = %s AND "
                "created_at > %s AND vector IS NOT NULL", (version, newer_than)).fetchall()
        return [(key, vector_from_bytes(blob), answer) for key, blob, answer in rows]

    def keep(self, key: str, version: str, vector: np.ndarray | None, answer: str) -> None:
        with self.db.transaction(durable=False) as conn:
            conn.execute(
                "INSERT INTO answer_cache VALUES (%s, %s, %s, %s, %s) ON CONFLICT (key, version) "
                "DO UPDATE SET created_at = excluded.created_at, vector = excluded.vector, "
                "answer = excluded.answer", (key, version, time.time(), vector_bytes(vector),
                                             answer))
            conn.execute("DELETE FROM answer_cache WHERE version != %s", (version,))

    # ---- conversations -----------------------------------------------------------------------
    def history(self, session_id: str) -> list[dict] | None:
        with self.db.connection() as conn:
            row = conn.execute("SELECT history FROM sessions WHERE id = %s AND updated_at > %s",
                               (session_id, time.time() - self.session_ttl)).fetchone()
        return json.loads(row[0]) if row else None

    def append(self, session_id: str, question: str, answer: str) -> None:
        """Add a turn, keep the last `session_turns`, and drop expired and surplus sessions."""
        now = time.time()
        with self.db.transaction(durable=False) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                         (SESSION_LOCKS, session_id))
            row = conn.execute("SELECT history, updated_at FROM sessions WHERE id = %s",
                               (session_id,)).fetchone()
            kept = row[0] if row and row[1] > now - self.session_ttl else None
            conn.execute(
                "INSERT INTO sessions VALUES (%s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                "updated_at = excluded.updated_at, history = excluded.history",
                (session_id, now, grown_history(kept, question, answer, self.session_turns)))
            conn.execute("DELETE FROM sessions WHERE updated_at <= %s", (now - self.session_ttl,))
            conn.execute("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
                         "ORDER BY updated_at DESC OFFSET %s)", (self.max_sessions,))

    def forget(self, session_id: str) -> None:
        with self.db.connection() as conn:
            conn.execute("DELETE FROM sessions WHERE id = %s", (session_id,))

    def active(self) -> int:
        with self.db.connection() as conn:
            return conn.execute("SELECT count(*) FROM sessions WHERE updated_at > %s",
                                (time.time() - self.session_ttl,)).fetchone()[0]

    # ---- rate limits -------------------------------------------------------------------------
    def hit(self, client: str, per_minute: int) -> float:
        self._hits += 1
        with self.db.transaction(durable=False) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (RATE_LOCKS, client))
            now = conn.execute("SELECT extract(epoch FROM clock_timestamp())::float8"
                               ).fetchone()[0]
            if self._hits % PRUNE_EVERY == 0:
                conn.execute("DELETE FROM rate_hits WHERE at <= %s", (now - WINDOW,))
            conn.execute("DELETE FROM rate_hits WHERE client = %s AND at <= %s",
                         (client, now - WINDOW))
            hits = [row[0] for row in conn.execute(
                "SELECT at FROM rate_hits WHERE client = %s ORDER BY at", (client,))]
            wait = window_wait(hits, now, per_minute)
            if not wait:
                conn.execute("INSERT INTO rate_hits VALUES (%s, %s)", (client, now))
        return wait
