"""The HTTP API through an ASGI client: every endpoint and every error path."""

from __future__ import annotations

import gc
import json

import httpx
import pytest
from fastapi.testclient import TestClient

from digital_twin.api import create_app
from digital_twin.api.app import SETTINGS_VARIABLE, app_from_env
from digital_twin.service import Twin

from .conftest import logs
from .servers import serving


@pytest.fixture
def make_client(twin, settings, embedder):
    def make(**overrides):  # the twin's index, under these settings
        config = type(settings)(**{**settings.model_dump(), **overrides})
        return TestClient(create_app(config, Twin(config, embedder=embedder)))
    return make


@pytest.fixture
def client(make_client):
    return make_client()


def sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_query_answers_with_sources_and_session(client):
    res = client.post("/api/query", json={"question": "Where did you study?"})
    assert res.status_code == 200
    body = res.json()
    assert set(body) >= {"answer", "sources", "session_id", "provider", "model", "usage",
                         "latency_ms"}
    assert "University of Waterloo" in body["answer"] and body["sources"]
    follow = client.post("/api/query", json={"question": "What was the result?",
                                             "session_id": body["session_id"]})
    assert follow.json()["session_id"] == body["session_id"]


def test_sessions_carry_context(client):
    first = client.post("/api/query", json={"question": "Tell me about Tidewater Bank"}).json()
    follow = client.post("/api/query", json={"question": "What was the result?",
                                             "session_id": first["session_id"]}).json()
    assert "70 minutes" in follow["answer"]


def test_stream_events_in_order(client):
    with client.stream("POST", "/api/query/stream",
                       json={"question": "Which programming languages do you know?"}) as res:
        assert res.status_code == 200
        assert res.headers["content-type"].startswith("text/event-stream")
        events = sse(res.read().decode())
    kinds = [e for e, _ in events]
    assert kinds[0] == "token" and kinds[-3:] == ["sources", "usage", "done"]
    text = "".join(d["text"] for e, d in events if e == "token")
    usage = dict(events)["usage"]
    assert text.strip() == usage["answer"] and "Python" in text
    assert dict(events)["sources"]["sources"]
    assert dict(events)["done"]["session_id"] == usage["session_id"]


def test_stream_error_is_an_event(client):
    with client.stream("POST", "/api/query/stream", json={"question": "   "}) as res:
        events = sse(res.read().decode())
    assert events == [("error", {"error": "The question is empty.",
                                 "hint": "Ask something about my work.", "status": 422})]


def test_search_matches_cli_shape(client, twin):
    res = client.get("/api/search", params={"q": "Where did you study?", "k": 3})
    assert res.status_code == 200
    assert res.json() == [h.public() for h in twin.search("Where did you study?", 3)]
    assert client.get("/api/search", params={"q": "capital of France"}).json() == []


@pytest.mark.parametrize(("request_kwargs", "status", "reason"), [
    ({"json": {"question": ""}}, 422, "empty"),
    ({"json": {"question": "x" * 2001}}, 422, "limit is 2000"),
    ({"json": {}}, 422, "question: Field required"),
    ({"json": {"question": 42}}, 422, "question"),
    ({"json": {"question": "hi", "session_id": "../etc"}}, 422, "session_id"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "JSON"),
    ({"content": b"x" * 20_000, "headers": {"content-type": "application/json"}}, 413,
     "larger than"),
])
def test_query_errors_say_why(client, request_kwargs, status, reason):
    res = client.post("/api/query", **request_kwargs)
    assert res.status_code == status
    assert reason in res.json()["error"] + str(res.json().get("hint"))


def test_search_errors(client):
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "python", "k": 0}).status_code == 422
    assert client.get("/api/search", params={"q": " "}).status_code == 422


def test_feedback_is_stored(client, twin):
    res = client.post("/api/feedback", json={"question": "q?", "answer": "a.", "rating": 1,
                                             "session_id": "abc", "comment": "useful"})
    assert res.status_code == 201
    rows = logs(twin.settings).feedback()
    assert rows[0].rating == 1 and rows[0].comment == "useful"
    assert client.post("/api/feedback", json={"question": "q", "answer": "a",
                                              "rating": 5}).status_code == 422


def test_health_and_readiness(client, settings, embedder):
    assert client.get("/health").json()["status"] == "ok"
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["chunks"] > 0
    assert ready.json()["provider"] == {"name": "extractive", "model": "extractive"}
    empty = Twin(settings.model_copy(update={"db": settings.db.with_name("empty.db")}),
                 embedder=embedder)
    res = TestClient(create_app(settings, empty)).get("/health/ready")
    assert res.status_code == 503 and "twin ingest" in res.json()["hint"]


def test_a_served_app_keeps_what_its_start_up_built_out_of_the_collector(twin, settings,
                                                                         monkeypatch):
    """`twin serve`'s app freezes the start-up heap once warm (a full collection under load
    rescanned all of it); an app built for a program's own use leaves the collector alone."""
    assert gc.get_freeze_count() == 0
    try:
        with TestClient(create_app(settings, twin)) as plain:
            assert plain.get("/health").status_code == 200
            assert gc.get_freeze_count() == 0
        monkeypatch.setenv(SETTINGS_VARIABLE, settings.exported())  # as `twin serve` does
        with TestClient(app_from_env()) as served:
            assert served.get("/health").status_code == 200
            assert gc.get_freeze_count() > 10_000  # modules, model, index: all of them
    finally:
        gc.unfreeze()


def test_empty_index_query_is_503(settings, embedder):
    empty = Twin(settings.model_copy(update={"db": settings.db.with_name("empty.db")}),
                 embedder=embedder)
    res = TestClient(create_app(settings, empty)).post("/api/query", json={"question": "hi"})
    assert res.status_code == 503 and "twin ingest" in res.json()["hint"]


def test_docs_and_page(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/query", "/api/query/stream", "/api/search", "/health"} <= set(spec["paths"])
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200
    assert "http" not in client.get("/").text.replace("http-equiv", "")  # no CDN
    profile = client.get("/api/profile").json()
    assert profile["name"] == "Maya Okafor" and profile["suggested_questions"]


def test_security_headers(client):
    for path in ("/", "/api/profile", "/health"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"


def test_rate_limit(make_client):
    client = make_client(rate_limit=3)
    codes = [client.get("/api/search", params={"q": "python"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    res = client.get("/api/search", params={"q": "python"})
    assert res.status_code == 429 and 1 <= int(res.headers["retry-after"]) <= 60
    assert client.get("/health").status_code == 200  # health is never limited


def test_bearer_token(make_client):
    client = make_client(api_token="s3cret-token")
    res = client.post("/api/query", json={"question": "Where did you study?"})
    assert res.status_code == 401 and res.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/query", json={"question": "hi"},
                       headers={"authorization": "Bearer wrong"}).status_code == 401
    ok = client.post("/api/query", json={"question": "Where did you study?"},
                     headers={"authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200
    assert client.get("/health").status_code == 200 and client.get("/").status_code == 200
    assert client.get("/api/profile").status_code == 200  # what the public page shows
    assert client.get("/api/search", params={"q": "python"}).status_code == 401


def test_cors_allow_list(make_client):
    client = make_client(cors_origins=["https://jobs.example"])
    allowed = client.options("/api/query", headers={
        "origin": "https://jobs.example", "access-control-request-method": "POST"})
    assert allowed.headers["access-control-allow-origin"] == "https://jobs.example"
    denied = client.options("/api/query", headers={
        "origin": "https://evil.example", "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in denied.headers


def test_provider_key_never_leaks(make_client, monkeypatch):
    client = make_client(groq_api_key="gsk_live_SECRET123")
    bodies = [client.get("/health/ready").text, client.get("/openapi.json").text,
              client.post("/api/query", json={"question": "Where did you study?"}).text,
              client.get("/").text]
    assert all("SECRET123" not in body for body in bodies)


def test_sessions_are_bounded(make_client):
    client = make_client(max_sessions=2)
    for _ in range(4):
        client.post("/api/query", json={"question": "Where did you study?"})
    assert client.get("/health/ready").json()["sessions"] == 2


def test_hostile_bodies_get_a_reason_not_a_crash(client):
    deep = '{"question": ' + "[" * 5000 + "]" * 5000 + "}"
    res = client.post("/api/query", content=deep, headers={"content-type": "application/json"})
    assert res.status_code == 400 and "parsing the body" in res.json()["error"]
    lone = client.post("/api/query", content='{"question": "\\ud800 tell me about Go"}',
                       headers={"content-type": "application/json"})
    assert lone.status_code == 422 and "not valid Unicode" in lone.json()["error"]
    feedback = client.post("/api/feedback", content='{"question": "q", "answer": "\\udfff", '
                           '"rating": 1}', headers={"content-type": "application/json"})
    assert feedback.status_code == 422


def test_chunked_bodies_are_bounded_on_api_and_mcp(settings, twin):
    def body(megabytes):
        for _ in range(megabytes):
            yield b"x" * (1 << 20)

    with serving(create_app(settings, twin)) as url:
        for path in ("/api/query", "/mcp"):
            res = httpx.post(url + path, content=body(50), timeout=60,
                             headers={"content-type": "application/json"})
            assert res.status_code == 413, path
            assert "larger than 16384 bytes" in res.json()["error"]
        small = httpx.post(url + "/api/query", timeout=60, content=(
            b'{"question": "Where did you study?"}' for _ in range(1)),
            headers={"content-type": "application/json"})
        assert small.status_code == 200 and "Waterloo" in small.json()["answer"]


def test_failed_tokens_count_against_the_rate_limit(make_client):
    client = make_client(api_token="s3cret-token", rate_limit=5)
    codes = [client.post("/api/query", json={"question": "hi"},
                         headers={"authorization": "Bearer wrong"}).status_code
             for _ in range(8)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3


def test_a_question_without_words_is_refused(client):
    for question in ("\u200b\u200b\u200d", "?!?", "\u202e"):
        res = client.post("/api/query", json={"question": question})
        assert res.status_code == 422 and res.json()["error"] == "The question has no words."
