"""URLs of any length: stored whole, unique and looked up through their SHA-256 hash."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import open_database
from db.engine import downgrade, make_engine, upgrade
from db.models import Article, Page, Source, UrlOutcome
from db.repository import start_run, stored_update_times, utcnow
from db.search import search_articles
from db.urls import url_hash
from ingest.sourcefile import delete_source
from ingest.store import known_article

BEFORE = "0007_fact_subject_kind"
# Longer than the old VARCHAR(2048), and longer than a PostgreSQL B-tree entry can hold.
LONG = "https://news.example/" + "a" * 3000
HUGE = "https://news.example/?q=" + "b" * 70_000


def _article(url: str, text_: str = "Een bericht over auto's.") -> Article:
    now = utcnow()
    return Article(
        canonical_url=url,
        url=url,
        text=text_,
        text_hash=hashlib.sha256(text_.encode()).hexdigest(),
        language="nl",
        language_confidence=1.0,
        extractor="test",
        nlp_version="test",
        created_at=now,
        updated_at=now,
    )


def test_url_hash_is_the_sha256_hex_of_the_utf8_url() -> None:
    url = "https://example.org/één"
    assert url_hash(url) == hashlib.sha256(url.encode("utf-8")).hexdigest()
    assert len(url_hash(HUGE)) == 64


def test_urls_of_any_length_are_stored_and_found_by_hash(db_url: str) -> None:
    engine = open_database(db_url)
    with Session(engine) as session:
        run = start_run(session, "test")
        session.add_all(
            [
                Source(url=HUGE, kind="feed", created_at=utcnow(), consecutive_failures=0),
                _article(LONG),
                _article(HUGE, "Een ander bericht."),
                Page(
                    url=HUGE,
                    final_url=HUGE,
                    status_code=200,
                    headers={},
                    body_hash="0" * 64,
                    raw_html_gz=b"",
                    fetched_at=utcnow(),
                ),
                UrlOutcome(run_id=run.id, url=HUGE, outcome="failed", at=utcnow()),
            ]
        )
        session.commit()
        assert set(stored_update_times(session, [LONG, HUGE, "https://news.example/x"])) == {
            LONG,
            HUGE,
        }
        source = session.scalars(select(Source)).one()
        assert (source.url, source.url_hash) == (HUGE, url_hash(HUGE))  # the default fills it
        page = session.scalars(select(Page)).one()
        assert page.url_hash == url_hash(HUGE)
    found = known_article(engine, HUGE)
    assert (
        found is not None and found.text_hash == hashlib.sha256(b"Een ander bericht.").hexdigest()
    )
    with Session(engine) as session:
        delete_source(session, HUGE)
        assert session.scalars(select(Source)).all() == []
    engine.dispose()


def test_the_hash_keeps_urls_unique(db_url: str) -> None:
    engine = open_database(db_url)
    with Session(engine) as session:
        session.add(_article(HUGE))
        session.commit()
        session.add(_article(HUGE, "Dezelfde URL, een andere tekst."))
        with pytest.raises(IntegrityError):
            session.commit()
    engine.dispose()


def test_0008_hashes_the_urls_stored_before_and_goes_back(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, BEFORE)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sources (url, kind, enabled, consecutive_failures, poll_interval_s,"
                " created_at) VALUES ('https://a.example/feed', 'feed', true, 0, 900,"
                " CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO pages (url, final_url, status_code, headers, body_hash, raw_html_gz,"
                " fetched_at) VALUES ('https://a.example/1', 'https://a.example/1', 200, '{}',"
                " 'h', :raw, CURRENT_TIMESTAMP)"
            ),
            {"raw": b""},
        )
        connection.execute(
            text(
                "INSERT INTO articles (canonical_url, url, title, text, text_hash, language,"
                " language_confidence, extractor, nlp_version, created_at, updated_at) VALUES"
                " ('https://a.example/1', 'https://a.example/1', 'Zoekbaar', 'Eine Meldung.',"
                " 'h', 'de', 1.0, 'x', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        hashes = connection.execute(
            text(
                "SELECT s.url_hash, p.url_hash, a.canonical_url_hash FROM sources s, pages p,"
                " articles a"
            )
        ).one()
        view_url = connection.execute(text("SELECT url FROM v_articles")).scalar_one()
    assert hashes == (
        url_hash("https://a.example/feed"),
        url_hash("https://a.example/1"),
        url_hash("https://a.example/1"),
    )
    assert view_url == "https://a.example/1"
    assert [hit.url for hit in search_articles(engine, "Zoekbaar")] == ["https://a.example/1"]
    downgrade(engine, BEFORE)
    assert "canonical_url_hash" not in {c["name"] for c in inspect(engine).get_columns("articles")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT url FROM v_articles")).scalar_one() == (
            "https://a.example/1"
        )
    upgrade(engine)
    engine.dispose()


def test_downgrading_refuses_urls_the_old_columns_cannot_hold(db_url: str) -> None:
    engine = open_database(db_url)
    with Session(engine) as session:
        session.add(_article(LONG))
        session.commit()
    with pytest.raises(RuntimeError, match="3021 characters"):
        downgrade(engine, BEFORE)
    with Session(engine) as session:
        assert session.scalars(select(Article.canonical_url)).all() == [LONG]
    engine.dispose()
