"""Bounds on what one run takes in: documents and entries per sitemap tree, and URLs per
source and per run (the rest waits for a later run, which picks it up)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from db import open_database
from db.models import Article, Source
from ingest.cli.app import app
from ingest.discover import Discovery, PollTarget, discover
from ingest.errors import TooLarge
from ingest.http import Fetcher
from ingest.logs import LOGGER
from ingest.settings import Settings
from tests.conftest import LocalServer, Reply
from tests.ingest.site import RSS, XML, rss, serve_articles, urlset

runner = CliRunner()
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def index(*children: tuple[str, str | None]) -> bytes:
    """A sitemap index of (loc, lastmod) pairs."""
    items = "".join(
        f"<sitemap><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</sitemap>"
        for loc, mod in children
    )
    return f'<?xml version="1.0"?><sitemapindex xmlns="{NS}">{items}</sitemapindex>'.encode()


def dated_urlset(*entries: tuple[str, str]) -> bytes:
    """A urlset of (loc, lastmod) pairs."""
    items = "".join(f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod></url>" for loc, mod in entries)
    return f'<?xml version="1.0"?><urlset xmlns="{NS}">{items}</urlset>'.encode()


def poll(url: str, **overrides: object) -> Discovery:
    base = {"allow_private_addresses": True, "per_host_delay": 0.0, "backoff_base": 0.01}
    settings = Settings(**{**base, **overrides})  # type: ignore[arg-type]

    async def go() -> Discovery:
        async with Fetcher(settings) as fetcher:
            return await discover(fetcher, PollTarget(url, "sitemap"))

    return asyncio.run(go())


@pytest.fixture
def limit_events() -> Iterator[list[logging.LogRecord]]:
    """The `limit` log events emitted during the test."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.addFilter(lambda record: getattr(record, "event", None) == "limit")
    handler.emit = records.append  # type: ignore[method-assign]
    LOGGER.addHandler(handler)
    level = LOGGER.level
    LOGGER.setLevel(logging.INFO)
    yield records
    LOGGER.removeHandler(handler)
    LOGGER.setLevel(level)


def _children_fetched(server: LocalServer, prefix: str) -> list[str]:
    return sorted(path for path, hits in server.hits.items() if path.startswith(prefix) and hits)


def test_an_index_with_more_children_than_the_limit_reads_only_the_newest(
    server: LocalServer, limit_events: list[logging.LogRecord]
) -> None:
    children = [(server.url(f"/sm-{i:02d}.xml"), _ago(30 - i)) for i in range(12)]  # 11 newest
    server.route("/index.xml", Reply(body=index(*children), headers=XML))
    for i in range(12):
        locs = [server.url(f"/a/{i}-{n}") for n in range(3)]
        server.route(f"/sm-{i:02d}.xml", Reply(body=urlset(*locs), headers=XML))

    found = poll(server.url("/index.xml"), sitemap_max_documents=5, sitemap_max_age_days=0)

    assert _children_fetched(server, "/sm-") == [f"/sm-{i:02d}.xml" for i in range(7, 12)]
    assert len(found.entries) == 15 and found.error is None and not found.failures
    assert found.limits == ["7 child sitemaps not read: 5 fetched (sitemap_max_documents)"]
    [event] = limit_events
    assert event.levelno == logging.WARNING and event.url == server.url("/index.xml")  # type: ignore[attr-defined]


def test_the_document_limit_holds_for_the_whole_tree_breadth_first(server: LocalServer) -> None:
    server.route(
        "/index.xml",
        Reply(
            body=index((server.url("/sub-a.xml"), None), (server.url("/sub-b.xml"), None)),
            headers=XML,
        ),
    )
    for sub in "ab":
        maps = [(server.url(f"/leaf-{sub}{n}.xml"), None) for n in range(3)]
        server.route(f"/sub-{sub}.xml", Reply(body=index(*maps), headers=XML))
        for n in range(3):
            body = urlset(server.url(f"/a/{sub}{n}"))
            server.route(f"/leaf-{sub}{n}.xml", Reply(body=body, headers=XML))

    found = poll(server.url("/index.xml"), sitemap_max_documents=4)

    assert _children_fetched(server, "/sub-") == ["/sub-a.xml", "/sub-b.xml"]
    assert _children_fetched(server, "/leaf-") == ["/leaf-a0.xml", "/leaf-a1.xml"]
    assert [entry.url.rsplit("/", 1)[1] for entry in found.entries] == ["a0", "a1"]
    assert found.limits == ["4 child sitemaps not read: 4 fetched (sitemap_max_documents)"]


def test_entries_per_tree_are_bounded_and_reading_stops_there(
    server: LocalServer, limit_events: list[logging.LogRecord]
) -> None:
    children = [(server.url(f"/sm-{i}.xml"), None) for i in range(3)]
    server.route("/index.xml", Reply(body=index(*children), headers=XML))
    for i in range(3):
        locs = [server.url(f"/a/{i}-{n}") for n in range(3)]
        server.route(f"/sm-{i}.xml", Reply(body=urlset(*locs), headers=XML))

    found = poll(server.url("/index.xml"), sitemap_max_entries=4)

    assert _children_fetched(server, "/sm-") == ["/sm-0.xml", "/sm-1.xml"]
    assert [entry.url.rsplit("/", 1)[1] for entry in found.entries] == [
        "0-0", "0-1", "0-2", "1-0",
    ]  # fmt: skip
    assert found.limits == [
        f"stopped reading {server.url('/sm-1.xml')} at 4 entries in all (sitemap_max_entries)",
        "1 child sitemaps not read: 4 entries kept (sitemap_max_entries)",
    ]
    assert len(limit_events) == 2


def test_one_huge_urlset_keeps_only_the_first_entries(server: LocalServer) -> None:
    locs = [server.url(f"/a/{n}") for n in range(5_000)]
    server.route("/sitemap.xml", Reply(body=urlset(*locs), headers=XML))
    found = poll(server.url("/sitemap.xml"), sitemap_max_entries=10)
    assert [entry.url for entry in found.entries] == locs[:10]
    assert len(found.limits) == 1


def test_each_sitemap_document_is_capped_in_bytes(server: LocalServer) -> None:
    big = urlset(*(server.url(f"/a/{n}") for n in range(2_000)))
    assert len(big) > 50_000
    server.route(
        "/index.xml",
        Reply(
            body=index((server.url("/big.xml"), None), (server.url("/small.xml"), None)),
            headers=XML,
        ),
    )
    server.route("/big.xml", Reply(body=big, headers=XML))
    server.route("/small.xml", Reply(body=urlset(server.url("/a/ok")), headers=XML))
    found = poll(server.url("/index.xml"), max_body_bytes=50_000)
    [(url, error)] = found.failures
    assert url == server.url("/big.xml") and isinstance(error, TooLarge)
    assert [entry.url for entry in found.entries] == [server.url("/a/ok")]


# -- URLs per source and per run -------------------------------------------------------


def _run(db_url: str, sources: Path, env: dict[str, str]) -> object:
    args = ["run", "--db", db_url, "--sources-file", str(sources), "--allow-private-addresses"]
    return runner.invoke(app, [*args, "--log-json"], env={"NEWSFACTS_PER_HOST_DELAY": "0", **env})


def _stored(db_url: str) -> list[str]:
    engine = open_database(db_url)
    with engine.connect() as connection:
        urls = list(connection.scalars(select(Article.canonical_url).order_by(Article.id)))
    engine.dispose()
    return [url.rsplit("/", 1)[1] for url in urls]


def _source(db_url: str, url: str) -> Source:
    engine = open_database(db_url)
    with engine.connect() as connection:
        row = connection.execute(select(Source).where(Source.url == url)).one()
    engine.dispose()
    return row  # type: ignore[return-value]


def _events(output: str, name: str) -> list[dict[str, object]]:
    return [event for line in output.splitlines() if (event := json.loads(line))["event"] == name]


def test_urls_over_the_source_limit_wait_for_the_next_runs(
    server: LocalServer, db_url: str, tmp_path: Path
) -> None:
    paths = [f"/p{n}" for n in range(10)]
    serve_articles(server, paths)
    body = rss(*(server.url(path) for path in paths))

    def feed(handler: object) -> Reply:
        """A feed that never changes and honours its validators: a source that stored
        them after a poll that left entries behind would never be read in full again."""
        if handler.headers.get("If-None-Match") == '"v1"':  # type: ignore[attr-defined]
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(body=body, headers={**RSS, "ETag": '"v1"'})

    server.route("/feed.xml", feed)
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nurl = "{server.url("/feed.xml")}"\nkind = "feed"\n', "utf-8")
    env = {"NEWSFACTS_MAX_URLS_PER_SOURCE": "4"}

    first = _run(db_url, sources, env)
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    assert sorted(_stored(db_url)) == ["p0", "p1", "p2", "p3"]
    [left] = _events(first.stderr, "left")  # type: ignore[attr-defined]
    assert left["url"] == server.url("/feed.xml") and "6 new URLs" in str(left["message"])
    state = _source(db_url, server.url("/feed.xml"))
    assert state.etag is None and state.body_hash is None
    assert state.next_poll_at is not None and state.next_poll_at.replace(tzinfo=UTC) <= (
        datetime.now(UTC)
    )

    assert _run(db_url, sources, env).exit_code == 0  # type: ignore[attr-defined]
    assert len(_stored(db_url)) == 8
    third = _run(db_url, sources, env)
    assert not _events(third.stderr, "left")  # type: ignore[attr-defined]
    assert sorted(_stored(db_url)) == sorted(path[1:] for path in paths)  # each stored once
    state = _source(db_url, server.url("/feed.xml"))
    assert state.etag == '"v1"' and state.body_hash is not None  # now it may rest
    hits = server.hits["/feed.xml"]
    _run(db_url, sources, env)
    assert server.hits["/feed.xml"] == hits  # not due again yet


def test_the_run_limit_takes_from_every_source_in_turn_newest_first(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    feed_paths = [f"/f{n}" for n in range(5)]
    map_paths = [f"/s{n}" for n in range(5)]  # s4 is the newest
    serve_articles(server, feed_paths + map_paths)
    server.route("/feed.xml", Reply(body=rss(*map(server.url, feed_paths)), headers=RSS))
    dated = [(server.url(path), _ago(10 - n)) for n, path in enumerate(map_paths)]
    server.route("/sitemap.xml", Reply(body=dated_urlset(*dated), headers=XML))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nurl = "{server.url("/feed.xml")}"\nkind = "feed"\n\n'
        f'[[source]]\nurl = "{server.url("/sitemap.xml")}"\nkind = "sitemap"\n',
        "utf-8",
    )
    env = {"NEWSFACTS_MAX_URLS_PER_RUN": "4"}

    assert _run(sqlite_url, sources, env).exit_code == 0  # type: ignore[attr-defined]
    assert sorted(_stored(sqlite_url)) == ["f0", "f1", "s3", "s4"]
    assert _run(sqlite_url, sources, env).exit_code == 0  # type: ignore[attr-defined]
    assert sorted(_stored(sqlite_url)[4:]) == ["f2", "f3", "s1", "s2"]
    last = _run(sqlite_url, sources, env)
    assert sorted(_stored(sqlite_url)[8:]) == ["f4", "s0"]
    assert not _events(last.stderr, "left")  # type: ignore[attr-defined]


def test_a_run_logs_where_a_sitemap_tree_was_cut(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    children = [(server.url(f"/sm-{i}.xml"), None) for i in range(6)]
    server.route("/index.xml", Reply(body=index(*children), headers=XML))
    serve_articles(server, [f"/a{i}" for i in range(6)])
    for i in range(6):
        server.route(f"/sm-{i}.xml", Reply(body=urlset(server.url(f"/a{i}")), headers=XML))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nurl = "{server.url("/index.xml")}"\nkind = "sitemap"\n', "utf-8"
    )
    result = _run(sqlite_url, sources, {"NEWSFACTS_SITEMAP_MAX_DOCUMENTS": "2"})
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert sorted(_stored(sqlite_url)) == ["a0", "a1"]
    [limit] = _events(result.stderr, "limit")  # type: ignore[attr-defined]
    assert limit["level"] == "warning" and "4 child sitemaps not read" in str(limit["message"])
