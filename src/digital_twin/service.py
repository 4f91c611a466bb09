"""`Twin`: ingest, search, ask, stream. The only thing the interfaces call."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .config import Settings
from .conversation import retrieval_query
from .embeddings import Embedder, default_embedder
from .errors import IndexNotReadyError, QuestionError
from .profile import load_profile
from .prompting import (
    MAX_CONTEXT_CHARS,
    Persona,
    build_messages,
    declined,
    is_injection,
    not_covered,
)
from .providers import Chain, Outcome, Provider, Request, Reset, Usage, build_chain
from .retrieval import Hit, Retriever
from .stores.base import IngestReport, Progress, SourceBatch
from .stores.sqlite import SQLiteStore

_CITATION = re.compile(r"\[(\d{1,2})\]")


@dataclass
class Answer:
    answer: str
    sources: list[dict]
    provider: str
    model: str
    usage: dict
    latency_ms: float
    fallback_reason: str | None = None
    hits: list[Hit] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("hits")
        return data


class Twin:
    def __init__(self, settings: Settings, *, store: SQLiteStore | None = None,
                 embedder: Embedder | None = None, providers: list[Provider] | None = None):
        self.settings = settings
        self.store = store or SQLiteStore(settings.db)
        self.embedder = embedder or default_embedder()
        self.retriever = Retriever(self.store, self.embedder, top_k=settings.top_k,
                                   min_score=settings.min_score,
                                   keep_borderline=settings.provider_name != "extractive")
        self.chain = Chain(providers or build_chain(settings),
                           threshold=settings.breaker_threshold,
                           cooldown=settings.breaker_cooldown)
        self.provider = self.chain.primary

    # ---- ingest --------------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], *, reset: bool = False,
               progress: Progress | None = None) -> IngestReport:
        """Read every file first: a bad one stops the ingest before the index is touched."""
        batches = []
        for path in paths:
            profile = load_profile(Path(path), self.settings.private_fields)
            batches.append(SourceBatch(str(Path(path).resolve()), Path(path).name,
                                       profile.chunks, asdict(profile.owner), profile.sections))
        return self.store.ingest(batches, self.embedder.embed, self.embedder.name, reset=reset,
                                 progress=progress)

    # ---- who the twin is -----------------------------------------------------------------
    @property
    def persona(self) -> Persona:
        persona = Persona()
        for owner in self.store.owners():
            for attr in ("name", "title", "email", "linkedin"):
                if getattr(persona, attr) is None and owner.get(attr):
                    setattr(persona, attr, owner[attr])
        return persona

    def profile(self) -> dict[str, Any]:
        """The owner and the public sections of every ingested profile."""
        sources = self.store.sources()
        owner: dict[str, Any] = {}
        sections: dict[str, Any] = {}
        for source in sources:
            owner.update({k: v for k, v in source["owner"].items() if v and k not in owner})
            sections.update(source["sections"])
        return {"owner": owner, "sections": sections}

    # ---- search --------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None) -> list[Hit]:
        query = self._check(query)
        self._require_index()
        return self.retriever.search(query, k)

    def _require_index(self) -> None:
        if not self.store.count():
            raise IndexNotReadyError(
                f"The index at {self.store.path} is empty.",
                hint="Run `twin ingest examples/digitaltwin.json` (or your own profile) first.")

    def _check(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError("The question is empty.", hint="Ask something about my work.")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(f"The question is {len(question)} characters long; the limit is "
                                f"{limit}.", hint="Shorten it.")
        return question

    # ---- answers -------------------------------------------------------------------------
    def _prepare(self, question: str, history: list[dict] | None) -> Request:
        question = self._check(question)
        self._require_index()
        hits = self.retriever.search(retrieval_query(question, history))
        persona = self.persona
        messages = build_messages(persona, question, hits, history,
                                  history_limit=self.settings.history_tokens * 4)
        return Request(question, hits, messages, persona)

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        events = list(self.stream(question, history, whole=True))
        return events[-1]["answer"]

    def stream(self, question: str, history: list[dict] | None = None, *,
               whole: bool = False) -> Iterator[dict[str, Any]]:
        """`{"type": "token", "text"}` events, then one `{"type": "answer", "answer"}`.

        A `{"type": "reset"}` event means the provider failed mid-answer: what was streamed is
        void and the next provider in the chain answers. `whole=True` asks for one
        non-streamed reply (usage is exact then).
        """
        started = time.perf_counter()
        request = self._prepare(question, history)
        fixed = self._fixed_reply(request)
        if fixed is not None:
            items: Iterable = [fixed, Outcome(self.chain.providers[-1], None)]
        else:
            items = self.chain.run(request, stream=not whole, shrink=self._shrink)
        pieces: list[str] = []
        usage, outcome = Usage(), None
        for item in items:
            if isinstance(item, str):
                pieces.append(item)
                yield {"type": "token", "text": item}
            elif isinstance(item, Usage):
                usage = item
            elif isinstance(item, Reset):
                pieces, usage = [], Usage()
                yield {"type": "reset"}
            else:
                outcome = item
        text = "".join(pieces).strip()
        sources = [] if fixed is not None else self._sources(text, request.hits)
        answer = Answer(text, sources, outcome.provider.name, outcome.provider.model,
                        usage.as_dict(), round((time.perf_counter() - started) * 1000, 1),
                        outcome.reason, request.hits)
        self._log_usage(answer)
        yield {"type": "answer", "answer": answer}

    def _shrink(self, request: Request) -> Request:
        """For a 413: half the passages, half the context budget, no history."""
        hits = request.hits[: max(1, len(request.hits) // 2)]
        messages = build_messages(request.persona, request.question, hits, None,
                                  context_limit=MAX_CONTEXT_CHARS // 2)
        return Request(request.question, hits, messages, request.persona)

    def _fixed_reply(self, request: Request) -> str | None:
        """Replies that need no provider: injection attempts, and nothing retrieved."""
        if is_injection(request.question):
            return declined(request.persona)
        if not request.hits:
            return not_covered(request.persona)
        return None

    @staticmethod
    def _sources(text: str, hits: list[Hit]) -> list[dict]:
        cited = [int(n) - 1 for n in dict.fromkeys(_CITATION.findall(text))]
        chosen = [hits[i] for i in cited if 0 <= i < len(hits)] if cited else hits
        return [{**hit.public(), "section": hit.section} for hit in chosen]

    def _log_usage(self, answer: Answer) -> None:
        self.store.record("usage", provider=answer.provider, model=answer.model,
                          prompt_tokens=answer.usage.get("prompt_tokens"),
                          completion_tokens=answer.usage.get("completion_tokens"),
                          latency_ms=answer.latency_ms, fallback_reason=answer.fallback_reason)
