"""What every command shares: consoles, options, settings, opening the database, progress
output and run summaries.

The pipeline, extraction and spaCy are imported by the commands that use them, so that
`--help` and the read commands start quickly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text
from sqlalchemy import Engine

from db import DatabaseError, open_database
from db.engine import open_existing
from ingest.errors import IngestError
from ingest.output import OutputFormat
from ingest.records import COUNTED, FINAL, PLANNED
from ingest.settings import Settings, load_settings

if TYPE_CHECKING:
    from ingest.records import RunSummary

# Messages carry page content and user input (titles, URLs, names): never read as markup.
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
out = Console(markup=False, highlight=False)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default sqlite:///newsfacts.db, or "
        "NEWSFACTS_DATABASE_URL). PostgreSQL: postgresql+psycopg://user@host/db",
    ),
]
PrivateOption = Annotated[
    bool | None,
    typer.Option(
        "--allow-private-addresses/--no-allow-private-addresses",
        help="Fetch from private and loopback addresses (off by default).",
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
SourcesFileOption = Annotated[
    str | None,
    typer.Option("--sources-file", help="Sources file (default sources.toml, or the setting)."),
]
WaitOption = Annotated[
    bool, typer.Option("--wait", help="Wait for an active run to end instead of exiting.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Only warnings and the summary.")]
VerboseOption = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="Also log every fetch.")
]
JsonLogOption = Annotated[
    bool | None, typer.Option("--log-json/--no-log-json", help="Log lines as JSON objects.")
]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error and leave with `code`."""
    err.print(Text.assemble(("error:", "red"), " ", message))
    raise typer.Exit(code)


def at_least_one(value: int | None) -> int | None:
    """Callback of `--limit`: 1 or more, else a one-line error."""
    if value is not None and value < 1:
        fail(f"--limit must be 1 or more, not {value}")
    return value


def language(value: str | None) -> str | None:
    """Callback of `--lang`: a language code langdetect knows, in lower case ("NL" -> "nl"),
    else a one-line error."""
    if value is None:
        return None
    from nlp.langid import language_code

    code = language_code(value)
    if code is None:
        fail(f"--lang takes a language code such as nl, fr, de or en (ISO 639-1), not {value!r}")
    return code


def check_urls(urls: list[str] | None) -> None:
    """A one-line error for the first URL given on the command line that is not an http or
    https URL with a host."""
    from ingest.sourcefile import check_url

    for url in urls or []:
        try:
            check_url(url)
        except IngestError as exc:
            fail(str(exc))


def settings_for(**flags: Any) -> Settings:
    """Settings with the given flags on top; a one-line error when they are invalid."""
    try:
        return load_settings(**flags)
    except IngestError as exc:
        fail(str(exc))


def open_for_writing(settings: Settings) -> Engine:
    """The database of a command that stores: created and migrated as needed."""
    try:
        return open_database(settings.database_url)
    except DatabaseError as exc:
        fail(str(exc))


def open_for_reading(settings: Settings) -> Engine:
    """The database of a read command: never created, never migrated."""
    try:
        return open_existing(settings.database_url)
    except DatabaseError as exc:
        fail(str(exc))


def reading(db: str | None) -> Engine:
    """The database named by `--db` (or the settings), opened for reading."""
    return open_for_reading(settings_for(database_url=db))


@contextmanager
def progress_output(
    total: int | None, quiet: bool, verbose: int = 0, json_logs: bool = False
) -> Iterator[Callable[[str, str], None]]:
    """A progress bar on a terminal; one log line per event otherwise (or with -v, JSON)."""
    from ingest.logs import configure_logging, log_events

    configure_logging(-1 if quiet else verbose, json_logs)
    if quiet or verbose or json_logs or not err.is_terminal:
        yield log_events()
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("ingesting", total=total)

        def update(event: str, url: str) -> None:
            if event == PLANNED:  # discovery is over: the bar's total is known
                bar.update(task, total=int(url))
            elif event in FINAL:
                bar.update(task, advance=1, description=f"{event:9}")

        yield update


def print_summary(summary: RunSummary) -> None:
    """The run's counts on one line, then up to 20 failures."""
    counts = ", ".join(
        f"{name} {summary.outcomes[name]}"
        for name in COUNTED
        if summary.outcomes[name] or name == "new"
    )
    err.print(f"run {summary.run_id}: {counts}", highlight=False)
    for url, message in summary.errors[:20]:
        err.print(f"  failed {url}: {message}", highlight=False)


def report(summary: RunSummary, settings: Settings) -> None:
    """The run's summary: plain lines, or one JSON log record with the counts."""
    from db.models import OUTCOMES
    from ingest.logs import LOGGER

    if settings.log_format != "json":
        print_summary(summary)
        return
    counts = {name: summary.outcomes[name] for name in OUTCOMES}
    LOGGER.log(
        logging.WARNING if counts["failed"] else logging.INFO,
        "run %d finished: %s",
        summary.run_id,
        ", ".join(f"{name} {count}" for name, count in counts.items()),
        extra={"event": "summary", "url": None, "run_id": summary.run_id, "counts": counts},
    )
