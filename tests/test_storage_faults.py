"""A read-only index or a full disk: answers go on, the fault is reported, nothing crashes.

The faults are real: the index lives on a small tmpfs that is remounted read-only or filled up
(this needs the right to mount, which CI has as root; elsewhere these tests are skipped).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from digital_twin.api import create_app
from digital_twin.cli import app as cli
from digital_twin.config import Settings
from digital_twin.service import Twin

QUESTION = "Where did you study?"


@contextlib.contextmanager
def tmpfs(base: Path, size: str):
    where = base / f"disk-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def env(settings, monkeypatch):
    monkeypatch.setenv("TWIN_PROVIDER", "extractive")


def remount(where: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], check=True)


def fill(where: Path) -> None:
    """Take every free byte of the disk."""
    with contextlib.suppress(OSError), (where / "filler").open("wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()


def twin_on(db: Path, settings: Settings, embedder) -> Twin:
    return Twin(settings.model_copy(update={"db": db}), embedder=embedder)


def test_read_only_index_still_answers(tmp_path, settings, embedder, example, env, monkeypatch):
    with tmpfs(tmp_path, "8m") as disk:
        db = disk / "twin.db"
        writer = twin_on(db, settings, embedder)
        writer.ingest([example])
        writer.close()
        remount(disk, "ro")
        try:
            twin = twin_on(db, settings, embedder)
            client = TestClient(create_app(twin.settings, twin))
            ready = client.get("/health/ready").json()  # before anything has failed to write
            assert ready["status"] == "degraded", ready
            assert any(d.startswith("index:") and "cannot be written" in d
                       for d in ready["degraded"])
            first = client.post("/api/query", json={"question": QUESTION})
            assert first.status_code == 200 and "Waterloo" in first.json()["answer"]
            stream = client.post("/api/query/stream", json={"question": QUESTION}).text
            assert "event: done" in stream and "event: error" not in stream
            ready = client.get("/health/ready").json()
            assert ready["status"] == "degraded"
            assert any(d.startswith("usage log") for d in ready["degraded"])
            feedback = client.post("/api/feedback", json={"question": "q", "answer": "a",
                                                          "rating": 1})
            assert feedback.status_code == 503 and "writable" in feedback.json()["hint"]
            # the shared count cannot be written: this process holds the limit on its own
            per_minute = twin.settings.rate_limit
            waits = [twin.rate_limits.hit("203.0.113.9", per_minute) for _ in range(per_minute + 1)]
            assert not any(waits[:-1]) and waits[-1] > 0
            assert any(d.startswith("rate limits") for d in twin.status()["degraded"])

            monkeypatch.setenv("TWIN_DB", str(db))
            runner = CliRunner()
            asked = runner.invoke(cli, ["ask", QUESTION])
            assert asked.exit_code == 0 and "Waterloo" in asked.stdout
            assert "Traceback" not in asked.output
            # as a user runs it, where the log reaches the terminal: one line names the fix
            asked = subprocess.run([str(Path(sys.executable).with_name("twin")), "ask", QUESTION],
                                   capture_output=True, text=True, timeout=120,
                                   env={**os.environ, "TWIN_DB": str(db)})
            warned = asked.stderr.strip().splitlines()
            assert asked.returncode == 0 and "Waterloo" in asked.stdout
            assert len(warned) == 1 and "writable" in warned[0], warned
            ingest = runner.invoke(cli, ["ingest", str(example), "--reset"])
            assert ingest.exit_code == 1 and "Traceback" not in ingest.output
            assert len(ingest.stderr.strip().splitlines()) == 1 and "writable" in ingest.stderr
        finally:
            remount(disk, "rw")


def test_full_disk_keeps_answering_and_the_old_index(tmp_path, settings, embedder, example,
                                                     env, monkeypatch):
    with tmpfs(tmp_path, "4m") as disk:
        db = disk / "twin.db"
        twin = twin_on(db, settings, embedder)
        twin.ingest([example])
        fill(disk)
        answer = twin.ask(QUESTION)
        assert "Waterloo" in answer.answer and answer.sources
        assert any("full" in d for d in twin.status()["degraded"])

        bigger = tmp_path / "bigger.md"
        bigger.write_text("\n\n".join(f"## Talk {i}\n\nI spoke about topic {i} " + "words " * 200
                                      for i in range(200)))
        monkeypatch.setenv("TWIN_DB", str(db))
        result = CliRunner().invoke(cli, ["ingest", str(example), str(bigger)])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "disk" in result.stderr.lower()
        (disk / "filler").unlink()
        again = twin.ask(QUESTION)  # the old index is whole, and writes work again
        twin.flush()  # its usage row is written by the recorder's thread: wait for it
        assert "Waterloo" in again.answer and twin.status()["degraded"] == []
        assert shutil.disk_usage(disk).free > 0
