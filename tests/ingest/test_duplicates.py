"""Near duplicates are linked to the first copy; changed articles keep their old text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from db import open_database
from db.models import Article, ArticleRevision, Mention, Run, SimhashBand
from ingest.cli.app import app
from ingest.fingerprint import NEAR_DUPLICATE_BITS, bands, distance, simhash, to_signed, to_unsigned
from tests.conftest import LocalServer, Reply
from tests.ingest.site import XML, article_html, article_text, urlset

runner = CliRunner()
STORY = (
    "Volvo Car Gent bouwde vorig jaar 182.000 wagens, meldt de fabriek. De productie van de "
    "elektrische EX30 begint in het voorjaar en vraagt 400 extra werknemers in Gent. "
) * 3


def fetch(db_url: str, *urls: str) -> str:
    result = runner.invoke(app, ["fetch", *urls, "--db", db_url, "--allow-private-addresses"])
    return result.output


def test_simhash_is_close_for_copies_and_far_for_other_texts() -> None:
    text = article_text(1, 300)
    assert distance(simhash(text), simhash(text)) == 0
    assert distance(simhash(text), simhash(text + " Bron: Belga.")) <= NEAR_DUPLICATE_BITS
    assert distance(simhash(text), simhash(article_text(2, 300))) > 16
    value = simhash(text)
    assert to_unsigned(to_signed(value)) == value and -(2**63) <= to_signed(value) < 2**63
    assert sum(band << (16 * index) for index, band in enumerate(bands(value))) == value


def test_a_syndicated_copy_is_linked_to_the_first_article(server: LocalServer, db_url: str) -> None:
    server.route("/origineel", Reply(body=article_html(server.url("/origineel"), STORY)))
    copy = STORY + " Bron: Belga."
    server.route("/overgenomen", Reply(body=article_html(server.url("/overgenomen"), copy)))
    assert "new 1" in fetch(db_url, server.url("/origineel"))
    assert "duplicate 1" in fetch(db_url, server.url("/overgenomen"))
    engine = open_database(db_url)
    with engine.connect() as connection:
        rows = {
            row.canonical_url.rsplit("/", 1)[1]: row
            for row in connection.execute(
                select(
                    Article.id, Article.canonical_url, Article.duplicate_of_id, Article.relevance
                )
            )
        }
        copy_mentions = connection.scalar(
            select(func.count()).where(Mention.article_id == rows["overgenomen"].id)
        )
        first_mentions = connection.scalar(
            select(func.count()).where(Mention.article_id == rows["origineel"].id)
        )
        n_duplicate = connection.scalar(select(Run.n_duplicate).order_by(Run.id.desc()))
        banded = connection.scalar(select(func.count()).select_from(SimhashBand))
    engine.dispose()
    assert rows["overgenomen"].duplicate_of_id == rows["origineel"].id
    assert rows["overgenomen"].relevance == rows["origineel"].relevance is not None
    assert rows["origineel"].duplicate_of_id is None
    assert first_mentions > 0 and copy_mentions == 0  # not counted twice
    assert n_duplicate == 1 and banded == 4  # only originals are candidates
    assert "unchanged 1" in fetch(db_url, server.url("/overgenomen"))
    reprocessed = runner.invoke(app, ["reprocess", "--db", db_url])
    assert reprocessed.exit_code == 0, reprocessed.output
    engine = open_database(db_url)
    with engine.connect() as connection:
        still = connection.scalar(
            select(func.count()).where(Mention.article_id == rows["overgenomen"].id)
        )
    engine.dispose()
    assert still == 0  # reprocessing leaves near duplicates without results


def test_a_changed_article_keeps_its_old_version(server: LocalServer, db_url: str) -> None:
    page = {"text": STORY}
    server.route(
        "/bericht", lambda _h: Reply(body=article_html(server.url("/bericht"), page["text"]))
    )
    assert "new 1" in fetch(db_url, server.url("/bericht"))
    page["text"] = STORY.replace("182.000", "184.500")  # a corrected figure
    assert "updated 1" in fetch(db_url, server.url("/bericht"))
    assert "unchanged 1" in fetch(db_url, server.url("/bericht"))
    engine = open_database(db_url)
    with engine.connect() as connection:
        article = connection.execute(select(Article)).one()
        [revision] = connection.execute(select(ArticleRevision)).all()
    engine.dispose()
    assert "184.500" in article.text and "182.000" not in article.text
    assert revision.article_id == article.id and "182.000" in revision.text
    assert revision.text_hash != article.text_hash and revision.page_id is not None


def test_a_sitemap_lastmod_newer_than_the_article_refetches_it(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    page = {"text": STORY}
    server.route("/a", lambda _h: Reply(body=article_html(server.url("/a"), page["text"])))
    server.route("/old", Reply(body=article_html(server.url("/old"), article_text(5))))
    sitemap = {"body": urlset(server.url("/a"), lastmod=yesterday)}
    server.route("/sitemap.xml", lambda _h: Reply(body=sitemap["body"], headers=XML))
    server.route(
        "/old-sitemap.xml",
        Reply(body=urlset(server.url("/old"), lastmod="2001-01-01"), headers=XML),
    )
    sources = tmp_path / "s.toml"
    sources.write_text(
        f'[[source]]\nurl = "{server.url("/sitemap.xml")}"\nkind = "sitemap"\n'
        f'[[source]]\nurl = "{server.url("/old-sitemap.xml")}"\nkind = "sitemap"\n',
        "utf-8",
    )
    base = ["run", "--db", sqlite_url, "--sources-file", str(sources), "--allow-private-addresses"]
    assert "new 1" in runner.invoke(app, base).output
    assert server.hits.get("/old") is None  # older than sitemap_max_age_days
    page["text"] = STORY.replace("400", "450")
    sitemap["body"] = urlset(server.url("/a"), lastmod="2099-01-01T00:00:00+00:00")
    engine = open_database(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE sources SET next_poll_at = NULL")
    result = runner.invoke(app, base)
    assert "updated 1" in result.output, result.output
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ArticleRevision)) == 1
    engine.dispose()
