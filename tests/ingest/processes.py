"""Helpers for tests that run `newsfacts` as a real process and stop or kill it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from db import open_database
from db.models import Article, Run, RunLock

NEWSFACTS = str(Path(sys.executable).parent / "newsfacts")


def count_articles(db_url: str) -> int:
    """Articles stored so far (0 while the database is still being created)."""
    engine = open_database(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Article)) or 0)
    except OperationalError:
        return 0
    finally:
        engine.dispose()


def runs_and_locks(db_url: str) -> tuple[list[tuple[str, str | None]], int]:
    """(status, error) of every run, oldest first, and the number of run locks held."""
    engine = open_database(db_url)
    with engine.connect() as connection:
        runs = [(row.status, row.error) for row in connection.execute(select(Run).order_by(Run.id))]
        locks = int(connection.scalar(select(func.count()).select_from(RunLock)) or 0)
    engine.dispose()
    return runs, locks


def pool_processes(pid: int) -> list[psutil.Process]:
    """The analysis processes under process `pid`: those its fork server forked."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            parent = child.parent()
            if parent is not None and "forkserver" in " ".join(parent.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def alive(process: psutil.Process) -> bool:
    """Running and not a zombie (a zombie holds no memory and no files)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `condition` until it holds; fail the test with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
