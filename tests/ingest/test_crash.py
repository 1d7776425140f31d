"""A run killed with SIGKILL part-way: its analysis processes end with it, and a second run
stores every article exactly once.

The local site holds most of its pages back (their responses block) until the kill has
happened, so the kill always comes mid-run, however slow or loaded the machine."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

import psutil
from sqlalchemy import func, select

from db import open_database
from db.models import Article, Run, RunLock, UrlOutcome
from tests.conftest import LocalServer, Reply
from tests.ingest.processes import (
    NEWSFACTS,
    alive,
    count_articles,
    pool_processes,
    wait_for,
)
from tests.ingest.site import RSS, rss, serve_articles

ARTICLES = 20
SERVED = 5  # pages answered before the kill; the others are held until it has happened


def _site(
    server: LocalServer, articles: int, tmp_path: Path
) -> tuple[list[str], Path, threading.Event]:
    """Articles, the first SERVED answered at once and the rest held until the event is
    set; a feed of them all; and a sources file with that feed."""
    paths = [f"/artikel-{index}" for index in range(articles)]
    hold = threading.Event()
    serve_articles(server, paths[:SERVED])
    serve_articles(server, paths[SERVED:], hold=hold)
    server.route("/feed.xml", Reply(body=rss(*(server.url(p) for p in paths)), headers=RSS))
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nurl = "{server.url("/feed.xml")}"\nkind = "feed"\n', "utf-8")
    return paths, sources, hold


def _command(db_url: str, sources: Path) -> list[str]:
    return [
        NEWSFACTS, "run", "--db", db_url, "--sources-file", str(sources),
        "--allow-private-addresses", "-q",
    ]  # fmt: skip


ENV = {
    **os.environ,
    "NEWSFACTS_PER_HOST_CONCURRENCY": "1",  # pages in feed order: the served ones first
    "NEWSFACTS_PER_HOST_DELAY": "0",
    "NEWSFACTS_READ_TIMEOUT": "600",  # a held page is not given up on before the kill
}


def test_sigkill_mid_run_then_rerun_stores_each_article_once(
    server: LocalServer, db_url: str, tmp_path: Path
) -> None:
    paths, sources, hold = _site(server, ARTICLES, tmp_path)
    open_database(db_url).dispose()  # migrate before the clock starts
    command = _command(db_url, sources)

    victim = subprocess.Popen(command, env=ENV, cwd=tmp_path)

    def stored() -> bool:
        return count_articles(db_url) >= SERVED or victim.poll() is not None

    wait_for(stored, 120, "the served pages to be stored")
    assert victim.poll() is None, "the run ended before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    killed_at = count_articles(db_url)
    assert killed_at == SERVED  # the held pages cannot have been stored
    hold.set()

    engine = open_database(db_url)
    with engine.connect() as connection:
        assert connection.scalar(select(Run.status)) == "running"  # left behind by the kill
        assert connection.scalar(select(RunLock.pid)) == victim.pid

    rerun = subprocess.run(
        command, env=ENV, cwd=tmp_path, capture_output=True, text=True, timeout=180
    )
    assert rerun.returncode == 0, rerun.stderr

    with engine.connect() as connection:
        urls = list(connection.scalars(select(Article.canonical_url)))
        statuses = list(connection.scalars(select(Run.status).order_by(Run.id)))
        new_outcomes = list(
            connection.scalars(select(UrlOutcome.url).where(UrlOutcome.outcome == "new"))
        )
        lock = connection.scalar(select(func.count()).select_from(RunLock))
    engine.dispose()
    assert sorted(urls) == sorted(server.url(p) for p in paths)  # all stored, each once
    assert len(new_outcomes) == len(set(new_outcomes)) == ARTICLES
    assert statuses == ["interrupted", "finished"]  # nothing left running
    assert lock == 0


def test_analysis_processes_end_when_the_run_is_killed(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    """SIGKILL gives the run no chance to stop its pool: the pool processes must notice
    on their own, or they keep their memory and database files for good."""
    _, sources, hold = _site(server, 45, tmp_path)  # enough new pages for the pool
    open_database(sqlite_url).dispose()
    env = {**ENV, "NEWSFACTS_NLP_PROCESSES": "2"}
    victim = subprocess.Popen(_command(sqlite_url, sources), env=env, cwd=tmp_path)
    workers: list[psutil.Process] = []
    try:
        wait_for(
            lambda: count_articles(sqlite_url) >= SERVED and len(pool_processes(victim.pid)) == 2,
            120,
            "the pool to analyse the served pages",
        )
        workers = pool_processes(victim.pid)
        family = psutil.Process(victim.pid).children(recursive=True)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        wait_for(lambda: not any(alive(worker) for worker in workers), 5, "the pool to end")
        wait_for(lambda: not any(alive(child) for child in family), 10, "every child to end")
    finally:
        hold.set()
        victim.kill()
        for worker in workers:  # a failed test leaves no process behind
            if alive(worker):
                worker.kill()
