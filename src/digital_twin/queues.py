"""Taking work off a queue in batches, for the threads that serve many callers at once (the
question embedder, the usage writer)."""

from __future__ import annotations

import queue
import time
from typing import Any


def take_batch(source: queue.Queue | queue.SimpleQueue, limit: int,
               wait: float = 0.0) -> list[Any]:
    """The first item (waiting as long as it takes), then whatever else arrives within `wait`
    seconds, at most `limit` items in all."""
    batch = [source.get()]
    deadline = time.monotonic() + wait
    while len(batch) < limit:
        left = deadline - time.monotonic()
        try:
            batch.append(source.get(timeout=left) if left > 0 else source.get_nowait())
        except queue.Empty:
            break
    return batch
