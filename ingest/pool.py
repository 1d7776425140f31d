"""Where the CPU stages run: a pool of processes that each build the spaCy pipelines once,
or one thread of the run's own process for small runs. Either way the event loop keeps
fetching while pages are analysed."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial

from sqlalchemy import Engine

from db.engine import make_engine
from ingest.http import FetchResult
from ingest.settings import Settings
from ingest.stages import ProcessedPage, process_page
from ingest.store import known_article
from nlp.analysis import Analyzer

# Fewer pages than this are analysed in the run's own process: starting a pool and
# loading the pipelines in every process would cost more than it saves.
MIN_POOL_PAGES = 40

_worker: tuple[Analyzer, Engine] | None = None


def _start_worker(models: dict[str, list[str]], database_url: str) -> None:
    """Pool initializer: one analyzer and one engine per process."""
    global _worker
    _worker = (Analyzer(models), make_engine(database_url))


def _process_in_worker(url: str, result: FetchResult) -> ProcessedPage:
    assert _worker is not None, "the pool initializer did not run"
    analyzer, engine = _worker
    return process_page(url, result, analyzer, partial(known_article, engine))


def pool_size(settings: Settings) -> int:
    """Processes for the CPU stages: the setting, or one per core when it is 0."""
    return settings.nlp_processes or os.cpu_count() or 1


class PageProcessor:
    """Runs `process_page` off the event loop; use as a context manager."""

    def __init__(
        self, settings: Settings, engine: Engine, analyzer: Analyzer, pages: int
    ) -> None:
        self.processes = pool_size(settings)
        self.executor: Executor
        self.call: Callable[[str, FetchResult], ProcessedPage]
        if self.processes > 1 and pages >= MIN_POOL_PAGES:
            self.executor = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(
                    {lang: list(names) for lang, names in settings.spacy_models.items()},
                    settings.database_url,
                ),
            )
            self.call = _process_in_worker
        else:
            self.processes = 1
            self.executor = ThreadPoolExecutor(1, thread_name_prefix="nlp")
            self.call = partial(_process_inline, analyzer, engine)

    async def process(self, url: str, result: FetchResult) -> ProcessedPage:
        """Extract, identify the language and analyse one page."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.call, url, result)

    def __enter__(self) -> PageProcessor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _process_inline(
    analyzer: Analyzer, engine: Engine, url: str, result: FetchResult
) -> ProcessedPage:
    return process_page(url, result, analyzer, partial(known_article, engine))
