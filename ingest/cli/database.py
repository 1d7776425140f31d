"""`newsfacts db ...`: create, upgrade and inspect the database schema."""

from __future__ import annotations

import typer

from db import DatabaseError, current_revision, head_revision, upgrade
from db.engine import make_engine
from ingest.cli.common import DbOption, fail, out, settings_for

db_app = typer.Typer(help="Create or inspect the database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the schema, or upgrade it to the newest version."""
    engine = make_engine(settings_for(database_url=db).database_url)
    try:
        upgrade(engine)
        out.print(f"database at revision {current_revision(engine)}", highlight=False)
    except DatabaseError as exc:
        fail(str(exc))


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Show the schema revision of the database and the newest one available."""
    engine = make_engine(settings_for(database_url=db).database_url)
    try:
        current = current_revision(engine)
    except DatabaseError as exc:
        fail(str(exc))
    head = head_revision()
    state = "up to date" if current == head else "needs `newsfacts db upgrade`"
    out.print(f"current {current or '(empty)'}, newest {head}: {state}", highlight=False)
