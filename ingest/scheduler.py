"""Scheduled passes: one lock per database, sources file synced, due sources polled.

One pass at a time: a pass holds the `run` lock (db/locks.py) for its whole duration. A
lock row rather than PostgreSQL advisory locks plus an SQLite file lock, because one
mechanism then behaves the same on both databases, is visible to `newsfacts status`, and
still frees itself after a SIGKILL: the next pass sees the holder's process is gone (same
host) or its heartbeat is stale (another host) and takes over.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.locks import (
    Heartbeat,
    LockHeld,
    LockOwner,
    acquire_lock,
    reap_orphan_runs,
    refresh_lock,
    release_lock,
)
from ingest.errors import ConfigError, RunLocked
from ingest.intake import due_sources
from ingest.settings import Settings

if TYPE_CHECKING:
    from ingest.pipeline import Pipeline
    from ingest.records import RunSummary

RUN_LOCK = "run"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in '90', '90s', '15m', '1h', '1d'; ConfigError otherwise."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(f"not a duration: {text!r} (use e.g. 30s, 15m, 1h)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@contextmanager
def run_lock(
    engine: Engine, settings: Settings, *, wait: bool = False, poll_every: float = 2.0
) -> Iterator[LockOwner]:
    """Hold the database's run lock; RunLocked at once when busy, unless `wait`."""
    while True:
        try:
            owner = acquire_lock(engine, RUN_LOCK, settings.lock_stale_after)
            break
        except LockHeld as exc:
            if not wait:
                raise RunLocked(f"{exc}; not starting a second run (use --wait to queue)") from exc
            time.sleep(poll_every)
    try:
        with Heartbeat(lambda: refresh_lock(engine, owner), settings.heartbeat_interval):
            yield owner
    finally:
        release_lock(engine, owner)


def run_pass(
    pipeline: Pipeline, engine: Engine, settings: Settings, feeds: list[str] | None = None
) -> RunSummary:
    """One pass, under the lock: ad-hoc feeds, or every due source of the sources file."""
    reap_orphan_runs(engine, settings.lock_stale_after)
    if feeds:
        return pipeline.run_feeds(feeds)
    with Session(engine) as session:
        targets = due_sources(session, settings)
    return pipeline.run_sources(targets)


def schedule_loop(
    every: float,
    one_pass: Callable[[], object],
    *,
    passes: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Call `one_pass` every `every` seconds (start to start); returns the passes made."""
    done = 0
    while passes is None or done < passes:
        started = time.monotonic()
        one_pass()
        done += 1
        if passes is not None and done >= passes:
            break
        sleep(max(0.0, every - (time.monotonic() - started)))
    return done
