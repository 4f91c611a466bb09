"""The chain of providers, built from the settings: each name's factory is found in `plugins.py`
(built in, or registered by an installed package)."""

from __future__ import annotations

from collections.abc import Callable

from ..config import Settings
from ..plugins import ProviderSpec, providers
from .base import Provider
from .extractive import ExtractiveProvider

Factory = Callable[[Settings, str | None], Provider]


def build_provider(settings: Settings, spec: ProviderSpec,
                   temperature: float | None = None) -> Provider:
    factory: Factory = providers()[spec.name].load()
    provider = factory(settings, spec.model)
    if temperature is not None and hasattr(provider, "temperature"):
        provider.temperature = temperature
    return provider


def build_chain(settings: Settings, primary: ProviderSpec | None = None,
                temperature: float | None = None) -> list[Provider]:
    """The providers in the order they are tried: `primary` (by default the twin's provider),
    then the fallbacks. The extractive provider cannot fail, so it always ends the chain, and
    nothing after it would ever run."""
    chain: list[Provider] = []
    specs = [primary or ProviderSpec(settings.provider_name), *settings.fallback]
    for number, spec in enumerate(specs):
        chain.append(build_provider(settings, spec, temperature if number == 0 else None))
        if spec.name == "extractive":
            return chain
    return [*chain, ExtractiveProvider()]
