"""The service is the one boundary: interfaces import only it; it owns streams, breakers,
usage and conversations, which hold whatever the caller or the LLM does mid-answer."""

from __future__ import annotations

import ast
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from digital_twin.api import create_app
from digital_twin.cli import app as cli
from digital_twin.config import Settings
from digital_twin.service import Done, Reset, Token, Twin

from .conftest import conversations, logs, usage_rows
from .fake_llm import DEFAULT_REPLY, Fault
from .servers import free_port, serving

SRC = Path(__file__).resolve().parents[1] / "src" / "digital_twin"
QUESTION = "Tell me about your time at Northwind Analytics"
INTERFACES = [*sorted((SRC / "api").glob("*.py")), SRC / "mcp_server.py",
              *sorted((SRC / "cli").glob("*.py"))]
# the service, and the interfaces' own modules (`twin eval` runs the evaluation harness, which
# drives the service itself)
ALLOWED = {"service", "config", "errors", "__version__", "api", "cli", "evaluation",
           *(path.stem for path in INTERFACES)}


def imported_modules(path: Path) -> set[str]:
    """The project modules a file imports, relative to the package (`service`, `stores.sqlite`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.update([node.module] if node.module else [a.name for a in node.names])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("digital_twin"):
            found.add(node.module.removeprefix("digital_twin").lstrip("."))
    return found


@pytest.mark.parametrize("path", INTERFACES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_interfaces_import_only_the_service(path):
    leaks = {m for m in imported_modules(path) if m.split(".")[0] not in ALLOWED}
    assert not leaks, f"{path.name} reaches past the service: {sorted(leaks)}"


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the modules it imports, anywhere in it (a function's
    import too); `from . import x` of a package reaches its module `x`, not its `__init__`."""
    def name(path: Path) -> str:
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    modules = {name(path): path for path in SRC.rglob("*.py")}
    graph = {}
    for module, path in modules.items():
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "digital_twin"):
                target = node.module.removeprefix("digital_twin").lstrip(".")
            else:
                continue
            named = [f"{target}.{a.name}".strip(".") for a in node.names]
            found.update([m for m in named if m in modules] or [target])
        graph[module] = found & set(modules) - {module}
    return graph


def test_the_package_imports_without_cycles():
    graph = import_graph()
    assert graph["cli.evaluate"] >= {"evaluation"} and "service" in graph["evaluation"]
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join(
                [*path[path.index(module):], module]))
        if module not in done:
            for imported in sorted(graph[module]):
                visit(imported, [*path, module])
            done.add(module)

    for module in sorted(graph):
        visit(module, [])


@pytest.fixture
def make_twin(settings, embedder, example, llm):
    made: list[Twin] = []

    def make(provider="openai", **overrides) -> Twin:
        where = ({"openai_base_url": llm.url + "/v1", "openai_model": "fake-model"}
                 if provider == "openai" else
                 {"groq_api_key": "gsk_test", "groq_base_url": llm.url})
        config = Settings(**{**settings.model_dump(), "provider": provider, "max_retries": 0,
                             "openai_timeout": 5.0, "groq_timeout": 5.0, **where, **overrides})
        twin = Twin(config, embedder=embedder)
        twin.ingest([example])
        made.append(twin)
        return twin
    yield make
    for twin in made:
        twin.close()


@pytest.mark.parametrize("provider", ["openai", "groq"])
def test_stream_ended_without_done_resets_then_answers_grounded(make_twin, llm, provider):
    twin = make_twin(provider)
    llm.faults.append(Fault(end_after=15))
    events = list(twin.stream(QUESTION))
    kinds = [type(e) for e in events]
    assert kinds.index(Reset) > kinds.index(Token)  # some of the cut answer, then the reset
    final = events[-1].answer
    after = "".join(e.text for e in events[kinds.index(Reset):] if isinstance(e, Token))
    assert final.provider == "extractive" and after.strip() == final.answer
    assert "Northwind Analytics" in final.answer and final.sources
    assert final.fallback_reason.startswith("incomplete_answer")
    assert events[kinds.index(Reset)].reason.startswith("incomplete_answer")


def test_cut_stream_in_the_cli_and_the_api(make_twin, llm, settings, monkeypatch):
    twin = make_twin("openai")
    for key, value in {"TWIN_DB": str(settings.db), "TWIN_PROVIDER": "openai",
                       "OPENAI_BASE_URL": llm.url + "/v1", "OPENAI_MODEL": "fake-model",
                       "TWIN_MAX_RETRIES": "0"}.items():
        monkeypatch.setenv(key, value)
    llm.faults.append(Fault(end_after=15))
    result = CliRunner().invoke(cli, ["ask", QUESTION, "--stream"])
    assert result.exit_code == 0 and "cut off" in result.stderr
    assert "answered by extractive" in result.stderr

    llm.faults.append(Fault(end_after=15))
    with serving(create_app(twin.settings, twin)) as url:
        body = httpx.post(url + "/api/query/stream", json={"question": QUESTION}, timeout=30).text
    names = re.findall(r"^event: (\w+)", body, re.M)
    assert names.index("reset") > names.index("token") and names[-1] == "done"
    usage = json.loads(re.search(r"event: usage\r?\ndata: (.*)", body).group(1))
    assert usage["provider"] == "extractive" and usage["fallback_reason"]


def test_abandoned_half_open_trial_does_not_jam_the_breaker(make_twin, llm):
    twin = make_twin("openai", breaker_threshold=1, breaker_cooldown=0.3)
    llm.faults.append(Fault(status=500))
    assert twin.ask(QUESTION).provider == "extractive"  # the circuit opens
    time.sleep(0.4)
    assert twin.status()["chain"][0]["circuit"] == "half-open"
    stream = twin.stream(QUESTION)
    assert isinstance(next(stream), Token)  # the trial call has begun...
    stream.close()  # ...and the visitor goes away
    time.sleep(0.4)
    before = len(llm.received)
    answer = twin.ask(QUESTION)
    assert len(llm.received) == before + 1 and answer.provider == "openai"
    assert twin.status()["chain"][0]["circuit"] == "closed"


def test_abandoned_stream_leaves_a_usage_row(make_twin, llm):
    twin = make_twin("openai")
    llm.token_delay = 0.05
    with serving(create_app(twin.settings, twin)) as url, httpx.stream(
            "POST", url + "/api/query/stream", json={"question": QUESTION}, timeout=30) as res:
        for line in res.iter_lines():
            if line.startswith("event: token"):
                break  # the visitor leaves after the first token
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        rows = logs(twin.settings).usage()
        if rows:
            break
        time.sleep(0.1)
    assert rows and rows[0].outcome == "abandoned" and rows[0].provider == "openai"
    assert rows[0].completion_tokens > 0 and rows[0].estimated


def test_whole_answers_record_usage_and_the_model_the_server_reports(make_twin, llm):
    twin = make_twin("openai")
    answer = twin.ask(QUESTION)
    assert answer.answer == DEFAULT_REPLY and answer.model == "fake-model"
    row = usage_rows(twin)[0]
    assert (row.outcome, row.provider, row.model) == ("answered", "openai", "fake-model")
    assert row.prompt_tokens > 0 and row.session_id == answer.session_id
    assert next(e for e in twin.stream("What is the capital of France?")
                if isinstance(e, Done)).answer.sources == []
    assert usage_rows(twin)[0].outcome == "declined"


def test_follow_up_keeps_context_across_worker_processes(twin, settings, tmp_path):
    """`twin serve --workers 2`, real processes: conversations live in the shared index file."""
    port = free_port()
    env = {**os.environ, "TWIN_DB": str(settings.db), "TWIN_PROVIDER": "extractive",
           "TWIN_RATE_LIMIT": "0"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "digital_twin", "serve", "--workers", "2",
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        pids: set[str] = set()
        while len(pids) < 2 and time.monotonic() < deadline:
            pids = set(re.findall(r"\[(\d+)\] Application startup complete",
                                  (tmp_path / "serve.log").read_text()))
            time.sleep(0.3)
        assert len(pids) == 2, (tmp_path / "serve.log").read_text()
        session = None
        for _ in range(5):  # a new connection each time: either worker may answer either turn
            for question in ("Tell me about your time at Tidewater Bank", "What was the result?"):
                reply = httpx.post(url + "/api/query", timeout=30, headers={"connection": "close"},
                                   json={"question": question, "session_id": session}).json()
                session = reply["session_id"]
            assert "70 minutes" in reply["answer"], reply
        served = re.findall(r"\[(\d+)\] 127\.0\.0\.1:\d+ - \"POST /api/query",
                            (tmp_path / "serve.log").read_text())
        assert len(served) == 10 and set(served) <= pids
        print("answered by workers", {pid: served.count(pid) for pid in pids})
        for _ in range(4):  # whichever worker answers, the metrics add up every worker's
            text = httpx.get(url + "/metrics", timeout=30, headers={"connection": "close"}).text
            assert 'twin_http_requests_total{endpoint="/api/query",method="POST",' \
                   'status="200"} 10.0' in text
        # 20 visitors connect at once: each worker listens on a socket of its own, so the
        # connections are spread (a shared socket let the first worker awake take them all)
        asyncio.run(_visitors_at_once(url, 20))
        served = re.findall(r"\[(\d+)\] 127\.0\.0\.1:\d+ - \"POST /api/query",
                            (tmp_path / "serve.log").read_text())[10:]
        assert len(served) == 20 and all(served.count(pid) >= 2 for pid in pids), served
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    turns = conversations(settings).history(session)
    assert turns is not None and len(turns) == 2 * min(10, settings.session_turns)


async def _visitors_at_once(url: str, count: int) -> None:
    clients = [httpx.AsyncClient(base_url=url, timeout=60) for _ in range(count)]
    try:
        replies = await asyncio.gather(*(c.post("/api/query", json={
            "question": "Where did you study?"}) for c in clients))
        assert all(r.status_code == 200 for r in replies)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
