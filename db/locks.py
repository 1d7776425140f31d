"""Run locks and heartbeats that work alike on SQLite and PostgreSQL.

A lock is a row in `run_locks` keyed by name, holding the owner's host, pid, a random token
and a heartbeat the owner refreshes from a thread. Taking a held lock fails unless the
holder is gone: its heartbeat is older than `stale_after`, or it ran on this host and its
process no longer exists (a run killed with SIGKILL is taken over at once). Takeover is a
compare-and-set on the token, so two processes can never both win.

The same heartbeat keeps `runs.heartbeat_at` fresh; `reap_orphan_runs` marks runs whose
process vanished as `interrupted`, so no run stays `running` forever.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.errors import DatabaseError
from db.models import Run, RunLock


class LockHeld(DatabaseError):
    """Another live process holds the lock."""


@dataclass(frozen=True)
class LockOwner:
    """Who holds a lock."""

    name: str
    host: str
    pid: int
    token: str


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive timestamps; newsfacts writes UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def process_gone(host: str, pid: int) -> bool:
    """True when `pid` ran on this host and no longer exists; False when unknown."""
    if host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire_lock(engine: Engine, name: str, stale_after: float) -> LockOwner:
    """Take the lock `name`, taking over a stale one; LockHeld when a live process has it."""
    now = datetime.now(UTC)
    owner = LockOwner(name, socket.gethostname(), os.getpid(), uuid.uuid4().hex)
    values = {"host": owner.host, "pid": owner.pid, "token": owner.token}
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(RunLock).values(name=name, acquired_at=now, heartbeat_at=now, **values)
            )
        return owner
    except IntegrityError:
        pass
    with engine.begin() as connection:
        held = connection.execute(select(RunLock).where(RunLock.name == name)).one_or_none()
        if held is None:
            raise LockHeld(f"lock {name!r} changed hands while taking it; try again")
        age = (now - _utc(held.heartbeat_at)).total_seconds()
        if age < stale_after and not process_gone(held.host, held.pid):
            raise LockHeld(
                f"another run is active (host {held.host}, pid {held.pid}, "
                f"last heartbeat {age:.0f}s ago)"
            )
        taken = connection.execute(
            update(RunLock)
            .where(RunLock.name == name, RunLock.token == held.token)
            .values(acquired_at=now, heartbeat_at=now, **values)
        )
        if taken.rowcount != 1:
            raise LockHeld(f"another process took over lock {name!r} first")
    return owner


def refresh_lock(engine: Engine, owner: LockOwner) -> bool:
    """Renew the heartbeat; False when the lock was taken over meanwhile."""
    with engine.begin() as connection:
        result = connection.execute(
            update(RunLock)
            .where(RunLock.name == owner.name, RunLock.token == owner.token)
            .values(heartbeat_at=datetime.now(UTC))
        )
    return result.rowcount == 1


def release_lock(engine: Engine, owner: LockOwner) -> None:
    """Give the lock up (only if still ours)."""
    with engine.begin() as connection:
        connection.execute(
            delete(RunLock).where(RunLock.name == owner.name, RunLock.token == owner.token)
        )


def lock_holder(engine: Engine, name: str) -> RunLock | None:
    """The current lock row, if any."""
    with engine.connect() as connection:
        row = connection.execute(select(RunLock).where(RunLock.name == name)).one_or_none()
    return RunLock(**row._asdict()) if row is not None else None


def touch_run(engine: Engine, run_id: int) -> None:
    """Renew a run's heartbeat."""
    with engine.begin() as connection:
        connection.execute(
            update(Run).where(Run.id == run_id).values(heartbeat_at=datetime.now(UTC))
        )


def orphan_runs(engine: Engine, stale_after: float) -> list[int]:
    """Ids of `running` runs whose process is gone, without changing anything.

    Gone means: it ran on this host and its pid no longer exists, or it keeps a heartbeat
    and that heartbeat is older than `stale_after` (runs without one are judged by pid only).
    """
    cutoff = datetime.now(UTC) - timedelta(seconds=stale_after)
    with engine.connect() as connection:
        running = connection.execute(
            select(Run.id, Run.host, Run.pid, Run.heartbeat_at, Run.started_at).where(
                Run.status == "running"
            )
        ).all()
    return [
        row.id
        for row in running
        if (row.heartbeat_at is not None and _utc(row.heartbeat_at) < cutoff)
        or (row.host and row.pid and process_gone(row.host, row.pid))
    ]


def reap_orphan_runs(engine: Engine, stale_after: float) -> list[int]:
    """Mark `running` runs whose process is gone (`orphan_runs`) as `interrupted`; their ids."""
    orphans = orphan_runs(engine, stale_after)
    if orphans:
        with engine.begin() as connection:
            connection.execute(
                update(Run)
                .where(Run.id.in_(orphans), Run.status == "running")
                .values(
                    status="interrupted",
                    finished_at=datetime.now(UTC),
                    error="the process stopped without finishing (no heartbeat)",
                )
            )
    return orphans


class Heartbeat:
    """Calls `beat` now and then every `interval` seconds from a daemon thread."""

    def __init__(self, beat: Callable[[], object], interval: float) -> None:
        self.beat = beat
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True, name="heartbeat")

    def _loop(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.beat()
            except Exception:  # a missed beat is retried; staleness needs many in a row
                continue

    def __enter__(self) -> Heartbeat:
        self.beat()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()
