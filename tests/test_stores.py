"""The store contract, one suite for every engine (today: SQLite)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from digital_twin.profile import Chunk
from digital_twin.stores import FeedbackRecord, SourceChange, SourceRecord, Stores, UsageRecord
from digital_twin.stores.sqlite import SQLiteIndex
from digital_twin.stores.sqlite_logs import SQLiteLogs


def sqlite_stores(tmp_path, **limits) -> Stores:
    logs = SQLiteLogs(tmp_path / "twin.db", **limits)
    return Stores(SQLiteIndex(tmp_path / "twin.db"), logs, logs, logs, logs, logs)


ENGINES = {"sqlite": sqlite_stores}


@pytest.fixture(params=sorted(ENGINES))
def engine(request, tmp_path):
    def make(**limits) -> Stores:
        return ENGINES[request.param](tmp_path, **limits)
    return make


def unit(*values: float) -> np.ndarray:
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def change(key: str, chunks: list[Chunk], vectors: list[np.ndarray],
           deletes: list[str] = ()) -> SourceChange:
    return SourceChange(SourceRecord(key, key.rsplit("/", 1)[-1], {"name": "Ada"},
                                     {"skills": ["Go"]}),
                        chunks, np.array(vectors), list(range(len(chunks))), list(deletes))


GO = Chunk("Skills", "I write Go and Rust every day.", "me.json", "skills")
TALK = Chunk("Talks", "I spoke at KubeCon about GPU scheduling.", "talks.md", "talks#1")
HOBBY = Chunk("Hobbies", "I climb and bake sourdough.", "me.json", "hobbies")


def test_apply_search_and_read_back(engine):
    index = engine().index
    assert (index.count(), index.embedder(), index.ids()) == (0, None, set())
    version = index.version()
    index.apply([change("/p/me.json", [GO, HOBBY], [unit(1, 0), unit(0, 1)]),
                 change("/p/talks.md", [TALK], [unit(1, 1)])], embedder="test-model")
    assert index.count() == 3 and index.embedder() == "test-model"
    assert index.version() != version
    assert index.ids("/p/me.json") == {GO.id, HOBBY.id}
    assert index.get([GO.id, "missing"]) == {GO.id: GO}
    best, score = index.dense(unit(1, 0), 1)[0]
    assert best == GO.id and score == pytest.approx(1.0)
    assert [cid for cid, _ in index.keyword("Who knows Rust?", 5)] == [GO.id]
    assert index.similarity(unit(0, 1), [HOBBY.id])[HOBBY.id] == pytest.approx(1.0)
    assert [(s.name, s.owner, s.sections) for s in index.sources()] == [
        ("me.json", {"name": "Ada"}, {"skills": ["Go"]}),
        ("talks.md", {"name": "Ada"}, {"skills": ["Go"]})]


def test_deletes_and_reset(engine):
    index = engine().index
    index.apply([change("/p/me.json", [GO, HOBBY], [unit(1), unit(0, 1)])], embedder="m")
    index.apply([change("/p/me.json", [], [], deletes=[HOBBY.id])], embedder="m")
    assert index.ids() == {GO.id} and index.keyword("sourdough", 5) == []
    index.apply([change("/p/talks.md", [TALK], [unit(1, 1)])], embedder="m", reset=True)
    assert index.ids() == {TALK.id} and [s.name for s in index.sources()] == ["talks.md"]


def test_dense_takes_the_best_n_in_order_among_many(engine):
    index = engine().index
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [Chunk(f"P{i}", f"passage number {i}", "many.md", f"p#{i}") for i in range(300)]
    index.apply([change("/p/many.md", chunks, list(vectors))], embedder="m")
    query = vectors[42] + 0.5 * vectors[7]
    query /= np.linalg.norm(query)
    exact = np.argsort(-(vectors @ query))[:10]
    got = index.dense(query, 10)
    assert [cid for cid, _ in got] == [chunks[i].id for i in exact]
    assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    assert len(index.dense(query, 1_000)) == 300
    wanted = [chunks[3].id, "missing", chunks[250].id]
    assert index.similarity(query, wanted) == pytest.approx(
        {chunks[3].id: float(vectors[3] @ query), chunks[250].id: float(vectors[250] @ query)})


def test_a_passage_moved_between_files_is_kept_once(engine):
    index = engine().index
    index.apply([change("/p/me.json", [GO], [unit(1)])], embedder="m")
    index.apply([change("/p/other.json", [GO], [unit(1)])], embedder="m")
    assert index.ids("/p/me.json") == set() and index.ids("/p/other.json") == {GO.id}
    assert index.count() == 1 and [cid for cid, _ in index.keyword("Rust", 5)] == [GO.id]
    index.apply([change("/p/other.json", [], [], deletes=[GO.id])], embedder="m")
    assert index.keyword("Rust", 5) == [] and index.dense(unit(1), 5) == []


def test_apply_is_all_or_nothing(engine):
    index = engine().index
    index.apply([change("/p/me.json", [GO], [unit(1)])], embedder="m")
    version = index.version()
    broken = change("/p/talks.md", [TALK, HOBBY], [unit(1)])  # a vector short
    with pytest.raises(ValueError):
        index.apply([change("/p/me.json", [], [], deletes=[GO.id]), broken], embedder="m")
    assert index.ids() == {GO.id} and index.version() == version


def test_usage_and_feedback_are_typed_records(engine):
    stores = engine()
    stores.usage.record_usage([
        UsageRecord("extractive", "extractive", "declined", "s2", created_at=1.0),
        UsageRecord("groq", "openai/gpt-oss-20b", "answered", "s1", prompt_tokens=120,
                    completion_tokens=30, latency_ms=412.5, answer_id="a1", experiment="e",
                    variant="big", answer="I did.")])
    row = stores.usage.usage()[0]
    assert (row.provider, row.outcome, row.session_id, row.prompt_tokens) == (
        "groq", "answered", "s1", 120)
    assert (row.answer_id, row.experiment, row.variant, row.answer) == ("a1", "e", "big",
                                                                        "I did.")
    assert stores.usage.prune(before=2.0) == 1 and len(stores.usage.usage()) == 1
    first = stores.feedback.record_feedback(FeedbackRecord("q?", "a.", 1, "s1", "useful",
                                                           answer_id="a1"))
    second = stores.feedback.record_feedback(FeedbackRecord("q2?", "b.", -1))
    assert second > first
    assert [(f.question, f.rating) for f in stores.feedback.feedback()] == [("q2?", -1),
                                                                           ("q?", 1)]


def test_sessions_are_bounded_by_turns_count_and_time(engine):
    sessions = engine(session_ttl=0.5, max_sessions=2, session_turns=2).sessions
    assert sessions.history("nobody") is None
    for i in range(3):
        sessions.append("a", f"question {i}", f"answer {i}")
    assert [t["content"] for t in sessions.history("a")] == [
        "question 1", "answer 1", "question 2", "answer 2"]  # the last two turns
    sessions.append("b", "q", "a")
    sessions.append("c", "q", "a")
    assert sessions.active() == 2 and sessions.history("a") is None  # the oldest went
    sessions.forget("b")
    assert sessions.history("b") is None
    time.sleep(0.6)
    assert sessions.history("c") is None and sessions.active() == 0


def test_two_connections_share_conversations(engine, tmp_path):
    one, two = engine(), engine()
    one.sessions.append("s", "Where did you study?", "Waterloo.")
    assert two.sessions.history("s")[0]["content"] == "Where did you study?"
