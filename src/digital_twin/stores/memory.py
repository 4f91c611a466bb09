"""What one process keeps for itself: the rate limits used when the shared store cannot be
written (a read-only index file, a database gone away), so that limits still hold per process;
and the limits that count on the shared store and fall back on these (`SharedRateLimits`)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from ..errors import StorageError
from .records import WINDOW, window_wait


class MemoryRateLimits:
    """A sliding one-minute window per client. Thread-safe; memory bounded by `max_clients`."""

    def __init__(self, max_clients: int = 10_000):
        self.max_clients = max_clients
        self._hits: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, client: str, per_minute: int, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = [t for t in self._hits.pop(client, []) if now - t < WINDOW]
            wait = window_wait(hits, now, per_minute)
            if not wait:
                hits.append(now)
            self._hits[client] = hits
            while len(self._hits) > self.max_clients:
                self._hits.popitem(last=False)
            return wait

    def close(self) -> None:
        pass


class SharedRateLimits:
    """Rate limits counted on the store every worker and replica shares; while it cannot be
    written, on this process's own count, so the limit still holds. `on_fault(why)` hears of a
    failure, and `on_fault(None)` of the store working again."""

    def __init__(self, shared, on_fault):
        self.shared, self.on_fault = shared, on_fault
        self.own = MemoryRateLimits()

    def hit(self, client: str, per_minute: int) -> float:
        """Count one request from `client`: 0 to go on, else the seconds to wait."""
        try:
            wait = self.shared.hit(client, per_minute)
        except StorageError as exc:
            self.on_fault(exc.message)
            return self.own.hit(client, per_minute)
        self.on_fault(None)
        return wait
