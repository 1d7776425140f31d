"""`newsfacts query` runs on connections that cannot change the database."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from sample_store import seed
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from db import DatabaseError, ReadOnlyViolation, make_engine, open_database
from db.readonly import read_only_query
from ingest.cli.app import app

WRITES = [
    "delete from articles",
    "update articles set title = 'x'",
    "insert into runs (command, status, started_at) values ('x', 'finished', '2026-01-01')",
    "drop view v_facts",
    "create table scratch (a integer)",
]


def _count(url: str) -> int:
    engine = open_database(url)
    _, rows = read_only_query(engine, "select count(*) from articles")
    engine.dispose()
    return int(rows[0][0])


@pytest.mark.parametrize("sql", WRITES)
def test_writes_are_refused_and_change_nothing(db_url: str, sql: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        read_only_query(engine, sql)
    engine.dispose()
    assert _count(db_url) == 4


@pytest.mark.parametrize(
    "sql",
    [
        "commit; delete from articles",
        "select 1; delete from articles",
        "rollback; drop table facts",
    ],
)
def test_several_statements_are_refused(db_url: str, sql: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    with pytest.raises(DatabaseError, match="one SQL statement at a time"):
        read_only_query(engine, sql)
    engine.dispose()
    assert _count(db_url) == 4


def test_switching_read_only_off_does_not_outlive_the_call(db_url: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    if engine.dialect.name == "sqlite":
        read_only_query(engine, "PRAGMA query_only = OFF")
    else:
        read_only_query(engine, "select set_config('default_transaction_read_only', 'off', false)")
    with pytest.raises(ReadOnlyViolation):
        read_only_query(engine, "delete from facts")
    engine.dispose()
    assert _count(db_url) == 4


def test_reads_views_and_honours_the_limit(db_url: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    columns, rows = read_only_query(
        engine, "select subject, value from v_facts order by value desc", limit=2
    )
    _, empty = read_only_query(engine, "select * from articles where id < 0")
    engine.dispose()
    assert columns == ["subject", "value"] and rows == [("Acme", 140000.0), ("Acme", 126700.0)]
    assert empty == []


def test_bad_sql_is_a_database_error(db_url: str) -> None:
    engine = open_database(db_url)
    with pytest.raises(DatabaseError, match="query failed") as raised:
        read_only_query(engine, "select * from no_such_table")
    engine.dispose()
    assert not isinstance(raised.value, ReadOnlyViolation)


def test_the_documented_researcher_role_reads_and_cannot_write(postgres_url: str) -> None:
    seed(postgres_url)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "schema.md").read_text("utf-8")
    section = docs.split("## A read-only role for researchers", 1)[1]
    script = section.split("```sql", 1)[1].split("```", 1)[0]
    role = f"researcher_{uuid.uuid4().hex[:8]}"
    database = make_url(postgres_url).database
    script = script.replace("researcher", role).replace(
        "DATABASE newsfacts", f'DATABASE "{database}"'
    )
    owner = open_database(postgres_url)
    with owner.begin() as connection:
        for statement in re.sub(r"--[^\n]*", "", script).split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)
    as_researcher = make_url(postgres_url).set(username=role).render_as_string()
    try:
        runner = CliRunner()
        facts = runner.invoke(app, ["facts", "--db", as_researcher, "--format", "json"])
        assert facts.exit_code == 0, facts.output
        assert len(json.loads(facts.stdout)) == 8
        search = runner.invoke(app, ["search", "Zwickau", "--db", as_researcher])
        assert search.exit_code == 0 and "acme-exports" in search.stdout
        engine = make_engine(as_researcher)
        with pytest.raises(DBAPIError, match="read-only"), engine.begin() as connection:
            connection.execute(text("delete from articles"))
        engine.dispose()
        assert _count(postgres_url) == 4
    finally:
        with owner.begin() as connection:
            connection.exec_driver_sql(f"DROP OWNED BY {role}")
            connection.exec_driver_sql(f"DROP ROLE {role}")
        owner.dispose()
