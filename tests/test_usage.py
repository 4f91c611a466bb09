"""The usage log: every answer recorded with its cost, `twin usage` figures, `twin gaps`."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner

from digital_twin.api import create_app
from digital_twin.cli import app
from digital_twin.config import Settings
from digital_twin.service import Token, Twin
from digital_twin.stores import UsageRecord

from .conftest import logs, usage_rows
from .servers import serving

runner = CliRunner()


@pytest.fixture
def groq_twin(settings, embedder, example, llm):
    config = Settings(**{**settings.model_dump(), "provider": "groq", "groq_api_key": "gsk_t",
                         "groq_base_url": llm.url, "max_retries": 0, "rate_limit": 0})
    twin = Twin(config, embedder=embedder)
    twin.ingest([example])
    return twin


def test_each_answer_is_recorded_with_its_cost(groq_twin):
    answer = groq_twin.ask("Tell me about your time at Northwind Analytics")
    row = usage_rows(groq_twin)[0]
    assert (row.provider, row.model, row.outcome) == ("groq", "openai/gpt-oss-20b", "answered")
    assert row.question == "Tell me about your time at Northwind Analytics" and row.covered
    expected = (row.prompt_tokens * 0.075 + row.completion_tokens * 0.30) / 1e6
    # the log keeps dollars to 8 decimal places
    assert row.prompt_tokens > 0 and row.cost_usd == pytest.approx(expected, abs=5e-9)
    assert row.ttft_ms is not None and 0 < row.ttft_ms <= row.latency_ms
    assert row.best_score and row.session_id == answer.session_id


def test_usage_report_totals_and_models(groq_twin, example, monkeypatch):
    groq_twin.ask("Tell me about your time at Northwind Analytics")
    groq_twin.ask("What is the capital of Australia?")  # declined, no LLM
    stream = groq_twin.stream("Which cloud platforms do you use?")
    assert isinstance(next(stream), Token)
    stream.close()  # abandoned
    answer = groq_twin.ask("Which cloud platforms do you use?", "another-visitor")
    groq_twin.record_feedback("q", "a", 1)
    groq_twin.record_feedback("Which cloud platforms do you use?", answer.answer, -1,
                              answer_id=answer.answer_id)
    groq_twin.flush()
    monkeypatch.setenv("TWIN_DB", str(groq_twin.settings.db))
    result = runner.invoke(app, ["usage", "--since", "1h", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["requests"] == 4 and data["declines"] == 1 and data["abandoned"] == 1
    assert data["feedback"] == {"up": 1, "down": 1}
    groq = data["models"]["groq:openai/gpt-oss-20b"]
    assert groq["requests"] == 3 and groq["cost_usd"] > 0
    assert groq["feedback"] == {"up": 0, "down": 1}  # the rating that names its answer
    assert data["models"]["extractive:extractive"]["cost_usd"] == 0
    table = runner.invoke(app, ["usage"])
    assert table.exit_code == 0 and "groq:openai/gpt-oss-20b" in table.stdout
    bad = runner.invoke(app, ["usage", "--since", "forever"])
    assert bad.exit_code == 1 and "30m, 24h, 7d or 2w" in bad.stderr


def test_gaps_group_near_duplicates_most_asked_first(twin, monkeypatch):
    for question in ("Do you play the bagpipes?",
                     "do you play bagpipes",
                     "Can you play the bagpipes?",
                     "Have you ever worked at NASA?",
                     "Where did you study?"):
        twin.ask(question)
    twin.flush()
    monkeypatch.setenv("TWIN_DB", str(twin.settings.db))
    data = json.loads(runner.invoke(app, ["gaps", "--json"]).stdout)
    assert [g["count"] for g in data] == [3, 1]
    assert "bagpipes" in data[0]["question"] and "NASA" in data[1]["question"]
    assert all("study" not in e for g in data for e in g["examples"])


def test_questions_are_not_kept_when_logging_is_off(settings, embedder, example):
    twin = Twin(settings.model_copy(update={"log_questions": False}), embedder=embedder)
    twin.ingest([example])
    twin.ask("Where did you study?")
    assert usage_rows(twin)[0].question is None


def test_a_hundred_concurrent_clients_lose_no_usage_row(settings, embedder, example):
    """100 clients at once on a real server, two questions each: 200 answers, 200 rows, each
    answer's id exactly once (rows are written in batches by one thread)."""
    twin = Twin(Settings(**{**settings.model_dump(), "rate_limit": 0, "answer_queue": 200,
                            "cache": "off"}), embedder=embedder)
    twin.ingest([example])
    questions = ["Where did you study?", "Which cloud platforms do you use?"]

    def client(_: int) -> list[str]:
        with httpx.Client(base_url=url, timeout=60) as http:
            return [http.post("/api/query", json={"question": q}).json()["answer_id"]
                    for q in questions]

    with serving(create_app(twin.settings, twin)) as url, \
            concurrent.futures.ThreadPoolExecutor(100) as pool:
        ids = [i for answered in pool.map(client, range(100)) for i in answered]
    assert len(ids) == 200 and all(ids)
    rows = usage_rows(twin, 1000)
    assert sorted(r.answer_id for r in rows) == sorted(ids)
    twin.close()


def test_rows_older_than_the_retention_are_pruned_as_rows_are_written(settings, embedder,
                                                                       example):
    old = time.time() - 100 * 86400
    logs(settings).record_usage([UsageRecord("extractive", "extractive", "answered",
                                             created_at=old, question="long ago?")])
    twin = Twin(Settings(**{**settings.model_dump(), "usage_retention_days": 90}),
                embedder=embedder)
    twin.ingest([example])
    twin.ask("Where did you study?")
    assert [r.question for r in usage_rows(twin)] == ["Where did you study?"]
    twin.close()


def test_a_one_shot_command_leaves_its_usage_row(twin, settings):
    """`twin ask` ends right after answering: the row queued for the writer is written."""
    env = {**os.environ, "TWIN_DB": str(settings.db), "TWIN_PROVIDER": "extractive"}
    done = subprocess.run([sys.executable, "-m", "digital_twin", "ask", "Where did you study?"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [r.question for r in logs(settings).usage()] == ["Where did you study?"]
