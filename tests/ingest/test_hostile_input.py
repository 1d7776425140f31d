"""One bad item never stops a run: URLs of any length, huge articles, duplicate mentions
and errors in any stage become that URL's outcome, and the run goes on and finishes."""

from __future__ import annotations

import asyncio
import pickle
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from db import open_database
from db.models import Article, Mention, Page, Run, Source, UrlOutcome
from db.repository import start_run
from db.urls import url_hash
from ingest.cli.app import app
from ingest.distributed import Cluster
from ingest.errors import StageError
from ingest.http import Fetcher, FetchResult
from ingest.records import Candidate, OutcomeRow, ProcessedPage
from ingest.settings import load_settings
from ingest.stages import process_page, process_pages
from ingest.store import ArticleStore
from nlp.analysis import Analysis, Analyzer
from nlp.kb import load_kb
from tests.conftest import LocalServer, Reply
from tests.ingest.site import RSS, article_html, article_text, rss, serve_articles
from tests.nlp.test_long_texts import filler_paragraph

runner = CliRunner()

LONG_PATH = "/long/" + "l" * 3_000  # over the old VARCHAR(2048)
HUGE_PATH = "/huge/" + "h" * 70_000  # over httpx's 65,536 characters
FRENCH_PARAGRAPHS = [
    "Stellantis va investir 150 millions d'euros dans l'usine de Sochaux, a annoncé mardi "
    "la direction du groupe.",
    "L'usine de Sochaux produira la nouvelle Peugeot 3008 électrique dès 2026. L'an dernier, "
    "l'usine de Sochaux a assemblé 198 000 véhicules.",
    "Dans l'usine de Sochaux, 5 600 salariés travaillent en trois équipes. Les syndicats de "
    "l'usine de Sochaux saluent l'annonce mais réclament des embauches.",
    "Pour la direction, l'usine de Sochaux reste le cœur industriel de Peugeot en France.",
]
LAST_PARAGRAPH = "Volvo Cars bouwde vorig jaar 206.000 auto's in de fabriek van Gent."


def french_page(canonical: str) -> bytes:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in FRENCH_PARAGRAPHS)
    return (
        f'<html lang="fr"><head><title>L\'usine de Sochaux</title>'
        f'<link rel="canonical" href="{canonical}"></head><body><article>'
        f"<h1>Stellantis mise sur l'usine de Sochaux</h1>{paragraphs}</article></body></html>"
    ).encode()


def big_page(canonical: str) -> bytes:
    """An article of about 1.2 million characters of text, the last paragraph with a fact."""
    paragraphs = [filler_paragraph(number) for number in range(2_500)] + [LAST_PARAGRAPH]
    return article_html(canonical, "</p><p>".join(paragraphs), title="Verslag")


def test_one_bad_item_never_stops_a_run(
    server: LocalServer, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's acceptance test: a feed of 3 good articles, a 3,000-character URL, a
    70,000-character URL, a 1.2 MB article and a French page naming one plant many times.
    `run` finishes, stores the 3 good articles, the French page and the large article, and
    records an outcome for every URL and the source's poll."""
    monkeypatch.setenv("NEWSFACTS_PER_HOST_DELAY", "0")
    good = ["/good/1", "/good/2", "/good/3"]
    serve_articles(server, good)
    server.route("/big", Reply(body=big_page(server.url("/big"))))
    server.route("/fr", Reply(body=french_page(server.url("/fr"))))
    links = [server.url(path) for path in [*good, LONG_PATH, HUGE_PATH, "/big", "/fr"]]
    server.route("/feed.xml", Reply(body=rss(*links), headers=RSS))
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nurl = "{server.url("/feed.xml")}"\nkind = "feed"\n')

    started = time.perf_counter()
    result = runner.invoke(
        app,
        ["run", "--db", db_url, "--sources-file", str(sources), "--allow-private-addresses"],
    )
    seconds = time.perf_counter() - started
    assert result.exit_code == 2, result.output  # two URLs failed, and the run finished

    engine = open_database(db_url)
    with Session(engine) as session:
        [run] = session.scalars(select(Run)).all()
        outcomes = {row.url: row for row in session.scalars(select(UrlOutcome))}
        articles = {row.canonical_url: row for row in session.scalars(select(Article))}
        [source] = session.scalars(select(Source)).all()
        mentions = session.execute(
            select(Mention.article_id, Mention.label, Mention.start, Mention.end, Mention.text)
        ).all()
    engine.dispose()

    assert (run.status, run.n_new, run.n_failed) == ("finished", 5, 2), run.error
    assert set(outcomes) == set(links)  # an outcome for every URL, stored whole
    assert Counter(row.outcome for row in outcomes.values()) == {"new": 5, "failed": 2}
    assert outcomes[server.url(LONG_PATH)].error_type == "HTTPStatusError"  # a 404
    assert outcomes[server.url(HUGE_PATH)].outcome == "failed"
    assert set(articles) == {server.url(path) for path in [*good, "/big", "/fr"]}
    # The source's poll is recorded: next poll and no error.
    assert source.last_polled_at is not None and source.next_poll_at is not None
    assert (source.last_status, source.last_error, source.consecutive_failures) == (200, None, 0)

    # The 1.2 MB article is stored whole and analysed to its end.
    big = articles[server.url("/big")]
    assert len(big.text) > 1_200_000
    end = big.text.index(LAST_PARAGRAPH)
    assert end > 1_000_000
    late = [m for m in mentions if m.article_id == big.id and m.start >= end]
    assert {m.text for m in late} >= {"Volvo Cars"}
    assert all(big.text[m.start : m.end] == m.text for m in late)

    # The French page names its plant at many distinct offsets, one mention each.
    french = articles[server.url("/fr")]
    plants = [m for m in mentions if m.article_id == french.id and m.label == "PLANT"]
    assert len(plants) >= 5
    spans = [(m.start, m.end) for m in mentions if m.article_id == french.id]
    assert len(spans) == len(set(spans))
    assert seconds < 240, f"the run took {seconds:.0f} s"


def test_an_article_at_a_url_of_3000_characters_is_stored(server: LocalServer, db_url: str) -> None:
    body = article_html(server.url(LONG_PATH), article_text(7))
    server.route(LONG_PATH, Reply(body=body))
    result = runner.invoke(
        app, ["fetch", server.url(LONG_PATH), "--db", db_url, "--allow-private-addresses"]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(
        app, ["fetch", server.url(LONG_PATH), "--db", db_url, "--allow-private-addresses"]
    )
    assert again.exit_code == 0, again.output
    engine = open_database(db_url)
    with Session(engine) as session:
        [article] = session.scalars(select(Article)).all()
        [page] = session.scalars(select(Page)).all()
        outcomes = session.scalars(select(UrlOutcome.outcome).order_by(UrlOutcome.id)).all()
    engine.dispose()
    assert article.canonical_url == page.url == server.url(LONG_PATH)
    assert outcomes == ["new", "unchanged"]  # found again through the URL's hash


# -- the store --------------------------------------------------------------------------


def _fetched(url: str, body: bytes) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        content=body,
        encoding="utf-8",
        text=body.decode(),
        content_type="text/html",
    )


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _processed(analyzer: Analyzer, url: str, body: bytes) -> ProcessedPage:
    return process_page(url, _fetched(url, body), analyzer)


def _store_one(db_url: str, items: Sequence[ProcessedPage | OutcomeRow]) -> list[OutcomeRow]:
    engine = open_database(db_url)
    with Session(engine, expire_on_commit=False) as session:
        run = start_run(session, "test")
    rows = ArticleStore(load_kb()).write_batch(engine, run.id, list(items))
    engine.dispose()
    return rows


def test_the_same_plant_at_the_same_offsets_is_stored_once(db_url: str, analyzer: Analyzer) -> None:
    url = "https://fr.example/sochaux"
    page = _processed(analyzer, url, french_page(url))
    assert page.analysis is not None
    plants = [m for m in page.analysis.entities if m.label == "PLANT"]
    # Each plant mention twice, as a text that names one plant many times produced before.
    page.analysis = replace(page.analysis, entities=[*page.analysis.entities, *plants])
    [row] = _store_one(db_url, [page])
    assert row.outcome == "new", row.message
    engine = open_database(db_url)
    with Session(engine) as session:
        stored = session.scalars(select(Mention).where(Mention.label == "PLANT")).all()
    engine.dispose()
    assert sorted((m.start, m.end) for m in stored) == sorted((m.start, m.end) for m in plants)


def test_an_item_that_cannot_be_stored_fails_alone(db_url: str, analyzer: Analyzer) -> None:
    """Its writes are rolled back; the items before and after it in the batch are stored."""
    pages = [
        _processed(
            analyzer, f"https://nl.example/{n}", article_html(f"https://nl.example/{n}", text)
        )
        for n, text in enumerate(
            [
                article_text(1),
                f"Kia verkocht in 2025 in Nederland 28.232 auto's. {filler_paragraph(0)}",
                article_text(3),
            ]
        )
    ]
    bad = pages[1].analysis
    assert bad is not None and bad.facts
    # A fact whose figure the analysis does not list cannot be stored.
    moved = [
        replace(fact.figure, start=fact.figure.start + 1, end=fact.figure.end + 1)
        for fact in bad.facts
    ]
    pages[1].analysis = replace(
        bad,
        facts=[replace(fact, figure=figure) for fact, figure in zip(bad.facts, moved, strict=True)],
    )
    rows = _store_one(db_url, pages)
    assert [row.outcome for row in rows] == ["new", "failed", "new"]
    assert rows[1].error_type == "KeyError" and rows[1].message.startswith("store: ")
    engine = open_database(db_url)
    with Session(engine) as session:
        stored = session.scalars(select(Article.canonical_url)).all()
        page_urls = session.scalars(select(Page.url)).all()
        failed = session.scalars(select(UrlOutcome).where(UrlOutcome.outcome == "failed")).one()
    engine.dispose()
    assert sorted(stored) == ["https://nl.example/0", "https://nl.example/2"]
    assert "https://nl.example/1" not in page_urls  # rolled back with its article
    assert failed.url == "https://nl.example/1"


# -- the CPU stages ---------------------------------------------------------------------


class FailingAnalyzer(Analyzer):
    """An analyzer that fails on texts holding a marker word, as a bug would."""

    MARKER = "kapotwoord"

    def analyze_many(self, texts: Sequence[str], **options: Any) -> list[Analysis]:
        if any(self.MARKER in text for text in texts):
            raise ZeroDivisionError("a bug met on this text")
        return super().analyze_many(texts, **options)


def test_a_page_whose_analysis_fails_fails_alone() -> None:
    analyzer = FailingAnalyzer()
    texts = [article_text(1), f"{article_text(2)} {FailingAnalyzer.MARKER}", article_text(3)]
    pages = [
        (url, _fetched(url, article_html(url, text)))
        for url, text in zip(
            ["https://a.example/1", "https://a.example/2", "https://a.example/3"],
            texts,
            strict=True,
        )
    ]
    outcomes = process_pages(pages, analyzer)
    assert isinstance(outcomes[0], ProcessedPage) and outcomes[0].analysis is not None
    assert isinstance(outcomes[2], ProcessedPage) and outcomes[2].analysis is not None
    error = outcomes[1]
    assert isinstance(error, StageError)
    row = OutcomeRow.failure("https://a.example/2", error)
    assert (row.error_type, row.message) == ("ZeroDivisionError", "nlp: a bug met on this text")
    # It crosses process boundaries (the pool sends outcomes back pickled).
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.error_type, str(copy)) == (error.error_type, str(error))


def test_a_long_error_message_is_cut() -> None:
    row = OutcomeRow.failure("https://a.example/", ValueError("x" * 50_000))
    assert len(row.message or "") == 2_000 and (row.message or "").endswith("…")


# -- reprocess --------------------------------------------------------------------------


def test_reprocess_goes_on_past_an_article_that_fails(server: LocalServer, db_url: str) -> None:
    serve_articles(server, ["/a", "/b", "/c"])
    urls = [server.url(path) for path in ["/a", "/b", "/c"]]
    result = runner.invoke(app, ["fetch", *urls, "--db", db_url, "--allow-private-addresses"])
    assert result.exit_code == 0, result.output
    engine = open_database(db_url)
    with engine.begin() as connection:  # one stored page cannot be read any more
        connection.execute(
            update(Page).where(Page.url == server.url("/b")).values(raw_html_gz=b"not gzip")
        )
    engine.dispose()
    result = runner.invoke(app, ["reprocess", "--db", db_url])
    assert result.exit_code == 2, result.output
    engine = open_database(db_url)
    with Session(engine) as session:
        run = session.scalars(select(Run).where(Run.command == "reprocess")).one()
        rows = session.scalars(select(UrlOutcome).where(UrlOutcome.run_id == run.id)).all()
    engine.dispose()
    assert run.status == "finished"
    outcomes = {row.url: (row.outcome, row.error_type) for row in rows}
    assert outcomes == {
        urls[0]: ("unchanged", None),
        urls[1]: ("failed", "BadGzipFile"),
        urls[2]: ("unchanged", None),
    }


# -- the workers ------------------------------------------------------------------------


@pytest.mark.postgres
def test_workers_queue_and_record_urls_of_any_length(
    server: LocalServer, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFACTS_PER_HOST_DELAY", "0")
    server.route(LONG_PATH, Reply(body=article_html(server.url(LONG_PATH), article_text(5))))
    urls = [server.url(LONG_PATH), server.url(HUGE_PATH)]
    settings = load_settings(database_url=postgres_url, allow_private_addresses=True)
    engine = open_database(postgres_url)
    cluster = Cluster(settings, engine)
    cluster.ensure_schema()
    with Session(engine, expire_on_commit=False) as session:
        run = start_run(session, "enqueue")
    queued = cluster.enqueue_articles(run.id, [Candidate(url) for url in urls])
    again = cluster.enqueue_articles(run.id, [Candidate(url) for url in urls])
    with engine.connect() as connection:
        locks = connection.execute(text("SELECT queueing_lock FROM procrastinate_jobs")).scalars()
        assert sorted(locks) == sorted(f"sha256:{url_hash(url)}" for url in urls)

    async def work() -> list[str]:
        async with Fetcher(settings) as fetcher:
            cluster.fetcher, cluster.analyzer = fetcher, Analyzer()
            return [await cluster._ingest_article(url, run.id) for url in urls]

    done = asyncio.run(work())
    with Session(engine) as session:
        [article] = session.scalars(select(Article)).all()
        failed = session.scalars(select(UrlOutcome).where(UrlOutcome.outcome == "failed")).one()
    engine.dispose()
    assert [row.outcome for row in queued] == ["queued", "queued"]
    assert [row.outcome for row in again] == ["skipped", "skipped"]  # one job per URL
    assert done == ["new", "failed"]  # the job of a URL httpx refuses ends, with its outcome
    assert article.canonical_url == urls[0] and failed.url == urls[1]
