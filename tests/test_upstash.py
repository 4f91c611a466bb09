"""The twin on Upstash Vector, through the official SDK, against the loopback stand-in of its
REST API (tests/upstash_server.py): what can be checked without the service. The requests'
shapes are checked against what Upstash documents; the service itself (its auth, limits, filter
semantics, approximate search, latency, built-in models) is not reached from here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from digital_twin.cli import app
from digital_twin.config import Settings
from digital_twin.errors import IndexNotReadyError, StorageError
from digital_twin.service import Twin
from digital_twin.stores import Query, SourceChange, SourceRecord
from digital_twin.stores.sqlite import SQLiteIndex
from digital_twin.stores.upstash import UpstashIndex

from .conftest import write_json

QUESTION = "Tell me about your time at Tidewater Bank"
MODEL = "sentence-transformers/all-MiniLM-L6-v2"  # the stand-in's "built-in" model: our own


def on(standin, settings: Settings, **options) -> Settings:
    return settings.model_copy(update={"upstash_url": standin.url,
                                       "upstash_token": SecretStr(standin.token), **options})


def passage_upserts(standin) -> list:
    """The requests that wrote passages (into a version's namespace, not the default one)."""
    return [seen for seen in standin.requests
            if seen.path.startswith(("/upsert/", "/upsert-data/"))]


def current(standin) -> tuple[str, list[str]]:
    """The index's version and its passages' texts, as a twin opened now reads them."""
    index = UpstashIndex(standin.url, standin.token)
    try:
        return index.version(), [c.text for c in index.get(sorted(index.ids())).values()]
    finally:
        index.close()


def edited(example):
    """The example profile with one passage changed: the next ingest has something to do."""
    data = json.loads(example.read_text())
    data["personal"]["summary"] = "I now build payment systems on the Moon."
    return write_json(example, data)


def test_ingest_and_ask_through_the_cli(upstash, settings, embedder, example, monkeypatch):
    standin = upstash()
    monkeypatch.setenv("TWIN_UPSTASH_URL", standin.url)
    monkeypatch.setenv("TWIN_UPSTASH_TOKEN", standin.token)
    monkeypatch.setenv("TWIN_DB", str(settings.db))
    monkeypatch.setenv("TWIN_PROVIDER", "extractive")
    runner = CliRunner()

    result = runner.invoke(app, ["ingest", str(example)])
    assert result.exit_code == 0, result.output
    assert "Upstash Vector" in result.output and standin.url in result.output

    result = runner.invoke(app, ["ask", QUESTION])
    assert result.exit_code == 0, result.output
    assert "Tidewater" in result.output and "digitaltwin.json" in result.output  # cited

    status = json.loads(runner.invoke(app, ["status", "--json"]).stdout)
    assert status["index"].startswith(standin.url) and "Upstash Vector" in status["index"]
    assert status["chunks"] > 20 and status["sources"] == ["digitaltwin.json"]
    assert standin.token not in json.dumps(status)
    # the logs stay in the SQLite file; the passages are only in Upstash
    logs = SQLiteIndex(settings.db)
    assert logs.count() == 0
    logs.close()
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("SELECT question FROM usage").fetchall() == [(QUESTION,)]


def test_requests_have_the_shapes_the_sdk_and_the_service_document(upstash, settings,
                                                                   embedder, example):
    standin = upstash()
    twin = Twin(on(standin, settings), embedder=embedder)
    twin.ingest([example])
    answer = twin.ask(QUESTION)
    twin.close()
    assert answer.sources

    assert {seen.headers["authorization"] for seen in standin.requests} == {
        f"Bearer {standin.token}"}
    assert not any(h.startswith("upstash-telemetry") for h in standin.requests[0].headers)
    commands = {seen.path.split("/")[1].partition("?")[0] for seen in standin.requests}
    assert commands <= {"fetch", "info", "upsert", "range", "list-namespaces", "query",
                        "delete", "delete-namespace"}

    [write] = passage_upserts(standin)  # the example fits one batch
    namespace = write.path.split("/", 2)[2]
    assert namespace.startswith("twin-1-")
    record = write.body[0]
    assert set(record) == {"id", "vector", "sparseVector", "metadata", "data"}
    assert len(record["vector"]) == 384 and record["sparseVector"] is None
    assert set(record["metadata"]) == {"id", "source_key", "source", "section", "title", "kind",
                                       "position"}
    assert record["metadata"]["id"] == record["id"]
    assert record["data"].startswith(record["metadata"]["title"] + "\n")

    # the files' records, then the switch: the manifest is the last thing written
    upserts = [seen for seen in standin.requests if seen.path == "/upsert"]
    assert [r["id"] for r in upserts[0].body] == [f"twin:{namespace[5:]}:source:0"]
    assert upserts[-1].body[0]["id"] == "twin:manifest"
    assert upserts[-1].body[0]["metadata"]["namespace"] == namespace
    order = standin.paths()
    assert order.index(write.path) < order.index("/info", order.index(write.path)) \
        < standin.requests.index(upserts[-1])

    [query] = [seen for seen in standin.requests if seen.path.startswith("/query/")]
    assert query.path == f"/query/{namespace}"
    assert {k: v for k, v in query.body.items() if k != "vector"} == {
        "topK": 30, "includeVectors": False, "includeMetadata": False, "includeData": False,
        "filter": ""}
    assert len(query.body["vector"]) == 384
    ranges = [seen.body for seen in standin.requests if seen.path.startswith("/range")]
    assert all(set(body) >= {"cursor", "limit", "includeVectors", "includeMetadata",
                             "includeData"} for body in ranges)


def test_builtin_embedding_sends_text_and_searches_by_it(upstash, settings, embedder, example):
    standin = upstash(embed=embedder.embed, model=MODEL)
    twin = Twin(on(standin, settings, upstash_embedding="builtin"), embedder=embedder)
    twin.ingest([example])
    answer = twin.ask(QUESTION)
    status = twin.status()
    twin.close()
    assert "Tidewater" in answer.answer and answer.sources
    assert status["embedder"] == f"upstash:{MODEL}"

    writes = [seen for seen in standin.requests if seen.path.startswith("/upsert")]
    assert writes and all(seen.path.startswith("/upsert-data") for seen in writes)
    assert all(set(r) == {"id", "data", "metadata"} for seen in writes for r in seen.body)
    queries = [seen for seen in standin.requests if seen.path.startswith("/query")]
    assert queries and all(seen.path.startswith("/query-data/") for seen in queries)
    assert queries[0].body["data"] == QUESTION and "vector" not in queries[0].body

    # the similarity of passages the search did not bring: one query filtered to their ids
    reader = UpstashIndex(standin.url, standin.token, builtin=True)
    some = sorted(reader.ids())[:3]
    scores = reader.similarity(Query(QUESTION, np.zeros(0)), some)
    reader.close()
    filtered = standin.requests[-1].body
    assert filtered["filter"] == "id IN (" + ", ".join(f"'{cid}'" for cid in some) + ")"
    assert filtered["topK"] == 3 and set(scores) == set(some)
    assert all(-1.0 <= score <= 1.0 for score in scores.values())


@pytest.mark.parametrize("failing", [
    pytest.param(0, id="writing-passages"),
    pytest.param(1, id="writing-file-records"),
    pytest.param(2, id="switching-the-manifest"),
])
def test_a_failed_ingest_leaves_the_previous_index_answering(upstash, settings, embedder,
                                                             example, failing):
    standin = upstash()
    config = on(standin, settings, cache="off")
    twin = Twin(config, embedder=embedder)
    twin.ingest([example])
    before, namespaces = current(standin), set(standin.namespaces)

    standin.fail("/upsert", skip=failing)
    with pytest.raises(StorageError, match="Internal server error"):
        twin.ingest([edited(example)])
    assert current(standin) == before  # the same version, the same passages
    assert not any("Moon" in text for text in before[1])
    assert set(standin.namespaces) == namespaces  # what it wrote was removed
    assert "Tidewater" in twin.ask(QUESTION).answer
    twin.close()


def test_what_a_crashed_ingest_left_is_never_read_and_goes_with_the_next(
        upstash, settings, embedder, example):
    standin = upstash()
    twin = Twin(on(standin, settings, cache="off"), embedder=embedder)
    twin.ingest([example])
    first, _ = current(standin)
    standin.fail("/upsert", skip=1)  # the file records fail...
    standin.fail("/list-namespaces")  # ...and so does cleaning up, as if the process died
    with pytest.raises(StorageError):
        twin.ingest([edited(example)])
    left = [ns for ns in standin.namespaces if ns not in ("", f"twin-{first}")]
    assert len(left) == 1 and standin.namespaces[left[0]]  # half written, and pointed at by
    version, texts = current(standin)                          # nothing
    assert version == first and not any("Moon" in text for text in texts)

    twin.ingest([example], reset=True)
    second, _ = current(standin)
    # the leftover is of the new version's generation, as another machine's ingest under way
    # would be: it is kept (never removed while it may be written), and so is the one before
    assert set(standin.namespaces) == {"", f"twin-{first}", f"twin-{second}", *left}
    twin.ingest([edited(example)])  # generations older than the replaced one go...
    third, _ = current(standin)
    assert set(standin.namespaces) == {"", f"twin-{second}", f"twin-{third}", *left}
    twin.ingest([example])  # ...and at the next ingest, the leftover and the one before
    fourth, _ = current(standin)
    assert set(standin.namespaces) == {"", f"twin-{third}", f"twin-{fourth}"}
    assert {rid.split(":")[1] for rid in standin.namespaces[""]} == {"manifest", third, fourth}
    twin.close()


def test_another_twin_sees_an_ingest_made_elsewhere(upstash, settings, embedder, example,
                                                    tmp_path):
    standin = upstash()
    config = on(standin, settings, cache="off")
    reader = Twin(config, embedder=embedder)
    with pytest.raises(IndexNotReadyError):
        reader.ask(QUESTION)
    writer = Twin(config.model_copy(update={"db": tmp_path / "writer.db"}), embedder=embedder)
    writer.ingest([example])
    time.sleep(1.1)  # the reader reads the manifest again after a second
    assert "Tidewater" in reader.ask(QUESTION).answer
    writer.close()
    reader.close()

    # a process of its own, with logs of its own: all it shares is the Upstash index
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TWIN_", "GROQ_"))},
           "TWIN_UPSTASH_URL": standin.url, "UPSTASH_VECTOR_REST_TOKEN": standin.token,
           "TWIN_PROVIDER": "extractive", "TWIN_DB": str(tmp_path / "other.db")}
    proc = subprocess.run([sys.executable, "-m", "digital_twin", "ask", QUESTION, "--json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    reply = json.loads(proc.stdout)
    assert "Tidewater" in reply["answer"] and reply["sources"]


def test_a_wrong_token_is_one_line_that_names_the_setting(upstash, settings, monkeypatch):
    standin = upstash()
    monkeypatch.setenv("TWIN_UPSTASH_URL", standin.url)
    monkeypatch.setenv("TWIN_UPSTASH_TOKEN", "not-the-token")
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "TWIN_UPSTASH_TOKEN" in lines[0], result.output
    assert "not-the-token" not in result.output and "Traceback" not in result.output

    monkeypatch.delenv("TWIN_UPSTASH_TOKEN")
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "TWIN_UPSTASH_TOKEN" in result.output and "no token" in result.output


def test_upstash_names_for_its_settings_are_read_too(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("UPSTASH_VECTOR_REST_URL", "https://eu1-vector.upstash.io/")
    monkeypatch.setenv("UPSTASH_VECTOR_REST_TOKEN", "s3cret")
    found = Settings()
    assert found.index_engine == "upstash" and found.upstash_token.get_secret_value() == "s3cret"
    assert found.index_location == "https://eu1-vector.upstash.io"
    assert "s3cret" in found.exported()  # handed to `twin serve`'s workers, never shown
    assert not found.warnings()
    plain = Settings(upstash_url="http://vector.example.com", upstash_token="s3cret")
    assert any("unencrypted" in warning for warning in plain.warnings())


def tiny(dimension: int) -> list[SourceChange]:
    from digital_twin.profile import Chunk

    chunk = Chunk("Skills", "I write Go.", "me.json", "skills")
    return [SourceChange(SourceRecord("/p/me.json", "me.json"), [chunk],
                         np.eye(dimension, dtype=np.float32)[:1], [0], [])]


@pytest.mark.parametrize("created, builtin, said", [
    pytest.param({"dimension": 1024}, False, "384-dimensional", id="local-needs-384"),
    pytest.param({}, True, "embedding model", id="builtin-needs-a-model"),
])
def test_an_index_of_the_wrong_kind_is_refused_before_anything_is_written(
        upstash, created, builtin, said):
    standin = upstash(**created)
    index = UpstashIndex(standin.url, standin.token, builtin=builtin)
    with pytest.raises(StorageError, match=said):
        index.apply(tiny(384), embedder="all-MiniLM-L6-v2")
    assert standin.namespaces == {"": {}}
    index.close()


def test_a_twin_in_the_other_embedding_mode_is_told_to_match_it(upstash, embedder):
    standin = upstash(embed=embedder.embed, model=MODEL)
    UpstashIndex(standin.url, standin.token, builtin=True).apply(tiny(384), embedder="x")
    local = UpstashIndex(standin.url, standin.token)
    with pytest.raises(StorageError, match="TWIN_UPSTASH_EMBEDDING=builtin"):
        local.dense(Query("", np.eye(384, dtype=np.float32)[0]), 5)
    assert local.count() == 1  # what is not about vectors still reads
    with pytest.raises(StorageError, match="--reset"):  # no mix of the two in one version
        local.apply([], embedder="all-MiniLM-L6-v2")
    local.apply(tiny(384), embedder="all-MiniLM-L6-v2", reset=True)
    best = local.dense(Query("", np.eye(384, dtype=np.float32)[0]), 5)[0]
    assert best[1] == pytest.approx(1.0)
    local.close()


def test_the_switch_waits_until_the_service_has_indexed_the_new_version(upstash):
    standin = upstash(dimension=4)
    index = UpstashIndex(standin.url, standin.token)
    index.apply(tiny(4), embedder="m")  # (which asks the index's shape once)
    standin.requests.clear()
    standin.pending_infos = 3
    index.apply(tiny(4), embedder="m")
    switch = max(i for i, seen in enumerate(standin.requests)
                 if seen.path == "/upsert" and seen.body[0]["id"] == "twin:manifest")
    assert standin.paths()[:switch].count("/info") == 3 + 1  # until nothing is pending
    assert index.dense(Query("", np.eye(4, dtype=np.float32)[0]), 3)[0][1] == pytest.approx(1.0)
    index.close()


def test_a_service_that_does_not_answer_is_a_timeout_not_a_hang(upstash):
    standin = upstash(delay=1.5)
    index = UpstashIndex(standin.url, standin.token, timeout=0.3, retries=1)
    with pytest.raises(StorageError, match="TWIN_UPSTASH_TIMEOUT"):  # not the 1.5 s reply
        index.count()
    assert len(standin.requests) == 2  # the SDK's retry
    index.close()
