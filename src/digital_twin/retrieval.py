"""Hybrid search: dense and BM25 rankings fused by reciprocal rank fusion.

The relevance floor is a cosine similarity: fused rank says what is *best*, not whether anything
is relevant at all, so a hit must also be close enough in meaning to the question. A strong
keyword match earns a lower floor (names and acronyms embed poorly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .embeddings import Embedder
from .stores.base import Index

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
CANDIDATES = 30
KEYWORD_FLOOR_FACTOR = 0.6


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    text: str
    score: float
    source: str
    section: str = ""
    kind: str = ""
    similarity: float = 0.0

    def public(self) -> dict:
        """A passage's one public shape: `twin search --json`, the API and MCP all show this."""
        return {"id": self.id, "title": self.title, "text": self.text,
                "score": round(self.score, 6), "source": self.source, "section": self.section}


def rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank + 1)
    return fused


class Retriever:
    def __init__(self, store: Index, embedder: Embedder, *, top_k: int = 5,
                 min_score: float = 0.25):
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.min_score = min_score

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        k = k or self.top_k
        vector = self.embedder.embed([query])[0]
        dense = self.store.dense(vector, CANDIDATES) if mode != "bm25" else []
        keyword = self.store.keyword(query, CANDIDATES) if mode != "dense" else []
        if mode == "dense":
            fused = {cid: s for cid, s in dense}
        elif mode == "bm25":
            fused = {cid: s for cid, s in keyword}
        else:
            fused = rrf([[cid for cid, _ in dense], [cid for cid, _ in keyword]])
        similarity = dict(dense)
        missing = [cid for cid in fused if cid not in similarity]
        similarity.update(self.store.similarity(vector, missing))
        keyword_ids = {cid for cid, _ in keyword}

        def relevant(cid: str) -> bool:
            floor = self.min_score * (KEYWORD_FLOOR_FACTOR if cid in keyword_ids else 1.0)
            return similarity.get(cid, -1.0) >= floor

        ranked = sorted((cid for cid in fused if relevant(cid)), key=lambda c: -fused[c])[:k]
        chunks = self.store.get(ranked)
        return [
            Hit(cid, chunks[cid].title, chunks[cid].text, fused[cid], chunks[cid].source,
                chunks[cid].section, chunks[cid].kind, similarity.get(cid, 0.0))
            for cid in ranked if cid in chunks
        ]
