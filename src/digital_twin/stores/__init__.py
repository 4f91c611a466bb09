"""Where the twin keeps things. `open_stores` picks the engine from the settings."""

from __future__ import annotations

from ..config import Settings
from ..errors import ConfigError
from .base import (
    AnswerCache,
    FeedbackLog,
    FeedbackRecord,
    Index,
    LeadLog,
    LeadRecord,
    RateLimits,
    SessionStore,
    SourceChange,
    SourceRecord,
    UsageLog,
    UsageRecord,
)

__all__ = ["AnswerCache", "FeedbackLog", "FeedbackRecord", "Index", "LeadLog", "LeadRecord",
           "RateLimits", "SessionStore", "SourceChange", "SourceRecord", "Stores", "UsageLog",
           "UsageRecord", "open_stores"]


class Stores:
    """The index and the logs the service writes to."""

    def __init__(self, index: Index, usage: UsageLog, feedback: FeedbackLog,
                 sessions: SessionStore, cache: AnswerCache, leads: LeadLog,
                 limits: RateLimits):
        self.index, self.usage, self.feedback, self.sessions = index, usage, feedback, sessions
        self.cache, self.leads, self.limits = cache, leads, limits

    def close(self) -> None:
        for store in dict.fromkeys((self.index, self.usage, self.feedback, self.sessions,
                                    self.cache, self.leads, self.limits)):
            store.close()


def open_stores(settings: Settings) -> Stores:
    """The logs in PostgreSQL when `TWIN_DATABASE_URL` is set (shared by every replica),
    otherwise in the embedded default, one SQLite file; the index beside them, or in Upstash
    Vector when `TWIN_UPSTASH_URL` is set."""
    index = _upstash(settings) if settings.index_engine == "upstash" else None
    if settings.database_url is not None:
        return _postgres(settings, index)
    from .sqlite import SQLiteIndex
    from .sqlite_logs import SQLiteLogs, SQLiteRateLimits

    logs = SQLiteLogs(settings.db, session_ttl=settings.session_ttl,
                      max_sessions=settings.max_sessions, session_turns=settings.session_turns)
    return Stores(index or SQLiteIndex(settings.db), logs, logs, logs, logs, logs,
                  SQLiteRateLimits(settings.db))


def _postgres(settings: Settings, index: Index | None) -> Stores:
    from .postgres import Database, PostgresIndex
    from .postgres_logs import PostgresLogs

    db = Database(settings.database_url.get_secret_value(), pool_size=settings.db_pool_size)
    logs = PostgresLogs(db, session_ttl=settings.session_ttl, max_sessions=settings.max_sessions,
                        session_turns=settings.session_turns)
    return Stores(index or PostgresIndex(db, ef_search=settings.hnsw_ef_search), logs, logs,
                  logs, logs, logs, logs)


def _upstash(settings: Settings) -> Index:
    try:
        from .upstash import UpstashIndex
    except ImportError as exc:
        raise ConfigError(f"TWIN_UPSTASH_URL is set, but the Upstash client is not installed "
                          f"({exc.name}).", hint="Run pip install -e '.[upstash]'.") from None

    return UpstashIndex(settings.upstash_url, settings.upstash_token.get_secret_value(),
                        namespace=settings.upstash_namespace,
                        builtin=settings.upstash_embedding == "builtin",
                        timeout=settings.upstash_timeout, retries=settings.max_retries)
