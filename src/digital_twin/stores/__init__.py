"""Where the twin keeps things. `open_stores` picks the engine from the settings."""

from __future__ import annotations

from ..config import Settings
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
    """PostgreSQL when `TWIN_DATABASE_URL` is set (shared by every replica); otherwise the
    embedded default, the index and its logs in one SQLite file."""
    if settings.database_url is not None:
        return _postgres(settings)
    from .sqlite import SQLiteIndex
    from .sqlite_logs import SQLiteLogs, SQLiteRateLimits

    logs = SQLiteLogs(settings.db, session_ttl=settings.session_ttl,
                      max_sessions=settings.max_sessions, session_turns=settings.session_turns)
    return Stores(SQLiteIndex(settings.db), logs, logs, logs, logs, logs,
                  SQLiteRateLimits(settings.db))


def _postgres(settings: Settings) -> Stores:
    from .postgres import Database, PostgresIndex
    from .postgres_logs import PostgresLogs

    db = Database(settings.database_url.get_secret_value(), pool_size=settings.db_pool_size)
    logs = PostgresLogs(db, session_ttl=settings.session_ttl, max_sessions=settings.max_sessions,
                        session_turns=settings.session_turns)
    return Stores(PostgresIndex(db, ef_search=settings.hnsw_ef_search), logs, logs, logs, logs,
                  logs, logs)
