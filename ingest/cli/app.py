"""The `newsfacts` app: built here, with every command registered in one place."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from ingest.cli import analyzing, database, ingesting, queue, research, sources

app = typer.Typer(
    help="Turn multilingual automotive news into a SQL store of companies, plants, figures "
    "and facts.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
)


def _print_version(wanted: bool) -> None:
    if wanted:
        try:
            number = version("newsfacts")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown (not installed)"
        typer.echo(f"newsfacts {number}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Turn multilingual automotive news into a SQL store of companies, plants, figures and
    facts."""


for command in (
    ingesting.demo,
    ingesting.run,
    ingesting.fetch,
    ingesting.reprocess,
    analyzing.analyze,
    research.query,
    research.facts,
    research.entities,
    research.claims,
    research.search,
    research.export,
    research.plot,
    research.serve,
    queue.worker,
    queue.enqueue,
    ingesting.schedule,
    ingesting.status,
):
    app.command()(command)
app.add_typer(database.db_app, name="db")
app.add_typer(sources.sources_app, name="sources")
