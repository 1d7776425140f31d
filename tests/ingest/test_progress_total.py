"""The progress display learns the run's total once discovery is over, instead of "3/?"."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from db import open_database
from ingest.cli import common
from ingest.pipeline import Pipeline
from ingest.records import FINAL, PLANNED
from ingest.settings import load_settings
from tests.conftest import LocalServer, Reply
from tests.ingest.site import RSS, rss, serve_articles


def _events(server: LocalServer, url: str) -> list[tuple[str, str]]:
    events: list[tuple[str, str]] = []
    settings = load_settings(database_url=url, allow_private_addresses=True)
    pipeline = Pipeline(settings, open_database(url), progress=lambda e, u: events.append((e, u)))
    pipeline.run_feeds([server.url("/feed.xml")])
    return events


def test_the_run_announces_how_many_urls_it_will_account_for(
    server: LocalServer, sqlite_url: str
) -> None:
    paths = ["/a.html", "/b.html", "/c.html"]
    serve_articles(server, paths)
    links = [server.url(path) for path in [*paths, "/gone.html"]]
    server.route("/feed.xml", Reply(body=rss(*links), headers=RSS))
    for expected in ({"new": 3, "failed": 1}, {"unchanged": 3, "failed": 1}):
        events = _events(server, sqlite_url)
        [planned] = [int(u) for e, u in events if e == PLANNED]
        final = [e for e, _ in events if e in FINAL]
        assert planned == len(final) == 4
        assert {e: final.count(e) for e in set(final)} == expected


def test_the_progress_bar_takes_the_total(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(common, "err", Console(file=screen, force_terminal=True, width=80))
    with common.progress_output(None, quiet=False) as update:
        update("discover", "https://news.example/feed.xml")
        update(PLANNED, "3")
        update("new", "https://news.example/a")
    assert "1/3" in screen.getvalue() and "1/?" not in screen.getvalue()
