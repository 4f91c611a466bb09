"""`twin fit`: a job posting in, each requirement's verdict with cited evidence out."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import ProfileError
from .base import DbOption, app, friendly, open_twin, out, warm

COLOURS = {"meets": "green", "partly": "yellow", "not in profile": "red"}


class FitFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


def _posting(job: str) -> str:
    if job == "-":
        return sys.stdin.read()
    path = Path(job)
    if not path.is_file():
        raise ProfileError(path, "does not exist" if not path.exists() else "is not a file",
                           hint="Name the posting's text or Markdown file, or pass - and paste "
                                "it on standard input.")
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ProfileError(path, f"cannot be read ({exc.strerror})") from None


@app.command()
@friendly
def fit(
    job: Annotated[str, typer.Argument(
        help="The job posting: a text or Markdown file, or - to read it from standard input")],
    format: Annotated[FitFormat, typer.Option(
        "--format", help="table: for the terminal; markdown: to paste; json: for programs")
    ] = FitFormat.table,
    db: DbOption = None,
) -> None:
    """Judge the profile against a job posting, requirement by requirement: meets, partly or
    not in the profile, each with the passages that show it. Private values never appear."""
    twin = open_twin(db)
    warm(twin)
    result = twin.fit(_posting(job))
    if format is FitFormat.json:
        print(json.dumps(result.public(), ensure_ascii=False))
        return
    if format is FitFormat.markdown:
        print(result.markdown())
        return
    table = Table("Requirement", "Kind", "Verdict", "Evidence", show_lines=True,
                  title=result.summary())
    for item in result.items:
        evidence = "\n".join(f"“{escape(e.text[:160])}{'…' if len(e.text) > 160 else ''}” "
                             f"[dim]({escape(e.title)}, {escape(e.source)})[/]"
                             for e in item.shown) or "–"
        colour = COLOURS[item.verdict]
        table.add_row(escape(item.requirement.text), item.requirement.kind,
                      f"[{colour}]{item.verdict}[/]", evidence)
    out.print(table)
