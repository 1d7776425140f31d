"""Every command and every column is documented."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from sqlalchemy import inspect
from typer.main import get_group
from typer.testing import CliRunner

from bench.first_session import COMMANDS, SERVE
from db import open_database
from db.search import is_fts5_storage
from ingest.cli.app import app
from ingest.serve import SCHEMA_DOC
from ingest.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## ", markdown, flags=re.M)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def test_every_table_view_and_column_is_in_the_schema_docs(db_url: str) -> None:
    sections = _sections(SCHEMA_DOC.read_text("utf-8"))
    inspector = inspect(open_database(db_url))
    tables = [name for name in inspector.get_table_names() if not is_fts5_storage(name)]
    views = inspector.get_view_names()
    assert views, "the migrations create views"
    for table in tables + views:
        assert table in sections, f"table or view {table} is not in db/schema.md"
        for column in inspector.get_columns(table):
            assert f"`{column['name']}`" in sections[table], (
                f"column {table}.{column['name']} is not in db/schema.md"
            )


def _command_names() -> list[str]:
    names = []
    for name, command in get_group(app).commands.items():
        if isinstance(command, click.Group):
            names += [f"{name} {sub}" for sub in command.commands]
        else:
            names.append(name)
    return names


@pytest.mark.parametrize("command", _command_names())
def test_every_command_is_in_the_cli_docs(command: str) -> None:
    assert f"`newsfacts {command}" in (DOCS / "cli.md").read_text("utf-8")


def test_every_setting_is_in_the_cli_docs() -> None:
    docs = (DOCS / "cli.md").read_text("utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in docs, f"setting {name} is not in docs/cli.md"


def test_the_first_session_shows_the_commands_its_script_runs() -> None:
    """The commands of "A researcher's first session" are those bench/first_session.py runs
    (to refresh the outputs), and each one's options still exist."""
    section = _sections((DOCS / "cli.md").read_text("utf-8"))["A researcher's first session"]
    shown = [line[2:] for line in section.splitlines() if line.startswith("$ newsfacts ")]
    assert shown == [*COMMANDS, SERVE]
    for command in shown:
        result = CliRunner().invoke(app, [*shlex.split(command)[1:], "--help"])
        assert result.exit_code == 0, f"{command}: {result.output}"
