"""`Twin`: the one boundary. The CLI, the HTTP API and the MCP server call only this.

It owns the index, the logs, the retriever, the provider chain and the conversations:
ingest · search · ask · stream · record_feedback · forget · profile · topics · status · warm.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import aclosing
from pathlib import Path
from typing import Any

from .answering import Answering
from .answers import Answer, Done, Event, Reset, Token
from .check import ProfileCheck, check
from .config import Settings
from .conversation import addressed
from .embeddings import Embedder
from .errors import IndexNotReadyError, QuestionError, StorageError
from .eventloop import AnswerLoop
from .fit import SEARCHED, Fit, assess
from .hits import Hit, Passage
from .indexer import IngestReport, Progress
from .interview import Interview, practise
from .interview import Persona as InterviewPersona
from .observability import metrics
from .observability import usage as figures
from .observability.recorder import UsageRecorder
from .parts import Parts, build
from .prompting import Persona, interviewer_prompt
from .providers import Provider
from .providers.arms import Arms
from .reports import OwnerReports
from .stores import FeedbackRecord, Stores, UsageRecord
from .stores.memory import SharedRateLimits
from .text import decoded, valid_text

__all__ = ["Answer", "Done", "Event", "Passage", "Reset", "Token", "Twin", "decoded"]
log = logging.getLogger("digital_twin.service")
POSTING_CHARS = 40_000  # a job posting is a page or two


class Twin:
    def __init__(self, settings: Settings, *, stores: Stores | None = None,
                 embedder: Embedder | None = None, providers: list[Provider] | None = None,
                 parts: Parts | None = None):
        """A twin of the parts `settings` name (`parts.build`), or of `parts` themselves;
        `stores`, `embedder` and `providers` replace those parts alone."""
        self.settings = settings
        parts = parts or build(settings, stores=stores, embedder=embedder, providers=providers)
        self._stores = stores = parts.stores
        self._index, self._usage = stores.index, stores.usage
        self._feedback, self._sessions = stores.feedback, stores.sessions
        self._embedder, self._retriever, self._indexer = parts.embedder, parts.retriever, \
            parts.indexer
        self._notifier, self._leads, self._cache = parts.notifier, parts.leads, parts.cache
        self._arms, self._admitted = parts.arms, parts.admission
        self._chain = self._arms.default
        self._answers = AnswerLoop()  # where answers wait on their LLM
        self._faults: dict[str, str] = {}  # what cannot be written now, and why
        if why := self._index.unwritable:  # said once, with the fix, before anything fails
            self._faults["index"] = why
            log.warning("%s: answers still work, but nothing is kept (conversations, cache, "
                        "usage, feedback). Make the file and its folder writable, or set "
                        "TWIN_DB to a writable path.", why)
        self._recorder = UsageRecorder(
            self._usage, on_fault=lambda why: self._fault("usage log", why),
            retention=settings.usage_retention_days * 86400)
        # When the twin is closed, collected, or the program ends (a one-shot `twin ask`
        # included): the providers' connections are closed on their loop, and the usage rows
        # still queued are written.
        self._shut_down = weakref.finalize(self, _shut_down, self._answers, self._arms,
                                           self._recorder)
        # counted on the shared store, for `api/`'s limit on requests a client may make
        self.rate_limits = SharedRateLimits(stores.limits,
                                            lambda why: self._fault("rate limits", why))
        self.reports = OwnerReports(stores.usage, stores.feedback, self._leads,
                                    flush=self.flush, experiment=self._arms.describe,
                                    questions_kept=settings.log_questions)
        self._answering = Answering(
            self._retriever, lambda: self.persona, settings.history_tokens,
            lambda: frozenset(p for s in self._index.sources() for p in s.withheld))

    # ---- the index -----------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], *, reset: bool = False,
               progress: Progress | None = None) -> IngestReport:
        return self._indexer.ingest(paths, reset=reset, progress=progress)

    def close(self) -> None:
        """Write the usage rows still pending, and release the index file (its connections)."""
        self._shut_down()
        self._stores.close()

    def flush(self) -> None:
        """Return once every answer given so far has its usage row written."""
        self._recorder.flush()

    def warm(self, *, every_intent: bool = False) -> None:
        """Load the embedding model and the index's vectors and words now, so that the first
        question does not wait for them; with `every_intent` (a server, before its first
        visitor), also the passages of every kind a question may ask for."""
        self._retriever.warm(every_intent=every_intent)

    def status(self) -> dict[str, Any]:
        """What the index holds, which providers answer (and their circuits), live sessions."""
        chunks = self._index.count()
        primary = self._chain.primary
        sources = self._index.sources()
        return {"ready": chunks > 0, "index": self._index.location(), "chunks": chunks,
                "embedder": self._index.embedder(),
                "sources": [source.name for source in sources],
                "owners": self._owners(sources),
                "provider": {"name": primary.name, "model": primary.model},
                "chain": self._chain.state(), "experiment": self._arms.describe(),
                "sessions": self._despite_storage_faults("conversations",
                                                                  self._sessions.active, 0),
                "degraded": [f"{what}: {why}" for what, why in self._faults.items()]}

    # ---- who the twin is -----------------------------------------------------------------
    @property
    def persona(self) -> Persona:
        """Who answers; read for every question, so from the owner records alone."""
        owner = self._owner(self._index.sources())
        return Persona(**{k: owner.get(k) for k in ("name", "title", "email", "linkedin",
                                                       "website")})

    @staticmethod
    def _owner(sources: list) -> dict[str, Any]:
        """What the ingested files say of the owner, the first file that says a thing wins."""
        owner: dict[str, Any] = {}
        for source in sources:
            owner.update({k: v for k, v in source.owner.items() if v and k not in owner})
        return owner

    @staticmethod
    def _owners(sources: list) -> dict[str, list[str]]:
        """Each person the files name as their owner, with the files that name them: more
        than one means the twin speaks for several people at once."""
        owners: dict[str, list[str]] = {}
        for source in sources:
            if name := " ".join(str(source.owner.get("name") or "").split()):
                key = next((k for k in owners if k.casefold() == name.casefold()), name)
                owners.setdefault(key, []).append(source.name)
        return owners

    def profile(self) -> dict[str, Any]:
        """The owner and the public sections of every ingested file (first file wins). A
        document (Markdown, text, PDF) is one section, named by its file, of its passages."""
        sources = self._index.sources()
        sections: dict[str, Any] = {}
        for source in sources:
            if source.sections:
                sections.update(source.sections)
            else:
                passages = self._index.get(sorted(self._index.ids(source.key))).values()
                sections[source.name] = {p.title: p.text for p in passages}
        return {"owner": self._owner(sources), "sections": sections}

    def topics(self) -> dict[str, Any]:
        """What the twin can talk about: the sections and the titles of the passages."""
        profile = self.profile()
        chunks = self._index.get(sorted(self._index.ids()))
        return {"owner": profile["owner"].get("name"), "title": profile["owner"].get("title"),
                "sections": list(profile["sections"]),
                "topics": sorted({c.title for c in chunks.values()})}

    # ---- search --------------------------------------------------------------------------
    # what an MCP client's LLM is asked, to interview the owner through the twin
    interviewer_prompt = staticmethod(interviewer_prompt)

    def search(self, query: str, k: int | None = None) -> list[Hit]:
        query = addressed(self._check(query), self.persona.name)
        self._require_index()
        return self._retriever.search(query, k or self.settings.top_k)

    def fit(self, posting: str) -> Fit:
        """A job posting's requirements, each with the profile's evidence and a verdict."""
        posting = self._posting(posting)
        fit = assess(posting, lambda text: self._retriever.weigh(text, SEARCHED),
                     self._retriever.closeness.vectors, time.gmtime().tm_year)
        if not fit.items:
            raise QuestionError("No requirements found in the posting.",
                                hint="Paste the posting with its requirements, qualifications or "
                                     "responsibilities (a list or sentences).")
        return fit

    def interview(self, posting: str, persona: InterviewPersona = "hr",
                  count: int = 8) -> Interview:
        """Interview practice: questions from the posting and the persona's bank, each
        answered as a visitor would be answered."""
        posting = self._posting(posting)
        return practise(posting, persona, count, self.ask)

    @classmethod
    def check(cls, paths: list[Path], settings: Settings,
              embedder: Embedder | None = None) -> ProfileCheck:
        """Profile files checked before they are shared (`check.py`), in a scratch index that
        is removed after: the owner's index is not touched, nor created."""
        with tempfile.TemporaryDirectory(prefix="twin-check-") as tmp:
            scratch = cls(settings.model_copy(update={
                "db": Path(tmp) / "check.db", "database_url": None, "upstash_url": None,
                "cache": "off", "provider": "extractive", "experiment": None}),
                embedder=embedder)
            try:
                report = scratch.ingest(paths, reset=True)
                return check(paths, scratch.search, settings.private_fields, report.private)
            finally:
                scratch.close()

    def _posting(self, posting: str) -> str:
        """A job posting fit to read: text, not too long, and an index to judge it against."""
        posting = valid_text((posting or "").strip(), "posting")
        if len(posting) > POSTING_CHARS:
            raise QuestionError(f"The posting is {len(posting)} characters long; the limit is "
                                f"{POSTING_CHARS}.", hint="Paste its requirements and duties only.")
        self._require_index()
        return posting

    def _require_index(self) -> None:
        if not self._index.count():
            raise IndexNotReadyError(
                f"The index at {self._index.location()} is empty.",
                hint="Run `twin ingest me.json` with your profile first (`twin init` writes a "
                     "starter to fill in).")

    def _check(self, question: str) -> str:
        question = valid_text((question or "").strip(), "question")
        if not question:
            raise QuestionError("The question is empty.", hint="Ask something about my work.")
        if not any(c.isalnum() for c in question):  # punctuation, zero-width characters
            raise QuestionError("The question has no words.", hint="Ask something about my work.")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(f"The question is {len(question)} characters long; the limit is "
                                f"{limit}.", hint="Shorten it.")
        return question

    # ---- conversations -------------------------------------------------------------------
    def ask(self, question: str, session_id: str | None = None) -> Answer:
        """One whole answer (usage is exact then). Pass `session_id` back to continue."""
        *_, done = self.stream(question, session_id, whole=True)
        return done.answer

    async def aask(self, question: str, session_id: str | None = None) -> Answer:
        """`ask` for a caller on an event loop: waiting on the LLM holds no thread."""
        events = [event async for event in self.astream(question, session_id, whole=True)]
        return events[-1].answer

    def stream(self, question: str, session_id: str | None = None, *,
               whole: bool = False) -> Iterator[Event]:
        """`Token`s, then one `Done`. A `Reset` means the provider failed mid-answer: what was
        streamed is void and the next provider in the chain answers. An unknown or expired
        `session_id` starts a new conversation under that id; none starts one under a new id.
        """
        return self._answers.iterate(self._answer(question, session_id, whole))

    async def astream(self, question: str, session_id: str | None = None, *,
                      whole: bool = False) -> AsyncIterator[Event]:
        """`stream` for a caller on an event loop: waiting on the LLM holds no thread."""
        async for event in self._answers.aiterate(self._answer(question, session_id, whole)):
            yield event

    async def _answer(self, question: str, session_id: str | None,
                      whole: bool) -> AsyncIterator[Event]:
        """One answer, on the answer loop: the work on the index and the logs in a worker
        thread (a hop before the LLM and one after), the wait on the LLM in none."""
        started = time.perf_counter()
        question = self._check(question)
        with self._admitted.one():
            new = not session_id  # a conversation started now has no history to read
            session_id = session_id or uuid.uuid4().hex
            variant, chain = self._arms.pick(session_id)
            scope = variant.name if variant else ""  # a variant's cached answers are its own
            history, cached, request, version = await asyncio.to_thread(
                self._before, question, None if new else session_id, scope,
                variant.prompt_style if variant else "default")
            record = UsageRecord(
                chain.primary.name, chain.primary.model, "abandoned", session_id,
                question=question if self.settings.log_questions else None, cached=bool(cached),
                best_score=round(request.hits[0].similarity, 4) if request and request.hits
                else None, covered=bool(cached or request.hits), answer_id=uuid.uuid4().hex,
                experiment=self._arms.experiment.name if variant else None,
                variant=variant.name if variant else None)
            pieces: list[str] = []
            try:
                canned = None if cached else self._answering.canned_reply(request)
                async with aclosing(self._answering.reply(request, cached, canned, whole,
                                                          chain)) as items:
                    async for item in items:
                        if isinstance(item, str):
                            if record.ttft_ms is None:
                                record.ttft_ms = round((time.perf_counter() - started) * 1000,
                                                       1)
                            pieces.append(item)
                            yield Token(item)
                        elif isinstance(item, Reset):
                            pieces = []
                            yield item
                        else:
                            outcome = item
                answer = self._answering.answer(request, cached, "".join(pieces).strip(),
                                                outcome, bool(canned), started, session_id,
                                                record.answer_id)
                await asyncio.to_thread(self._after, question, session_id, answer,
                                        not (history or cached or canned), version, scope)
                record.fill(answer, "declined" if canned else "answered",
                            keep_text=self.settings.log_questions)
                if self.settings.notify_gaps and not record.covered:
                    self._notifier.send(f"Your twin could not answer: {question}", kind="gap",
                                        question=question)
                yield Done(answer)
            except Exception as exc:  # the visitor sees the error; the log keeps its kind
                record.error = getattr(exc, "code", None) or type(exc).__name__
                raise
            finally:  # an abandoned stream is recorded too: the LLM was called all the same
                if record.outcome == "abandoned" and pieces:
                    record.estimated, record.completion_tokens = True, len("".join(pieces)) // 4
                record.latency_ms = round((time.perf_counter() - started) * 1000, 1)
                record.cost_usd = 0.0 if cached else figures.cost(
                    self.settings.prices, record.model, record.prompt_tokens,
                    record.completion_tokens)
                self._record_usage(record)

    def _before(self, question: str, session_id: str | None, scope: str, style: str):
        """Before the LLM: the conversation so far (none without `session_id`), a cached
        answer, or the request to send."""
        self._require_index()
        history = (self._despite_storage_faults("conversations", self._sessions.history, None, session_id)
                   if session_id else None) or []
        version = self._index.version()
        cached = None if history else self._despite_storage_faults("answer cache", self._cache.find, None,
                                               question, version, scope)
        request = None if cached else self._answering.prepare(
            question, history, deadline=time.monotonic() + self.settings.answer_deadline,
            style=style)
        return history, cached, request, version

    def _after(self, question: str, session_id: str, answer: Answer, cacheable: bool,
               version: str, scope: str) -> None:
        """After it: the turn kept in the conversation, the answer in the cache if it may be."""
        self._despite_storage_faults("conversations", self._sessions.append, None, session_id, question,
                   answer.answer)
        if cacheable and not answer.fallback_reason:
            self._despite_storage_faults("answer cache", self._cache.keep, None, question, version,
                       answer.as_dict(), scope)

    def leave_contact(self, name: str, email: str, message: str, *, company: str | None = None,
                      session_id: str | None = None) -> int:
        """A visitor's details for the owner, kept with the questions of their conversation."""
        turns = self._despite_storage_faults("conversations", self._sessions.history, None, session_id) \
            if session_id else None
        asked = [t["content"] for t in turns or [] if t["role"] == "user"]
        return self._leads.leave(name, email, message, company, session_id, asked)

    def forget(self, session_id: str) -> None:
        self._sessions.forget(session_id)

    def record_feedback(self, question: str, answer: str, rating: int, *,
                        session_id: str | None = None, comment: str | None = None,
                        answer_id: str | None = None) -> int:
        record = FeedbackRecord(valid_text(question, "question"), valid_text(answer, "answer"),
                                rating, session_id, comment and valid_text(comment, "comment"),
                                answer_id=answer_id)
        try:
            feedback_id = self._feedback.record_feedback(record)
        except StorageError as exc:
            self._fault("feedback", exc.message)
            raise
        self._fault("feedback", None)
        return feedback_id

    # ---- answers -------------------------------------------------------------------------
    def _record_usage(self, record: UsageRecord) -> None:
        """Counted in the metrics now; written to the log by the recorder's thread."""
        metrics.observe_answer(record)
        self._recorder.record(record)

    def metrics(self) -> tuple[bytes, str]:
        """Prometheus metrics (text, content type), the circuits read now."""
        metrics.observe_circuits(self._arms.circuits())
        return metrics.exposition()

    def _despite_storage_faults(self, what: str, write, default, *args):
        """Storage that fails (a read-only file, a full disk) must not cost the visitor the
        answer: the failure is logged once, `status()` reports it, and the answer goes on."""
        try:
            result = write(*args)
        except StorageError as exc:
            self._fault(what, exc.message)
            return default
        self._fault(what, None)
        return result

    def _fault(self, what: str, why: str | None) -> None:
        """Note that `what` cannot be kept now, and why (logged once); None: it can again."""
        if why is None:
            self._faults.pop(what, None)
            return
        if what not in self._faults and "index" not in self._faults:  # else said already
            log.warning("%s not kept: %s", what, why)
        self._faults[what] = why


def _shut_down(answers: AnswerLoop, arms: Arms, recorder: UsageRecorder) -> None:
    answers.close(arms.aclose)
    recorder.close()
