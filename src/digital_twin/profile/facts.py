"""What in a profile is not a fact about its owner: notes to the twin's author, answer
templates, practice questions, placeholders and metadata. Decided by structure (key names,
shapes) and content (placeholders, instructions), never by which profile it is."""

from __future__ import annotations

import re
from typing import Any

from .chunk import sentences
from .fields import field, is_meta, is_placeholder, norm

STAR = ("situation", "task", "action", "result")
# Keys holding text meant for the twin's author, not facts about the owner.
_NOT_FACTS = re.compile(r"template|examplequestion|outofscope|instruction|guideline|prompt|"
                        r"practice")
# Keys holding roles the owner wants, or job postings kept for reference.
WANTED_ROLE = re.compile(r"^(?!not|non|avoid|unwanted).*(target(role|job|position|compan)|"
                         r"desired(role|job)|dreamjob|jobposting|"
                         r"jobad|openings?|vacanc)")
# A note to self in free text, by how such notes open in English ("Remember to…", "Make sure
# you…") and the TODO marker writers leave; not a fact that happens to open with a verb ("Use of
# Terraform cut setup time by 40%").
_COACHING = re.compile(r"^\(?(remember (to|that)|make sure|be sure to|don't forget|"
                       r"do not forget|mention that|emphasi[sz]e (that|how)|todo\b)", re.I)


# Text that says it was copied from a job advertisement ("Copied from the … advert: …",
# "Requirements (copied from the … ad): …"): someone else's words, never the owner's. The words
# are a thesaurus's for copying and for a job advertisement (ad, advert, posting, listing,
# vacancy, opening, job description, job spec).
_COPIED = re.compile(r"(?i)\b(copied|pasted|taken|quoted|lifted) (straight |verbatim )?from\b"
                     r"[^.:;]{0,60}?\b(ads?|adverts?|advertisements?|postings?|job posts?|"
                     r"job descriptions?|job specs?|listings?|vacanc(y|ies)|openings?)\b")


def note_to_self(line: str) -> bool:
    """A line of a wrapped paragraph that is a note to the author ("TODO: check the
    certificate's name"), not the rest of the sentence above it: it opens like one, with a
    capital."""
    return bool(_COACHING.match(line)) and line.lstrip("(")[:1].isupper()


def owner_sentences(text: str) -> str:
    """Text less the sentences that are templates or notes to the twin's author; nothing of a
    text copied from a job advertisement."""
    if _COPIED.search(text):
        return ""
    kept = [s for s in sentences(text) if not is_placeholder(s) and not _COACHING.match(s)]
    return " ".join(kept)


def is_star(value: Any) -> bool:
    return isinstance(value, dict) and sum(field(value, m) is not None for m in STAR) >= 2


def practice_questions(key: str, value: Any) -> bool:
    """A bare list of questions, such as `common_questions.behavioral: ["Tell me about…"]`."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return False
    return "question" in key.lower() or all(v.strip().endswith("?") for v in value)


def not_facts(key: Any) -> bool:
    return bool(_NOT_FACTS.search(norm(key))) or is_meta(key)
