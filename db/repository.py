"""Small repository functions shared by writers and readers."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Article, Run
from db.urls import url_hash


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def start_run(session: Session, command: str) -> Run:
    """Record a run as running."""
    run = Run(
        command=command,
        status="running",
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=utcnow(),
    )
    session.add(run)
    session.commit()
    return run


def finish_run(
    session: Session, run: Run, status: str = "finished", error: str | None = None
) -> None:
    """Mark a run as ended."""
    run.status = status
    run.error = error
    run.finished_at = utcnow()
    session.merge(run)
    session.commit()


def stored_update_times(session: Session, urls: list[str]) -> dict[str, datetime]:
    """When each of these canonical URLs' article was last changed, for those stored."""
    found: dict[str, datetime] = {}
    by_hash = {url_hash(url): url for url in urls}
    hashes = list(by_hash)
    for offset in range(0, len(hashes), 500):
        chunk = hashes[offset : offset + 500]
        rows = session.execute(
            select(Article.canonical_url_hash, Article.updated_at).where(
                Article.canonical_url_hash.in_(chunk)
            )
        )
        found.update({by_hash[key]: updated_at for key, updated_at in rows})
    return found
