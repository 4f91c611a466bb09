"""Bounds on waiting for an LLM: a total deadline per answer, and calls in flight per provider.

The SDKs bound each attempt (their timeout) but not an answer: retries and `retry-after` waits
add up. Here each piece of the provider's reply is awaited no later than the answer's deadline;
past it the reply is cancelled where it waits. Both bounds live on the twin's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import TypeVar

from ..errors import DeadlineError, OverloadedError

T = TypeVar("T")


async def within_deadline(reply: AsyncIterator[T], deadline: float | None,
                          what: str) -> AsyncIterator[T]:
    """The items of `reply`, each awaited no later than `deadline` (time.monotonic())."""
    try:
        while True:
            try:
                async with asyncio.timeout(None if deadline is None
                                           else max(0.0, deadline - time.monotonic())):
                    item = await anext(reply)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise DeadlineError(f"{what} gave no complete answer within the deadline.",
                                    hint="Raise TWIN_ANSWER_DEADLINE, or use a faster model."
                                    ) from None
            yield item
    finally:
        await reply.aclose()


class Slots:
    """At most `size` calls in flight; a caller waits for a free slot until its deadline."""

    def __init__(self, size: int):
        self._free = asyncio.Semaphore(size)

    async def take(self, deadline: float | None) -> bool:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            async with asyncio.timeout(wait):
                await self._free.acquire()
        except TimeoutError:
            return False
        return True

    def give_back(self) -> None:
        self._free.release()


class Admission:
    """At most `limit` answers under way at once; the next is refused at once (503), so that
    visitors are told to come back instead of queueing without end."""

    def __init__(self, limit: int):
        self.limit = limit
        self._count = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def one(self) -> Iterator[None]:
        with self._lock:
            if self._count >= self.limit:
                raise OverloadedError("Too many questions are being answered right now.",
                                      retry_after=5, hint="Try again in a few seconds.")
            self._count += 1
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1
