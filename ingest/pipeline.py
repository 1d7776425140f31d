"""discover -> fetch -> extract -> language and nlp -> store; one outcome row per URL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.locks import Heartbeat, touch_run
from db.repository import stored_update_times
from ingest.discover import Discovery, PollTarget
from ingest.errors import StageError
from ingest.http import Fetcher
from ingest.intake import (
    candidates_by_source,
    poll_failures,
    poll_source,
    record_polls,
    split_fresh,
    take_fresh,
    targets,
)
from ingest.pool import PageProcessor
from ingest.records import (
    FINAL,
    PLANNED,
    Candidate,
    OutcomeRow,
    ProcessedPage,
    RunSummary,
    StoreItem,
)
from ingest.runs import Progress, RunRecorder, stop_on_signals
from ingest.settings import Settings
from ingest.sources import canonical_url
from ingest.store import ArticleStore
from nlp.analysis import Analyzer
from nlp.kb import KnowledgeBase, load_kb


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
        self.store = ArticleStore(self.kb)
        self.recorder = RunRecorder(engine, self.store, progress)

    @property
    def progress(self) -> Progress:
        return self.recorder.progress

    # -- entry points -------------------------------------------------------------------

    def run_feeds(self, feed_urls: Iterable[str], command: str = "run") -> RunSummary:
        """Discover articles from feeds and ingest the new ones; a feed that is a known
        source is polled as that source."""
        with Session(self.engine) as session:
            found = targets(session, [(url, "feed") for url in feed_urls])
        return asyncio.run(self._run(command, found, []))

    def run_sources(self, targets: Iterable[PollTarget], command: str = "run") -> RunSummary:
        """Poll sources (feeds, sitemaps, URL lists), ingest what is new, update their state."""
        return asyncio.run(self._run(command, list(targets), []))

    def fetch_urls(self, urls: Iterable[str], command: str = "fetch") -> RunSummary:
        """Ingest the given article URLs."""
        return asyncio.run(self._run(command, [], list(urls)))

    # -- stages -------------------------------------------------------------------------

    async def _run(self, command: str, targets: list[PollTarget], urls: list[str]) -> RunSummary:
        with self.recorder.tracked(command) as (run, summary), stop_on_signals(summary):
            interval = self.settings.heartbeat_interval
            with (
                Heartbeat(lambda: touch_run(self.engine, run.id), interval),
                PageProcessor(self.settings, self.engine, self.analyzer, len(urls)) as processor,
            ):
                async with Fetcher(self.settings) as fetcher:
                    candidates = [Candidate(canonical_url(url), refetch=True) for url in urls]
                    discoveries = await self._discover(fetcher, targets, processor)
                    self.recorder.write(run.id, poll_failures(discoveries), summary)
                    by_source = candidates_by_source(discoveries)
                    candidates.extend(c for _, found in by_source for c in found)
                    with Session(self.engine) as session:
                        fresh, unchanged = split_fresh(session, candidates)
                    fresh = take_fresh(fresh, by_source, self.settings)
                    rows = [OutcomeRow(candidate.url, "unchanged") for candidate in unchanged]
                    self.recorder.write(run.id, rows, summary)
                    processor.expect(len(fresh))
                    settled = sum(summary.outcomes[name] for name in FINAL)
                    self.progress(PLANNED, str(settled + len(fresh)))
                    await self._ingest(fetcher, processor, run.id, fresh, summary)
                with Session(self.engine) as session:
                    record_polls(session, discoveries, fresh, self.settings)
        return summary

    async def _discover(
        self, fetcher: Fetcher, targets: list[PollTarget], processor: PageProcessor
    ) -> list[Discovery]:
        """Poll every source at once (the fetcher's limits keep it polite). The processor
        hears of the new articles found so far after each source, so that its processes can
        start loading while the other sources are polled."""
        found_new = 0

        async def poll(target: PollTarget) -> Discovery:
            nonlocal found_new
            found = await poll_source(fetcher, target)
            if not processor.pooled:
                settings = self.settings
                found_new += min(self._count_unstored(found), settings.max_urls_per_source)
                processor.expect(min(found_new, settings.max_urls_per_run))
            return found

        for target in targets:
            self.progress("discover", target.url)
        started = time.perf_counter()
        discoveries = await asyncio.gather(*(poll(target) for target in targets))
        self.recorder.seconds["discover"] += time.perf_counter() - started
        return discoveries

    def _count_unstored(self, found: Discovery) -> int:
        """Entries of one source whose article is not stored yet."""
        urls = list({canonical_url(entry.url) for entry in found.entries})
        if not urls:
            return 0
        with Session(self.engine) as session:
            return len(urls) - len(stored_update_times(session, urls))

    async def _ingest(
        self,
        fetcher: Fetcher,
        processor: PageProcessor,
        run_id: int,
        candidates: list[Candidate],
        summary: RunSummary,
    ) -> None:
        """Fetch, analyse and store the candidates as a pipeline: fetching goes on while
        pages are analysed in other processes and earlier ones are written, with a bounded
        number of pages in flight so that memory stays flat however many URLs there are."""
        sources = {candidate.url: candidate.source_id for candidate in candidates}
        queue: asyncio.Queue[StoreItem | None] = asyncio.Queue(self.settings.store_batch)
        writer = asyncio.create_task(self._write(run_id, queue, summary))
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
            for task in tasks:  # stopped early: pages not handed to the writer are dropped
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if not writer.done():
                await queue.put(None)
            await writer

    async def _page(self, fetcher: Fetcher, processor: PageProcessor, url: str) -> StoreItem:
        """Fetch one URL and run the CPU stages on it; any failure, foreseen or not,
        becomes the URL's outcome row and leaves the run going."""
        self.progress("fetch", url)
        seconds = self.recorder.seconds
        started = time.perf_counter()
        try:
            result = await fetcher.fetch(url)
        except Exception as exc:
            return OutcomeRow.failure(url, StageError.wrap("fetch", exc))
        finally:
            seconds["fetch"] += time.perf_counter() - started
        try:
            processed: ProcessedPage = await processor.process(url, result)
        except Exception as exc:
            return OutcomeRow.failure(url, StageError.wrap("process", exc))
        for stage, spent in processed.seconds.items():
            seconds[stage] += spent
        return processed

    async def _write(
        self, run_id: int, queue: asyncio.Queue[StoreItem | None], summary: RunSummary
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
                rows = await asyncio.to_thread(self.store.write_batch, self.engine, run_id, batch)
                self.recorder.seconds["store"] += time.perf_counter() - started
                self.recorder.count(rows, summary)
            if item is None:
                return
