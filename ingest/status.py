"""What `newsfacts status` shows: recent runs, the run lock, and unhealthy sources."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Engine, select

from db.locks import lock_holder
from db.models import Run, Source
from ingest.scheduler import RUN_LOCK

Rows = tuple[list[str], list[tuple[Any, ...]]]


def recent_runs(engine: Engine, limit: int = 10, orphans: Collection[int] = ()) -> Rows:
    """The newest runs with their counts per outcome; `orphans` (runs whose process is gone,
    db.locks.orphan_runs) show as interrupted, as the next run will record them."""
    columns = [
        "id",
        "command",
        "status",
        "started_at",
        "finished_at",
        "new",
        "updated",
        "unchanged",
        "duplicate",
        "failed",
        "error",
    ]
    query = (
        select(
            Run.id,
            Run.command,
            Run.status,
            Run.started_at,
            Run.finished_at,
            Run.n_new,
            Run.n_updated,
            Run.n_unchanged,
            Run.n_duplicate,
            Run.n_failed,
            Run.error,
        )
        .order_by(Run.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    status = columns.index("status")
    return columns, [
        (*row[:status], "interrupted", *row[status + 1 :]) if row[0] in orphans else row
        for row in rows
    ]


def unhealthy_sources(engine: Engine) -> Rows:
    """Enabled sources whose last poll failed, worst first, with their last error."""
    columns = ["url", "kind", "failures", "last_status", "next_poll_at", "last_error"]
    query = (
        select(
            Source.url,
            Source.kind,
            Source.consecutive_failures,
            Source.last_status,
            Source.next_poll_at,
            Source.last_error,
        )
        .where(Source.enabled.is_(True), Source.consecutive_failures > 0)
        .order_by(Source.consecutive_failures.desc(), Source.url)
    )
    with engine.connect() as connection:
        return columns, [tuple(row) for row in connection.execute(query)]


def lock_line(engine: Engine) -> str:
    """Who holds the run lock, in words."""
    holder = lock_holder(engine, RUN_LOCK)
    if holder is None:
        return "no run is active"
    return f"a run is active: host {holder.host}, pid {holder.pid}, since {holder.acquired_at}"
