"""Ctrl-C (SIGINT) and SIGTERM end a run cleanly: its summary printed, its run recorded
`interrupted`, its lock freed, no traceback from it or from its analysis processes, and
the shell's exit code for the signal. Runs are real `newsfacts run` processes against a
local site that holds most pages back, so the signal always comes mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from db import open_database
from db.models import Source
from tests.conftest import LocalServer, Reply
from tests.ingest.processes import (
    NEWSFACTS,
    alive,
    count_articles,
    pool_processes,
    runs_and_locks,
    wait_for,
)
from tests.ingest.site import RSS, XML, rss, serve_articles, urlset

SERVED = 5
ENV = {
    **os.environ,
    "NEWSFACTS_PER_HOST_CONCURRENCY": "1",  # pages in feed order: the served ones first
    "NEWSFACTS_PER_HOST_DELAY": "0",
    "NEWSFACTS_READ_TIMEOUT": "600",
}


def _start(db_url: str, sources: Path, cwd: Path, **env: str) -> subprocess.Popen[str]:
    command = [
        NEWSFACTS, "run", "--db", db_url, "--sources-file", str(sources),
        "--allow-private-addresses", "-q",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        env={**ENV, **env},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )


def _sources(tmp_path: Path, url: str, kind: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nurl = "{url}"\nkind = "{kind}"\n', "utf-8")
    return path


def _held_site(server: LocalServer, articles: int) -> threading.Event:
    paths = [f"/artikel-{index}" for index in range(articles)]
    hold = threading.Event()
    serve_articles(server, paths[:SERVED])
    serve_articles(server, paths[SERVED:], hold=hold)
    server.route("/feed.xml", Reply(body=rss(*map(server.url, paths)), headers=RSS))
    return hold


def _assert_ended_cleanly(run: subprocess.Popen[str], signum: int, db_url: str) -> str:
    """The run's stderr, once it has exited as a run stopped by `signum` should."""
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    runs, locks = runs_and_locks(db_url)
    assert runs == [("interrupted", f"interrupted by {signal.Signals(signum).name}")]
    assert locks == 0
    return stderr


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [(signal.SIGINT, True), (signal.SIGTERM, True)],
    ids=["ctrl-c", "sigterm-to-the-group"],
)
def test_a_signal_to_the_whole_group_stops_the_run_and_its_pool(
    server: LocalServer, sqlite_url: str, tmp_path: Path, signum: int, to_group: bool
) -> None:
    """Ctrl-C reaches every process of the foreground group, and a service manager sends
    SIGTERM to every process of the service: the analysis processes get it too."""
    hold = _held_site(server, 45)  # enough new pages for the pool
    sources = _sources(tmp_path, server.url("/feed.xml"), "feed")
    open_database(sqlite_url).dispose()
    run = _start(sqlite_url, sources, tmp_path, NEWSFACTS_NLP_PROCESSES="2")
    try:
        wait_for(
            lambda: count_articles(sqlite_url) >= SERVED and len(pool_processes(run.pid)) == 2,
            120,
            "the pool to analyse the served pages",
        )
        workers = pool_processes(run.pid)
        os.killpg(run.pid, signum)
        stderr = _assert_ended_cleanly(run, signum, sqlite_url)
    finally:
        hold.set()
        run.kill()
    assert f"run 1: new {SERVED}" in stderr  # the summary
    assert not any(alive(worker) for worker in workers)


def test_sigterm_to_the_run_alone_stops_it_cleanly(
    server: LocalServer, db_url: str, tmp_path: Path
) -> None:
    hold = _held_site(server, 10)
    sources = _sources(tmp_path, server.url("/feed.xml"), "feed")
    open_database(db_url).dispose()
    run = _start(db_url, sources, tmp_path)
    try:
        wait_for(lambda: count_articles(db_url) >= SERVED, 120, "the served pages")
        run.send_signal(signal.SIGTERM)
        stderr = _assert_ended_cleanly(run, signal.SIGTERM, db_url)
    finally:
        hold.set()
        run.kill()
    assert f"run 1: new {SERVED}" in stderr


def test_sigterm_while_a_sitemap_is_parsed(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    """A large sitemap takes a second or more to read: the signal comes while it is being
    parsed, and the run still ends as interrupted by it, the source still due."""
    locs = [server.url(f"/artikel/{n:06d}-een-bericht-over-auto-s") for n in range(75_000)]
    body = urlset(*locs, lastmod="2026-01-01T00:00:00+00:00")
    assert len(body) < 10 * 1024 * 1024  # under the size cap
    sent = threading.Event()

    def sitemap(_handler: object) -> Reply:
        sent.set()
        return Reply(body=body, headers=XML)

    server.route("/sitemap.xml", sitemap)
    sources = _sources(tmp_path, server.url("/sitemap.xml"), "sitemap")
    open_database(sqlite_url).dispose()
    run = _start(
        sqlite_url,
        sources,
        tmp_path,
        NEWSFACTS_SITEMAP_MAX_ENTRIES="100000",
        NEWSFACTS_SITEMAP_MAX_AGE_DAYS="0",
    )
    try:
        assert sent.wait(120), "the sitemap was not requested"
        threading.Event().wait(0.6)  # the body is read; it is being parsed
        run.send_signal(signal.SIGTERM)
        stderr = _assert_ended_cleanly(run, signal.SIGTERM, sqlite_url)
    finally:
        run.kill()
    assert "run 1: new 0" in stderr
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        source = connection.execute(select(Source)).one()
    engine.dispose()
    assert source.body_hash is None and source.next_poll_at is None  # still due


def test_sigterm_stops_schedule_during_a_pass(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    hold = _held_site(server, 10)
    sources = _sources(tmp_path, server.url("/feed.xml"), "feed")
    open_database(sqlite_url).dispose()
    command = [
        NEWSFACTS, "schedule", "--every", "1h", "--db", sqlite_url, "--sources-file",
        str(sources), "--allow-private-addresses", "-q",
    ]  # fmt: skip
    run = subprocess.Popen(command, env=ENV, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: count_articles(sqlite_url) >= SERVED, 120, "the served pages")
        run.send_signal(signal.SIGTERM)
        stderr = _assert_ended_cleanly(run, signal.SIGTERM, sqlite_url)
    finally:
        hold.set()
        run.kill()
    assert f"run 1: new {SERVED}" in stderr and stderr.rstrip().endswith("stopped")
