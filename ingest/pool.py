"""Where the CPU stages run: a pool of processes forked from a server process that has
loaded the stages and the spaCy pipelines once (ingest/preload.py), or one thread of the
run's own process for small runs. Either way the event loop keeps
fetching while pages are analysed, and pages that arrive while every process is busy are
handed over together, as one batch, when a process is free. Pool processes end with the
run's process, however it ends, and leave Ctrl-C to it (ingest/lifeline.py)."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from multiprocessing.util import Finalize

from sqlalchemy import Engine

from db.engine import make_engine
from ingest.errors import IngestError
from ingest.http import FetchResult
from ingest.lifeline import follow_parent, ignore_interrupts, spawning
from ingest.records import ProcessedPage
from ingest.settings import Settings
from ingest.stages import process_pages
from ingest.store import known_article
from nlp.analysis import Analyzer

# Fewer pages than this are analysed in the run's own process: starting a pool and
# loading the pipelines in every process would cost more than it saves.
MIN_POOL_PAGES = 40
# Loaded once by the fork server the pool's processes are forked from, and shared by them.
PRELOAD = "ingest.preload"
# Most pages handed to a process at once: enough for spaCy to read several texts of a
# language together, few enough that every process gets its share.
BATCH_PAGES = 8

Pages = Sequence[tuple[str, FetchResult]]
Outcomes = list[ProcessedPage | IngestError]

_worker: tuple[Analyzer, Engine] | None = None


def _start_worker(models: dict[str, list[str]], database_url: str) -> None:
    """Pool initializer: the process ends with the fork server, which ends with the run,
    and leaves Ctrl-C to the run; one analyzer (the fork server's, when it has the same
    models) and one engine per process."""
    global _worker
    follow_parent(os.getppid())
    _release_fork_server()
    ignore_interrupts()
    from ingest import preload

    shared = preload.analyzer
    analyzer = shared if shared is not None and shared.models == models else Analyzer(models)
    _worker = (analyzer, make_engine(database_url))
    # A forked process ends through multiprocessing's finalizers, not atexit.
    Finalize(None, _leave_at_once, args=(_worker[1],), exitpriority=0)


def _leave_at_once(engine: Engine) -> None:
    """At exit, a pool process closes its connections, flushes its output and leaves
    without the interpreter's teardown: with the spaCy pipelines loaded that takes most of
    a second, at the end of every run, and frees nothing that outlives the process."""
    engine.dispose()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _ready() -> None:
    """A task that does nothing: submitting one makes the pool start a process."""


def _process_in_worker(pages: Pages) -> Outcomes:
    assert _worker is not None, "the pool initializer did not run"
    analyzer, engine = _worker
    return process_pages(pages, analyzer, partial(known_article, engine))


def pool_size(settings: Settings) -> int:
    """Processes for the CPU stages: the setting, or one per core when it is 0."""
    return settings.nlp_processes or os.cpu_count() or 1


class PageProcessor:
    """Runs `process_pages` off the event loop, one batch per free process; use as a
    context manager.

    The process pool starts as soon as `expect` hears of enough pages to pay for it, so
    that its processes load while the rest of the run's pages are still being found.
    Pages handed over before that are analysed in a thread of the run's own process.
    """

    def __init__(
        self, settings: Settings, engine: Engine, analyzer: Analyzer, pages: int = 0
    ) -> None:
        self.settings = settings
        self.processes = 1
        self.executor: Executor | None = None
        self.call: Callable[[Pages], Outcomes] = partial(_process_inline, analyzer, engine)
        self.waiting: list[tuple[str, FetchResult, asyncio.Future[ProcessedPage]]] = []
        self.busy = 0
        self.batches: set[asyncio.Future[None]] = set()
        self.expect(pages)

    @property
    def pooled(self) -> bool:
        """Whether pages go to a pool of processes."""
        return isinstance(self.executor, ProcessPoolExecutor)

    def expect(self, pages: int) -> None:
        """Start the pool if `pages` pages to analyse are enough to pay for it and no
        page has been handed over yet."""
        processes = pool_size(self.settings)
        if self.executor is not None or processes < 2 or pages < MIN_POOL_PAGES:
            return
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([PRELOAD])
        self.executor = ProcessPoolExecutor(
            processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=(
                {lang: list(names) for lang, names in self.settings.spacy_models.items()},
                self.settings.database_url,
            ),
        )
        self.processes = processes
        self.call = _process_in_worker
        with spawning():
            for _ in range(processes):  # the pool spawns a process per task: start them all
                self.executor.submit(_ready)

    def _executor(self) -> Executor:
        if self.executor is None:
            self.executor = ThreadPoolExecutor(1, thread_name_prefix="nlp")
        return self.executor

    @property
    def pages_in_flight(self) -> int:
        """Pages worth keeping between fetching and storing so that no process waits."""
        return (self.processes + 1) * BATCH_PAGES

    async def process(self, url: str, result: FetchResult) -> ProcessedPage:
        """Extract, identify the language and analyse one page; raises its IngestError."""
        future: asyncio.Future[ProcessedPage] = asyncio.get_running_loop().create_future()
        self.waiting.append((url, result, future))
        self._hand_over()
        return await future

    def _hand_over(self) -> None:
        """Give waiting pages to free processes, up to BATCH_PAGES each."""
        self.waiting = [page for page in self.waiting if not page[2].done()]
        while self.waiting and self.busy < self.processes:
            batch, self.waiting = self.waiting[:BATCH_PAGES], self.waiting[BATCH_PAGES:]
            self.busy += 1
            task = asyncio.ensure_future(self._run_batch(batch))
            self.batches.add(task)
            task.add_done_callback(self._batch_done)

    def _batch_done(self, task: asyncio.Future[None]) -> None:
        self.batches.discard(task)
        if not task.cancelled():
            self._hand_over()

    async def _run_batch(
        self, batch: list[tuple[str, FetchResult, asyncio.Future[ProcessedPage]]]
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            outcomes = await loop.run_in_executor(
                self._executor(), self.call, [(url, result) for url, result, _ in batch]
            )
        except asyncio.CancelledError:
            for *_, future in batch:
                future.cancel()
            raise
        except Exception as exc:  # the batch itself failed: so does each of its pages
            for *_, future in batch:
                if not future.done():
                    future.set_exception(exc)
        else:
            for (*_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if isinstance(outcome, IngestError):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
        finally:
            self.busy -= 1

    def __enter__(self) -> PageProcessor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        if self.pooled:
            _stop_fork_server()


def _release_fork_server() -> None:
    """Close this process's copy of the pipe end whose closing tells the fork server to
    leave: with only the run holding it, the server ends with the run, however the run
    ends, and the kernel then ends this process (`follow_parent`)."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if server is not None and isinstance(alive, int):
        os.close(alive)
        server._forkserver_alive_fd = None


def _stop_fork_server() -> None:
    """End the fork server with the pool: it holds the pipelines' memory, and a later run
    of the same process (`newsfacts schedule`) starts its own."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if callable(stop):
        stop()


def _process_inline(analyzer: Analyzer, engine: Engine, pages: Pages) -> Outcomes:
    return process_pages(pages, analyzer, partial(known_article, engine))
