"""Answers with no LLM: the best retrieved sentences, in the first person, with citations.

Deterministic and unable to invent: every sentence of an answer stands in the profile as
written (the chunks are already written in the owner's voice).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..profile.chunk import sentences
from ..prompting import not_covered
from ..stores.sqlite import keyword_terms
from .base import Completion, Request, Usage

MAX_WORDS = 90
MAX_SENTENCES = 4
MAX_HITS = 3


def _stem(word: str) -> str:
    return word[:5]


def compose(request: Request) -> tuple[str, list[int]]:
    """The answer text and the indexes of the hits it cites."""
    hits = request.hits[:MAX_HITS]
    if not hits:
        return not_covered(request.persona), []
    terms = {_stem(t) for t in keyword_terms(request.question)}
    scored = []
    for rank, hit in enumerate(hits):
        for pos, sentence in enumerate(sentences(hit.text)):
            words = {_stem(w) for w in keyword_terms(sentence)}
            overlap = len(terms & words)
            score = 2.0 * overlap + (1.0 if pos == 0 else 0.0) + (MAX_HITS - rank) * 0.75
            scored.append((score, rank, pos, sentence))
    chosen, words = [], 0
    for score, rank, pos, sentence in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        size = len(sentence.split())
        if chosen and (words + size > MAX_WORDS or len(chosen) >= MAX_SENTENCES):
            continue
        if not chosen or rank == 0 or score >= 2.0 + (MAX_HITS - rank) * 0.75:
            chosen.append((rank, pos, sentence))
            words += size
    chosen.sort()
    parts, cited = [], []
    for i, (rank, _, sentence) in enumerate(chosen):
        last_of_hit = i + 1 == len(chosen) or chosen[i + 1][0] != rank
        if sentence[-1] not in ".!?":
            sentence += "."  # a heading-like fragment must not run into the next sentence
        parts.append(sentence + (f" [{rank + 1}]" if last_of_hit else ""))
        if rank not in cited:
            cited.append(rank)
    text = " ".join(parts)
    return re.sub(r"\s+", " ", text).strip(), cited


class ExtractiveProvider:
    name = "extractive"
    model = "extractive"

    def complete(self, request: Request) -> Completion:
        text, _ = compose(request)
        return Completion(text, Usage(), self.model)

    def stream(self, request: Request) -> Iterator[str | Completion]:
        text, _ = compose(request)
        for i, word in enumerate(text.split(" ")):
            yield word if i == 0 else " " + word
        yield Completion(text, Usage(), self.model)
