"""`newsfacts query` runs on connections that cannot change the database."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
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
    with contextlib.suppress(DatabaseError):  # refused outright now; if it ever ran:
        if engine.dialect.name == "sqlite":
            read_only_query(engine, "PRAGMA query_only = OFF")
        else:
            read_only_query(
                engine, "select set_config('default_transaction_read_only', 'off', false)"
            )
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
    docs = (Path(__file__).resolve().parents[2] / "db" / "schema.md").read_text("utf-8")
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


POSTGRES_ESCAPES = [
    "copy facts to program 'touch /tmp/newsfacts-escaped'",
    "copy facts to '/tmp/newsfacts-copied.csv'",
    "select pg_read_file('/etc/hostname')",
    "select \"pg_read_file\" ('/etc/hostname')",
    "select pg_reload_conf()",
    "lock table facts in access exclusive mode",
    "explain analyze delete from facts",
    "with gone as (delete from facts returning id) select count(*) from gone",
    "select * into scratch from facts",
]


@pytest.mark.parametrize("sql", POSTGRES_ESCAPES)
def test_statements_that_reach_outside_are_refused_on_postgresql(
    postgres_url: str, sql: str
) -> None:
    seed(postgres_url)
    engine = open_database(postgres_url)
    with pytest.raises(ReadOnlyViolation, match="refused"):
        read_only_query(engine, sql)
    engine.dispose()
    assert _count(postgres_url) == 4
    assert not Path("/tmp/newsfacts-escaped").exists()


@pytest.mark.parametrize(
    "sql", ["attach database '{path}' as other", "vacuum into '{path}'", "pragma query_only = off"]
)
def test_sqlite_queries_create_no_files(sqlite_url: str, tmp_path: Path, sql: str) -> None:
    engine = open_database(sqlite_url)
    created = tmp_path / "created.db"
    with pytest.raises(ReadOnlyViolation, match="refused"):
        read_only_query(engine, sql.format(path=created))
    engine.dispose()
    assert not created.exists()


def test_plans_and_schema_pragmas_are_readable(db_url: str) -> None:
    engine = open_database(db_url)
    _, plan = read_only_query(engine, "explain select * from facts")
    assert plan
    if engine.dialect.name == "sqlite":
        _, columns = read_only_query(engine, "select name from pragma_table_info('facts')")
        assert ("metric",) in columns
    engine.dispose()


def test_a_query_stops_at_its_timeout(db_url: str) -> None:
    engine = open_database(db_url)
    endless = (
        "with recursive n(x) as (select 1 union all select x + 1 from n) select count(*) from n"
        if engine.dialect.name == "sqlite"
        else "select pg_sleep(30)"
    )
    started = time.monotonic()
    with pytest.raises(DatabaseError, match=r"stopped after 0.5 s"):
        read_only_query(engine, endless, timeout=0.5)
    engine.dispose()
    assert time.monotonic() - started < 10


def test_the_server_stops_the_query_of_a_killed_client(postgres_url: str) -> None:
    open_database(postgres_url).dispose()
    marker = f"newsfacts_{uuid.uuid4().hex[:8]}"
    client = subprocess.Popen(
        [sys.executable, "-m", "ingest", "query", f"select pg_sleep(60), '{marker}'",
         "--db", postgres_url, "--timeout", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    engine = make_engine(postgres_url)
    running = (
        "select count(*) from pg_stat_activity where query like :marker and pid <> pg_backend_pid()"
    )

    def sleeping() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text(running), {"marker": f"%{marker}%"}).scalar_one())

    deadline = time.monotonic() + 30
    while not sleeping() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sleeping() == 1
    os.kill(client.pid, signal.SIGKILL)
    client.wait()
    time.sleep(3)
    with engine.connect() as connection:
        active = connection.execute(
            text(running.replace("count(*)", "count(*) filter (where state = 'active')")),
            {"marker": f"%{marker}%"},
        ).scalar_one()
    engine.dispose()
    assert active == 0


def test_a_superuser_is_warned(postgres_url: str) -> None:
    open_database(postgres_url).dispose()
    result = CliRunner().invoke(app, ["query", "select 1 as one", "--db", postgres_url])
    assert result.exit_code == 0, result.output
    assert "superuser" in result.stderr and "read-only" in result.stderr
