"""Connections too slow to send their request are dropped.

uvicorn times out a connection only while it is idle between requests (keep-alive). A client
that sends its request a byte at a time, or opens a connection and says nothing, would hold its
socket and file descriptor for ever, and a few hundred such clients take a server down. Here
each request must arrive whole, head and body, within `request_timeout` seconds of its first
byte (of the connection's opening, for the first request); a client that takes longer is
disconnected. A request the app is still answering is never cut: the deadline ends once the
request has been read.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("digital_twin.api")

# What `serve` puts on uvicorn's config (pickled whole to each worker): seconds per request.
REQUEST_TIMEOUT = "twin_request_timeout"


class SlowClientsDropped(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (the httptools parser) with a deadline on reading each
    request, from its first byte (`on_message_begin`) to its last (`on_message_complete`)."""

    def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self._request_timeout: float = getattr(config, REQUEST_TIMEOUT, 10.0)
        self._reading: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_reading()  # a connection that says nothing is dropped too

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_reading()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._stop_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_reading()
        super().connection_lost(exc)

    def _start_reading(self) -> None:
        if self._reading is None and not self.transport.is_closing():
            self._reading = self.loop.call_later(self._request_timeout, self._too_slow)

    def _stop_reading(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None

    def _too_slow(self) -> None:
        self._reading = None
        if not self.transport.is_closing():
            who = "{}:{}".format(*self.client) if self.client else "a client"
            log.info("dropped %s: its request took longer than %g s to arrive", who,
                     self._request_timeout)
            self.transport.close()
