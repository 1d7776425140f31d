"""Workers on the PostgreSQL job queue: real worker processes, a real local site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from bench.corpus import CorpusSite
from db import open_database
from ingest.cli.app import app
from ingest.distributed import Cluster
from ingest.records import Candidate
from ingest.settings import load_settings
from tests.conftest import LocalServer, Reply
from tests.ingest.site import XML, sitemap_index, urlset

pytestmark = pytest.mark.postgres
runner = CliRunner()
NEWSFACTS = Path(sys.executable).parent / "newsfacts"
SHORT = (20, 60)  # words per article: the queue is under test here, not the NLP


@pytest.fixture
def worker_env() -> dict[str, str]:
    return {
        **os.environ,
        "NEWSFACTS_PER_HOST_DELAY": "0",
        "NEWSFACTS_PER_HOST_CONCURRENCY": "8",
        "NEWSFACTS_WORKER_STALLED_SECONDS": "3",
    }


@pytest.fixture
def workers(
    postgres_url: str, worker_env: dict[str, str]
) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts `newsfacts worker` processes; stops those still running afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        command = [NEWSFACTS, "worker", "--db", postgres_url, "--allow-private-addresses"]
        process = subprocess.Popen(command, env=worker_env, stderr=subprocess.DEVNULL)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def enqueue(site: CorpusSite, db_url: str) -> None:
    feeds = [arg for url in site.feed_urls for arg in ("--feed", url)]
    result = runner.invoke(app, ["enqueue", *feeds, "--db", db_url, "--allow-private-addresses"])
    assert result.exit_code == 0, result.output


def scalar(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql), params).scalar_one())


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def assert_stored_exactly_once(engine: Engine, site: CorpusSite) -> None:
    with engine.connect() as connection:
        urls = connection.execute(text("SELECT canonical_url FROM articles")).scalars().all()
        new = (
            connection.execute(text("SELECT url FROM url_outcomes WHERE outcome = 'new'"))
            .scalars()
            .all()
        )
        failed = connection.execute(
            text("SELECT count(*) FROM url_outcomes WHERE outcome = 'failed'")
        ).scalar_one()
    expected = {site.url(i) for i in range(site.total)}
    assert sorted(urls) == sorted(expected)
    assert sorted(new) == sorted(expected)  # one "new" per URL, never two
    assert failed == 0


def test_three_workers_store_each_article_exactly_once(
    postgres_url: str, workers: Callable[[], subprocess.Popen[bytes]]
) -> None:
    with CorpusSite(500, words=SHORT) as site:
        enqueue(site, postgres_url)
        engine = open_database(postgres_url)
        assert scalar(engine, "SELECT count(*) FROM procrastinate_jobs") == 500
        for _ in range(3):
            workers()
        wait_until(
            lambda: scalar(engine, "SELECT count(*) FROM articles") == 500,
            timeout=150,
            what="500 articles",
        )
        assert_stored_exactly_once(engine, site)
        workers_used = scalar(
            engine,
            "SELECT count(DISTINCT worker_id) FROM procrastinate_jobs"
            " WHERE queue_name = 'articles'",
        )
        counted = scalar(engine, "SELECT sum(n_new) FROM runs WHERE command = 'discover'")
    engine.dispose()
    assert workers_used == 3
    assert counted == 500  # the jobs raise the counters of the run that queued them


def test_a_killed_worker_loses_nothing(
    postgres_url: str, workers: Callable[[], subprocess.Popen[bytes]]
) -> None:
    with CorpusSite(60, words=SHORT, delay=0.2) as site:
        enqueue(site, postgres_url)
        engine = open_database(postgres_url)
        doomed = workers()
        wait_until(
            lambda: scalar(engine, "SELECT count(*) FROM procrastinate_workers") == 1,
            timeout=60,
            what="the first worker to register",
        )
        doomed_id = scalar(engine, "SELECT id FROM procrastinate_workers")
        survivor = workers()
        wait_until(
            lambda: (
                scalar(engine, "SELECT count(*) FROM articles") >= 10
                and scalar(
                    engine,
                    "SELECT count(*) FROM procrastinate_jobs"
                    " WHERE worker_id = :w AND status = 'doing'",
                    w=doomed_id,
                )
                > 0
            ),
            timeout=90,
            what="the first worker to be busy",
        )
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        with engine.connect() as connection:
            orphans = (
                connection.execute(
                    text(
                        "SELECT id FROM procrastinate_jobs"
                        " WHERE worker_id = :w AND status = 'doing'"
                    ),
                    {"w": doomed_id},
                )
                .scalars()
                .all()
            )
        assert orphans, "the killed worker had no job in hand"
        wait_until(
            lambda: scalar(engine, "SELECT count(*) FROM articles") == 60,
            timeout=90,
            what="all 60 articles",
        )
        assert survivor.poll() is None
        assert_stored_exactly_once(engine, site)
        with engine.connect() as connection:
            retried = connection.execute(
                text("SELECT status, attempts FROM procrastinate_jobs WHERE id = ANY(:ids)"),
                {"ids": list(orphans)},
            ).all()
    engine.dispose()
    assert {row.status for row in retried} == {"succeeded"}
    assert all(row.attempts >= 2 for row in retried)


def test_duplicate_enqueues_collapse_to_one_job(postgres_url: str) -> None:
    with CorpusSite(30, words=SHORT) as site:
        enqueue(site, postgres_url)
        enqueue(site, postgres_url)
        engine = open_database(postgres_url)
        cluster = Cluster(load_settings(database_url=postgres_url), engine)
        run_id = scalar(engine, "SELECT max(id) FROM runs")
        urls = [site.url(0), site.url(0), site.url(1)]
        rows = cluster.enqueue_articles(run_id, [Candidate(url) for url in urls])
        jobs = scalar(engine, "SELECT count(*) FROM procrastinate_jobs")
        per_url = scalar(
            engine,
            "SELECT max(n) FROM (SELECT count(*) AS n FROM procrastinate_jobs"
            " GROUP BY args->>'url') AS counts",
        )
        with engine.connect() as connection:
            result = connection.execute(
                text("SELECT outcome, count(*) FROM url_outcomes GROUP BY outcome")
            )
            outcomes = {outcome: count for outcome, count in result}
    engine.dispose()
    assert jobs == 30
    assert per_url == 1
    assert [row.outcome for row in rows] == ["skipped", "skipped"]  # the repeat is folded
    assert outcomes == {"queued": 30, "skipped": 32}


def test_workers_refuse_sqlite(sqlite_url: str) -> None:
    result = runner.invoke(app, ["worker", "--db", sqlite_url])
    assert result.exit_code == 1
    assert "need PostgreSQL" in result.output


def test_enqueue_reads_sitemaps_and_url_lists_as_run_does(
    postgres_url: str, server: LocalServer
) -> None:
    articles = [server.url(f"/news/{n}.html") for n in range(5)]
    server.route(
        "/sitemap.xml",
        Reply(body=sitemap_index(server.url("/s1.xml"), server.url("/gone.xml")), headers=XML),
    )
    server.route("/s1.xml", Reply(body=urlset(*articles[:3]), headers=XML))
    server.route("/gone.xml", Reply(404, b"not found"))
    listed = "\n".join(["# two more, one of them in the sitemap too", *articles[2:]])
    server.route("/urls.txt", Reply(body=listed.encode(), headers={"Content-Type": "text/plain"}))
    result = runner.invoke(
        app,
        [
            "enqueue",
            "--sitemap",
            server.url("/sitemap.xml"),
            "--urls",
            server.url("/urls.txt"),
            "--db",
            postgres_url,
            "--allow-private-addresses",
        ],
    )
    assert result.exit_code == 2, result.output  # the missing child sitemap is reported
    assert "gone.xml" in result.output
    engine = open_database(postgres_url)
    with engine.connect() as connection:
        queued = (
            connection.execute(text("SELECT args->>'url' FROM procrastinate_jobs ORDER BY id"))
            .scalars()
            .all()
        )
        failed = (
            connection.execute(text("SELECT url FROM url_outcomes WHERE outcome = 'failed'"))
            .scalars()
            .all()
        )
    engine.dispose()
    assert sorted(queued) == sorted(articles)  # the URL in both sources is queued once
    assert failed == [server.url("/gone.xml")]


def test_enqueue_needs_a_source(postgres_url: str) -> None:
    result = runner.invoke(app, ["enqueue", "--db", postgres_url])
    assert result.exit_code == 1
    assert "--feed, --sitemap or --urls" in result.output
