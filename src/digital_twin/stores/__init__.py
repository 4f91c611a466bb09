"""Where the twin keeps things. `open_stores` picks the engine from the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import ConfigError
from .base import (
    AnswerCache,
    FeedbackLog,
    FeedbackRecord,
    Index,
    LeadLog,
    LeadRecord,
    Query,
    RateLimits,
    SessionStore,
    SourceChange,
    SourceRecord,
    UsageLog,
    UsageRecord,
)

if TYPE_CHECKING:
    from .logs import Dialect

__all__ = ["AnswerCache", "FeedbackLog", "FeedbackRecord", "Index", "LeadLog", "LeadRecord",
           "Query", "RateLimits", "SessionStore", "SourceChange", "SourceRecord", "Stores",
           "UsageLog", "UsageRecord", "logged", "open_stores"]


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
    from .sqlite import SQLiteDialect, SQLiteIndex

    # the rate limits on a connection of their own: a burst of requests never waits on the logs
    return logged(index or SQLiteIndex(settings.db), SQLiteDialect(settings.db),
                  SQLiteDialect(settings.db), **_sessions(settings))


def _postgres(settings: Settings, index: Index | None) -> Stores:
    from .postgres import Database, PostgresDialect, PostgresIndex

    db = Database(settings.database_url.get_secret_value(), pool_size=settings.db_pool_size)
    dialect = PostgresDialect(db)
    return logged(index or PostgresIndex(db, ef_search=settings.hnsw_ef_search), dialect,
                  dialect, **_sessions(settings))


def _sessions(settings: Settings) -> dict[str, Any]:
    return {"session_ttl": settings.session_ttl, "max_sessions": settings.max_sessions,
            "session_turns": settings.session_turns}


def logged(index: Index, dialect: Dialect, limits: Dialect, **sessions: Any) -> Stores:
    """The index, with the logs in SQL over `dialect` and the rate limits over `limits`
    (`sessions`: `logs.SQLConversations`' options)."""
    from .logs import SQLAnswerCache, SQLConversations, SQLRateLimits, SQLUsage

    usage = SQLUsage(dialect)
    return Stores(index, usage, usage, SQLConversations(dialect, **sessions),
                  SQLAnswerCache(dialect), usage, SQLRateLimits(limits))


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
