"""The store contracts: an index of passages with their vectors, and the small logs beside it.

An engine implements `Index` (what retrieval reads and the indexer writes) and the logs
(`UsageLog`, `FeedbackLog`, `SessionStore`, `AnswerCache`, `LeadLog`, `RateLimits`). The
service talks to these protocols only, so each engine plugs in without the service knowing:
SQLite or PostgreSQL for everything, or Upstash Vector for the index beside either one's logs.
Records are typed: no engine takes a table name and loose keyword arguments.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from ..profile import Chunk


@dataclass
class SourceRecord:
    """One ingested profile file: who it says the owner is, and its public sections."""

    key: str  # the file's resolved path
    name: str  # the file name shown in citations
    owner: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    ingested_at: float = field(default_factory=time.time)
    # short keyed hashes of the values kept back from it (phones, identity numbers), for the
    # output check: never the values (`profile.sensitive.fingerprints`)
    withheld: list[str] = field(default_factory=list)


@dataclass
class SourceChange:
    """What one ingest does to one source: passages to add, with their vectors and their places
    in the file, and the ids of passages to drop."""

    source: SourceRecord
    upserts: list[Chunk]
    vectors: np.ndarray
    positions: list[int]
    deletes: list[str]


@dataclass(frozen=True)
class Query:
    """A question as an index searches by it: its words, and its vector from the twin's
    embedding model. Each engine reads what it searches by: the vector, or the words when it
    embeds text itself (Upstash Vector's built-in models)."""

    text: str
    vector: np.ndarray


class Index(Protocol):
    """Passages and their vectors. `apply` is atomic: all of it happens, or none of it.

    An index that embeds text itself (`embeds_text`) takes no vectors from the indexer.
    """

    embeds_text: bool

    def apply(self, changes: Sequence[SourceChange], *, embedder: str,
              reset: bool = False) -> None: ...

    def ids(self, source_key: str | None = None) -> set[str]: ...

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]: ...

    def dense(self, query: Query, n: int) -> list[tuple[str, float]]:
        """The `n` passages nearest the question, best first, with their cosine similarity."""
        ...

    def keyword(self, query: str, n: int) -> list[tuple[str, float]]: ...

    def similarity(self, query: Query, ids: Sequence[str]) -> dict[str, float]:
        """The cosine similarity of each of `ids` that the index holds to the question."""
        ...

    unwritable: str | None  # why the index cannot be written now (read-only), else None

    def term_frequencies(self) -> dict[str, int]:
        """How many passages hold each word stem (`text.stems`), for the relevance decision."""
        ...

    def sources(self) -> list[SourceRecord]: ...

    def embedder(self) -> str | None:
        """The name of the embedding model the index was built with, if any."""
        ...

    def version(self) -> str:
        """Changes on every ingest: caches keyed to it go stale with the index."""
        ...

    def count(self) -> int: ...

    def location(self) -> str: ...

    def close(self) -> None: ...


@dataclass
class UsageRecord:
    """One answer: who gave it, what it cost in tokens and time, and how it ended."""

    provider: str
    model: str
    outcome: str  # answered | declined | abandoned
    session_id: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False
    latency_ms: float = 0.0
    fallback_reason: str | None = None
    created_at: float = field(default_factory=time.time)
    question: str | None = None  # None when the owner turned question logging off
    cost_usd: float = 0.0
    ttft_ms: float | None = None  # time to the first piece of the answer
    best_score: float | None = None  # the best passage's similarity to the question
    covered: bool = True  # whether the profile had passages for the question
    cached: bool = False  # answered from the response cache
    answer_id: str | None = None  # what feedback on this answer refers to
    experiment: str | None = None  # the A/B experiment running, and the variant that answered
    variant: str | None = None
    error: str | None = None  # the error that ended the answer, if one did
    answer: str | None = None  # None when the owner turned question logging off

    def fill(self, answer: Any, outcome: str, *, keep_text: bool = True) -> None:
        """Take who answered, the tokens and (if kept) the text from an `Answer`."""
        self.outcome, self.provider, self.model = outcome, answer.provider, answer.model
        self.answer = answer.answer if keep_text else None
        self.fallback_reason = answer.fallback_reason
        self.prompt_tokens = answer.usage["prompt_tokens"]
        self.completion_tokens = answer.usage["completion_tokens"]
        self.estimated = answer.usage["estimated"]


@dataclass
class FeedbackRecord:
    question: str
    answer: str
    rating: int  # 1 or -1
    session_id: str | None = None
    comment: str | None = None
    created_at: float = field(default_factory=time.time)
    answer_id: str | None = None  # the usage row of the answer rated, when the client knows it


@dataclass
class LeadRecord:
    """A visitor who wants to talk to the owner, with what they asked the twin."""

    name: str
    email: str
    message: str
    company: str | None = None
    session_id: str | None = None
    questions: list[str] = field(default_factory=list)
    created_at: float = field(default_factory=time.time)


class LeadLog(Protocol):
    def record_lead(self, record: LeadRecord) -> int: ...

    def leads(self, limit: int = 100, since: float = 0.0) -> list[LeadRecord]: ...


class UsageLog(Protocol):
    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        """Keep a batch of rows, all of them or none (the service batches writes)."""
        ...

    def usage(self, limit: int = 100, since: float = 0.0) -> list[UsageRecord]:
        """The newest rows first, at most `limit`, none older than `since` (epoch seconds)."""
        ...

    def prune(self, before: float) -> int:
        """Drop usage rows older than `before`; how many went."""
        ...

    def close(self) -> None: ...


class FeedbackLog(Protocol):
    def record_feedback(self, record: FeedbackRecord) -> int: ...

    def feedback(self, limit: int = 100, since: float = 0.0) -> list[FeedbackRecord]: ...

    def close(self) -> None: ...


class AnswerCache(Protocol):
    """Answers kept by normalised question, per index version, with the question's vector."""

    def cached(self, key: str, version: str, newer_than: float) -> str | None:
        """The kept answer (JSON) for exactly this question, if any."""
        ...

    def cached_vectors(self, version: str, newer_than: float
                       ) -> list[tuple[str, np.ndarray, str]]:
        """Every kept (key, vector, answer) of this index version."""
        ...

    def keep(self, key: str, version: str, vector: np.ndarray | None, answer: str) -> None: ...


class RateLimits(Protocol):
    """Requests per client in a sliding one-minute window, shared by whoever shares the store
    (the workers on one index file, the replicas on one database)."""

    def hit(self, client: str, per_minute: int) -> float:
        """Count one request from `client` and return 0, or, when it already made `per_minute`
        in the last minute, count nothing and return the seconds until it may ask again."""
        ...

    def close(self) -> None: ...


class SessionStore(Protocol):
    """Conversation history by session id, bounded by time-to-live, count and turns."""

    def history(self, session_id: str) -> list[dict] | None:
        """The turns so far, or None when the session is unknown or expired."""
        ...

    def append(self, session_id: str, question: str, answer: str) -> None: ...

    def forget(self, session_id: str) -> None: ...

    def active(self) -> int: ...

    def close(self) -> None: ...
