"""The event loop on which every answer of a twin waits for its LLM.

Answers are async generators run on one loop, in one thread of its own, whoever asks: the CLI
and the MCP tools iterate them from their threads (`iterate`), the HTTP API awaits them from its
own loop (`aiterate`). Waiting on a provider then costs a suspended coroutine, not a thread, and
the bounds on calls in flight (asyncio semaphores) and the deadlines all live on this one loop.
A caller that stops early (a visitor who left) closes the answer on the loop, so its cleanup (a
circuit breaker's trial, a call slot) runs there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()
WORK_THREADS = 32


class _Steps:
    """Pulls one item at a time from an async generator on the loop, and closes it there,
    after the step under way (if one is) has been cancelled and has finished."""

    def __init__(self, items: AsyncIterator):
        self.items = items
        self.task: asyncio.Task | None = None

    async def next(self):
        self.task = asyncio.current_task()
        try:
            return await anext(self.items)
        except StopAsyncIteration:
            return _END

    async def close(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task
        await self.items.aclose()


class AnswerLoop:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                # the index and log work of answers (`asyncio.to_thread`): room for those
                # waiting on a disk or a database round trip, beyond asyncio's CPUs + 4
                self._loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(
                    WORK_THREADS, thread_name_prefix="answer-work"))
                self._thread = threading.Thread(target=self._loop.run_forever,
                                                name="answer-loop", daemon=True)
                self._thread.start()
            return self._loop

    def submit(self, step) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(step, self.loop)

    def iterate(self, items: AsyncIterator[T]) -> Iterator[T]:
        """The items of `items`, run on the loop, for a caller in a thread."""
        steps = _Steps(items)
        try:
            while True:
                item = self.submit(steps.next()).result()
                if item is _END:
                    return
                yield item  # type: ignore[misc]
        finally:
            self.submit(steps.close()).result()

    async def aiterate(self, items: AsyncIterator[T]) -> AsyncIterator[T]:
        """The items of `items`, run on the loop, for a caller on another event loop. Waiting
        holds no thread; a caller cancelled mid-step (a visitor who left) has the step
        cancelled and the answer closed on the loop."""
        steps = _Steps(items)
        try:
            while True:
                item = await asyncio.wrap_future(self.submit(steps.next()))
                if item is _END:
                    return
                yield item  # type: ignore[misc]
        finally:
            await asyncio.shield(asyncio.wrap_future(self.submit(steps.close())))

    def close(self, cleanup=None) -> None:
        """Stop the loop, once `cleanup()` (a coroutine function: closing what was used on
        the loop) has run on it; nothing runs if the loop never started."""
        with self._lock:
            if self._loop is None:
                return
            if threading.current_thread() is self._thread:  # collected on the loop itself
                self._loop.call_soon(self._loop.stop)
                return
            if cleanup is not None:
                with contextlib.suppress(Exception):
                    asyncio.run_coroutine_threadsafe(cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            if not self._thread.is_alive():
                self._loop.close()
            self._loop = None
