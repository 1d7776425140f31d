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
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import Connection, Engine, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.models import Run, Source
from db.repository import start_run, stored_urls, utcnow
from ingest.discover import PollTarget
from ingest.discover import discover as poll_source
from ingest.errors import ConfigError, IngestError
from ingest.http import Fetcher
from ingest.settings import Settings
from ingest.sources import canonical_url
from ingest.stages import process_page
from ingest.store import ArticleStore, OutcomeRow, StoreItem, known_article
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


def libpq_url(database_url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ConfigError(
            f"workers and queues need PostgreSQL, not {url.get_backend_name()} "
            "(use --db postgresql+psycopg://...)"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def stalled_check_cron(stalled_seconds: float) -> str:
    """A cron line (seconds field last) that runs a few times per stall timeout."""
    every = min(59, max(1, round(stalled_seconds / 3)))
    return f"* * * * * */{every}"


@dataclass
class DiscoverySummary:
    """What one discovery did: the run and its outcome counts."""

    run_id: int
    queued: int = 0
    skipped: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


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

    async def discover(
        self, fetcher: Fetcher, source_url: str, kind: str = "feed"
    ) -> DiscoverySummary:
        """Poll one source (a feed, a sitemap or a URL list, read as `newsfacts run` reads
        it) and enqueue a job per new article URL, as a run of its own."""
        with Session(self.engine, expire_on_commit=False) as session:
            run = start_run(session, "discover")
        summary = DiscoverySummary(run.id)
        found = await poll_source(fetcher, PollTarget(source_url, kind))
        # The source's own failure, or those of child sitemaps it lists.
        failures = [(source_url, found.error)] if found.error else found.failures
        rows = [OutcomeRow.failure(url, error) for url, error in failures]
        if rows:
            with self.engine.begin() as conn:
                self.store.outcomes(conn, run.id, rows, count=True)
        if found.error is None:
            urls = [canonical_url(entry.url) for entry in found.entries]
            rows += await asyncio.to_thread(self.enqueue_articles, run.id, urls)
        for row in rows:
            if row.outcome == "queued":
                summary.queued += 1
            elif row.outcome == "skipped":
                summary.skipped += 1
            elif row.outcome == "unchanged":
                summary.unchanged += 1
            elif row.outcome == "failed":
                summary.failed.append((row.url, f"{row.error_type}: {row.message}"))
        with self.engine.begin() as conn:  # counters are raised by the article jobs
            conn.execute(
                update(Run).where(Run.id == run.id).values(status="finished", finished_at=utcnow())
            )
        return summary

    def enqueue_articles(self, run_id: int, urls: list[str]) -> list[OutcomeRow]:
        """Record each new URL and enqueue its job, in one transaction.

        URLs with a stored article are `unchanged`; a URL whose job is queued already
        is `skipped` (its queueing lock collapses the duplicate).
        """
        unique = list(dict.fromkeys(urls))
        with self.engine.begin() as conn:
            known = stored_urls(Session(bind=conn), unique)
            waiting = set(
                conn.execute(_WAITING_JOBS, {"locks": [u for u in unique if u not in known]})
                .scalars()
                .all()
            )
            fresh = [url for url in unique if url not in known and url not in waiting]
            queued = self._enqueue_all(conn, fresh, run_id)
            rows = [
                OutcomeRow(url, "unchanged")
                if url in known
                else queued.get(url) or OutcomeRow(url, "skipped", message=ALREADY_QUEUED)
                for url in unique
            ]
            self.store.outcomes(conn, run_id, rows, count=True)
        return rows

    def _enqueue_all(
        self, conn: Connection, urls: list[str], run_id: int
    ) -> dict[str, OutcomeRow]:
        """Queue a job per URL in one statement; one by one if another process raced us."""
        jobs = [
            self.ingest_article.configure(queueing_lock=url, lock=url).make_new_job(
                url=url, run_id=run_id
            )
            for url in urls
        ]
        try:
            with conn.begin_nested():
                if jobs:
                    self.app.job_manager.batch_defer_jobs(
                        jobs=jobs, connection=conn.connection.driver_connection
                    )
            return {url: OutcomeRow(url, "queued") for url in urls}
        except AlreadyEnqueued:
            return {url: self._enqueue(conn, url, run_id) for url in urls}

    def _enqueue(self, conn: Connection, url: str, run_id: int) -> OutcomeRow:
        try:
            with conn.begin_nested():
                self.ingest_article.configure(
                    connection=conn.connection.driver_connection, queueing_lock=url, lock=url
                ).defer(url=url, run_id=run_id)
        except AlreadyEnqueued:
            return OutcomeRow(url, "skipped", message=ALREADY_QUEUED)
        return OutcomeRow(url, "queued")

    # -- tasks --------------------------------------------------------------------------

    async def _ingest_article(self, url: str, run_id: int) -> str:
        """Fetch, extract, analyse and store one article: the pipeline's stage functions."""
        assert self.fetcher is not None and self.analyzer is not None, "not a running worker"
        loop = asyncio.get_running_loop()
        item: StoreItem
        try:
            result = await self.fetcher.fetch(url)
            lookup = partial(known_article, self.engine)
            item = await loop.run_in_executor(
                self._cpu, process_page, url, result, self.analyzer, lookup
            )
        except IngestError as exc:
            item = OutcomeRow.failure(url, exc)
        [row] = await loop.run_in_executor(
            self._db, partial(self.store.write_batch, self.engine, run_id, [item], count=True)
        )
        return row.outcome

    async def _discover_source(self, url: str, kind: str = "feed") -> int:
        assert self.fetcher is not None, "not a running worker"
        return (await self.discover(self.fetcher, url, kind)).queued

    async def _poll_sources(self, timestamp: int) -> int:
        """Periodic: a discovery job for every enabled source (feeds, sitemaps, URL lists)."""
        with Session(self.engine) as session:
            sources = session.execute(
                select(Source.url, Source.kind).where(Source.enabled.is_(True))
            ).all()
        for url, kind in sources:
            try:
                await self.discover_source.configure(
                    queueing_lock=f"discover:{url}"
                ).defer_async(url=url, kind=kind)
            except AlreadyEnqueued:
                continue
        return len(sources)

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

    async def enqueue_sources(self, sources: list[tuple[str, str]]) -> list[DiscoverySummary]:
        """Discover (url, kind) sources from this process and enqueue their articles."""
        self.ensure_schema()
        async with Fetcher(self.settings) as fetcher:
            return [await self.discover(fetcher, url, kind) for url, kind in sources]

    def pending_jobs(self) -> int:
        """Article jobs waiting or running."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM procrastinate_jobs "
                        "WHERE queue_name = :queue AND status IN ('todo', 'doing')"
                    ),
                    {"queue": ARTICLE_QUEUE},
                ).scalar_one()
            )


def wait_for_idle(cluster: Cluster, timeout: float, poll: float = 0.5) -> bool:
    """Block until no article job is waiting or running; False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cluster.pending_jobs() == 0:
            return True
        time.sleep(poll)
    return False
