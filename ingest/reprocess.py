"""Re-run extraction, language and NLP on stored pages, without fetching them again."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, date, datetime
from email.message import Message
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from db.models import Article, Fact, Figure, Mention, Page, Source
from db.urls import url_hash
from ingest.errors import IngestError, StageError, UnknownSource
from ingest.extract import extract_article
from ingest.http import decode_body
from ingest.records import OutcomeRow, RunSummary, content_hash
from ingest.runs import Progress, RunRecorder
from ingest.settings import Settings
from ingest.stages import analyze_extracted
from ingest.store import ArticleStore
from nlp.analysis import Analyzer
from nlp.kb import KnowledgeBase, load_kb

# Columns that change on every write and say nothing about the result.
_BOOKKEEPING = {"id", "created_at", "updated_at"}


def _header_charset(headers: dict[str, str]) -> str | None:
    message = Message()
    for name, value in headers.items():
        if name.lower() == "content-type":
            message["content-type"] = value
    return message.get_content_charset()


def _comparable(value: object) -> object:
    """Datetimes as naive UTC: SQLite hands them back without their offset."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _snapshot(session: Session, article: Article) -> tuple[Any, ...]:
    """Everything stored for an article except row ids and timestamps."""
    columns = tuple(
        (column.key, _comparable(getattr(article, column.key)))
        for column in Article.__table__.columns
        if column.key not in _BOOKKEEPING
    )
    mentions = session.execute(
        select(Mention.entity_id, Mention.text, Mention.label, Mention.start, Mention.end)
        .where(Mention.article_id == article.id)
        .order_by(Mention.start, Mention.end)
    ).all()
    figures = session.execute(
        select(Figure.text, Figure.value, Figure.unit, Figure.start, Figure.end)
        .where(Figure.article_id == article.id)
        .order_by(Figure.start, Figure.end)
    ).all()
    facts = session.execute(
        select(
            Figure.start,
            Fact.subject_entity_id,
            Fact.subject_text,
            Fact.metric,
            Fact.value,
            Fact.unit,
            Fact.period_start,
            Fact.period_end,
            Fact.period_label,
            Fact.location,
            Fact.qualifier,
            Fact.evidence_start,
            Fact.evidence_end,
            Fact.confidence,
        )
        .join(Figure, Fact.figure_id == Figure.id)
        .where(Fact.article_id == article.id)
        .order_by(Figure.start)
    ).all()
    return columns, tuple(mentions), tuple(figures), tuple(facts)


class Reprocessor:
    """Extraction, language identification and NLP again on the pages already stored,
    each article in one transaction; an article whose results do not change is left as is."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        analyzer: Analyzer | None = None,
        kb: KnowledgeBase | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.engine = engine
        self.analyzer = analyzer or Analyzer(settings.spacy_models)
        self.store = ArticleStore(kb or load_kb())
        self.recorder = RunRecorder(engine, self.store, progress)

    @property
    def progress(self) -> Progress:
        return self.recorder.progress

    @progress.setter
    def progress(self, progress: Progress) -> None:
        self.recorder.progress = progress

    def candidates(self, since: date | None = None, source: str | None = None) -> list[int]:
        """Ids of the articles to reprocess: those with a stored page, optionally only pages
        fetched on or after `since` and articles from the source named `source`. Near
        duplicates of another article stay without mentions, figures and facts."""
        query = (
            select(Article.id)
            .join(Page, Article.page_id == Page.id)
            .where(Article.duplicate_of_id.is_(None))
            .order_by(Article.id)
        )
        if since is not None:
            query = query.where(Page.fetched_at >= datetime(*since.timetuple()[:3], tzinfo=UTC))
        with Session(self.engine) as session:
            if source is not None:
                source_id = session.scalar(
                    select(Source.id).where(
                        or_(Source.name == source, Source.url_hash == url_hash(source))
                    )
                )
                if source_id is None:
                    raise UnknownSource(f"no source named {source!r}")
                query = query.where(
                    or_(Article.source_id == source_id, Page.source_id == source_id)
                )
            return list(session.scalars(query))

    def reprocess(self, article_ids: list[int]) -> RunSummary:
        """Reprocess these articles; one outcome per article: updated, unchanged or failed."""
        with self.recorder.tracked("reprocess") as (run, summary):
            for article_id in article_ids:
                url, outcome, error = self._reprocess_one(article_id)
                row = (
                    OutcomeRow.failure(url, error)
                    if error is not None
                    else OutcomeRow(url, outcome)
                )
                self.recorder.write(run.id, [replace(row, article_id=article_id)], summary)
        return summary

    def _reprocess_one(self, article_id: int) -> tuple[str, str, IngestError | None]:
        """Reprocess one article in a transaction of its own; any error fails this article
        alone, its work rolled back."""
        url = str(article_id)
        try:
            return self._rewrite(article_id)
        except Exception as exc:
            self.store.entities.forget()  # ids remembered in the rolled-back transaction
            with Session(self.engine) as session:
                url = session.scalar(select(Article.url).where(Article.id == article_id)) or url
            return url, "failed", StageError.wrap("reprocess", exc)

    def _rewrite(self, article_id: int) -> tuple[str, str, IngestError | None]:
        with Session(self.engine) as session:
            article = session.get_one(Article, article_id)
            page = session.get_one(Page, article.page_id)
            url = article.url
            html, _encoding = decode_body(
                gzip.decompress(page.raw_html_gz), _header_charset(page.headers)
            )
            try:
                extracted = extract_article(html, page.final_url)
            except IngestError as exc:
                return url, "failed", exc
            analysis = analyze_extracted(self.analyzer, extracted, page.headers)
            before = _snapshot(session, article)
            self.store.write_article(
                session.connection(),
                article.canonical_url,
                url,
                page.id,
                extracted,
                content_hash(extracted.text),
                analysis,
            )
            session.expire_all()  # loaded objects show what was written
            session.flush()
            if _snapshot(session, article) == before:
                session.rollback()
                return url, "unchanged", None
            session.commit()
            return url, "updated", None
