"""One run at a time per database, on SQLite and PostgreSQL; dead holders are taken over."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from db import open_database
from db.locks import LockHeld, acquire_lock, reap_orphan_runs, refresh_lock, release_lock
from db.models import Run, RunLock
from ingest.cli.app import app
from ingest.scheduler import RUN_LOCK, run_lock
from ingest.settings import Settings
from tests.conftest import LocalServer, Reply
from tests.ingest.site import RSS, rss

runner = CliRunner()


def dead_pid() -> int:
    """The pid of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_held_lock_refuses_a_second_holder(db_url: str) -> None:
    engine = open_database(db_url)
    owner = acquire_lock(engine, RUN_LOCK, stale_after=60)
    with pytest.raises(LockHeld, match=f"pid {os.getpid()}"):
        acquire_lock(engine, RUN_LOCK, stale_after=60)
    assert refresh_lock(engine, owner)
    release_lock(engine, owner)
    release_lock(engine, acquire_lock(engine, RUN_LOCK, stale_after=60))
    engine.dispose()


def test_a_lock_of_a_dead_process_is_taken_over_at_once(db_url: str) -> None:
    engine = open_database(db_url)
    owner = acquire_lock(engine, RUN_LOCK, stale_after=3600)
    with engine.begin() as connection:
        connection.execute(update(RunLock).values(pid=dead_pid()))
    taken = acquire_lock(engine, RUN_LOCK, stale_after=3600)
    assert taken.token != owner.token
    assert not refresh_lock(engine, owner)  # the old owner knows it lost the lock
    engine.dispose()


def test_a_lock_with_a_stale_heartbeat_is_taken_over(db_url: str) -> None:
    engine = open_database(db_url)
    acquire_lock(engine, RUN_LOCK, stale_after=60)
    with engine.begin() as connection:  # a holder on another machine that went silent
        connection.execute(
            update(RunLock).values(
                host="elsewhere", heartbeat_at=datetime.now(UTC) - timedelta(seconds=61)
            )
        )
    acquire_lock(engine, RUN_LOCK, stale_after=60)
    with engine.connect() as connection:
        assert connection.scalar(select(RunLock.host)) != "elsewhere"
    engine.dispose()


def test_only_one_of_many_concurrent_takeovers_wins(db_url: str) -> None:
    engine = open_database(db_url)
    acquire_lock(engine, RUN_LOCK, stale_after=60)
    with engine.begin() as connection:
        connection.execute(
            update(RunLock).values(heartbeat_at=datetime.now(UTC) - timedelta(hours=1))
        )
    winners: list[str] = []
    barrier = threading.Barrier(4)

    def contend() -> None:
        barrier.wait()
        with contextlib.suppress(LockHeld):
            winners.append(acquire_lock(engine, RUN_LOCK, stale_after=60).token)

    threads = [threading.Thread(target=contend) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    engine.dispose()


def test_runs_whose_process_vanished_are_marked_interrupted(db_url: str) -> None:
    engine = open_database(db_url)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        for host, pid, beat in [
            ("elsewhere", 1, now - timedelta(minutes=10)),  # silent for too long
            (os.uname().nodename, dead_pid(), now),  # killed on this machine
            (os.uname().nodename, os.getpid(), now),  # alive
        ]:
            connection.execute(
                insert(Run).values(
                    command="run", status="running", host=host, pid=pid,
                    started_at=now, heartbeat_at=beat,
                )
            )  # fmt: skip
    reaped = reap_orphan_runs(engine, stale_after=120)
    with engine.connect() as connection:
        statuses = list(connection.scalars(select(Run.status).order_by(Run.id)))
    engine.dispose()
    assert len(reaped) == 2 and statuses == ["interrupted", "interrupted", "running"]


def test_a_second_run_exits_at_once_with_a_clear_message(server: LocalServer, db_url: str) -> None:
    server.route("/feed.xml", Reply(body=rss(), headers=RSS))
    engine = open_database(db_url)
    args = ["run", "--feed", server.url("/feed.xml"), "--db", db_url, "--allow-private-addresses"]
    with run_lock(engine, Settings(database_url=db_url)):
        started = time.monotonic()
        result = runner.invoke(app, args)
        assert time.monotonic() - started < 5
    assert result.exit_code == 3
    assert "another run is active" in result.output and "--wait" in result.output
    assert server.hits.get("/feed.xml") is None
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output  # released: the next run goes ahead
    engine.dispose()


def test_wait_queues_behind_the_active_run(server: LocalServer, sqlite_url: str) -> None:
    server.route("/feed.xml", Reply(body=rss(), headers=RSS))
    engine = open_database(sqlite_url)
    owner = acquire_lock(engine, RUN_LOCK, stale_after=60)
    threading.Timer(1.5, release_lock, (engine, owner)).start()
    started = time.monotonic()
    result = runner.invoke(
        app,
        ["run", "--feed", server.url("/feed.xml"), "--db", sqlite_url,
         "--allow-private-addresses", "--wait"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 1.4 and server.hits["/feed.xml"] == 1
    engine.dispose()


def test_schedule_skips_a_pass_while_another_run_is_active(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    server.route("/feed.xml", Reply(body=rss(), headers=RSS))
    sources = tmp_path / "s.toml"
    sources.write_text(f'[[source]]\nurl = "{server.url("/feed.xml")}"\n', "utf-8")
    engine = open_database(sqlite_url)
    with run_lock(engine, Settings(database_url=sqlite_url)):
        result = runner.invoke(
            app,
            ["schedule", "--every", "1s", "--passes", "1", "--db", sqlite_url,
             "--sources-file", str(sources), "--allow-private-addresses"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "pass skipped: another run is active" in result.output
    assert server.hits.get("/feed.xml") is None
    engine.dispose()
