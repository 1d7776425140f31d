"""Read commands never write: no missing database is created, no schema migrated, no run
re-labelled; a schema that is behind is a one-line error naming `newsfacts db upgrade`."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from typer.testing import CliRunner

from db import current_revision, open_database
from db.engine import downgrade
from db.models import Run
from ingest.cli.app import app
from tests.ingest.test_locks import dead_pid

runner = CliRunner()

READ_COMMANDS = [
    ["query", "select 1"],
    ["facts"],
    ["claims"],
    ["entities"],
    ["search", "usine"],
    ["export", "--format", "csv", "--out", "exported"],
    ["plot", "--company", "Chery", "--metric", "sales"],
    ["serve"],
    ["status"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda command: command[0])
def test_a_missing_sqlite_file_is_an_error_and_stays_missing(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nowhere.db"
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 1
    assert "newsfacts run" in result.output and "Traceback" not in result.output
    assert not missing.exists() and not (tmp_path / "exported").exists()


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda command: command[0])
def test_a_schema_behind_is_named_and_left_as_it_is(command: list[str], db_url: str) -> None:
    if command == ["serve"] and not db_url.startswith("sqlite"):
        pytest.skip("serve refuses PostgreSQL before opening it (test_serve.py)")
    engine = open_database(db_url)
    downgrade(engine, "0005_stage_seconds")
    result = runner.invoke(app, [*command, "--db", db_url])
    assert result.exit_code == 1
    assert "newsfacts db upgrade" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert current_revision(engine) == "0005_stage_seconds"
    engine.dispose()


def test_status_shows_a_vanished_run_as_interrupted_without_recording_it(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(
            insert(Run).values(
                command="run", status="running", host=os.uname().nodename, pid=dead_pid(),
                started_at=datetime.now(UTC),
            )
        )  # fmt: skip
    result = runner.invoke(app, ["status", "--db", db_url, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert ",interrupted," in result.stdout
    with engine.connect() as connection:
        assert connection.scalars(select(Run.status)).all() == ["running"]
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == current_revision(engine)
    engine.dispose()
