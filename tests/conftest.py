"""Shared fixtures: the real embedding model (loaded once), a fresh SQLite index per test, and
a real PostgreSQL with pgvector (started once by `pgserver`, a fresh schema per test)."""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from digital_twin.config import Settings
from digital_twin.embeddings import default_embedder
from digital_twin.service import Twin
from digital_twin.stores.logs import SQLConversations, SQLUsage
from digital_twin.stores.sqlite import SQLiteDialect, SQLiteIndex

from .fake_llm import FakeLLM
from .servers import serving
from .upstash_server import StandIn

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "digitaltwin.json"


@pytest.fixture(scope="session")
def embedder():
    model = default_embedder()
    model.embed(["warm up"])
    return model


@pytest.fixture(scope="session")
def postgres() -> str:
    """A real PostgreSQL 16 with pgvector for the whole run, on a Unix socket in a temporary
    folder (its own, not pytest's: the server runs as another user, who must reach it): its
    URL. The folder goes with the server at the end."""
    import pgserver
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix="twin-pg-"))
    server = pgserver.get_server(folder / "data", cleanup_mode="delete")
    url = server.get_uri()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    yield url
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(postgres) -> str:
    """A URL whose tables land in a schema of their own, new for each test."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{postgres}&options={quote(f'-c search_path={schema},public')}"


@pytest.fixture
def upstash():
    """Starts stand-ins for Upstash Vector (tests/upstash_server.py) on loopback ports, stopped
    after the test: `upstash(dimension=8)` gives one, its address in `.url`."""
    with contextlib.ExitStack() as running:
        def start(**options) -> StandIn:
            standin = StandIn(**options)
            standin.url = running.enter_context(serving(standin.app))
            return standin
        yield start


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    for name in ("GROQ_API_KEY", "TWIN_PROVIDER", "OPENAI_BASE_URL", "OPENAI_API_KEY",
                 "TWIN_DATABASE_URL", "TWIN_UPSTASH_URL", "TWIN_UPSTASH_TOKEN",
                 "UPSTASH_VECTOR_REST_URL", "UPSTASH_VECTOR_REST_TOKEN",
                 "TWIN_UPSTASH_EMBEDDING", "TWIN_UPSTASH_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return Settings(db=tmp_path / "twin.db", provider="extractive")


@pytest.fixture
def example(tmp_path) -> Path:
    target = tmp_path / "digitaltwin.json"
    shutil.copy(EXAMPLE, target)
    return target


@pytest.fixture
def llm():
    """Our fault-injecting OpenAI-compatible server, on a loopback port."""
    server = FakeLLM()
    with serving(server.app) as url:
        server.url = url
        yield server


@pytest.fixture
def twin(settings, embedder, example) -> Iterator[Twin]:
    """The bundled example's twin, closed after the test: its threads and connections end
    then, not whenever the collector finds it during a later test."""
    twin = Twin(settings, embedder=embedder)
    twin.ingest([example])
    yield twin
    twin.close()


def answer_of(settings: Settings, embedder, profile: Path, text: str, question: str):
    """The answer to `question` of a twin of a profile written to `profile` as `text`."""
    profile.write_text(text, encoding="utf-8")
    twin = Twin(settings, embedder=embedder)
    try:
        twin.ingest([profile])
        return twin.ask(question)
    finally:
        twin.close()


def indexed(settings: Settings) -> list:
    """Every passage in the index file, read through a fresh connection."""
    index = SQLiteIndex(settings.db)
    try:
        return list(index.get(sorted(index.ids())).values())
    finally:
        index.close()


def logs(settings: Settings) -> SQLUsage:
    """Usage, feedback and leads, as another process reads them from the index file."""
    return SQLUsage(SQLiteDialect(settings.db))


def conversations(settings: Settings) -> SQLConversations:
    return SQLConversations(SQLiteDialect(settings.db))


def usage_rows(twin, limit: int = 100) -> list:
    """The usage log as another process reads it, once the twin has written what it queued."""
    twin.flush()
    return logs(twin.settings).usage(limit)


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def make_pdf(path: Path, lines: list[str | tuple[str, float, bool]]) -> Path:
    """A minimal, valid one-page PDF with real text, written by hand: each line in Helvetica
    12 pt, or (text, size, bold) in that size and in Helvetica-Bold when bold."""
    ops = []
    for line in lines:
        text, size, bold = (line, 12, False) if isinstance(line, str) else line
        ops.append(f"/F{2 if bold else 1} {size} Tf ({text}) Tj 0 -16 Td")
    content = f"BT 72 720 Td {' '.join(ops)} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            ).encode()
    path.write_bytes(out)
    return path
