"""The Store contract: keep chunks with their vectors, answer dense and keyword searches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from ..profile import Chunk

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class SourceBatch:
    """Everything one profile file yields, keyed by its resolved path."""

    key: str
    name: str
    chunks: list[Chunk]
    owner: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)


@dataclass
class IngestReport:
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    sources: int = 0
    total: int = 0

    def as_dict(self) -> dict[str, int]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class StoredChunk:
    id: str
    title: str
    text: str
    source: str
    section: str
    kind: str


class Store(Protocol):
    def ingest(self, batches: Sequence[SourceBatch], embed: Callable[[list[str]], np.ndarray],
               embedder_name: str, *, reset: bool = False,
               progress: Progress | None = None) -> IngestReport: ...

    def dense(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]: ...

    def keyword(self, query: str, n: int) -> list[tuple[str, float]]: ...

    def get(self, ids: Sequence[str]) -> dict[str, StoredChunk]: ...

    def similarity(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]: ...

    def count(self) -> int: ...

    def info(self) -> dict[str, Any]: ...
