"""Answers kept for repeated questions: the same question (normalised), or with `semantic`, a
question close enough in meaning. Entries belong to one index version, so a re-ingest makes
them stale, and live `TWIN_CACHE_TTL` seconds. Only first questions of a conversation are
looked up (a follow-up depends on what came before), and only complete LLM-or-profile answers
that did not fall back are kept."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import numpy as np

from ..embeddings import Embedder
from ..stores import AnswerCache

KEPT = ("answer", "sources", "provider", "model", "usage", "fallback_reason")


def normalise(question: str) -> str:
    """'  What's your   STACK?? ' and "what's your stack" are the same question."""
    return re.sub(r"[\s?!.]+$", "", " ".join(question.lower().split()))


class ResponseCache:
    def __init__(self, store: AnswerCache, embedder: Embedder, *, mode: str, ttl: float,
                 similarity: float):
        self.store, self.embedder = store, embedder
        self.mode, self.ttl, self.similarity = mode, ttl, similarity

    def find(self, question: str, version: str, scope: str = "") -> dict[str, Any] | None:
        """The kept answer for this question (its fields as `KEPT` lists), or None. `scope`
        keeps answers apart within one index version (an experiment variant's own answers)."""
        if self.mode == "off":
            return None
        newer_than = time.time() - self.ttl
        found = self.store.cached(_key(question, scope), version, newer_than)
        if found is None and self.mode == "semantic":
            found = self._nearest(question, version, scope, newer_than)
        return json.loads(found) if found else None

    def _nearest(self, question: str, version: str, scope: str,
                 newer_than: float) -> str | None:
        kept = [entry for entry in self.store.cached_vectors(version, newer_than)
                if entry[0].startswith(_key("", scope))]
        if not kept:
            return None
        vector = self.embedder.embed([question])[0]
        scores = np.array([float(v @ vector) for _, v, _ in kept])
        best = int(scores.argmax())
        return kept[best][2] if scores[best] >= self.similarity else None

    def keep(self, question: str, version: str, answer: dict[str, Any],
             scope: str = "") -> None:
        if self.mode == "off":
            return
        vector = self.embedder.embed([question])[0] if self.mode == "semantic" else None
        self.store.keep(_key(question, scope), version, vector,
                        json.dumps({k: answer[k] for k in KEPT}))


def _key(question: str, scope: str) -> str:
    return f"{scope}\x1f{normalise(question)}" if scope else normalise(question)
