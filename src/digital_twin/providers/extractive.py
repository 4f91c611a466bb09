"""Answers with no LLM: the best passage's most relevant sentences, with its citation.

Deterministic and unable to invent: every sentence of an answer stands in the profile as
written (passages are already written in the owner's voice). One passage answers, so facts
from different jobs are never joined into one story, and its sentences stay in their order.
The citation is always [1]: the passage answering is the first source listed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from ..profile.chunk import sentences
from ..prompting import current_salary_private, not_covered
from ..relevance import answers_intent, intents, mentions, named_terms
from ..text import stems, topic_terms, word_pieces
from .base import Completion, Request, Usage

MAX_WORDS = 90
MAX_SENTENCES = 3
_CURRENT_PAY = re.compile(r"\b(current(ly)?|now|earn\w*|making|present)\b", re.I)
_LIST_OF_JOBS = re.compile(r"\b(companies|employers|jobs|roles|positions|work history|where "
                           r"have you worked|worked (at|for) so far)\b", re.I)
_LABEL_ONLY = re.compile(r"^[\w ’'/&()-]{1,40}:\s*\.?$")


_OUTCOME = re.compile(r"^(The result|A result|Impact|Results?|Outcome|Achievements?)\b")
_ACTION = re.compile(r"^(What I did|Technologies|Tech stack)\b")
_ASKS_ACTION = re.compile(r"\b(what|how) (did|do|have) you (build|built|do|done|make|made|create|"
                          r"develop|implement|deliver|work on)\b", re.I)


def _weight(asked: set[str], sentence: str, wanted: list[str], action: bool = False) -> float:
    """Words shared with the question first; then what the question's intent asks for;
    then outcomes (results, numbers) over setting; what was done, when that is asked."""
    shared = len(asked & stems(sentence))
    numbers = bool(re.search(r"\d", re.sub(r"\S*(https?://|www\.)\S*", "", sentence)))
    kind = any(answers_intent(i, "", "", sentence) for i in wanted)
    return (2.0 * shared + 1.5 * kind + 2.0 * bool(_OUTCOME.match(sentence))
            + (4.0 if action else 1.0) * bool(_ACTION.match(sentence)) + 0.5 * numbers)


def _pick(question: str, text: str, limit: int = MAX_SENTENCES) -> list[str]:
    """Up to `limit` sentences of one passage, in order: the opening one (it names the job or
    the subject) and those that answer best."""
    found = [s for s in sentences(text) if not _LABEL_ONLY.match(s)]
    if not found:
        return []
    if len(found) <= limit and len(" ".join(found).split()) <= MAX_WORDS:
        return found
    # the opening already names the subject ("At the Workshop, as Developer"): the sentences
    # to add are those saying what else is asked
    asked = {t for term in topic_terms(question) for t in stems(term)} - stems(found[0])
    wanted = intents(question)
    action = bool(_ASKS_ACTION.search(question))
    order = sorted(range(1, len(found)),
                   key=lambda i: (-_weight(asked, found[i], wanted, action), i))
    chosen, size = {0}, len(found[0].split())
    for i in order:
        if len(chosen) >= limit:
            break
        if size + len(found[i].split()) <= MAX_WORDS or len(chosen) == 1:
            chosen.add(i)
            size += len(found[i].split())
    return [found[i] for i in sorted(chosen)]


def _named(hit, text: str) -> str:
    """A passage whose text does not name its subject (a project's note) opens with its title."""
    name = re.sub(r"\s*\(\d+/\d+\)$", "", hit.title.split(" › ")[-1])
    if hit.kind in ("skills", "personal", "document", "experience", "qa") or ":" in text[:60]:
        return text
    if name.lower() in text.lower() or name.startswith(("Note ", "About")) or not name or \
            name[0].isdigit():
        return text
    return f"{name}: {text}"


def _same_job(first, second) -> bool:
    """Two passages about the same job: one's section path continues the other's."""
    return second.section.startswith(first.section + ".") and first.kind == "experience"


def _listed(hits, kind: str, depth: int) -> list:
    """The first passages, while they are entries of one list (jobs, degrees)."""
    found = []
    for hit in hits:
        if hit.kind != kind or hit.section.count(".") != depth:
            break
        found.append(hit)
    return found


def _roles(hits) -> tuple[str, list[int]] | None:
    """'Where have you worked?': the jobs among the first passages, one line each."""
    jobs = _listed(hits, "experience", 1)
    if len(jobs) < 2:
        return None
    lines = "; ".join(f"{hit.title} [{n}]" for n, hit in enumerate(jobs, 1))
    return f"The roles I have held: {lines}.", list(range(len(jobs)))


def _degrees(question: str, hits) -> tuple[str, list[int]] | None:
    """'Where did you study?' with several degrees: the opening sentence of each, and its
    sentence sharing most words with the question, if any ('What was your thesis about?')."""
    degrees = [hit for hit in _listed(hits, "education", hits[0].section.count("."))
               if hit.text.startswith("I studied")][:3]
    if len(degrees) < 2:
        return None
    asked = {t for term in topic_terms(question) for t in stems(term)}
    lines = []
    for number, hit in enumerate(degrees, 1):
        first, *rest = sentences(hit.text)
        extra = sorted((s for s in rest if asked & stems(s)),
                       key=lambda s: -len(asked & stems(s)))[:1]
        lines.append(" ".join([first, *extra]) + f" [{number}]")
    return " ".join(lines), list(range(len(degrees)))


def _items(text: str) -> tuple[str, list[str]]:
    """A list passage ("Programming languages: Python (…); C++ (…)") as its label and items,
    split at the top level only (never inside an item's parentheses)."""
    label, _, body = text.partition(": ")
    items, depth, start = [], 0, 0
    for i, char in enumerate(body):
        depth += (char in "([") - (char in ")]")
        if char == ";" and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    items.append(body[start:].strip().rstrip("."))
    return label, [item for item in items if item]


def _named_items(question: str, hit) -> str | None:
    """'How good is your C++?' over a long list: the items naming what is asked, under the
    list's label."""
    names = named_terms(question, {})
    if hit.kind != "skills" or not names:
        return None
    label, items = _items(hit.text)
    chosen = [item for item in items if mentions(item, names)]
    if not chosen or len(chosen) == len(items) or len(label.split()) > 6:
        return None
    return f"{label}: {'; '.join(chosen)}."


def compose(request: Request) -> tuple[str, list[int]]:
    """The answer text and the indexes of the hits it cites."""
    hits = request.hits
    if not hits or hits[0].verdict != "covered":
        return not_covered(request.persona), []
    if _LIST_OF_JOBS.search(request.question) and (roles := _roles(hits)):
        return roles
    if intents(request.question)[:1] == ["education"] and (degrees := _degrees(request.question, hits)):
        return degrees
    named = _named_items(request.question, hits[0])
    chosen = [named] if named else _pick(request.question, hits[0].text)
    asked = intents(request.question)
    if hits[0].kind == "personal" and asked:  # "About me" holds many facts: say the one asked
        chosen = [s for s in chosen if answers_intent(asked[0], "", "", s, whole=True)] or chosen
    if not chosen:
        return not_covered(request.persona), []
    text = _named(hits[0], " ".join(s if s[-1] in ".!?" else s + "." for s in chosen)) + " [1]"
    cited = [0]
    if len(hits) > 1 and _same_job(hits[0], hits[1]) and len(chosen) == 1:
        more = _pick(request.question, hits[1].text, limit=2)
        text += " " + " ".join(s if s[-1] in ".!?" else s + "." for s in more) + " [2]"
        cited.append(1)
    if "salary" in intents(request.question) and _CURRENT_PAY.search(request.question):
        text = f"{current_salary_private()} {text}"
    return re.sub(r"\s+", " ", text).strip(), cited


class ExtractiveProvider:
    name = "extractive"
    model = "extractive"

    async def aclose(self) -> None:  # holds no connection
        pass

    async def complete(self, request: Request) -> Completion:
        text, _ = compose(request)
        return Completion(text, Usage(), self.model)

    async def stream(self, request: Request) -> AsyncIterator[str | Completion]:
        text, _ = compose(request)
        for piece in word_pieces(text):
            yield piece
        yield Completion(text, Usage(), self.model)
