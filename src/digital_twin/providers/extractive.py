"""The provider that needs no LLM: its answer is composed from the profile's own sentences
(`composing.py`), so it cannot invent, costs nothing and ends every chain."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..composing import compose
from ..text import word_pieces
from .base import Completion, Request, Usage


class ExtractiveProvider:
    name = "extractive"
    model = "extractive"

    async def aclose(self) -> None:  # holds no connection
        pass

    async def complete(self, request: Request) -> Completion:
        text, _ = compose(request)
        return Completion(text, Usage(), self.model)

    async def stream(self, request: Request) -> AsyncIterator[str | Completion]:
        text, _ = compose(request)
        for piece in word_pieces(text):
            yield piece
        yield Completion(text, Usage(), self.model)


def extractive_provider(settings: object, model: str | None) -> ExtractiveProvider:
    """The factory `plugins.py` names: needs no settings and has one model."""
    return ExtractiveProvider()
