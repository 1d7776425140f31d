"""discover -> fetch -> extract -> language and nlp -> store; one outcome row per URL."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.locks import Heartbeat, touch_run
from db.models import Page, Run
from db.repository import finish_run, start_run, stored_update_times
from ingest.discover import Discovery, PollTarget, discover
from ingest.errors import ExtractionError, IngestError
from ingest.extract import ExtractedArticle
from ingest.http import Fetcher
from ingest.polling import record_poll
from ingest.pool import PageProcessor
from ingest.settings import Settings
from ingest.sources import canonical_url
from ingest.stages import ProcessedPage, analyze_extracted, content_hash
from ingest.store import ArticleStore, OutcomeRow, StoreItem
from nlp.analysis import Analysis, Analyzer
from nlp.kb import KnowledgeBase, load_kb

Progress = Callable[[str, str], None]  # (event, url)


@dataclass
class RunSummary:
    """What one run did, per outcome."""

    run_id: int
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)


class Pipeline:
    """Runs the stages for a set of URLs and stores the results."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        analyzer: Analyzer | None = None,
        kb: KnowledgeBase | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.analyzer = analyzer or Analyzer(settings.spacy_models)
        self.kb = kb or load_kb()
        self.progress = progress or (lambda event, url: None)
        self.store = ArticleStore(self.kb)
        self.seconds: defaultdict[str, float] = defaultdict(float)

    # -- entry points -------------------------------------------------------------------

    def run_feeds(self, feed_urls: Iterable[str], command: str = "run") -> RunSummary:
        """Discover articles from feeds and ingest the new ones."""
        return asyncio.run(self._run(command, [PollTarget(url) for url in feed_urls], []))

    def run_sources(self, targets: Iterable[PollTarget], command: str = "run") -> RunSummary:
        """Poll sources (feeds, sitemaps, URL lists), ingest what is new, update their state."""
        return asyncio.run(self._run(command, list(targets), []))

    def fetch_urls(self, urls: Iterable[str], command: str = "fetch") -> RunSummary:
        """Ingest the given article URLs."""
        return asyncio.run(self._run(command, [], list(urls)))

    # -- stages -------------------------------------------------------------------------

    @contextmanager
    def tracked_run(self, command: str) -> Iterator[tuple[Run, RunSummary]]:
        """A `runs` row for the block: finished when it ends, interrupted when it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            run = start_run(session, command)
        summary = RunSummary(run.id)
        try:
            yield run, summary
        except BaseException as exc:
            with Session(self.engine) as session:
                self._finish(session, run, summary, "interrupted", repr(exc))
            raise
        with Session(self.engine) as session:
            self._finish(session, run, summary, "finished", None)

    async def _run(self, command: str, targets: list[PollTarget], urls: list[str]) -> RunSummary:
        with self.tracked_run(command) as (run, summary):
            interval = self.settings.heartbeat_interval
            with (
                Heartbeat(lambda: touch_run(self.engine, run.id), interval),
                PageProcessor(self.settings, self.engine, self.analyzer, len(urls)) as processor,
            ):
                async with Fetcher(self.settings) as fetcher:
                    candidates = [Candidate(canonical_url(url), refetch=True) for url in urls]
                    discoveries = await self._discover(fetcher, run, targets, summary, processor)
                    for found in discoveries:
                        source_id = found.target.source_id
                        candidates.extend(
                            Candidate(canonical_url(entry.url), source_id, entry.modified_at)
                            for entry in found.entries
                        )
                    new = self._new_only(candidates, run, summary)
                    processor.expect(len(new))
                    await self._ingest(fetcher, processor, run, new, summary)
                self._record_polls(discoveries, new)
        return summary

    async def _discover(
        self,
        fetcher: Fetcher,
        run: Run,
        targets: list[PollTarget],
        summary: RunSummary,
        processor: PageProcessor,
    ) -> list[Discovery]:
        """Poll every source at once (the fetcher's limits keep it polite). The processor
        hears of the new articles found so far after each source, so that its processes can
        start loading while the other sources are polled."""
        found_new = 0

        async def poll(target: PollTarget) -> Discovery:
            nonlocal found_new
            found = await discover(fetcher, target)
            if not processor.pooled:
                found_new += self._count_unstored(found)
                processor.expect(found_new)
            return found

        for target in targets:
            self.progress("discover", target.url)
        started = time.perf_counter()
        discoveries = await asyncio.gather(*(poll(target) for target in targets))
        self.seconds["discover"] += time.perf_counter() - started
        for found in discoveries:
            if found.error is not None:
                self._record(run, found.target.url, "failed", summary, error=found.error)
            for url, error in found.failures:
                self._record(run, url, "failed", summary, error=error)
        return discoveries

    def _record_polls(self, discoveries: list[Discovery], new: list[Candidate]) -> None:
        """Source state is written only after its articles are stored, so a killed run
        leaves the source due with its old validators and the next run finds them again."""
        per_source = Counter(candidate.source_id for candidate in new)
        with Session(self.engine) as session:
            for found in discoveries:
                record_poll(session, found, per_source[found.target.source_id], self.settings)

    def _count_unstored(self, found: Discovery) -> int:
        """Entries of one source whose article is not stored yet."""
        urls = list({canonical_url(entry.url) for entry in found.entries})
        if not urls:
            return 0
        with Session(self.engine) as session:
            return len(urls) - len(stored_update_times(session, urls))

    def _new_only(
        self, candidates: list[Candidate], run: Run, summary: RunSummary
    ) -> list[Candidate]:
        """Candidates not stored yet, or stored before their source says they changed."""
        unique: dict[str, Candidate] = {}
        for candidate in candidates:
            unique.setdefault(candidate.url, candidate)
        with Session(self.engine) as session:
            stored = stored_update_times(session, list(unique))
        fresh = []
        for candidate in unique.values():
            updated_at = stored.get(candidate.url)
            changed = candidate.refetch or (
                updated_at is not None
                and candidate.modified_at is not None
                and candidate.modified_at > _utc(updated_at)
            )
            if updated_at is not None and not changed:
                self._record(run, candidate.url, "unchanged", summary)
            else:
                fresh.append(candidate)
        return fresh

    async def _ingest(
        self,
        fetcher: Fetcher,
        processor: PageProcessor,
        run: Run,
        candidates: list[Candidate],
        summary: RunSummary,
    ) -> None:
        """Fetch, analyse and store `urls` as a pipeline: fetching goes on while pages are
        analysed in other processes and earlier ones are written, with a bounded number
        of pages in flight so that memory stays flat however many URLs there are."""
        sources = {candidate.url: candidate.source_id for candidate in candidates}
        queue: asyncio.Queue[StoreItem | None] = asyncio.Queue(self.settings.store_batch)
        writer = asyncio.create_task(self._write(run, queue, summary))
        in_flight = asyncio.Semaphore(self.settings.concurrency + processor.pages_in_flight)
        tasks: set[asyncio.Task[None]] = set()

        async def one(url: str) -> None:
            try:
                item = await self._page(fetcher, processor, url)
                if isinstance(item, ProcessedPage):
                    item.source_id = sources.get(url)
                await queue.put(item)
            finally:
                in_flight.release()

        try:
            for url in sources:
                await in_flight.acquire()
                if writer.done():
                    break  # the writer failed; its error is raised below
                task = asyncio.create_task(one(url))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)
        finally:
            if not writer.done():
                await queue.put(None)
            await writer

    async def _page(self, fetcher: Fetcher, processor: PageProcessor, url: str) -> StoreItem:
        """Fetch one URL and run the CPU stages on it; failures become outcome rows."""
        self.progress("fetch", url)
        started = time.perf_counter()
        try:
            result = await fetcher.fetch(url)
        except IngestError as exc:
            return OutcomeRow.failure(url, exc)
        finally:
            self.seconds["fetch"] += time.perf_counter() - started
        try:
            processed: ProcessedPage = await processor.process(url, result)
        except IngestError as exc:
            return OutcomeRow.failure(url, exc)
        for stage, seconds in processed.seconds.items():
            self.seconds[stage] += seconds
        return processed

    async def _write(
        self, run: Run, queue: asyncio.Queue[StoreItem | None], summary: RunSummary
    ) -> None:
        """Write what the queue holds, as many items per transaction as are waiting."""
        while True:
            batch: list[StoreItem] = []
            item = await queue.get()
            while item is not None:
                batch.append(item)
                if len(batch) >= self.settings.store_batch or queue.empty():
                    break
                item = queue.get_nowait()
            if batch:
                started = time.perf_counter()
                rows = await asyncio.to_thread(
                    self.store.write_batch, self.engine, run.id, batch
                )
                self.seconds["store"] += time.perf_counter() - started
                self._count(rows, summary)
            if item is None:
                return

    # -- one article in the caller's session (reprocessing) ---------------------------

    def analyze(self, extracted: ExtractedArticle, headers: dict[str, str]) -> Analysis:
        """The NLP stage on an extracted article, with the page's declared language."""
        return analyze_extracted(self.analyzer, extracted, headers)

    def store_article(
        self,
        session: Session,
        key: str,
        url: str,
        page: Page,
        extracted: ExtractedArticle,
        analysis: Analysis,
    ) -> tuple[str, int]:
        """Rewrite one article in the session's transaction; loaded objects are expired so
        that they show what was written."""
        written = self.store.write_article(
            session.connection(), key, url, page.id, extracted, content_hash(extracted.text),
            analysis,
        )
        session.expire_all()
        return written

    # -- bookkeeping --------------------------------------------------------------------

    def _record(
        self,
        run: Run,
        url: str,
        outcome: str,
        summary: RunSummary,
        error: Exception | None = None,
        article_id: int | None = None,
    ) -> None:
        """Store the outcome of one URL."""
        row = (
            OutcomeRow.failure(url, error)
            if error is not None
            else OutcomeRow(url, outcome, article_id=article_id)
        )
        self._record_rows(run, [dataclasses.replace(row, article_id=article_id)], summary)

    def _record_rows(self, run: Run, rows: list[OutcomeRow], summary: RunSummary) -> None:
        """Store outcome rows that need no other write, in one transaction."""
        if rows:
            self._count(self.store.write_batch(self.engine, run.id, rows), summary)

    def _count(self, rows: list[OutcomeRow], summary: RunSummary) -> None:
        """Tell the summary and the progress display about stored outcomes."""
        for row in rows:
            summary.outcomes[row.outcome] += 1
            if row.error_type is not None:
                summary.errors.append((row.url, f"{row.error_type}: {row.message}"))
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


@dataclass(frozen=True)
class Candidate:
    """A canonical article URL to ingest, the source it came from, and its claimed change.

    `refetch` is set for URLs given explicitly (`newsfacts fetch`): fetched even when stored.
    """

    url: str
    source_id: int | None = None
    modified_at: datetime | None = None
    refetch: bool = False


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = ["ExtractionError", "Pipeline", "RunSummary"]
