"""Keeping answers coming: a circuit breaker per provider and a fallback chain.

Retries and timeouts belong to the SDKs (configured from settings). What is left is here: skip a
provider that keeps failing without waiting on it, shrink a request that is over the tokens-per-
minute budget (413) once, and fall through the chain to the extractive provider, which cannot
fail. The chain reports who answered and why it fell back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass

from ..answers import Reset
from ..errors import ProviderError, RequestTooLargeError
from .base import Completion, Provider, Request
from .limits import Slots, within_deadline

log = logging.getLogger("digital_twin.providers")


class CircuitBreaker:
    """Closed → open after `threshold` consecutive failures → half-open after `cooldown` s."""

    def __init__(self, threshold: int = 3, cooldown: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self._trial = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.cooldown else "open"

    def allow(self) -> bool:
        """May a call go through? In half-open, exactly one trial call does."""
        with self._lock:
            state = self.state
            if state == "closed":
                return True
            if state == "half-open" and not self._trial:
                self._trial = True
                return True
            return False

    def success(self) -> None:
        with self._lock:
            self.failures, self.opened_at, self._trial = 0, None, False

    def release(self) -> None:
        """A call that ended with no verdict (its caller went away): free the trial slot, so
        the next call may try again instead of finding the breaker stuck half-open."""
        with self._lock:
            self._trial = False

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self._trial or self.failures >= self.threshold:
                self.opened_at = self.clock()
            self._trial = False


@dataclass
class Outcome:
    """Who answered, what the reply was (usage, the model the server reported), and why the
    chain fell back to them."""

    provider: Provider
    completion: Completion
    reason: str | None


def label(provider: Provider) -> str:
    return f"{provider.name}:{provider.model}"


class Chain:
    """Try each provider in turn, skipping those whose circuit is open. The last provider must
    be one that cannot fail (`registry.build_chain` ends the chain with the extractive one)."""

    def __init__(self, providers: list[Provider], *, threshold: int = 3, cooldown: float = 30.0,
                 concurrency: int = 8, clock: Callable[[], float] = time.monotonic,
                 shared: Chain | None = None):
        """`shared`: a chain whose breakers and slots this one uses for the providers they
        have in common (experiment variants calling the same model trip one circuit)."""
        self.providers = providers
        self.breakers = shared.breakers if shared else {}
        self.slots = shared.slots if shared else {}
        for p in providers:
            self.breakers.setdefault(label(p), CircuitBreaker(threshold, cooldown, clock))
        for p in providers[:-1]:
            self.slots.setdefault(label(p), Slots(concurrency))

    @property
    def primary(self) -> Provider:
        return self.providers[0]

    def state(self) -> list[dict]:
        return [{"name": p.name, "model": p.model, "circuit": self.breakers[label(p)].state}
                for p in self.providers]

    async def run(self, request: Request, *, stream: bool,
                  shrink: Callable[[Request], Request]) -> AsyncIterator[str | Reset | Outcome]:
        """Text pieces; a `Reset` when a provider fails after it began; one `Outcome` last."""
        reasons: list[str] = []
        for provider in self.providers:
            breaker, slots = self.breakers[label(provider)], self.slots.get(label(provider))
            if slots is None:  # the last provider: it cannot fail and needs no bound
                async with aclosing(self._last(provider, request, stream, reasons)) as items:
                    async for item in items:
                        yield item
                return
            if not breaker.allow():
                reasons.append(f"{label(provider)}: circuit open, skipped")
                continue
            if not await slots.take(request.deadline):
                breaker.release()
                reasons.append(f"{label(provider)}: busy until the deadline, skipped")
                continue
            attempt, shrunk, settled = request, False, False
            try:
                while True:
                    streamed = False
                    try:
                        completion = None
                        async with aclosing(self._call(provider, attempt, stream)) as items:
                            async for item in items:
                                if isinstance(item, Completion):
                                    completion = item
                                else:
                                    streamed = True
                                    yield item
                        breaker.success()
                        settled = True
                        yield Outcome(provider, completion, "; ".join(reasons) or None)
                        return
                    except RequestTooLargeError as exc:
                        if streamed:
                            yield Reset(exc.message)
                        if not shrunk:
                            attempt, shrunk = shrink(attempt), True
                            log.warning("%s: %s; retrying with a smaller context",
                                        label(provider), exc.message)
                            continue
                        settled = True
                        reasons.append(f"{exc.reason}: {exc.message}")
                        break
                    except ProviderError as exc:
                        breaker.failure()
                        settled = True
                        log.warning("%s failed: %s", label(provider), exc)
                        reasons.append(f"{exc.reason}: {exc}")
                        if streamed:
                            yield Reset(f"{exc.reason}: {exc.message}")
                        break
            finally:
                slots.give_back()
                if not settled:  # the caller went away mid-call: neither success nor failure
                    breaker.release()

    async def _last(self, provider: Provider, request: Request, stream: bool,
                    reasons: list[str]) -> AsyncIterator[str | Outcome]:
        completion = None
        async with aclosing(self._reply(provider, request, stream)) as items:
            async for item in items:
                if isinstance(item, Completion):
                    completion = item
                else:
                    yield item
        yield Outcome(provider, completion, "; ".join(reasons) or None)

    def _call(self, provider: Provider, request: Request, stream: bool):
        return within_deadline(self._reply(provider, request, stream), request.deadline,
                               label(provider))

    @staticmethod
    async def _reply(provider: Provider, request: Request, stream: bool):
        if stream:
            async with aclosing(provider.stream(request)) as items:
                async for item in items:
                    yield item
        else:
            completion = await provider.complete(request)
            yield completion.text
            yield completion
