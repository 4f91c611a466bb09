"""Follow-up resolution: which question to search for, given the conversation so far.

"What was the result?" or "Which tools did you use there?" only make sense against the previous
question, so they are searched together with it. A new question that names its own subject
("What's the best recipe for lasagna?") is searched alone, even right after another one.
"""

from __future__ import annotations

import re

from .text import topic_terms

# Words that point back at something said before.
_BACK_REFERENCE = re.compile(
    r"\b(that|this|it|its|there|they|them|those|these|he|she|the same|what else|anything else|"
    r"more|elaborate|expand|go on|why|how so|the result|the outcome|the impact)\b", re.I)
# A question made only of these words has no subject of its own.
_BARE = re.compile(r"^\s*(and|so|ok(ay)?|then|but)?\s*(how|what|why|when|where|which|who)?\b",
                   re.I)


def is_follow_up(question: str) -> bool:
    """True when the question points back ("what was the result there?") or has no topic."""
    topic = topic_terms(question)
    if not topic:
        return True
    return bool(_BACK_REFERENCE.search(question)) and len(topic) <= 2


SUBJECT_WORDS = 60  # of the last answer, enough to name its job or project and its setting
_CITATION = re.compile(r"\[\d{1,2}\]")


def retrieval_query(question: str, history: list[dict] | None) -> str:
    """The text to search for: the question, or for a follow-up the conversation's subject
    (the previous question and the opening of the answer it got, which names the job or
    project) followed by the question."""
    turns = [t for t in history or [] if t.get("content", "").strip()]
    asked = [t["content"] for t in turns if t.get("role") == "user"]
    if not asked or not is_follow_up(question):
        return question
    answer = next((t["content"] for t in reversed(turns) if t.get("role") == "assistant"), "")
    said = " ".join(_CITATION.sub(" ", answer).split()[:SUBJECT_WORDS])
    return " ".join(part for part in (asked[-1], said, question) if part)
