"""The store stage: processed pages become rows (pages, articles, mentions, figures,
facts, outcomes), many articles per transaction. Entity rows come from `entity_rows`,
near-duplicate lookups from `near_duplicates`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update

from db.models import Article, ArticleRevision, Base, Fact, Figure, Mention, Run
from db.repository import utcnow
from db.urls import url_hash
from ingest.entity_rows import EntityRows
from ingest.errors import StageError
from ingest.extract import ExtractedArticle
from ingest.fingerprint import simhash, to_signed
from ingest.near_duplicates import near_duplicate, store_fingerprint
from ingest.records import COUNTED, KnownArticle, OutcomeRow, ProcessedPage, StoreItem
from nlp.analysis import NLP_VERSION, Analysis
from nlp.entities import EntityMention
from nlp.kb import KnowledgeBase
from nlp.units import canonical_unit

# Statements built once: the store runs them thousands of times per run.
TABLES = Base.metadata.tables
PAGES, ARTICLES = TABLES["pages"], TABLES["articles"]
# URLs are found through their hashes (db.urls), which carry the unique keys.
_FIND_PAGE = select(PAGES.c.id).where(
    PAGES.c.url_hash == bindparam("p_url_hash"), PAGES.c.body_hash == bindparam("p_hash")
)
_TOUCH_PAGE = (
    update(PAGES).where(PAGES.c.id == bindparam("p_id")).values(fetched_at=bindparam("p_at"))
)
_INSERT_PAGE = insert(PAGES).returning(PAGES.c.id)
_FIND_ARTICLE = select(ARTICLES.c.id, ARTICLES.c.text_hash).where(
    ARTICLES.c.canonical_url_hash == bindparam("a_key_hash")
)
_INSERT_ARTICLE = insert(ARTICLES).returning(ARTICLES.c.id)
_INSERT_MENTIONS = insert(TABLES["mentions"])
_INSERT_FIGURES = insert(TABLES["figures"]).returning(
    TABLES["figures"].c.id, sort_by_parameter_order=True
)
_INSERT_FACTS = insert(TABLES["facts"])
_INSERT_OUTCOMES = insert(TABLES["url_outcomes"])
_PAGE_SOURCE = select(PAGES.c.source_id).where(PAGES.c.id == bindparam("p_id"))


def known_article(engine: Engine, key: str) -> KnownArticle | None:
    """The article stored under canonical URL `key`, if any."""
    with engine.connect() as connection:
        row = connection.execute(_FIND_ARTICLE, {"a_key_hash": url_hash(key)}).first()
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
        "published_at": extracted.published_at.astimezone(UTC) if extracted.published_at else None,
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


def _keep_revision(conn: Connection, article_id: int, text_hash: str, now: datetime) -> None:
    """Keep the text being replaced as a revision (figures in news get corrected)."""
    old = conn.execute(
        select(
            Article.page_id, Article.title, Article.text, Article.text_hash, Article.updated_at
        ).where(Article.id == article_id)
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


def distinct_spans(analysis: Analysis) -> Analysis:
    """The analysis with one mention and one figure per span, and one fact per figure, as
    the tables' keys want: the same plant named twice at the same offsets is one mention.
    Where two mentions share a span, one resolved to the knowledge base wins, else the
    first; the first figure and fact win."""
    mentions: dict[tuple[int, int], EntityMention] = {}
    for mention in analysis.entities:
        kept = mentions.setdefault((mention.start, mention.end), mention)
        if kept.kb_id is None and mention.kb_id is not None:
            mentions[(mention.start, mention.end)] = mention
    figures = {(figure.start, figure.end): figure for figure in reversed(analysis.figures)}
    facts = {(fact.figure.start, fact.figure.end): fact for fact in reversed(analysis.facts)}
    if (len(mentions), len(figures), len(facts)) == (
        len(analysis.entities),
        len(analysis.figures),
        len(analysis.facts),
    ):
        return analysis
    return replace(
        analysis,
        entities=list(mentions.values()),
        figures=sorted(figures.values(), key=lambda figure: (figure.start, figure.end)),
        facts=[f for f in analysis.facts if facts.get((f.figure.start, f.figure.end)) is f],
    )


class ArticleStore:
    """Writes processed pages and outcome rows."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.entities = EntityRows(kb)

    # -- batches ------------------------------------------------------------------------

    def write_batch(
        self, engine: Engine, run_id: int, items: Sequence[StoreItem], count: bool = False
    ) -> list[OutcomeRow]:
        """Store `items` and their outcome rows in one transaction.

        When the batch fails, whatever the error, it is rolled back and each item is
        retried in a transaction of its own; an item that still fails gets a failed outcome
        row, and the items after it are stored: one bad item never costs the others, and
        nothing is dropped silently. Only an error that the failed outcome row cannot be
        written past either (the database is gone) is raised.
        With `count`, the run's counters are raised in the same transaction (workers of
        a distributed run report that way).
        """
        try:
            with engine.begin() as conn:
                rows = [self.store(conn, item) for item in items]
                self.outcomes(conn, run_id, rows, count)
            return rows
        except Exception as exc:
            self.entities.forget()  # ids remembered in the rolled-back transaction
            if len(items) > 1:
                return [
                    row for item in items for row in self.write_batch(engine, run_id, [item], count)
                ]
            failed = [OutcomeRow.failure(items[0].url, StageError.wrap("store", exc))]
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
        existing = conn.execute(_FIND_ARTICLE, {"a_key_hash": url_hash(item.key)}).first()
        if existing is not None and existing.text_hash == item.text_hash:
            return OutcomeRow(item.url, "unchanged", article_id=existing.id)
        page_id = self._page(conn, item)
        fingerprint = item.fingerprint
        if fingerprint is None:
            fingerprint = simhash(item.extracted.text)
        original = None if existing else near_duplicate(conn, fingerprint)
        if original is not None:
            article_id = self._duplicate(conn, item, page_id, fingerprint, original)
            return OutcomeRow(item.url, "duplicate", article_id=article_id)
        outcome, article_id = self._write_article(
            conn,
            existing.id if existing else None,
            item.key,
            item.url,
            page_id,
            item.extracted,
            item.text_hash,
            item.analysis,
            fingerprint,
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
                    "canonical_url_hash": url_hash(item.key),
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
        key = url_hash(page.url)
        page_id = conn.scalar(_FIND_PAGE, {"p_url_hash": key, "p_hash": page.body_hash})
        if page_id is not None:
            conn.execute(_TOUCH_PAGE, {"p_id": page_id, "p_at": utcnow()})
            return int(page_id)
        row = {
            "url": page.url,
            "url_hash": key,
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
        article_id = conn.scalar(_FIND_ARTICLE, {"a_key_hash": url_hash(key)})
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
                    "canonical_url_hash": url_hash(key),
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
        store_fingerprint(conn, article_id, fingerprint, replace=outcome == "updated")
        self._analysis(conn, article_id, analysis)
        return outcome, article_id

    def _analysis(self, conn: Connection, article_id: int, analysis: Analysis) -> None:
        analysis = distinct_spans(analysis)
        mentions = [
            {
                "article_id": article_id,
                "entity_id": self.entities.mention(conn, mention, analysis.language),
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
                    "unit": canonical_unit(figure.unit),
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
                "subject_entity_id": self.entities.subject(conn, fact.subject_kb_id, fact.subject),
                "subject_text": fact.subject,
                "subject_kind": fact.subject_kind,
                "metric": fact.metric,
                "value": fact.value,
                "unit": canonical_unit(fact.unit),
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
