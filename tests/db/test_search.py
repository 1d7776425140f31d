"""Full-text search: FTS5 on SQLite, a per-language tsvector index on PostgreSQL."""

from __future__ import annotations

import pytest
from sample_store import seed
from sqlalchemy import delete, text, update

from db import open_database
from db.models import Article
from db.search import (
    _PG_SEARCH,
    MARK_END,
    MARK_START,
    SearchSyntaxError,
    fts5_query,
    search_articles,
    split_marks,
)


def _languages(url: str, query: str, lang: str | None = None) -> list[str]:
    engine = open_database(url)
    hits = search_articles(engine, query, lang)
    engine.dispose()
    return sorted(hit.language for hit in hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Acme", ["de", "en", "fr", "nl"]),
        ("Zwickau", ["de"]),
        ("zwickau", ["de"]),
        ("Utrecht OR Zwickau", ["de", "nl"]),
        ("Acme -Zwickau -Utrecht", ["en", "fr"]),
        ('"record pour le constructeur"', ["fr"]),
        ('"constructeur pour le record"', []),
        ("Acme Monday", ["en"]),
    ],
)
def test_search_reads_a_query_alike_on_both_stores(
    db_url: str, query: str, expected: list[str]
) -> None:
    seed(db_url)
    assert _languages(db_url, query) == expected


def test_search_filters_by_language_and_marks_the_words(db_url: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    [hit] = search_articles(engine, "Acme", lang="de")
    engine.dispose()
    assert hit.language == "de" and hit.snippet.startswith("Acme exportierte")
    assert [hit.snippet[start:end] for start, end in hit.highlights] == ["Acme"]
    assert hit.url == "https://news.example/de/acme-exports"


def test_marks_are_split_from_the_snippet() -> None:
    marked = f"a {MARK_START}[export]{MARK_END} b {MARK_START}x{MARK_END}"
    assert split_marks(marked) == ("a [export] b x", ((2, 10), (13, 14)))
    assert split_marks("no [marks] here") == ("no [marks] here", ())


def test_postgresql_stems_words_in_the_article_language(postgres_url: str) -> None:
    seed(postgres_url)
    # exporteerde, exporté, exportierte and exported all stem to "export".
    assert _languages(postgres_url, "export") == ["de", "en", "fr", "nl"]
    assert _languages(postgres_url, "auto") == ["nl"]  # auto's


def test_sqlite_matches_whole_words_ignoring_case_and_accents(sqlite_url: str) -> None:
    seed(sqlite_url)
    assert _languages(sqlite_url, "EXPORTE") == ["fr"]
    assert _languages(sqlite_url, "export") == []


def test_search_follows_updates_and_deletes(db_url: str) -> None:
    store = seed(db_url)
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(
            update(Article)
            .where(Article.id == store.articles["en"])
            .values(text="Acme opened a plant in Valencia.")
        )
        connection.execute(delete(Article).where(Article.id == store.articles["de"]))
    engine.dispose()
    assert _languages(db_url, "Valencia") == ["en"]
    assert _languages(db_url, "Monday") == []
    assert _languages(db_url, "Zwickau") == []


def test_postgresql_search_uses_the_index(postgres_url: str) -> None:
    seed(postgres_url)
    engine = open_database(postgres_url)
    with engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        plan = connection.execute(
            text(f"EXPLAIN {_PG_SEARCH}"),
            {"query": "Acme", "lang": None, "limit": None, "min_relevance": None},
        ).scalars()
        assert "ix_articles_search" in "\n".join(plan)
    engine.dispose()


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("Chery export", '("Chery" "export")'),
        ('"Volvo Car" Gent', '("Volvo Car" "Gent")'),
        ("Gent OR Vorst", '("Gent") OR ("Vorst")'),
        ("Chery -Jaecoo", '(("Chery")) NOT "Jaecoo"'),
        ('say "hi', '("say" "hi")'),
        ("a'b", '("a\'b")'),
    ],
)
def test_fts5_query_translation(query: str, match: str) -> None:
    assert fts5_query(query) == match


@pytest.mark.parametrize("query", ["", "   ", "-", "OR", "-Chery", '""'])
def test_nothing_to_search_for(query: str) -> None:
    with pytest.raises(SearchSyntaxError):
        fts5_query(query)
