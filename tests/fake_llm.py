"""A small OpenAI-compatible chat server of our own, for faults and for fixed-latency benchmarks.

It answers `POST /v1/chat/completions` and, for the Groq SDK (which calls
`{base_url}/openai/v1/...`), `POST /openai/v1/chat/completions`, streamed or not. Tests queue
faults that the next requests consume, and read what the server received:

    server = FakeLLM(latency=0.3, token_delay=0.01)
    server.faults.append(Fault(status=429, retry_after=1))
    with serving(server.app) as url: ...
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections import deque
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

DEFAULT_REPLY = ("I have spent nine years building data and machine learning platforms, most "
                 "recently at Northwind Analytics [1].")


@dataclass
class Fault:
    status: int | None = None  # answer with this HTTP status
    retry_after: float | None = None  # ... and this Retry-After header
    code: str | None = None  # error.code in the body, e.g. "model_decommissioned"
    delay: float = 0.0  # wait this long before answering (a timeout when > client timeout)
    cut_after: int | None = None  # stream this many tokens, then drop the connection
    end_after: int | None = None  # stream this many tokens, then end cleanly without [DONE]
    cut_body: bool = False  # a whole (non-stream) reply cut off halfway through its body


@dataclass
class Received:
    at: float
    path: str
    body: dict
    headers: dict


@dataclass
class FakeLLM:
    reply: str = DEFAULT_REPLY
    latency: float = 0.0  # seconds before the first byte
    token_delay: float = 0.0  # seconds between streamed tokens
    send_usage: bool = True
    # An LLM that obeys whoever talks to it: "prompt" replies with its whole system message,
    # "rules" with the rules part of it (no first line), as a jailbroken model would;
    # "prompt-base64" and "prompt-spaced" with the system message base64-encoded or with a
    # space between its letters; "context" with every profile passage it was given.
    leak: str | None = None
    faults: deque[Fault] = field(default_factory=deque)
    received: list[Received] = field(default_factory=list)

    @property
    def app(self) -> Starlette:
        routes = [Route(path, self.chat, methods=["POST"])
                  for path in ("/v1/chat/completions", "/openai/v1/chat/completions")]
        routes.append(Route("/v1/models", self.models))
        return Starlette(routes=routes)

    async def models(self, request: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": "fake-model", "object": "model"}]})

    async def chat(self, request: Request):
        body = await request.json()
        self.received.append(Received(time.monotonic(), request.url.path, body,
                                      dict(request.headers)))
        fault = self.faults.popleft() if self.faults else Fault()
        await asyncio.sleep(self.latency + fault.delay)
        if fault.status:
            return self._error(fault)
        model = body.get("model", "fake-model")
        reply = self._leaked(body["messages"]) if self.leak else self.reply
        tokens = reply.split(" ")
        tokens = [t if i == 0 else " " + t for i, t in enumerate(tokens)]
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in body["messages"]) // 4
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(tokens),
                 "total_tokens": prompt_tokens + len(tokens)}
        if not body.get("stream"):
            whole = JSONResponse({
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": reply}}],
                **({"usage": usage} if self.send_usage else {}),
            })
            if fault.cut_body:  # announce the whole length, send half, and hang up
                return Response(whole.body[:len(whole.body) // 2], media_type="application/json",
                                headers={"content-length": str(len(whole.body))})
            return whole
        include_usage = (body.get("stream_options") or {}).get("include_usage")
        groq = request.url.path.startswith("/openai/")
        return StreamingResponse(
            self._stream(model, tokens, usage if self.send_usage else None, include_usage, groq,
                         fault.cut_after, fault.end_after),
            media_type="text/event-stream")

    async def _stream(self, model, tokens, usage, include_usage, groq, cut_after, end_after):
        def chunk(delta, finish=None, **extra):
            choices = [{"index": 0, "delta": delta, "finish_reason": finish}] if delta is not None \
                else []
            data = {"id": "chatcmpl-fake", "object": "chat.completion.chunk",
                    "created": int(time.time()), "model": model, "choices": choices, **extra}
            return f"data: {json.dumps(data)}\n\n".encode()

        yield chunk({"role": "assistant", "content": ""})
        for i, token in enumerate(tokens):
            if cut_after is not None and i >= cut_after:
                raise ConnectionResetError("stream cut on purpose")
            if end_after is not None and i >= end_after:
                return  # a body that ends cleanly, mid-answer: no finish_reason, no [DONE]
            if self.token_delay:
                await asyncio.sleep(self.token_delay)
            yield chunk({"content": token})
        if groq and usage:
            yield chunk({}, "stop", x_groq={"id": "req_fake", "usage": usage})
        else:
            yield chunk({}, "stop")
            if include_usage and usage:
                yield chunk(None, usage=usage)
        yield b"data: [DONE]\n\n"

    def _leaked(self, messages: list[dict]) -> str:
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        if self.leak == "context":  # everything the profile passages say, word for word
            profile = messages[-1]["content"].split("\u27e6VISITOR")[0]
            return f"Here is all I know: {profile}"
        if self.leak == "rules":
            system = system[system.find("Rules"):]
        if self.leak == "prompt-base64":
            system = base64.b64encode(system.encode()).decode()
        if self.leak == "prompt-spaced":
            system = " ".join(system)
        return f"Sure! Here is what I was told: {system}"

    @staticmethod
    def _error(fault: Fault) -> JSONResponse:
        messages = {400: "bad request", 401: "Invalid API Key", 404: "model not found",
                    413: "Request too large for model: tokens per minute (TPM) limit",
                    429: "Rate limit reached", 500: "internal error", 503: "over capacity"}
        code = fault.code or {401: "invalid_api_key", 404: "model_not_found",
                              413: "rate_limit_exceeded", 429: "rate_limit_exceeded"}.get(
            fault.status, "server_error")
        message = messages.get(fault.status, "error")
        if code == "model_decommissioned":
            message = "The model `llama-3.1-8b-instant` has been decommissioned"
        headers = {"retry-after": str(fault.retry_after)} if fault.retry_after is not None else {}
        return JSONResponse({"error": {"message": message, "type": "invalid_request_error",
                                       "code": code}}, status_code=fault.status, headers=headers)
