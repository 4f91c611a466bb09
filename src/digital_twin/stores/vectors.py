"""Every passage's vector in one matrix, for exact cosine search in memory.

Built once per index version and then only read: the id-to-row lookup is kept with the matrix
(never rebuilt per query), and the best `n` rows come from a partial sort of the scores.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .records import vector_from_bytes


@dataclass(frozen=True)
class Vectors:
    version: str
    ids: list[str]
    matrix: np.ndarray  # (len(ids), dim) float32, unit rows
    rows: dict[str, int] = field(default_factory=dict)  # id -> row of `matrix`

    @classmethod
    def build(cls, version: str, ids: list[str], matrix: np.ndarray) -> Vectors:
        return cls(version, ids, matrix, {cid: i for i, cid in enumerate(ids)})

    @classmethod
    def load(cls, conn: sqlite3.Connection, version: str) -> Vectors:
        """Read `chunks` straight into one preallocated matrix (no second copy of the blobs);
        the caller holds a read transaction, so the count and the rows agree."""
        total = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        ids: list[str] = []
        matrix = np.zeros((0, 1), dtype=np.float32)
        for i, (cid, blob) in enumerate(conn.execute("SELECT id, embedding FROM chunks "
                                                     "ORDER BY rowid")):
            if i == 0:
                matrix = np.empty((total, len(blob) // 4), dtype=np.float32)
            matrix[i] = vector_from_bytes(blob)
            ids.append(cid)
        return cls.build(version, ids, matrix[:len(ids)])

    def top(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """The `n` rows most similar to `vector`, best first."""
        if not self.ids or n <= 0:
            return []
        scores = self.matrix @ np.asarray(vector, dtype=np.float32)
        if n < len(scores):
            best = np.argpartition(-scores, n - 1)[:n]
            best = best[np.argsort(-scores[best], kind="stable")]
        else:
            best = np.argsort(-scores, kind="stable")
        return [(self.ids[i], float(scores[i])) for i in best]

    def scores(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity to `vector` of the given ids that are in the index."""
        found = [(cid, self.rows[cid]) for cid in ids if cid in self.rows]
        if not found:
            return {}
        values = self.matrix[[row for _, row in found]] @ np.asarray(vector, dtype=np.float32)
        return {cid: float(value) for (cid, _), value in zip(found, values, strict=True)}
