"""The SQLite index: incremental, atomic re-ingest; hybrid search with a relevance floor."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from digital_twin.errors import IndexNotReadyError, ProfileError
from digital_twin.service import Twin

from .conftest import indexed, write_json


def test_index_is_one_sqlite_file_with_passages_and_vectors(twin, settings):
    conn = sqlite3.connect(settings.db)
    chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    texts = conn.execute("SELECT count(*) FROM chunks WHERE text != ''").fetchone()[0]
    blob = conn.execute("SELECT embedding FROM chunks LIMIT 1").fetchone()[0]
    assert chunks == texts > 20
    vector = np.frombuffer(blob, dtype=np.float32)
    assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-3


def test_reingest_updates_changes_and_removes_deletions(twin, example):
    before = {c.id: c for c in indexed(twin.settings)}
    again = twin.ingest([example])
    assert (again.added, again.removed, again.unchanged) == (0, 0, len(before))

    data = json.loads(example.read_text())
    data["experience"][1]["location"] = "Ottawa"
    del data["projects_portfolio"][1]
    write_json(example, data)
    report = twin.ingest([example])
    after = {c.id: c for c in indexed(twin.settings)}
    assert report.removed == 2 and report.added == 1
    assert not any("Transit delay" in c.text for c in after.values())
    tidewater = [c for c in after.values() if c.kind == "experience" and "Tidewater" in c.text]
    assert len(tidewater) == 1 and "Ottawa" in tidewater[0].text
    assert all("Transit" not in h.title for h in twin.search("streetcar delays predictor"))


def test_other_files_survive_ingesting_one(twin, tmp_path, example):
    note = tmp_path / "talks.md"
    note.write_text("# Talks\n\nI spoke at KubeCon about GPU scheduling.\n")
    twin.ingest([note])
    twin.ingest([example])
    assert any(c.source == "talks.md" for c in indexed(twin.settings))
    twin.ingest([note], reset=True)
    assert {c.source for c in indexed(twin.settings)} == {"talks.md"}


def test_failure_mid_ingest_leaves_previous_index(twin, example, embedder):
    before = indexed(twin.settings)
    data = json.loads(example.read_text())
    data["career_goals"]["short_term"] = "Something new entirely."
    write_json(example, data)

    class DyingEmbedder:  # the real model, until it dies mid-ingest
        name, dim, calls = embedder.name, embedder.dim, []

        def embed(self, texts):
            self.calls.append(texts)
            raise RuntimeError("embedding died")

    dying = DyingEmbedder()
    with pytest.raises(RuntimeError):
        Twin(twin.settings, embedder=dying).ingest([example])
    assert dying.calls and indexed(twin.settings) == before
    assert twin.search("career goals")  # still answers


def test_bad_file_in_batch_touches_nothing(twin, example, tmp_path):
    before = indexed(twin.settings)
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    with pytest.raises(ProfileError, match="bad.json"):
        twin.ingest([example, bad], reset=True)
    assert indexed(twin.settings) == before


def test_other_embedder_is_refused(twin, settings, example):
    class OtherEmbedder:
        name, dim = "another-model", 3

        def embed(self, texts):
            return np.zeros((len(texts), 3), dtype=np.float32)

    with pytest.raises(IndexNotReadyError, match="--reset"):
        Twin(settings, embedder=OtherEmbedder()).ingest([example])


def test_empty_index_says_how_to_fill_it(settings, embedder):
    twin = Twin(settings, embedder=embedder)
    with pytest.raises(IndexNotReadyError, match="twin ingest"):
        twin.search("python")


@pytest.mark.parametrize(("question", "expected_title"), [
    ("Where did you study?", "BASc, Systems Design Engineering"),
    ("Which programming languages do you know?", "Skills › Technical › Programming languages"),
    ("What is your biggest weakness?", "Interview prep › Weakness mitigation › 1"),
    ("What are your salary expectations?", "My salary expectations"),
    ("Tell me about featherweight", "featherweight"),
])
def test_hybrid_search_finds_the_right_passage(twin, question, expected_title):
    hits = twin.search(question)
    assert hits and hits[0].title == expected_title
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("question", ["What is the capital of France?",
                                      "Tell me a joke about cats", "How do I bake sourdough?"])
def test_off_topic_questions_retrieve_nothing(twin, question):
    assert twin.search(question) == []


def test_top_k(twin):
    assert len(twin.search("Python Kubernetes Spark experience", k=2)) == 2
    assert len(twin.search("Python Kubernetes Spark experience", k=8)) == 8


def test_what_a_question_finds_follows_each_ingest(twin, example):
    """What the retriever works out once per index (each intent's passages, the words) is
    worked out again after an ingest."""
    assert any("University of Waterloo" in hit.text for hit in twin.search("Where did you study?"))
    data = json.loads(example.read_text())
    data["education"][0]["institution"] = "University of Porto"
    write_json(example, data)
    twin.ingest([example])
    hits = twin.search("Where did you study?")
    assert any("Porto" in hit.text for hit in hits)
    assert not any("University of Waterloo" in hit.text for hit in hits)
    assert any("Porto" in hit.text for hit in twin.search("Did you study in Porto?"))
