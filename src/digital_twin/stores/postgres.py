"""PostgreSQL with pgvector: one database shared by every replica of the twin.

Passages keep their vectors in a pgvector column searched through an HNSW index (cosine).
Keyword search is BM25 over the passages' word stems, which each replica reads once per index
version into memory (`lexicon.py`, as the SQLite engine does): scoring every matching row with
`ts_rank` took 100–700 ms a question at 100,000 passages, and has no idf of its own. `apply`
is one transaction: under
MVCC a reader sees the index before the ingest or after it, never a mix, and ingests from
several machines queue on an advisory lock. Connections come from a `psycopg_pool` pool per
process. The logs (usage, feedback, leads, sessions, cache, rate limits) are in the same
database: `logs.py` over this file's `PostgresDialect`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import errors as pg
from psycopg_pool import ConnectionPool

from ..errors import StorageError
from ..profile import Chunk
from ..redaction import redacted
from . import failures
from .base import Query, SourceChange, SourceRecord
from .lexicon import Lexicon
from .pg_migrations import migrate
from .records import source_record, source_row

log = logging.getLogger("digital_twin.stores")
INGEST_LOCK = 0x7477696F  # the advisory lock one ingest at a time holds
MAX_EF_SEARCH = 1000  # pgvector's bound: asked for more, a search is exact instead
VACUUM_AFTER = 1000  # passages replaced by an ingest beyond which the index is vacuumed


def _hint(exc: Exception) -> str:
    if isinstance(exc, pg.InsufficientPrivilege):
        return ("Give the database user the right to create tables, or have an administrator "
                "run CREATE EXTENSION vector in the database first.")
    if isinstance(exc, pg.UndefinedFile | pg.FeatureNotSupported):
        return "Install pgvector on the PostgreSQL server (the twin needs its vector type)."
    if isinstance(exc, pg.DiskFull):
        return "Free disk space on the database server, then try again."
    if isinstance(exc, pg.ReadOnlySqlTransaction):
        return "TWIN_DATABASE_URL points at a read-only replica: point it at the primary."
    if isinstance(exc, psycopg.OperationalError):
        return "Check TWIN_DATABASE_URL and that PostgreSQL is running and reachable."
    return "Check the PostgreSQL server's log; `twin ingest --reset PATH...` rebuilds the index."


# Every public method of a PostgreSQL store reports the driver's failures as a `StorageError`.
storage_errors = failures.storage_errors(psycopg.Error, _hint)


class PostgresDialect:
    """The logs' SQL in PostgreSQL (`logs.Dialect`): the pool's connections; a
    read-modify-write step holds a transaction-scoped advisory lock on its key, so two
    replicas never interleave it; the database's clock, which every replica shares."""

    errors = psycopg.Error
    unlimited = "ALL"
    hint = staticmethod(_hint)

    def __init__(self, db: Database):
        self.db, self.where = db, db.where

    @staticmethod
    def sql(text: str) -> str:
        return text.replace("?", "%s")

    def connection(self) -> contextlib.AbstractContextManager[psycopg.Connection]:
        return self.db.connection()

    @contextlib.contextmanager
    def transaction(self, key: tuple[int, str] | None = None, *,
                    durable: bool = True) -> Iterator[psycopg.Connection]:
        with self.db.transaction(durable=durable) as conn:
            if key is not None:
                conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", key)
            yield conn

    @staticmethod
    def now(conn: psycopg.Connection) -> float:
        return conn.execute("SELECT extract(epoch FROM clock_timestamp())::float8").fetchone()[0]

    def close(self) -> None:
        self.db.close()


@storage_errors
class Database:
    """The pool of connections to one database, its schema brought up to date first."""

    def __init__(self, url: str, *, pool_size: int = 10, timeout: float = 10.0):
        self.where = redacted(url)
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=int(timeout)) as conn:
                if migrate(conn):
                    log.info("%s: schema brought up to date", self.where)
            self.pool = ConnectionPool(
                url, min_size=1, max_size=pool_size, open=False, timeout=timeout,
                kwargs={"autocommit": True, "connect_timeout": int(timeout)},
                configure=register_vector, check=ConnectionPool.check_connection,
                name="digital-twin")
            self.pool.open(wait=True, timeout=timeout)
        except psycopg.Error as exc:
            raise failures.storage_error(self.where, exc, _hint) from None

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        with self.pool.connection() as conn:
            yield conn

    @contextlib.contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[psycopg.Connection]:
        """One transaction. Not `durable`: its commit does not wait for the disk (a crash of
        the server may lose the last moments of it, never half of it); for state that is
        cheap to lose (conversations, cached answers, rate-limit counts)."""
        with self.pool.connection() as conn, conn.transaction():
            if not durable:
                conn.execute("SET LOCAL synchronous_commit TO OFF")
            yield conn

    def close(self) -> None:
        if not self.pool.closed:
            self.pool.close()


@storage_errors
class PostgresIndex:
    embeds_text = False  # the indexer gives it every passage's vector
    unwritable = None  # a server that refuses writes says so on the write

    def __init__(self, db: Database, *, ef_search: int = 200):
        self.db, self.where = db, db.where
        self.ef_search = ef_search
        self._words: Lexicon | None = None
        self._words_lock = threading.Lock()  # one replica reads the words once per version

    def close(self) -> None:
        self.db.close()

    def location(self) -> str:
        return self.where

    def _meta(self, conn: psycopg.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else None

    # ---- writing -----------------------------------------------------------------------------
    def apply(self, changes: Sequence[SourceChange], *, embedder: str,
              reset: bool = False) -> None:
        with self.db.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (INGEST_LOCK,))
            dead = 0  # rows this ingest deletes (an HNSW graph keeps them until a vacuum)
            if reset:
                # DELETE, not TRUNCATE: readers go on seeing the old index until the commit.
                dead += conn.execute("DELETE FROM chunks").rowcount
                conn.execute("DELETE FROM sources")
            dimensions = {len(v) for change in changes for v in change.vectors}
            if len(dimensions) > 1:
                raise ValueError(f"vectors of several dimensions: {sorted(dimensions)}")
            if dimensions:
                self._fit_dimension(conn, dimensions.pop())
            for change in changes:
                dead += self._apply_one(conn, change)
            count = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
            generation = int(self._meta(conn, "generation") or 0) + 1
            conn.cursor().executemany(
                "INSERT INTO meta VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [("embedder", embedder), ("generation", str(generation)),
                 ("passages", str(count))])
        if dead >= max(VACUUM_AFTER, count // 5):
            self._tidy()

    def _tidy(self) -> None:
        """Rebuild the vector index from the live rows and vacuum, after an ingest that
        deleted many: the HNSW graph keeps deleted rows until a vacuum, and a search visiting
        `ef_search` candidates, most of them dead, returned few of the live ones (recall 0.2
        after a reset from 100,000 passages to 1,000). Vacuuming the graph in place took 340 s
        there; rebuilt first, as pgvector advises, it takes what a build takes. Neither blocks
        readers or writers. The ingest has committed: a failure here is only a warning."""
        try:
            with self.db.connection() as conn:
                for (leftover,) in conn.execute(  # of a rebuild that failed before
                        "SELECT indexrelid::regclass::text FROM pg_index "
                        "WHERE indrelid = 'chunks'::regclass AND NOT indisvalid").fetchall():
                    conn.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{leftover}"')
                conn.execute("REINDEX INDEX CONCURRENTLY chunks_embedding")
                conn.execute("VACUUM (ANALYZE) chunks")
        except psycopg.Error as exc:
            log.warning("%s: the ingest is done, but tidying the vector index failed (%s); "
                        "searches may miss passages until autovacuum runs, or run `REINDEX "
                        "INDEX CONCURRENTLY chunks_embedding; VACUUM chunks`", self.where,
                        str(exc).strip())

    def _fit_dimension(self, conn: psycopg.Connection, dimension: int) -> None:
        """The vector column takes the embedding model's dimension at the first ingest (or a
        reset), with its HNSW index."""
        current = conn.execute(
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'chunks'::regclass "
            "AND attname = 'embedding'").fetchone()[0]
        if current == dimension:
            return
        if conn.execute("SELECT EXISTS (SELECT 1 FROM chunks)").fetchone()[0]:
            raise StorageError(
                f"{self.where}: the index holds {current}-dimension vectors, not {dimension}.",
                hint="Rebuild it with `twin ingest --reset PATH...`.")
        conn.execute("DROP INDEX IF EXISTS chunks_embedding")
        conn.execute(f"ALTER TABLE chunks ALTER COLUMN embedding TYPE vector({int(dimension)})")
        conn.execute("CREATE INDEX chunks_embedding ON chunks "
                     "USING hnsw (embedding vector_cosine_ops)")

    def _apply_one(self, conn: psycopg.Connection, change: SourceChange) -> int:
        """Write one file's change; how many rows it deleted."""
        source, dead = change.source, 0
        if change.deletes:
            dead = conn.execute("DELETE FROM chunks WHERE id = ANY(%s)",
                                (list(change.deletes),)).rowcount
        conn.execute(
            "INSERT INTO sources VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO UPDATE SET "
            "name = excluded.name, owner = excluded.owner, sections = excluded.sections, "
            "ingested_at = excluded.ingested_at, withheld = excluded.withheld",
            source_row(source))
        rows = [(chunk.id, source.key, chunk.source, chunk.section, chunk.title, chunk.text,
                 chunk.kind, position, np.asarray(vector, dtype=np.float32))
                for chunk, vector, position in zip(change.upserts, change.vectors,
                                                   change.positions, strict=True)]
        # A passage that moved between files is replaced, as if deleted and inserted again.
        conn.cursor().executemany(
            "INSERT INTO chunks (id, source_key, source, section, title, text, kind, position, "
            "embedding) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE "
            "SET source_key = excluded.source_key, source = excluded.source, "
            "section = excluded.section, title = excluded.title, text = excluded.text, "
            "kind = excluded.kind, position = excluded.position, "
            "embedding = excluded.embedding", rows)
        return dead

    # ---- reading -----------------------------------------------------------------------------
    def dense(self, query: Query, n: int) -> list[tuple[str, float]]:
        """The `n` passages nearest in cosine. Through the HNSW index (visiting
        `max(ef_search, n)` candidates), or exactly when more are asked than it can give."""
        vector = np.asarray(query.vector, dtype=np.float32)
        with self.db.transaction() as conn:
            if n > MAX_EF_SEARCH:
                order = "(embedding <=> %(q)s) + 0"  # an expression the index cannot serve
            else:
                order = "embedding <=> %(q)s"
                conn.execute("SELECT set_config('hnsw.ef_search', %s, true)",
                             (str(max(self.ef_search, n)),))
            rows = conn.execute(
                f"SELECT id, 1 - (embedding <=> %(q)s) FROM chunks ORDER BY {order} "
                "LIMIT %(n)s", {"q": vector, "n": n}).fetchall()
        return [(cid, float(score)) for cid, score in rows]

    def similarity(self, query: Query, ids: Sequence[str]) -> dict[str, float]:
        if not ids:
            return {}
        with self.db.connection() as conn:
            rows = conn.execute(
                "SELECT id, 1 - (embedding <=> %s) FROM chunks WHERE id = ANY(%s)",
                (np.asarray(query.vector, dtype=np.float32), list(ids))).fetchall()
        return {cid: float(score) for cid, score in rows}

    def keyword(self, query: str, n: int) -> list[tuple[str, float]]:
        return self._lexicon().search(query, n)

    def ids(self, source_key: str | None = None) -> set[str]:
        with self.db.connection() as conn:
            if source_key is None:
                rows = conn.execute("SELECT id FROM chunks")
            else:
                rows = conn.execute("SELECT id FROM chunks WHERE source_key = %s", (source_key,))
            return {row[0] for row in rows}

    def term_frequencies(self) -> dict[str, int]:
        """How many passages hold each word stem (titles included), for the relevance decision."""
        return self._lexicon().frequencies

    def _lexicon(self) -> Lexicon:
        """Every passage's word stems, read again only when the index changes."""
        version = self.version()  # a round trip: not under the lock every search takes
        words = self._words
        if words is not None and words.version == version:
            return words
        with self._words_lock:
            if self._words is None or self._words.version != version:
                with self.db.transaction() as conn:
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    version = self._meta(conn, "generation") or "0"  # the words' own version
                    self._words = Lexicon.build(version, conn.execute(
                        "SELECT id, title, text FROM chunks ORDER BY source_key, position"))
            return self._words

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """Passages by id, in the order the files hold them."""
        if not ids:
            return {}
        with self.db.connection() as conn:
            rows = conn.execute(
                "SELECT id, title, text, source, section, kind FROM chunks WHERE id = ANY(%s) "
                "ORDER BY source COLLATE \"C\", position", (list(ids),)).fetchall()
        return {row[0]: Chunk(row[1], row[2], row[3], row[4], row[5]) for row in rows}

    def sources(self) -> list[SourceRecord]:
        with self.db.connection() as conn:
            rows = conn.execute("SELECT key, name, owner, sections, ingested_at, withheld "
                                "FROM sources ORDER BY ingested_at").fetchall()
        return [source_record(row) for row in rows]

    def count(self) -> int:
        """Kept by every ingest in the same transaction, so that counting does not scan the
        table."""
        with self.db.connection() as conn:
            return int(self._meta(conn, "passages") or 0)

    def embedder(self) -> str | None:
        with self.db.connection() as conn:
            return self._meta(conn, "embedder")

    def version(self) -> str:
        with self.db.connection() as conn:
            return self._meta(conn, "generation") or "0"
