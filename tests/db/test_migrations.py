"""Migrations run for real on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from db import DatabaseError, current_revision, head_revision, make_engine, open_database, upgrade
from db.engine import MIGRATIONS_DIR, downgrade, open_existing
from db.models import Base
from db.search import include_name


def test_upgrade_creates_every_table_then_downgrade_removes_them(db_url: str) -> None:
    engine = open_database(db_url)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_and_migrations_do_not_drift(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    engine.dispose()


def test_opening_twice_is_harmless(db_url: str) -> None:
    open_database(db_url).dispose()
    engine = open_database(db_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_uses_wal_and_foreign_keys(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()


def test_a_database_stamped_before_the_renumbering_reads_and_upgrades(db_url: str) -> None:
    engine = open_database(db_url)
    downgrade(engine, "0005_stage_seconds")
    with engine.begin() as connection:  # as the release before the renumbering stamped it
        connection.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    assert current_revision(engine) == "0005_stage_seconds"
    with pytest.raises(DatabaseError, match="newsfacts db upgrade"):
        open_existing(db_url)
    upgrade(engine)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert stored == head_revision() and "relevance" in {
        column["name"] for column in inspect(engine).get_columns("articles")
    }
    engine.dispose()


def test_migration_files_are_numbered_in_the_order_they_apply() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    applied = [Path(m.path).stem[:4] for m in reversed(list(script.walk_revisions()))]
    assert applied == [f"{number:04d}" for number in range(1, len(applied) + 1)]


def test_reading_never_creates_a_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    with pytest.raises(DatabaseError, match="newsfacts run"):
        open_existing(f"sqlite:///{missing}")
    assert not missing.exists()


def test_reading_an_empty_database_names_the_upgrade(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    make_engine(f"sqlite:///{empty}").connect().close()
    with pytest.raises(DatabaseError, match="newsfacts db upgrade"):
        open_existing(f"sqlite:///{empty}")
