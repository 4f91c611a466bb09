"""Two `twin serve` processes, as two replicas behind a load balancer, on one PostgreSQL: a
conversation started on one goes on on the other, a rate limit reached on one holds on the
other, and an ingest made from elsewhere is seen by both."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from pydantic import SecretStr

from digital_twin.service import Twin

from .conftest import ROOT
from .servers import free_port, wait_ready

RATE_LIMIT = 12


def start_replica(tmp_path: Path, name: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = (tmp_path / f"{name}.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "digital_twin", "serve", "--port", str(port)],
                            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def ask(url: str, question: str, session: str | None = None) -> dict:
    res = httpx.post(url + "/api/query", json={"question": question, "session_id": session},
                     timeout=60)
    assert res.status_code == 200, res.text
    return res.json()


def sources(url: str, query: str) -> set[str]:
    res = httpx.get(url + "/api/search", params={"q": query, "k": 5}, timeout=60)
    assert res.status_code == 200, res.text
    return {hit["source"] for hit in res.json()}


def test_two_replicas_share_one_postgres(pg_url, settings, embedder, example, tmp_path):
    ingester = Twin(settings.model_copy(update={"database_url": SecretStr(pg_url)}),
                    embedder=embedder)
    ingester.ingest([example])
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TWIN_", "GROQ_"))},
           "TWIN_DATABASE_URL": pg_url, "TWIN_PROVIDER": "extractive",
           "TWIN_RATE_LIMIT": str(RATE_LIMIT), "TWIN_DB": str(tmp_path / "unused.db")}
    replicas = [start_replica(tmp_path, name, env) for name in ("a", "b")]
    try:
        for (proc, url), name in zip(replicas, ("a", "b"), strict=True):
            wait_ready(url, proc, log=tmp_path / f"{name}.log")
        (_, a), (_, b) = replicas

        # a conversation begun on one replica goes on on the other
        first = ask(a, "Tell me about your time at Tidewater Bank")
        follow = ask(b, "What was the result?", first["session_id"])
        assert follow["session_id"] == first["session_id"] and "70 minutes" in follow["answer"]

        # an ingest from elsewhere is seen by both, answer caches included
        talk = "What did you talk about at the Toronto MLOps Meetup?"
        assert "talks.pdf" not in sources(a, talk) | sources(b, talk)
        pdf = shutil.copy(ROOT / "examples" / "talks.pdf", tmp_path / "talks.pdf")
        ingester.ingest([example, Path(pdf)])
        assert "talks.pdf" in sources(a, talk) and "talks.pdf" in sources(b, talk)
        assert "Meetup" in ask(b, talk)["answer"]
        used = 7  # requests to /api so far, from this one client

        # a rate limit reached on one replica holds on the other
        for _ in range(RATE_LIMIT - used):
            assert httpx.get(a + "/api/profile", timeout=30).status_code == 200
        refused = httpx.get(a + "/api/profile", timeout=30)
        assert refused.status_code == 429
        elsewhere = httpx.get(b + "/api/profile", timeout=30)
        assert elsewhere.status_code == 429 and int(elsewhere.headers["retry-after"]) >= 1
        assert httpx.get(b + "/health", timeout=30).status_code == 200  # never limited
    finally:
        for proc, _ in replicas:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc, _ in replicas:
            proc.wait(timeout=30)
        ingester.close()
    assert not (tmp_path / "unused.db").exists()
