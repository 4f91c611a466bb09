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


def retrieval_query(question: str, history: list[dict] | None) -> str:
    """The text to search for: the question, preceded by the previous user turn when it is a
    follow-up of it."""
    previous = [t.get("content", "") for t in history or [] if t.get("role") == "user"]
    if previous and previous[-1].strip() and is_follow_up(question):
        return f"{previous[-1]} {question}"
    return question
