"""Read functions behind the researchers' commands: facts, entities and claims.

Claims compare like with like: one statement is a subject, metric, unit, qualifier, location
and period (v_claim_facts). A claim is disputed when its statement has other values and they
come from more than one article; values that one article alone gives (a sentence read two
ways) dispute nothing. Each claim read lists its articles and, when disputed, the other
values of its statement with theirs.

`min_relevance` keeps what comes from articles scoring at least that relevance to the vehicle
industry (`articles.relevance`); articles stored before the score existed have none and are
left out then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, case, func, select

from db.companies import company_ids
from db.models import Article, Mention
from db.views import v_claim_facts, v_claims, v_entities, v_entity_lineage, v_facts

Rows = tuple[list[str], list[tuple[Any, ...]]]

# What makes two facts statements about the same thing (as in v_claim_facts).
STATEMENT_KEY = (
    "subject_id", "metric", "unit", "qualifier", "location",
    "period_start", "period_end", "period_label",
)  # fmt: skip
# Columns that read_claims adds to v_claims.
CLAIM_SIDES = ("articles", "against")


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
    """Facts that pass the filter, each with its claim id and whether another article
    disputes its claim (`conflict`, for plots)."""
    disputed = case((v_claim_facts.c.claim_id.in_(disputed_claims()), 1), else_=0)
    with engine.connect() as connection:
        statement = (
            _fact_statement(connection, where)
            .add_columns(v_claim_facts.c.claim_id, disputed.label("conflict"))
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


def disputed_claims() -> Select[Any]:
    """Ids of the claims that another article contradicts: their statement has more than one
    value, and those values come from more than one article."""
    statement = [v_claim_facts.c[name] for name in STATEMENT_KEY]
    articles = v_claim_facts.c.article_id
    facts = (
        select(
            v_claim_facts.c.claim_id,
            func.min(articles).over(partition_by=statement).label("first_article"),
            func.max(articles).over(partition_by=statement).label("last_article"),
        )
        .where(v_claim_facts.c.conflict == 1)
        .subquery()
    )
    return select(facts.c.claim_id).where(facts.c.first_article != facts.c.last_article)


def _article_label(article_id: int, site: str | None) -> str:
    return f"#{article_id} {site}" if site else f"#{article_id}"


def _value_label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 and float(value).is_integer() else f"{value:g}"


def _claim_sides(
    connection: Connection, columns: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[str, str]]:
    """For each claim row: its articles, and the other values of its statement with theirs."""
    if not rows:
        return []
    index = {name: columns.index(name) for name in (*STATEMENT_KEY, "claim_id")}
    subjects = {row[index["subject_id"]] for row in rows}
    metrics = {row[index["metric"]] for row in rows}
    facts = connection.execute(
        select(v_claim_facts, Article.site_name)
        .join(Article, Article.id == v_claim_facts.c.article_id)
        .where(v_claim_facts.c.subject_id.in_(subjects), v_claim_facts.c.metric.in_(metrics))
        .order_by(v_claim_facts.c.value, v_claim_facts.c.article_id)
    ).all()
    statements: dict[tuple[Any, ...], dict[int, tuple[float, dict[int, str | None]]]]
    statements = defaultdict(dict)
    for fact in facts:
        key = tuple(getattr(fact, name) for name in STATEMENT_KEY)
        claim = statements[key].setdefault(fact.claim_id, (fact.value, {}))
        claim[1][fact.article_id] = fact.site_name
    sides = []
    for row in rows:
        claims = statements[tuple(row[index[name]] for name in STATEMENT_KEY)]
        own = claims[row[index["claim_id"]]][1] if row[index["claim_id"]] in claims else {}
        against = [
            f"{_value_label(value)}: {_labels(articles)}"
            for claim_id, (value, articles) in claims.items()
            if claim_id != row[index["claim_id"]]
        ]
        disputed = len({a for _, articles in claims.values() for a in articles}) > 1
        sides.append((_labels(own), "; ".join(against) if disputed else ""))
    return sides


def _labels(articles: dict[int, str | None]) -> str:
    return ", ".join(_article_label(article_id, site) for article_id, site in articles.items())


def _with_sides(connection: Connection, statement: Select[Any]) -> Rows:
    columns, rows = _rows(connection, statement)
    sides = _claim_sides(connection, columns, rows)
    return [*columns, *CLAIM_SIDES], [(*row, *side) for row, side in zip(rows, sides, strict=True)]


def _claim_columns(disputed: Select[Any]) -> Iterable[ColumnElement[Any]]:
    """v_claims, its conflict flag set only where another article disagrees."""
    for column in v_claims.c:
        if column.name == "conflict":
            yield case((v_claims.c.claim_id.in_(disputed), 1), else_=0).label("conflict")
        else:
            yield column


def read_claims(engine: Engine, where: ClaimFilter, limit: int | None = None) -> Rows:
    """Rows of v_claims with their articles and, when disputed, the other side (`articles`,
    `against`): the best-supported first, or with `conflicts_only` the disputed claims of
    one statement next to each other. `conflict` is 1 only where another article disagrees."""
    disputed = disputed_claims()
    with engine.connect() as connection:
        statement = select(*_claim_columns(disputed))
        if where.company is not None:
            statement = statement.where(
                _subject_in(connection, v_claims.c.subject_id, where.company)
            )
        if where.metric is not None:
            statement = statement.where(v_claims.c.metric == where.metric)
        if where.conflicts_only:
            statement = statement.where(v_claims.c.claim_id.in_(disputed))
        if where.min_articles > 1:
            statement = statement.where(v_claims.c.n_articles >= where.min_articles)
        if where.min_relevance is not None:
            reported = select(v_claim_facts.c.claim_id).where(
                v_claim_facts.c.article_id.in_(relevant_articles(where.min_relevance))
            )
            statement = statement.where(v_claims.c.claim_id.in_(reported))
        if where.conflicts_only:
            order = [
                v_claims.c.subject,
                v_claims.c.metric,
                v_claims.c.period_start.nulls_last(),
                v_claims.c.period_label,
                v_claims.c.location.nulls_first(),
                v_claims.c.qualifier,
                v_claims.c.unit,
                v_claims.c.value_min,
            ]
        else:
            order = [
                v_claims.c.n_articles.desc(),
                v_claims.c.n_languages.desc(),
                v_claims.c.subject,
                v_claims.c.metric,
                v_claims.c.period_start.nulls_last(),
                v_claims.c.value_min,
            ]
        return _with_sides(connection, statement.order_by(*order).limit(limit))
