"""Providers by name: each name has one factory, and the chain is built from the settings."""

from __future__ import annotations

from collections.abc import Callable

from ..config import ProviderSpec, Settings
from .base import Provider
from .chat import groq_provider, openai_provider
from .extractive import ExtractiveProvider

Factory = Callable[[Settings, str | None], Provider]

REGISTRY: dict[str, Factory] = {
    "groq": groq_provider,
    "openai": openai_provider,
    "extractive": lambda settings, model: ExtractiveProvider(),
}


def build_provider(settings: Settings, spec: ProviderSpec) -> Provider:
    return REGISTRY[spec.name](settings, spec.model)


def build_chain(settings: Settings) -> list[Provider]:
    """The providers in the order they are tried. The extractive provider cannot fail, so it
    always ends the chain, and nothing after it would ever run."""
    chain: list[Provider] = []
    for spec in settings.provider_chain:
        chain.append(build_provider(settings, spec))
        if spec.name == "extractive":
            return chain
    return [*chain, ExtractiveProvider()]
