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
    SessionStore,
    SourceChange,
    SourceRecord,
    UsageLog,
    UsageRecord,
)

__all__ = ["AnswerCache", "FeedbackLog", "FeedbackRecord", "Index", "LeadLog", "LeadRecord",
           "SessionStore", "SourceChange", "SourceRecord", "Stores", "UsageLog", "UsageRecord",
           "open_stores"]


class Stores:
    """The index and the logs the service writes to."""

    def __init__(self, index: Index, usage: UsageLog, feedback: FeedbackLog,
                 sessions: SessionStore, cache: AnswerCache, leads: LeadLog):
        self.index, self.usage, self.feedback, self.sessions = index, usage, feedback, sessions
        self.cache, self.leads = cache, leads

    def close(self) -> None:
        for store in dict.fromkeys((self.index, self.usage, self.feedback, self.sessions,
                                    self.cache, self.leads)):
            store.close()


def open_stores(settings: Settings) -> Stores:
    """The embedded default: the index and its logs in one SQLite file."""
    from .sqlite import SQLiteIndex
    from .sqlite_logs import SQLiteLogs

    logs = SQLiteLogs(settings.db, session_ttl=settings.session_ttl,
                      max_sessions=settings.max_sessions, session_turns=settings.session_turns)
    return Stores(SQLiteIndex(settings.db), logs, logs, logs, logs, logs)
