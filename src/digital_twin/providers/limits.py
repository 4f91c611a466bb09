"""Bounds on waiting for an LLM: a total deadline per answer, and calls in flight per provider.

The SDKs bound each attempt (their timeout) but not an answer: retries and `retry-after` waits
add up. Here the provider's reply is pulled in a helper thread, and the caller waits no longer
than the answer's deadline; the helper stops at its next piece once nobody listens.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from ..errors import DeadlineError, OverloadedError

T = TypeVar("T")


def within_deadline(reply: Callable[[], Iterator[T]], deadline: float | None,
                    what: str) -> Iterator[T]:
    """The items of `reply()`, each awaited no later than `deadline` (time.monotonic())."""
    if deadline is None:
        yield from reply()
        return
    pieces: queue.SimpleQueue = queue.SimpleQueue()
    abandoned = threading.Event()

    def pump() -> None:
        try:
            for item in reply():
                if abandoned.is_set():
                    return
                pieces.put((True, item))
            pieces.put((True, _END))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            pieces.put((False, exc))

    threading.Thread(target=pump, name="provider-reply", daemon=True).start()
    try:
        while True:
            try:
                ok, item = pieces.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise DeadlineError(f"{what} gave no complete answer within the deadline.",
                                    hint="Raise TWIN_ANSWER_DEADLINE, or use a faster model."
                                    ) from None
            if not ok:
                raise item
            if item is _END:
                return
            yield item
    finally:
        abandoned.set()


_END = object()


class Slots:
    """At most `size` calls in flight; a caller waits for a free slot until its deadline."""

    def __init__(self, size: int):
        self._free = threading.BoundedSemaphore(size)

    def take(self, deadline: float | None) -> bool:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        return self._free.acquire(timeout=wait)

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
