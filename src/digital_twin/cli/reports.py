"""The owner's reports from the usage log: `twin usage` and `twin gaps`."""

from __future__ import annotations

import json
import re
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import TwinError
from .base import DbOption, JsonOption, app, friendly, open_twin, out

_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$")
_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
SinceOption = Annotated[str, typer.Option("--since", help="How far back: 30m, 24h, 7d, 2w")]


def seconds(period: str) -> float:
    found = _PERIOD.match(period)
    if not found:
        raise TwinError(f"--since '{period}' is not a period.", hint="Use 30m, 24h, 7d or 2w.")
    return float(found.group(1)) * _SECONDS[found.group(2)]


@app.command()
@friendly
def usage(since: SinceOption = "7d", db: DbOption = None, json_out: JsonOption = False) -> None:
    """Requests, tokens, cost, latency, cache hits, fallbacks, errors, declines and feedback,
    in total, per model and per experiment variant."""
    data = open_twin(db).reports.usage(seconds(since))
    if json_out:
        print(json.dumps(data))
        return
    metrics = ("requests", "prompt_tokens", "completion_tokens", "cost_usd", "latency_p50_ms",
               "latency_p95_ms", "ttft_p50_ms", "ttft_p95_ms", "cache_hit_rate",
               "fallback_rate", "error_rate", "declines", "abandoned")
    out.print(_side_by_side(f"Usage, last {since}", [*data["models"].items(), ("all", data)],
                            metrics))
    out.print(f"Feedback: {data['feedback']['up']} 👍  {data['feedback']['down']} 👎")
    if data["variants"]:
        out.print(_side_by_side(
            "Experiment variants (95% intervals)", list(data["variants"].items()),
            ("requests", "latency_p50_ms", "latency_p95_ms", "latency_mean_ci95",
             "tokens_per_answer", "cost_per_answer_usd", "declines", "decline_rate_ci95",
             "rated", "thumbs_up_rate", "thumbs_up_ci95")))


def _side_by_side(title: str, groups: list[tuple[str, dict]], metrics: tuple[str, ...]) -> Table:
    """A row per figure, groups side by side: several groups fit a narrow terminal."""
    table = Table("", title=title)
    for name, _ in groups:
        table.add_column(escape(name), no_wrap=True, justify="right")
    for metric in metrics:
        table.add_row(metric.replace("_", " "), *(_shown(row[metric]) for _, row in groups))
    return table


def _shown(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return "–".join(str(v) for v in value)
    return str(value)


@app.command()
@friendly
def gaps(since: SinceOption = "30d", db: DbOption = None, json_out: JsonOption = False) -> None:
    """What visitors asked that the profile does not cover, most asked first: what to add."""
    twin = open_twin(db)
    found = twin.reports.gaps(seconds(since))
    if json_out:
        print(json.dumps(found, ensure_ascii=False))
        return
    if not found and not twin.settings.log_questions:
        out.print("Questions are not kept (TWIN_LOG_QUESTIONS=false): there are none to list.")
    elif not found:
        out.print(f"No unanswered questions in the last {since}.")
    for gap in found:
        out.print(f"{gap['count']:>4} × {escape(gap['question'])}", highlight=False)


@app.command()
@friendly
def leads(since: SinceOption = "30d", db: DbOption = None, json_out: JsonOption = False) -> None:
    """Visitors who left their details for you, newest first, with what they asked."""
    found = open_twin(db).reports.leads(seconds(since))
    if json_out:
        print(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        out.print(f"No one left their details in the last {since}.")
    for lead in found:
        company = f", {lead['company']}" if lead["company"] else ""
        out.print(f"[bold]{escape(lead['name'])}[/]{escape(company)} <{escape(lead['email'])}>"
                  f"\n  {escape(lead['message'])}", highlight=False)
        if lead["questions"]:
            out.print(f"  [dim]asked: {escape('; '.join(lead['questions']))}[/]",
                      highlight=False)
