"""What every `twin` command shares: the app, the consoles, settings, the twin, error handling."""

from __future__ import annotations

import contextlib
import functools
import logging
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..config import Settings
from ..errors import IndexNotReadyError, TwinError

app = typer.Typer(
    help="A professional's AI digital twin: ingest a profile, then ask it what recruiters ask.",
    no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
)
# pypdf logs its own findings about a broken file ("invalid pdf header"); the twin reports
# the file in one line of its own instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="SQLite file of the index and logs [env: TWIN_DB] (unused when "
    "TWIN_DATABASE_URL is set; only the logs when TWIN_UPSTASH_URL is)")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def load_settings(db: Path | None = None) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{_variable(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise TwinError(f"Invalid settings: {problems}.",
                        hint="Fix them in your environment or .env.") from None
    for warning in settings.warnings():
        err.print(f"[yellow]Warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    return settings.model_copy(update={"db": db}) if db else settings


def _variable(loc: tuple) -> str:
    """The environment variable a setting is read from, then the path inside its value
    (`TWIN_EXPERIMENT.variants.0.weight`)."""
    field = Settings.model_fields.get(str(loc[0]))
    aliases = getattr(field and field.validation_alias, "choices", [])
    name = next((a for a in aliases if str(a).startswith("TWIN_")), str(loc[0]).upper())
    return ".".join([name, *(str(part) for part in loc[1:])])


def open_twin(db: Path | None, *, existing: bool = True):
    """The twin. Commands that only read need an index already there: they create no file."""
    from ..service import Twin  # keeps `twin --help` fast

    settings = load_settings(db)
    if existing and settings.index_engine == "sqlite" and not settings.db.exists():
        raise IndexNotReadyError(f"There is no index at {settings.db} yet.",
                                 hint="Run `twin ingest me.json` with your profile first (`twin "
                                      "init` writes a starter to fill in), or pass --db.")
    return Twin(settings)


def warm(twin) -> None:
    """Load the embedding model first, with a spinner: it takes seconds the first time."""
    with err.status("Loading the embedding model…", spinner="dots") if err.is_terminal \
            else contextlib.nullcontext():
        twin.warm()


def show_error(exc: Exception) -> None:
    err.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)


def friendly(func):
    """Errors become one clear red line and exit code 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TwinError as exc:
            show_error(exc)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper


def progress_bar(label: str, quiet: bool) -> Progress:
    """A bar on stderr for long work (none when printing JSON or not on a terminal)."""
    return Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True,
                    disable=quiet or not err.is_terminal)
