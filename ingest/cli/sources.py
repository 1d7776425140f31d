"""`newsfacts sources ...`: manage the sources file (feeds, sitemaps, URL lists)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Source
from ingest.cli.common import (
    DbOption,
    FormatOption,
    SourcesFileOption,
    err,
    fail,
    language,
    open_for_writing,
    settings_for,
)
from ingest.errors import IngestError
from ingest.output import OutputFormat, write_rows
from ingest.settings import Settings
from ingest.sourcefile import add_spec, delete_source, edit_spec, load_specs, make_spec
from ingest.sourcefile import sync_sources as sync_into_table

sources_app = typer.Typer(
    help="Manage the sources file (feeds, sitemaps, URL lists).", no_args_is_help=True
)


def _sources_settings(db: str | None, sources_file: str | None) -> tuple[Settings, Path]:
    settings = settings_for(database_url=db, sources_file=sources_file)
    return settings, Path(settings.sources_file)


def _sync(settings: Settings, path: Path) -> Engine:
    engine = open_for_writing(settings)
    try:
        specs = load_specs(path)
    except IngestError as exc:
        fail(str(exc))
    with Session(engine) as session:
        sync_into_table(session, specs)
    return engine


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="Feed, sitemap, robots.txt/site root or URL list.")],
    kind: Annotated[
        str | None, typer.Option("--kind", help="feed, sitemap or urls (guessed from the URL).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", callback=language, help="Expected language, e.g. nl.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="A short name.")] = None,
    db: DbOption = None,
    sources_file: SourcesFileOption = None,
) -> None:
    """Add a source to the sources file (and the database)."""
    settings, path = _sources_settings(db, sources_file)
    try:
        spec = make_spec(url, kind, lang, name)
        add_spec(path, spec)
    except IngestError as exc:
        fail(str(exc))
    _sync(settings, path)
    err.print(f"added {spec.kind} {spec.url} to {path}", highlight=False)


@sources_app.command("list")
def sources_list(
    db: DbOption = None,
    sources_file: SourcesFileOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List sources with their polling state."""
    settings, path = _sources_settings(db, sources_file)
    engine = _sync(settings, path) if path.exists() else open_for_writing(settings)
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
    write_rows(columns, rows, fmt, empty="no sources: add one with `newsfacts sources add URL`")


def _edit(url: str, db: str | None, sources_file: str | None, **change: Any) -> Path:
    settings, path = _sources_settings(db, sources_file)
    try:
        edit_spec(path, url, **change)
    except IngestError as exc:
        fail(str(exc))
    engine = _sync(settings, path)
    if change.get("remove"):
        with Session(engine) as session:
            delete_source(session, url)
    return path


@sources_app.command("disable")
def sources_disable(url: str, db: DbOption = None, sources_file: SourcesFileOption = None) -> None:
    """Stop polling a source; it stays in the file with enabled = false."""
    _edit(url, db, sources_file, enabled=False)
    err.print(f"disabled {url}", highlight=False)


@sources_app.command("enable")
def sources_enable(url: str, db: DbOption = None, sources_file: SourcesFileOption = None) -> None:
    """Poll a disabled source again."""
    _edit(url, db, sources_file, enabled=True)
    err.print(f"enabled {url}", highlight=False)


@sources_app.command("remove")
def sources_remove(url: str, db: DbOption = None, sources_file: SourcesFileOption = None) -> None:
    """Remove a source from the file and its row from the database (articles stay)."""
    _edit(url, db, sources_file, remove=True)
    err.print(f"removed {url}", highlight=False)
