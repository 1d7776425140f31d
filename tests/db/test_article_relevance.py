"""Article relevance in the store: migration 0006, v_articles and the readers' filter."""

from __future__ import annotations

from sample_store import SampleStore, seed
from sqlalchemy import Engine, inspect, select, text, update

from db import make_engine, open_database, upgrade
from db.engine import downgrade
from db.models import Article
from db.readers import ClaimFilter, FactFilter, read_claims, read_entities, read_facts
from db.search import search_articles
from db.views import v_articles

# The sample articles as scored: German below the threshold, English stored before scores.
SCORES = {"nl": 0.9, "fr": 0.6, "de": 0.3, "en": None}


def _scored(url: str) -> tuple[SampleStore, Engine]:
    store = seed(url)
    engine = open_database(url)
    with engine.begin() as connection:
        for lang, score in SCORES.items():
            connection.execute(
                update(Article).where(Article.id == store.articles[lang]).values(relevance=score)
            )
    return store, engine


def _languages(columns: list[str], rows: list[tuple[object, ...]]) -> list[str]:
    index = columns.index("language")
    return sorted({str(row[index]) for row in rows})


def test_v_articles_shows_the_relevance(db_url: str) -> None:
    store, engine = _scored(db_url)
    with engine.connect() as connection:
        rows = connection.execute(select(v_articles.c.article_id, v_articles.c.relevance)).all()
    engine.dispose()
    assert {row.article_id: row.relevance for row in rows} == {
        store.articles[lang]: score for lang, score in SCORES.items()
    }


def test_facts_keep_the_articles_at_or_above_the_floor(db_url: str) -> None:
    _store, engine = _scored(db_url)
    everything = read_facts(engine, FactFilter())
    relevant = read_facts(engine, FactFilter(min_relevance=0.6))
    scored = read_facts(engine, FactFilter(min_relevance=0.0))
    engine.dispose()
    assert _languages(*everything) == ["de", "en", "fr", "nl"]
    assert _languages(*relevant) == ["fr", "nl"]  # 0.6 itself is kept
    assert _languages(*scored) == ["de", "fr", "nl"]  # unscored articles never pass a floor
    values = sorted(row[everything[0].index("value")] for row in relevant[1])
    assert values == [500, 1000, 126400, 126400]


def test_claims_entities_and_search_follow_the_floor(db_url: str) -> None:
    _store, engine = _scored(db_url)
    claims = read_claims(engine, ClaimFilter(min_relevance=0.5))
    all_claims = read_claims(engine, ClaimFilter())
    subject, value = claims[0].index("subject"), claims[0].index("value_min")
    # The export claim is also told by the German article; it stays whole.
    assert sorted((row[subject], row[value]) for row in claims[1]) == [
        ("Acme", 126400),
        ("Zeta", 500),
    ]
    assert len(all_claims[1]) == 5
    columns, rows = read_entities(engine, min_relevance=0.5)
    assert [row[columns.index("name")] for row in rows] == ["Acme"]
    assert len(read_entities(engine)[1]) == 6
    hits = search_articles(engine, "Acme", min_relevance=0.5)
    assert sorted(hit.language for hit in hits) == ["fr", "nl"]
    assert len(search_articles(engine, "Acme")) == 4
    engine.dispose()


def test_0006_adds_an_empty_column_to_stored_articles_and_goes_back(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0005_stage_seconds")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO articles (canonical_url, url, text, text_hash, language, "
                "language_confidence, extractor, nlp_version, created_at, updated_at) VALUES "
                "('https://a.example/1', 'https://a.example/1', 'Eine Meldung.', 'h', 'de', 1.0, "
                "'x', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    upgrade(engine)
    assert "relevance" in {c["name"] for c in inspect(engine).get_columns("articles")}
    with engine.connect() as connection:
        assert connection.execute(select(v_articles.c.relevance)).scalars().all() == [None]
    downgrade(engine, "0005_stage_seconds")
    assert "relevance" not in {c["name"] for c in inspect(engine).get_columns("articles")}
    with engine.connect() as connection:
        names = list(connection.execute(text("SELECT * FROM v_articles")).keys())
        assert "relevance" not in names and "language_confidence" in names
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(select(v_articles.c.relevance)).scalars().all() == [None]
    engine.dispose()
