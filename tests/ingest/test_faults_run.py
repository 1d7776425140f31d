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


@pytest.fixture
def fast_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "MAX_RETRIES": "2",
        "BACKOFF_BASE": "0.05",
        "READ_TIMEOUT": "2",
        "TOTAL_TIMEOUT": "2",
        "PER_HOST_DELAY": "0",
        "PER_HOST_CONCURRENCY": "8",
    }.items():
        monkeypatch.setenv(f"NEWSFACTS_{name}", value)


def test_a_run_over_misbehaving_pages_finishes_and_records_why(
    server: LocalServer, db_url: str, fast_failures: None
) -> None:
    for name in ("good1", "good2"):
        server.route(
            f"/{name}",
            Reply(
                body=article_html(server.url(f"/{name}"), article_text(len(name) + ord(name[-1])))
            ),
        )

    def busy(_handler: object) -> Reply:
        if server.hits["/busy"] == 1:
            return Reply(429, headers={"Retry-After": "1"})
        return Reply(body=article_html(server.url("/busy"), article_text(77)))

    server.route("/busy", busy)
    server.route("/down", Reply(500))
    server.route("/drip", Reply(body=b"<html>" + b"x" * 100_000, trickle=0.2, chunk=10))
    server.route("/huge", Reply(body=b"<p>" + b"x" * 50_000_000, headers={"Content-Length": ""}))
    bomb = gzip.compress(b"<p>" + b"0" * 200_000_000)
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    names = ["good1", "good2", "busy", "down", "drip", "huge", "bomb"]
    server.route("/feed.xml", Reply(body=rss(*(server.url(f"/{n}") for n in names)), headers=RSS))
    args = ["run", "--feed", server.url("/feed.xml"), "--db", db_url, "--allow-private-addresses"]

    started = time.monotonic()
    first = runner.invoke(app, args)
    elapsed = time.monotonic() - started
    assert first.exit_code == 2, first.output
    assert elapsed < 40
    engine = open_database(db_url)
    with engine.connect() as connection:
        outcomes = {
            row.url.rsplit("/", 1)[1]: (row.outcome, row.error_type, row.message or "")
            for row in connection.execute(select(UrlOutcome))
        }
        stored = sorted(
            url.rsplit("/", 1)[1] for url in connection.scalars(select(Article.canonical_url))
        )
    assert stored == ["busy", "good1", "good2"]
    assert outcomes["busy"][0] == "new" and server.hits["/busy"] == 2
    assert outcomes["down"][:2] == ("failed", "HTTPStatusError")
    assert "gave up after 3 attempts" in outcomes["down"][2] and server.hits["/down"] == 3
    assert outcomes["drip"][:2] == ("failed", "FetchError")
    assert "TimeoutError" in outcomes["drip"][2]
    assert outcomes["huge"][:2] == ("failed", "TooLarge")
    assert outcomes["bomb"][:2] == ("failed", "TooLarge") and "decompressed" in outcomes["bomb"][2]

    second = runner.invoke(app, args)
    assert second.exit_code == 2
    assert "new 0" in second.output and "unchanged 3" in second.output
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 3
    engine.dispose()
