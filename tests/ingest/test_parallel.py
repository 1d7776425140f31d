"""The pipelined run: a process pool for the CPU stages, pages handed over in batches,
batched writes, stage seconds."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bench.corpus import CorpusSite, build_article
from db import open_database
from db.models import Article, Run, UrlOutcome
from db.repository import start_run
from ingest.cli.app import app
from ingest.errors import ExtractionError
from ingest.http import FetchResult
from ingest.pool import MIN_POOL_PAGES, Outcomes, PageProcessor, Pages
from ingest.records import OutcomeRow, ProcessedPage
from ingest.settings import Settings
from ingest.stages import STAGES, process_page
from ingest.store import ArticleStore
from nlp.analysis import Analyzer
from nlp.kb import load_kb
from tests.conftest import LocalServer, Reply
from tests.ingest.processes import pool_processes
from tests.ingest.site import RSS, rss, serve_articles

runner = CliRunner()


def test_a_large_run_uses_the_pool_and_stores_every_article(sqlite_url: str) -> None:
    total = MIN_POOL_PAGES + 20
    with CorpusSite(total, words=(20, 60)) as site:
        feeds = [arg for url in site.feed_urls for arg in ("--feed", url)]
        result = runner.invoke(
            app,
            ["run", *feeds, "--db", sqlite_url, "--allow-private-addresses", "--quiet"],
            env={
                "NEWSFACTS_PER_HOST_DELAY": "0",
                "NEWSFACTS_NLP_PROCESSES": "2",
                "NEWSFACTS_STORE_BATCH": "7",
            },
        )
        assert result.exit_code == 0, result.output
        expected = {site.url(i) for i in range(total)}
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        urls = set(connection.execute(select(Article.canonical_url)).scalars())
        outcomes = connection.execute(select(UrlOutcome.outcome)).scalars().all()
        run = connection.execute(select(Run)).one()
        languages = set(
            connection.execute(text("SELECT DISTINCT language FROM articles")).scalars()
        )
    engine.dispose()
    assert urls == expected
    assert outcomes == ["new"] * total
    assert run.n_new == total and run.status == "finished"
    assert set(run.stage_seconds) == set(STAGES)
    assert all(seconds > 0 for seconds in run.stage_seconds.values())
    assert languages == {"nl", "fr", "de", "en"}


def _analysis_processes() -> int:
    return len(pool_processes(os.getpid()))


def test_the_pool_starts_loading_while_slower_sources_are_still_polled(
    sqlite_url: str, server: LocalServer
) -> None:
    paths = [f"/news/{i}" for i in range(MIN_POOL_PAGES + 5)]
    serve_articles(server, paths)
    server.route("/fast.xml", Reply(body=rss(*map(server.url, paths)), headers=RSS))
    seen_while_polled: list[int] = []

    def slow_feed(_handler: object) -> Reply:
        """Answers once the analysis processes have started, or after 20 s."""
        deadline = time.monotonic() + 20
        while _analysis_processes() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen_while_polled.append(_analysis_processes())
        return Reply(body=rss(), headers=RSS)

    server.route("/slow.xml", slow_feed)
    feeds = ["--feed", server.url("/fast.xml"), "--feed", server.url("/slow.xml")]
    result = runner.invoke(
        app,
        ["run", *feeds, "--db", sqlite_url, "--allow-private-addresses", "--quiet"],
        env={"NEWSFACTS_PER_HOST_DELAY": "0", "NEWSFACTS_NLP_PROCESSES": "2"},
    )
    assert result.exit_code == 0, result.output
    assert seen_while_polled == [2]
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(Article)).scalar_one()
    engine.dispose()
    assert stored == len(paths)


def test_pool_processes_leave_at_once_when_the_run_ends(sqlite_url: str) -> None:
    engine = open_database(sqlite_url)
    settings = Settings(database_url=sqlite_url, nlp_processes=2)
    processor = PageProcessor(settings, engine, Analyzer(), pages=MIN_POOL_PAGES)
    result = _fetched(0)

    async def one_page() -> ProcessedPage:
        return await processor.process(result.url, result)

    with processor:
        page = asyncio.run(one_page())
        assert page.analysis is not None and _analysis_processes() == 2
        started = time.perf_counter()
    left_after = time.perf_counter() - started
    engine.dispose()
    assert _analysis_processes() == 0
    # The interpreter's own teardown, with the pipelines loaded, takes most of a second.
    assert left_after < 0.4


def _fetched(index: int, html: str | None = None) -> FetchResult:
    article = build_article(index, 10, "http://news.test", words=(20, 60))
    url = f"http://news.test/{article.slug}"
    html = article.html if html is None else html
    return FetchResult(url, url, 200, {}, html.encode(), "utf-8", html, "text/html")


def _page(index: int, analyzer: Analyzer) -> ProcessedPage:
    result = _fetched(index)
    return process_page(result.url, result, analyzer)


def test_a_failing_article_fails_alone_and_the_batch_is_stored(sqlite_url: str) -> None:
    engine = open_database(sqlite_url)
    analyzer = Analyzer()
    good = [_page(i, analyzer) for i in (0, 1, 2)]
    broken = _page(3, analyzer)
    assert broken.analysis is not None and broken.analysis.entities
    mention = broken.analysis.entities[0]
    # A mention without an end breaks the NOT NULL constraint on mentions.
    unended = dataclasses.replace(mention, end=None)
    broken.analysis = dataclasses.replace(broken.analysis, entities=[unended])
    with Session(engine, expire_on_commit=False) as session:
        run = start_run(session, "test")
    failed_fetch = OutcomeRow("http://news.test/gone", "failed", "HTTPStatusError", "HTTP 404")
    rows = ArticleStore(load_kb()).write_batch(
        engine, run.id, [good[0], broken, good[1], failed_fetch, good[2]]
    )
    with engine.connect() as connection:
        stored = connection.execute(select(Article.url)).scalars().all()
        recorded = connection.execute(select(UrlOutcome.url, UrlOutcome.outcome)).all()
    engine.dispose()
    assert [row.outcome for row in rows] == ["new", "failed", "new", "failed", "new"]
    assert rows[1].error_type == "IntegrityError"
    assert sorted(stored) == sorted(page.url for page in good)
    assert len(recorded) == 5


def test_the_store_compiles_its_statements_once(db_url: str) -> None:
    engine = open_database(db_url)
    analyzer = Analyzer()
    pages = [_page(i, analyzer) for i in range(6)]
    with Session(engine, expire_on_commit=False) as session:
        run = start_run(session, "test")
    store = ArticleStore(load_kb())
    store.write_batch(engine, run.id, pages[:3])
    compiled: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        context = args[-2]
        if context.cache_hit != context.dialect.CACHE_HIT:
            compiled.append(statement)

    event.listen(engine, "after_cursor_execute", record)
    rows = store.write_batch(engine, run.id, pages[3:])
    engine.dispose()
    assert [row.outcome for row in rows] == ["new"] * 3
    # Statements SQLAlchemy cannot cache (ON CONFLICT clauses of the dialects) are compiled
    # on every execution, which costs more than running them.
    assert compiled == []


def test_pages_that_wait_are_handed_over_together_each_with_its_own_outcome(
    sqlite_url: str,
) -> None:
    engine = open_database(sqlite_url)
    analyzer = Analyzer()
    pages = [_page(i, analyzer) for i in range(6)]
    results = [_fetched(i) for i in range(6)]
    results[2] = _fetched(2, "<html><body><p>Cookies.</p></body></html>")  # no article text
    batches: list[int] = []
    processor = PageProcessor(Settings(database_url=sqlite_url), engine, analyzer, pages=6)
    call = processor.call

    def counted(batch: Pages) -> Outcomes:
        batches.append(len(batch))
        return call(batch)

    processor.call = counted

    async def run_all() -> list[ProcessedPage | BaseException]:
        with processor:
            return await asyncio.gather(
                *(processor.process(r.url, r) for r in results), return_exceptions=True
            )

    outcomes = asyncio.run(run_all())
    engine.dispose()
    assert batches == [1, 5]  # the first page alone, then the five that waited for it
    assert isinstance(outcomes[2], ExtractionError)
    for index in (0, 1, 3, 4, 5):
        outcome = outcomes[index]
        assert isinstance(outcome, ProcessedPage) and outcome.url == pages[index].url
        assert outcome.analysis is not None and pages[index].analysis is not None
        assert outcome.analysis.facts == pages[index].analysis.facts
