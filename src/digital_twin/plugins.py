"""LLM providers by name. A package adds one by registering a factory in the
`digital_twin.providers` entry-point group, as simonw/llm's plugins do; the twin's own three are
the same kind of factory, named here. A factory takes the twin's `Settings` and a model name (or
None) and returns a `Provider`. The settings accept exactly the names found here
(`ProviderName`), each with an optional model (`ProviderSpec`)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Annotated, NamedTuple

from pydantic import AfterValidator

GROUP = "digital_twin.providers"
BUILT_IN = {
    "groq": "digital_twin.providers.chat:groq_provider",
    "openai": "digital_twin.providers.chat:openai_provider",
    "extractive": "digital_twin.providers.extractive:extractive_provider",
}


@cache
def providers() -> dict[str, EntryPoint]:
    """Every provider by name: the built-in ones, then the installed plugins' (a plugin may not
    take a built-in name)."""
    found = {name: EntryPoint(name, target, GROUP) for name, target in BUILT_IN.items()}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return found


def provider_names() -> tuple[str, ...]:
    return tuple(providers())


def _known_provider(name: str) -> str:
    if name not in provider_names():
        raise ValueError(f"unknown provider '{name}'; installed: {', '.join(provider_names())}")
    return name


# a provider's name: the built-in ones and those installed plugins register
ProviderName = Annotated[str, AfterValidator(_known_provider)]


class ProviderSpec(NamedTuple):
    """One link of the provider chain: a provider's name and, optionally, its model."""

    name: ProviderName
    model: str | None = None

    @classmethod
    def parse(cls, text: str) -> ProviderSpec:
        """`groq`, `groq:openai/gpt-oss-120b`, `openai:llama3.2`, `extractive`."""
        name, _, model = str(text).strip().partition(":")
        if name not in provider_names():
            raise ValueError(f"TWIN_FALLBACK names an unknown provider '{name}'; use one of "
                             f"{', '.join(provider_names())}, each with an optional :model")
        return cls(name, model.strip() or None)
