"""`twin eval`: ask a profile the questions of a case file and score retrieval and answers.

A case is one JSON object a line: `profile` (a path, relative to the case file or to its
`profiles/` folder), `question`, and what a good answer holds (`expect_any`, `expect_all`),
must not hold (`expect_none`), or `expect_decline` when the profile does not cover it. A case
with only `expect_none` (a private value asked for, an attack) passes when nothing leaks.
`history` lists the questions asked before it in the same conversation (a follow-up), and
`kind` groups cases in the report. Every match is a case-insensitive substring match. Each
profile is ingested into a temporary index.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Settings
from .conversation import retrieval_query
from .errors import TwinError
from .prompting import REFUSED

DECLINE_MARK = "doesn't cover"


@dataclass
class Case:
    profile: Path
    question: str
    expect_any: list[str] = field(default_factory=list)
    expect_all: list[str] = field(default_factory=list)
    expect_none: list[str] = field(default_factory=list)
    expect_decline: bool = False
    history: list[str] = field(default_factory=list)
    kind: str = ""

    @property
    def answerable(self) -> bool:
        """A case whose answer must hold something (not a decline, not only a leak check)."""
        return not self.expect_decline and bool(self.expect_any or self.expect_all)


@dataclass
class Outcome:
    case: Case
    answer: str
    sources: int
    latency_ms: float
    retrieved: bool | None  # None for decline cases
    passed: bool
    declined: bool
    leaked: bool


def load_cases(path: Path) -> list[Case]:
    """Read a case file; a profile path is looked up beside it, then in its `profiles/`."""
    path = Path(path)
    if not path.is_file():
        raise TwinError(f"The case file {path} does not exist.", hint="Check the path.")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            profile = _profile_path(path.parent, raw["profile"])
            cases.append(Case(profile, raw["question"], list(raw.get("expect_any") or []),
                              list(raw.get("expect_all") or []),
                              list(raw.get("expect_none") or []),
                              bool(raw.get("expect_decline")),
                              [str(q) for q in raw.get("history") or []],
                              str(raw.get("kind") or "")))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise TwinError(f"{path}, line {number}: not a valid case ({exc}).",
                            hint="Each line needs at least `profile` and `question`.") from exc
    return cases


def _profile_path(base: Path, name: str) -> Path:
    for candidate in (base / name, base / "profiles" / name):
        if candidate.is_file() or candidate.is_dir():  # a folder: a LinkedIn export
            return candidate
    raise TwinError(f"The profile {name} named in the cases was not found under {base}.")


def _has(text: str, needle: str) -> bool:
    return needle.lower() in text.lower()


def score(case: Case, answer: str, sources: int, passages: list[str]) -> tuple[bool | None, bool,
                                                                              bool, bool]:
    """(retrieved, passed, declined, leaked) for one answered case."""
    declined = _has(answer, DECLINE_MARK)
    leaked = any(_has(answer, s) for s in case.expect_none)
    if case.expect_decline:
        # a refusal of a private kind is a decline too, where one is expected ("What is her ID
        # number?" of a profile with no public alternative)
        declined = declined or _has(answer, REFUSED)
        return None, declined and sources == 0 and not leaked, declined, leaked
    if not case.answerable:
        return None, not leaked, declined, leaked
    context = "\n".join(passages)
    retrieved = any(_has(context, s) for s in case.expect_any)
    passed = (not declined and not leaked and any(_has(answer, s) for s in case.expect_any)
              and all(_has(answer, s) for s in case.expect_all))
    return retrieved, passed, declined, leaked


def _twins(cases: list[Case], settings: Settings):
    """(twin, cases) for each profile, each in a temporary index that is removed after."""
    from .embeddings import load_embedder
    from .service import Twin

    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    by_profile: dict[Path, list[Case]] = defaultdict(list)
    for case in cases:
        by_profile[case.profile].append(case)
    with tempfile.TemporaryDirectory(prefix="twin-eval-") as tmp:
        for number, (profile, group) in enumerate(by_profile.items()):
            db = Path(tmp) / f"eval{number}.db"
            # every question answered afresh: a cached answer would hide the real latency; a
            # temporary SQLite index even when the twin's own index is in PostgreSQL or Upstash
            twin = Twin(settings.model_copy(update={"db": db, "database_url": None,
                                                    "upstash_url": None, "cache": "off"}),
                        embedder=embedder)
            try:
                twin.ingest([profile], reset=True)
                yield twin, group
            finally:
                twin.close()


def run(cases: list[Case], settings: Settings, *, k: int = 5,
        progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Ask every case, one temporary index per profile."""
    outcomes: list[Outcome] = []
    for twin, group in _twins(cases, settings):
        for case in group:
            session, turns = None, []
            for earlier in case.history:
                said = twin.ask(earlier, session)
                session = said.session_id
                turns += [{"role": "user", "content": earlier},
                          {"role": "assistant", "content": said.answer}]
            passages = [hit.text for hit in twin.search(retrieval_query(case.question, turns), k)]
            reply = twin.ask(case.question, session)
            retrieved, passed, declined, leaked = score(
                case, reply.answer, len(reply.sources), passages)
            outcomes.append(Outcome(case, reply.answer, len(reply.sources), reply.latency_ms,
                                    retrieved, passed, declined, leaked))
            if progress:
                progress(len(outcomes), len(cases))
    return outcomes


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    answerable = [o for o in outcomes if o.case.answerable]
    uncovered = [o for o in outcomes if o.case.expect_decline]
    latencies = [o.latency_ms for o in outcomes]
    return {
        "cases": len(outcomes),
        "answerable": len(answerable),
        "uncovered": len(uncovered),
        "recall_at_k": _rate(sum(bool(o.retrieved) for o in answerable), len(answerable)),
        "pass_rate": _rate(sum(o.passed for o in answerable), len(answerable)),
        "false_decline_rate": _rate(sum(o.declined for o in answerable), len(answerable)),
        "decline_rate": _rate(sum(o.passed for o in uncovered), len(uncovered)),
        "leaks": sum(o.leaked for o in outcomes),
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
    }


def report(outcomes: list[Outcome], *, k: int = 5, details: bool = False) -> dict[str, Any]:
    """Overall and per-profile figures; with `details`, every case that failed."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.case.profile.name].append(outcome)
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.case.kind:
            kinds[outcome.case.kind].append(outcome)
    data: dict[str, Any] = {"k": k, "overall": figures(outcomes),
                            "profiles": {name: figures(group) for name, group in groups.items()}}
    if kinds:
        data["kinds"] = {kind: {"cases": len(group),
                                "passed": _rate(sum(o.passed for o in group), len(group))}
                         for kind, group in sorted(kinds.items())}
    if details:
        data["failures"] = [
            {"profile": o.case.profile.name, "question": o.case.question, "answer": o.answer,
             "retrieved": o.retrieved, "declined": o.declined, "leaked": o.leaked}
            for o in outcomes if not o.passed or o.retrieved is False]
    return data


THRESHOLDS = {  # option name: (figure, True when the figure must be at least the limit)
    "min_recall": ("recall_at_k", True),
    "min_pass": ("pass_rate", True),
    "max_false_decline": ("false_decline_rate", False),
    "min_decline": ("decline_rate", True),
    "max_leaks": ("leaks", False),
}


def missed(overall: dict[str, Any], limits: dict[str, float | None]) -> list[str]:
    """Each threshold given and not met, as a sentence."""
    problems = []
    for option, limit in limits.items():
        if limit is None:
            continue
        name, at_least = THRESHOLDS[option]
        value = overall.get(name)
        if value is None:
            continue
        if (value < limit) if at_least else (value > limit):
            sign = "≥" if at_least else "≤"
            problems.append(f"{name} is {value}, expected {sign} {limit}")
    return problems


def evaluate(cases: Path, settings: Settings, *, k: int = 5, details: bool = False,
             limits: dict[str, float | None] | None = None,
             progress: Callable[[int, int], None] | None = None
             ) -> tuple[dict[str, Any], list[str]]:
    """`twin eval`: every case's profile in a temporary index, every question asked; the
    figures per profile and overall, and the limits they missed."""
    outcomes = run(load_cases(cases), settings, k=k, progress=progress)
    data = report(outcomes, k=k, details=details)
    return data, missed(data["overall"], limits or {})
