"""The store contract, one suite for every engine: SQLite, a real PostgreSQL with pgvector, and
Upstash Vector (its index through the SDK against the loopback stand-in, the logs in SQLite)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from digital_twin.profile import Chunk
from digital_twin.stores import (
    FeedbackRecord,
    LeadRecord,
    Query,
    SourceChange,
    SourceRecord,
    Stores,
    UsageRecord,
    logged,
)
from digital_twin.stores.sqlite import SQLiteDialect, SQLiteIndex


def sqlite_stores(request, tmp_path, **limits) -> Stores:
    path = tmp_path / "twin.db"
    return logged(SQLiteIndex(path), SQLiteDialect(path), SQLiteDialect(path), **limits)


def postgres_stores(request, tmp_path, **limits) -> Stores:
    from digital_twin.stores.postgres import Database, PostgresDialect, PostgresIndex

    db = Database(request.getfixturevalue("pg_url"), pool_size=4)
    return logged(PostgresIndex(db), PostgresDialect(db), PostgresDialect(db), **limits)


def upstash_stores(request, tmp_path, **limits) -> Stores:
    from digital_twin.stores.upstash import UpstashIndex

    standin = request.getfixturevalue("upstash_standin")  # one per test, for every store
    path = tmp_path / "twin.db"
    return logged(UpstashIndex(standin.url, standin.token), SQLiteDialect(path),
                  SQLiteDialect(path), **limits)


ENGINES = {"sqlite": sqlite_stores, "postgres": postgres_stores, "upstash": upstash_stores}


@pytest.fixture
def upstash_standin(upstash):
    return upstash(dimension=8)  # the suite's vectors


@pytest.fixture(params=sorted(ENGINES))
def engine(request, tmp_path):
    opened: list[Stores] = []

    def make(**limits) -> Stores:
        opened.append(ENGINES[request.param](request, tmp_path, **limits))
        return opened[-1]
    yield make
    for stores in opened:
        stores.close()


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
    best, score = index.dense(Query("", unit(1, 0)), 1)[0]
    assert best == GO.id and score == pytest.approx(1.0)
    assert [cid for cid, _ in index.keyword("Who knows Rust?", 5)] == [GO.id]
    assert index.similarity(Query("", unit(0, 1)), [HOBBY.id])[HOBBY.id] == pytest.approx(1.0)
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
    got = index.dense(Query("", query), 10)
    assert [cid for cid, _ in got] == [chunks[i].id for i in exact]
    assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    assert len(index.dense(Query("", query), 1_000)) == 300
    wanted = [chunks[3].id, "missing", chunks[250].id]
    assert index.similarity(Query("", query), wanted) == pytest.approx(
        {chunks[3].id: float(vectors[3] @ query), chunks[250].id: float(vectors[250] @ query)})


def test_a_passage_moved_between_files_is_kept_once(engine):
    index = engine().index
    index.apply([change("/p/me.json", [GO], [unit(1)])], embedder="m")
    index.apply([change("/p/other.json", [GO], [unit(1)])], embedder="m")
    assert index.ids("/p/me.json") == set() and index.ids("/p/other.json") == {GO.id}
    assert index.count() == 1 and [cid for cid, _ in index.keyword("Rust", 5)] == [GO.id]
    index.apply([change("/p/other.json", [], [], deletes=[GO.id])], embedder="m")
    assert index.keyword("Rust", 5) == [] and index.dense(Query("", unit(1)), 5) == []


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


def test_every_ingest_changes_the_version_and_passages_keep_file_order(engine):
    index = engine().index
    first = [Chunk(f"Job {i}", f"I worked on project number {i}.", "cv.md", f"jobs#{i}")
             for i in range(12)]
    index.apply([change("/p/cv.md", first[::-1], [unit(1, i) for i in range(12)][::-1])],
                embedder="m")
    versions = {index.version()}
    index.apply([], embedder="m")
    versions.add(index.version())
    index.apply([change("/p/cv.md", [], [])], embedder="m", reset=True)
    versions.add(index.version())
    assert len(versions) == 3 and index.count() == 0
    index.apply([change("/p/cv.md", first, [unit(1, i) for i in range(12)])], embedder="m")
    assert list(index.get([c.id for c in first[::-1]])) == [c.id for c in first]


def test_a_passage_moved_between_files_is_replaced(engine):
    index = engine().index
    index.apply([change("/p/me.json", [GO], [unit(1)])], embedder="m")
    index.apply([change("/q/me.json", [GO], [unit(0, 1)])], embedder="m")  # the file moved
    assert index.ids("/q/me.json") == {GO.id} and index.ids("/p/me.json") == set()
    assert index.count() == 1
    assert index.similarity(Query("", unit(0, 1)), [GO.id])[GO.id] == pytest.approx(1.0)


def test_dense_ranks_by_cosine_however_many_are_asked(engine):
    index = engine().index
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [Chunk(f"P{i}", f"passage {i}", "many.md", f"s{i}") for i in range(300)]
    index.apply([change("/p/many.md", chunks, list(vectors))], embedder="m")
    query = vectors[5]
    exact = [chunks[i].id for i in np.argsort(-(vectors @ query))]
    top = index.dense(Query("", query), 10)
    assert [cid for cid, _ in top] == exact[:10]
    assert top[0][1] == pytest.approx(1.0, abs=1e-5)
    # what the intent labels read: every passage, in order
    every = index.dense(Query("", query), 10_000)
    assert [cid for cid, _ in every] == exact


def test_keyword_search_ranks_titles_and_rare_words_higher(engine):
    index = engine().index
    body = Chunk("Experience", "I used Kubernetes at Acme and Kubernetes at Initech.", "me.json",
                 "experience#1")
    title = Chunk("Kubernetes", "Clusters I ran.", "me.json", "skills#k")
    rare = Chunk("Talks", "A talk about Terraform modules.", "me.json", "talks#1")
    filler = [Chunk(f"Note {i}", f"Kubernetes note {i}.", "me.json", f"n{i}") for i in range(6)]
    passages = [body, title, rare, *filler]
    index.apply([change("/p/me.json", passages, [unit(1, i) for i in range(len(passages))])],
                embedder="m")
    found = index.keyword("Kubernetes or Terraform?", 20)
    assert found[0][0] == rare.id  # the rarer word weighs more
    assert {cid for cid, _ in found} == {p.id for p in passages}
    assert all(score > 0 for _, score in found)
    assert index.keyword("the of and", 5) == [] and index.keyword("zeppelin", 5) == []


def test_keyword_search_folds_accents_and_orders_ties_by_file(engine):
    index = engine().index
    cafe = Chunk("Café", "I ran a café in Zürich.", "me.json", "cafe#1")
    ties = [Chunk(f"Note {i}", "Zurich again.", "me.json", f"tie{i}") for i in range(4)]
    index.apply([change("/p/me.json", [cafe, *ties], [unit(1, i) for i in range(5)])],
                embedder="m")
    assert index.keyword("cafe in zurich", 1)[0][0] == cafe.id
    # the four short notes score the same, above the longer passage: in the files' order,
    # also when the cut falls among them
    assert [cid for cid, _ in index.keyword("Zurich", 5)] == [*(t.id for t in ties), cafe.id]
    assert [cid for cid, _ in index.keyword("Zurich", 2)] == [ties[0].id, ties[1].id]


def test_term_frequencies_count_passages_per_stem(engine):
    index = engine().index
    index.apply([change("/p/me.json", [GO, HOBBY], [unit(1), unit(0, 1)]),
                 change("/p/talks.md", [TALK], [unit(1, 1)])], embedder="m")
    counts = index.term_frequencies()
    assert counts["go"] == 1 and counts["sourdough"] == 1 and counts["kubecon"] == 1
    index.apply([change("/p/me.json", [], [], deletes=[HOBBY.id])], embedder="m")
    assert "sourdough" not in index.term_frequencies()


def test_answer_cache_is_kept_per_index_version(engine):
    cache = engine().cache
    cache.keep("where did you study", "v1", unit(1, 2), '{"answer": "Waterloo."}')
    cache.keep("what do you do", "v1", None, '{"answer": "Platforms."}')
    assert cache.cached("where did you study", "v1", 0.0) == '{"answer": "Waterloo."}'
    assert cache.cached("where did you study", "v1", time.time() + 1) is None
    [(key, vector, answer)] = cache.cached_vectors("v1", 0.0)
    assert key == "where did you study" and np.allclose(vector, unit(1, 2))
    cache.keep("what do you do", "v2", None, '{"answer": "Now platforms."}')
    assert cache.cached("where did you study", "v1", 0.0) is None  # a new index, a new cache
    assert cache.cached("what do you do", "v2", 0.0) == '{"answer": "Now platforms."}'


def test_leads_keep_the_questions_asked(engine):
    leads = engine().leads
    first = leads.record_lead(LeadRecord("Sam", "sam@example.com", "Let's talk", "Acme", "s1",
                                         ["Where did you study?"], created_at=10.0))
    second = leads.record_lead(LeadRecord("Kim", "kim@example.com", "Hello"))
    assert second > first
    assert [(lead.name, lead.questions) for lead in leads.leads()] == [
        ("Kim", []), ("Sam", ["Where did you study?"])]
    assert [lead.name for lead in leads.leads(since=20.0)] == ["Kim"]


def test_rate_limits_are_a_sliding_minute_shared_by_every_connection(engine):
    one, two = engine().limits, engine().limits
    assert [one.hit("10.0.0.1", 3) for _ in range(2)] == [0.0, 0.0]
    assert two.hit("10.0.0.1", 3) == 0.0
    wait = one.hit("10.0.0.1", 3)
    assert 58.0 < wait <= 60.0 and 0 < two.hit("10.0.0.1", 3) <= wait
    assert two.hit("10.0.0.2", 3) == 0.0  # every client has its own count
    assert one.hit("10.0.0.1", 5) == 0.0  # a refused request was not counted
