"""Run researchers' SQL on connections that cannot change the database.

First the statement itself must only read (db/statements.py). SQLite: the file is opened
with `mode=ro`, `PRAGMA query_only`, no attached databases and an authorizer that denies
writes; a progress handler stops the statement at its deadline. PostgreSQL: a session whose
transactions default to read-only, a `SET TRANSACTION READ ONLY`, a server-side
`statement_timeout` (which holds even when the client is killed), and the statement sent as
a prepared statement, which the server refuses to hold more than one command. Every call
ends with a rollback and closes its connection.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from db.engine import connect_read_only
from db.errors import DatabaseError, ReadOnlyViolation
from db.statements import check_read_only

READ_ONLY_SQLSTATE = "25006"  # read_only_sql_transaction
QUERY_CANCELED_SQLSTATE = "57014"
# Statements that open other database files; writes are stopped by `mode=ro` and
# `query_only` already.
_SQLITE_DENIED = frozenset({sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH})


def _sqlite_authorizer(action: int, *_: object) -> int:
    return sqlite3.SQLITE_DENY if action in _SQLITE_DENIED else sqlite3.SQLITE_OK


def _sqlite_reader(path: str) -> sqlite3.Connection:
    connection = connect_read_only(path)
    connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    return connection


def read_only_engine(engine: Engine) -> Engine:
    """An engine on the same database whose connections are read-only."""
    url = engine.url
    if engine.dialect.name == "sqlite":
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            raise DatabaseError("read-only queries need an SQLite database file")
        return create_engine(
            "sqlite://",
            creator=lambda: _sqlite_reader(database),
            poolclass=NullPool,
        )
    return create_engine(
        url,
        connect_args={"options": "-c default_transaction_read_only=on"},
        poolclass=NullPool,
    )


def _refusal(exc: sqlite3.Error | psycopg.Error, timeout: float | None) -> DatabaseError:
    message = str(exc).strip()
    lowered = message.lower()
    stopped = getattr(exc, "sqlstate", None) == QUERY_CANCELED_SQLSTATE or lowered == "interrupted"
    if stopped and timeout:
        return DatabaseError(f"query stopped after {timeout:g} s (--timeout)")
    if "not authorized" in lowered:
        return ReadOnlyViolation(f"refused: `query` is read-only ({message})")
    if getattr(exc, "sqlstate", None) == READ_ONLY_SQLSTATE or "readonly" in lowered:
        return ReadOnlyViolation(
            f"refused: `query` is read-only and never changes the database ({message})"
        )
    if "multiple commands" in lowered or "one statement at a time" in lowered:
        return DatabaseError("query failed: give one SQL statement at a time")
    return DatabaseError(f"query failed: {message}")


def is_superuser(engine: Engine) -> bool:
    """Whether the engine's PostgreSQL role is a superuser (False on SQLite)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as connection:
        return connection.exec_driver_sql("SHOW is_superuser").scalar() == "on"


def _stop_at(deadline: float) -> Any:
    def handler() -> int:
        return 1 if time.monotonic() > deadline else 0

    return handler


def read_only_query(
    engine: Engine, sql: str, limit: int | None = None, timeout: float | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of `sql`, stopped after `timeout` seconds; a statement that
    could write raises ReadOnlyViolation and changes nothing."""
    check_read_only(sql)
    reader = read_only_engine(engine)
    postgres = reader.dialect.name == "postgresql"
    try:
        with reader.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            if postgres:
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                if timeout:
                    milliseconds = int(timeout * 1000)
                    connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")
            else:
                connection.exec_driver_sql("PRAGMA query_only = ON")
                raw.set_authorizer(_sqlite_authorizer)
                if timeout:
                    raw.set_progress_handler(_stop_at(time.monotonic() + timeout), 10_000)
            cursor: Any = raw.cursor()
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
                raise _refusal(exc, timeout) from exc
            finally:
                cursor.close()
                if not postgres:
                    raw.set_authorizer(None)
                    raw.set_progress_handler(None, 0)
                connection.rollback()
    except DatabaseError:
        raise
    except Exception as exc:  # cannot connect, missing file
        raise DatabaseError(f"query failed: {str(getattr(exc, 'orig', exc)).strip()}") from exc
    finally:
        reader.dispose()
