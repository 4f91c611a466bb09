"""LLM providers behind one interface, and the chain that keeps answers coming."""

from __future__ import annotations

from ..config import Settings
from ..errors import ConfigError
from .base import Completion, Provider, Request, Usage
from .chat import ChatProvider, groq_provider, openai_provider
from .extractive import ExtractiveProvider
from .resilience import Chain, CircuitBreaker, Outcome, Reset

__all__ = ["Chain", "ChatProvider", "CircuitBreaker", "Completion", "ExtractiveProvider",
           "Outcome", "Provider", "Request", "Reset", "Usage", "build_chain", "build_provider"]


def build_provider(settings: Settings) -> Provider:
    """The configured primary provider (the chain around it lives in the service)."""
    name = settings.provider_name
    if name == "groq":
        return groq_provider(settings)
    if name == "openai":
        return openai_provider(settings)
    return ExtractiveProvider()


def build_chain(settings: Settings) -> list[Provider]:
    """The primary provider, then each `TWIN_FALLBACK` entry (`name` or `name:model`)."""
    chain = [build_provider(settings)]
    for spec in settings.fallback:
        name, _, model = spec.partition(":")
        if name == "groq":
            chain.append(groq_provider(settings, model or None))
        elif name == "openai":
            chain.append(openai_provider(settings, model or None))
        elif name == "extractive":
            break
        else:
            raise ConfigError(f"TWIN_FALLBACK names an unknown provider '{name}'.",
                              hint="Use groq[:model], openai[:model] or extractive.")
    return chain
