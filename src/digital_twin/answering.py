"""Producing one answer: retrieve, build the fenced prompt, and take the reply from the cache,
a canned reply (an attack, nothing retrieved) or the provider chain, held back by the output check
so that it never repeats the twin's instructions."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import replace

from .answers import Answer, Reset
from .conversation import (
    addressed,
    asks_outcome,
    asks_private,
    focused,
    retrieval_query,
    subject,
    tells_outcome,
)
from .hits import Hit
from .profile.chunk import sentences
from .profile.sensitive import ADDRESS, BIRTH, ID, PHONE, finding
from .prompting import (
    MAX_CONTEXT_CHARS,
    OutputGuard,
    Persona,
    build_messages,
    declined,
    is_injection,
    not_covered,
    private_kind,
    system_prompt,
)
from .providers import Chain, Outcome, Request, Usage
from .retrieval import Retriever
from .text import word_pieces

log = logging.getLogger("digital_twin.service")
_CITATION = re.compile(r"\[(\d{1,2})\]")
STORY_PARTS = 3  # passages a story runs on into, at most, looked through for its outcome


# The detector's kind (`profile/sensitive.py`) of each private kind a visitor may ask for.
_DETECTED = {"phone number": PHONE, "home address": ADDRESS, "date of birth": BIRTH,
             "identity number": ID}


def _holds(kind: str, hits: list[Hit]) -> bool:
    """Whether the passages hold a value of the kind: one the owner published (a phone marked
    public), found by the same detectors that keep the others back."""
    return any((found := finding(sentence, hit.title)) and found.kind == _DETECTED[kind]
               for hit in hits for sentence in sentences(hit.text))


class Answering:
    def __init__(self, retriever: Retriever, persona: Callable[[], Persona],
                 history_tokens: int,
                 withheld: Callable[[], frozenset[str]] = frozenset):
        self.retriever, self.persona = retriever, persona
        self.withheld = withheld  # fingerprints of the values kept back from the profile
        self.history_tokens = history_tokens
        # A mark planted in the rules: a reply that contains it is repeating them.
        self.canary = f"ref-{secrets.token_hex(6)}"
        self.rules = system_prompt(Persona())

    async def reply(self, request: Request | None, cached: dict | None, canned: str | None,
                    whole: bool, chain: Chain) -> AsyncIterator[str | Reset | Outcome]:
        """The pieces of the answer, then its `Outcome`: from the cache, a canned reply, or the
        provider chain (guarded)."""
        if cached:
            for piece in word_pieces(cached["answer"]):
                yield piece
            yield Outcome(chain.providers[-1], None, None)
        elif canned:
            yield canned
            yield Outcome(chain.providers[-1], None, None)
        else:
            async with aclosing(chain.run(request, stream=not whole,
                                          shrink=self.shrink)) as items:
                async for item in self.guarded(items, request.persona, chain):
                    yield item

    async def guarded(self, items: AsyncIterator, persona: Persona,
                      chain: Chain) -> AsyncIterator[str | Reset | Outcome]:
        """The chain's reply, the end of it held back until it is known not to repeat the
        twin's instructions; a reply that does is replaced by the in-role refusal."""
        withheld = self.withheld()
        guard = OutputGuard(self.rules, self.canary, withheld)
        async for item in items:
            if isinstance(item, str):
                safe = guard.feed(item)
                if guard.tripped:
                    break
                for piece in safe:
                    yield piece
            elif isinstance(item, Reset):
                guard = OutputGuard(self.rules, self.canary, withheld)
                yield item
            else:
                rest = guard.flush()
                if not guard.tripped:
                    for piece in rest:
                        yield piece
                    yield item
                    return
        await items.aclose()
        reason = "output_check: the reply repeated the twin's instructions or a private value"
        log.warning("%s; refused", reason)
        yield Reset(reason)
        yield declined(persona)
        yield Outcome(chain.providers[-1], None, reason)

    def prepare(self, question: str, history: list[dict], *, deadline: float,
                style: str = "default") -> Request:
        """The request to answer: passages, the fenced messages, and when it must be done."""
        persona = self.persona()
        asked = addressed(question, persona.name)  # "What does Ana do?" is about the owner
        hits = focused(self.retriever.search(retrieval_query(asked, history)), asked, history,
                       self.retriever.closeness)
        if hits and asks_outcome(asked) and not tells_outcome(hits[0].text) and (
                rest := self._outcome(hits[0])):
            # the story's result stands in a passage that goes on with it
            hits = [rest, *(h for h in hits if h.id != rest.id)]
        messages = build_messages(persona, question, hits, history,
                                  history_limit=self.history_tokens * 4,
                                  canary=self.canary, style=style)
        return Request(asked, hits, messages, persona, deadline, style,
                       subject(asked, history), self.retriever.closeness)

    def _outcome(self, hit: Hit) -> Hit | None:
        """Of the passages that go on with `hit` (a story cut as Situation, Action, Result),
        the first that opens with its outcome, else the next one."""
        following: list[Hit] = []
        while len(following) < STORY_PARTS and (hit := self.retriever.continuation(hit)):
            following.append(hit)
        return next((h for h in following if tells_outcome(h.text)),
                    following[0] if following else None)

    def shrink(self, request: Request) -> Request:
        """For a 413: half the passages, half the context budget, no history."""
        hits = request.hits[: max(1, len(request.hits) // 2)]
        messages = build_messages(request.persona, request.question, hits, None,
                                  context_limit=MAX_CONTEXT_CHARS // 2, canary=self.canary,
                                  style=request.style)
        return replace(request, hits=hits, messages=messages)

    def canned_reply(self, request: Request) -> str | None:
        """Replies that need no provider: injection attempts, and nothing retrieved."""
        if is_injection(request.question):
            return declined(request.persona)
        kinds = [k for k in asks_private(request.question) if not _holds(k, request.hits)]
        if kinds:
            return private_kind(request.persona, kinds)
        if not request.hits:
            return not_covered(request.persona)
        return None

    def answer(self, request: Request | None, cached: dict | None, text: str,
                outcome: Outcome, canned: bool, started: float, session_id: str,
                answer_id: str) -> Answer:
        latency = round((time.perf_counter() - started) * 1000, 1)
        if cached:  # as it was first answered; no tokens spent this time
            return Answer(**{**cached, "usage": Usage().as_dict(), "answer_id": answer_id},
                          latency_ms=latency, session_id=session_id, cached=True)
        completion = outcome.completion
        usage = completion.usage if completion else Usage()
        model = completion.model if completion else outcome.provider.model
        return Answer(text, [] if canned else self.sources(text, request.hits),
                      outcome.provider.name, model, usage.as_dict(), latency, outcome.reason,
                      session_id, answer_id=answer_id, hits=request.hits)

    @staticmethod
    def sources(text: str, hits: list[Hit]) -> list[dict]:
        """The passages an answer's `[n]` refer to, listed so that the n-th one listed is [n]:
        up to the highest cited (an answer citing [1] and [3] lists three); all of them when
        nothing is cited."""
        cited = [int(n) for n in _CITATION.findall(text) if 0 < int(n) <= len(hits)]
        return [hit.public() for hit in (hits[:max(cited)] if cited else hits)]

