"""A profile checked before it is shared: what recruiters always ask and it does not say, the
generic questions the twin would decline, stories without a result, empty sections, and values
private by default that it publishes.

The profile is indexed into a scratch index first, so the checks see exactly what the twin would
answer from; the owner's own index is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .profile import load_profile
from .profile.documents import parse_sections
from .profile.facts import STAR, is_star
from .profile.fields import field as field_of
from .profile.fields import is_empty
from .relevance import answers_intent, intents

# What a recruiter always wants to know, each as they would ask it.
RECRUITERS_ASK = {
    "location": "Where are you based?",
    "work authorization": "Do you have the right to work here, or do you need sponsorship?",
    "availability or notice": "When could you start, and what is your notice period?",
    "salary expectations": "What are your salary expectations?",
    "contact": "How can I contact you?",
}
# The questions every first conversation has, whatever the profession (the openers of a
# screening call and of an interview).
GENERIC = ("What's your background?", "Tell me about yourself", "What is your experience?",
           "Tell me about your last job", "Give me a quick summary of your career",
           "What do you do?", "What are your strengths?", "Why should we hire you?",
           "What are you looking for next?", "What is your current role?",
           "What are your key skills?")


@dataclass
class ProfileCheck:
    lacking: list[str] = field(default_factory=list)  # what recruiters ask that it does not say
    declined: list[str] = field(default_factory=list)  # generic questions it would decline
    stories_without_result: list[str] = field(default_factory=list)
    empty_sections: list[str] = field(default_factory=list)
    published_private: list[str] = field(default_factory=list)  # private by default, shown
    kept_private: list[str] = field(default_factory=list)  # for the owner's information

    @property
    def findings(self) -> int:
        return (len(self.lacking) + len(self.declined) + len(self.stories_without_result)
                + len(self.empty_sections) + len(self.published_private))

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "findings": self.findings}


def _says(question: str, hits: list) -> bool:
    """Whether one of the passages found is of a kind the question asks for."""
    return any(answers_intent(intent, hit.title, hit.kind, hit.text, whole=True)
               for intent in intents(question) for hit in hits)


def _stories(value: Any, where: str) -> Iterable[str]:
    """STAR stories (two or more of situation, task, action, result) that give no result."""
    if isinstance(value, dict):
        if is_star(value) and is_empty(field_of(value, STAR[-1])):
            yield where
        for key, item in value.items():
            yield from _stories(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _stories(item, f"{where}.{n}")


def _empty_sections(path: Path) -> list[str]:
    """A JSON profile's sections (and their fields) left empty, a Markdown résumé's top
    headings with nothing under them."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, dict):
            return []
        empty = []
        for name, value in data.items():
            if name.startswith("$") or name in ("privacy", "meta"):
                continue
            if is_empty(value):
                empty.append(name)
            elif isinstance(value, dict):
                empty += [f"{name}.{key}" for key, item in value.items() if is_empty(item)]
        return empty
    if path.suffix.lower() not in (".md", ".markdown"):
        return []
    parsed = parse_sections(path.read_text(encoding="utf-8", errors="replace"))
    return [" › ".join(s.trail) for n, s in enumerate(parsed)
            if s.trail and s.level <= 2 and not s.blocks
            and not (n + 1 < len(parsed) and parsed[n + 1].level > s.level)]


def check(paths: list[Path], search: Callable[[str], list], private_fields: list[str],
          kept: dict[str, list[str]]) -> ProfileCheck:
    """The checks, given the scratch twin's `search` (the passages it would answer a question
    from; none when the profile does not cover it) and what its ingest kept private. What
    recruiters always ask is lacking unless a passage found is of the kind asked for (a
    salary expectation, not the About me a salary question may reach)."""
    result = ProfileCheck()
    result.lacking = [what for what, question in RECRUITERS_ASK.items()
                      if not _says(question, search(question))]
    result.declined = [q for q in GENERIC if not search(q)]
    for path in paths:
        profile = load_profile(path, private_fields)
        result.stories_without_result += [f"{path.name}: {where}"
                                          for where in _stories(profile.sections, "")]
        result.empty_sections += [f"{path.name}: {name}"
                                  for name in _empty_sections(path)]
        result.published_private += [f"{path.name}: {value}" for value in profile.opened]
    result.kept_private = [f"{name}: {', '.join(items)}" for name, items in kept.items()]
    return result
