"""A whole run over a feed whose pages misbehave in every way: bounded, recorded, idempotent."""

from __future__ import annotations

import gzip
import time

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from db import open_database
from db.models import Article, UrlOutcome
from ingest.cli.app import app
from tests.conftest import LocalServer, Reply
from tests.ingest.site import RSS, article_html, article_text, rss

runner = CliRunner()

GOOD = ["good1", "good2", "good3", "good4"]
BAD = ["busy", "down", "stall", "drip", "huge", "bomb", "loop"]


def fault_site(server: LocalServer) -> str:
    """Four good articles and seven bad URLs behind one feed; the feed's URL."""
    for index, name in enumerate(GOOD):
        server.route(
            f"/{name}", Reply(body=article_html(server.url(f"/{name}"), article_text(index)))
        )
    server.route("/busy", Reply(429, headers={"Retry-After": "120"}))
    server.route("/down", Reply(500))
    # Headers and a first chunk, then nothing; and a body that drips ten bytes at a time.
    server.route("/stall", Reply(body=b"<html>" + b"x" * 100_000, trickle=3600, chunk=1000))
    server.route("/drip", Reply(body=b"<html>" + b"x" * 100_000, trickle=0.2, chunk=10))
    server.route("/huge", Reply(body=b"<p>" + b"x" * 50_000_000, headers={"Content-Length": ""}))
    bomb = gzip.compress(b"<p>" + b"0" * 200_000_000)
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    server.route("/loop", Reply(302, headers={"Location": "/loop2"}))
    server.route("/loop2", Reply(302, headers={"Location": "/loop"}))
    urls = [server.url(f"/{name}") for name in GOOD + BAD]
    server.route("/feed.xml", Reply(body=rss(*urls), headers=RSS))
    return server.url("/feed.xml")


@pytest.fixture
def fast_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "MAX_RETRIES": "2",
        "BACKOFF_BASE": "0.05",
        "READ_TIMEOUT": "1",
        "TOTAL_TIMEOUT": "2",
        "URL_TIMEOUT": "5",
        "PER_HOST_DELAY": "0",
        "PER_HOST_CONCURRENCY": "8",
    }.items():
        monkeypatch.setenv(f"NEWSFACTS_{name}", value)


def test_a_run_over_misbehaving_pages_finishes_and_records_why(
    server: LocalServer, db_url: str, fast_failures: None
) -> None:
    feed = fault_site(server)
    args = ["run", "--feed", feed, "--db", db_url, "--allow-private-addresses"]

    started = time.monotonic()
    first = runner.invoke(app, args)
    elapsed = time.monotonic() - started
    assert first.exit_code == 2, first.output
    assert elapsed < 40  # with the default timeouts such a run stays under 90 s
    engine = open_database(db_url)
    with engine.connect() as connection:
        outcomes = {
            row.url.rsplit("/", 1)[1]: (row.outcome, row.error_type, row.message or "")
            for row in connection.execute(select(UrlOutcome))
        }
        stored = sorted(
            url.rsplit("/", 1)[1] for url in connection.scalars(select(Article.canonical_url))
        )
    assert stored == GOOD
    assert sorted(outcomes) == sorted(GOOD + BAD)
    assert {outcomes[name][0] for name in GOOD} == {"new"}
    assert {outcomes[name][0] for name in BAD} == {"failed"}
    # The Retry-After would outlast url_timeout: given up at once.
    assert outcomes["busy"][1] == "HTTPStatusError" and server.hits["/busy"] == 1
    assert (
        "gave up after 1 attempt;" in outcomes["busy"][2] and "url_timeout" in outcomes["busy"][2]
    )
    assert outcomes["down"][1] == "HTTPStatusError"
    assert "gave up after 3 attempts" in outcomes["down"][2] and server.hits["/down"] == 3
    # Stalled bodies are not retried.
    assert outcomes["stall"][1] == "FetchError" and server.hits["/stall"] == 1
    assert "ReadTimeout while reading the body" in outcomes["stall"][2]
    assert outcomes["drip"][1] == "FetchError" and server.hits["/drip"] == 1
    assert "total_timeout of 2 s reached while reading the body" in outcomes["drip"][2]
    assert outcomes["huge"][1] == "TooLarge"
    assert outcomes["bomb"][1] == "TooLarge" and "decompressed" in outcomes["bomb"][2]
    assert outcomes["loop"][1:] == ("FetchError", f"redirect loop at {server.url('/loop')}")

    second = runner.invoke(app, args)
    assert second.exit_code == 2
    assert "new 0" in second.output and "unchanged 4" in second.output
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 4
    engine.dispose()
