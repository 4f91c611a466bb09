"""Usage rows written off the request path: answers put their row on a queue, and one thread
writes, in a single transaction, every row that gathered while its last write ran (at most
`batch`), so the busier the twin, the fewer transactions per row. Rows older than `retention`
seconds are pruned with the writes, once every `prune_every` seconds.

An answer never waits on the usage log, and a log that cannot be written (a read-only file, a
full disk) never fails one: the failure goes to `on_fault`, and the rows of that batch are lost.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from ..errors import StorageError
from ..queues import take_batch
from ..stores import UsageLog, UsageRecord

log = logging.getLogger("digital_twin.usage")


class UsageRecorder:
    def __init__(self, usage: UsageLog, *, on_fault: Callable[[str | None], None],
                 retention: float, batch: int = 256, pending: int = 10_000,
                 prune_every: float = 600.0):
        self._usage, self._on_fault = usage, on_fault
        self._batch, self._retention, self._prune_every = batch, retention, prune_every
        self._pruned_at: float | None = None
        self._queue: queue.Queue[UsageRecord | None] = queue.Queue(pending)
        self._thread: threading.Thread | None = None
        self._started = threading.Lock()
        self.dropped = 0  # rows that found the queue full

    def record(self, row: UsageRecord) -> None:
        """Queue a row; never blocks (when `pending` rows already wait, the row is dropped)."""
        self._start()
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            self.dropped += 1
            log.warning("usage log behind by %d rows: a row was dropped", self._queue.qsize())

    def flush(self) -> None:
        """Return once every row queued so far is written (or its write has failed)."""
        if self._thread is not None:
            self._queue.join()

    def close(self) -> None:
        """Write what is pending, then stop the writer."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _start(self) -> None:
        if self._thread is None:
            with self._started:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="usage-writer",
                                                    daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            batch = take_batch(self._queue, self._batch)
            self._write([row for row in batch if row is not None])
            for _ in batch:
                self._queue.task_done()
            if any(row is None for row in batch):  # closed: every row before it is written
                return

    def _write(self, rows: list[UsageRecord]) -> None:
        if not rows:
            return
        try:
            self._usage.record_usage(rows)
            if self._pruned_at is None or time.monotonic() - self._pruned_at > self._prune_every:
                self._usage.prune(time.time() - self._retention)
                self._pruned_at = time.monotonic()
        except StorageError as exc:
            self._on_fault(exc.message)
        except Exception:  # a writer that dies would lose every later row
            log.exception("usage rows not written")
        else:
            self._on_fault(None)
