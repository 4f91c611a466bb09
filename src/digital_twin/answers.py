"""What the service gives back: an `Answer`, and the typed events of a streamed one."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .hits import Hit


@dataclass
class Answer:
    answer: str
    sources: list[dict]  # each a `Hit.public()` passage, in citation order
    provider: str
    model: str
    usage: dict
    latency_ms: float
    fallback_reason: str | None = None
    session_id: str | None = None
    cached: bool = False  # given again from the response cache
    answer_id: str = ""  # names this answer in the usage log; feedback refers to it
    hits: list[Hit] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("hits")
        return data


@dataclass(frozen=True)
class Token:
    """A piece of the answer's text."""

    text: str


@dataclass(frozen=True)
class Reset:
    """What was streamed so far is void (the provider failed mid-answer); another answers."""

    reason: str = ""


@dataclass(frozen=True)
class Done:
    """The answer is complete: its text, sources, usage and who gave it."""

    answer: Answer


Event = Token | Reset | Done
