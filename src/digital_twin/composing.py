"""Answers with no LLM: the sentences of the best passages that answer, with their citations.

Deterministic and unable to invent: every sentence of an answer stands in the profile as
written. A fitted model (`ranking.py`) weighs each sentence of the five best passages: how
good its passage is, how much of the question it holds, whether it opens its passage, a number
where one is asked. The best few are kept in the passages' own order, each passage's sentences
followed by its citation, so what comes from which job stays apparent.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np

from .conversation import answerable_part, asked_part, asks_current_pay, without_exclusions
from .profile.chunk import sentences
from .prompting import current_salary_private, not_covered
from .ranking import SENTENCE_SIGNALS, Models, fitted
from .relevance import answers_intent, intents, mentions, named_terms
from .text import PRESENT, stems, topic_terms

if TYPE_CHECKING:  # the request an answer is made from, as every provider gets it
    from .providers.base import Request

MAX_WORDS = 110
MAX_SENTENCES = 4
_LIST_OF_JOBS = re.compile(r"\b(companies|employers|jobs|roles|positions|work history|where "
                           r"have you worked|worked (at|for) so far)\b", re.I)
_LABEL = r"^[\w ’'/&()-]{1,40}:"  # a field's label ("Amount:")
_LABEL_ONLY = re.compile(rf"{_LABEL}\s*\.?$")


_QUANTITY = re.compile(r"(?i)\bhow (many|much|long|big|large|often|far|old)\b|\bwhat (percentage|"
                       r"share|proportion|number)\b|\bnumber of\b")
_DIGIT = re.compile(r"\d")
# the best passages whose sentences may answer: all that recall@5 counts (three left a fact
# found in the fourth or fifth unsaid; on the development corpus 0.874 -> 0.877 right)
SENTENCE_HITS = 5


def sentence_signals(question: str, hits, closeness=None
                     ) -> tuple[list[tuple[int, int, str]], np.ndarray]:
    """Each sentence of the best passages, as (passage number, place, text), and its row of
    `SENTENCE_SIGNALS`: how good its passage is, how close it is in meaning to the question
    (with `closeness`, `embeddings.Closeness`) and how much of its words it holds, whether it
    opens its passage (which names the job or subject), and a number where one is asked."""
    asked = {t for term in topic_terms(question) for t in stems(term)}
    names = named_terms(question, {})
    quantity = bool(_QUANTITY.search(question))
    wanted = intents(question)
    role = "role" in wanted or "history" in wanted
    found = [(n, i, text) for n, hit in enumerate(hits[:SENTENCE_HITS])
             for i, text in enumerate(s for s in _sentences(hit) if not _LABEL_ONLY.match(s))]
    near = (np.asarray(closeness(question, [text for _, _, text in found]), dtype=np.float64)
            if closeness and found else np.zeros(len(found)))
    nearest = float(near.max()) if len(near) else 0.0
    rows = []
    for (n, i, text), close in zip(found, near, strict=True):
        held = stems(text)
        rows.append((hits[n].score, 1.0 / (1 + n),
                     len(asked & held) / len(asked) if asked else 0.0, float(i == 0),
                     float(quantity and bool(_DIGIT.search(text))),
                     math.log1p(len(text.split())) / 5.0,
                     float(bool(names) and mentions(text, names)),
                     float(any(answers_intent(i, hits[n].title, hits[n].kind, text, whole=True)
                               for i in wanted)),
                     float(role and bool(PRESENT.search(text))), float(close),
                     float(close) - nearest))
    return found, np.asarray(rows, dtype=np.float64).reshape(-1, len(SENTENCE_SIGNALS))


_FIELD = re.compile(rf"{_LABEL} \S")  # a labelled field ("Amount: AUD 24,800.")
RECORD_WORDS = 60  # a short passage of fields only (a grant, a course) is one fact this long


def _sentences(hit) -> list[str]:
    """A passage's sentences; someone else's words (a reference) stay whole, with who said
    them, so no sentence of theirs is ever said on its own as the owner's; so does a short
    record of labelled fields, whose fields say one thing together (a grant's funder, amount
    and year)."""
    if hit.kind == "reference":
        return [hit.text]
    found = sentences(hit.text)
    if len(found) > 1 and len(hit.text.split()) <= RECORD_WORDS and all(
            _FIELD.match(s) for s in found):
        return [hit.text]
    return found


def choose(question: str, hits, limit: int = MAX_SENTENCES, subject: str = "",
           models: Models | None = None, closeness=None) -> list[tuple[int, str]]:
    """The sentences that answer best, by the fitted model, up to `limit` and about
    `MAX_WORDS`, in the passages' order and each passage's own order. `subject` is what the
    question is about (a follow-up's, with the question before it)."""
    found, rows = sentence_signals(question, hits, closeness)
    if not found:
        return []
    # a question naming its subject ("What did you do at Nordlicht?"), or following one that
    # did, is answered from the passages that name it when the best one does: never with
    # another job's facts
    names = [n for n in named_terms(without_exclusions(subject or question), {})
             if mentions(hits[0].text, [n])]
    if names:
        keep = [n for n, hit in enumerate(hits[:SENTENCE_HITS]) if mentions(hit.text, names)]
        chosen_from = [i for i, (n, _, _) in enumerate(found) if n in keep]
        found, rows = [found[i] for i in chosen_from], rows[chosen_from]
    scores = (models or fitted()).sentences.logits(rows)
    chosen: list[int] = []
    # a fact told twice (a summary and its section, a job's line and its entry) is said once,
    # in its fuller form
    bare = [_bare(text) for _, _, text in found]
    whole = [" ".join(_unheaded(text, hits[n]).lower().split()).rstrip(".!?")
             for n, _, text in found]
    size = 0
    for at in np.argsort(-scores, kind="stable"):
        words_in = len(found[at][2].split())
        if len(chosen) >= limit:
            break
        if any(bare[at] == bare[other] or whole[at] in whole[other] for other in chosen):
            continue
        inside = [other for other in chosen if whole[other] in whole[at]]
        size -= sum(len(found[other][2].split()) for other in inside)
        if not chosen or size + words_in <= MAX_WORDS:
            chosen = [other for other in chosen if other not in inside] + [int(at)]
            size += words_in
        else:
            size += sum(len(found[other][2].split()) for other in inside)
    return [(found[at][0], found[at][2]) for at in sorted(chosen, key=lambda a: found[a][:2])]


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


def _bare(sentence: str) -> str:
    """A sentence without the heading it may open with, as words, to compare."""
    return " ".join(sentence.rsplit(": ", 1)[-1].lower().split()) if ": " in sentence[:80] \
        else " ".join(sentence.lower().split())


def _unheaded(text: str, hit) -> str:
    """A sentence less the section heading its passage opens with ("WHAT I'M PROUD OF: …"):
    the citation names the section. A job's line ("Nurse, St Mary's, 2019 – present: …") stays,
    as it says whose the fact is."""
    heading = hit.title.split(" › ")[-1]
    return text[len(heading) + 2:] if heading and text.startswith(f"{heading}: ") else text


def _cited(chosen: list[tuple[int, str]], first_hit, hits=()) -> tuple[str, list[int]]:
    """The chosen sentences as one text, each passage's sentences followed by its citation;
    with `hits`, less the section heading they open with."""
    parts, cited = [], []
    for n, text in chosen:
        text = _unheaded(text, hits[n]) if n < len(hits) else text
        text = text if text[-1] in ".!?" else text + "."
        if not cited or cited[-1] != n:
            if cited:
                parts.append(f"[{cited[-1] + 1}]")
            cited.append(n)
        parts.append(text)
    parts.append(f"[{cited[-1] + 1}]")
    body = " ".join(parts)
    if cited[0] == 0:  # a passage whose text does not name its subject opens with its title
        body = _named(first_hit, body)
    return body, cited


def compose(request: Request) -> tuple[str, list[int]]:
    """The answer text and the indexes of the hits it cites."""
    hits, asked = request.hits, asked_part(request.question)
    question = answerable_part(asked)
    if not hits or hits[0].verdict != "covered":
        return not_covered(request.persona), []
    if _LIST_OF_JOBS.search(question) and (roles := _roles(hits)):
        return roles
    if intents(question)[:1] == ["education"] and (degrees := _degrees(question, hits)):
        return degrees
    named = _named_items(question, hits[0])
    chosen = [(0, named)] if named else choose(question, hits, subject=request.subject,
                                                    closeness=request.closeness)
    if intents(question)[:1] == ["contact"]:  # "How can I reach you?": the public contact
        contacts = [(n, hit.text) for n, hit in enumerate(hits)
                    if answers_intent("contact", hit.title, hit.kind, hit.text)]
        chosen = contacts[:2] or chosen
    if not chosen:
        return not_covered(request.persona), []
    text, cited = _cited(chosen, hits[0], () if named else hits)
    if asks_current_pay(asked):
        text = f"{current_salary_private()} {text}"
    return re.sub(r"\s+", " ", text).strip(), cited
