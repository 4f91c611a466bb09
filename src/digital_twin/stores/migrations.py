"""The SQLite file's schema, as numbered migrations: each runs once, in order, in one
transaction (`PRAGMA user_version` says how many have run). Append; never edit one that landed."""

MIGRATIONS: list[str] = [
    # 1: chunks, their full-text index, and where they came from
    """
    CREATE TABLE chunks (
        id TEXT PRIMARY KEY, source_key TEXT NOT NULL, source TEXT NOT NULL,
        section TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
        position INTEGER NOT NULL, embedding BLOB NOT NULL
    );
    CREATE INDEX chunks_source ON chunks(source_key);
    CREATE VIRTUAL TABLE chunks_fts USING fts5(id UNINDEXED, title, text,
        tokenize = 'porter unicode61 remove_diacritics 2');
    CREATE TABLE sources (
        key TEXT PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL, sections TEXT NOT NULL,
        ingested_at REAL NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: what visitors said about answers, and what each answer cost
    """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL, session_id TEXT,
        question TEXT NOT NULL, answer TEXT NOT NULL, rating INTEGER NOT NULL, comment TEXT
    );
    CREATE TABLE usage (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL, provider TEXT NOT NULL,
        model TEXT NOT NULL, prompt_tokens INTEGER, completion_tokens INTEGER,
        latency_ms REAL, fallback_reason TEXT
    );
    """,
    # 3: how each answer ended and whose it was; conversations shared by every worker
    """
    ALTER TABLE usage ADD COLUMN outcome TEXT NOT NULL DEFAULT 'answered';
    ALTER TABLE usage ADD COLUMN session_id TEXT;
    ALTER TABLE usage ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY, updated_at REAL NOT NULL, history TEXT NOT NULL
    );
    CREATE INDEX sessions_updated ON sessions(updated_at);
    """,
    # 4: what each answer was asked, cost and found, for `twin usage` and `twin gaps`
    """
    ALTER TABLE usage ADD COLUMN question TEXT;
    ALTER TABLE usage ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
    ALTER TABLE usage ADD COLUMN ttft_ms REAL;
    ALTER TABLE usage ADD COLUMN best_score REAL;
    ALTER TABLE usage ADD COLUMN covered INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX usage_created ON usage(created_at);
    """,
    # 5: answers kept for repeated questions, keyed to the index version they came from
    """
    ALTER TABLE usage ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE answer_cache (
        key TEXT NOT NULL, version TEXT NOT NULL, created_at REAL NOT NULL,
        vector BLOB, answer TEXT NOT NULL, PRIMARY KEY (key, version)
    );
    """,
    # 6: visitors who left their details for the owner
    """
    CREATE TABLE leads (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL, name TEXT NOT NULL,
        email TEXT NOT NULL, company TEXT, message TEXT NOT NULL, session_id TEXT,
        questions TEXT NOT NULL
    );
    """,
    # 7: the answer id feedback joins to, the experiment variant that answered, errors, and
    # the answer itself (kept, like the question, only while question logging is on)
    """
    ALTER TABLE usage ADD COLUMN answer_id TEXT;
    ALTER TABLE usage ADD COLUMN experiment TEXT;
    ALTER TABLE usage ADD COLUMN variant TEXT;
    ALTER TABLE usage ADD COLUMN error TEXT;
    ALTER TABLE usage ADD COLUMN answer TEXT;
    CREATE INDEX usage_answer ON usage(answer_id);
    ALTER TABLE feedback ADD COLUMN answer_id TEXT;
    """,
    # 8: requests per client in the last minute, shared by every worker (rate limits)
    """
    CREATE TABLE rate_hits (client TEXT NOT NULL, at REAL NOT NULL);
    CREATE INDEX rate_hits_client ON rate_hits(client, at);
    """,
    # 9: each passage knows its full-text row, so deleting it is a lookup, not a table scan
    """
    ALTER TABLE chunks ADD COLUMN fts_rowid INTEGER;
    UPDATE chunks SET fts_rowid = f.rowid FROM chunks_fts AS f WHERE f.id = chunks.id;
    """,
    # 10: keyword search moved into memory (stores/lexicon.py): the full-text table goes
    """
    DROP TABLE chunks_fts;
    ALTER TABLE chunks DROP COLUMN fts_rowid;
    """,
    # 11: what each file kept back, as short keyed hashes, for the answers' output check
    """
    ALTER TABLE sources ADD COLUMN withheld TEXT NOT NULL DEFAULT '[]';
    """,
]
