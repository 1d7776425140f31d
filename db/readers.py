"""Read functions behind the researchers' commands: facts, entities and claims.

`min_relevance` keeps what comes from articles scoring at least that relevance to the vehicle
industry (`articles.relevance`); articles stored before the score existed have none and are
left out then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, func, select

from db.companies import company_ids
from db.models import Article, Mention
from db.views import v_claim_facts, v_claims, v_entities, v_entity_lineage, v_facts

Rows = tuple[list[str], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class CompanyFilter:
    """A company by name, kb id or alias; with `include_brands`, everything below it too."""

    name: str
    include_brands: bool = False


@dataclass(frozen=True)
class FactFilter:
    """Which facts to read; every field left empty means no restriction."""

    company: CompanyFilter | None = None
    metric: str | None = None
    since: date | None = None
    until: date | None = None
    lang: str | None = None
    min_confidence: float | None = None
    min_relevance: float | None = None


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims to read; with `min_relevance`, claims that at least one article of
    that relevance reports."""

    company: CompanyFilter | None = None
    metric: str | None = None
    conflicts_only: bool = False
    min_articles: int = 1
    min_relevance: float | None = None


def relevant_articles(min_relevance: float) -> Select[Any]:
    """Ids of the articles whose relevance is at least `min_relevance`."""
    return select(Article.id).where(Article.relevance >= min_relevance)


def _subject_in(
    connection: Connection, column: ColumnElement[Any], company: CompanyFilter
) -> ColumnElement[bool]:
    ids = company_ids(connection, company.name)
    if company.include_brands:
        below = select(v_entity_lineage.c.entity_id).where(v_entity_lineage.c.ancestor_id.in_(ids))
        return column.in_(below)
    return column.in_(ids)


def _rows(connection: Connection, statement: Select[Any]) -> Rows:
    result = connection.execute(statement)
    return list(result.keys()), [tuple(row) for row in result]


def _fact_statement(connection: Connection, where: FactFilter) -> Select[Any]:
    statement = select(v_facts)
    if where.company is not None:
        statement = statement.where(_subject_in(connection, v_facts.c.subject_id, where.company))
    if where.metric is not None:
        statement = statement.where(v_facts.c.metric == where.metric)
    if where.since is not None:
        statement = statement.where(v_facts.c.period_end >= where.since)
    if where.until is not None:
        statement = statement.where(v_facts.c.period_start <= where.until)
    if where.lang is not None:
        statement = statement.where(v_facts.c.language == where.lang)
    if where.min_confidence is not None:
        statement = statement.where(v_facts.c.confidence >= where.min_confidence)
    if where.min_relevance is not None:
        statement = statement.where(
            v_facts.c.article_id.in_(relevant_articles(where.min_relevance))
        )
    return statement


def read_facts(engine: Engine, where: FactFilter, limit: int | None = None) -> Rows:
    """Rows of v_facts that pass the filter, by subject, metric and period."""
    with engine.connect() as connection:
        statement = _fact_statement(connection, where).order_by(
            v_facts.c.subject,
            v_facts.c.metric,
            v_facts.c.period_start.nulls_last(),
            v_facts.c.period_end.nulls_last(),
            v_facts.c.value,
            v_facts.c.fact_id,
        )
        return _rows(connection, statement.limit(limit))


def read_facts_with_claims(engine: Engine, where: FactFilter) -> Rows:
    """Facts that pass the filter, each with its claim id and conflict flag (for plots)."""
    with engine.connect() as connection:
        statement = (
            _fact_statement(connection, where)
            .add_columns(v_claim_facts.c.claim_id, v_claim_facts.c.conflict)
            .outerjoin(v_claim_facts, v_claim_facts.c.fact_id == v_facts.c.fact_id)
            .order_by(v_facts.c.period_start, v_facts.c.fact_id)
        )
        return _rows(connection, statement)


def read_entities(
    engine: Engine,
    kinds: list[str] | None = None,
    name: str | None = None,
    limit: int | None = None,
    min_relevance: float | None = None,
) -> Rows:
    """Rows of v_entities, the most mentioned first; with `min_relevance`, those mentioned
    in at least one article of that relevance (their counts still cover every article)."""
    statement = select(v_entities)
    if kinds:
        statement = statement.where(v_entities.c.kind.in_(kinds))
    if name:
        statement = statement.where(func.lower(v_entities.c.name).contains(name.lower()))
    if min_relevance is not None:
        mentioned = select(Mention.entity_id).where(
            Mention.article_id.in_(relevant_articles(min_relevance))
        )
        statement = statement.where(v_entities.c.entity_id.in_(mentioned))
    statement = statement.order_by(
        v_entities.c.n_mentions.desc(), v_entities.c.n_facts.desc(), v_entities.c.name
    ).limit(limit)
    with engine.connect() as connection:
        return _rows(connection, statement)


def read_claims(engine: Engine, where: ClaimFilter, limit: int | None = None) -> Rows:
    """Rows of v_claims, the best-supported first."""
    with engine.connect() as connection:
        statement = select(v_claims)
        if where.company is not None:
            statement = statement.where(
                _subject_in(connection, v_claims.c.subject_id, where.company)
            )
        if where.metric is not None:
            statement = statement.where(v_claims.c.metric == where.metric)
        if where.conflicts_only:
            statement = statement.where(v_claims.c.conflict == 1)
        if where.min_articles > 1:
            statement = statement.where(v_claims.c.n_articles >= where.min_articles)
        if where.min_relevance is not None:
            reported = select(v_claim_facts.c.claim_id).where(
                v_claim_facts.c.article_id.in_(relevant_articles(where.min_relevance))
            )
            statement = statement.where(v_claims.c.claim_id.in_(reported))
        statement = statement.order_by(
            v_claims.c.n_articles.desc(),
            v_claims.c.n_languages.desc(),
            v_claims.c.subject,
            v_claims.c.metric,
            v_claims.c.period_start.nulls_last(),
            v_claims.c.value_min,
        ).limit(limit)
        return _rows(connection, statement)
