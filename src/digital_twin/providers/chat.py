"""LLM providers over chat-completions SDKs: Groq's official SDK, and OpenAI's for any
OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM, LM Studio, OpenAI itself).

Both SDKs retry 408/409/429/5xx with backoff and honour `retry-after`; we only configure
`max_retries` and `timeout`, and translate what still fails into the twin's error tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..config import Settings
from ..errors import (
    AuthError,
    ConfigError,
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
                 max_tokens: int, key_setting: str, model_setting: str,
                 extra: dict | None = None, stream_options: bool = True):
        self.name = name
        self.client = client
        self.model = model
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.key_setting = key_setting
        self.model_setting = model_setting
        self.extra = extra or {}
        self.stream_options = stream_options

    def _params(self, request: Request) -> dict:
        return {"model": self.model, "messages": request.messages,
                "temperature": self.temperature, "max_tokens": self.max_tokens, **self.extra}

    def complete(self, request: Request) -> Completion:
        try:
            reply = self.client.chat.completions.create(**self._params(request))
        except Exception as exc:
            raise self.translate(exc) from exc
        text = _clean(reply.choices[0].message.content or "") if reply.choices else ""
        if reply.usage:
            usage = Usage(reply.usage.prompt_tokens or 0, reply.usage.completion_tokens or 0,
                          reply.usage.total_tokens or 0)
        else:
            usage = Usage.estimate(_prompt_text(request), text)
        return Completion(text, usage, reply.model or self.model)

    def stream(self, request: Request) -> Iterator[str | Usage]:
        params = self._params(request)
        if self.stream_options:
            params["stream_options"] = {"include_usage": True}
        usage, pieces = None, []
        try:
            for chunk in self.client.chat.completions.create(stream=True, **params):
                usage = _chunk_usage(chunk) or usage
                for choice in chunk.choices or []:
                    piece = getattr(choice.delta, "content", None)
                    if piece:
                        pieces.append(piece)
                        yield piece
        except Exception as exc:
            raise self.translate(exc) from exc
        yield usage or Usage.estimate(_prompt_text(request), "".join(pieces))

    def translate(self, exc: Exception) -> ProviderError:
        """SDK exceptions (both SDKs share their shape) to errors that say what to do."""
        kind = type(exc).__name__
        status = getattr(exc, "status_code", None)
        body = str(getattr(exc, "body", "") or exc)
        where = f"{self.name} ({self.model})"
        if status in (401, 403) or kind in ("AuthenticationError", "PermissionDeniedError"):
            return AuthError(f"{self.name} rejected the API key ({status}).",
                             hint=f"Check {self.key_setting} in your environment or .env.")
        if status == 413:
            return RequestTooLargeError(
                f"{where}: the request is larger than the tokens-per-minute budget (413).")
        decommissioned = "decommission" in body or "model_not_found" in body or (
            "does not exist" in body and "model" in body)
        if status == 404 or (status == 400 and decommissioned):
            choices = ", ".join(GROQ_CURRENT_MODELS) if self.name == "groq" else "a served model"
            return ModelNotFoundError(
                f"{self.name} does not serve model '{self.model}' (retired or unknown).",
                hint=f"Set {self.model_setting} to a current model, e.g. {choices}.")
        if status == 429:
            return ProviderError(f"{where} is rate limiting us (429) after retries.")
        if kind == "APITimeoutError":
            return ProviderError(f"{where} timed out.")
        if kind == "APIConnectionError":
            return ProviderError(f"{where} cannot be reached.")
        if status:
            return ProviderError(f"{where} failed with HTTP {status}.")
        if isinstance(exc, ProviderError):
            return exc
        return ProviderError(f"{where} failed: {kind}: {exc}")


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
    from groq import Groq

    client = Groq(api_key=settings.groq_api_key.get_secret_value(),
                  base_url=settings.groq_base_url, max_retries=settings.max_retries,
                  timeout=settings.groq_timeout)
    model = model or settings.groq_model
    extra = {"reasoning_effort": settings.groq_reasoning_effort} if "gpt-oss" in model else {}
    return ChatProvider("groq", client, model, temperature=settings.groq_temperature,
                        max_tokens=settings.groq_max_tokens, key_setting="GROQ_API_KEY",
                        model_setting="GROQ_MODEL", extra=extra, stream_options=False)


def openai_provider(settings: Settings, model: str | None = None) -> ChatProvider:
    model = model or settings.openai_model
    if not model:
        raise ConfigError("OPENAI_MODEL is not set.",
                          hint="Set OPENAI_MODEL to a model your endpoint serves, e.g. llama3.2.")
    if not settings.openai_base_url and not settings.openai_api_key:
        raise ConfigError("Neither OPENAI_BASE_URL nor OPENAI_API_KEY is set.",
                          hint="Set OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama).")
    from openai import OpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    client = OpenAI(api_key=key, base_url=settings.openai_base_url,
                    max_retries=settings.max_retries, timeout=settings.openai_timeout)
    return ChatProvider("openai", client, model, temperature=settings.openai_temperature,
                        max_tokens=settings.openai_max_tokens, key_setting="OPENAI_API_KEY",
                        model_setting="OPENAI_MODEL")
