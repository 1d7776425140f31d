"""Run researchers' SQL on connections that cannot change the database.

SQLite: the file is opened with `mode=ro` and `PRAGMA query_only`; the driver runs one
statement per call. PostgreSQL: a session whose transactions default to read-only, a
`SET TRANSACTION READ ONLY`, and the statement sent as a prepared statement, which the
server refuses to hold more than one command (so `COMMIT; DELETE ...` cannot slip through).
Every call ends with a rollback and closes its connection.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from db.errors import DatabaseError, ReadOnlyViolation

READ_ONLY_SQLSTATE = "25006"  # read_only_sql_transaction


def read_only_engine(engine: Engine) -> Engine:
    """An engine on the same database whose connections are read-only."""
    url = engine.url
    if engine.dialect.name == "sqlite":
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            raise DatabaseError("read-only queries need an SQLite database file")
        uri = Path(database).resolve().as_uri() + "?mode=ro"
        return create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=NullPool,
        )
    return create_engine(
        url,
        connect_args={"options": "-c default_transaction_read_only=on"},
        poolclass=NullPool,
    )


def _refusal(exc: sqlite3.Error | psycopg.Error) -> DatabaseError:
    message = str(exc).strip()
    lowered = message.lower()
    if getattr(exc, "sqlstate", None) == READ_ONLY_SQLSTATE or "readonly" in lowered:
        return ReadOnlyViolation(
            f"refused: `query` is read-only and never changes the database ({message})"
        )
    if "multiple commands" in lowered or "one statement at a time" in lowered:
        return DatabaseError("query failed: give one SQL statement at a time")
    return DatabaseError(f"query failed: {message}")


def read_only_query(
    engine: Engine, sql: str, limit: int | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of `sql`; writes raise ReadOnlyViolation and change nothing."""
    reader = read_only_engine(engine)
    postgres = reader.dialect.name == "postgresql"
    try:
        with reader.connect() as connection:
            if postgres:
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            else:
                connection.exec_driver_sql("PRAGMA query_only = ON")
            cursor: Any = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                if postgres:
                    cursor.execute(sql, prepare=True)
                else:
                    cursor.execute(sql)
                if cursor.description is None:
                    return [], []
                columns = [str(description[0]) for description in cursor.description]
                rows = cursor.fetchmany(limit) if limit else cursor.fetchall()
                return columns, [tuple(row) for row in rows]
            except (sqlite3.Error, psycopg.Error) as exc:
                raise _refusal(exc) from exc
            finally:
                cursor.close()
                connection.rollback()
    except DatabaseError:
        raise
    except Exception as exc:  # cannot connect, missing file
        raise DatabaseError(f"query failed: {str(getattr(exc, 'orig', exc)).strip()}") from exc
    finally:
        reader.dispose()
