"""The commands that take a job posting: `twin fit` (each requirement's verdict with quoted
evidence) and `twin interview` (practice with the twin answering)."""

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
from ..service import decoded
from .base import DbOption, app, friendly, open_twin, out, warm

JobArgument = Annotated[str, typer.Argument(
    help="The job posting: a text or Markdown file, or - to read it from standard input")]
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
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(path, f"cannot be read ({exc.strerror})") from None
    return posting_text(path, raw)


def posting_text(path: Path, raw: bytes) -> str:
    """A posting file's text, however its editor saved it; a PDF, a Word file or other binary
    is named as such."""
    binary = raw.startswith((b"%PDF", b"PK\x03\x04")) or (
        b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")))
    text = None if binary else decoded(raw)
    if text is None:
        raise ProfileError(path, "is not a text file (a PDF, a Word document or other binary)",
                           hint="Save the posting as plain text or Markdown, or copy its text "
                                "and pass - to paste it.")
    if not text.strip():
        raise ProfileError(path, "is empty", hint="Paste the posting into it, then run again.")
    return text


@app.command()
@friendly
def fit(
    job: JobArgument,
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


class Interviewer(StrEnum):
    hr = "hr"
    technical = "technical"
    hiring_manager = "hiring-manager"


class ReportFormat(StrEnum):
    markdown = "markdown"
    json = "json"


@app.command()
@friendly
def interview(
    job: JobArgument,
    persona: Annotated[Interviewer, typer.Option(
        "--persona", help="Who interviews: hr (screening), technical, or hiring-manager")
    ] = Interviewer.hr,
    questions: Annotated[int, typer.Option(
        "--questions", min=1, max=30, help="How many questions: half from the posting, the "
                                           "rest from the interviewer's usual ones")] = 8,
    format: Annotated[ReportFormat, typer.Option("--format", help="markdown or json")
                      ] = ReportFormat.markdown,
    db: DbOption = None,
) -> None:
    """Practise an interview for a job: the twin answers each question as it would a visitor,
    then the report lists what it declined or answered weakly and what to add to the profile.
    The questions are asked like any visitor's, so they appear in `twin usage` and `twin gaps`."""
    twin = open_twin(db)
    warm(twin)
    result = twin.interview(_posting(job), persona.value, questions)
    print(json.dumps(result.public(), ensure_ascii=False) if format is ReportFormat.json
          else result.markdown())
