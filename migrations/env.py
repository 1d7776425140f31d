"""Alembic environment: uses the engine handed over by db.engine, or a URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Engine

from db.engine import DEFAULT_URL, make_engine
from db.models import Base
from db.search import include_name, restore_search_triggers, set_batch_pragmas

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "NEWSFACTS_DATABASE_URL", DEFAULT_URL
    )
    return make_engine(url)


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(
        url=str(_engine().url),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on a live connection."""
    engine = _engine()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            set_batch_pragmas(connection, batch=True)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                restore_search_triggers(connection)
        connection.commit()
        if sqlite:
            set_batch_pragmas(connection, batch=False)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
