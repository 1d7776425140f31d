"""Commands for scheduled operation: `run` passes, `schedule`, `sources ...` and `status`."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.locks import reap_orphan_runs
from db.models import OUTCOMES, Source
from ingest.cli import DbOption, FormatOption, PrivateOption, _fail, _open, _print_summary, app, err
from ingest.cli import _progress as progress_output
from ingest.errors import IngestError, RunInterrupted, RunLocked
from ingest.logs import LOGGER, configure_logging
from ingest.output import OutputFormat, write_rows
from ingest.scheduler import parse_duration, run_lock, run_pass, schedule_loop
from ingest.settings import Settings, load_settings
from ingest.sourcefile import add_spec, delete_source, edit_spec, load_specs, make_spec
from ingest.sourcefile import sync_sources as sync_into_table
from ingest.status import lock_line, recent_runs, unhealthy_sources

if TYPE_CHECKING:
    from ingest.pipeline import RunSummary

EXIT_LOCKED = 3
sources_app = typer.Typer(
    help="Manage the sources file (feeds, sitemaps, URL lists).", no_args_is_help=True
)
app.add_typer(sources_app, name="sources")

FileOption = Annotated[
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


def settings_for(**flags: Any) -> Settings:
    """Settings with the given flags on top; a one-line error when they are invalid."""
    try:
        return load_settings(**flags)
    except IngestError as exc:
        _fail(str(exc))


def _open_for_passes(
    db: str | None, allow_private: bool | None, sources_file: str | None, log_json: bool | None
) -> tuple[Settings, Engine]:
    """Settings and database of `run` and `schedule`; SIGTERM then ends the process cleanly."""
    settings = settings_for(
        database_url=db,
        allow_private_addresses=allow_private,
        sources_file=sources_file,
        log_format="json" if log_json else None,
    )
    engine = _open(settings)
    _stop_on_sigterm()
    return settings, engine


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd stop, kill) ends the run like Ctrl-C: marked interrupted, lock freed."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


def locked_pass(
    settings: Settings,
    engine: Engine,
    feeds: list[str] | None,
    *,
    wait: bool,
    quiet: bool,
    verbose: int,
) -> RunSummary:
    """One pass under the run lock, with progress output."""
    with (
        run_lock(engine, settings, wait=wait),
        progress_output(None, quiet, verbose, settings.log_format == "json") as progress,
    ):
        from ingest.pipeline import Pipeline

        pipeline = Pipeline(settings, engine, progress=progress)  # type: ignore[arg-type]
        return run_pass(pipeline, engine, settings, feeds)


def report(summary: RunSummary, settings: Settings) -> None:
    """The run's summary: plain lines, or one JSON log record with the counts."""
    if settings.log_format != "json":
        _print_summary(summary)
        return
    counts = {name: summary.outcomes[name] for name in OUTCOMES}
    LOGGER.log(
        logging.WARNING if counts["failed"] else logging.INFO,
        "run %d finished: %s",
        summary.run_id,
        ", ".join(f"{name} {count}" for name, count in counts.items()),
        extra={"event": "summary", "url": None, "run_id": summary.run_id, "counts": counts},
    )


def run_command(
    feed: list[str] | None,
    db: str | None,
    allow_private_addresses: bool | None,
    sources_file: str | None,
    wait: bool,
    quiet: bool,
    verbose: int,
    log_json: bool | None,
) -> None:
    """`newsfacts run`: one pass; exit 2 when something failed, 3 when another run is active."""
    settings, engine = _open_for_passes(db, allow_private_addresses, sources_file, log_json)
    try:
        summary = locked_pass(settings, engine, feed, wait=wait, quiet=quiet, verbose=verbose)
    except RunInterrupted as exc:
        report(exc.summary, settings)
        raise typer.Exit(exc.exit_code) from None
    except RunLocked as exc:
        _fail(str(exc), EXIT_LOCKED)
    except IngestError as exc:
        _fail(str(exc))
    report(summary, settings)
    if summary.outcomes["failed"]:
        raise typer.Exit(2)


@app.command()
def schedule(
    every: Annotated[str, typer.Option("--every", help="Time between pass starts: 30s, 15m, 1h.")],
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    sources_file: FileOption = None,
    wait: WaitOption = False,
    passes: Annotated[
        int | None, typer.Option("--passes", help="Stop after this many passes.")
    ] = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
    log_json: JsonLogOption = None,
) -> None:
    """Run a pass over the due sources every --every, until stopped (Ctrl-C or SIGTERM).

    A pass that finds another run active is skipped (or waits, with --wait).
    """
    try:
        seconds = parse_duration(every)
    except IngestError as exc:
        _fail(str(exc))
    settings, engine = _open_for_passes(db, allow_private_addresses, sources_file, log_json)
    configure_logging(-1 if quiet else verbose, settings.log_format == "json")

    def one_pass() -> None:
        try:
            summary = locked_pass(settings, engine, None, wait=wait, quiet=quiet, verbose=verbose)
        except RunLocked as exc:
            LOGGER.warning("pass skipped: %s", exc)
            return
        except IngestError as exc:
            LOGGER.error("pass failed: %s", exc)
            return
        report(summary, settings)

    try:
        schedule_loop(seconds, one_pass, passes=passes)
    except KeyboardInterrupt as exc:
        if isinstance(exc, RunInterrupted):  # stopped during a pass
            report(exc.summary, settings)
        err.print("stopped", highlight=False)
        if isinstance(exc, RunInterrupted) and exc.signum == signal.SIGTERM:
            raise typer.Exit(exc.exit_code) from None


@app.command()
def status(
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Runs to show.")] = 10,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show recent runs (new, updated, unchanged, failed) and unhealthy sources."""
    settings = settings_for(database_url=db)
    engine = _open(settings)
    reap_orphan_runs(engine, settings.lock_stale_after)
    if fmt == OutputFormat.table:
        err.print(lock_line(engine), highlight=False)
    write_rows(*recent_runs(engine, limit), fmt, title="Recent runs")
    write_rows(*unhealthy_sources(engine), fmt, title="Unhealthy sources")


def _sources_settings(db: str | None, sources_file: str | None) -> tuple[Settings, Path]:
    settings = settings_for(database_url=db, sources_file=sources_file)
    return settings, Path(settings.sources_file)


def _sync(settings: Settings, path: Path) -> Engine:
    engine = _open(settings)
    try:
        specs = load_specs(path)
    except IngestError as exc:
        _fail(str(exc))
    with Session(engine) as session:
        sync_into_table(session, specs)
    return engine


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="Feed, sitemap, robots.txt/site root or URL list.")],
    kind: Annotated[
        str | None, typer.Option("--kind", help="feed, sitemap or urls (guessed from the URL).")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Expected language, e.g. nl.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="A short name.")] = None,
    db: DbOption = None,
    sources_file: FileOption = None,
) -> None:
    """Add a source to the sources file (and the database)."""
    settings, path = _sources_settings(db, sources_file)
    try:
        spec = make_spec(url, kind, lang, name)
        add_spec(path, spec)
    except IngestError as exc:
        _fail(str(exc))
    _sync(settings, path)
    err.print(f"added {spec.kind} {spec.url} to {path}", highlight=False)


@sources_app.command("list")
def sources_list(
    db: DbOption = None, sources_file: FileOption = None, fmt: FormatOption = OutputFormat.table
) -> None:
    """List sources with their polling state."""
    settings, path = _sources_settings(db, sources_file)
    engine = _sync(settings, path) if path.exists() else _open(settings)
    columns = [
        "url",
        "kind",
        "lang",
        "enabled",
        "poll_interval_s",
        "next_poll_at",
        "failures",
        "last_error",
    ]
    query = select(
        Source.url,
        Source.kind,
        Source.lang,
        Source.enabled,
        Source.poll_interval_s,
        Source.next_poll_at,
        Source.consecutive_failures,
        Source.last_error,
    ).order_by(Source.url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    write_rows(columns, rows, fmt)


def _edit(url: str, db: str | None, sources_file: str | None, **change: Any) -> Path:
    settings, path = _sources_settings(db, sources_file)
    try:
        edit_spec(path, url, **change)
    except IngestError as exc:
        _fail(str(exc))
    engine = _sync(settings, path)
    if change.get("remove"):
        with Session(engine) as session:
            delete_source(session, url)
    return path


@sources_app.command("disable")
def sources_disable(url: str, db: DbOption = None, sources_file: FileOption = None) -> None:
    """Stop polling a source; it stays in the file with enabled = false."""
    _edit(url, db, sources_file, enabled=False)
    err.print(f"disabled {url}", highlight=False)


@sources_app.command("enable")
def sources_enable(url: str, db: DbOption = None, sources_file: FileOption = None) -> None:
    """Poll a disabled source again."""
    _edit(url, db, sources_file, enabled=True)
    err.print(f"enabled {url}", highlight=False)


@sources_app.command("remove")
def sources_remove(url: str, db: DbOption = None, sources_file: FileOption = None) -> None:
    """Remove a source from the file and its row from the database (articles stay)."""
    _edit(url, db, sources_file, remove=True)
    err.print(f"removed {url}", highlight=False)
