"""Telling the owner: a JSON POST to `TWIN_NOTIFY_URL` (Slack-compatible `text`, plus the
details as fields, which ntfy, a Slack incoming webhook or any HTTP receiver accepts), sent off
the request path with a few retries."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

log = logging.getLogger("digital_twin.notify")
RETRIES = 3


class Notifier:
    def __init__(self, url: str | None, *, retries: int = RETRIES, backoff: float = 0.5,
                 timeout: float = 10.0):
        self.url, self.retries, self.backoff, self.timeout = url, retries, backoff, timeout

    def send(self, text: str, **details: Any) -> threading.Thread | None:
        """Post in the background; the returned thread ends when delivered or given up."""
        if not self.url:
            return None
        thread = threading.Thread(target=self._deliver, args=({"text": text, **details},),
                                  name="notify", daemon=True)
        thread.start()
        return thread

    def _deliver(self, body: dict[str, Any]) -> None:
        import httpx

        for attempt in range(1, self.retries + 1):
            try:
                response = httpx.post(self.url, json=body, timeout=self.timeout)
                if response.status_code < 300:
                    return
                problem = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            if attempt < self.retries:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        log.warning("could not notify the owner after %d tries (%s)", self.retries, problem)
