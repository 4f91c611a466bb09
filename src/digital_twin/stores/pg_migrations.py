"""The PostgreSQL schema, as numbered migrations: each runs once, in order. `migrate` runs the
missing ones in one transaction under an advisory lock, so replicas that start together wait
for one another instead of racing. Append; never edit one that landed.

The vector column has no dimension here: the first ingest sets it (and builds the HNSW index),
because the dimension is the embedding model's.
"""

from __future__ import annotations

import psycopg

from ..errors import StorageError

# Any number, the same in every replica: the key of the advisory lock migrations hold.
MIGRATION_LOCK = 0x7477696E  # "twin"

MIGRATIONS: list[str] = [
    # 1: passages with their vectors and full-text vectors, where they came from, the index's
    # own facts (embedding model, generation)
    """
    CREATE EXTENSION IF NOT EXISTS vector;
    CREATE TABLE chunks (
        id text PRIMARY KEY, source_key text NOT NULL, source text NOT NULL,
        section text NOT NULL, title text NOT NULL, text text NOT NULL, kind text NOT NULL,
        position integer NOT NULL, embedding vector NOT NULL,
        words tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A') ||
            setweight(to_tsvector('english', text), 'B')) STORED
    );
    CREATE INDEX chunks_source ON chunks (source_key);
    CREATE INDEX chunks_words ON chunks USING gin (words);
    CREATE TABLE sources (
        key text PRIMARY KEY, name text NOT NULL, owner text NOT NULL, sections text NOT NULL,
        ingested_at double precision NOT NULL
    );
    CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
    """,
    # 2: what each answer cost and found, feedback on answers, visitors' details
    """
    CREATE TABLE usage (
        id bigserial PRIMARY KEY, provider text NOT NULL, model text NOT NULL,
        outcome text NOT NULL, session_id text, prompt_tokens integer NOT NULL,
        completion_tokens integer NOT NULL, estimated boolean NOT NULL,
        latency_ms double precision NOT NULL, fallback_reason text,
        created_at double precision NOT NULL, question text, cost_usd double precision NOT NULL,
        ttft_ms double precision, best_score double precision, covered boolean NOT NULL,
        cached boolean NOT NULL, answer_id text, experiment text, variant text, error text,
        answer text
    );
    CREATE INDEX usage_created ON usage (created_at);
    CREATE INDEX usage_answer ON usage (answer_id);
    CREATE TABLE feedback (
        id bigserial PRIMARY KEY, question text NOT NULL, answer text NOT NULL,
        rating integer NOT NULL, session_id text, comment text,
        created_at double precision NOT NULL, answer_id text
    );
    CREATE INDEX feedback_created ON feedback (created_at);
    CREATE TABLE leads (
        id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL, message text NOT NULL,
        company text, session_id text, questions text NOT NULL,
        created_at double precision NOT NULL
    );
    """,
    # 3: conversations, answers kept for repeated questions, requests per client (rate limits)
    """
    CREATE TABLE sessions (
        id text PRIMARY KEY, updated_at double precision NOT NULL, history text NOT NULL
    );
    CREATE INDEX sessions_updated ON sessions (updated_at);
    CREATE TABLE answer_cache (
        key text NOT NULL, version text NOT NULL, created_at double precision NOT NULL,
        vector bytea, answer text NOT NULL, PRIMARY KEY (key, version)
    );
    CREATE TABLE rate_hits (client text NOT NULL, at double precision NOT NULL);
    CREATE INDEX rate_hits_client ON rate_hits (client, at);
    """,
    # 4: keyword search moved into each replica's memory (stores/lexicon.py): the words go
    """
    ALTER TABLE chunks DROP COLUMN words;
    """,
    # 5: what each file kept back, as short keyed hashes, for the answers' output check
    """
    ALTER TABLE sources ADD COLUMN withheld text NOT NULL DEFAULT '[]';
    """,
]


def migrate(conn: psycopg.Connection) -> int:
    """Bring the schema up to date; the number of migrations that ran here."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS twin_migrations ("
                     "number integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        done = conn.execute("SELECT coalesce(max(number), 0) FROM twin_migrations").fetchone()[0]
        if done > len(MIGRATIONS):
            raise StorageError("The database's schema was made by a newer version of the twin.",
                               hint="Upgrade every replica to the same version.")
        for number, script in enumerate(MIGRATIONS[done:], start=done + 1):
            conn.execute(script)
            conn.execute("INSERT INTO twin_migrations (number) VALUES (%s)", (number,))
    return len(MIGRATIONS) - done
