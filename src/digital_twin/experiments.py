"""A/B experiments: what one is, and which variant answers a session.

An experiment (`TWIN_EXPERIMENT`) names its variants: each a provider, model, temperature and
prompt style, with a weight. A session is assigned a variant by hashing the experiment's name with
the session id: the same session gets the same variant on every request and every worker, with no
state to share, and sessions split between variants in proportion to their weights. Each
variant's provider chain is built by `providers.arms`.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from itertools import accumulate
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from .plugins import ProviderName

PromptStyle = Literal["default", "concise", "detailed"]


class Variant(BaseModel, extra="forbid"):
    """One arm of an A/B experiment: who answers, how, and its share of the sessions."""

    name: str = Field(..., min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    provider: ProviderName | None = Field(None, description="unset: the twin's provider")
    model: str | None = None
    temperature: float | None = Field(None, ge=0.0, le=2.0)
    prompt_style: PromptStyle = "default"
    weight: float = Field(1.0, gt=0, le=1_000_000, allow_inf_nan=False)


class Experiment(BaseModel, extra="forbid"):
    """Sessions split between variants by weight; a session keeps its variant."""

    name: str = Field(..., min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    variants: list[Variant] = Field(..., min_length=1)

    @field_validator("variants")
    @classmethod
    def _unique(cls, value: list[Variant]) -> list[Variant]:
        names = [v.name for v in value]
        if len(set(names)) != len(names):
            raise ValueError(f"variant names repeat: {', '.join(names)}")
        return value


def assign(experiment: Experiment, session_id: str) -> Variant:
    """The variant of `session_id`: a point in [0, total weight) from a hash, sticky."""
    digest = hashlib.sha256(f"{experiment.name}\0{session_id}".encode()).digest()
    bounds = list(accumulate(v.weight for v in experiment.variants))
    point = int.from_bytes(digest[:8], "big") / 2**64 * bounds[-1]
    return experiment.variants[min(bisect_right(bounds, point), len(bounds) - 1)]
