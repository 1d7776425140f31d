"""`newsfacts run` and the queue (`enqueue` + `worker`) give the same rows for the same
sources on PostgreSQL: new, changed, unchanged articles and a failing source."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text, update
from typer.testing import CliRunner

from db import open_database
from db.models import Source
from ingest.cli.app import app
from tests.conftest import LocalServer, Reply, _fresh_postgres_database
from tests.ingest.site import RSS, article_html, article_text

pytestmark = pytest.mark.postgres
runner = CliRunner()
NEWSFACTS = Path(sys.executable).parent / "newsfacts"
PATHS = ["/news/a", "/news/b", "/news/c"]


class ChangingSite:
    """A feed whose entries carry an update time, an article that can change, a feed that
    answers 304 to its own ETag, and a feed that always fails."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.stamp = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
        self.texts = {path: article_text(zlib.crc32(path.encode()), 80) for path in [*PATHS, "/x"]}
        self.conditional: list[str | None] = []
        for path in [*PATHS, "/x"]:
            server.route(path, self._article(path))
        server.route("/feed.xml", lambda _handler: Reply(body=self._feed(), headers=RSS))
        server.route("/steady.xml", self._steady)
        server.route("/broken.xml", Reply(500, b"down"))

    def _article(self, path: str) -> Any:
        return lambda _handler: Reply(body=article_html(self.server.url(path), self.texts[path]))

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>t</title><link>{self.server.url(path)}</link>"
            f"<pubDate>{format_datetime(self.stamp)}</pubDate></item>"
            for path in PATHS
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}'
            "</channel></rss>".encode()
        )

    def _steady(self, handler: Any) -> Reply:
        sent = handler.headers.get("If-None-Match")
        self.conditional.append(sent)
        if sent == '"steady-1"':
            return Reply(304, headers={"ETag": '"steady-1"'})
        link = f"<item><title>x</title><link>{self.server.url('/x')}</link></item>"
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>s</title>{link}'
            "</channel></rss>"
        )
        return Reply(body=body.encode(), headers={**RSS, "ETag": '"steady-1"'})

    def change_b(self) -> None:
        """Article b gets a new text, and the feed dates every entry after it was stored."""
        self.texts["/news/b"] = article_text(424242, 80)
        self.stamp = datetime.now(UTC) + timedelta(hours=1)

    def sources_file(self, folder: Path) -> Path:
        path = folder / "sources.toml"
        path.write_text(
            "".join(
                f'[[source]]\nurl = "{self.server.url(feed)}"\nkind = "feed"\n\n'
                for feed in ("/feed.xml", "/steady.xml", "/broken.xml")
            ),
            "utf-8",
        )
        return path


@pytest.fixture
def two_databases() -> Iterator[tuple[str, str]]:
    with _fresh_postgres_database() as single, _fresh_postgres_database() as queued:
        yield single, queued


def run_pass(db_url: str, sources: Path) -> None:
    result = runner.invoke(
        app,
        ["run", "--db", db_url, "--sources-file", str(sources), "--allow-private-addresses"],
    )
    assert result.exit_code == 2, result.output  # the broken feed fails every time


def queue_pass(db_url: str, sources: Path) -> None:
    result = runner.invoke(
        app,
        ["enqueue", "--db", db_url, "--sources-file", str(sources), "--allow-private-addresses"],
    )
    assert result.exit_code == 2, result.output
    env = {
        **os.environ,
        "NEWSFACTS_PER_HOST_DELAY": "0",
        "NEWSFACTS_POLL_CRON": "0 0 1 1 *",  # the worker polls nothing by itself here
        "NEWSFACTS_SOURCES_FILE": str(sources),
    }
    worker = subprocess.Popen(
        [NEWSFACTS, "worker", "--db", db_url, "--allow-private-addresses"],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    engine = open_database(db_url)
    try:
        deadline = time.monotonic() + 120
        while _scalar(
            engine,
            "SELECT count(*) FROM procrastinate_jobs"
            " WHERE queue_name = 'articles' AND status IN ('todo', 'doing')",
        ):
            assert time.monotonic() < deadline, "the worker did not finish its jobs"
            time.sleep(0.3)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        engine.dispose()


def make_due(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(update(Source).values(next_poll_at=None))
    engine.dispose()


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def snapshot(db_url: str, server: LocalServer) -> dict[str, object]:
    """What both drivers must agree on, with URLs made relative to the test server."""
    base = server.url("")
    engine = open_database(db_url)
    queries = {
        "articles": "SELECT a.canonical_url, a.text_hash, s.url FROM articles a"
        " LEFT JOIN sources s ON s.id = a.source_id ORDER BY 1",
        "pages": "SELECT p.url, p.body_hash, s.url FROM pages p"
        " LEFT JOIN sources s ON s.id = p.source_id ORDER BY 1, 2",
        "revisions": "SELECT a.canonical_url, r.text_hash FROM article_revisions r"
        " JOIN articles a ON a.id = r.article_id ORDER BY 1",
        "sources": "SELECT url, etag, body_hash, last_status, consecutive_failures,"
        " last_error IS NOT NULL, poll_interval_s FROM sources ORDER BY url",
        "outcomes": "SELECT url, outcome, count(*) FROM url_outcomes"
        " WHERE outcome <> 'queued' GROUP BY url, outcome ORDER BY 1, 2",
    }
    with engine.connect() as connection:
        found = {
            name: [
                tuple(v.replace(base, "") if isinstance(v, str) else v for v in row)
                for row in connection.execute(text(sql))
            ]
            for name, sql in queries.items()
        }
    engine.dispose()
    return found


def test_run_and_the_queue_store_the_same_rows(
    server: LocalServer, two_databases: tuple[str, str], tmp_path: Path
) -> None:
    site = ChangingSite(server)
    sources = site.sources_file(tmp_path)
    single, queued = two_databases

    run_pass(single, sources)
    queue_pass(queued, sources)
    first = snapshot(single, server)
    assert first == snapshot(queued, server)
    assert {row[2] for row in first["articles"]} == {"/feed.xml", "/steady.xml"}  # type: ignore[union-attr]
    assert all(row[2] is not None for row in first["pages"])  # type: ignore[union-attr]

    site.change_b()
    for db_url in two_databases:
        make_due(db_url)
    run_pass(single, sources)
    queue_pass(queued, sources)
    second = snapshot(single, server)
    assert second == snapshot(queued, server)
    outcomes = {(url, outcome): n for url, outcome, n in second["outcomes"]}  # type: ignore[union-attr]
    assert outcomes[("/news/b", "updated")] == 1  # changed, re-fetched, rewritten
    assert outcomes[("/news/a", "unchanged")] == 1  # re-fetched (the feed says changed), same text
    assert outcomes[("/broken.xml", "failed")] == 2
    assert second["revisions"] == [("/news/b", first["articles"][1][1])]  # type: ignore[index]
    by_url = {row[0]: row for row in second["sources"]}  # type: ignore[union-attr]
    assert by_url["/broken.xml"][4] == 2  # two failures in a row, in both
    assert by_url["/steady.xml"][3] == 304
    assert site.conditional.count('"steady-1"') == 2  # each driver sent the validator back
