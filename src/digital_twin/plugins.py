"""LLM providers by name. A package adds one by registering a factory in the
`digital_twin.providers` entry-point group, as simonw/llm's plugins do; the twin's own three are
the same kind of factory, named here. A factory takes the twin's `Settings` and a model name (or
None) and returns a `Provider`. The settings accept exactly the names found here."""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

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
