"""The pipeline over a real local server: outcomes per URL, nothing dropped silently."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from db import open_database
from db.models import Article, Run, UrlOutcome
from ingest.cli.app import app
from tests.conftest import LocalServer, Reply

runner = CliRunner()

ARTICLE = """<html lang="nl"><head><title>Omoda groeit</title>
<meta property="article:published_time" content="2026-03-02T08:00:00+01:00">
<link rel="canonical" href="{canonical}"></head>
<body><nav>Home | Nieuws</nav><article><h1>Omoda groeit</h1>
<p>De verkoop van Omoda in Nederland steeg vorig jaar naar 3.940 auto's, meldt de importeur.
Het merk van Chery wil dit jaar nog harder groeien met nieuwe modellen.</p>
<p>Ook Jaecoo deed het goed met 6.870 verkochte auto's in 2025.</p></article>
<footer>Alle rechten voorbehouden</footer></body></html>"""


def feed(*links: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    rss = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    return f'<?xml version="1.0"?>{rss}'.encode()


def test_run_stores_articles_and_records_every_outcome(server: LocalServer, db_url: str) -> None:
    server.route(
        "/feed.xml",
        Reply(
            body=feed(
                server.url("/ok?utm_source=rss"), server.url("/gone"), server.url("/doc.pdf")
            ),
            headers={"Content-Type": "application/rss+xml"},
        ),
    )
    server.route("/ok", Reply(body=ARTICLE.format(canonical=server.url("/ok")).encode()))
    server.route("/doc.pdf", Reply(body=b"%PDF", headers={"Content-Type": "application/pdf"}))
    result = runner.invoke(
        app, ["run", "--feed", server.url("/feed.xml"), "--db", db_url, "--allow-private-addresses"]
    )
    assert result.exit_code == 2, result.output  # some URLs failed
    engine = open_database(db_url)
    with engine.connect() as connection:
        outcomes = {
            row.url.rsplit("/", 1)[1]: (row.outcome, row.error_type)
            for row in connection.execute(select(UrlOutcome))
        }
        [article] = connection.execute(select(Article)).all()
        [run] = connection.execute(select(Run)).all()
    engine.dispose()
    assert outcomes == {
        "ok": ("new", None),
        "gone": ("failed", "HTTPStatusError"),
        "doc.pdf": ("failed", "UnsupportedContent"),
    }
    assert article.canonical_url == server.url("/ok")  # tracking parameter stripped
    assert article.language == "nl" and article.published_at is not None
    assert (run.status, run.n_new, run.n_failed) == ("finished", 1, 2)


def test_broken_feed_is_reported_and_the_run_goes_on(server: LocalServer, sqlite_url: str) -> None:
    server.route(
        "/broken.xml",
        Reply(body=b"<rss><channel><item><link>", headers={"Content-Type": "application/rss+xml"}),
    )
    server.route(
        "/good.xml",
        Reply(body=feed(server.url("/ok")), headers={"Content-Type": "application/rss+xml"}),
    )
    server.route("/ok", Reply(body=ARTICLE.format(canonical=server.url("/ok")).encode()))
    result = runner.invoke(
        app,
        [
            "run",
            "--feed",
            server.url("/broken.xml"),
            "--feed",
            server.url("/good.xml"),
            "--db",
            sqlite_url,
            "--allow-private-addresses",
        ],
    )
    assert "FeedError" in result.output
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        assert connection.scalar(select(Article.canonical_url)) == server.url("/ok")
    engine.dispose()


def test_fetch_ingests_urls_and_a_second_fetch_changes_nothing(
    server: LocalServer, sqlite_url: str
) -> None:
    server.route("/ok", Reply(body=ARTICLE.format(canonical=server.url("/ok")).encode()))
    args = ["fetch", server.url("/ok"), "--db", sqlite_url, "--allow-private-addresses"]
    assert "new 1" in runner.invoke(app, args).output
    assert "unchanged 1" in runner.invoke(app, args).output


def test_private_addresses_need_the_flag(server: LocalServer, sqlite_url: str) -> None:
    server.route("/ok", Reply(body=b"<p>x</p>"))
    result = runner.invoke(app, ["fetch", server.url("/ok"), "--db", sqlite_url])
    assert result.exit_code == 2
    assert "BlockedURL" in result.output and server.hits.get("/ok") is None
