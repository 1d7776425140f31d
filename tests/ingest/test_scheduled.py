"""Scheduled passes over the sources file: discovery, conditional GET, adaptive polling,
failing sources, status, logs."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from typer.testing import CliRunner

from db import open_database
from db.models import Article, Run, Source, UrlOutcome
from ingest.cli.app import app
from ingest.polling import failure_delay, next_interval
from ingest.settings import Settings
from tests.conftest import LocalServer, Reply
from tests.ingest.site import RSS, XML, rss, serve_articles, sitemap_index, urlset

runner = CliRunner()


def write_sources(path: Path, *entries: tuple[str, str]) -> Path:
    path.write_text(
        "".join(f'[[source]]\nurl = "{url}"\nkind = "{kind}"\n\n' for url, kind in entries),
        "utf-8",
    )
    return path


def run(db_url: str, sources: Path, *extra: str) -> object:
    return runner.invoke(
        app,
        [
            "run",
            "--db",
            db_url,
            "--sources-file",
            str(sources),
            "--allow-private-addresses",
            *extra,
        ],
    )


def make_all_due(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(update(Source).values(next_poll_at=None))
    engine.dispose()


def sources_by_url(db_url: str) -> dict[str, Source]:
    engine = open_database(db_url)
    with engine.connect() as connection:
        rows = {row.url: row for row in connection.execute(select(Source))}
    engine.dispose()
    return rows  # type: ignore[return-value]


def article_urls(db_url: str) -> list[str]:
    engine = open_database(db_url)
    with engine.connect() as connection:
        urls = list(connection.scalars(select(Article.canonical_url).order_by(Article.id)))
    engine.dispose()
    return urls


def test_a_pass_reads_feeds_sitemaps_from_robots_and_url_lists(
    server: LocalServer, db_url: str, tmp_path: Path
) -> None:
    serve_articles(server, ["/f1", "/f2", "/s1", "/s2", "/n1", "/l1"])
    server.route("/feed.xml", Reply(body=rss(server.url("/f1"), server.url("/f2")), headers=RSS))
    server.route(
        "/robots.txt", Reply(body=f"Sitemap: {server.url('/sitemap_index.xml')}\n".encode())
    )
    server.route(
        "/sitemap_index.xml",
        Reply(body=sitemap_index(server.url("/sm1.xml.gz"), server.url("/news.xml")), headers=XML),
    )
    gzipped = gzip.compress(urlset(server.url("/s1"), server.url("/s2")))
    server.route("/sm1.xml.gz", Reply(body=gzipped, headers={"Content-Type": "application/x-gzip"}))
    server.route("/news.xml", Reply(body=urlset(server.url("/n1")), headers=XML))
    server.route(
        "/list.txt",
        Reply(
            body=f"# list\n{server.url('/l1')}\n".encode(), headers={"Content-Type": "text/plain"}
        ),
    )
    sources = write_sources(
        tmp_path / "sources.toml",
        (server.url("/feed.xml"), "feed"),
        (server.url("/"), "sitemap"),
        (server.url("/list.txt"), "urls"),
    )
    result = run(db_url, sources)
    assert result.exit_code == 0, result.output
    assert "new 6" in result.output
    assert sorted(url.rsplit("/", 1)[1] for url in article_urls(db_url)) == [
        "f1", "f2", "l1", "n1", "s1", "s2",
    ]  # fmt: skip
    state = sources_by_url(db_url)[server.url("/feed.xml")]
    assert state.last_status == 200 and state.body_hash and state.next_poll_at is not None
    # Nothing is due again yet: a second pass polls nothing.
    hits = dict(server.hits)
    again = run(db_url, sources)
    assert again.exit_code == 0 and server.hits == hits


def test_conditional_get_and_the_body_hash_decide_what_changed(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    serve_articles(server, ["/a", "/b", "/c"])
    feed = {"body": rss(server.url("/a")), "etag": '"v1"', "honour": True}
    seen: list[str | None] = []

    def respond(handler: object) -> Reply:
        sent = handler.headers.get("If-None-Match")  # type: ignore[attr-defined]
        seen.append(sent)
        if feed["honour"] and sent == feed["etag"]:
            return Reply(304, headers={"ETag": str(feed["etag"])})
        return Reply(body=bytes(feed["body"]), headers={**RSS, "ETag": str(feed["etag"])})

    server.route("/feed.xml", respond)
    sources = write_sources(tmp_path / "s.toml", (server.url("/feed.xml"), "feed"))
    assert "new 1" in run(sqlite_url, sources).output
    first = sources_by_url(sqlite_url)[server.url("/feed.xml")]
    assert first.etag == '"v1"' and first.poll_interval_s == 900

    make_all_due(sqlite_url)
    run(sqlite_url, sources)
    assert seen[-1] == '"v1"'  # the validator was sent back
    after_304 = sources_by_url(sqlite_url)[server.url("/feed.xml")]
    assert after_304.last_status == 304
    assert after_304.poll_interval_s == 1350  # nothing new: poll less often

    # A server that keeps its ETag across a change (and ignores If-None-Match).
    feed.update(body=rss(server.url("/a"), server.url("/b")), honour=False)
    make_all_due(sqlite_url)
    assert "new 1" in run(sqlite_url, sources).output
    assert sources_by_url(sqlite_url)[server.url("/feed.xml")].poll_interval_s == 900

    # Same body, new ETag: nothing changed.
    feed.update(etag='"v2"')
    make_all_due(sqlite_url)
    result = run(sqlite_url, sources)
    assert "new 0" in result.output
    assert sorted(url.rsplit("/", 1)[1] for url in article_urls(sqlite_url)) == ["a", "b"]


def test_a_failing_source_is_reported_backs_off_and_shows_in_status(
    server: LocalServer, db_url: str, tmp_path: Path
) -> None:
    serve_articles(server, ["/ok"])
    server.route("/broken.xml", Reply(body=b"<urlset><url><loc>", headers=XML))
    server.route("/feed.xml", Reply(body=rss(server.url("/ok")), headers=RSS))
    sources = write_sources(
        tmp_path / "s.toml",
        (server.url("/broken.xml"), "sitemap"),
        (server.url("/feed.xml"), "feed"),
    )
    before = datetime.now(UTC)
    result = run(db_url, sources)
    assert result.exit_code == 2 and "FeedError" in result.output
    assert article_urls(db_url) == [server.url("/ok")]
    broken = sources_by_url(db_url)[server.url("/broken.xml")]
    assert broken.consecutive_failures == 1 and "FeedError" in (broken.last_error or "")
    next_poll = broken.next_poll_at
    assert next_poll is not None
    wait = (next_poll.replace(tzinfo=next_poll.tzinfo or UTC) - before).total_seconds()
    assert 1700 <= wait <= 1900  # 900 s doubled after one failure

    status = runner.invoke(app, ["status", "--db", db_url, "--format", "json"])
    assert status.exit_code == 0, status.output
    document = json.loads(status.stdout)  # one document
    assert list(document) == ["runs", "sources"]
    runs_json, sources_json = document["runs"], document["sources"]
    assert runs_json[0]["failed"] == 1 and runs_json[0]["new"] == 1
    assert runs_json[0]["status"] == "finished"
    [unhealthy] = sources_json
    assert unhealthy["url"] == server.url("/broken.xml") and "FeedError" in unhealthy["last_error"]
    as_csv = runner.invoke(app, ["status", "--db", db_url, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [row["section"] for row in rows] == ["runs", "sources"]
    assert rows[0]["failed"] == "1" and rows[0]["last_error"] == ""
    assert rows[1]["url"] == server.url("/broken.xml") and rows[1]["command"] == ""
    lines = runner.invoke(app, ["status", "--db", db_url, "--format", "jsonl"]).stdout
    assert [json.loads(line)["section"] for line in lines.splitlines()] == ["runs", "sources"]


def test_hostile_feed_and_sitemap_fail_alone(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    server.route(
        "/evil-feed.xml",
        Reply(body=laughs + b"<rss><channel><title>&c;</title></channel></rss>", headers=RSS),
    )
    server.route(
        "/evil-sitemap.xml",
        Reply(
            body=b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc>'
            b"</url></urlset>",
            headers=XML,
        ),
    )
    serve_articles(server, ["/ok"])
    server.route("/feed.xml", Reply(body=rss(server.url("/ok")), headers=RSS))
    sources = write_sources(
        tmp_path / "s.toml",
        (server.url("/evil-feed.xml"), "feed"),
        (server.url("/evil-sitemap.xml"), "sitemap"),
        (server.url("/feed.xml"), "feed"),
    )
    result = run(sqlite_url, sources)
    assert result.exit_code == 2
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        failed = {
            row.url.rsplit("/", 1)[1]: row.message
            for row in connection.execute(select(UrlOutcome).where(UrlOutcome.outcome == "failed"))
        }
    engine.dispose()
    assert set(failed) == {"evil-feed.xml", "evil-sitemap.xml"}
    assert all("refused hostile XML" in message for message in failed.values())
    assert article_urls(sqlite_url) == [server.url("/ok")]


def test_sources_commands_edit_the_file_and_the_table(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text("# our sources\n", "utf-8")
    base = ["--db", sqlite_url, "--sources-file", str(path)]
    added = runner.invoke(
        app, ["sources", "add", "https://news.example/rss", "--lang", "nl", *base]
    )
    assert added.exit_code == 0, added.output
    assert runner.invoke(app, ["sources", "add", "https://news.example/", *base]).exit_code == 0
    duplicate = runner.invoke(app, ["sources", "add", "https://news.example/rss", *base])
    assert duplicate.exit_code == 1 and "already in" in duplicate.output
    bad = runner.invoke(app, ["sources", "add", "ftp://x/feed", *base])
    assert bad.exit_code == 1 and "http or https" in bad.output and "Traceback" not in bad.output
    assert (
        runner.invoke(app, ["sources", "disable", "https://news.example/rss", *base]).exit_code == 0
    )
    listed = runner.invoke(app, ["sources", "list", *base, "--format", "json"])
    rows = {row["url"]: row for row in json.loads(listed.stdout)}
    assert rows["https://news.example/rss"]["enabled"] is False
    assert rows["https://news.example/rss"]["lang"] == "nl"
    assert rows["https://news.example/"]["kind"] == "sitemap"
    text = path.read_text("utf-8")
    assert text.startswith("# our sources") and "enabled = false" in text
    assert (
        runner.invoke(app, ["sources", "remove", "https://news.example/rss", *base]).exit_code == 0
    )
    assert "news.example/rss" not in path.read_text("utf-8")
    assert set(sources_by_url(sqlite_url)) == {"https://news.example/"}
    # Edited by hand: an entry deleted from the file is disabled in the table at the next sync.
    path.write_text("", "utf-8")
    runner.invoke(app, ["sources", "list", *base])
    assert sources_by_url(sqlite_url)["https://news.example/"].enabled is False
    missing = runner.invoke(app, ["sources", "disable", "https://other.example/", *base])
    assert missing.exit_code == 1 and "is not in" in missing.output


def test_invalid_sources_file_is_a_one_line_error(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[source]]\nurl = "https://x.example/"\nkind = "podcast"\n', "utf-8")
    result = run(sqlite_url, path)
    assert result.exit_code == 1 and "unknown source kind" in result.output
    assert "Traceback" not in result.output


def test_json_logs_quiet_and_verbose(server: LocalServer, sqlite_url: str, tmp_path: Path) -> None:
    serve_articles(server, ["/a"])
    server.route("/feed.xml", Reply(body=rss(server.url("/a"), server.url("/gone")), headers=RSS))
    sources = write_sources(tmp_path / "s.toml", (server.url("/feed.xml"), "feed"))
    result = run(sqlite_url, sources, "--log-json")
    lines = result.stderr.splitlines()
    events = [json.loads(line) for line in lines]  # every line is a JSON object
    assert {(e["event"], e["url"].rsplit("/", 1)[1]) for e in events if "url" in e} >= {
        ("new", "a"),
        ("failed", "gone"),
    }
    assert all(e["level"] in ("info", "warning") for e in events)
    [summary] = [e for e in events if e["event"] == "summary"]
    assert summary["counts"]["new"] == 1 and summary["counts"]["failed"] == 1
    make_all_due(sqlite_url)
    quiet = run(sqlite_url, sources, "-q")
    assert "unchanged" not in quiet.stderr.split("run ")[0] and "run " in quiet.stderr
    server.route("/feed.xml", Reply(body=rss(server.url("/a"), server.url("/b")), headers=RSS))
    make_all_due(sqlite_url)
    verbose = run(sqlite_url, sources, "-v")
    assert "discover" in verbose.stderr and "fetch" in verbose.stderr


def test_adaptive_intervals() -> None:
    settings = Settings(poll_interval_min=600, poll_interval_max=7200)
    assert next_interval(1200, True, settings) == 600
    assert next_interval(600, True, settings) == 600
    assert next_interval(1200, False, settings) == 1800
    assert next_interval(7000, False, settings) == 7200
    assert [failure_delay(n, settings) for n in (1, 2, 3, 4)] == [1200, 2400, 4800, 7200]
    assert failure_delay(500, settings) == 7200


def test_schedule_loops_passes(server: LocalServer, sqlite_url: str, tmp_path: Path) -> None:
    server.route("/feed.xml", Reply(body=rss(), headers=RSS))
    sources = write_sources(tmp_path / "s.toml", (server.url("/feed.xml"), "feed"))
    result = runner.invoke(
        app,
        [
            "schedule", "--every", "0.2s", "--passes", "2", "--db", sqlite_url,
            "--sources-file", str(sources), "--allow-private-addresses",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        statuses = list(connection.scalars(select(Run.status)))
    engine.dispose()
    assert statuses == ["finished", "finished"]
    assert server.hits["/feed.xml"] == 1  # polled once, then not due again
    bad = runner.invoke(app, ["schedule", "--every", "soon", "--db", sqlite_url])
    assert bad.exit_code == 1 and "not a duration" in bad.output


def test_run_feed_still_works_without_sources(server: LocalServer, sqlite_url: str) -> None:
    serve_articles(server, ["/a"])
    server.route("/feed.xml", Reply(body=rss(server.url("/a")), headers=RSS))
    args = ["run", "--feed", server.url("/feed.xml"), "--db", sqlite_url]
    result = runner.invoke(app, [*args, "--allow-private-addresses"])
    assert result.exit_code == 0 and "new 1" in result.output
    assert sources_by_url(sqlite_url) == {}
