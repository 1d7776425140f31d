"""A run killed with SIGKILL part-way, then run again: every article stored exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from db import open_database
from db.models import Article, Run, RunLock, UrlOutcome
from tests.conftest import LocalServer, Reply
from tests.ingest.site import RSS, rss, serve_articles

NEWSFACTS = str(Path(sys.executable).parent / "newsfacts")
ARTICLES = 20


def _count_articles(db_url: str) -> int:
    engine = open_database(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Article)) or 0)
    except OperationalError:
        return 0
    finally:
        engine.dispose()


def test_sigkill_mid_run_then_rerun_stores_each_article_once(
    server: LocalServer, db_url: str, tmp_path: Path
) -> None:
    paths = [f"/artikel-{index}" for index in range(ARTICLES)]
    serve_articles(server, paths, delay=0.6)  # slow pages: the kill lands mid-run
    server.route("/feed.xml", Reply(body=rss(*(server.url(p) for p in paths)), headers=RSS))
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nurl = "{server.url("/feed.xml")}"\nkind = "feed"\n', "utf-8")
    open_database(db_url).dispose()  # migrate before the clock starts
    env = {
        **os.environ,
        "NEWSFACTS_PER_HOST_CONCURRENCY": "1",
        "NEWSFACTS_PER_HOST_DELAY": "0",
    }
    command = [
        NEWSFACTS, "run", "--db", db_url, "--sources-file", str(sources),
        "--allow-private-addresses", "-q",
    ]  # fmt: skip

    victim = subprocess.Popen(command, env=env, cwd=tmp_path)
    deadline = time.monotonic() + 120
    while _count_articles(db_url) < 3:
        assert victim.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no article was stored in time"
        time.sleep(0.1)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    killed_at = _count_articles(db_url)
    assert 3 <= killed_at < ARTICLES
    print(f"killed with {killed_at} of {ARTICLES} articles stored")

    engine = open_database(db_url)
    with engine.connect() as connection:
        assert connection.scalar(select(Run.status)) == "running"  # left behind by the kill
        assert connection.scalar(select(RunLock.pid)) == victim.pid

    rerun = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180
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
    assert len(new_outcomes) == len(set(new_outcomes)) <= ARTICLES
    assert statuses == ["interrupted", "finished"]  # nothing left running
    assert lock == 0
    print(f"after the rerun: {len(urls)} articles, runs {statuses}")


def test_sigterm_marks_the_run_interrupted_and_frees_the_lock(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    paths = [f"/artikel-{index}" for index in range(ARTICLES)]
    serve_articles(server, paths, delay=0.4)
    server.route("/feed.xml", Reply(body=rss(*(server.url(p) for p in paths)), headers=RSS))
    open_database(sqlite_url).dispose()
    env = {**os.environ, "NEWSFACTS_PER_HOST_CONCURRENCY": "1", "NEWSFACTS_PER_HOST_DELAY": "0"}
    command = [
        NEWSFACTS, "run", "--feed", server.url("/feed.xml"), "--db", sqlite_url,
        "--allow-private-addresses", "-q",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=tmp_path)
    deadline = time.monotonic() + 120
    while _count_articles(sqlite_url) < 1:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 128 + signal.SIGTERM
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        run = connection.execute(select(Run.status, Run.error)).one()
        locks = connection.scalar(select(func.count()).select_from(RunLock))
    engine.dispose()
    # SystemExit from the handler, or the task cancellation it causes inside the event loop
    assert run.status == "interrupted" and run.error
    assert locks == 0
