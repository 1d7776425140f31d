"""A run's bookkeeping, shared by every driver: its `runs` row, its outcome rows, the
summary and progress display they feed, the seconds spent per stage, and how SIGINT and
SIGTERM end it."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.models import Run
from db.repository import finish_run, start_run
from ingest.records import OutcomeRow, RunInterrupted, RunSummary, StoreItem
from ingest.store import ArticleStore

Progress = Callable[[str, str], None]  # (event, url)


def no_progress(event: str, url: str) -> None:
    """A progress display that shows nothing."""


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_on_signals(summary: RunSummary) -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM cancel the running asyncio task (the run's
    main task), so that the run stops at its next await, whatever it was doing: what is
    in flight is abandoned, what was analysed is stored. The block then raises
    RunInterrupted, whatever else it raised on the way. Only in the main thread, where
    signals are handled; the previous handlers are restored at the end."""
    task = asyncio.current_task()
    if task is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    received: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        loop.call_soon_threadsafe(task.cancel)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    except BaseException as exc:
        if received:
            raise RunInterrupted(received[0], summary) from exc
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        raise RunInterrupted(received[0], summary)


class RunRecorder:
    """Records one run at a time: opens its row, stores outcome rows, finishes it."""

    def __init__(self, engine: Engine, store: ArticleStore, progress: Progress | None = None):
        self.engine = engine
        self.store = store
        self.progress = progress or no_progress
        self.seconds: defaultdict[str, float] = defaultdict(float)

    @contextmanager
    def tracked(self, command: str) -> Iterator[tuple[Run, RunSummary]]:
        """A `runs` row for the block: finished when it ends, interrupted when it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            run = start_run(session, command)
        summary = RunSummary(run.id)
        try:
            yield run, summary
        except BaseException as exc:
            error = str(exc) if isinstance(exc, RunInterrupted) else repr(exc)
            with Session(self.engine) as session:
                self._finish(session, run, summary, "interrupted", error)
            raise
        with Session(self.engine) as session:
            self._finish(session, run, summary, "finished", None)

    def write(self, run_id: int, items: Sequence[StoreItem], summary: RunSummary) -> None:
        """Store items and their outcome rows in one transaction, and count the outcomes."""
        if items:
            self.count(self.store.write_batch(self.engine, run_id, items), summary)

    def count(self, rows: Sequence[OutcomeRow], summary: RunSummary) -> None:
        """Tell the summary and the progress display about stored outcomes."""
        for row in rows:
            summary.add(row)
            self.progress(row.outcome, row.url)

    def _finish(
        self, session: Session, run: Run, summary: RunSummary, status: str, error: str | None
    ) -> None:
        run.n_new = summary.outcomes["new"]
        run.n_updated = summary.outcomes["updated"]
        run.n_unchanged = summary.outcomes["unchanged"]
        run.n_skipped = summary.outcomes["skipped"]
        run.n_failed = summary.outcomes["failed"]
        run.n_duplicate = summary.outcomes["duplicate"]
        run.stage_seconds = {stage: round(sec, 3) for stage, sec in self.seconds.items()}
        finish_run(session, run, status, error)
