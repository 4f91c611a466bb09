"""The provider chain that answers each session: the twin's own, or its experiment variant's
(`experiments.py`). With no experiment, the twin's chain answers everything; with one, each
variant has its chain (its provider, model and temperature first, then the twin's fallbacks)."""

from __future__ import annotations

import logging

from ..config import Settings
from ..experiments import Variant, assign
from ..plugins import ProviderSpec
from .base import Provider
from .registry import build_chain
from .resilience import Chain

log = logging.getLogger("digital_twin.experiments")


class Arms:
    """The twin's chain, and one chain per variant of the running experiment. Chains share
    circuit breakers and call slots per provider and model: one upstream, one circuit."""

    def __init__(self, settings: Settings, providers: list[Provider] | None = None):
        options = {"threshold": settings.breaker_threshold, "cooldown": settings.breaker_cooldown,
                   "concurrency": settings.provider_concurrency}
        self.default = Chain(providers or build_chain(settings), **options)
        # Injected providers (an embedding program's own) answer alone: no experiment.
        self.experiment = None if providers else settings.experiment
        self.owned = providers is None  # an embedding program closes its own providers
        self.chains: dict[str, Chain] = {}
        for variant in self.experiment.variants if self.experiment else []:
            spec = ProviderSpec(variant.provider or settings.provider_name, variant.model)
            self.chains[variant.name] = Chain(build_chain(settings, spec, variant.temperature),
                                              shared=self.default, **options)

    def pick(self, session_id: str) -> tuple[Variant | None, Chain]:
        if not self.experiment:
            return None, self.default
        variant = assign(self.experiment, session_id)
        return variant, self.chains[variant.name]

    async def aclose(self) -> None:
        """Release every provider's connections, once each."""
        if not self.owned:
            return
        chains = [self.default, *self.chains.values()]
        for provider in {id(p): p for chain in chains for p in chain.providers}.values():
            try:
                await provider.aclose()
            except Exception as exc:  # the others are closed all the same
                log.warning("closing %s failed: %s", provider.name, exc)

    def circuits(self) -> list[dict]:
        """Every provider's circuit, once each."""
        seen: dict[tuple, dict] = {}
        for chain in [self.default, *self.chains.values()]:
            for state in chain.state():
                seen.setdefault((state["name"], state["model"]), state)
        return list(seen.values())

    def describe(self) -> dict | None:
        if not self.experiment:
            return None
        total = sum(v.weight for v in self.experiment.variants)
        return {"name": self.experiment.name,
                "variants": [{"name": v.name, "share": round(v.weight / total, 4),
                              "provider": self.chains[v.name].primary.name,
                              "model": self.chains[v.name].primary.model,
                              "prompt_style": v.prompt_style}
                             for v in self.experiment.variants]}
