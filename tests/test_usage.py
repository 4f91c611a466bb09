"""The usage log: every answer recorded with its cost, `twin usage` figures, `twin gaps`."""

from __future__ import annotations

import concurrent.futures
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from digital_twin.api import create_app
from digital_twin.cli import app
from digital_twin.config import Settings
from digital_twin.service import Token, Twin

from .conftest import usage_rows

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
    assert row.prompt_tokens > 0 and row.cost_usd == pytest.approx(expected)
    assert row.ttft_ms is not None and 0 < row.ttft_ms <= row.latency_ms
    assert row.best_score and row.session_id == answer.session_id


def test_usage_report_totals_and_models(groq_twin, example, monkeypatch):
    groq_twin.ask("Tell me about your time at Northwind Analytics")
    groq_twin.ask("What is your favourite football team?")  # declined, no LLM
    stream = groq_twin.stream("Which cloud platforms do you use?")
    assert isinstance(next(stream), Token)
    stream.close()  # abandoned
    groq_twin.record_feedback("q", "a", 1)
    groq_twin.flush()  # its rows are written by a thread of its own; the command reads the file
    monkeypatch.setenv("TWIN_DB", str(groq_twin.settings.db))
    result = runner.invoke(app, ["usage", "--since", "1h", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["requests"] == 3 and data["declines"] == 1 and data["abandoned"] == 1
    assert data["feedback"] == {"up": 1, "down": 0}
    groq = data["models"]["groq:openai/gpt-oss-20b"]
    assert groq["requests"] == 2 and groq["cost_usd"] > 0
    assert data["models"]["extractive:extractive"]["cost_usd"] == 0
    table = runner.invoke(app, ["usage"])
    assert table.exit_code == 0 and "groq:openai/gpt-oss-20b" in table.stdout
    bad = runner.invoke(app, ["usage", "--since", "forever"])
    assert bad.exit_code == 1 and "30m, 24h, 7d or 2w" in bad.stderr


def test_gaps_group_near_duplicates_most_asked_first(twin, monkeypatch):
    for question in ("What is your favourite football team?",
                     "what's your favourite football team",
                     "Which football team is your favourite?",
                     "Do you play the bagpipes?",
                     "Where did you study?"):
        twin.ask(question)
    monkeypatch.setenv("TWIN_DB", str(twin.settings.db))
    data = json.loads(runner.invoke(app, ["gaps", "--json"]).stdout)
    assert [g["count"] for g in data] == [3, 1]
    assert "football" in data[0]["question"] and "bagpipes" in data[1]["question"]
    assert all("study" not in e for g in data for e in g["examples"])


def test_questions_are_not_kept_when_logging_is_off(settings, embedder, example):
    twin = Twin(settings.model_copy(update={"log_questions": False}), embedder=embedder)
    twin.ingest([example])
    twin.ask("Where did you study?")
    assert usage_rows(twin)[0].question is None


def test_concurrent_answers_lose_no_usage_row(twin, settings):
    client = TestClient(create_app(settings.model_copy(update={"rate_limit": 0}), twin))
    questions = ["Where did you study?", "Which cloud platforms do you use?"] * 25
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(lambda q: client.post("/api/query",
                                                    json={"question": q}).status_code,
                              questions))
    assert codes == [200] * len(questions)
    assert len(usage_rows(twin, 1000)) == len(questions)
