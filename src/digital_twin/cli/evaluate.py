"""`twin eval`: score retrieval and answers on a case file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .base import JsonOption, app, err, friendly, load_settings, out, progress_bar


@app.command("eval")
@friendly
def eval_cases(
    cases: Annotated[Path, typer.Argument(help="JSONL cases: profile, question, expect_any, expect_all, expect_none, "
                     "expect_decline")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="Passages for recall@k")] = 5,
    provider: Annotated[str | None, typer.Option(
        "--provider", help="groq, openai or extractive [default: as configured]")] = None,
    min_recall: Annotated[float | None, typer.Option(help="Fail below this recall@k")] = None,
    min_pass: Annotated[float | None, typer.Option(help="Fail below this pass rate")] = None,
    max_false_decline: Annotated[float | None, typer.Option(
        help="Fail above this false-decline rate")] = None,
    min_decline: Annotated[float | None, typer.Option(
        help="Fail below this share of uncovered questions declined")] = None,
    max_leaks: Annotated[int | None, typer.Option(help="Fail above this many leaks")] = None,
    details: Annotated[bool, typer.Option("--details", help="List every failed case.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Score retrieval and answers on a case file, each profile in a temporary index."""
    from rich.table import Table

    from ..evaluation import evaluate

    config = load_settings()
    if provider:
        config = config.model_copy(update={"provider": provider})
    with progress_bar("Asking", json_out) as bar:
        task = bar.add_task("ask", total=None)
        data, problems = evaluate(
            cases, config, k=k, details=details,
            limits={"min_recall": min_recall, "min_pass": min_pass,
                    "max_false_decline": max_false_decline, "min_decline": min_decline,
                    "max_leaks": max_leaks},
            progress=lambda done, total: bar.update(task, completed=done, total=total))
    if json_out:
        print(json.dumps(data, ensure_ascii=False))
    else:
        columns = ("cases", f"recall@{k}", "pass", "false declines", "declined", "leaks",
                   "p50 ms", "p95 ms")
        table = Table(*("profile", *columns), title=f"twin eval {cases.name}")
        for name, row in [*data["profiles"].items(), ("overall", data["overall"])]:
            table.add_row(name, *(str(row[key]) for key in (
                "cases", "recall_at_k", "pass_rate", "false_decline_rate", "decline_rate",
                "leaks", "latency_p50_ms", "latency_p95_ms")))
        out.print(table)
        for failure in data.get("failures", []):
            out.print(f"[red]✗[/] {failure['profile']}: {escape(failure['question'])}\n"
                      f"    {escape(failure['answer'][:300])}", highlight=False)
    for problem in problems:
        err.print(f"[bold red]Missed:[/] {problem}", highlight=False)
    if problems:
        raise typer.Exit(1)
