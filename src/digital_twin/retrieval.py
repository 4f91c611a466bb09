"""Hybrid search: dense and BM25 rankings (and, for a recruiter intent, the passages labelled
for it) fused by reciprocal rank fusion, then a relevance decision (`relevance.py`).

Fused rank says what is *best*, not whether anything is relevant: the decision says whether the
profile covers the question at all. A clearly uncovered question gets no hits; a borderline
one gets its best passages only when an LLM will judge them (`keep_borderline`).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Literal

from .embeddings import Embedder
from .relevance import (
    INTENTS,
    Evidence,
    Policy,
    Terms,
    Verdict,
    coverage,
    intent_words,
    intents,
    known_term,
    mentions,
    missing_names,
    named_terms,
)
from .relevance import labelled as passages_for
from .stores.base import Index
from .text import stem, stems, topic_terms

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
CANDIDATES = 30
LABELLED_WEIGHT = 2.0  # a passage of the kind the question asks for outranks word matches
# How many of them are fused: beyond this their fused score is too small to rank in the top k
# unless dense or keyword search also found them (and then they are fused from there). Not when
# the question names something: a passage of the kind that names it ranks first wherever it is.
LABELLED_LIMIT = 200


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    text: str
    score: float
    source: str
    section: str = ""
    kind: str = ""
    similarity: float = 0.0
    verdict: Verdict = "covered"

    def public(self) -> dict:
        """A passage's one public shape: `twin search --json`, the API and MCP all show this."""
        return {"id": self.id, "title": self.title, "text": self.text,
                "score": round(self.score, 6), "source": self.source, "section": self.section}


def rrf(rankings: list[list[str]], k: int = RRF_K,
        weights: list[float] | None = None) -> dict[str, float]:
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, cid in enumerate(ranking):
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank + 1)
    return fused


_PART = re.compile(r"\((\d+)/\d+\)$")
_OVERFLOW = ".more"  # the rest of a STAR story too long for one passage (profile/render.py)


def _part(chunk) -> tuple[str, int]:
    """Which passage a chunk belongs to, and its place in it: a long passage's numbered parts
    ("Title (2/3)"), and a story's overflow after the story."""
    if found := _PART.search(chunk.title):
        return chunk.section.rsplit("#", 1)[0], int(found.group(1))
    if chunk.section.endswith(_OVERFLOW):
        return chunk.section.removesuffix(_OVERFLOW), 1_000
    return chunk.section, 0


def in_part_order(ranked: list[str], chunks: dict) -> list[str]:
    """Parts of one passage in reading order, in the places they hold: a later part alone
    does not say whose it is ("Successfully deployed the system…", "Lesson learned: …")."""
    parts = {cid: _part(chunks[cid]) for cid in ranked if cid in chunks}
    groups: dict[str, list[str]] = {}
    for cid in ranked:
        if cid in parts:
            groups.setdefault(parts[cid][0], []).append(cid)
    order = {base: iter(sorted(ids, key=lambda c: parts[c][1])) for base, ids in groups.items()}
    return [next(order[parts[cid][0]]) if cid in parts else cid for cid in ranked]


# "Have you used Tableau for anything substantial?", "What have you built with Go?"
_ASKS_USE = re.compile(
    r"\b(used|using|use|applied|worked with)\b.*\b(for anything|for something|substantial|in "
    r"(practice|production|a (real )?project)|on (a )?(real )?projects?)\b|"
    r"\b(what|anything) (have you |did you )?(built|build|done|made|make) (with|using|in)\b", re.I)
_USES = ("project", "achievement", "experience")  # kinds of passage that tell of use


def use_first(query: str, ranked: list[str], chunks: dict) -> list[str]:
    """A question about what was done with a tool wants the project that used it, not the
    list of skills naming it: the best such passage among the hits goes first."""
    top = chunks.get(ranked[0]) if ranked else None
    if top is None or top.kind != "skills" or not _ASKS_USE.search(query):
        return ranked
    named = {stem(t) for t in topic_terms(query)}
    used = next((cid for cid in ranked if cid in chunks and chunks[cid].kind in _USES
                 and named <= stems(f"{chunks[cid].title} {chunks[cid].text}")), None)
    return ranked if used is None else [used, *(cid for cid in ranked if cid != used)]


@dataclass
class _Derived:
    version: str  # the index version these were worked out from
    terms: Terms  # word stems and how many passages hold each
    passages: int  # how many passages the index holds
    labelled: dict[str, tuple[list[str], frozenset[str]]] = field(default_factory=dict)

    def of_kind(self, intent: str, store: Index,
                chunks: dict | None = None) -> tuple[list[str], frozenset[str]]:
        """The passages of the kind an intent asks for, in the files' order and as a set:
        found once per index version (reading every passage), not on every question."""
        if intent not in self.labelled:
            found = passages_for(intent, store.get(sorted(store.ids())) if chunks is None
                                 else chunks)
            self.labelled[intent] = (found, frozenset(found))
        return self.labelled[intent]


class Retriever:
    def __init__(self, store: Index, embedder: Embedder, *, top_k: int = 5,
                 min_score: float = 0.25, policy: Policy | None = None,
                 keep_borderline: bool = False):
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.min_score = min_score  # a passage less similar than this is never a hit
        self.policy = policy or Policy()
        self.keep_borderline = keep_borderline
        self._index_facts: _Derived | None = None

    def _derived(self) -> _Derived:
        """What is worked out from the whole index, kept until the index changes."""
        version = self.store.version()
        if self._index_facts is None or self._index_facts.version != version:
            self._index_facts = _Derived(version, Terms(self.store.term_frequencies()),
                                         self.store.count())
        return self._index_facts

    def warm(self, *, every_intent: bool = False) -> None:
        """Read now what questions would read first: the vectors and the words, and with
        `every_intent` the passages of every intent's kind (seconds at 100,000 passages, a
        millisecond for a profile: worth it before a server's first visitor, not for one
        question)."""
        self.rank("warm up")
        if not every_intent:
            return
        derived, chunks = self._derived(), self.store.get(sorted(self.store.ids()))
        for intent in INTENTS:
            derived.of_kind(intent, self.store, chunks)

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        hits, verdict = self.decide(query, k, mode)
        if verdict == "uncovered" or (verdict == "borderline" and not self.keep_borderline):
            return []
        return hits

    def decide(self, query: str, k: int | None = None,
               mode: Mode = "hybrid") -> tuple[list[Hit], Verdict]:
        """The best passages and whether the profile covers the question."""
        hits, evidence = self.rank(query, k, mode)
        verdict = self.policy.decide(evidence)
        return [replace(hit, verdict=verdict) for hit in hits], verdict

    def rank(self, query: str, k: int | None = None,
             mode: Mode = "hybrid") -> tuple[list[Hit], Evidence]:
        k = k or self.top_k
        vector = self.embedder.embed([query])[0]
        dense = self.store.dense(vector, CANDIDATES, text=query) if mode != "bm25" else []
        keyword = self.store.keyword(query, CANDIDATES) if mode != "dense" else []
        similarity = dict(dense)
        asked = intents(query)
        labelled: list[str] = []
        kinds: dict[str, tuple[list[str], frozenset[str]]] = {}  # by intent asked
        derived = self._derived()
        names = [n for n in named_terms(query, derived.terms) if known_term(n, derived.terms)]
        if asked and mode == "hybrid":
            kinds = {intent: derived.of_kind(intent, self.store) for intent in asked}
            # the dense candidates first, by similarity, then the others in the files' order,
            # as many as can still rank (in a huge profile an intent labels thousands)
            labelled = [cid for cid, _ in sorted(dense, key=lambda d: -d[1])
                        if any(cid in kind for _, kind in kinds.values())]
            seen = set(labelled)
            labelled += islice((cid for ids, _ in kinds.values() for cid in ids
                                if cid not in seen and not seen.add(cid)),
                               None if names else max(0, LABELLED_LIMIT - len(labelled)))
        if mode == "dense":
            fused = {cid: s for cid, s in dense}
        elif mode == "bm25":
            fused = {cid: s for cid, s in keyword}
        else:
            fused = rrf([[cid for cid, _ in dense], [cid for cid, _ in keyword], labelled],
                        weights=[1.0, 1.0, LABELLED_WEIGHT])
        # a passage fused in from words or intent is relevant whatever its similarity: only
        # the dense candidates are filtered by it, and only the hits need theirs
        boosted = set(labelled) | {cid for cid, _ in keyword}

        def relevant(cid: str) -> bool:
            return cid in boosted or similarity.get(cid, -1.0) >= self.min_score

        # the kind of passage the question's first intent asks for comes first, and among
        # those, the ones naming what it asks about ("How good is your C++?")
        first = kinds[asked[0]][1] if kinds else frozenset()
        vocabulary = derived.terms
        candidates = [cid for cid in fused if relevant(cid)]
        texts = self.store.get(candidates) if names else {}
        named = {cid for cid, c in texts.items() if mentions(f"{c.title} {c.text}", names)}
        ranked = heapq.nsmallest(k, candidates, key=lambda c: (
            c not in first, bool(named) and c not in named, -fused[c]))
        similarity.update(self.store.similarity(
            vector, [cid for cid in ranked if cid not in similarity], text=query))
        chunks = self.store.get(ranked)
        ranked = use_first(query, in_part_order(ranked, chunks), chunks)
        hits = [Hit(cid, chunks[cid].title, chunks[cid].text, fused[cid], chunks[cid].source,
                    chunks[cid].section, chunks[cid].kind, similarity.get(cid, 0.0))
                for cid in ranked if cid in chunks]
        passages = derived.passages
        evidence = Evidence(tuple(asked), len(labelled),
                            tuple(missing_names(query, vocabulary)),
                            coverage(query, vocabulary, passages) or 0.0,
                            max((s for _, s in dense), default=0.0),
                            coverage(query, vocabulary, passages, intent_words(query))
                            if asked else None)
        return hits, evidence
