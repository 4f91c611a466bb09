"""Interview practice for the owner: questions from a job posting and a curated bank per
interviewer, each answered by the twin, and a report of what it declined or answered weakly
and what to add to the profile.

The bank holds the questions each kind of interviewer asks in most first interviews, whatever
the profession; the posting adds one question per requirement, the must-haves first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .postings import Requirement, requirements

Persona = Literal["hr", "technical", "hiring-manager"]
PERSONAS: dict[str, tuple[str, ...]] = {
    "hr": ("Tell me about yourself.", "Why are you looking for a new role?",
           "What are you looking for in your next role?", "What are your salary expectations?",
           "When could you start?", "Where are you based, and would you relocate?",
           "What are your strengths?", "Why should we hire you?"),
    "technical": ("Which tools and methods are you strongest in?",
                  "Walk me through the most complex piece of work you have done.",
                  "Tell me about a problem you solved that others could not.",
                  "How do you keep your skills up to date?",
                  "Tell me about a mistake you made at work and what you learned.",
                  "What certifications or qualifications do you hold?"),
    "hiring-manager": ("Tell me about your current role.",
                       "Tell me about an achievement you are proud of.",
                       "Tell me about a time you led a team or a project.",
                       "Tell me about a time you handled a conflict.",
                       "How do you prioritise when everything is urgent?",
                       "What would you do in your first three months here?"),
}
WEAK = 0.5  # an answer whose best passage the ranker scores lower is weak
Outcome = Literal["answered", "weak", "declined"]


def questions(posting: str, persona: Persona, count: int) -> list[tuple[str, Requirement | None]]:
    """`count` questions: half from the posting (must-haves, then duties, then the rest), the
    others from the persona's bank."""
    wanted = sorted(requirements(posting),
                    key=lambda r: {"must": 0, "duty": 1, "nice": 2}[r.kind])
    from_posting = [(r.question, r) for r in wanted[:count // 2]]
    bank = [(q, None) for q in PERSONAS[persona][:count - len(from_posting)]]
    return from_posting + bank


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str
    outcome: Outcome
    sources: list[dict] = field(default_factory=list)
    requirement: str | None = None


@dataclass
class Interview:
    persona: str
    turns: list[Turn] = field(default_factory=list)

    def additions(self) -> list[str]:
        """What to add to the profile so that the next interview goes better."""
        found = []
        for turn in self.turns:
            if turn.outcome == "answered":
                continue
            if turn.requirement:
                found.append(f"Evidence for “{turn.requirement}”: where you did it, for how "
                             "long, and what came of it.")
            else:
                found.append(f"An answer to “{turn.question}”.")
        return found

    def public(self) -> dict[str, Any]:
        return {"persona": self.persona,
                "turns": [{"question": t.question, "answer": t.answer, "outcome": t.outcome,
                           "requirement": t.requirement, "sources": t.sources}
                          for t in self.turns],
                "declined": [t.question for t in self.turns if t.outcome == "declined"],
                "weak": [t.question for t in self.turns if t.outcome == "weak"],
                "additions": self.additions()}

    def markdown(self) -> str:
        lines = [f"# Interview practice ({self.persona})", ""]
        for n, turn in enumerate(self.turns, 1):
            mark = {"answered": "", "weak": " *(weak)*", "declined": " *(declined)*"}
            lines += [f"**{n}. {turn.question}**{mark[turn.outcome]}", "", turn.answer, ""]
        weak = [t.question for t in self.turns if t.outcome != "answered"]
        lines += ["## Declined or weak", ""] + ([f"- {q}" for q in weak] or ["- none"])
        lines += ["", "## Add to your profile", ""] + (
            [f"- {a}" for a in self.additions()] or ["- nothing: every question was answered"])
        return "\n".join(lines)


def practise(posting: str, persona: Persona, count: int,
             ask: Callable[[str], Any]) -> Interview:
    """The interview: each question asked of the twin (`ask` gives an `Answer`)."""
    interview = Interview(persona)
    for question, requirement in questions(posting, persona, count):
        answer = ask(question)
        outcome: Outcome = (
            "declined" if not answer.sources else
            "weak" if answer.hits and max(h.score for h in answer.hits) < WEAK else
            "answered")
        interview.turns.append(Turn(question, answer.answer, outcome, answer.sources,
                                    requirement.text if requirement else None))
    return interview
