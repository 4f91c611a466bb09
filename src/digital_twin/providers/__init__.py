"""LLM providers behind one interface, and the chain that keeps answers coming."""

from __future__ import annotations

from ..config import Settings
from .base import Completion, Provider, Request, Usage
from .chat import ChatProvider, groq_provider, openai_provider
from .extractive import ExtractiveProvider

__all__ = ["ChatProvider", "Completion", "ExtractiveProvider", "Provider", "Request", "Usage",
           "build_provider"]


def build_provider(settings: Settings) -> Provider:
    """The configured primary provider (the chain around it lives in the service)."""
    name = settings.provider_name
    if name == "groq":
        return groq_provider(settings)
    if name == "openai":
        return openai_provider(settings)
    return ExtractiveProvider()
