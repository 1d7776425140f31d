"""The `newsfacts` app: built here, with every command registered in one place."""

from __future__ import annotations

import typer

from ingest.cli import database, ingesting, queue, research, sources

app = typer.Typer(
    help="Turn multilingual automotive news into a SQL store of companies, plants, figures "
    "and facts.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
)

for command in (
    ingesting.demo,
    ingesting.run,
    ingesting.fetch,
    ingesting.reprocess,
    research.analyze,
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
