"""A passage found for a question, as answers, prompts and every interface see it
(`retrieval.py` finds them)."""

from __future__ import annotations

from dataclasses import dataclass

from typing_extensions import TypedDict  # pydantic reads a typing.TypedDict from Python 3.12

from .relevance import Verdict


class Passage(TypedDict):
    """A passage's one public shape: `twin search --json`, the API and MCP all show this."""

    id: str
    title: str
    text: str
    score: float
    source: str
    section: str


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

    def public(self) -> Passage:
        return Passage(id=self.id, title=self.title, text=self.text, score=round(self.score, 6),
                       source=self.source, section=self.section)
