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


def test_missing_groq_key_is_one_line(env, example, monkeypatch):
    run("ingest", str(example))
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


def one_clear_line(result) -> str:
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["ask", "Where did you study?"], ["search", "python"],
                                     ["status"], ["chat"]])
def test_read_commands_in_an_empty_folder_create_no_file(env, tmp_path, command):
    line = one_clear_line(run(*command))
    assert "twin ingest" in line and not env.db.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_first_ingest_that_fails_leaves_no_index_behind(env, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{bad")
    line = one_clear_line(run("ingest", str(bad)))
    assert "broken.json" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json"]


def test_an_empty_text_file_is_not_told_about_scans(env, tmp_path):
    empty = tmp_path / "me.md"
    empty.write_text("\n")
    line = one_clear_line(run("ingest", str(empty)))
    assert "me.md: is empty" in line and "OCR" not in line


def test_the_example_only_fills_an_empty_index(env, tmp_path, example):
    """`make run` ingests the bundled example with --if-empty: never into a twin of your own."""
    mine = tmp_path / "dana.md"
    mine.write_text("# Dana Reyes\n\nData analyst in Lisbon.\n\n## Skills\n\nSQL, Tableau.\n")
    run("ingest", str(mine))
    result = run("ingest", "--if-empty", str(example))
    assert result.exit_code == 0 and "left as it is" in result.stdout
    sources = json.loads(run("status", "--json").stdout)["sources"]
    assert sources == ["dana.md"]
    fresh = run("ingest", "--if-empty", str(example), "--db", str(tmp_path / "new.db"))
    assert fresh.exit_code == 0 and "Indexed 1 file" in fresh.stdout


def test_init_writes_a_starter_that_indexes_only_what_is_filled_in(env, tmp_path):
    starter = tmp_path / "me.json"
    assert run("init", str(starter)).exit_code == 0 and starter.exists()
    line = one_clear_line(run("init", str(starter)))
    assert "already exists" in line and "--force" in line
    line = one_clear_line(run("ingest", str(starter)))  # nothing filled in yet
    assert "no content to index" in line and "bracketed" in line
    data = json.loads(starter.read_text())
    data["personal"].update(name="Rui Costa", title="Harbour Pilot",
                            summary="I bring container ships into Sines.")
    data["experience"][0].update(company="Port of Sines", role="Senior Pilot")
    starter.write_text(json.dumps(data))
    assert run("ingest", str(starter)).exit_code == 0
    answer = run("ask", "What do you do?").stdout
    assert "Harbour Pilot" in answer or "Sines" in answer
    hits = run("search", "What was your role?", "--json").stdout
    assert "[" not in "".join(h["text"] for h in json.loads(hits))  # no template left


def test_chat_on_an_empty_index_says_so_at_once(env, tmp_path, example):
    run("ingest", str(example))
    run("ingest", str(example), "--reset", "--db", str(tmp_path / "other.db"))
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["chat", "--db", str(empty)], input="hello\n")
    assert "empty" in one_clear_line(result) and "you>" not in result.stdout


def test_missing_openai_settings_are_named_together(env, monkeypatch):
    monkeypatch.setenv("TWIN_PROVIDER", "openai")
    line = one_clear_line(run("serve"))
    assert "OPENAI_MODEL" in line and "OPENAI_BASE_URL" in line and "Serving" not in line


def test_invalid_settings_are_all_reported(env, monkeypatch):
    monkeypatch.setenv("TWIN_TOP_K", "lots")
    monkeypatch.setenv("TWIN_RATE_LIMIT", "many")
    line = one_clear_line(run("status"))
    assert "TOP_K" in line and "RATE_LIMIT" in line


def test_retired_groq_model_warns_at_start(env, example, monkeypatch):
    run("ingest", str(example))
    for key, value in {"TWIN_PROVIDER": "groq", "GROQ_API_KEY": "gsk_test",
                       "GROQ_MODEL": "llama-3.1-8b-instant"}.items():
        monkeypatch.setenv(key, value)
    result = run("status")
    assert result.exit_code == 0
    assert "retired 'llama-3.1-8b-instant'" in result.stderr
    assert "GROQ_MODEL=openai/gpt-oss-20b" in result.stderr


def test_port_in_use_is_one_line_before_serving(env, example):
    import socket

    run("ingest", str(example))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    line = one_clear_line(result)
    assert f"Port {port}" in line and f"--port {port + 1}" in line and "Serving" not in line


def test_ask_latency_is_the_answers_own(env, example):
    run("ingest", str(example))
    proc = subprocess.run([sys.executable, "-m", "digital_twin", "ask", "Where did you study?",
                           "--json"], capture_output=True, text=True, env=os.environ.copy(),
                          timeout=120)
    answer = json.loads(proc.stdout)
    assert answer["latency_ms"] < 1500  # the model's loading (seconds) is not counted


def test_a_file_named_pdf_that_is_not_one(env, tmp_path):
    fake = tmp_path / "cv.pdf"
    fake.write_text("not a pdf at all")
    proc = subprocess.run([sys.executable, "-m", "digital_twin", "ingest", str(fake)],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cv.pdf" in lines[0] and "not a readable PDF" in lines[0], lines


@pytest.mark.parametrize("command", [["ask", "Which cloud platforms do you use?"],
                                     ["search", "Which cloud platforms do you use?"]])
def test_questions_are_answered_without_importing_torch(env, example, command):
    """`twin ask` and `twin search` start fast: the ONNX export embeds, torch stays unloaded."""
    assert run("ingest", str(example)).exit_code == 0
    script = ("import sys\nfrom typer.testing import CliRunner\nfrom digital_twin.cli import app\n"
              f"result = CliRunner().invoke(app, {command!r})\n"
              "print(result.exit_code, sorted(m for m in ('torch', 'sentence_transformers', "
              "'transformers') if m in sys.modules))\nprint(result.output)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)
    first, _, output = proc.stdout.partition("\n")
    assert first == "0 []", proc.stdout + proc.stderr
    assert "AWS" in output or "GCP" in output or "Azure" in output


def test_a_markdown_starter_indexes_what_is_filled_in_and_publishes_only_its_public_block(
        env, tmp_path):
    starter = tmp_path / "me.md"
    assert run("init", str(starter), "--format", "md").exit_code == 0
    assert starter.read_text().startswith("# [Your full name]")
    line = one_clear_line(run("ingest", str(starter)))  # nothing filled in yet
    assert "no content to index" in line and "bracketed" in line
    text = (starter.read_text()
            .replace("[Your full name]", "Rui Costa")
            .replace("[Your role], [Employer] ([2021 – present]), [City]",
                     "Senior Pilot, Port of Sines (2019 – present), Sines")
            .replace("[What you did and what came of it, with a number if you have one]",
                     "I brought 1,200 container ships into Sines without an incident.")
            .replace("[City, Country]", "Sines, Portugal")
            .replace("[Notes for yourself]", "My landlord is Mr Silva."))
    starter.write_text(text.replace("[+00 000 000 000]", "+351 912 345 678"))
    assert run("ingest", str(starter)).exit_code == 0
    passages = " ".join(h["text"] for line in run(
        "search", "What is your phone number?", "Where are you based?", "What was your role?",
        "--k", "50", "--json").stdout.splitlines() for h in json.loads(line))
    assert "Sines, Portugal" in passages and "1,200 container ships" in passages
    assert "Sines, Portugal" in run("ask", "Where are you based?").stdout  # in About me too
    assert "+351 912 345 678" in passages  # published in the public block
    assert "[" not in passages and "Silva" not in passages  # no template, no private block
    # without the public block, the same phone stays out
    starter.write_text(text.replace("<!-- public -->", "").replace("<!-- /public -->", "")
                       .replace("[+00 000 000 000]", "+351 912 345 678"))
    assert "personal phone" in run("ingest", str(starter)).stdout
    assert "912 345" not in run("search", "What is your phone number?", "--json").stdout


def test_an_index_that_holds_two_people_is_flagged_at_ingest_and_in_status(env, tmp_path,
                                                                            example):
    other = tmp_path / "rui.md"
    other.write_text("# Rui Costa\n\nHarbour pilot\n\n## Experience\n\n"
                     "- I bring container ships into Sines.\n")
    run("ingest", str(example))
    warned = " ".join(run("ingest", str(other)).stdout.split())
    assert "holds the profiles of 2 people" in warned
    assert "Maya Okafor" in warned and "Rui Costa" in warned and "--reset" in warned
    assert "2 people" in " ".join(run("status").stdout.split())
    assert "people" not in run("ingest", "--reset", str(other)).stdout
    assert "people" not in run("status").stdout
