"""A professional's AI digital twin."""

import os

# numpy's BLAS on one thread (unless told otherwise, and only if numpy is not loaded yet): the
# twin's matrix products are small and run side by side with server threads, other workers
# and the embedding model, and BLAS threads fighting them for two cores made a 10,000-row
# product 13 times slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

__version__ = "0.1.0"

# The public face, for programs that embed the twin (README, "Use it from Python"): what is
# named here keeps its name and meaning; every other module is the twin's own. Each name is
# imported when first used, so `import digital_twin` (and the CLI's start) stays light.
_PUBLIC = {
    "Twin": "service", "Settings": "config", "ProviderSpec": "plugins",
    "Answer": "answers", "Token": "answers", "Done": "answers", "Reset": "answers",
    "Event": "answers",
    "TwinError": "errors", "ConfigError": "errors", "ProfileError": "errors",
    "IndexNotReadyError": "errors", "StorageError": "errors", "OverloadedError": "errors",
    "QuestionError": "errors", "ProviderError": "errors", "AuthError": "errors",
    "ModelNotFoundError": "errors", "RequestTooLargeError": "errors",
    "IncompleteAnswerError": "errors", "DeadlineError": "errors",
    "Index": "stores.base", "Query": "stores.base", "UsageLog": "stores.base",
    "FeedbackLog": "stores.base",
    "AnswerCache": "stores.base", "SessionStore": "stores.base", "RateLimits": "stores.base",
    "LeadLog": "stores.base", "Provider": "providers.base", "Request": "providers.base",
    "Completion": "providers.base", "Usage": "providers.base", "Embedder": "embeddings",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
