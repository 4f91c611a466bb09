"""Records to rows and back, and the small rules every engine applies the same way.

The engines differ in SQL, not in what a row holds: a usage row is the `UsageRecord`'s fields in
order, a lead keeps its questions as JSON, a cached vector is float32 bytes, a conversation
keeps its last turns, and a rate limit is a sliding one-minute window.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, astuple, fields
from typing import Any

import numpy as np

from .base import FeedbackRecord, LeadRecord, SourceRecord, UsageRecord

USAGE_COLUMNS = [f.name for f in fields(UsageRecord)]
FEEDBACK_COLUMNS = [f.name for f in fields(FeedbackRecord)]
LEAD_COLUMNS = [f.name for f in fields(LeadRecord)]
USAGE_FLAGS = ("estimated", "covered", "cached")
WINDOW = 60.0  # seconds: rate limits count the requests of the last minute


def usage_row(record: UsageRecord) -> tuple:
    return astuple(record)


def usage_record(row: Mapping[str, Any]) -> UsageRecord:
    """SQLite keeps flags as integers; the record has booleans."""
    return UsageRecord(**{**row, **{flag: bool(row[flag]) for flag in USAGE_FLAGS}})


def feedback_row(record: FeedbackRecord) -> tuple:
    return astuple(record)


def feedback_record(row: Mapping[str, Any]) -> FeedbackRecord:
    return FeedbackRecord(**row)


def lead_row(record: LeadRecord) -> tuple:
    row = {**asdict(record), "questions": json.dumps(record.questions)}
    return tuple(row[name] for name in LEAD_COLUMNS)


def lead_record(row: Mapping[str, Any]) -> LeadRecord:
    return LeadRecord(**{**row, "questions": json.loads(row["questions"])})


def source_row(source: SourceRecord) -> tuple:
    """(key, name, owner, sections, ingested_at, withheld), the JSON kept as written (order
    matters)."""
    return (source.key, source.name, json.dumps(source.owner), json.dumps(source.sections),
            source.ingested_at, json.dumps(source.withheld))


def source_record(row: Sequence[Any]) -> SourceRecord:
    return SourceRecord(row[0], row[1], json.loads(row[2]), json.loads(row[3]), row[4],
                        json.loads(row[5] or "[]"))


def vector_bytes(vector: np.ndarray | None) -> bytes | None:
    return None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()


def vector_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


def vector_matrix(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    """Rows of one length (0 when the index embeds text itself) as a float32 matrix."""
    if not len(vectors):
        return np.zeros((0, 0), dtype=np.float32)
    return np.array(vectors, dtype=np.float32).reshape(len(vectors), -1)


def grown_history(kept: str | None, question: str, answer: str, turns: int) -> str:
    """A conversation's JSON with one more turn, only its last `turns` turns kept; `kept` is
    None when the session is new or has expired."""
    turn = [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    history = [*(json.loads(kept) if kept else []), *turn]
    return json.dumps(history[-2 * turns:])


def window_wait(hits: Sequence[float], now: float, per_minute: int) -> float:
    """Seconds a client must wait, given the times (oldest first) of its requests in the last
    minute that were let through; 0 when one more may go now."""
    if len(hits) < per_minute:
        return 0.0
    return max(0.0, WINDOW - (now - hits[len(hits) - per_minute]))
