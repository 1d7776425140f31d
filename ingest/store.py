"""The store stage: processed pages become rows, many articles per transaction.

Entity ids are remembered between articles (entities are never deleted); entity and alias
rows are inserted with ON CONFLICT DO NOTHING so that several writers, on one machine or
many, can create the same entity at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    TextClause,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from db.models import (
    Article,
    ArticleRevision,
    Base,
    Fact,
    Figure,
    Mention,
    Run,
)
from db.repository import utcnow
from ingest.extract import ExtractedArticle
from ingest.fingerprint import (
    BANDS,
    NEAR_DUPLICATE_BITS,
    bands,
    distance,
    simhash,
    to_signed,
    to_unsigned,
)
from ingest.stages import KnownArticle, ProcessedPage
from nlp.analysis import NLP_VERSION, Analysis
from nlp.entities import EntityMention
from nlp.kb import KnowledgeBase


@dataclass(frozen=True)
class OutcomeRow:
    """What happened to one URL: the `url_outcomes` row, before it has a run id."""

    url: str
    outcome: str
    error_type: str | None = None
    message: str | None = None
    article_id: int | None = None

    @classmethod
    def failure(cls, url: str, error: Exception) -> OutcomeRow:
        """A failed outcome carrying the error's type and message."""
        return cls(url, "failed", type(error).__name__, str(error))


StoreItem = ProcessedPage | OutcomeRow
# Outcomes with a counter column on `runs`.
COUNTED = ("new", "updated", "unchanged", "duplicate", "skipped", "failed")


# Statements built once: the store runs them thousands of times per run.
TABLES = Base.metadata.tables
PAGES, ARTICLES, ENTITIES, ALIASES = (
    TABLES[name] for name in ("pages", "articles", "entities", "entity_aliases")
)
_FIND_PAGE = select(PAGES.c.id).where(
    PAGES.c.url == bindparam("p_url"), PAGES.c.body_hash == bindparam("p_hash")
)
_TOUCH_PAGE = (
    update(PAGES).where(PAGES.c.id == bindparam("p_id")).values(fetched_at=bindparam("p_at"))
)
_INSERT_PAGE = insert(PAGES).returning(PAGES.c.id)
_FIND_ARTICLE = select(ARTICLES.c.id, ARTICLES.c.text_hash).where(
    ARTICLES.c.canonical_url == bindparam("a_key")
)
_INSERT_ARTICLE = insert(ARTICLES).returning(ARTICLES.c.id)
_INSERT_MENTIONS = insert(TABLES["mentions"])
_INSERT_FIGURES = insert(TABLES["figures"]).returning(
    TABLES["figures"].c.id, sort_by_parameter_order=True
)
_INSERT_FACTS = insert(TABLES["facts"])
_INSERT_OUTCOMES = insert(TABLES["url_outcomes"])
_FIND_ENTITY = select(ENTITIES.c.id, ENTITIES.c.name).where(
    ENTITIES.c.key == bindparam("e_key")
)
_PAGE_SOURCE = select(PAGES.c.source_id).where(PAGES.c.id == bindparam("p_id"))
_BANDS_TABLE = TABLES["simhash_bands"]
# Originals sharing at least one band with a fingerprint (its bands bound as v0..v3).
_BAND_CANDIDATES = (
    select(
        ARTICLES.c.id,
        ARTICLES.c.simhash,
        ARTICLES.c.language,
        ARTICLES.c.language_confidence,
        ARTICLES.c.relevance,
    )
    .join(_BANDS_TABLE, _BANDS_TABLE.c.article_id == ARTICLES.c.id)
    .where(ARTICLES.c.duplicate_of_id.is_(None))
    .where(
        or_(
            *(
                and_(_BANDS_TABLE.c.band == band, _BANDS_TABLE.c.value == bindparam(f"v{band}"))
                for band in range(BANDS)
            )
        )
    )
    .distinct()
    .order_by(ARTICLES.c.id)
)
_SET_SIMHASH = (
    update(ARTICLES).where(ARTICLES.c.id == bindparam("a_id")).values(simhash=bindparam("hash"))
)
_DELETE_BANDS = delete(_BANDS_TABLE).where(_BANDS_TABLE.c.article_id == bindparam("a_id"))
_INSERT_BANDS = insert(_BANDS_TABLE)


def _insert_ignoring_conflicts(table: Table) -> TextClause:
    """INSERT of every column but `id`, doing nothing on a conflict, as SQL text.

    SQLite and PostgreSQL both read this syntax. The dialects' `on_conflict_do_nothing`
    constructs have no cache key in SQLAlchemy 2.0, so they were compiled again on every
    execution, which cost more than the insert itself.
    """
    columns = [column.name for column in table.columns if column.name != "id"]
    names = ", ".join(f'"{name}"' for name in columns)
    values = ", ".join(f":{name}" for name in columns)
    return text(f"INSERT INTO {table.name} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING")


_INSERT_ENTITY = _insert_ignoring_conflicts(ENTITIES)
_INSERT_ALIASES = _insert_ignoring_conflicts(ALIASES)
# Every entity column but `id` and `key`, unset: the text statement binds them all.
_ENTITY_FIELDS = dict.fromkeys(
    column.name for column in ENTITIES.columns if column.name not in ("id", "key")
)


def known_article(engine: Engine, key: str) -> KnownArticle | None:
    """The article stored under canonical URL `key`, if any."""
    with engine.connect() as connection:
        row = connection.execute(_FIND_ARTICLE, {"a_key": key}).first()
    return KnownArticle(row.id, row.text_hash) if row is not None else None


def _article_values(
    url: str, page_id: int, extracted: ExtractedArticle, text_hash: str, now: datetime
) -> dict[str, Any]:
    """Article columns that come from the page and its extraction."""
    return {
        "url": url,
        "page_id": page_id,
        "title": extracted.title,
        "author": extracted.author,
        "site_name": extracted.site_name,
        "published_at": extracted.published_at.astimezone(UTC)
        if extracted.published_at
        else None,
        "published_source": extracted.published_source,
        "description": extracted.description,
        "categories": extracted.categories,
        "tags": extracted.tags,
        "text": extracted.text,
        "text_hash": text_hash,
        "extractor": extracted.extractor,
        "nlp_version": NLP_VERSION,
        "updated_at": now,
    }


def _near_duplicate(conn: Connection, fingerprint: int) -> Any:
    """The first original article whose text is within a few bits of this fingerprint."""
    values = {f"v{band}": value for band, value in enumerate(bands(fingerprint))}
    candidates = conn.execute(_BAND_CANDIDATES, values).all()
    for row in candidates:
        if (
            row.simhash is not None
            and distance(to_unsigned(row.simhash), fingerprint) <= NEAR_DUPLICATE_BITS
        ):
            return row
    return None


def _keep_revision(conn: Connection, article_id: int, text_hash: str, now: datetime) -> None:
    """Keep the text being replaced as a revision (figures in news get corrected)."""
    old = conn.execute(
        select(Article.page_id, Article.title, Article.text, Article.text_hash, Article.updated_at)
        .where(Article.id == article_id)
    ).one()
    if old.text_hash == text_hash:
        return
    conn.execute(
        insert(ArticleRevision),
        {
            "article_id": article_id,
            "page_id": old.page_id,
            "title": old.title,
            "text": old.text,
            "text_hash": old.text_hash,
            "fetched_at": old.updated_at,
            "replaced_at": now,
        },
    )


def _store_fingerprint(
    conn: Connection, article_id: int, fingerprint: int, replace: bool = True
) -> None:
    """The article's simhash and its bands; `replace` drops those of an earlier text (a new
    article has none, and its simhash went in with its row)."""
    if replace:
        conn.execute(_SET_SIMHASH, {"a_id": article_id, "hash": to_signed(fingerprint)})
        conn.execute(_DELETE_BANDS, {"a_id": article_id})
    conn.execute(
        _INSERT_BANDS,
        [
            {"article_id": article_id, "band": band, "value": value}
            for band, value in enumerate(bands(fingerprint))
        ],
    )


class ArticleStore:
    """Writes processed pages and outcome rows."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._entity_ids: dict[str, int] = {}
        self._names: dict[int, str] = {}
        self._aliases: set[tuple[int, str, str]] = set()

    def forget(self) -> None:
        """Drop remembered ids (after a rollback they may name rows that do not exist)."""
        self._entity_ids.clear()
        self._names.clear()
        self._aliases.clear()

    # -- batches ------------------------------------------------------------------------

    def write_batch(
        self, engine: Engine, run_id: int, items: Sequence[StoreItem], count: bool = False
    ) -> list[OutcomeRow]:
        """Store `items` and their outcome rows in one transaction.

        When the batch fails, each item is retried in a transaction of its own, and an
        item that still fails gets a failed outcome row: nothing is dropped silently.
        With `count`, the run's counters are raised in the same transaction (workers of
        a distributed run report that way).
        """
        try:
            with engine.begin() as conn:
                rows = [self.store(conn, item) for item in items]
                self.outcomes(conn, run_id, rows, count)
            return rows
        except SQLAlchemyError as exc:
            self.forget()
            if len(items) > 1:
                return [
                    row
                    for item in items
                    for row in self.write_batch(engine, run_id, [item], count)
                ]
            failed = [OutcomeRow.failure(items[0].url, exc)]
            with engine.begin() as conn:
                self.outcomes(conn, run_id, failed, count)
            return failed

    def outcomes(
        self, conn: Connection, run_id: int, rows: list[OutcomeRow], count: bool = False
    ) -> None:
        """Insert outcome rows; with `count`, raise the run's counters by them."""
        if not rows:
            return
        if count:
            tally = Counter(row.outcome for row in rows if row.outcome in COUNTED)
            if tally:
                conn.execute(
                    update(Run)
                    .where(Run.id == run_id)
                    .values(
                        {
                            getattr(Run, f"n_{outcome}"): getattr(Run, f"n_{outcome}") + n
                            for outcome, n in tally.items()
                        }
                    )
                )
        now = utcnow()
        conn.execute(
            _INSERT_OUTCOMES,
            [
                {
                    "run_id": run_id,
                    "url": row.url,
                    "outcome": row.outcome,
                    "error_type": row.error_type,
                    "message": row.message,
                    "article_id": row.article_id,
                    "at": now,
                }
                for row in rows
            ],
        )

    # -- one page -----------------------------------------------------------------------

    def store(self, conn: Connection, item: StoreItem) -> OutcomeRow:
        """Write one item inside the caller's transaction; its outcome row."""
        if isinstance(item, OutcomeRow):
            return item
        if item.analysis is None:
            assert item.known is not None
            return OutcomeRow(item.url, "unchanged", article_id=item.known.id)
        existing = conn.execute(_FIND_ARTICLE, {"a_key": item.key}).first()
        if existing is not None and existing.text_hash == item.text_hash:
            return OutcomeRow(item.url, "unchanged", article_id=existing.id)
        page_id = self._page(conn, item)
        fingerprint = item.fingerprint
        if fingerprint is None:
            fingerprint = simhash(item.extracted.text)
        original = None if existing else _near_duplicate(conn, fingerprint)
        if original is not None:
            article_id = self._duplicate(conn, item, page_id, fingerprint, original)
            return OutcomeRow(item.url, "duplicate", article_id=article_id)
        outcome, article_id = self._write_article(
            conn, existing.id if existing else None, item.key, item.url, page_id,
            item.extracted, item.text_hash, item.analysis, fingerprint,
        )
        return OutcomeRow(item.url, outcome, article_id=article_id)

    def _duplicate(
        self, conn: Connection, item: ProcessedPage, page_id: int, fingerprint: int, original: Any
    ) -> int:
        """A syndicated copy: stored and linked to the first article, not analysed again."""
        extracted, now = item.extracted, utcnow()
        return int(
            conn.execute(
                _INSERT_ARTICLE,
                {
                    **_article_values(item.url, page_id, extracted, item.text_hash, now),
                    "canonical_url": item.key,
                    "source_id": item.source_id,
                    "language": original.language,
                    "language_confidence": original.language_confidence,
                    "relevance": original.relevance,
                    "created_at": now,
                    "simhash": to_signed(fingerprint),
                    "duplicate_of_id": original.id,
                },
            ).scalar_one()
        )

    def _page(self, conn: Connection, item: ProcessedPage) -> int:
        page = item.page
        page_id = conn.scalar(_FIND_PAGE, {"p_url": page.url, "p_hash": page.body_hash})
        if page_id is not None:
            conn.execute(_TOUCH_PAGE, {"p_id": page_id, "p_at": utcnow()})
            return int(page_id)
        row = {
            "url": page.url,
            "final_url": page.final_url,
            "status_code": page.status,
            "content_type": page.content_type,
            "encoding": page.encoding,
            "headers": page.headers,
            "body_hash": page.body_hash,
            "raw_html_gz": page.raw_html_gz,
            "fetched_at": utcnow(),
            "source_id": item.source_id,
        }
        return int(conn.execute(_INSERT_PAGE, row).scalar_one())

    def write_article(
        self,
        conn: Connection,
        key: str,
        url: str,
        page_id: int,
        extracted: ExtractedArticle,
        text_hash: str,
        analysis: Analysis,
        fingerprint: int | None = None,
    ) -> tuple[str, int]:
        """Insert or rewrite the article under canonical URL `key` with its mentions,
        figures and facts; `new` or `updated`, and its id."""
        article_id = conn.scalar(_FIND_ARTICLE, {"a_key": key})
        return self._write_article(
            conn, article_id, key, url, page_id, extracted, text_hash, analysis, fingerprint
        )

    def _write_article(
        self,
        conn: Connection,
        article_id: int | None,
        key: str,
        url: str,
        page_id: int,
        extracted: ExtractedArticle,
        text_hash: str,
        analysis: Analysis,
        fingerprint: int | None,
    ) -> tuple[str, int]:
        """`write_article` for the article stored under `key` as `article_id` (None: not
        stored yet)."""
        if fingerprint is None:
            fingerprint = simhash(extracted.text)
        now = utcnow()
        report = analysis.report
        values = {
            **_article_values(url, page_id, extracted, text_hash, now),
            "language": analysis.language,
            "language_confidence": analysis.language_confidence,
            "language_detected": report.detected if report else None,
            "language_detected_confidence": report.detected_confidence if report else None,
            "language_declared": report.declared if report else None,
            "language_spans": [span.as_json() for span in report.spans] if report else None,
            "relevance": analysis.relevance,
        }
        if article_id is None:
            outcome = "new"
            source_id = conn.scalar(_PAGE_SOURCE, {"p_id": page_id})
            article_id = conn.scalar(
                _INSERT_ARTICLE,
                {
                    "canonical_url": key,
                    "created_at": now,
                    "source_id": source_id,
                    "simhash": to_signed(fingerprint),
                    **values,
                },
            )
        else:
            outcome = "updated"
            _keep_revision(conn, article_id, text_hash, now)
            for model in (Fact, Figure, Mention):
                conn.execute(delete(model).where(model.article_id == article_id))
            conn.execute(update(Article).where(Article.id == article_id).values(**values))
        assert article_id is not None
        _store_fingerprint(conn, article_id, fingerprint, replace=outcome == "updated")
        self._analysis(conn, article_id, analysis)
        return outcome, article_id

    def _analysis(self, conn: Connection, article_id: int, analysis: Analysis) -> None:
        mentions = [
            {
                "article_id": article_id,
                "entity_id": self._entity(conn, mention, analysis.language),
                "text": mention.text,
                "label": mention.label,
                "start": mention.start,
                "end": mention.end,
            }
            for mention in analysis.entities
        ]
        if mentions:
            conn.execute(_INSERT_MENTIONS, mentions)
        if not analysis.figures:
            return
        figure_ids = conn.scalars(
            _INSERT_FIGURES,
            [
                {
                    "article_id": article_id,
                    "text": figure.text,
                    "value": figure.value,
                    "unit": figure.unit,
                    "start": figure.start,
                    "end": figure.end,
                }
                for figure in analysis.figures
            ],
        ).all()
        by_span = {
            (figure.start, figure.end): figure_id
            for figure, figure_id in zip(analysis.figures, figure_ids, strict=True)
        }
        facts = [
            {
                "article_id": article_id,
                "figure_id": by_span[(fact.figure.start, fact.figure.end)],
                "subject_entity_id": self._subject(conn, fact.subject_kb_id, fact.subject),
                "subject_text": fact.subject,
                "subject_kind": fact.subject_kind,
                "metric": fact.metric,
                "value": fact.value,
                "unit": fact.unit,
                "period_start": fact.period_start,
                "period_end": fact.period_end,
                "period_label": fact.period,
                "location": fact.location,
                "qualifier": fact.qualifier,
                "evidence": fact.evidence,
                "evidence_start": fact.evidence_start,
                "evidence_end": fact.evidence_end,
                "confidence": fact.confidence,
            }
            for fact in analysis.facts
        ]
        if facts:
            conn.execute(_INSERT_FACTS, facts)

    # -- entities -----------------------------------------------------------------------

    def _subject(self, conn: Connection, kb_id: str | None, subject: str | None) -> int | None:
        entity_id = self._kb_entity(conn, kb_id) if kb_id else None
        if entity_id is None and subject:
            key = f"company:{subject.casefold()}"
            entity_id = self._entity_ids.get(key) or conn.scalar(_FIND_ENTITY, {"e_key": key})
        return entity_id

    def _entity(self, conn: Connection, mention: EntityMention, lang: str) -> int | None:
        """The canonical row of a mention: a KB entity, or one keyed by kind and name."""
        if mention.kb_id:
            entity_id = self._kb_entity(conn, mention.kb_id)
        else:
            kind = mention.kind or mention.label.lower()
            operator = self._kb_entity(conn, mention.operator) if mention.operator else None
            entity_id = self._ensure(
                conn,
                f"{kind}:{mention.canonical.casefold()}",
                name=mention.canonical,
                kind=kind,
                country=mention.country,
                operator_id=operator,
            )
        if entity_id is not None and mention.text != self._names.get(entity_id):
            self._alias(conn, entity_id, [(mention.text, lang)])
        return entity_id

    def _kb_entity(self, conn: Connection, kb_id: str) -> int | None:
        """The row of a KB entity, created with its parents, operator and aliases first."""
        key = f"kb:{kb_id}"
        if key in self._entity_ids:
            return self._entity_ids[key]
        known = self.kb.get(kb_id)
        if known is None:
            return None
        existing = conn.execute(_FIND_ENTITY, {"e_key": key}).first()
        if existing is not None:
            self._entity_ids[key] = existing.id
            self._names[existing.id] = existing.name
            return int(existing.id)
        parent = self._kb_entity(conn, known.parent) if known.parent else None
        operator = self._kb_entity(conn, known.operator) if known.operator else None
        entity_id = self._ensure(
            conn,
            key,
            kb_id=kb_id,
            name=known.name,
            kind=known.kind,
            parent_id=parent,
            operator_id=operator,
            country=known.country,
            city=known.city,
            wikidata_id=known.wikidata,
        )
        self._alias(
            conn, entity_id, [(n, lang) for lang, names in known.aliases.items() for n in names]
        )
        return entity_id

    def _ensure(self, conn: Connection, key: str, **fields: Any) -> int:
        """The id of the entity with natural key `key`, inserted with `fields` if missing."""
        if key in self._entity_ids:
            return self._entity_ids[key]
        conn.execute(_INSERT_ENTITY, {**_ENTITY_FIELDS, "key": key, **fields})
        row = conn.execute(_FIND_ENTITY, {"e_key": key}).one()
        self._entity_ids[key] = row.id
        self._names[row.id] = row.name
        return int(row.id)

    def _alias(self, conn: Connection, entity_id: int, names: list[tuple[str, str]]) -> None:
        new = [(entity_id, alias, lang) for alias, lang in names]
        new = [row for row in dict.fromkeys(new) if row not in self._aliases]
        if not new:
            return
        conn.execute(
            _INSERT_ALIASES,
            [{"entity_id": e, "alias": a, "lang": lang} for e, a, lang in new],
        )
        self._aliases.update(new)
