"""Full-text search over article titles and text: SQLite FTS5 or PostgreSQL tsvector.

The search structures are created by migration 0003: on SQLite the FTS5 table `articles_fts`
(kept in sync by triggers on `articles`), on PostgreSQL the GIN index `ix_articles_search`
over `to_tsvector(newsfacts_search_config(language), title || ' ' || text)`, which picks the
dutch, french, german, english or simple configuration from the article's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    Text,
    bindparam,
    column,
    text,
)
from sqlalchemy.exc import DBAPIError

from db.errors import DatabaseError

SEARCH_TABLE = "articles_fts"
SEARCH_INDEX = "ix_articles_search"
SEARCH_CONFIGS = ("dutch", "french", "german", "english", "simple")
_FTS5_SHADOW = ("_data", "_idx", "_docsize", "_config", "_content")


class SearchSyntaxError(DatabaseError):
    """A search query has nothing to look for or cannot be parsed."""


def is_fts5_storage(name: str) -> bool:
    """Whether a table is one FTS5 keeps for `articles_fts` (its `_data`, `_idx`, ...)."""
    return name.startswith(SEARCH_TABLE) and name[len(SEARCH_TABLE) :] in _FTS5_SHADOW


def is_search_object(name: str | None) -> bool:
    """Whether a table or index belongs to full-text search (not part of the models)."""
    if name is None:
        return False
    return name in (SEARCH_TABLE, SEARCH_INDEX) or is_fts5_storage(name)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic `include_name` hook: leave the search structures out of autogenerate."""
    return not (type_ in ("table", "index") and is_search_object(name))


# The triggers migration 0003 creates. SQLite drops a table's triggers with it, and Alembic's
# batch mode rebuilds a table as a copy, so they are restored after every migration run.
SQLITE_TRIGGERS = {
    "articles_fts_insert": """AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "articles_fts_delete": """AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    "articles_fts_update": """AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
}


def restore_search_triggers(connection: Connection) -> None:
    """Re-create missing FTS triggers on SQLite (when the search table exists)."""
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_TABLE,)
    ).first()
    if exists is None:
        return
    for name, body in SQLITE_TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def set_batch_pragmas(connection: Connection, *, batch: bool) -> None:
    """Prepare an SQLite connection for Alembic's batch mode, or back to normal.

    Batch mode rebuilds a table by copying it, dropping the original and renaming the copy.
    With foreign keys on, dropping the original would cascade-delete the rows that refer to
    it; without the legacy rename, views naming the table would make the rename fail.
    """
    connection.exec_driver_sql(f"PRAGMA foreign_keys = {'OFF' if batch else 'ON'}")
    connection.exec_driver_sql(f"PRAGMA legacy_alter_table = {'ON' if batch else 'OFF'}")


_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


def fts5_query(query: str) -> str:
    """Translate web-search syntax (words, "phrases", OR, -word) into an FTS5 query.

    Words and phrases are all required unless joined by OR; a leading minus excludes one.
    This mirrors PostgreSQL's websearch_to_tsquery, so both stores read a query alike.
    """
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    for token in _TOKEN.findall(query):
        if token == "OR":
            if groups[-1]:
                groups.append([])
            continue
        negated = token.startswith("-") and len(token) > 1
        words = token[1:] if negated else token
        words = words.strip('"').strip()
        if not re.search(r"\w", words):
            continue
        quoted = '"' + words.replace('"', '""') + '"'
        (excluded if negated else groups[-1]).append(quoted)
    alternatives = [" ".join(group) for group in groups if group]
    if not alternatives:
        raise SearchSyntaxError(f"nothing to search for in {query!r}")
    match = " OR ".join(f"({alternative})" for alternative in alternatives)
    for term in excluded:
        match = f"({match}) NOT {term}"
    return match


# The database marks the matching words of a snippet with two characters of Unicode's
# private use area, which news text does not use (should an article hold one, it is dropped
# from the snippet); the hit carries the plain snippet and the spans of the matching words,
# so that no mark can be confused with the text, such as "[export]" in an article.
MARK_START = "\ue000"
MARK_END = "\ue001"


@dataclass(frozen=True)
class SearchHit:
    """One matching article: `snippet` is plain text; `highlights` are the (start, end)
    offsets in it of the matching words."""

    article_id: int
    title: str | None
    language: str
    published_at: datetime | None
    url: str
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()


def split_marks(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet with MARK_START/MARK_END around matches as plain text and match spans."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for part in re.split(f"([{MARK_START}{MARK_END}])", marked):
        if part == MARK_START:
            start = length
        elif part == MARK_END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            plain.append(part)
            length += len(part)
    return "".join(plain), tuple(spans)


SEARCH_COLUMNS = ["article_id", "title", "language", "published_at", "url", "snippet"]

_SQLITE_SEARCH = f"""
SELECT a.id AS article_id, a.title, a.language, a.published_at, a.canonical_url AS url,
       snippet({SEARCH_TABLE}, 1, '{MARK_START}', '{MARK_END}', '…', 14) AS snippet
FROM {SEARCH_TABLE} JOIN articles a ON a.id = {SEARCH_TABLE}.rowid
WHERE {SEARCH_TABLE} MATCH :match AND (:lang IS NULL OR a.language = :lang)
  AND (:min_relevance IS NULL OR a.relevance >= :min_relevance)
ORDER BY bm25({SEARCH_TABLE}), a.published_at DESC, a.id
LIMIT :limit
"""

# The document expression must stay identical to the one of ix_articles_search, so that
# PostgreSQL uses the index. Each article is matched with the query parsed in its own
# language's configuration: one indexed condition per configuration.
_PG_CONFIG = "newsfacts_search_config(a.language)"
_PG_DOCUMENT = f"to_tsvector({_PG_CONFIG}, COALESCE(a.title, '') || ' ' || a.text)"
_PG_MATCH = " OR ".join(
    f"({_PG_CONFIG} = '{config}'::regconfig"
    f" AND {_PG_DOCUMENT} @@ websearch_to_tsquery('{config}', :query))"
    for config in SEARCH_CONFIGS
)
_PG_HEADLINE = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=10, MaxFragments=1"
)
_PG_SEARCH = f"""
SELECT a.id AS article_id, a.title, a.language, a.published_at, a.canonical_url AS url,
       ts_headline({_PG_CONFIG}, a.text, websearch_to_tsquery({_PG_CONFIG}, :query),
                   '{_PG_HEADLINE}') AS snippet
FROM articles a
WHERE ({_PG_MATCH}) AND (CAST(:lang AS varchar) IS NULL OR a.language = :lang)
  AND (CAST(:min_relevance AS double precision) IS NULL OR a.relevance >= :min_relevance)
ORDER BY ts_rank({_PG_DOCUMENT}, websearch_to_tsquery({_PG_CONFIG}, :query)) DESC,
         a.published_at DESC, a.id
LIMIT :limit
"""

_RESULT_TYPES = (
    column("article_id", Integer),
    column("title", Text),
    column("language", String),
    column("published_at", DateTime(timezone=True)),
    column("url", String),
    column("snippet", Text),
)


def search_articles(
    engine: Engine,
    query: str,
    lang: str | None = None,
    limit: int | None = None,
    min_relevance: float | None = None,
) -> list[SearchHit]:
    """Articles matching `query`, best first, with a snippet around the matching words;
    with `min_relevance`, only articles at least that relevant to the vehicle industry."""
    match = fts5_query(query)  # also refuses a query with nothing to look for, on both
    params: dict[str, Any]
    if engine.dialect.name == "sqlite":
        sql, params = _SQLITE_SEARCH, {"match": match}
    else:
        sql, params = _PG_SEARCH, {"query": query}
    statement = (
        text(sql)
        .bindparams(bindparam("lang", type_=String), bindparam("min_relevance", type_=Float))
        .columns(*_RESULT_TYPES)
    )
    no_limit = -1 if engine.dialect.name == "sqlite" else None
    params |= {
        "lang": lang,
        "limit": no_limit if limit is None else limit,
        "min_relevance": min_relevance,
    }
    try:
        with engine.connect() as connection:
            rows = connection.execute(statement, params).all()
    except DBAPIError as exc:
        raise DatabaseError(f"search failed: {str(exc.orig).strip()}") from exc
    hits = []
    for article_id, title, language, published_at, url, marked in rows:
        snippet, highlights = split_marks(marked or "")
        hits.append(SearchHit(article_id, title, language, published_at, url, snippet, highlights))
    return hits
