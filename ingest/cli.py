"""The `newsfacts` command line: the only place that prints; thin over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import Engine

from db import DatabaseError, current_revision, head_revision, open_database, upgrade
from db.engine import make_engine
from ingest.errors import ExtractionError, IngestError
from ingest.output import OutputFormat, write_rows
from ingest.research_cli import register as register_research_commands
from ingest.settings import Settings, load_settings

if TYPE_CHECKING:
    from ingest.pipeline import RunSummary
    from nlp.relevance import PageContext

# The pipeline, extraction and spaCy are imported by the commands that use them, so that
# `--help` and the read-only commands start quickly.

app = typer.Typer(
    help="Turn multilingual automotive news into a SQL store of companies, plants, figures "
    "and facts.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Create or inspect the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
err = Console(stderr=True)
out = Console()

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


def _settings(db: str | None = None, allow_private: bool | None = None) -> Settings:
    try:
        return load_settings(database_url=db, allow_private_addresses=allow_private)
    except IngestError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _open(settings: Settings) -> Engine:
    try:
        return open_database(settings.database_url)
    except DatabaseError as exc:
        _fail(str(exc))


@contextmanager
def _progress(
    total: int | None, quiet: bool, verbose: int = 0, json_logs: bool = False
) -> Iterator[object]:
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
            if event in ("new", "updated", "unchanged", "duplicate", "skipped", "failed"):
                bar.update(task, advance=1, description=f"{event:9}")

        yield update


def _print_summary(summary: RunSummary) -> None:
    counts = ", ".join(
        f"{name} {summary.outcomes[name]}"
        for name in ("new", "updated", "unchanged", "duplicate", "failed")
        if summary.outcomes[name] or name == "new"
    )
    err.print(f"run {summary.run_id}: {counts}", highlight=False)
    for url, message in summary.errors[:20]:
        err.print(f"  failed {url}: {message}", highlight=False)


@app.command()
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

    settings = _settings(db, allow_private=True)
    engine = _open(settings)
    with DemoSite() as site:
        err.print(
            f"sample site at {site.base_url} ({len(site.articles)} articles)", highlight=False
        )
        with _progress(len(site.articles), quiet) as progress:
            pipeline = Pipeline(settings, engine, progress=progress)  # type: ignore[arg-type]
            summary = pipeline.run_feeds([site.feed_url], command="demo")
    _print_summary(summary)
    for title, columns, rows in demo_summary(engine):
        write_rows(columns, rows, OutputFormat.table, title=title)


@app.command()
def run(
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", help="Only this RSS or Atom feed URL (repeatable)."),
    ] = None,
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    sources_file: Annotated[
        str | None, typer.Option("--sources-file", help="Sources file (default sources.toml).")
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for an active run to end.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True)] = 0,
    log_json: Annotated[bool | None, typer.Option("--log-json/--no-log-json")] = None,
) -> None:
    """One pass: poll the due sources (or only the --feed URLs) and ingest what is new."""
    from ingest.scheduled_commands import run_command

    run_command(feed, db, allow_private_addresses, sources_file, wait, quiet, verbose, log_json)


@app.command()
def fetch(
    urls: Annotated[list[str], typer.Argument(help="Article URLs to ingest.")],
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Ingest the given article URLs."""
    from ingest.pipeline import Pipeline

    settings = _settings(db, allow_private_addresses)
    engine = _open(settings)
    with _progress(len(urls), quiet) as progress:
        summary = Pipeline(settings, engine, progress=progress).fetch_urls(urls)  # type: ignore[arg-type]
    _print_summary(summary)
    if summary.outcomes["failed"]:
        raise typer.Exit(2)


@app.command()
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
        _fail(f"--since must be YYYY-MM-DD, not {since!r}")
    settings = _settings(db)
    reprocessor = Reprocessor(settings, _open(settings))
    try:
        article_ids = reprocessor.candidates(start, source)
    except IngestError as exc:
        _fail(str(exc))
    with _progress(len(article_ids), quiet) as progress:
        reprocessor.progress = progress  # type: ignore[assignment]
        summary = reprocessor.reprocess(article_ids)
    _print_summary(summary)
    if summary.outcomes["failed"]:
        raise typer.Exit(2)


def _read_input(path: str) -> tuple[str, str | None, PageContext | None]:
    """Text of one input (extracting HTML first), its declared language and, for HTML, the
    page's title, URL, categories and tags."""
    if path == "-":
        return sys.stdin.read(), None, None
    file = Path(path)
    try:
        raw = file.read_text("utf-8")
    except FileNotFoundError:
        _fail(f"no such file: {path}")
    except UnicodeDecodeError:
        _fail(f"{path} is not UTF-8 text")
    if file.suffix.lower() in (".html", ".htm"):
        from ingest.extract import extract_article
        from ingest.stages import page_context

        try:
            article = extract_article(raw)
        except ExtractionError as exc:
            _fail(f"{path}: {exc}")
        return article.text, article.declared_lang, page_context(article)
    return raw, None, None


@app.command()
def analyze(
    files: Annotated[list[str], typer.Argument(help="Text or .html files; '-' reads stdin.")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="Force the language (nl, fr, ...).")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date YYYY-MM-DD; anchors 'vorig jaar'."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Only 'json' (JSON Lines).")] = "json",
) -> None:
    """Find entities, figures and facts in files; print one JSON object per file.

    No database is used. The output format is documented in docs/cli.md.
    """
    if fmt != "json":
        _fail("--format must be json")
    anchor = None
    if published:
        try:
            anchor = date.fromisoformat(published)
        except ValueError:
            _fail(f"--published must be YYYY-MM-DD, not {published!r}")
    from nlp.analysis import Analyzer

    settings = _settings()
    analyzer = Analyzer(settings.spacy_models)
    for path in files:
        text, declared, page = _read_input(path)
        analysis = analyzer.analyze(
            text, lang=lang, declared=declared, published=anchor, page=page
        )
        sys.stdout.write(json.dumps(analysis.as_json(path), ensure_ascii=False) + "\n")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run; the connection is read-only.")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many rows.")] = None,
) -> None:
    """Run a read-only SQL query and print the rows."""
    from db.readonly import read_only_query  # loads the PostgreSQL driver

    settings = _settings(db)
    engine = _open(settings)
    try:
        columns, rows = read_only_query(engine, sql, limit)
    except DatabaseError as exc:
        _fail(str(exc))
    write_rows(columns, rows, fmt)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Upgrade the schema to the newest version."""
    engine = make_engine(_settings(db).database_url)
    try:
        upgrade(engine)
        out.print(f"database at revision {current_revision(engine)}", highlight=False)
    except DatabaseError as exc:
        _fail(str(exc))


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Show the schema revision of the database and the newest one available."""
    engine = make_engine(_settings(db).database_url)
    try:
        current = current_revision(engine)
    except DatabaseError as exc:
        _fail(str(exc))
    head = head_revision()
    state = "up to date" if current == head else "needs `newsfacts db upgrade`"
    out.print(f"current {current or '(empty)'}, newest {head}: {state}", highlight=False)


register_research_commands(app)


def _register_queue_commands() -> None:
    from ingest.cli_distributed import enqueue, worker

    app.command()(worker)
    app.command()(enqueue)


_register_queue_commands()

from ingest import scheduled_commands  # noqa: E402, F401  (registers schedule, sources, status)
