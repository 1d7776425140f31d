"""Several machines: jobs live in PostgreSQL (procrastinate); every worker runs the same
stage functions as the single-machine pipeline.

Discovery records each new URL as a `queued` outcome and enqueues its article job in the
same transaction; the job's queueing lock is the URL, so a URL waits in the queue at most
once. Workers heartbeat; a periodic job re-queues the jobs of workers that stopped
heart-beating (killed, or their machine lost), and articles are keyed by canonical URL,
so a job that runs twice stores its article once.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import Connection, Engine, inspect, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.models import Run, Source
from db.repository import start_run, utcnow
from db.urls import url_hash
from ingest.discover import PollTarget
from ingest.errors import ConfigError, StageError
from ingest.http import Fetcher
from ingest.intake import (
    due_sources,
    entry_candidates,
    poll_failures,
    poll_source,
    record_polls,
    split_fresh,
    targets,
)
from ingest.records import Candidate, OutcomeRow, ProcessedPage, RunSummary, StoreItem
from ingest.settings import Settings
from ingest.stages import process_page
from ingest.store import ArticleStore, known_article
from nlp.analysis import Analyzer
from nlp.kb import load_kb

ARTICLE_QUEUE = "articles"
DISCOVERY_QUEUE = "discovery"
MAINTENANCE_QUEUE = "maintenance"
KEEP_JOBS_HOURS = 72
ALREADY_QUEUED = "a job for this URL is queued already"
_WAITING_JOBS = text(
    "SELECT queueing_lock FROM procrastinate_jobs"
    " WHERE status = 'todo' AND queueing_lock = ANY(:locks)"
)
_SCHEMA_LOCK = 0x6E657773  # advisory lock id taken while the queue schema is created
# Longest URL that is its own job lock; a longer one is locked by its hash, since
# procrastinate's lock columns are B-tree indexed and an index entry holds ~2,700 bytes.
MAX_LOCK_URL = 512


def libpq_url(database_url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ConfigError(
            f"workers and queues need PostgreSQL, not {url.get_backend_name()} "
            "(use --db postgresql+psycopg://...)"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def job_lock(url: str, prefix: str = "") -> str:
    """The queueing lock of a job about `url`: the URL itself, or `sha256:` and its hash
    when it is longer than MAX_LOCK_URL characters."""
    key = url if len(url) <= MAX_LOCK_URL else f"sha256:{url_hash(url)}"
    return prefix + key


def stalled_check_cron(stalled_seconds: float) -> str:
    """A cron line (seconds field last) that runs a few times per stall timeout."""
    every = min(59, max(1, round(stalled_seconds / 3)))
    return f"* * * * * */{every}"


class Cluster:
    """The job queue of one database: its tasks, discovery, and this process's worker."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=libpq_url(settings.database_url))
        )
        self.store = ArticleStore(load_kb())
        self.analyzer: Analyzer | None = None
        self.fetcher: Fetcher | None = None
        # spaCy and the store's caches are used from one thread each.
        self._cpu = ThreadPoolExecutor(1, thread_name_prefix="nlp")
        self._db = ThreadPoolExecutor(1, thread_name_prefix="store")
        task = self.app.task
        self.ingest_article = task(
            name="newsfacts.ingest_article",
            queue=ARTICLE_QUEUE,
            retry=procrastinate.RetryStrategy(max_attempts=5, exponential_wait=2),
        )(self._ingest_article)
        self.discover_source = task(
            name="newsfacts.discover_source",
            queue=DISCOVERY_QUEUE,
            retry=procrastinate.RetryStrategy(max_attempts=3, exponential_wait=5),
        )(self._discover_source)
        self.app.periodic(cron=settings.poll_cron, periodic_id="poll_sources")(
            task(name="newsfacts.poll_sources", queue=DISCOVERY_QUEUE)(self._poll_sources)
        )
        self.app.periodic(
            cron=stalled_check_cron(settings.worker_stalled_seconds),
            periodic_id="retry_stalled_jobs",
        )(task(name="newsfacts.retry_stalled_jobs", queue=MAINTENANCE_QUEUE)(self._retry_stalled))
        self.app.periodic(cron="17 3 * * *", periodic_id="remove_old_jobs")(
            task(name="newsfacts.remove_old_jobs", queue=MAINTENANCE_QUEUE)(self._remove_old_jobs)
        )

    # -- schema -------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create procrastinate's tables in the database unless they exist."""
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            if not inspect(conn).has_table("procrastinate_jobs"):
                schema = self.app.schema_manager.get_schema().replace("%", "%%")
                conn.connection.driver_connection.execute(schema, {})  # type: ignore[union-attr]

    # -- discovery ----------------------------------------------------------------------

    async def discover(self, fetcher: Fetcher, target: PollTarget) -> RunSummary:
        """Poll one source (a feed, a sitemap or a URL list, read as `newsfacts run` reads
        it, with the validators of its last poll) and enqueue a job per new or changed
        article, as a run of its own; then record what the poll taught about the source."""
        with Session(self.engine, expire_on_commit=False) as session:
            run = start_run(session, "discover")
        summary = RunSummary(run.id)
        found = await poll_source(fetcher, target)
        failures = poll_failures([found])
        if failures:
            with self.engine.begin() as conn:
                self.store.outcomes(conn, run.id, failures, count=True)
        for row in failures:
            summary.add(row)
        queued: list[Candidate] = []
        if found.error is None:
            rows, queued = await asyncio.to_thread(
                self._enqueue_candidates, run.id, entry_candidates([found])
            )
            for row in rows:
                summary.add(row)
        with Session(self.engine) as session:
            record_polls(session, [found], queued, self.settings)
        with self.engine.begin() as conn:  # counters are raised by the article jobs
            conn.execute(
                update(Run).where(Run.id == run.id).values(status="finished", finished_at=utcnow())
            )
        return summary

    def enqueue_articles(self, run_id: int, candidates: list[Candidate]) -> list[OutcomeRow]:
        """Record each candidate's outcome and enqueue the jobs of the new or changed ones,
        in one transaction (see `_enqueue_candidates`)."""
        return self._enqueue_candidates(run_id, candidates)[0]

    def _enqueue_candidates(
        self, run_id: int, candidates: list[Candidate]
    ) -> tuple[list[OutcomeRow], list[Candidate]]:
        """Outcome rows per URL, and the candidates queued.

        URLs stored and not changed since are `unchanged`; a URL whose job is queued
        already is `skipped` (its queueing lock collapses the duplicate).
        """
        with self.engine.begin() as conn:
            fresh, unchanged = split_fresh(Session(bind=conn), candidates)
            waiting = set(
                conn.execute(_WAITING_JOBS, {"locks": [job_lock(c.url) for c in fresh]})
                .scalars()
                .all()
            )
            todo = [candidate for candidate in fresh if job_lock(candidate.url) not in waiting]
            outcome = self._enqueue_all(conn, todo, run_id)
            outcome.update((c.url, OutcomeRow(c.url, "unchanged")) for c in unchanged)
            rows = [
                outcome.get(url) or OutcomeRow(url, "skipped", message=ALREADY_QUEUED)
                for url in dict.fromkeys(candidate.url for candidate in candidates)
            ]
            self.store.outcomes(conn, run_id, rows, count=True)
        done = {row.url for row in rows if row.outcome == "queued"}
        return rows, [candidate for candidate in fresh if candidate.url in done]

    def _enqueue_all(
        self, conn: Connection, candidates: list[Candidate], run_id: int
    ) -> dict[str, OutcomeRow]:
        """Queue a job per candidate in one statement; one by one if another process raced
        us. A job carries its URL, run, source and the time the source says it changed."""
        jobs = [
            self.ingest_article.configure(
                queueing_lock=job_lock(candidate.url), lock=job_lock(candidate.url)
            ).make_new_job(**_job_args(candidate, run_id))
            for candidate in candidates
        ]
        try:
            with conn.begin_nested():
                if jobs:
                    self.app.job_manager.batch_defer_jobs(
                        jobs=jobs, connection=conn.connection.driver_connection
                    )
            return {candidate.url: OutcomeRow(candidate.url, "queued") for candidate in candidates}
        except AlreadyEnqueued:
            return {c.url: self._enqueue(conn, c, run_id) for c in candidates}

    def _enqueue(self, conn: Connection, candidate: Candidate, run_id: int) -> OutcomeRow:
        url, lock = candidate.url, job_lock(candidate.url)
        try:
            with conn.begin_nested():
                self.ingest_article.configure(
                    connection=conn.connection.driver_connection, queueing_lock=lock, lock=lock
                ).defer(**_job_args(candidate, run_id))
        except AlreadyEnqueued:
            return OutcomeRow(url, "skipped", message=ALREADY_QUEUED)
        return OutcomeRow(url, "queued")

    # -- tasks --------------------------------------------------------------------------

    async def _ingest_article(
        self,
        url: str,
        run_id: int,
        source_id: int | None = None,
        modified_at: str | None = None,
    ) -> str:
        """Fetch, extract, analyse and store one article: the pipeline's stage functions.
        (`modified_at` is when the source said the article changed; the queueing decided
        on it, the stored text's hash decides whether anything is rewritten.)"""
        assert self.fetcher is not None and self.analyzer is not None, "not a running worker"
        loop = asyncio.get_running_loop()
        item: StoreItem
        stage = "fetch"
        try:  # any error of this URL is its outcome: a job that raised would be retried
            result = await self.fetcher.fetch(url)
            stage = "process"
            lookup = partial(known_article, self.engine)
            item = await loop.run_in_executor(
                self._cpu, process_page, url, result, self.analyzer, lookup
            )
        except Exception as exc:
            item = OutcomeRow.failure(url, StageError.wrap(stage, exc))
        if isinstance(item, ProcessedPage):
            item.source_id = source_id
        [row] = await loop.run_in_executor(
            self._db, partial(self.store.write_batch, self.engine, run_id, [item], count=True)
        )
        return row.outcome

    async def _discover_source(
        self, url: str, kind: str = "feed", source_id: int | None = None
    ) -> int:
        """A discovery job: the source's row (with its validators) when it has one."""
        assert self.fetcher is not None, "not a running worker"
        with Session(self.engine) as session:
            row = session.get(Source, source_id) if source_id is not None else None
            [target] = (
                [PollTarget(row.url, row.kind, row.id, row.etag, row.last_modified, row.body_hash)]
                if row is not None
                else targets(session, [(url, kind)])
            )
        return (await self.discover(self.fetcher, target)).queued

    async def _poll_sources(self, timestamp: int) -> int:
        """Periodic: the sources file synced into the table (where this worker has one),
        then a discovery job for every enabled source that is due (adaptive intervals,
        backoff after failures: the same rule as `newsfacts run`)."""
        with Session(self.engine) as session:
            due = due_sources(session, self.settings)
        for target in due:
            try:
                await self.discover_source.configure(
                    queueing_lock=job_lock(target.url, "discover:")
                ).defer_async(url=target.url, kind=target.kind, source_id=target.source_id)
            except AlreadyEnqueued:
                continue
        return len(due)

    async def _retry_stalled(self, timestamp: int) -> int:
        """Periodic: re-queue the jobs of workers that stopped heart-beating."""
        manager = self.app.job_manager
        stalled = list(
            await manager.get_stalled_jobs(
                seconds_since_heartbeat=self.settings.worker_stalled_seconds
            )
        )
        for job in stalled:
            await manager.retry_job(job)
        return len(stalled)

    async def _remove_old_jobs(self, timestamp: int) -> None:
        """Periodic: finished jobs are kept three days for inspection, then removed."""
        await self.app.job_manager.delete_old_jobs(nb_hours=KEEP_JOBS_HOURS)

    # -- running ------------------------------------------------------------------------

    async def run_worker(self, concurrency: int, **options: Any) -> None:
        """Work on every queue until stopped by SIGINT or SIGTERM."""
        self.ensure_schema()
        self.analyzer = Analyzer(self.settings.spacy_models)
        stalled = self.settings.worker_stalled_seconds
        async with self.app.open_async(), Fetcher(self.settings) as fetcher:
            self.fetcher = fetcher
            await self.app.run_worker_async(
                concurrency=concurrency,
                update_heartbeat_interval=stalled / 3,
                stalled_worker_timeout=stalled,
                **options,
            )

    async def enqueue_sources(self, sources: list[tuple[str, str]]) -> list[RunSummary]:
        """Discover (url, kind) sources from this process and enqueue their articles; a
        URL that is a known source is polled as that source."""
        self.ensure_schema()
        with Session(self.engine) as session:
            found = targets(session, sources)
        return await self._enqueue_targets(found)

    async def enqueue_due(self) -> list[RunSummary]:
        """Sync the sources file, then discover the due sources and enqueue their articles,
        as `newsfacts run` without --feed polls them."""
        self.ensure_schema()
        with Session(self.engine) as session:
            due = due_sources(session, self.settings)
        return await self._enqueue_targets(due)

    async def _enqueue_targets(self, found: list[PollTarget]) -> list[RunSummary]:
        async with Fetcher(self.settings) as fetcher:
            return [await self.discover(fetcher, target) for target in found]


def _job_args(candidate: Candidate, run_id: int) -> dict[str, Any]:
    """The JSON arguments of an article job."""
    modified = candidate.modified_at
    return {
        "url": candidate.url,
        "run_id": run_id,
        "source_id": candidate.source_id,
        "modified_at": modified.isoformat() if isinstance(modified, datetime) else None,
    }
