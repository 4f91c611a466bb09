"""Concurrent single texts embedded together: one model call for many waiting questions.

Each caller queues its text and waits; one thread takes the first text queued, waits a few
milliseconds for others (or until the batch is full), embeds them in one call and hands each
caller its row. Under load a batch costs little more than one text; alone, a question waits
only the short wait.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from .queues import take_batch

Encode = Callable[[list[str]], np.ndarray]


class MicroBatcher:
    def __init__(self, encode: Encode, *, wait: float = 0.002, max_batch: int = 32):
        self._encode = encode
        self.wait, self.max_batch = wait, max_batch
        self._queue: queue.SimpleQueue[tuple[str, Future]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def embed(self, text: str) -> np.ndarray:
        """`text`'s vector, computed in one batch with whatever else is waiting."""
        future: Future = Future()
        self._queue.put((text, future))
        self._ensure_thread()
        return future.result()

    def _ensure_thread(self) -> None:
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="embed-batches",
                                                    daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            self._deliver(take_batch(self._queue, self.max_batch, self.wait))

    def _deliver(self, batch: list[tuple[str, Future]]) -> None:
        try:
            vectors = self._encode([text for text, _ in batch])
        except BaseException as exc:  # every caller of the batch hears of the failure
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), vector in zip(batch, vectors, strict=True):
            future.set_result(vector)
