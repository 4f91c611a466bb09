"""The Provider contract: turn a grounded request into text, whole or streamed."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass
from typing import Protocol

import numpy as np

from ..hits import Hit
from ..prompting import Persona


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    estimated: bool = False  # counted by the twin because the server sent none

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def estimate(cls, prompt: str, completion: str) -> Usage:
        """About four characters a token: good enough for budgets when a server reports none."""
        p, c = max(1, len(prompt) // 4), max(1, len(completion) // 4)
        return cls(p, c, p + c, estimated=True)


@dataclass
class Request:
    question: str
    hits: list[Hit]
    messages: list[dict]
    persona: Persona
    deadline: float | None = None  # time.monotonic() by which the answer must be complete
    style: str = "default"  # the prompt style (`prompting.STYLES`)
    subject: str = ""  # what the question is about: a follow-up's with the question before it
    # how close in meaning texts are to a question (`embeddings.Closeness`), when known
    closeness: Callable[[str, list[str]], np.ndarray] | None = None

    def seconds_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


@dataclass
class Completion:
    """The end of a reply: its whole text, its usage, and the model the server says answered."""

    text: str
    usage: Usage
    model: str


class Provider(Protocol):
    """Asynchronous: an answer waiting on an LLM holds no thread while it waits."""

    name: str
    model: str

    async def complete(self, request: Request) -> Completion: ...

    def stream(self, request: Request) -> AsyncIterator[str | Completion]:
        """Text pieces as they come, then one `Completion` (an async generator)."""
        ...

    async def aclose(self) -> None:
        """Release its connections, on the loop that used them."""
        ...
