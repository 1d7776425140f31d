"""Every command and every column is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect

from db import open_database
from ingest.cli import app
from ingest.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## ", markdown, flags=re.M)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def test_every_table_and_column_is_in_the_schema_docs(sqlite_url: str) -> None:
    sections = _sections((DOCS / "schema.md").read_text("utf-8"))
    inspector = inspect(open_database(sqlite_url))
    for table in inspector.get_table_names():
        assert table in sections, f"table {table} is not in docs/schema.md"
        for column in inspector.get_columns(table):
            assert f"`{column['name']}`" in sections[table], (
                f"column {table}.{column['name']} is not in docs/schema.md"
            )


def _command_names() -> list[str]:
    names = [command.name or "" for command in app.registered_commands]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        names += [f"{group.name} {sub.name}" for sub in group.typer_instance.registered_commands]
    return names


@pytest.mark.parametrize("command", _command_names())
def test_every_command_is_in_the_cli_docs(command: str) -> None:
    assert f"`newsfacts {command}" in (DOCS / "cli.md").read_text("utf-8")


def test_every_setting_is_in_the_cli_docs() -> None:
    docs = (DOCS / "cli.md").read_text("utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in docs, f"setting {name} is not in docs/cli.md"
