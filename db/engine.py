"""Engine factory, schema upgrades and sessions."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.companies import unicode_lower
from db.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported by the functions that use it: processes that only read and write
# rows (the pipeline's analysis processes, workers) never load it.

DEFAULT_URL = "sqlite:///newsfacts.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# Revision ids from before the migrations were numbered in the order they apply in: a
# database stamped with one reads as its new id, and is re-stamped on upgrade or downgrade.
LEGACY_REVISIONS = {
    "0001": "0001_initial_schema",
    "0003": "0002_article_metadata",
    "0004": "0003_research_views",
    "0002": "0004_scheduled_fetching",
    "0006": "0005_stage_seconds",
    "0007": "0006_article_relevance",
    "0008": "0007_fact_subject_kind",
}


def _sqlite_functions(dbapi_connection: Any, _record: Any) -> None:
    # Company names are matched case-insensitively in every script (db/companies.py).
    dbapi_connection.create_function("lower", 1, unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    _sqlite_functions(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is safe against a crashed or killed process; only a power cut
    # can roll back the last commits, and their URLs are then fetched again.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def connect_read_only(path: str) -> sqlite3.Connection:
    """An SQLite connection that cannot write nor create the file. A file in WAL mode
    that this process may not write to (read-only media, another owner) is read as it is
    (`immutable`): SQLite could not keep its shared-memory index otherwise."""
    uri = Path(path).resolve().as_uri()
    connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        connection.close()
        connection = sqlite3.connect(
            f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
    return connection


_PASSWORD = re.compile(r"((?:^|://)[^:/@\s]*:)[^@/\s]*@")


def redact(url: str) -> str:
    """`url` with any password replaced by ***."""
    return _PASSWORD.sub(r"\1***@", url)


def make_engine(url: str = DEFAULT_URL, *, read_only: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL mode (synchronous NORMAL), foreign keys and a busy
    timeout, or with `read_only`, connections that cannot write nor create the file."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {redact(url)!r}") from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    shown = parsed.render_as_string(hide_password=True)
    sqlite_file = parsed.drivername.startswith("sqlite") and parsed.database not in (
        None, "", ":memory:",
    )  # fmt: skip
    options: dict[str, Any] = {"pool_pre_ping": True}
    if read_only and sqlite_file:
        options["creator"] = lambda: connect_read_only(str(parsed.database))
    try:
        engine = create_engine(parsed, **options)
    except Exception as exc:  # missing driver, bad options
        message = str(exc).replace(url, shown).replace(str(parsed), shown)
        raise DatabaseError(f"cannot use database {shown!r}: {redact(message)}") from exc
    if engine.dialect.name == "sqlite":
        listener = _sqlite_functions if read_only else _sqlite_pragmas
        event.listen(engine, "connect", listener)
    return engine


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine, independent of the working directory."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this version."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return script.get_current_head()


def _stored_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:  # cannot connect, not a database, corrupt file
        reason = " ".join(str(exc.orig).split())
        raise DatabaseError(f"cannot read the database {engine.url!r}: {reason}") from exc


def shipped_revisions() -> set[str]:
    """Every migration shipped with this version."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {migration.revision for migration in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    stored = _stored_revision(engine)
    return LEGACY_REVISIONS.get(stored, stored) if stored else None


def _restamp_legacy(engine: Engine) -> None:
    stored = _stored_revision(engine)
    if stored in LEGACY_REVISIONS:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :new WHERE version_num = :old"),
                {"new": LEGACY_REVISIONS[stored], "old": stored},
            )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run migrations up to `revision`."""
    from alembic import command

    try:
        _restamp_legacy(engine)
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise DatabaseError(f"cannot migrate {engine.url!r}: {exc.orig}") from exc


def downgrade(engine: Engine, revision: str) -> None:
    """Run migrations down to `revision`."""
    from alembic import command

    _restamp_legacy(engine)
    command.downgrade(alembic_config(engine), revision)


def open_database(url: str = DEFAULT_URL, *, auto_upgrade: bool = True) -> Engine:
    """Open a database, upgrading its schema to the newest version on first use."""
    engine = make_engine(url)
    if auto_upgrade and current_revision(engine) != head_revision():
        upgrade(engine)
    return engine


def open_existing(url: str = DEFAULT_URL) -> Engine:
    """Open a database for reading: never creates a missing SQLite file and never migrates;
    a schema that is missing, behind or unknown is a DatabaseError that says what to run."""
    engine = make_engine(url, read_only=True)
    database = engine.url.database or ":memory:"
    if engine.dialect.name == "sqlite" and database != ":memory:" and not Path(database).is_file():
        engine.dispose()
        raise DatabaseError(
            f"no database at {database}: `newsfacts run` or `newsfacts db upgrade` creates it"
        )
    revision, head = current_revision(engine), head_revision()
    if revision != head:
        engine.dispose()
        if revision is None:
            raise DatabaseError(
                "the database holds no newsfacts schema: run `newsfacts db upgrade` first"
            )
        if revision not in shipped_revisions():
            raise DatabaseError(
                f"the database schema {revision} is newer than this version of newsfacts knows"
            )
        raise DatabaseError(
            f"the database schema is behind ({revision}, this version reads {head}): "
            "run `newsfacts db upgrade`"
        )
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
