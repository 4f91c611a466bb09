"""The response cache: hits, expiry, re-ingest, follow-ups, fallbacks, and its `cached` mark."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from digital_twin.api import create_app
from digital_twin.config import Settings
from digital_twin.service import Done, Token, Twin

from .conftest import usage_rows, write_json
from .fake_llm import DEFAULT_REPLY, Fault

QUESTION = "Tell me about your time at Northwind Analytics"


@pytest.fixture
def cached_twin(settings, embedder, example, llm):
    def make(**overrides) -> Twin:
        config = Settings(**{**settings.model_dump(), "provider": "openai", "max_retries": 0,
                             "openai_base_url": llm.url + "/v1", "openai_model": "fake-model",
                             "rate_limit": 0, **overrides})
        twin = Twin(config, embedder=embedder)
        twin.ingest([example])
        return twin
    return make


def test_a_repeated_question_is_answered_from_the_cache(cached_twin, llm):
    twin = cached_twin()
    first = twin.ask(QUESTION)
    calls = len(llm.received)
    events = list(twin.stream("  tell me about your time at NORTHWIND analytics?? "))
    again = events[-1].answer
    assert len(llm.received) == calls  # no LLM call
    assert again.cached and not first.cached
    assert again.answer == first.answer == DEFAULT_REPLY and again.sources == first.sources
    assert "".join(e.text for e in events if isinstance(e, Token)) == again.answer
    row = usage_rows(twin)[0]
    assert row.cached and row.cost_usd == 0 and row.prompt_tokens == 0


def test_entries_expire(cached_twin, llm):
    twin = cached_twin(cache_ttl=0.5)
    twin.ask(QUESTION)
    time.sleep(0.7)
    calls = len(llm.received)
    assert not twin.ask(QUESTION).cached and len(llm.received) == calls + 1


def test_a_reingest_invalidates(cached_twin, llm, example):
    twin = cached_twin()
    twin.ask(QUESTION)
    data = json.loads(example.read_text())
    data["personal"]["location"] = "Montreal, Canada"
    write_json(example, data)
    twin.ingest([example])
    assert not twin.ask(QUESTION).cached


def test_follow_ups_and_fallbacks_bypass_it(cached_twin, llm):
    twin = cached_twin()
    first = twin.ask(QUESTION)
    follow = twin.ask(QUESTION, first.session_id)  # inside a conversation: asked afresh
    assert not follow.cached
    llm.faults.append(Fault(status=500))
    other = twin.ask("Which cloud platforms do you use?")
    assert other.fallback_reason and not other.cached
    assert not twin.ask("Which cloud platforms do you use?").cached  # the fallback was not kept


def test_semantic_mode_and_off(cached_twin, llm):
    twin = cached_twin(cache="semantic", cache_similarity=0.9)
    twin.ask("What cloud platforms do you use?")
    assert twin.ask("Which cloud platforms do you use?").cached  # a paraphrase
    assert not twin.ask("Where did you study?").cached
    off = cached_twin(cache="off")
    off.ask(QUESTION)
    assert not off.ask(QUESTION).cached


def test_cached_is_marked_in_the_api(cached_twin, llm):
    twin = cached_twin()
    client = TestClient(create_app(twin.settings, twin))
    assert client.post("/api/query", json={"question": QUESTION}).json()["cached"] is False
    assert client.post("/api/query", json={"question": QUESTION}).json()["cached"] is True
    stream = client.post("/api/query/stream", json={"question": QUESTION}).text
    assert '"cached": true' in stream and "event: token" in stream
    done = [e for e in twin.stream(QUESTION) if isinstance(e, Done)][0]
    assert done.answer.as_dict()["cached"] is True
