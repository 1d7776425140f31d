"""discover -> fetch -> extract -> language and nlp -> store; one outcome row per URL."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.models import Page, Run
from db.repository import finish_run, start_run, stored_urls
from ingest.errors import ExtractionError, FeedError, IngestError
from ingest.extract import ExtractedArticle
from ingest.http import XML_TYPES, Fetcher
from ingest.pool import PageProcessor
from ingest.settings import Settings
from ingest.sources import canonical_url, parse_feed
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
        return asyncio.run(self._run(command, list(feed_urls), []))

    def fetch_urls(self, urls: Iterable[str], command: str = "fetch") -> RunSummary:
        """Ingest the given article URLs."""
        return asyncio.run(self._run(command, [], list(urls)))

    # -- stages -------------------------------------------------------------------------

    async def _run(self, command: str, feeds: list[str], urls: list[str]) -> RunSummary:
        with Session(self.engine, expire_on_commit=False) as session:
            run = start_run(session, command)
        summary = RunSummary(run.id)
        try:
            async with Fetcher(self.settings) as fetcher:
                candidates = list(urls)
                for feed in feeds:
                    candidates.extend(await self._discover(fetcher, run, feed, summary))
                await self._ingest(fetcher, run, self._new_only(candidates, run, summary), summary)
        except BaseException as exc:
            with Session(self.engine) as session:
                self._finish(session, run, summary, "interrupted", repr(exc))
            raise
        with Session(self.engine) as session:
            self._finish(session, run, summary, "finished", None)
        return summary

    async def _discover(
        self, fetcher: Fetcher, run: Run, feed_url: str, summary: RunSummary
    ) -> list[str]:
        self.progress("discover", feed_url)
        started = time.perf_counter()
        try:
            result = await fetcher.fetch(feed_url, accept=(*XML_TYPES, "text/html"))
            entries = parse_feed(result.content, result.final_url)
        except (IngestError, FeedError) as exc:
            self._record_rows(run, [OutcomeRow.failure(feed_url, exc)], summary)
            return []
        finally:
            self.seconds["discover"] += time.perf_counter() - started
        return [entry.url for entry in entries]

    def _new_only(self, urls: list[str], run: Run, summary: RunSummary) -> list[str]:
        unique = list(dict.fromkeys(canonical_url(url) for url in urls))
        with Session(self.engine) as session:
            known = stored_urls(session, unique)
        unchanged = [OutcomeRow(url, "unchanged") for url in unique if url in known]
        self._record_rows(run, unchanged, summary)
        return [url for url in unique if url not in known]

    async def _ingest(
        self, fetcher: Fetcher, run: Run, urls: list[str], summary: RunSummary
    ) -> None:
        """Fetch, analyse and store `urls` as a pipeline: fetching goes on while pages are
        analysed in other processes and earlier ones are written, with a bounded number
        of pages in flight so that memory stays flat however many URLs there are."""
        with PageProcessor(self.settings, self.engine, self.analyzer, len(urls)) as processor:
            queue: asyncio.Queue[StoreItem | None] = asyncio.Queue(self.settings.store_batch)
            writer = asyncio.create_task(self._write(run, queue, summary))
            in_flight = asyncio.Semaphore(self.settings.concurrency + 2 * processor.processes)
            tasks: set[asyncio.Task[None]] = set()

            async def one(url: str) -> None:
                try:
                    await queue.put(await self._page(fetcher, processor, url))
                finally:
                    in_flight.release()

            try:
                for url in urls:
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
        run.stage_seconds = {stage: round(sec, 3) for stage, sec in self.seconds.items()}
        finish_run(session, run, status, error)


__all__ = ["ExtractionError", "Pipeline", "RunSummary"]
