"""What only the PostgreSQL engine has to show: migrations that several replicas start at once,
ingests that readers see whole, an address that never shows its password, failures reported as
one line with the fix."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import psycopg
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from digital_twin import evaluation
from digital_twin.cli import app as cli
from digital_twin.config import Settings
from digital_twin.errors import StorageError
from digital_twin.profile import Chunk
from digital_twin.service import Twin
from digital_twin.stores import Query, SourceChange, SourceRecord
from digital_twin.stores.pg_migrations import MIGRATIONS
from digital_twin.stores.postgres import Database, PostgresIndex

from .conftest import ROOT
from .servers import free_port

EXAMPLES = ROOT / "examples"


def test_replicas_starting_together_migrate_once(pg_url):
    with ThreadPoolExecutor(6) as pool:
        databases = list(pool.map(lambda _: Database(pg_url, pool_size=1), range(6)))
    for db in databases:
        db.close()
    with psycopg.connect(pg_url) as conn:
        numbers = [n for (n,) in conn.execute("SELECT number FROM twin_migrations ORDER BY 1")]
    assert numbers == list(range(1, len(MIGRATIONS) + 1))


def passages(tag: str, n: int) -> SourceChange:
    chunks = [Chunk(f"{tag} {i}", f"Passage {i} of set {tag}.", "cv.md", f"{tag}{i}")
              for i in range(n)]
    vectors = np.random.default_rng(len(tag)).normal(size=(n, 16)).astype(np.float32)
    return SourceChange(SourceRecord("/p/cv.md", "cv.md"), chunks, vectors, list(range(n)), [])


def test_readers_see_the_old_index_or_the_new_one_never_a_mix(pg_url):
    db = Database(pg_url, pool_size=4)
    index = PostgresIndex(db)
    sets = {tag: passages(tag, 200) for tag in ("old", "new")}
    wholes = {frozenset(c.id for c in change.upserts) for change in sets.values()}
    index.apply([sets["old"]], embedder="m")
    seen: list[frozenset] = []
    done = threading.Event()

    def read():
        while not done.is_set():
            seen.append(frozenset(index.ids()))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for round_ in range(6):
            index.apply([sets["new" if round_ % 2 == 0 else "old"]], embedder="m", reset=True)
    finally:
        done.set()
        for reader in readers:
            reader.join()
        db.close()
    assert len(seen) > 6 and set(seen) <= wholes, {len(s) for s in seen}


def test_after_a_reset_to_a_small_index_search_finds_every_live_passage(pg_url):
    """The HNSW graph of 3,000 replaced passages would crowd the 40 left out of a search."""
    db = Database(pg_url, pool_size=2)
    index = PostgresIndex(db)
    index.apply([passages("many", 3000)], embedder="m")
    small = passages("few", 40)
    index.apply([small], embedder="m", reset=True)
    probes = np.random.default_rng(7).normal(size=(10, 16)).astype(np.float32)
    unit = small.vectors / np.linalg.norm(small.vectors, axis=1, keepdims=True)
    try:
        for probe in probes:
            exact = {small.upserts[i].id for i in np.argsort(-(unit @ probe))[:10]}
            assert {cid for cid, _ in index.dense(Query("", probe), 10)} == exact
    finally:
        db.close()


def test_a_schema_of_a_newer_twin_is_refused_with_the_fix(pg_url):
    Database(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO twin_migrations (number) VALUES (%s)", (len(MIGRATIONS) + 1,))
    with pytest.raises(StorageError) as caught:
        Database(pg_url)
    assert "newer version" in caught.value.message and "Upgrade" in caught.value.hint


def test_vectors_of_another_model_need_a_reset(pg_url):
    db = Database(pg_url, pool_size=2)
    index = PostgresIndex(db)
    try:
        index.apply([passages("a", 3)], embedder="m16")
        wider = passages("b", 3)
        wider.vectors = np.ones((3, 24), dtype=np.float32)
        with pytest.raises(StorageError, match="16-dimension") as failure:
            index.apply([wider], embedder="m24")
        assert "--reset" in str(failure.value) and index.count() == 3
        index.apply([wider], embedder="m24", reset=True)
        assert index.count() == 3 and index.embedder() == "m24"
        best = index.dense(Query("", np.ones(24, dtype=np.float32)), 1)[0]
        assert best[1] == pytest.approx(1.0)
    finally:
        db.close()


def with_password(url: str, password: str) -> str:
    # pgserver trusts local connections, so the password is carried but never checked
    return url.replace("postgres:@", f"postgres:{password}@", 1)


def test_the_twin_on_postgres_answers_and_never_shows_the_password(
        pg_url, settings, embedder, example, monkeypatch):
    url = with_password(pg_url, "s3cret-pw")
    config = settings.model_copy(update={"database_url": SecretStr(url)})
    twin = Twin(config, embedder=embedder)
    try:
        twin.ingest([example])
        answer = twin.ask("Tell me about your time at Tidewater Bank")
        assert "Tidewater" in answer.answer and answer.sources
        follow = twin.ask("What was the result?", answer.session_id)
        assert "70 minutes" in follow.answer
        status = twin.status()
        assert status["ready"] and status["sessions"] == 1
        assert "s3cret" not in json.dumps(status) and status["index"].startswith("postgresql://")
    finally:
        twin.close()
    assert not config.db.exists()  # nothing went to the SQLite file

    monkeypatch.setenv("TWIN_DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["status", "--json"])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output and json.loads(result.stdout)["chunks"] > 0


def test_the_example_eval_set_answers_the_same_on_postgres(pg_url, settings, embedder, tmp_path):
    """Retrieval and the covered-or-not decision read the store's dense, keyword and term
    counts: on PostgreSQL they must lead to the same passages and answers as on SQLite."""
    cases = evaluation.load_cases(EXAMPLES / "eval" / "example.jsonl")
    seen = []
    for update in ({"database_url": SecretStr(pg_url)}, {"db": tmp_path / "same.db"}):
        twin = Twin(settings.model_copy(update={**update, "cache": "off"}), embedder=embedder)
        try:
            twin.ingest([cases[0].profile])
            seen.append([([hit.text for hit in twin.search(case.question, 5)],
                          twin.ask(case.question).answer) for case in cases])
        finally:
            twin.close()
    assert len(cases) >= 15 and seen[0] == seen[1]
    passed = [evaluation.score(case, answer, 1, passages)[1]
              for case, (passages, answer) in zip(cases, seen[0], strict=True) if case.answerable]
    assert sum(passed) / len(passed) >= 0.85


def test_an_unreachable_database_is_one_line_with_the_fix():
    url = f"postgresql://twin:s3cret-pw@127.0.0.1:{free_port()}/twin"
    with pytest.raises(StorageError) as failure:
        Database(url, timeout=3)
    text = str(failure.value)
    assert "\n" not in text and "s3cret" not in text
    assert text.startswith("postgresql://twin@127.0.0.1:") and "TWIN_DATABASE_URL" in text


@pytest.mark.parametrize("url, shown", [
    ("postgresql://twin:s3cret@db.internal:5432/twin?sslmode=require",
     "postgresql://twin@db.internal:5432/twin?sslmode=require"),
    ("postgresql://twin@db/twin?password=s3cret&sslmode=require",
     "postgresql://twin@db/twin?sslmode=require"),
    ("postgresql:///twin?host=/run/postgresql", "postgresql:///twin?host=/run/postgresql"),
])
def test_the_address_shown_has_no_password(url, shown):
    assert Settings(database_url=url).index_location == shown
