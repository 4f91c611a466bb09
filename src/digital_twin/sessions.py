"""Conversations by session id, shared by the HTTP API and the MCP server."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict


class Sessions:
    """Conversation history by session id, with a time-to-live and bounds on count and size."""

    def __init__(self, ttl: float, max_sessions: int, max_turns: int):
        self.ttl = ttl
        self.max_sessions = max_sessions
        self.max_turns = max_turns
        self._data: OrderedDict[str, tuple[float, list[dict]]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> Sessions:
        return cls(settings.session_ttl, settings.max_sessions, settings.session_turns)

    def get(self, session_id: str | None) -> tuple[str, list[dict]]:
        """The session's history (a copy), or a new session when unknown or expired."""
        now = time.monotonic()
        with self._lock:
            entry = self._data.get(session_id) if session_id else None
            if entry and now - entry[0] < self.ttl:
                return session_id, list(entry[1])
            return session_id or uuid.uuid4().hex, []

    def append(self, session_id: str, question: str, answer: str) -> None:
        now = time.monotonic()
        with self._lock:
            _, history = self._data.pop(session_id, (now, []))
            history = [*history, {"role": "user", "content": question},
                       {"role": "assistant", "content": answer}][-2 * self.max_turns:]
            self._data[session_id] = (now, history)
            for key in [k for k, (t, _) in self._data.items() if now - t >= self.ttl]:
                del self._data[key]
            while len(self._data) > self.max_sessions:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)
