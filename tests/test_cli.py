"""The `twin` command end to end, in-process (Typer's runner) and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from digital_twin.cli import app

runner = CliRunner()


@pytest.fixture
def env(settings, monkeypatch, embedder):
    monkeypatch.setenv("TWIN_DB", str(settings.db))
    monkeypatch.setenv("TWIN_PROVIDER", "extractive")
    return settings


def run(*args):
    return runner.invoke(app, list(args))


def test_ingest_search_ask_status(env, example):
    result = run("ingest", str(example), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] == report["total"] > 20

    result = run("search", "Where did you study?", "capital of France?", "--json", "--k", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2  # one JSON array per question, in order
    first, second = (json.loads(line) for line in lines)
    assert second == []
    assert 1 <= len(first) <= 3
    for hit in first:
        assert set(hit) == {"id", "title", "text", "score", "source", "section"}
        assert isinstance(hit["score"], float) and hit["source"] == "digitaltwin.json"
    assert first[0]["title"] == "BASc, Systems Design Engineering"

    result = run("ask", "Which programming languages do you use?", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) >= {"answer", "sources", "provider", "model", "usage", "latency_ms"}
    assert "Python" in answer["answer"] and answer["provider"] == "extractive"

    result = run("ask", "Where did you study?")
    assert "University of Waterloo" in result.stdout and "[1]" in result.stdout

    result = run("status", "--json")
    assert json.loads(result.stdout)["chunks"] == report["total"]


def test_chat_keeps_history(env, example):
    run("ingest", str(example))
    result = runner.invoke(app, ["chat", "--no-stream"],
                           input="Tell me about your time at Tidewater Bank\n"
                                 "What was the result?\n/exit\n")
    assert result.exit_code == 0, result.output
    assert "Maya Okafor" in result.stdout and "70 minutes" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    ('{"personal": {"name": "X",}}', "line 1, column 27"),
    ("", "is empty"),
])
def test_bad_profile_is_one_clear_line(env, example, tmp_path, content, message):
    run("ingest", str(example))
    bad = tmp_path / "broken.json"
    bad.write_text(content)
    result = run("ingest", str(bad))
    assert result.exit_code == 1
    assert "broken.json" in result.stderr and message in result.stderr
    assert "Traceback" not in result.output
    still = run("search", "Where did you study?", "--json")
    assert json.loads(still.stdout)  # nothing already indexed was lost


def test_missing_groq_key_is_one_line(env, monkeypatch):
    monkeypatch.setenv("TWIN_PROVIDER", "groq")
    result = run("ask", "hello")
    assert result.exit_code == 1
    assert "GROQ_API_KEY is not set" in result.stderr and "Traceback" not in result.output


def test_invalid_setting_is_one_line(env, monkeypatch):
    monkeypatch.setenv("TWIN_TOP_K", "lots")
    result = run("search", "python")
    assert result.exit_code == 1 and "TOP_K" in result.stderr


def test_empty_question_is_refused(env, example):
    run("ingest", str(example))
    result = run("ask", "  ")
    assert result.exit_code == 1 and "empty" in result.stderr


def test_real_subprocess(env, example):
    """The installed console script, as a user runs it."""
    proc = subprocess.run([sys.executable, "-m", "digital_twin", "ingest", str(example)],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Indexed 1 file(s)" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "digital_twin", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert "ingest" in proc.stdout and "ask" in proc.stdout
