"""A passage found for a question, as answers, prompts and every interface see it
(`retrieval.py` finds them)."""

from __future__ import annotations

from dataclasses import dataclass

from .relevance import Verdict


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
    verdict: Verdict = "covered"

    def public(self) -> dict:
        """A passage's one public shape: `twin search --json`, the API and MCP all show this."""
        return {"id": self.id, "title": self.title, "text": self.text,
                "score": round(self.score, 6), "source": self.source, "section": self.section}
