"""One error tree. Every message says what happened and what to do next.

Interfaces translate `TwinError` once (CLI: one red line and exit code 1; HTTP: a 4xx/5xx JSON
body; MCP: a tool error). Anything else is a bug.
"""

from __future__ import annotations


class TwinError(Exception):
    """Base of every error the twin reports to a person."""

    status_code = 500

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        stop = "" if self.message.endswith((".", "!", "?")) else "."
        return f"{self.message}{stop} {self.hint}"


class ConfigError(TwinError):
    """A setting is missing or invalid."""


class ProfileError(TwinError):
    """A profile file cannot be read. Names the file, and the field or line where known."""

    status_code = 422

    def __init__(self, path, problem: str, *, field: str | None = None, hint: str | None = None):
        where = f"{path}" + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {problem}", hint=hint)
        self.path = str(path)
        self.field = field


class IndexNotReadyError(TwinError):
    """The index is missing, empty or was built with another embedding model."""

    status_code = 503


class StorageError(TwinError):
    """The index file cannot be read or written: read-only, a full disk, damaged."""

    status_code = 503


class OverloadedError(TwinError):
    """Too many answers are waiting already: come back in `retry_after` seconds."""

    status_code = 503

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class QuestionError(TwinError):
    """The question itself is unusable (empty, too long)."""

    status_code = 422


class ProviderError(TwinError):
    """An LLM provider failed (after the SDK's own retries). `reason` names the kind."""

    status_code = 502
    reason = "provider_error"


class AuthError(ProviderError):
    reason = "auth"


class ModelNotFoundError(ProviderError):
    reason = "model_not_found"


class RequestTooLargeError(ProviderError):
    reason = "request_too_large"


class IncompleteAnswerError(ProviderError):
    """A streamed answer stopped before the server said it was complete."""

    reason = "incomplete_answer"


class DeadlineError(ProviderError):
    """The provider gave no complete answer within the answer's deadline."""

    reason = "deadline"
