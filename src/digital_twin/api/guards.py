"""What makes the app safe in public: rate limits, size bounds, security headers; and the
count of requests by endpoint and status."""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable

import anyio
from prometheus_client import Counter
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send


def whole_number(text: str, digits: int = 15) -> int | None:
    """A header's or a parameter's whole number, or None: ASCII digits only, and not so many
    that arithmetic on it fails (`"²".isdigit()` is true, and so is a 400-digit string's)."""
    return int(text) if re.fullmatch(rf"[0-9]{{1,{digits}}}", text) else None

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"),
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Paths that count against a client's rate limit; of them, those behind TWIN_API_TOKEN (the
# dashboard has a token of its own).
LIMITED = ("/api/", "/mcp", "/metrics", "/dashboard")
BEHIND_TOKEN = ("/api/", "/mcp", "/metrics")
# What the public page itself shows: never behind the token.
PUBLIC_PATHS = frozenset({"/api/profile"})
# The interactive docs load their own scripts and styles inline.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")


class GuardMiddleware:
    """Pure ASGI (so streamed responses pass untouched): body bound, rate limit, headers."""

    def __init__(self, app: ASGIApp, *, limiter: Callable[[str], float] | None,
                 max_body_bytes: int, token: str | None = None):
        """`limiter(client)` counts a request: 0 to go on, else the seconds to wait (None: no
        rate limit). It may wait on the store shared by replicas, so it runs in a thread."""
        self.app = app
        self.limiter = limiter
        self._limiting = anyio.CapacityLimiter(8)  # threads apart from the answers' own
        self.max_body_bytes = max_body_bytes
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length and ((size := whole_number(length)) is None or size > self.max_body_bytes):
            await self._too_large(scope, receive, send)
            return
        if path.startswith(LIMITED) and scope["method"] != "OPTIONS":
            # Every request counts against the client's limit, a failed token included, so
            # that guessing tokens is as slow as asking questions.
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.limiter and await anyio.to_thread.run_sync(
                self.limiter, client, limiter=self._limiting)
            if wait:
                await self._reject(scope, receive, send, 429,
                                   "Too many requests; slow down.",
                                   {"retry-after": str(max(1, math.ceil(wait)))})
                return
            if (self.token and path.startswith(BEHIND_TOKEN) and path not in PUBLIC_PATHS
                    and not self._authorised(headers)):
                await self._reject(scope, receive, send, 401,
                                   "A valid bearer token is required.",
                                   {"www-authenticate": "Bearer"},
                                   hint="Send Authorization: Bearer <TWIN_API_TOKEN>.")
                return
        if scope["method"] in BODY_METHODS:
            receive = await self._bounded_body(receive)
            if receive is None:
                await self._too_large(scope, _disconnected, send)
                return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = dict(SECURITY_HEADERS)
                if path in ("/docs", "/redoc"):
                    extra["content-security-policy"] = DOCS_CSP
                raw = list(message.get("headers", []))
                present = {k.lower() for k, _ in raw}
                raw += [(k.encode(), v.encode()) for k, v in extra.items()
                        if k.encode() not in present]
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _bounded_body(self, receive: Receive) -> Receive | None:
        """Read the body (chunked or not) up to the bound, then hand it on as one message;
        None when it is larger. Later messages (a disconnect) come from the client as usual."""
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                first = message
                break
            size += len(message.get("body", b""))
            if size > self.max_body_bytes:
                return None
            parts.append(message.get("body", b""))
            if not message.get("more_body"):
                first = {"type": "http.request", "body": b"".join(parts), "more_body": False}
                break
        pending = [first]

        async def replay():
            return pending.pop() if pending else await receive()

        return replay

    async def _too_large(self, scope, receive, send) -> None:
        await self._reject(scope, receive, send, 413,
                           f"The request body is larger than {self.max_body_bytes} bytes.",
                           {"connection": "close"}, hint="Send a shorter request.")

    def _authorised(self, headers: Headers) -> bool:
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and secrets.compare_digest(
            credentials.strip().encode(), self.token.encode())

    async def _reject(self, scope, receive, send, status: int, message: str,
                      headers: dict | None = None, hint: str | None = None) -> None:
        response = JSONResponse({"error": message, "hint": hint}, status_code=status,
                                headers={**SECURITY_HEADERS, **(headers or {})})
        await response(scope, receive, send)


async def _disconnected() -> dict:
    return {"type": "http.disconnect"}


# In the registry `/metrics` shows with the answers' own metrics (prometheus-client's
# default one, or the multiprocess folder under `twin serve --workers N`).
REQUESTS = Counter("twin_http_requests", "HTTP requests by endpoint and status",
                   ["endpoint", "method", "status"])


class CountRequests:
    """Counts every HTTP request by endpoint (the route's template, so ids do not multiply
    the series), method and status, rejected ones included."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_status(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            REQUESTS.labels(getattr(route, "path", None) or "unmatched", scope["method"],
                            str(status)).inc()
