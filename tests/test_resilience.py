"""Providers against our own fault-injecting OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from digital_twin.cli import app
from digital_twin.config import Settings
from digital_twin.providers import CircuitBreaker, build_chain
from digital_twin.service import Reset, Token, Twin

from .fake_llm import DEFAULT_REPLY, Fault


def make_twin(settings, embedder, example, **overrides) -> Twin:
    config = Settings(**{**settings.model_dump(), "max_retries": 2, "openai_timeout": 5.0,
                         "groq_timeout": 5.0, **overrides})
    twin = Twin(config, embedder=embedder)
    twin.ingest([example])
    return twin


@pytest.fixture
def openai_twin(settings, embedder, example, llm):
    def make(**overrides):
        return make_twin(settings, embedder, example, provider="openai",
                         openai_base_url=llm.url + "/v1", openai_model="fake-model", **overrides)
    return make


QUESTION = "Tell me about your time at Northwind Analytics"


def test_openai_compatible_whole_answer(openai_twin, llm):
    answer = openai_twin().ask(QUESTION)
    assert (answer.provider, answer.model, answer.answer) == ("openai", "fake-model",
                                                             DEFAULT_REPLY)
    assert answer.fallback_reason is None
    assert answer.usage["completion_tokens"] == len(DEFAULT_REPLY.split()) and \
        not answer.usage["estimated"]
    sent = llm.received[-1].body
    assert sent["messages"][0]["role"] == "system" and "Maya Okafor" in sent["messages"][0][
        "content"]
    assert "Northwind Analytics" in sent["messages"][-1]["content"]  # the retrieved context
    assert [s["title"] for s in answer.sources] == [answer.hits[0].title]  # cited [1] only


def test_openai_compatible_stream_with_usage(openai_twin, llm):
    events = list(openai_twin().stream(QUESTION))
    tokens = [e.text for e in events if isinstance(e, Token)]
    assert len(tokens) == len(DEFAULT_REPLY.split()) and "".join(tokens) == DEFAULT_REPLY
    final = events[-1].answer
    assert final.usage["completion_tokens"] == len(tokens) and not final.usage["estimated"]
    assert llm.received[-1].body["stream_options"] == {"include_usage": True}


def test_usage_is_counted_when_server_sends_none(openai_twin, llm):
    llm.send_usage = False
    final = list(openai_twin().stream(QUESTION))[-1].answer
    assert final.usage["estimated"] and final.usage["completion_tokens"] > 0


def test_groq_sdk_path_with_reasoning_effort(settings, embedder, example, llm):
    twin = make_twin(settings, embedder, example, provider="groq", groq_api_key="gsk_test",
                     groq_base_url=llm.url)
    answer = twin.ask(QUESTION)
    assert answer.provider == "groq" and answer.model == "openai/gpt-oss-20b"
    assert llm.received[-1].path == "/openai/v1/chat/completions"
    assert llm.received[-1].body["reasoning_effort"] == "low"
    assert llm.received[-1].headers["authorization"] == "Bearer gsk_test"
    final = list(twin.stream(QUESTION))[-1].answer
    assert final.answer == DEFAULT_REPLY and not final.usage["estimated"]  # x_groq.usage


def test_429_is_retried_after_retry_after(openai_twin, llm):
    twin = openai_twin()
    llm.faults.append(Fault(status=429, retry_after=1))
    answer = twin.ask(QUESTION)
    assert answer.provider == "openai" and answer.fallback_reason is None
    first, second = llm.received[-2:]
    assert second.at - first.at >= 0.9  # waited the advertised second


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_retried_then_falls_back_grounded(openai_twin, llm, status):
    twin = openai_twin(max_retries=1)
    llm.faults.extend([Fault(status=status)] * 2)
    before = len(llm.received)
    answer = twin.ask(QUESTION)
    assert len(llm.received) - before == 2  # one try plus one retry, as configured
    assert answer.provider == "extractive" and "Northwind Analytics" in answer.answer
    assert f"HTTP {status}" in answer.fallback_reason and answer.sources


def test_timeout_falls_back(openai_twin, llm):
    twin = openai_twin(max_retries=0, openai_timeout=0.5)
    llm.faults.append(Fault(delay=3))  # the reply would come after 3 s: the timeout ends it
    answer = twin.ask(QUESTION)
    assert answer.provider == "extractive" and "timed out" in answer.fallback_reason


def test_401_is_not_retried_and_says_fix_the_key(openai_twin, llm, caplog):
    twin = openai_twin(max_retries=3, openai_api_key="sk-live-SECRET987")
    llm.faults.append(Fault(status=401))
    before = len(llm.received)
    with caplog.at_level("DEBUG"):
        answer = twin.ask(QUESTION)
    assert caplog.records and "SECRET987" not in caplog.text  # the key is never logged
    assert "SECRET987" not in str(answer.as_dict())
    assert len(llm.received) - before == 1
    assert answer.fallback_reason.startswith("auth:") and "OPENAI_API_KEY" in \
        answer.fallback_reason


@pytest.mark.parametrize(("fault", "setting"), [
    (Fault(status=400, code="model_decommissioned"), "GROQ_MODEL"),
    (Fault(status=404, code="model_not_found"), "GROQ_MODEL"),
])
def test_retired_model_names_the_setting(settings, embedder, example, llm, fault, setting):
    twin = make_twin(settings, embedder, example, provider="groq", groq_api_key="gsk_test",
                     groq_base_url=llm.url, groq_model="llama-3.1-8b-instant")
    llm.faults.append(fault)
    answer = twin.ask(QUESTION)
    assert answer.provider == "extractive"
    assert "model_not_found" in answer.fallback_reason
    assert setting in answer.fallback_reason and "openai/gpt-oss-20b" in answer.fallback_reason


def test_413_shrinks_context_and_retries_once(openai_twin, llm):
    twin = openai_twin()
    llm.faults.append(Fault(status=413))
    answer = twin.ask(QUESTION)
    assert answer.provider == "openai" and answer.fallback_reason is None
    big, small = llm.received[-2:]
    assert len(json.dumps(small.body["messages"])) < len(json.dumps(big.body["messages"]))


def test_413_twice_falls_back(openai_twin, llm):
    twin = openai_twin()
    llm.faults.extend([Fault(status=413), Fault(status=413)])
    answer = twin.ask(QUESTION)
    assert answer.provider == "extractive" and "request_too_large" in answer.fallback_reason


def test_stream_cut_midway_resets_and_answers_from_profile(openai_twin, llm):
    twin = openai_twin()
    llm.faults.append(Fault(cut_after=15))
    events = list(twin.stream(QUESTION))
    kinds = [type(e) for e in events]
    assert kinds.index(Reset) > kinds.index(Token)  # some tokens came, then a reset
    after = "".join(e.text for e in events[kinds.index(Reset):] if isinstance(e, Token))
    final = events[-1].answer
    assert final.provider == "extractive" and after.strip() == final.answer
    assert final.fallback_reason


def test_breaker_opens_skips_and_recovers(openai_twin, llm):
    twin = openai_twin(max_retries=0, breaker_threshold=2, breaker_cooldown=3)
    now = [0.0]  # the breakers' clock, moved by hand instead of waiting
    for breaker in twin._chain.breakers.values():
        breaker.clock = lambda: now[0]
    llm.faults.extend([Fault(status=500)] * 2)
    for _ in range(2):
        assert twin.ask(QUESTION).provider == "extractive"
    before = len(llm.received)
    skipped = twin.ask(QUESTION)
    assert len(llm.received) == before  # no call made to a dead service
    assert "circuit open" in skipped.fallback_reason
    assert twin.status()["chain"][0]["circuit"] == "open"
    now[0] = 2.9
    assert twin.status()["chain"][0]["circuit"] == "open"
    now[0] = 3.0
    assert twin.status()["chain"][0]["circuit"] == "half-open"
    recovered = twin.ask(QUESTION)
    assert recovered.provider == "openai" and twin.status()["chain"][0]["circuit"] == "closed"


def test_breaker_half_open_failure_reopens():
    now = [0.0]
    breaker = CircuitBreaker(threshold=1, cooldown=10, clock=lambda: now[0])
    breaker.failure()
    assert not breaker.allow()
    now[0] = 10.0
    assert breaker.allow() and not breaker.allow()  # one trial only
    breaker.failure()
    assert breaker.state == "open"


def test_fallback_chain_to_secondary_model(openai_twin, llm):
    twin = openai_twin(fallback=["openai:fake-model-b"], max_retries=0)
    llm.faults.append(Fault(status=503))
    answer = twin.ask(QUESTION)
    assert (answer.provider, answer.model) == ("openai", "fake-model-b")
    assert "HTTP 503" in answer.fallback_reason
    assert [r.body["model"] for r in llm.received[-2:]] == ["fake-model", "fake-model-b"]


def test_chain_settings(settings):
    with pytest.raises(Exception, match="unknown provider 'bard'"):
        build_chain(Settings(**{**settings.model_dump(), "fallback": ["bard"]}))


def test_cli_shows_fallback_clearly(settings, embedder, example, llm, monkeypatch):
    make_twin(settings, embedder, example)  # ingest
    for key, value in {"TWIN_DB": str(settings.db), "TWIN_PROVIDER": "openai",
                       "OPENAI_BASE_URL": llm.url + "/v1", "OPENAI_MODEL": "fake-model",
                       "TWIN_MAX_RETRIES": "0"}.items():
        monkeypatch.setenv(key, value)
    llm.faults.extend([Fault(status=401), Fault(status=401)])
    runner = CliRunner()
    result = runner.invoke(app, ["ask", QUESTION, "--json"])
    data = json.loads(result.stdout)
    assert data["provider"] == "extractive" and data["fallback_reason"].startswith("auth:")
    result = runner.invoke(app, ["ask", QUESTION])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "answered by extractive" in result.stderr and "OPENAI_API_KEY" in result.stderr
    result = runner.invoke(app, ["ask", QUESTION, "--stream"])
    assert result.exit_code == 0 and "fake" not in result.stdout.lower()
    assert DEFAULT_REPLY in result.stdout


def test_history_goes_to_the_llm_within_budget(openai_twin, llm):
    twin = openai_twin(history_tokens=100)  # about 400 characters
    session = None
    for i in range(6):
        session = twin.ask(f"old question {i} " + "x" * 150, session).session_id
    before = len(llm.received)
    twin.ask("What was the result of your work at Tidewater Bank?", session)
    assert len(llm.received) == before + 1
    sent = llm.received[-1].body["messages"]
    middle = sent[1:-1]
    assert middle and sum(len(m["content"]) for m in middle) <= 400
    assert "\nold question 5 " in middle[-2]["content"]  # the most recent turns are kept...
    assert middle[-2]["content"].startswith("\u27e6VISITOR ")  # ...the visitor's fenced as data
    assert [m["role"] for m in middle[-2:]] == ["user", "assistant"]


def test_a_whole_reply_cut_off_is_called_cut_off_not_unreachable(openai_twin, llm):
    twin = openai_twin(max_retries=0)
    llm.faults.append(Fault(cut_body=True))
    answer = twin.ask(QUESTION)
    assert answer.provider == "extractive"
    assert "dropped the connection mid-answer" in answer.fallback_reason, answer.fallback_reason
    assert "cannot be reached" not in answer.fallback_reason


def test_a_host_name_that_does_not_resolve_is_unreachable_not_a_timeout(settings):
    """What the Groq SDK raises with no network: its HTTP client reports the failed name lookup
    as a connect timeout, and the SDK as a timeout."""
    import socket

    import groq
    import httpx
    from pydantic import SecretStr

    from digital_twin.providers.chat import groq_provider

    provider = groq_provider(settings.model_copy(update={"groq_api_key": SecretStr("gsk_test")}))
    request = httpx.Request("POST", "https://api.groq.com/openai/v1/chat/completions")
    try:
        try:
            try:
                raise socket.gaierror(-2, "Name or service not known")
            except socket.gaierror as lookup:
                raise httpx.ConnectTimeout("Cannot connect to host", request=request) from lookup
        except httpx.ConnectTimeout:
            raise groq.APITimeoutError(request=request) from None
    except groq.APITimeoutError as exc:
        sdk_error = exc
    assert type(sdk_error.__context__) is httpx.ConnectTimeout
    message = str(provider.translate(sdk_error))
    assert "cannot be reached" in message and "does not resolve" in message
    assert "timed out" not in message
