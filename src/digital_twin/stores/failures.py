"""Each engine's own failures, reported as the twin's `StorageError`: one line that names where
the index lives, and a hint that says what to do. No interface ever shows a driver traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable


def storage_errors(caught: type[Exception] | tuple[type[Exception], ...] | None,
                   hint: Callable[[Exception], str] | None):
    """A class decorator: every public method of the store reports `caught` as a
    `StorageError` naming `self.where` (a path, or a database address without its password).
    None: the errors and hint of the store's SQL dialect (`self.dialect`)."""

    def decorate(cls):
        for name, method in list(vars(cls).items()):
            if callable(method) and not name.startswith("_"):
                setattr(cls, name, _translated(method, caught, hint))
        return cls

    return decorate


def storage_error(where: str, exc: Exception, hint: Callable[[Exception], str]):
    """The `StorageError` for one failure: where, the driver's first line, the fix."""
    from ..errors import StorageError

    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return StorageError(f"{where}: {first}", hint=hint(exc))


def _translated(method, caught, hint):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            errors, why = (caught, hint) if caught is not None else \
                (self.dialect.errors, self.dialect.hint)
            if not isinstance(exc, errors):
                raise
            raise storage_error(self.where, exc, why) from None
    return call
