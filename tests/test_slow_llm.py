"""A slow or stuck LLM: every answer keeps its deadline, and the server stays responsive."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time

import httpx

from digital_twin.api import create_app
from digital_twin.config import Settings
from digital_twin.eventloop import WORK_THREADS
from digital_twin.service import Reset, Token, Twin

from .fake_llm import Fault
from .servers import serving

QUESTION = "Tell me about your time at Northwind Analytics"


def slow_twin(settings, embedder, example, llm, **overrides) -> Twin:
    config = Settings(**{**settings.model_dump(), "provider": "openai",
                         "openai_base_url": llm.url + "/v1", "openai_model": "fake-model",
                         "openai_timeout": 30.0, "max_retries": 2, "rate_limit": 0,
                         **overrides})
    twin = Twin(config, embedder=embedder)
    twin.ingest([example])
    return twin


def test_a_hung_llm_answers_from_the_profile_at_the_deadline(settings, embedder, example, llm):
    twin = slow_twin(settings, embedder, example, llm, answer_deadline=1.5)
    llm.latency = 10  # the LLM would answer after 10 s: the deadline, not the reply, ends it
    answer = twin.ask(QUESTION)
    assert answer.provider == "extractive" and "Northwind" in answer.answer
    assert answer.fallback_reason.startswith("deadline")


def test_retry_after_past_the_deadline_is_not_waited_for(settings, embedder, example, llm):
    twin = slow_twin(settings, embedder, example, llm, answer_deadline=2.0)
    llm.faults.extend([Fault(status=429, retry_after=8)] * 3)
    answer = twin.ask(QUESTION)
    # waiting out the retry-after would have ended in "HTTP 429", after 24 s
    assert answer.provider == "extractive" and answer.fallback_reason.startswith("deadline")
    assert len(llm.received) == 1


def test_a_trickling_stream_is_cut_at_the_deadline(settings, embedder, example, llm):
    twin = slow_twin(settings, embedder, example, llm, answer_deadline=1.0)
    llm.token_delay = 0.3
    events = list(twin.stream(QUESTION))
    final = events[-1].answer
    assert final.provider == "extractive" and final.fallback_reason.startswith("deadline")
    # what was shown of the cut reply is taken back: after the last Reset, the page holds the
    # answer from the profile and nothing else
    resets = [n for n, e in enumerate(events) if isinstance(e, Reset)]
    shown = [e.text for e in events[(resets[-1] + 1 if resets else 0):] if isinstance(e, Token)]
    assert "".join(shown).strip() == final.answer


def test_server_stays_responsive_and_sheds_load(settings, embedder, example, llm):
    twin = slow_twin(settings, embedder, example, llm, answer_deadline=4.0,
                     provider_concurrency=2, answer_queue=4)
    llm.latency = 2.0
    with serving(create_app(twin.settings, twin)) as url, \
            concurrent.futures.ThreadPoolExecutor(20) as pool:
        def ask(_):
            reply = httpx.post(url + "/api/query", json={"question": QUESTION}, timeout=30)
            return reply, time.monotonic()

        replies = [pool.submit(ask, i) for i in range(16)]
        time.sleep(0.5)  # the admitted answers now wait on the LLM
        for _ in range(5):
            assert httpx.get(url + "/health", timeout=10).status_code == 200
            assert httpx.get(url + "/health/ready", timeout=10).status_code == 200
        probed = time.monotonic()
        finished = [r.result() for r in replies]
    done = [reply for reply, _ in finished]
    # the probes were not queued behind the answers waiting on the LLM: all ten were served
    # before the first of those answers came back
    assert probed < min(at for reply, at in finished if reply.status_code == 200)
    refused = [r for r in done if r.status_code == 503]
    answered = [r for r in done if r.status_code == 200]
    assert len(answered) == 6 and len(refused) == 10  # two in flight, four waiting
    assert all(r.headers["retry-after"].isdigit() for r in refused)
    assert "Try again" in refused[0].json()["hint"]
    assert {r.json()["provider"] for r in answered} <= {"openai", "extractive"}


def test_a_hundred_waiting_answers_hold_no_threads(settings, embedder, example, llm):
    """100 visitors wait on a 2 s LLM at once: they cost coroutines on the answer loop, not
    threads (each held a server thread and a reader thread before), and all are answered by
    the LLM."""
    twin = slow_twin(settings, embedder, example, llm, cache="off")
    llm.latency = 2.0
    with serving(create_app(twin.settings, twin)) as url:
        twin.ask(QUESTION)  # the answer loop and its workers are up
        before = threading.active_count()

        async def visitors() -> tuple[list[int], int]:
            async with httpx.AsyncClient(base_url=url, timeout=30,
                                         limits=httpx.Limits(max_connections=200)) as http:
                asks = [asyncio.create_task(http.post("/api/query", json={"question": QUESTION}))
                        for _ in range(100)]
                await asyncio.sleep(1.2)  # every answer now waits on the LLM
                waiting = threading.active_count()
                replies = await asyncio.gather(*asks)
            return [r.json()["provider"] for r in replies], waiting

        providers, waiting = asyncio.run(visitors())
    assert providers == ["openai"] * 100
    # at most the answer loop's pool for index and log work comes and goes: not one per answer
    assert waiting - before <= WORK_THREADS + 5, (before, waiting)
