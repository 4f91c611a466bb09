"""What the owner reads about their twin: usage and cost, the dashboard's data, the questions
the profile did not cover, and the visitors who left their details. Read from the logs; the
service exposes it as `Twin.reports`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .leads import Leads
from .observability import usage as figures
from .stores import FeedbackLog, UsageLog, UsageRecord


class OwnerReports:
    def __init__(self, usage: UsageLog, feedback: FeedbackLog, leads: Leads, *,
                 flush: Callable[[], None], experiment: Callable[[], Any],
                 questions_kept: bool):
        """`flush` writes the usage rows still queued; `experiment` describes the running
        experiment's variants."""
        self._usage, self._feedback, self._leads = usage, feedback, leads
        self._flush, self._experiment = flush, experiment
        self._questions_kept = questions_kept

    def _logged(self, start: float) -> list[UsageRecord]:
        """Every usage row since `start` (epoch seconds), once the queued ones are written."""
        self._flush()
        return self._usage.usage(10**9, start)

    def usage(self, since: float) -> dict[str, Any]:
        """`twin usage`: the answers of the last `since` seconds, totals and per model."""
        start = time.time() - since
        return figures.report(self._logged(start), self._feedback.feedback(10**9, start))

    def dashboard(self, since: float) -> dict[str, Any]:
        """The owner's dashboard: figures, their timeline, experiment variants, the newest
        answers with their feedback, the gaps and the leads of the last `since` seconds."""
        now = time.time()
        rows = self._logged(now - since)
        feedback = self._feedback.feedback(10**9, now - since)
        leads = self._leads.listed(now - since)
        return {"since_seconds": since, "totals": figures.report(rows, feedback),
                "timeline": figures.timeline(rows, since, now),
                "recent": figures.recent(rows, feedback), "gaps": figures.gaps(rows)[:20],
                "questions_kept": self._questions_kept,
                "leads": leads[:50], "leads_total": len(leads),
                "experiment": self._experiment()}

    def gaps(self, since: float) -> list[dict[str, Any]]:
        """`twin gaps`: what visitors asked that the profile did not cover, most asked first."""
        return figures.gaps(self._logged(time.time() - since))

    def leads(self, since: float) -> list[dict[str, Any]]:
        """`twin leads`: who left their details, newest first."""
        return self._leads.listed(time.time() - since)
