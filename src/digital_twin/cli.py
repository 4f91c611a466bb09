"""`twin`: the command line. Thin: every command builds Settings, calls the Twin, prints."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .config import Settings
from .errors import IndexNotReadyError, TwinError

app = typer.Typer(
    help="A professional's AI digital twin: ingest a profile, then ask it what recruiters ask.",
    no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[Path | None, typer.Option("--db", help="SQLite index file [env: TWIN_DB]")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _settings(db: Path | None = None) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors())
        raise TwinError(f"Invalid settings: {problems}.",
                        hint="Fix them in your environment or .env.") from None
    for warning in settings.warnings():
        err.print(f"[yellow]Warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    return settings.model_copy(update={"db": db}) if db else settings


def _twin(db: Path | None, *, existing: bool = True):
    """The twin. Commands that only read need an index already there: they create no file."""
    from .service import Twin  # keeps `twin --help` fast

    settings = _settings(db)
    if existing and not settings.db.exists():
        raise IndexNotReadyError(f"There is no index at {settings.db} yet.",
                                 hint="Run `twin ingest examples/digitaltwin.json` (or your own "
                                      "profile) first, or pass --db.")
    return Twin(settings)


def _warm(twin) -> None:
    """Load the embedding model first, with a spinner: it takes seconds the first time."""
    with err.status("Loading the embedding model…", spinner="dots") if err.is_terminal \
            else contextlib.nullcontext():
        twin.warm()


def _error(exc: Exception) -> None:
    err.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)


def friendly(func):
    """Errors become one clear red line and exit code 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TwinError as exc:
            _error(exc)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper


@app.command()
@friendly
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="digitaltwin.json, Markdown, text or PDF")],
    reset: Annotated[bool, typer.Option("--reset", help="Empty the index first.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Index profile files. Re-running updates what changed and removes what was deleted."""
    twin = _twin(db, existing=False)
    with Progress(TextColumn("[bold]Embedding"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=json_out or not err.is_terminal) as bar:
        task = bar.add_task("embed", total=None)
        report = twin.ingest(paths, reset=reset,
                             progress=lambda done, total: bar.update(task, completed=done,
                                                                     total=total))
    if json_out:
        print(json.dumps(report.as_dict()))
        return
    out.print(f"[green]Indexed[/] {report.sources} file(s) into {twin.status()['index']}: "
              f"{report.added} added, {report.removed} removed, {report.unchanged} unchanged "
              f"({report.total} chunks in all).")
    for name, left_out in report.private.items():
        out.print(f"[dim]Kept private in {escape(name)} (not indexed): {len(left_out)} — "
                  f"{escape(', '.join(left_out))}[/]", highlight=False)


@app.command()
@friendly
def search(
    questions: Annotated[list[str], typer.Argument(help="One or more questions")],
    k: Annotated[int | None, typer.Option("--k", min=1, max=50, help="Hits per question")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show the profile passages that best match each question (no LLM)."""
    twin = _twin(db)
    _warm(twin)
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
    twin = _twin(db)
    _warm(twin)  # so that latency_ms is the answer's own, not the model's loading
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
    from .service import Done, Reset, Token

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
    twin = _twin(db)
    if not twin.status()["ready"]:
        raise IndexNotReadyError(f"The index at {twin.status()['index']} is empty.",
                                 hint="Run `twin ingest examples/digitaltwin.json` first.")
    _warm(twin)
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
            _error(exc)
            continue
        session_id = answer.session_id
        _print_sources(answer.sources)
        _print_fallback(answer)


@app.command()
@friendly
def status(db: DbOption = None, json_out: JsonOption = False) -> None:
    """What the index holds and which provider answers."""
    info = _twin(db).status()
    if json_out:
        print(json.dumps(info))
        return
    chain = " → ".join(f"{p['name']}:{p['model']}" for p in info["chain"])
    out.print(f"Index: {info['index']} — {info['chunks']} chunks from "
              f"{', '.join(info['sources']) or 'no files yet'}")
    out.print(f"Embedder: {info['embedder'] or '-'}   Providers: {chain}", highlight=False)


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        help="Behind a reverse proxy: its IPs (comma-separated), trusted for X-Forwarded-For "
             "so that rate limits apply per visitor")] = None,
    db: DbOption = None,
) -> None:
    """Serve the HTTP API, the web chat page at /, the docs at /docs and MCP at /mcp."""
    import os

    import uvicorn

    twin = _twin(db, existing=False)  # a configuration error stops here, before serving
    settings = twin.settings.model_copy(update={"db": twin.settings.db.resolve()})
    twin.close()
    _check_port(host, port)
    # Each worker process builds its app from exactly these settings.
    os.environ["TWIN_SERVE_SETTINGS"] = settings.exported()
    err.print(f"Serving {settings.db} on http://{host}:{port} (docs at /docs)")
    uvicorn.run("digital_twin.api.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="info", log_config=_log_config(),
                proxy_headers=bool(forwarded_allow_ips),
                forwarded_allow_ips=forwarded_allow_ips)


def _check_port(host: str, port: int) -> None:
    """Say plainly that the port is taken (another twin, most likely) instead of a traceback."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise TwinError(f"Cannot listen on '{host}': {exc.strerror}.",
                        hint="Use --host 127.0.0.1 (this machine) or 0.0.0.0 (every interface)."
                        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise TwinError(f"Port {port} on {host} is not free ({exc.strerror}); another twin "
                            "may be serving there.",
                            hint=f"Stop it, or pick another port: `twin serve --port {port + 1}` "
                                 f"(with make: `make run PORT={port + 1}`).") from None


def _log_config() -> dict:
    """uvicorn's logging, with the worker's process id on every line (several workers share
    one terminal)."""
    from uvicorn.config import LOGGING_CONFIG

    config = json.loads(json.dumps(LOGGING_CONFIG))
    config["formatters"]["default"]["fmt"] = "%(levelprefix)s [%(process)d] %(message)s"
    config["formatters"]["access"]["fmt"] = (
        '%(levelprefix)s [%(process)d] %(client_addr)s - "%(request_line)s" %(status_code)s')
    return config


@app.command()
@friendly
def mcp(db: DbOption = None) -> None:
    """Serve the twin to an MCP client (Claude Desktop, VS Code) over stdio."""
    import logging

    from .mcp_server import create_mcp

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)  # stdout carries the protocol
    create_mcp(_twin(db)).run("stdio")



# ---- eval ------------------------------------------------------------------------------------
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

    from . import evaluation

    settings = _settings()
    if provider:
        settings = settings.model_copy(update={"provider": provider})
    found = evaluation.load_cases(cases)
    with Progress(TextColumn("[bold]Asking"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=json_out or not err.is_terminal) as bar:
        task = bar.add_task("ask", total=len(found))
        outcomes = evaluation.run(found, settings, k=k,
                                  progress=lambda done, total: bar.update(task, completed=done))
    data = evaluation.report(outcomes, k=k, details=details)
    problems = evaluation.missed(data["overall"], {
        "min_recall": min_recall, "min_pass": min_pass, "max_false_decline": max_false_decline,
        "min_decline": min_decline, "max_leaks": max_leaks})
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
