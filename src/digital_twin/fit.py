"""Fit for a job: each requirement of a posting, the profile's evidence for it, and a verdict.

A requirement is asked as an interviewer would ask it ("Do you have …?"), through the same
retrieval as a visitor's question, so private content, which is never indexed, cannot appear.
The verdict comes from two small logistic models over how close the profile comes to the
requirement and to the whole posting, fitted on labelled pairs of postings and profiles
(`eval/job_fit.py --fit`, development postings only), and from the years it asks for against
the years the evidence states. There is no overall score: the summary counts verdicts by kind.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .postings import Kind, Requirement, requirements
from .profile.chunk import sentences
from .text import stem, stems, topic_terms

Verdict = Literal["meets", "partly", "not in profile"]
VERDICTS: tuple[Verdict, ...] = ("meets", "partly", "not in profile")
KINDS: tuple[Kind, ...] = ("must", "nice", "duty")

# The verdict model (`fit.json`, fitted by `eval/job_fit.py --fit` on the development pairs
# only): two logistic models over a requirement's signals, the chance it is at least partly
# met and the chance it is met.
MODEL = Path(__file__).with_name("fit.json")
# The signals the models weigh: few, as the labelled pairs are few (more fitted worse when one
# posting at a time was left out). The others are kept in each `Assessed.signals` to study.
# A requirement is judged against the whole posting too: how close the profile comes to all of
# its requirements on average (`posting_…`) and how much closer it comes to this one
# (`beyond_…`). A nurse's profile meets a nursing posting's plain duties; a chemist's meets few
# of them, however close one sentence comes. Left one development posting out at a time, this
# and asking each requirement as an interviewer would (`Requirement.question`, the form the
# retrieval's chance was fitted on) took the verdicts right from 0.55 to 0.64.
IN_CONTEXT = ("sentence_best", "chance")
FEATURES = ("sentence_best", "part_matched", "chance", "coverage",
            *(f"{side}_{name}" for side in ("posting", "beyond") for name in IN_CONTEXT))
EVIDENCE = 3  # passages quoted for a requirement at most
SEARCHED = 6  # passages whose sentences are weighed against a requirement
EVIDENCE_FLOOR = 0.2  # a passage the ranker scores lower is no evidence
EVIDENCE_CLOSENESS = 0.3  # nor is a sentence less close in meaning (cosine) to the requirement

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_NUMBERS = {**{w: n for n, w in enumerate(_UNITS, 1)},
            **{w: n for n, w in enumerate(("ten", "eleven", "twelve", "thirteen", "fourteen",
                                           "fifteen", "sixteen", "seventeen", "eighteen",
                                           "nineteen"), 10)},
            **dict(zip(("twenty", "thirty", "forty"), (20, 30, 40), strict=True))}
_TENS = r"(?:twenty|thirty|forty)[- ](?:" + "|".join(_UNITS) + r")"
_N = r"(\d{1,2}|" + _TENS + "|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\b"
_YEARS_ASKED = re.compile(_N + r"\+?\s*(?:(?:-|–|to)\s*" + _N + r"\s*)?\+?\s*(?:full\s+)?years?",
                          re.I)
_YEARS_STATED = re.compile(_N + r"\+?\s*(?:full\s+)?years?", re.I)
_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|—|to)\s*((?:19|20)\d\d|present|now|current|"
                   r"today|date)\b", re.I)


@dataclass(frozen=True)
class Evidence:
    """A sentence of the profile quoted for a requirement, and the passage it is from."""

    id: str
    title: str
    text: str
    source: str
    score: float  # how close in meaning the sentence is to the requirement

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "text": self.text, "source": self.source,
                "score": round(self.score, 4)}


_PART_SPLIT = re.compile(r"\s*(?:[,;:()/]|\band\b|\bor\b|\bincluding\b|\bsuch as\b"
                        r"|\bwith\b|\bplus\b)\s*", re.I)


def parts(requirement: str) -> list[str]:
    """The things a requirement names one by one ("Python (pandas, scikit-learn) and SQL":
    Python, pandas, scikit-learn, SQL), each with a topic word."""
    found = [p.strip() for p in _PART_SPLIT.split(requirement) if p and topic_terms(p)]
    return found or [requirement]


# A sentence that says what the owner wants, aims at or is learning shows no requirement met:
# a thesaurus's words for wanting and aiming ("My short-term goal: lead an ML platform team").
_WANTS = re.compile(r"(?i)\b((short|long|mid)[- ]term goals?|(my|career|learning) goals?|"
                    r"my aims?|aspir\w*|ambitions?|i (want|wish|hope|plan|intend|aim) to|"
                    r"i(?: would|'d) (like|love) to|looking for|next step|"
                    r"(what )?i(?: am|'m) learning)\b")


def quotes(requirement: str, hits: Sequence[Any],
           closeness: Callable[[list[str]], np.ndarray]) -> tuple[Evidence, ...]:
    """The evidence: from each passage, the sentence closest in meaning to the requirement, the
    closest first, as long as it is close enough (EVIDENCE_CLOSENESS) and says what the owner
    did or has, not what they want (`_WANTS`)."""
    found = []
    for hit in hits:
        told = [s for s in sentences(hit.text) if len(s) > 3] or [hit.text]
        if not (lines := [s for s in told if not _WANTS.search(s)]):
            continue
        vectors = closeness([requirement, *lines])
        near = vectors[1:] @ vectors[0]
        best = int(np.argmax(near))
        if near[best] >= EVIDENCE_CLOSENESS:
            found.append(Evidence(hit.id, hit.title, lines[best], hit.source, float(near[best])))
    unique: dict[str, Evidence] = {}  # one sentence quoted once, from wherever it stands
    for quote in sorted(found, key=lambda e: -e.score):
        unique.setdefault(" ".join(quote.text.lower().split()), quote)
    return tuple(list(unique.values())[:EVIDENCE])


def signals(requirement: Requirement, hits: Sequence[Any], chance: float,
            named: dict[str, float], closeness: Callable[[list[str]], np.ndarray]
            ) -> dict[str, float]:
    """What says how well the profile's best passages meet a requirement:
    - the retrieval's own signals (`retrieval.Retriever.weigh`) and its chance that the
      profile covers it;
    - the share of its topic words the passages hold;
    - how close in meaning each of its parts is to the closest sentence of the passages
      (the weakest part, the mean, the share of parts matched) and the requirement as a whole;
    - its kind, and the years it asks for against the years the passages state."""
    text = requirement.text
    terms = {stem(t) for t in topic_terms(text)}
    held = set().union(*(stems(f"{h.title} {h.text}") for h in hits)) if hits else set()
    found = {**named, "chance": chance,
             "held_terms": len(terms & held) / len(terms) if terms else 0.0,
             "similarity": max((h.similarity for h in hits), default=0.0),
             "hits": float(len(hits)),
             **{f"kind_{kind}": float(requirement.kind == kind) for kind in KINDS}}
    lines = list(dict.fromkeys(s for h in hits for s in sentences(h.text) if len(s) > 3))
    if lines:
        pieces = parts(text)
        vectors = closeness([text, *pieces, *lines])
        whole, split, said = vectors[0], vectors[1:1 + len(pieces)], vectors[1 + len(pieces):]
        best = (split @ said.T).max(axis=1)
        found.update(part_weakest=float(best.min()), part_strongest=float(best.max()),
                     part_mean=float(best.mean()),
                     part_matched=float((best >= 0.5).mean()),
                     sentence_best=float((said @ whole).max()))
    return found


@dataclass(frozen=True)
class Model:
    """Two logistic models over named signals: at least partly met, and met."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    partly: tuple[np.ndarray, float]  # weights and bias
    meets: tuple[np.ndarray, float]

    @classmethod
    def load(cls, path: Path = MODEL) -> Model:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(raw["names"]), np.asarray(raw["mean"]), np.asarray(raw["scale"]),
                   (np.asarray(raw["partly"]["weights"]), raw["partly"]["bias"]),
                   (np.asarray(raw["meets"]["weights"]), raw["meets"]["bias"]))

    def chances(self, values: dict[str, float]) -> tuple[float, float]:
        x = (np.asarray([values.get(n, 0.0) for n in self.names]) - self.mean) / self.scale
        return tuple(float(1 / (1 + np.exp(-(x @ w + b)))) for w, b in (self.partly, self.meets))


@functools.cache
def model() -> Model:
    return Model.load()


@dataclass(frozen=True)
class Assessed:
    requirement: Requirement
    verdict: Verdict
    evidence: tuple[Evidence, ...] = ()
    chances: tuple[float, float] = (0.0, 0.0)  # at least partly met, and met
    signals: dict[str, float] = field(default_factory=dict)  # what the chances came from
    years: tuple[int, int | None] | None = None  # asked, and the most the evidence states

    @property
    def shown(self) -> tuple[Evidence, ...]:
        """The evidence cited: none for a requirement the profile does not meet."""
        return self.evidence if self.verdict != "not in profile" else ()

    def public(self) -> dict[str, Any]:
        return {"requirement": self.requirement.text, "kind": self.requirement.kind,
                "section": self.requirement.section, "verdict": self.verdict,
                "chance": {"partly": round(self.chances[0], 3),
                           "meets": round(self.chances[1], 3)},
                **({"years": {"asked": self.years[0], "stated": self.years[1]}}
                   if self.years else {}),
                "evidence": [e.public() for e in self.shown]}


@dataclass
class Fit:
    """A posting's requirements, each with its verdict and evidence."""

    items: list[Assessed] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        return {kind: {v: sum(a.requirement.kind == kind and a.verdict == v for a in self.items)
                       for v in VERDICTS} for kind in KINDS}

    def summary(self) -> str:
        """One line: the must-haves met, partly met and not found (never one opaque score)."""
        c = self.counts()
        musts = sum(c["must"].values())
        line = (f"{c['must']['meets']} of {musts} must-haves met, {c['must']['partly']} partly, "
                f"{c['must']['not in profile']} not in the profile")
        if nice := sum(c["nice"].values()):
            line += f"; {c['nice']['meets'] + c['nice']['partly']} of {nice} nice-to-haves shown"
        if duty := sum(c["duty"].values()):
            line += f"; {c['duty']['meets'] + c['duty']['partly']} of {duty} duties done before"
        return line + "."

    def public(self) -> dict[str, Any]:
        return {"summary": self.summary(), "counts": self.counts(),
                "requirements": [a.public() for a in self.items]}

    def markdown(self) -> str:
        """The fit as a Markdown table: each quote with the passage and file it is from."""
        rows = ["| Requirement | Kind | Verdict | Evidence |", "|---|---|---|---|"]
        for a in self.items:
            cited = "<br>".join(f"“{_cell(e.text, 160)}” ({_cell(e.title)}, {_cell(e.source)})"
                                for e in a.shown) or "–"
            rows.append(f"| {_cell(a.requirement.text)} | {a.requirement.kind} | {a.verdict} "
                        f"| {cited} |")
        return "\n".join([f"**{self.summary()}**", "", *rows])


def _cell(text: str, limit: int = 0) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if not limit or len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _number(word: str) -> int:
    """A number in digits or in words ("11", "eleven", "twenty-five")."""
    if word.isdigit():
        return int(word)
    tens, _, unit = word.lower().replace(" ", "-").partition("-")
    return _NUMBERS[tens] + (_NUMBERS[unit] if unit else 0)


def years_asked(text: str) -> int | None:
    """The least number of years a requirement asks for ("5+ years", "three to six years")."""
    found = _YEARS_ASKED.search(text)
    return _number(found.group(1)) if found else None


def years_stated(texts: Sequence[str], this_year: int) -> int | None:
    """The most years of experience the passages state: a number of years ("eleven years"),
    or the years their spans cover together (2013 – 2019 and 2019 – present: all of them)."""
    most: int | None = None
    spans: list[tuple[int, int]] = []
    for text in texts:
        for found in _YEARS_STATED.finditer(text):
            most = max(most or 0, _number(found.group(1)))
        for start, end in _SPAN.findall(text):
            spans.append((int(start), int(end) if end.isdigit() else this_year))
    covered, reach = 0, None
    for start, end in sorted(spans):
        if reach is None or start > reach:
            covered += max(0, end - start)
            reach = end
        elif end > reach:
            covered += end - reach
            reach = end
    if spans:
        most = max(most or 0, covered)
    return most


def assess(posting: str, weigh: Callable[[str], tuple[list[Any], float, dict[str, float]]],
           closeness: Callable[[list[str]], np.ndarray], this_year: int,
           verdict_model: Model | None = None) -> Fit:
    """Each requirement of `posting` against the profile: `weigh` is the retrieval (hits, the
    chance the profile covers a question, and its signals by name), `closeness` the embedding
    of texts (unit vectors)."""
    judge_by = verdict_model or model()
    fit = Fit()
    weighed = []
    for requirement in requirements(posting):
        hits, chance, named = weigh(requirement.question)
        hits = [h for h in hits if h.score >= EVIDENCE_FLOOR]
        weighed.append((requirement, signals(requirement, hits, chance, named, closeness),
                        quotes(requirement.text, hits, closeness)))
    whole = {name: float(np.mean([found.get(name, 0.0) for _, found, _ in weighed]))
             for name in IN_CONTEXT} if weighed else {}
    for requirement, found, evidence in weighed:
        for name, mean in whole.items():
            found.update({f"posting_{name}": mean, f"beyond_{name}": found.get(name, 0.0) - mean})
        chances = judge_by.chances(found) if evidence else (0.0, 0.0)
        asked = years_asked(requirement.text)
        years = (asked, years_stated([e.text for e in evidence], this_year)) \
            if asked is not None and evidence else None
        fit.items.append(Assessed(requirement, judge(chances, years), evidence,
                                  chances=chances, signals=found, years=years))
    return fit


def judge(chances: tuple[float, float], years: tuple[int, int | None] | None) -> Verdict:
    """Meets, partly or not in the profile: by the model's two chances, and the years asked
    against the years the evidence states (fewer stated: partly at best)."""
    partly, meets = chances
    if partly < 0.5:
        return "not in profile"
    if meets < 0.5 or (years and years[1] is not None and years[1] < years[0]):
        return "partly"
    return "meets"
