"""The commands that build and question the index: ingest, search, ask, chat, status."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import IndexNotReadyError, ProfileError, TwinError
from ..service import Twin
from .base import (
    DbOption,
    JsonOption,
    app,
    err,
    friendly,
    load_settings,
    open_twin,
    out,
    progress_bar,
    show_error,
    warm,
)


@app.command()
@friendly
def ingest(
    paths: Annotated[list[Path], typer.Argument(
        help="digitaltwin.json or a JSON Resume, Markdown, text, PDF, Word (.docx), or a "
             "LinkedIn data export (its zip or folder)")],
    reset: Annotated[bool, typer.Option("--reset", help="Empty the index first.")] = False,
    if_empty: Annotated[bool, typer.Option(
        "--if-empty", help="Only when the index holds nothing yet (how `make run` adds the "
                           "bundled example without mixing it into your own twin).")] = False,
    explain_privacy: Annotated[bool, typer.Option(
        "--explain-privacy", help="Show each value kept back: where, what kind, and what "
                                  "decided it (never the value).")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Index profile files. Re-running updates what changed and removes what was deleted.

    Private values never reach the index: what the owner marks private, and by what a value is
    (the current pay, a birth date or age, a home address, a personal phone, an identity
    number, health, religion, sexual orientation, marital status, ethnic origin)."""
    settings = load_settings(db)
    fresh = settings.index_engine == "sqlite" and not settings.db.exists()
    twin = open_twin(db, existing=False)
    if if_empty and (held := twin.status())["chunks"]:
        out.print(f"The index at {held['index']} already holds {held['chunks']} passages of "
                  f"{escape(', '.join(held['sources']))}: left as it is. To start over with "
                  f"these files: `twin ingest --reset {' '.join(map(str, paths))}`.",
                  highlight=False)
        return
    try:
        with progress_bar("Embedding", json_out) as bar:
            task = bar.add_task("embed", total=None)
            report = twin.ingest(paths, reset=reset,
                                 progress=lambda done, total: bar.update(task, completed=done,
                                                                         total=total))
    except BaseException:
        if fresh:  # a first ingest that failed leaves no empty index behind
            twin.close()
            for path in settings.db.parent.glob(f"{settings.db.name}*"):
                if path.name in (settings.db.name, f"{settings.db.name}-wal",
                                 f"{settings.db.name}-shm", f"{settings.db.name}-journal"):
                    path.unlink(missing_ok=True)
        raise
    if json_out:
        print(json.dumps(report.as_dict()))
        return
    out.print(f"[green]Indexed[/] {report.sources} file(s) into {twin.status()['index']}: "
              f"{report.added} added, {report.removed} removed, {report.unchanged} unchanged "
              f"({report.total} chunks in all).")
    info = twin.status()
    _warn_if_several_owners(info)
    if if_empty and info["owners"]:  # `make run`'s first start, with no profile of the owner's
        out.print(f"[bold]Serving the profile of {escape(' and '.join(info['owners']))}[/] "
                  f"from {escape(', '.join(map(str, paths)))}, as the index was empty. Make it "
                  f"yours: `twin init` writes a starter profile (me.json) to fill in, then "
                  f"`twin ingest --reset me.json`.", highlight=False)
    for name, (first, *more) in report.notes.items():
        out.print(f"[yellow]{escape(name)}[/] {escape(first)}", highlight=False)
        for note in more:
            out.print(f"  - {escape(note)}", highlight=False)
    for name, left_out in report.private.items():
        out.print(f"[dim]Kept private in {escape(name)} (not indexed): {len(left_out)} — "
                  f"{escape(', '.join(left_out))}[/]", highlight=False)
    if explain_privacy:
        _explain_privacy(report.decisions)


def _explain_privacy(decisions: dict[str, list[list[str]]]) -> None:
    if not decisions:
        out.print("No value was kept back by what it is.")
        return
    table = Table("file", "where", "kept back", "decided by", box=None)
    for name, rows in decisions.items():
        for where, kind, cue in rows:
            table.add_row(escape(name), escape(where), kind, escape(cue))
    out.print(table)
    out.print("[dim]To publish one: in JSON, mark its field public (\"privacy\": "
              "{\"public_fields\": [\"personal.phone\"]}, or \"public\": [\"phone\"] in its "
              "object); in Markdown or text, put its line between <!-- public --> and "
              "<!-- /public -->.[/]", highlight=False)


class StarterFormat(StrEnum):
    twin = "twin"
    md = "md"
    jsonresume = "jsonresume"


def _warn_if_several_owners(info: dict) -> None:
    """One index, one person: files that name different owners would answer as a mix."""
    if len(owners := info["owners"]) > 1:
        who = "; ".join(f"{name} ({', '.join(files)})" for name, files in owners.items())
        out.print(f"[yellow]Warning:[/] this index holds the profiles of {len(owners)} people: "
                  f"{escape(who)}. Its answers would mix them. Keep only yours: "
                  f"`twin ingest --reset YOUR FILES`.", highlight=False)


@app.command()
@friendly
def init(
    path: Annotated[Path | None, typer.Argument(
        help="Where to write it [default: me.json, me.md with --format md]",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")
                     ] = False,
    format: Annotated[StarterFormat, typer.Option(
        "--format", help="twin: the twin's own JSON sections; md: a Markdown résumé; "
                         "jsonresume: the open JSON Resume standard (jsonresume.org), which "
                         "résumé builders and themes read.")
    ] = StarterFormat.twin,
) -> None:
    """Write a starter profile to fill in: every section recruiters ask about, each value in
    \\[brackets] until you replace it (bracketed values are never indexed)."""
    path = path or Path("me.md" if format is StarterFormat.md else "me.json")
    if path.exists() and not force:
        raise ProfileError(path, "already exists",
                           hint="Edit it, or pass --force to start over (its content is lost).")
    try:
        starter = {StarterFormat.twin: "starter.json", StarterFormat.md: "starter.md",
                   StarterFormat.jsonresume: "starter.resume.json"}[format]
        path.write_text(resources.files("digital_twin.profile").joinpath(starter)
                        .read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        raise ProfileError(path, f"cannot be written ({exc.strerror})",
                           hint="Choose a folder you can write to.") from None
    out.print(f"[green]Wrote[/] {escape(str(path))}. Replace each \\[bracketed] value with yours "
              f"(delete what does not apply), then: twin ingest {escape(str(path))}",
              highlight=False)


@app.command()
@friendly
def check(
    paths: Annotated[list[Path], typer.Argument(help="The profile files, as for `twin ingest`")],
    strict: Annotated[bool, typer.Option("--strict", help="Exit with 1 when anything is found "
                                                          "(for a CI step or a pre-commit hook).")
                      ] = False,
    json_out: JsonOption = False,
) -> None:
    """Check a profile before sharing it: what recruiters always ask and it does not say, the
    generic questions the twin would decline, stories without a result, empty sections, and
    values private by default that it publishes. Your index is not touched."""
    found = Twin.check(paths, load_settings(None))
    if json_out:
        print(json.dumps(found.as_dict(), ensure_ascii=False))
    else:
        groups = (("Recruiters always ask, and it does not say", found.lacking),
                  ("Generic questions it would decline", found.declined),
                  ("Stories with no result (add what changed, measured if you can)",
                   found.stories_without_result),
                  ("Sections with nothing in them", found.empty_sections),
                  ("Private by default, but you publish it (check you mean to)",
                   found.published_private))
        for title, items in groups:
            if items:
                out.print(f"[yellow]{title}:[/]", highlight=False)
                for item in items:
                    out.print(f"  - {escape(item)}", highlight=False)
        if found.kept_private:
            out.print(f"[dim]Kept private (never indexed): {escape('; '.join(found.kept_private))}"
                      "[/]", highlight=False)
        out.print("[green]Nothing to fix.[/]" if not found.findings else
                  f"{found.findings} thing(s) to look at before you share it.", highlight=False)
    if strict and found.findings:
        raise typer.Exit(1)


@app.command()
@friendly
def search(
    questions: Annotated[list[str], typer.Argument(help="One or more questions")],
    k: Annotated[int | None, typer.Option("--k", min=1, max=50, help="Hits per question")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show the profile passages that best match each question (no LLM)."""
    twin = open_twin(db)
    warm(twin)
    for question in questions:
        hits = twin.search(question, k)
        if json_out:
            print(json.dumps([h.public() for h in hits], ensure_ascii=False))
            continue
        out.print(f"[bold]{question}[/]")
        if not hits:
            out.print("  [dim]nothing in the profile matches[/]")
        for n, hit in enumerate(hits, 1):
            out.print(f"  [cyan][{n}][/] {hit.title} [dim]({hit.source}, {hit.score:.4f})[/]")
            out.print(f"      {hit.text[:200]}{'…' if len(hit.text) > 200 else ''}",
                      highlight=False)


def _print_sources(sources: list[dict]) -> None:
    for n, source in enumerate(sources, 1):
        out.print(f"  [dim][{n}] {source['title']} — {source['source']}[/]", highlight=False)


@app.command()
@friendly
def ask(
    question: Annotated[str, typer.Argument(help="What a recruiter would ask")],
    stream: Annotated[bool, typer.Option("--stream", help="Print tokens as they come.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Answer one question in the first person, citing the profile."""
    twin = open_twin(db)
    warm(twin)  # so that latency_ms is the answer's own, not the model's loading
    if json_out:
        print(json.dumps(twin.ask(question).as_dict(), ensure_ascii=False))
        return
    answer = _converse(twin, question, None, stream)
    _print_sources(answer.sources)
    _print_fallback(answer)


def _print_fallback(answer) -> None:
    if answer.fallback_reason:
        err.print(f"[yellow]Note:[/] answered by {answer.provider} because "
                  f"{escape(answer.fallback_reason)}", highlight=False, soft_wrap=True)


def _converse(twin, question: str, session_id: str | None, stream: bool):
    if not stream:
        answer = twin.ask(question, session_id)
        out.print(answer.answer, highlight=False)
        return answer
    from ..service import Done, Reset, Token

    answer = None
    for event in twin.stream(question, session_id):
        if isinstance(event, Token):
            sys.stdout.write(event.text)
            sys.stdout.flush()
        elif isinstance(event, Reset):
            sys.stdout.write("\n")
            err.print(f"[yellow]Note:[/] that answer was cut off ({escape(event.reason)}); "
                      "answering again:", highlight=False, soft_wrap=True)
        elif isinstance(event, Done):
            answer = event.answer
    sys.stdout.write("\n")
    return answer


@app.command()
@friendly
def chat(
    db: DbOption = None,
    stream: Annotated[bool, typer.Option("--stream/--no-stream")] = True,
) -> None:
    """Talk with the twin, with memory of the conversation. /reset forgets, /exit quits."""
    twin = open_twin(db)
    status = twin.status()
    if not status["ready"]:
        raise IndexNotReadyError(f"The index at {status['index']} is empty.",
                                 hint="Run `twin ingest me.json` with your profile first (`twin init` "
                                      "writes a starter to fill in).")
    warm(twin)
    persona = twin.persona
    out.print(f"[bold]Chatting with {persona.display}'s digital twin.[/] "
              "[dim]/reset to start over, /exit or Ctrl-D to quit.[/]")
    session_id = None
    while True:
        try:
            question = out.input("[bold green]you>[/] ").strip()
        except EOFError:
            out.print()
            return
        if question in ("/exit", "/quit"):
            return
        if question == "/reset":
            if session_id:
                twin.forget(session_id)
            session_id = None
            out.print("[dim]Conversation forgotten.[/]")
            continue
        if not question:
            continue
        try:
            answer = _converse(twin, question, session_id, stream)
        except TwinError as exc:
            show_error(exc)
            continue
        session_id = answer.session_id
        _print_sources(answer.sources)
        _print_fallback(answer)


@app.command()
@friendly
def status(db: DbOption = None, json_out: JsonOption = False) -> None:
    """What the index holds and which provider answers."""
    info = open_twin(db).status()
    if json_out:
        print(json.dumps(info))
        return
    chain = " → ".join(f"{p['name']}:{p['model']}" for p in info["chain"])
    out.print(f"Index: {info['index']} — {info['chunks']} chunks from "
              f"{', '.join(info['sources']) or 'no files yet'}")
    out.print(f"Embedder: {info['embedder'] or '-'}   Providers: {chain}", highlight=False)
    _warn_if_several_owners(info)
    if info["experiment"]:
        arms = ", ".join(f"{v['name']} {v['share']:.0%} ({v['provider']}:{v['model']}, "
                         f"{v['prompt_style']})" for v in info["experiment"]["variants"])
        out.print(f"Experiment {info['experiment']['name']}: {arms}", highlight=False)
