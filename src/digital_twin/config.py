"""One typed settings object, read from environment variables and `.env`.

Provider settings keep the names their SDKs already use (`GROQ_API_KEY`, `OPENAI_BASE_URL`, ...);
the twin's own settings are prefixed `TWIN_`. Every interface builds one `Settings` and passes it
down: nothing deeper reads the environment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .experiments import Experiment
from .plugins import ProviderName, ProviderSpec
from .redaction import SECRETS, redacted

# Groq retired these for free and developer tiers on 2026-08-16.
RETIRED_GROQ_MODELS = ("llama-3.1-8b-instant", "llama-3.3-70b-versatile")
DEFAULT_GROQ_MODEL = "openai/gpt-oss-20b"
EMBEDDING_MODELS = ("all-MiniLM-L6-v2",)
# USD per million input and output tokens (Groq's list; local and extractive answers cost 0).
DEFAULT_PRICES = {"openai/gpt-oss-20b": (0.075, 0.30), "openai/gpt-oss-120b": (0.15, 0.60)}
DEFAULT_PRIVATE_FIELDS = ("salary_location.current_salary",)


def _twin(name: str, default, **kwargs):
    """A twin setting readable as `name` (in code) or `TWIN_NAME` (in the environment)."""
    return Field(default, validation_alias=AliasChoices(name, f"TWIN_{name.upper()}"), **kwargs)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Index and retrieval
    db: Path = _twin("db", Path("twin.db"), description="SQLite index file")
    database_url: SecretStr | None = _twin(
        "database_url", None, description="postgresql://user:password@host:5432/db: the index "
        "and every log in PostgreSQL with pgvector (shared by replicas) instead of TWIN_DB")
    db_pool_size: int = _twin("db_pool_size", 10, ge=1, le=500,
                              description="PostgreSQL connections per process")
    upstash_url: str | None = Field(
        None, validation_alias=AliasChoices("upstash_url", "TWIN_UPSTASH_URL",
                                            "UPSTASH_VECTOR_REST_URL"),
        description="https://...upstash.io: the index in Upstash Vector (the logs stay in "
        "TWIN_DB, or in PostgreSQL when TWIN_DATABASE_URL is set)")
    upstash_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("upstash_token", "TWIN_UPSTASH_TOKEN",
                                            "UPSTASH_VECTOR_REST_TOKEN"),
        validate_default=True, description="the Upstash Vector index's REST token")
    upstash_embedding: Literal["local", "builtin"] = _twin(
        "upstash_embedding", "local", description="local: passages embedded by the twin's "
        "model (a 384-dimension cosine index); builtin: by the index's own embedding model")
    upstash_namespace: str = _twin(
        "upstash_namespace", "twin",
        description="what the twin's namespaces and records in the index are named after")
    upstash_timeout: float = _twin("upstash_timeout", 10.0, gt=0,
                                   description="seconds to wait for Upstash Vector's reply")
    hnsw_ef_search: int = _twin(
        "hnsw_ef_search", 200, ge=10, le=1000, description="PostgreSQL: candidates the HNSW "
        "index visits per vector search (higher: better recall, slower)")
    top_k: int = _twin("top_k", 5, ge=1, le=50)
    min_score: float = _twin(
        "min_score", 0.25, ge=-1.0, le=1.0, description="relevance floor (cosine similarity)"
    )
    private_fields: Annotated[list[str], NoDecode] = _twin(
        "private_fields",
        list(DEFAULT_PRIVATE_FIELDS),
        description="dot paths never indexed, on top of the profile's own markers",
    )
    max_question_chars: int = _twin("max_question_chars", 2000, ge=1)
    max_job_description_chars: int = _twin("max_job_description_chars", 8000, ge=1)
    embedding_model: Literal[EMBEDDING_MODELS] = _twin(  # type: ignore[valid-type]
        "embedding_model", EMBEDDING_MODELS[0], description="the local embedding model")
    embed_threads: int = _twin(
        "embed_threads", 0, ge=0, description="threads the embedding model uses; 0: every CPU "
        "(`twin serve --workers N` gives each worker its share)")

    # Answers
    provider: ProviderName | None = _twin(
        "provider", None, description="unset: groq when GROQ_API_KEY is set, else extractive"
    )
    groq_api_key: SecretStr | None = None
    groq_model: str = DEFAULT_GROQ_MODEL
    groq_temperature: float = Field(0.3, ge=0.0, le=2.0)
    groq_max_tokens: int = Field(600, ge=16)
    groq_timeout: float = Field(30.0, gt=0)
    groq_base_url: str | None = None
    groq_reasoning_effort: Literal["low", "medium", "high"] = "low"

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_temperature: float = Field(0.3, ge=0.0, le=2.0)
    openai_max_tokens: int = Field(600, ge=16)
    openai_timeout: float = Field(30.0, gt=0)

    max_retries: int = _twin("max_retries", 2, ge=0, le=10)
    fallback: Annotated[list[ProviderSpec], NoDecode] = _twin(
        "fallback", [], description="providers tried after the primary, e.g. "
        "groq:openai/gpt-oss-120b,openai; extractive always ends the chain")
    breaker_threshold: int = _twin("breaker_threshold", 3, ge=1)
    breaker_cooldown: float = _twin("breaker_cooldown", 30.0, ge=0)
    answer_deadline: float = _twin(
        "answer_deadline", 20.0, gt=0, description="seconds an LLM may take for one answer, "
        "retries included; after it the grounded extractive answer is given")
    provider_concurrency: int = _twin("provider_concurrency", 100, ge=1,
                                      description="LLM calls in flight per provider (a "
                                      "waiting call holds no thread: lower it to what your "
                                      "LLM server or plan can take)")
    answer_queue: int = _twin("answer_queue", 200, ge=0, description="answers that may wait "
                              "for a provider; past it the API answers 503 with Retry-After")
    cache: Literal["off", "exact", "semantic"] = _twin(
        "cache", "exact", description="answers kept for repeated questions: off, exact (the "
        "same question, normalised) or semantic (a question close enough in meaning)")
    cache_ttl: float = _twin("cache_ttl", 86_400.0, ge=0, description="seconds")
    cache_similarity: float = _twin("cache_similarity", 0.95, gt=0, le=1,
                                    description="cosine above which semantic hits count")
    notify_url: str | None = _twin("notify_url", None, description="a webhook told of new "
                                   "leads (a JSON POST with a Slack-compatible `text`)")
    notify_gaps: bool = _twin("notify_gaps", False,
                              description="also tell the webhook of questions not covered")
    log_questions: bool = _twin("log_questions", True,
                                description="keep visitors' questions in the usage log")
    usage_retention_days: float = _twin("usage_retention_days", 90.0, gt=0)
    prices: dict[str, tuple[float, float]] = _twin(
        "prices", dict(DEFAULT_PRICES), description="USD per million input and output tokens "
        'by model, as JSON: {"model": [in, out]}; merged over the built-in list')
    experiment: Annotated[Experiment | None, NoDecode] = _twin(
        "experiment", None, description='an A/B experiment, as JSON: {"name": "...", '
        '"variants": [{"name": "a", "provider": "groq", "model": "...", "temperature": 0.3, '
        '"prompt_style": "default|concise|detailed", "weight": 1}, ...]}')
    history_tokens: int = _twin("history_tokens", 800, ge=0,
                                description="conversation history sent to the LLM")

    # HTTP API
    rate_limit: int = _twin("rate_limit", 30, ge=0, description="requests a minute per client; 0 = off")
    cors_origins: Annotated[list[str], NoDecode] = _twin("cors_origins", [])
    allowed_hosts: Annotated[list[str], NoDecode] = _twin(
        "allowed_hosts", [], description="Host names /mcp accepts; empty: localhost only")
    api_token: SecretStr | None = _twin("api_token", None, description="bearer token for /api")
    admin_token: SecretStr | None = _twin(
        "admin_token", None, description="the owner's token for /dashboard (a bearer token or "
        "the login form); unset: the dashboard is off")
    max_body_bytes: int = _twin("max_body_bytes", 16_384, ge=256)
    request_timeout: float = _twin(
        "request_timeout", 10.0, gt=0, description="seconds a client may take to send a "
        "request, head and body; a slower one is disconnected")
    session_ttl: float = _twin("session_ttl", 1800.0, gt=0, description="seconds")
    max_sessions: int = _twin("max_sessions", 1000, ge=1)
    session_turns: int = _twin("session_turns", 20, ge=1)

    @field_validator("private_fields", "cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _split_csv(cls, value):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("fallback", mode="before")
    @classmethod
    def _parse_specs(cls, value):
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        return [ProviderSpec.parse(spec) if isinstance(spec, str) else spec for spec in value]

    @field_validator("experiment", mode="before")
    @classmethod
    def _parse_experiment(cls, value):
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not valid JSON ({exc.msg}, at character {exc.pos}); write it "
                                 'as {"name": "test", "variants": [{"name": "a", "model": '
                                 '"openai/gpt-oss-20b"}, {"name": "b", "model": '
                                 '"openai/gpt-oss-120b"}]}') from None
        return value

    @field_validator("prices", mode="after")
    @classmethod
    def _merge_prices(cls, value):
        return {**DEFAULT_PRICES, **value}

    @field_validator("database_url", mode="after")
    @classmethod
    def _postgres_url(cls, value):
        if value is not None and not value.get_secret_value().startswith(
                ("postgresql://", "postgres://")):
            raise ValueError("TWIN_DATABASE_URL must start with postgresql://")
        return value

    @field_validator("upstash_url", mode="after")
    @classmethod
    def _upstash_url(cls, value):
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be the index's REST URL, https://...upstash.io, from the "
                             "Upstash console")
        return value if value is None else value.rstrip("/")  # the SDK appends "/query"

    @field_validator("upstash_namespace", mode="after")
    @classmethod
    def _upstash_namespace(cls, value):
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", value):
            raise ValueError("use up to 40 letters, digits, - and _ (for example: twin)")
        return value

    @field_validator("upstash_token", mode="after")
    @classmethod
    def _upstash_token(cls, value, info):
        if value is None and info.data.get("upstash_url"):
            raise ValueError("TWIN_UPSTASH_URL is set but no token: set TWIN_UPSTASH_TOKEN to "
                             "the index's REST token from the Upstash console")
        return value

    @field_validator(*SECRETS, "upstash_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        """A blank secret is no secret; a secret read from a file loses its line end."""
        if isinstance(value, str):
            return value.strip() or None
        return value

    @property
    def index_engine(self) -> Literal["sqlite", "postgres", "upstash"]:
        """Where the index lives: Upstash Vector when its URL is set, else PostgreSQL when
        TWIN_DATABASE_URL is, else the SQLite file."""
        if self.upstash_url is not None:
            return "upstash"
        return "sqlite" if self.database_url is None else "postgres"

    @property
    def index_location(self) -> str:
        """Where the index lives, safe to show: the file, the database without its password,
        or the Upstash index (its token is never in the URL)."""
        if self.index_engine == "upstash":
            return redacted(self.upstash_url)
        if self.index_engine == "sqlite":
            return str(self.db)
        return redacted(self.database_url.get_secret_value())

    @property
    def provider_name(self) -> ProviderName:
        if self.provider:
            return self.provider
        return "groq" if self.groq_api_key else "extractive"

    @property
    def provider_chain(self) -> list[ProviderSpec]:
        """The primary provider, then the fallbacks, in the order they are tried."""
        return [ProviderSpec(self.provider_name), *self.fallback]

    def warnings(self) -> list[str]:
        """Settings that work today but will fail on the first answer."""
        groq_models = [self.groq_model, *(s.model for s in self.fallback if s.name == "groq")]
        found = [f"Groq retired '{model}' on 2026-08-16; set GROQ_MODEL={DEFAULT_GROQ_MODEL} "
                 "(or openai/gpt-oss-120b), or its answers will fall back to the profile."
                 for model in dict.fromkeys(groq_models)
                 if model in RETIRED_GROQ_MODELS
                 and "groq" in (s.name for s in self.provider_chain)]
        if self.upstash_url and urlsplit(self.upstash_url).scheme == "http" \
                and urlsplit(self.upstash_url).hostname not in ("127.0.0.1", "localhost", "::1"):
            found.append("TWIN_UPSTASH_URL starts with http://: the token would cross the "
                         "network unencrypted; use the https:// URL from the Upstash console.")
        for name in ("api_token", "admin_token"):
            secret = getattr(self, name)
            if secret and len(secret.get_secret_value()) < 16:
                found.append(f"TWIN_{name.upper()} is shorter than 16 characters, easy to "
                             "guess; make one with `openssl rand -hex 24`.")
        return found

    def exported(self) -> str:
        """Every setting as JSON, secrets included: how `twin serve` hands its exact settings
        to worker processes (they must not re-read a different environment)."""
        data = self.model_dump(mode="json")
        for name in SECRETS:
            secret = getattr(self, name)
            data[name] = secret.get_secret_value() if secret else None
        return json.dumps(data)
