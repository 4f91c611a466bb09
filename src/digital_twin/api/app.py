"""The HTTP API and the web chat page. `create_app(settings)` builds it; nothing here but I/O."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from importlib import resources
from typing import Annotated, Literal

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Settings
from ..errors import TwinError
from ..mcp_server import create_mcp, mcp_http_app
from ..service import Done, Passage, Reset, Token, Twin
from .dashboard import dashboard_router
from .guards import CountRequests, GuardMiddleware
from .page import render_page

log = logging.getLogger("digital_twin.api")
STATIC = resources.files("digital_twin") / "web" / "static"
# Threads for the page, search, feedback, contact and the MCP tools that read. Answers need
# none while they wait on an LLM: they wait on the twin's answer loop.
THREADS = 32
SUGGESTED = [
    "What do you do now?",
    "Tell me about an achievement you're proud of.",
    "What are your strongest skills?",
    "What are you looking for in your next role?",
]


class QueryIn(BaseModel):
    question: str = Field(..., description="What a recruiter would ask")
    session_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class QueryOut(BaseModel):
    answer: str
    sources: list[Passage]
    session_id: str
    provider: str
    model: str
    usage: dict
    latency_ms: float
    fallback_reason: str | None = None
    cached: bool = False
    answer_id: str = Field("", description="send it back with feedback on this answer")


class FitIn(BaseModel):
    posting: str = Field(description="The job posting's text, Markdown or plain, with its "
                                     "requirements, qualifications or duties")


class FeedbackIn(BaseModel):
    question: str = Field(..., min_length=1, max_length=4000)
    answer: str = Field(..., min_length=1, max_length=20000)
    rating: Literal[1, -1] = Field(..., description="1 thumbs up, -1 thumbs down")
    session_id: str | None = Field(None, max_length=64)
    comment: str | None = Field(None, max_length=2000)
    answer_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                  description="the `answer_id` of the answer rated")


class ContactIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field(..., min_length=3, max_length=254)
    company: str | None = Field(None, max_length=200)
    message: str = Field(..., min_length=1, max_length=4000)
    session_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class ErrorOut(BaseModel):
    error: str
    hint: str | None = None


def _lifespan(twin: Twin, mcp, threads: int, settle: bool):
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # Answers that wait on an LLM hold a thread each: leave room for every other request.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        # Load the embedding model before taking traffic: the first visitor should not wait.
        await anyio.to_thread.run_sync(lambda: twin.warm(every_intent=True))
        if settle:
            # What start-up built (modules, the model, the index as loaded) mostly lives as
            # long as the process: kept out of the collector's full passes, which scanned it
            # all under load (p95 of /api/query 0.50 -> 0.44 s at 250 answers/s, alternating
            # runs). Frozen objects are still freed when unreferenced, not when in a cycle.
            gc.collect()
            gc.freeze()
        async with mcp.session_manager.run():
            yield
        await anyio.to_thread.run_sync(twin.flush)  # usage rows still queued

    return lifespan


def create_app(settings: Settings, twin: Twin | None = None, *,
               settle: bool = False) -> FastAPI:
    """The app of `twin` (one built from `settings` if none). `settle`: the app is its
    process's only one (`twin serve`), so what its start-up built may be frozen for good."""
    twin = twin or Twin(settings)
    # The docs' scripts and styles are served by the app itself (no CDN: it works offline and
    # under the page's Content-Security-Policy).
    app = FastAPIOffline(title="Digital Twin", version=__version__,
                  description="Ask a professional's digital twin about their work.",
                  responses={422: {"model": ErrorOut}, 429: {"model": ErrorOut}})
    app.state.twin = twin

    mcp = create_mcp(twin)  # which sends the root logger to a Rich handler, at INFO
    # The HTTP clients' line per request (every LLM call) took a tenth of a busy server's CPU
    # through that handler: only their warnings are logged.
    for client in ("httpx", "httpx2"):
        logging.getLogger(client).setLevel(logging.WARNING)
    mcp_app = mcp_http_app(mcp, settings.allowed_hosts)
    app.router.lifespan_context = _lifespan(twin, mcp, THREADS, settle)
    probes = anyio.CapacityLimiter(2)  # readiness has threads of its own

    @app.exception_handler(TwinError)
    async def twin_error(request: Request, exc: TwinError):
        retry_after = getattr(exc, "retry_after", None)
        return JSONResponse({"error": exc.message, "hint": exc.hint},
                            status_code=exc.status_code,
                            headers={"retry-after": str(retry_after)} if retry_after else None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        """Errors raised by the framework itself (an unparsable body, an unknown path) get the
        same shape as the twin's own."""
        hint = "Send a JSON object, e.g. {\"question\": \"...\"}." if exc.status_code == 400 \
            else None
        return JSONResponse({"error": str(exc.detail), "hint": hint},
                            status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
        if first.get("type") in ("json_invalid", "model_attributes_type", "dict_type"):
            return JSONResponse({"error": "The body is not a JSON object.",
                                 "hint": "Send JSON with content-type application/json, e.g. "
                                         "{\"question\": \"Where are you based?\"}."},
                                status_code=422)
        return JSONResponse({"error": f"{where}: {first['msg']}",
                             "hint": "See the request's shape at /docs."}, status_code=422)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse({"error": "Something went wrong on our side.",
                             "hint": "Try again; if it persists, tell the owner."},
                            status_code=500)

    @app.post("/api/query", response_model=QueryOut)
    async def query(body: QueryIn) -> QueryOut:
        """One whole answer. Waiting on the LLM holds no worker thread."""
        return QueryOut(**(await twin.aask(body.question, body.session_id)).as_dict())

    @app.post("/api/query/stream", response_class=EventSourceResponse)
    async def query_stream(body: QueryIn) -> AsyncIterator[ServerSentEvent]:
        """Server-Sent Events: `token`… then `sources`, `usage`, `done`; `error` on failure;
        `reset` when the LLM failed mid-answer and another provider answers instead."""
        try:
            async for event in twin.astream(body.question, body.session_id):
                if isinstance(event, Token):
                    yield ServerSentEvent(event="token", data={"text": event.text})
                elif isinstance(event, Reset):
                    yield ServerSentEvent(event="reset", data={"reason": event.reason})
                elif isinstance(event, Done):
                    answer = event.answer
                    yield ServerSentEvent(event="sources", data={"sources": answer.sources})
                    yield ServerSentEvent(event="usage", data={
                        "usage": answer.usage, "provider": answer.provider,
                        "model": answer.model, "latency_ms": answer.latency_ms,
                        "fallback_reason": answer.fallback_reason, "cached": answer.cached,
                        "session_id": answer.session_id, "answer": answer.answer,
                        "answer_id": answer.answer_id})
                    yield ServerSentEvent(event="done", data={"session_id": answer.session_id})
        except TwinError as exc:
            yield ServerSentEvent(event="error", data={"error": exc.message, "hint": exc.hint,
                                                       "status": exc.status_code})
        except Exception:
            log.exception("stream failed")
            yield ServerSentEvent(event="error", data={"error": "Something went wrong.",
                                                       "hint": None, "status": 500})

    @app.get("/api/search", response_model=list[Passage])
    def search(q: Annotated[str, Query(description="the question")],
               k: Annotated[int | None, Query(ge=1, le=50, description="passages; default "
                                              "TWIN_TOP_K")] = None) -> list[dict]:
        return [hit.public() for hit in twin.search(q, k)]

    @app.post("/api/fit")
    def fit(body: FitIn) -> dict:
        """A job posting's requirements, each with a verdict (meets, partly, not in profile)
        and the profile's passages that show it, and a summary line of the must-haves."""
        return twin.fit(body.posting).public()

    @app.post("/api/feedback", status_code=201)
    def feedback(body: FeedbackIn) -> dict:
        return {"id": twin.record_feedback(body.question, body.answer, body.rating,
                                           session_id=body.session_id, comment=body.comment,
                                           answer_id=body.answer_id)}

    @app.post("/api/contact", status_code=201)
    def contact(body: ContactIn) -> dict:
        """Leave your details for the owner (kept with this conversation's questions)."""
        return {"id": twin.leave_contact(body.name, body.email, body.message,
                                         company=body.company, session_id=body.session_id)}

    @app.get("/api/profile")
    def profile() -> dict:
        """Who the twin is, for the page: name, title, intro and suggested questions."""
        owner = twin.profile()["owner"]
        return {"name": owner.get("name"), "title": owner.get("title"),
                "summary": owner.get("summary"), "location": owner.get("location"),
                "suggested_questions": SUGGESTED}

    @app.get("/health")
    async def health() -> dict:
        """Liveness: answered on the event loop, never behind answers waiting on an LLM."""
        return {"status": "ok", "version": __version__}

    @app.get("/health/ready")
    async def ready() -> JSONResponse:
        status = await anyio.to_thread.run_sync(twin.status, limiter=probes)
        ok = status["ready"]
        state = "degraded" if status["degraded"] else "ready"
        body = {"status": state if ok else "not ready",
                **{k: status[k] for k in ("chunks", "provider", "chain", "sessions",
                                          "degraded")}}
        if not ok:
            body["hint"] = "Run `twin ingest PATH` to index a profile."
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        """Prometheus metrics (behind the bearer token when one is set)."""
        body, content_type = twin.metrics()
        return Response(body, media_type=content_type)

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        """The chat page, its title and link preview naming the owner."""
        return HTMLResponse(render_page(twin.profile()["owner"]))

    app.include_router(dashboard_router(twin, settings))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.mount("/", mcp_app)  # answers /mcp only
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                       allow_methods=["GET", "POST"],
                       allow_headers=["authorization", "content-type"], max_age=600)
    per_minute = settings.rate_limit  # requests a minute per client, shared by every worker
    app.add_middleware(GuardMiddleware,
                       limiter=(lambda client: twin.rate_limits.hit(client, per_minute))
                       if per_minute > 0 else None,
                       max_body_bytes=settings.max_body_bytes,
                       token=settings.api_token.get_secret_value() if settings.api_token else None)
    app.add_middleware(CountRequests)  # outermost: counts all
    return app


SETTINGS_VARIABLE = "TWIN_SERVE_SETTINGS"


def app_from_env() -> FastAPI:
    """Factory for `twin serve --workers N`: every worker gets the exact settings `serve` built,
    handed over as JSON (see `Settings.exported`); without them, settings from the env."""
    exported = os.environ.get(SETTINGS_VARIABLE)
    return create_app(Settings.model_validate_json(exported) if exported else Settings(),
                      settle=True)
