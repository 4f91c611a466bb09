"""Prometheus metrics (prometheus-client): answer latency and time to first token, tokens and
cost by model, cache hits, fallbacks, answers by outcome, and each provider's circuit (the
requests by endpoint and status are counted in `api/guards.py`).

Under `twin serve --workers N` every worker writes its samples to a shared folder
(`PROMETHEUS_MULTIPROC_DIR`, which `serve` sets) and `/metrics` adds them up, as the library's
multiprocess mode does; in one process the default registry is read directly.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from ..stores import UsageRecord

SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30)
CIRCUIT = {"closed": 0, "half-open": 1, "open": 2}

ANSWERS = Counter("twin_answers", "Answers by outcome and provider",
                  ["outcome", "provider", "model"])
ANSWER_SECONDS = Histogram("twin_answer_seconds", "Time to a whole answer", ["provider"],
                           buckets=SECONDS)
FIRST_TOKEN_SECONDS = Histogram("twin_time_to_first_token_seconds",
                                "Time to the first piece of an answer", ["provider"],
                                buckets=SECONDS)
TOKENS = Counter("twin_tokens", "LLM tokens by model", ["model", "kind"])
COST = Counter("twin_cost_usd", "Cost in US dollars by model", ["model"])
CACHE_HITS = Counter("twin_cache_hits", "Answers given from the response cache")
FALLBACKS = Counter("twin_fallbacks", "Answers that fell back to another provider",
                    ["provider"])
CIRCUITS = Gauge("twin_circuit_state", "Each provider's circuit: 0 closed, 1 half-open, 2 open",
                 ["provider", "model"], multiprocess_mode="max")


def observe_answer(record: UsageRecord) -> None:
    ANSWERS.labels(record.outcome, record.provider, record.model).inc()
    if record.cached:  # the provider's latency and tokens were counted the first time
        CACHE_HITS.inc()
        return
    if record.outcome != "abandoned":
        ANSWER_SECONDS.labels(record.provider).observe(record.latency_ms / 1000)
    if record.ttft_ms is not None:
        FIRST_TOKEN_SECONDS.labels(record.provider).observe(record.ttft_ms / 1000)
    TOKENS.labels(record.model, "prompt").inc(record.prompt_tokens)
    TOKENS.labels(record.model, "completion").inc(record.completion_tokens)
    COST.labels(record.model).inc(record.cost_usd)
    if record.fallback_reason:
        FALLBACKS.labels(record.provider).inc()


def observe_circuits(chain: list[dict]) -> None:
    for link in chain:
        CIRCUITS.labels(link["name"], link["model"]).set(CIRCUIT.get(link["circuit"], 0))


def exposition() -> tuple[bytes, str]:
    """The metrics text, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
