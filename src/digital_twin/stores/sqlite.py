"""The embedded default: one SQLite file with the passages and their vectors.

Vectors are float32 blobs; search is exact cosine over a matrix kept in memory, and keyword
search is BM25 over postings kept in memory (`lexicon.py`), both rebuilt only when the index's
generation changes. At profile scale (thousands of passages) each is well under a millisecond.
Every `apply` is one transaction: a failure leaves the old index whole.
The logs (usage, feedback, conversations, the answer cache, rate limits) live in the same file:
`logs.py` over this file's `SQLiteDialect`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import StorageError
from ..profile import Chunk
from . import failures
from .base import Query, SourceChange, SourceRecord
from .lexicon import Lexicon
from .migrations import MIGRATIONS
from .records import source_record, source_row, vector_bytes, vector_from_bytes, vector_matrix
from .vectors import Vectors

log = logging.getLogger("digital_twin.stores")
_read_only: dict[str, str] = {}  # files opened read-only, and why they cannot be written


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection to the index file, its schema brought up to date (numbered migrations).

    A file that cannot be written (a read-only disk) is opened read-only instead: answers still
    work, and what would be written fails with a `StorageError` the service can degrade on.
    """
    try:
        return _migrated(sqlite3.connect(path, check_same_thread=False, timeout=30,
                                         isolation_level=None))
    except sqlite3.OperationalError as exc:
        if not Path(path).is_file():
            raise StorageError(f"{path}: {exc}", hint=_hint(exc)) from None
        log.debug("%s cannot be written (%s): opening it read-only", path, exc)
        _read_only[str(path)] = str(exc)
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?immutable=1", uri=True,
                           check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    if conn.execute("PRAGMA user_version").fetchone()[0] != len(MIGRATIONS):
        raise StorageError(f"{path} is read-only and was made by another version of the twin.",
                           hint="Make it writable once so it can be upgraded.")
    return conn


def _migrated(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # A commit does not wait for the disk (WAL still keeps the file whole: a power cut loses at
    # most the last commits). Waiting for it on every answer's conversation turn held the write
    # lock so long that several workers queued behind each other (in SQLite's busy sleeps).
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")  # deleted text (made private later) is overwritten
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found == len(MIGRATIONS):
        return conn
    if found > len(MIGRATIONS):
        conn.close()
        raise StorageError("The index file was made by a newer version of the twin.",
                           hint="Upgrade this twin (pip install -U), as the one that wrote it.")
    conn.execute("BEGIN IMMEDIATE")  # one migrator at a time when several workers start
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return conn


def _hint(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "Free some disk space, then try again."
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return "Make the index file and its folder writable (or set TWIN_DB to a writable path)."
    return "Check the file; `twin ingest --reset PATH...` rebuilds the index."


# Every public method of a SQLite store reports SQLite's failures as a `StorageError` that
# names the file and the fix.
storage_errors = failures.storage_errors(sqlite3.Error, _hint)


class SQLiteDialect:
    """The logs' SQL in the index's file (`logs.Dialect`): a connection of its own, which its
    threads take in turn; a read-modify-write step takes the file's write lock at once (every
    worker of `twin serve --workers N` opens the same file); the wall clock, comparable across
    processes."""

    errors = sqlite3.Error
    unlimited = "-1"
    hint = staticmethod(_hint)

    def __init__(self, path: Path | str):
        self.where = str(path)
        self._lock = threading.Lock()
        self._conn = connect(path)

    @staticmethod
    def sql(text: str) -> str:
        return text

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    @contextlib.contextmanager
    def transaction(self, key: tuple[int, str] | None = None, *,
                    durable: bool = True) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    @staticmethod
    def now(conn: sqlite3.Connection) -> float:
        return time.time()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


@storage_errors
class SQLiteIndex:
    embeds_text = False  # the indexer gives it every passage's vector

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.where = str(self.path)
        self._lock = threading.RLock()
        self._conn = connect(self.path)
        why = _read_only.get(str(self.path))
        self.unwritable = f"{self.path} cannot be written ({why})" if why else None
        self._matrix: Vectors | None = None
        self._words: Lexicon | None = None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def location(self) -> str:
        return str(self.path)

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # ---- writing -----------------------------------------------------------------------------
    def apply(self, changes: Sequence[SourceChange], *, embedder: str,
              reset: bool = False) -> None:
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                if reset:
                    for table in ("chunks", "sources"):
                        conn.execute(f"DELETE FROM {table}")
                for change in changes:
                    self._apply_one(change)
                generation = int(self._meta("generation") or 0) + 1
                conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
                    ("embedder", embedder), ("generation", str(generation))])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _apply_one(self, change: SourceChange) -> None:
        conn, source = self._conn, change.source
        self._delete(change.deletes)
        conn.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                     source_row(source))
        self._delete([chunk.id for chunk in change.upserts])  # a passage moved between files
        conn.executemany(
            "INSERT INTO chunks (id, source_key, source, section, title, text, kind, position, "
            "embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((chunk.id, source.key, chunk.source, chunk.section, chunk.title, chunk.text,
              chunk.kind, position, vector_bytes(vector))
             for chunk, vector, position in zip(change.upserts, change.vectors,
                                                change.positions, strict=True)))

    def _delete(self, ids: Sequence[str]) -> None:
        self._conn.executemany("DELETE FROM chunks WHERE id = ?", ((cid,) for cid in ids))

    # ---- reading -----------------------------------------------------------------------------
    def _vectors(self) -> Vectors:
        """The matrix of every vector, its ids and their positions: loaded once per version."""
        with self._lock:
            self._matrix = self._current(
                self._matrix, lambda version: Vectors.load(self._conn, version))
            return self._matrix

    def _lexicon(self) -> Lexicon:
        """Every passage's word stems for keyword search: built once per version."""
        with self._lock:
            self._words = self._current(self._words, lambda version: Lexicon.build(
                version, self._conn.execute("SELECT id, title, text FROM chunks ORDER BY rowid")))
            return self._words

    def _current(self, held, load):
        """`held` while it is of the index's version; else what `load(version)` reads, in one
        read transaction with the version it is read at. The caller holds the lock."""
        if held is not None and held.version == self.version():
            return held
        self._conn.execute("BEGIN")
        try:
            return load(self.version())
        finally:
            self._conn.execute("COMMIT")

    def dense(self, query: Query, n: int) -> list[tuple[str, float]]:
        return self._vectors().top(query.vector, n)

    def similarity(self, query: Query, ids: Sequence[str]) -> dict[str, float]:
        return self._vectors().scores(query.vector, ids)

    def keyword(self, query: str, n: int) -> list[tuple[str, float]]:
        return self._lexicon().search(query, n)

    def ids(self, source_key: str | None = None) -> set[str]:
        with self._lock:
            if source_key is None:
                rows = self._conn.execute("SELECT id FROM chunks")
            else:
                rows = self._conn.execute("SELECT id FROM chunks WHERE source_key = ?",
                                          (source_key,))
            return {row[0] for row in rows}

    def term_frequencies(self) -> dict[str, int]:
        """How many passages hold each word stem (titles included), for the relevance decision."""
        return self._lexicon().frequencies

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """Passages by id, in the order the files hold them."""
        if not ids:
            return {}
        found: dict[str, Chunk] = {}
        ids = list(ids)
        with self._lock:
            for start in range(0, len(ids), 500):  # under SQLite's bound on parameters
                part = ids[start:start + 500]
                rows = self._conn.execute(
                    "SELECT id, title, text, source, section, kind FROM chunks WHERE id IN "
                    f"({','.join('?' * len(part))}) ORDER BY source, position", part).fetchall()
                found.update({row["id"]: Chunk(row["title"], row["text"], row["source"],
                                               row["section"], row["kind"]) for row in rows})
        return found

    def contents(self) -> list[SourceChange]:
        """Every file with its passages, their vectors and places: what `apply` takes to build
        this index again (elsewhere, or in another engine)."""
        changes = []
        with self._lock:
            for source in self.sources():
                rows = self._conn.execute(
                    "SELECT title, text, source, section, kind, position, embedding FROM chunks "
                    "WHERE source_key = ? ORDER BY position", (source.key,)).fetchall()
                changes.append(SourceChange(
                    source, [Chunk(*row[:5]) for row in rows],
                    vector_matrix([vector_from_bytes(row["embedding"]) for row in rows]),
                    [row["position"] for row in rows], []))
        return changes

    def copy(self) -> SQLiteIndex:
        """The whole index in a new database in memory: a working copy to change, or drop."""
        copy = SQLiteIndex(":memory:")
        with self._lock:
            self._conn.backup(copy._conn)
        return copy

    def sources(self) -> list[SourceRecord]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, name, owner, sections, ingested_at, withheld FROM sources "
                "ORDER BY ingested_at"
            ).fetchall()
        return [source_record(row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def embedder(self) -> str | None:
        with self._lock:
            return self._meta("embedder")

    def version(self) -> str:
        with self._lock:
            return self._meta("generation") or "0"
