"""Typed handles on the researchers' views, which migrations create (revision 0003; 0006
re-creates v_articles with the relevance column).

The views live in their own MetaData so that Alembic never tries to create or drop them as
tables; tests check that these columns match the views the migrations make.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text

view_metadata = MetaData()


def _view(name: str, *columns: Column[Any]) -> Table:
    return Table(name, view_metadata, *columns)


def _integers(*names: str) -> list[Column[Any]]:
    return [Column(name, Integer) for name in names]


def _strings(*names: str) -> list[Column[Any]]:
    return [Column(name, String) for name in names]


def _period() -> list[Column[Any]]:
    return [
        Column("period_start", Date),
        Column("period_end", Date),
        Column("period_label", String),
    ]


v_entity_lineage = _view(
    "v_entity_lineage", *_integers("entity_id", "ancestor_id", "depth", "is_top")
)

v_entities = _view(
    "v_entities",
    Column("entity_id", Integer),
    *_strings("name", "kind", "kb_id", "key"),
    Column("parent_id", Integer),
    Column("parent", String),
    Column("group_id", Integer),
    Column("group_name", String),
    Column("operator_id", Integer),
    *_strings("operator", "country", "city", "wikidata_id"),
    *_integers("n_mentions", "n_articles", "n_facts"),
)

v_articles = _view(
    "v_articles",
    Column("article_id", Integer),
    *_strings("title", "site", "language"),
    Column("language_confidence", Float),
    Column("relevance", Float),
    Column("published_at", DateTime(timezone=True)),
    *_strings("author", "url"),
    *_integers("n_chars", "n_mentions", "n_entities", "n_figures", "n_facts"),
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
)

v_mentions = _view(
    "v_mentions",
    *_integers("mention_id", "article_id", "entity_id"),
    *_strings("text", "label", "entity", "entity_kind", "group_name"),
    *_integers("start", "end"),
    Column("language", String),
    Column("published_at", DateTime(timezone=True)),
    *_strings("article_title", "article_url"),
)

v_facts = _view(
    "v_facts",
    *_integers("fact_id", "subject_id"),
    *_strings("subject", "subject_kind"),
    Column("group_id", Integer),
    *_strings("group_name", "metric"),
    Column("value", Float),
    Column("unit", String),
    *_period(),
    *_strings("location", "qualifier"),
    Column("confidence", Float),
    Column("evidence", Text),
    Column("article_id", Integer),
    *_strings("article_url", "article_title", "site", "language"),
    Column("published_at", DateTime(timezone=True)),
)

v_claim_facts = _view(
    "v_claim_facts",
    *_integers("fact_id", "claim_id", "article_id", "subject_id"),
    Column("metric", String),
    Column("value", Float),
    *_strings("unit", "qualifier", "location"),
    *_period(),
    *_integers("n_values", "conflict"),
)

v_claims = _view(
    "v_claims",
    *_integers("claim_id", "subject_id"),
    *_strings("subject", "subject_kind", "group_name", "metric"),
    Column("value_min", Float),
    Column("value_max", Float),
    *_strings("unit", "qualifier", "period_label"),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("location", String),
    *_integers("n_articles", "n_languages"),
    Column("languages", String),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    *_integers("n_values", "conflict"),
)

v_company_timeline = _view(
    "v_company_timeline",
    Column("entity_id", Integer),
    *_strings("company", "kind", "group_name"),
    *_period(),
    Column("metric", String),
    Column("value_min", Float),
    Column("value_max", Float),
    *_strings("unit", "qualifier", "location"),
    Column("n_articles", Integer),
    Column("languages", String),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    *_integers("conflict", "claim_id"),
)

VIEWS: tuple[Table, ...] = tuple(view_metadata.tables.values())
