"""Prometheus metrics at /metrics: answers, tokens, cost, cache hits, circuits, requests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from digital_twin.api import create_app
from digital_twin.config import Settings
from digital_twin.service import Twin

from .fake_llm import Fault

QUESTION = "Tell me about your time at Northwind Analytics"


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in the exposition text (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_follow_answers(settings, embedder, example, llm):
    config = Settings(**{**settings.model_dump(), "provider": "groq", "groq_api_key": "gsk_t",
                         "groq_base_url": llm.url, "max_retries": 0, "rate_limit": 0,
                         "breaker_threshold": 1, "breaker_cooldown": 60})
    twin = Twin(config, embedder=embedder)
    twin.ingest([example])
    client = TestClient(create_app(config, twin))
    before = client.get("/metrics").text
    model = "openai/gpt-oss-20b"
    client.post("/api/query", json={"question": QUESTION})
    client.post("/api/query", json={"question": QUESTION})  # from the cache
    llm.faults.append(Fault(status=500))
    client.post("/api/query", json={"question": "Which cloud platforms do you use?"})
    after = client.get("/metrics").text

    def grew(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("twin_answers_total", outcome="answered", provider="groq", model=model) == 2
    assert grew("twin_cache_hits_total") == 1
    assert grew("twin_tokens_total", model=model, kind="completion") > 0
    assert grew("twin_cost_usd_total", model=model) > 0
    assert grew("twin_fallbacks_total", provider="extractive") == 1
    assert sample(after, "twin_circuit_state", provider="groq", model=model) == 2  # open
    assert grew("twin_http_requests_total", endpoint="/api/query", method="POST",
                status="200") == 3
    assert grew("twin_answer_seconds_count", provider="groq") == 1


def test_metrics_need_the_token_when_set(twin, settings):
    secured = type(settings)(**{**settings.model_dump(), "api_token": "tok"})
    client = TestClient(create_app(secured, twin))
    assert client.get("/metrics").status_code == 401
    ok = client.get("/metrics", headers={"authorization": "Bearer tok"})
    assert ok.status_code == 200 and "twin_answers_total" in ok.text
