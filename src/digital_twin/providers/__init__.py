"""LLM providers behind one interface, and the chain that keeps answers coming."""

from __future__ import annotations

from .base import Completion, Provider, Request, Usage
from .registry import build_chain, build_provider
from .resilience import Chain, CircuitBreaker, Outcome

__all__ = ["Chain", "CircuitBreaker", "Completion", "Outcome", "Provider", "Request",
           "Usage", "build_chain", "build_provider"]
