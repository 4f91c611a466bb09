"""LLM providers over chat-completions SDKs: Groq's official SDK, and OpenAI's for any
OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM, LM Studio, OpenAI itself). Both through
their async clients: an answer waiting on the LLM holds no thread.

Both SDKs retry 408/409/429/5xx with backoff and honour `retry-after`; we only configure
`max_retries` and `timeout`, and translate what still fails into the twin's error tree.
"""

from __future__ import annotations

import functools
import re
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

from ..config import Settings
from ..errors import (
    AuthError,
    ConfigError,
    IncompleteAnswerError,
    ModelNotFoundError,
    ProviderError,
    RequestTooLargeError,
)
from .base import Completion, Request, Usage

GROQ_CURRENT_MODELS = ("openai/gpt-oss-20b", "openai/gpt-oss-120b")
_THINK = re.compile(r"<think>.*?(</think>|\Z)", re.S)


def _clean(text: str) -> str:
    """Reasoning models may inline their reasoning; it is never part of the answer."""
    return _THINK.sub("", text or "").strip()


class ChatProvider:
    def __init__(self, name: str, client: Any, model: str, *, temperature: float,
                 max_tokens: int, timeout: float, key_setting: str, model_setting: str,
                 extra: dict | None = None, stream_options: bool = True):
        self.name = name
        self.timeout = timeout
        self.client = client
        self.model = model
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.key_setting = key_setting
        self.model_setting = model_setting
        self.extra = extra or {}
        self.stream_options = stream_options

    def _params(self, request: Request) -> dict:
        params = {"model": self.model, "messages": request.messages,
                  "temperature": self.temperature, "max_tokens": self.max_tokens, **self.extra}
        left = request.seconds_left()
        if left is not None:  # no single attempt may outlive the answer's deadline
            params["timeout"] = max(0.5, min(self.timeout, left))
        return params

    async def aclose(self) -> None:
        await self.client.close()

    async def complete(self, request: Request) -> Completion:
        try:
            reply = await self.client.chat.completions.create(**self._params(request))
        except Exception as exc:
            raise self.translate(exc) from exc
        text = _clean(reply.choices[0].message.content or "") if reply.choices else ""
        if reply.usage:
            usage = Usage(reply.usage.prompt_tokens or 0, reply.usage.completion_tokens or 0,
                          reply.usage.total_tokens or 0)
        else:
            usage = Usage.estimate(_prompt_text(request), text)
        return Completion(text, usage, reply.model or self.model)

    async def stream(self, request: Request) -> AsyncIterator[str | Completion]:
        params = self._params(request)
        if self.stream_options:
            params["stream_options"] = {"include_usage": True}
        usage, pieces, model, finished = None, [], self.model, False
        reply = None
        try:
            reply = await self.client.chat.completions.create(stream=True, **params)
            async for chunk in reply:
                usage = _chunk_usage(chunk) or usage
                model = getattr(chunk, "model", None) or model
                for choice in chunk.choices or []:
                    finished = finished or bool(choice.finish_reason)
                    piece = getattr(choice.delta, "content", None)
                    if piece:
                        pieces.append(piece)
                        yield piece
        except Exception as exc:
            raise self.translate(exc) from exc
        finally:  # a visitor who left, or a deadline: the connection goes back to the pool
            if reply is not None:
                await reply.close()
        if not finished:  # the connection closed before the server said the answer was done
            raise IncompleteAnswerError(
                f"{self.name} ({self.model}) stopped streaming before the answer was complete.")
        text = "".join(pieces)
        yield Completion(_clean(text), usage or Usage.estimate(_prompt_text(request), text),
                         model)

    def translate(self, exc: Exception) -> ProviderError:
        """An SDK exception (both SDKs share their shape) to an error that says what to do."""
        causes = _causes(exc)
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return ProviderError(f"{self.where} cannot be reached: its host name does not "
                                 f"resolve (no network, or a mistyped base URL).")
        if any(type(cause).__name__ in _CUT_OFF for cause in causes):
            return IncompleteAnswerError(f"{self.where} dropped the connection mid-answer.")
        for kinds, make in _error_table():
            if isinstance(exc, kinds):
                return make(self, exc)
        return ProviderError(f"{self.where} failed: {type(exc).__name__}: {exc}")

    @property
    def where(self) -> str:
        return f"{self.name} ({self.model})"


# What the HTTP clients raise when a reply ends before the length it announced (httpx,
# aiohttp); an SDK wraps them as a connection error, though the server was reached.
_CUT_OFF = {"RemoteProtocolError", "ClientPayloadError", "ContentLengthError",
            "TransferEncodingError", "ServerDisconnectedError"}


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and what caused it, outermost first (each SDK wraps its HTTP client's errors)."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain and len(chain) < 12:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


def _by_status(provider: ChatProvider, exc: Any) -> ProviderError:
    status = exc.status_code
    if status in (401, 403):
        return AuthError(f"{provider.name} rejected the API key ({status}).",
                         hint=f"Check {provider.key_setting} in your environment or .env.")
    body = str(getattr(exc, "body", "") or exc)
    retired = any(word in body for word in ("decommission", "model_not_found")) or (
        "does not exist" in body and "model" in body)
    if status == 404 or (status == 400 and retired):
        choices = ", ".join(GROQ_CURRENT_MODELS) if provider.name == "groq" else "a served model"
        return ModelNotFoundError(
            f"{provider.name} does not serve model '{provider.model}' (retired or unknown).",
            hint=f"Set {provider.model_setting} to a current model, e.g. {choices}.")
    if status == 413:
        return RequestTooLargeError(
            f"{provider.where}: the request is larger than the tokens-per-minute budget (413).")
    if status == 429:
        return ProviderError(f"{provider.where} is rate limiting us (429) after retries.")
    return ProviderError(f"{provider.where} failed with HTTP {status}.")


@functools.cache
def _error_table() -> tuple[tuple[tuple[type, ...], Callable[[ChatProvider, Any],
                                                             ProviderError]], ...]:
    """Which SDK exception means what. Order matters: a timeout is also a connection error."""
    import groq
    import httpx
    import openai

    return (
        ((ProviderError,), lambda provider, exc: exc),
        ((openai.APITimeoutError, groq.APITimeoutError, httpx.TimeoutException),
         lambda provider, exc: ProviderError(f"{provider.where} timed out.")),
        ((openai.APIConnectionError, groq.APIConnectionError),
         lambda provider, exc: ProviderError(f"{provider.where} cannot be reached.")),
        ((openai.APIStatusError, groq.APIStatusError), _by_status),
        ((httpx.TransportError,),  # raised while reading a stream: the connection broke
         lambda provider, exc: IncompleteAnswerError(
             f"{provider.where} dropped the connection mid-answer ({type(exc).__name__}).")),
    )


def _prompt_text(request: Request) -> str:
    return "\n".join(str(m.get("content", "")) for m in request.messages)


def _chunk_usage(chunk: Any) -> Usage | None:
    raw = getattr(chunk, "usage", None)
    x_groq = getattr(chunk, "x_groq", None)
    if raw is None and x_groq is not None:
        raw = getattr(x_groq, "usage", None)
    if raw is None:
        return None
    return Usage(raw.prompt_tokens or 0, raw.completion_tokens or 0, raw.total_tokens or 0)


def groq_provider(settings: Settings, model: str | None = None) -> ChatProvider:
    if not settings.groq_api_key:
        raise ConfigError("GROQ_API_KEY is not set.",
                          hint="Put GROQ_API_KEY=... in .env, or set TWIN_PROVIDER=extractive.")
    from groq import AsyncGroq, DefaultAioHttpClient

    client = AsyncGroq(api_key=settings.groq_api_key.get_secret_value(),
                       base_url=settings.groq_base_url, max_retries=settings.max_retries,
                       timeout=settings.groq_timeout, http_client=DefaultAioHttpClient())
    model = model or settings.groq_model
    extra = {"reasoning_effort": settings.groq_reasoning_effort} if "gpt-oss" in model else {}
    return ChatProvider("groq", client, model, temperature=settings.groq_temperature,
                        max_tokens=settings.groq_max_tokens, timeout=settings.groq_timeout,
                        key_setting="GROQ_API_KEY",
                        model_setting="GROQ_MODEL", extra=extra, stream_options=False)


def openai_provider(settings: Settings, model: str | None = None) -> ChatProvider:
    model = model or settings.openai_model
    missing = [name for name, value in (
        ("OPENAI_MODEL", model),
        ("OPENAI_BASE_URL (or OPENAI_API_KEY)",
         settings.openai_base_url or settings.openai_api_key)) if not value]
    if missing:
        raise ConfigError(f"The openai provider needs {' and '.join(missing)}, which "
                          f"{'is' if len(missing) == 1 else 'are'} not set.",
                          hint="For example OPENAI_BASE_URL=http://127.0.0.1:11434/v1 and "
                               "OPENAI_MODEL=llama3.2 for Ollama.")
    from openai import AsyncOpenAI, DefaultAioHttpClient

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    client = AsyncOpenAI(api_key=key, base_url=settings.openai_base_url,
                         max_retries=settings.max_retries, timeout=settings.openai_timeout,
                         http_client=DefaultAioHttpClient())
    return ChatProvider("openai", client, model, temperature=settings.openai_temperature,
                        max_tokens=settings.openai_max_tokens, timeout=settings.openai_timeout,
                        key_setting="OPENAI_API_KEY", model_setting="OPENAI_MODEL")
