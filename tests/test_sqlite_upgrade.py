"""An index file written by an older version of the twin is upgraded in place and stays whole."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from digital_twin.errors import StorageError
from digital_twin.stores import Query
from digital_twin.stores.migrations import MIGRATIONS
from digital_twin.stores.sqlite import SQLiteIndex

from .test_stores import GO, HOBBY, change, unit


def old_file(path, chunks) -> None:
    """A file at schema version 7, its passages written the way that version wrote them."""
    conn = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:7], start=1):
        for statement in filter(str.strip, script.split(";")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    for position, (chunk, vector) in enumerate(chunks):
        conn.execute("INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (chunk.id, "/p/me.json", chunk.source, chunk.section, chunk.title,
                      chunk.text, chunk.kind, position, vector.tobytes()))
        conn.execute("INSERT INTO chunks_fts (id, title, text) VALUES (?, ?, ?)",
                     (chunk.id, chunk.title, chunk.text))
    conn.execute("INSERT INTO meta VALUES ('generation', '1'), ('embedder', 'm')")
    conn.close()


def test_an_old_file_is_upgraded_and_keeps_its_passages_searchable(tmp_path):
    path = tmp_path / "old.db"
    old_file(path, [(HOBBY, unit(0, 1)), (GO, unit(1))])
    index = SQLiteIndex(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "chunks_fts" not in tables  # keyword search is kept in memory since migration 10
    columns = {row[1] for row in conn.execute("PRAGMA table_info(chunks)")}
    assert "fts_rowid" not in columns and conn.execute(
        "SELECT count(*) FROM chunks").fetchone()[0] == 2
    assert [cid for cid, _ in index.keyword("sourdough", 5)] == [HOBBY.id]
    index.apply([change("/p/me.json", [], [], deletes=[HOBBY.id])], embedder="m")
    assert index.keyword("sourdough", 5) == [] and index.ids() == {GO.id}
    best, score = index.dense(Query("", np.asarray(unit(1))), 1)[0]
    assert best == GO.id and score > 0.99


def test_a_file_of_a_newer_twin_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "new.db"
    SQLiteIndex(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StorageError) as caught:
        SQLiteIndex(path)
    assert "newer version" in caught.value.message and "Upgrade" in caught.value.hint
