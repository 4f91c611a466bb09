"""Property-based fuzzing of the API from its own schema: whatever arrives, never a 5xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digital_twin.api import create_app

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10),
                                                                       children, max_size=4),
    max_leaves=12,
)
query_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"question": st.text(max_size=300)},
                          optional={"session_id": st.one_of(st.none(), st.text(max_size=80))}),
)
feedback_bodies = st.fixed_dictionaries(
    {"question": st.text(max_size=40), "answer": st.text(max_size=40),
     "rating": st.one_of(st.sampled_from([1, -1]), st.integers())},
    optional={"comment": st.one_of(st.none(), st.text(max_size=40))})


@pytest.fixture(scope="module")
def client(tmp_path_factory, embedder):
    from digital_twin.config import Settings
    from digital_twin.service import Twin

    from .conftest import EXAMPLE

    base = tmp_path_factory.mktemp("fuzz")
    config = Settings(db=base / "twin.db", provider="extractive", rate_limit=0)
    twin = Twin(config, embedder=embedder)
    twin.ingest([EXAMPLE])
    return TestClient(create_app(config, twin), raise_server_exceptions=False)


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(body=query_bodies)
def test_query_never_5xx(client, body):
    res = client.post("/api/query", json=body)
    assert res.status_code < 500, res.text
    assert res.status_code in (200, 422)


@FUZZ
@given(body=query_bodies)
def test_stream_never_5xx(client, body):
    res = client.post("/api/query/stream", json=body)
    assert res.status_code < 500 and "status\": 500" not in res.text


@FUZZ
@given(q=st.text(max_size=200), k=st.one_of(st.integers(-5, 100), st.text(max_size=5)))
def test_search_never_5xx(client, q, k):
    res = client.get("/api/search", params={"q": q, "k": k})
    assert res.status_code in (200, 422), res.text


@FUZZ
@given(body=feedback_bodies)
def test_feedback_never_5xx(client, body):
    res = client.post("/api/feedback", json=body)
    assert res.status_code in (201, 422), res.text


@FUZZ
@given(raw=st.binary(max_size=300))
def test_raw_bytes_never_5xx(client, raw):
    res = client.post("/api/query", content=raw, headers={"content-type": "application/json"})
    assert res.status_code < 500, res.text
