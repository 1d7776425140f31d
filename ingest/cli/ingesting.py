"""Commands that fill the store: `demo`, `run`, `fetch`, `reprocess`, `schedule`, `status`."""

from __future__ import annotations

import signal
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy import Engine

from ingest.cli.common import (
    DbOption,
    FormatOption,
    JsonLogOption,
    PrivateOption,
    QuietOption,
    SourcesFileOption,
    VerboseOption,
    WaitOption,
    at_least_one,
    check_urls,
    err,
    fail,
    open_for_reading,
    open_for_writing,
    print_summary,
    progress_output,
    report,
    settings_for,
)
from ingest.errors import IngestError, RunLocked
from ingest.output import OutputFormat, write_rows, write_sections
from ingest.records import RunInterrupted
from ingest.settings import Settings

if TYPE_CHECKING:
    from ingest.records import RunSummary

EXIT_FAILED = 2
EXIT_LOCKED = 3


def demo(
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary.")] = False,
) -> None:
    """Serve the sample news site on 127.0.0.1, ingest it, and summarise what was found.

    Running it again adds no duplicate rows.
    """
    from ingest.demo import DemoSite
    from ingest.pipeline import Pipeline
    from ingest.summary import demo_summary

    settings = settings_for(database_url=db, allow_private_addresses=True)
    engine = open_for_writing(settings)
    with DemoSite() as site:
        err.print(
            f"sample site at {site.base_url} ({len(site.articles)} articles)", highlight=False
        )
        try:
            with progress_output(len(site.articles), quiet) as progress:
                pipeline = Pipeline(settings, engine, progress=progress)
                summary = pipeline.run_feeds([site.feed_url], command="demo")
        except RunInterrupted as exc:
            print_summary(exc.summary)
            raise typer.Exit(exc.exit_code) from None
    print_summary(summary)
    for title, columns, rows in demo_summary(engine):
        write_rows(columns, rows, OutputFormat.table, title=title)


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd stop, kill) ends the run like Ctrl-C: marked interrupted, lock freed."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


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
    engine = open_for_writing(settings)
    _stop_on_sigterm()
    return settings, engine


def _locked_pass(
    settings: Settings,
    engine: Engine,
    feeds: list[str] | None,
    *,
    wait: bool,
    quiet: bool,
    verbose: int,
) -> RunSummary:
    """One pass under the run lock, with progress output."""
    from ingest.pipeline import Pipeline
    from ingest.scheduler import run_lock, run_pass

    with (
        run_lock(engine, settings, wait=wait),
        progress_output(None, quiet, verbose, settings.log_format == "json") as progress,
    ):
        pipeline = Pipeline(settings, engine, progress=progress)
        return run_pass(pipeline, engine, settings, feeds)


def run(
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", help="Only this RSS or Atom feed URL (repeatable)."),
    ] = None,
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    sources_file: SourcesFileOption = None,
    wait: WaitOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
    log_json: JsonLogOption = None,
) -> None:
    """One pass: poll the due sources (or only the --feed URLs) and ingest what is new.

    Exit status 2 when something failed, 3 when another run is active.
    """
    check_urls(feed)
    settings, engine = _open_for_passes(db, allow_private_addresses, sources_file, log_json)
    try:
        summary = _locked_pass(settings, engine, feed, wait=wait, quiet=quiet, verbose=verbose)
    except RunInterrupted as exc:
        report(exc.summary, settings)
        raise typer.Exit(exc.exit_code) from None
    except RunLocked as exc:
        fail(str(exc), EXIT_LOCKED)
    except IngestError as exc:
        fail(str(exc))
    report(summary, settings)
    if summary.outcomes["failed"]:
        raise typer.Exit(EXIT_FAILED)


def schedule(
    every: Annotated[str, typer.Option("--every", help="Time between pass starts: 30s, 15m, 1h.")],
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    sources_file: SourcesFileOption = None,
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
    from ingest.logs import LOGGER, configure_logging
    from ingest.scheduler import parse_duration, schedule_loop

    try:
        seconds = parse_duration(every)
    except IngestError as exc:
        fail(str(exc))
    settings, engine = _open_for_passes(db, allow_private_addresses, sources_file, log_json)
    configure_logging(-1 if quiet else verbose, settings.log_format == "json")

    def one_pass() -> None:
        try:
            summary = _locked_pass(settings, engine, None, wait=wait, quiet=quiet, verbose=verbose)
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


def fetch(
    urls: Annotated[list[str], typer.Argument(help="Article URLs to ingest.")],
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Ingest the given article URLs."""
    from ingest.pipeline import Pipeline

    check_urls(urls)
    settings = settings_for(database_url=db, allow_private_addresses=allow_private_addresses)
    engine = open_for_writing(settings)
    try:
        with progress_output(len(urls), quiet) as progress:
            summary = Pipeline(settings, engine, progress=progress).fetch_urls(urls)
    except RunInterrupted as exc:
        print_summary(exc.summary)
        raise typer.Exit(exc.exit_code) from None
    print_summary(summary)
    if summary.outcomes["failed"]:
        raise typer.Exit(EXIT_FAILED)


def reprocess(
    since: Annotated[
        str | None, typer.Option("--since", help="Only pages fetched on or after YYYY-MM-DD.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only articles from this source (name).")
    ] = None,
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Re-run extraction, language and NLP on stored pages, without fetching again."""
    from ingest.reprocess import Reprocessor

    try:
        start = date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"--since must be YYYY-MM-DD, not {since!r}")
    settings = settings_for(database_url=db)
    reprocessor = Reprocessor(settings, open_for_writing(settings))
    try:
        article_ids = reprocessor.candidates(start, source)
    except IngestError as exc:
        fail(str(exc))
    with progress_output(len(article_ids), quiet) as progress:
        reprocessor.progress = progress
        summary = reprocessor.reprocess(article_ids)
    print_summary(summary)
    if summary.outcomes["failed"]:
        raise typer.Exit(EXIT_FAILED)


def status(
    db: DbOption = None,
    limit: Annotated[
        int, typer.Option("--limit", callback=at_least_one, help="Runs to show.")
    ] = 10,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show recent runs (new, updated, unchanged, failed) and unhealthy sources.

    Reads only: a run whose process is gone shows as interrupted, as the next run records it.
    """
    from db.locks import orphan_runs
    from ingest.status import lock_line, recent_runs, unhealthy_sources

    settings = settings_for(database_url=db)
    engine = open_for_reading(settings)
    orphans = orphan_runs(engine, settings.lock_stale_after)
    if fmt == OutputFormat.table:
        err.print(lock_line(engine), highlight=False)
    sections = {
        "runs": ("Recent runs", recent_runs(engine, limit, orphans)),
        "sources": ("Unhealthy sources", unhealthy_sources(engine)),
    }
    write_sections(sections, fmt, empty={"runs": "no runs yet", "sources": "no source is failing"})
