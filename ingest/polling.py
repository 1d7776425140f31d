"""When to poll each source: due sources, adaptive intervals, backoff after failures.

- Something new found: the interval halves (not below `poll_interval_min`).
- Nothing new (304, same body, or only known URLs): it grows by half (up to the maximum).
- Entries left for later by the URL limits: due again at once, without validators, so that
  the next run reads the source in full and takes the next entries.
- A failed poll: the interval stays, the next poll waits `poll_interval_min * 2**failures`
  (capped at `poll_interval_max`), and the error is kept for `newsfacts status`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Source
from ingest.discover import Discovery, PollTarget
from ingest.settings import Settings


def due_targets(session: Session, now: datetime) -> list[PollTarget]:
    """Enabled sources whose next poll time has come, soonest first."""
    rows = session.scalars(
        select(Source)
        .where(Source.enabled.is_(True))
        .where(or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now))
        .order_by(Source.next_poll_at.is_not(None), Source.next_poll_at, Source.id)
    )
    return [
        PollTarget(row.url, row.kind, row.id, row.etag, row.last_modified, row.body_hash)
        for row in rows
    ]


def next_interval(current: int, found_new: bool, settings: Settings) -> int:
    """The poll interval after a successful poll."""
    interval = current // 2 if found_new else current * 3 // 2
    return max(settings.poll_interval_min, min(settings.poll_interval_max, interval))


def failure_delay(failures: int, settings: Settings) -> int:
    """Seconds to wait after `failures` failed polls in a row."""
    delay = settings.poll_interval_min * 2 ** min(failures, 20)
    return int(min(settings.poll_interval_max, delay))


def record_poll(
    session: Session,
    discovery: Discovery,
    n_new: int,
    settings: Settings,
    now: datetime | None = None,
) -> None:
    """Store what a poll learned about its source and when to poll it next."""
    source_id = discovery.target.source_id
    source = session.get(Source, source_id) if source_id is not None else None
    if source is None:
        return
    now = now or datetime.now(UTC)
    source.last_polled_at = now
    if discovery.error is not None:
        source.consecutive_failures = (source.consecutive_failures or 0) + 1
        source.last_status = getattr(discovery.error, "status", None)
        source.last_error = f"{type(discovery.error).__name__}: {discovery.error}"
        delay = failure_delay(source.consecutive_failures, settings)
    else:
        source.consecutive_failures = 0
        source.last_error = None
        source.last_status = discovery.status
        source.etag = discovery.etag
        source.last_modified = discovery.last_modified
        source.body_hash = discovery.body_hash
        source.poll_interval_s = next_interval(
            source.poll_interval_s or settings.poll_interval_min, n_new > 0, settings
        )
        delay = source.poll_interval_s
        if discovery.left:
            source.etag = source.last_modified = source.body_hash = None
            delay = 0
    source.next_poll_at = now + timedelta(seconds=delay)
    session.commit()
