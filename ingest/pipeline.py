"""discover -> fetch -> extract -> langid -> nlp -> store; one outcome row per URL."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import itertools
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, and_, delete, or_, select
from sqlalchemy.orm import Session

from db.locks import Heartbeat, touch_run
from db.models import (
    Article,
    ArticleRevision,
    Entity,
    Fact,
    Figure,
    Mention,
    Page,
    Run,
    SimhashBand,
    UrlOutcome,
)
from db.repository import (
    add_alias,
    finish_run,
    get_or_create_entity,
    start_run,
    stored_update_times,
    utcnow,
)
from ingest.discover import Discovery, PollTarget, discover
from ingest.errors import ExtractionError, IngestError
from ingest.extract import ExtractedArticle, declared_language, extract_article
from ingest.fingerprint import NEAR_DUPLICATE_BITS, bands, distance, simhash, to_signed, to_unsigned
from ingest.http import Fetcher, FetchResult
from ingest.polling import record_poll
from ingest.settings import Settings
from ingest.sources import canonical_url
from nlp.analysis import NLP_VERSION, Analysis, Analyzer
from nlp.entities import EntityMention
from nlp.kb import KnowledgeBase, load_kb

Progress = Callable[[str, str], None]  # (event, url)


@dataclass
class RunSummary:
    """What one run did, per outcome."""

    run_id: int
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _hash(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


class Pipeline:
    """Runs the stages for a set of URLs and stores the results."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        analyzer: Analyzer | None = None,
        kb: KnowledgeBase | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.analyzer = analyzer or Analyzer(settings.spacy_models)
        self.kb = kb or load_kb()
        self.progress = progress or (lambda event, url: None)

    # -- entry points -------------------------------------------------------------------

    def run_feeds(self, feed_urls: Iterable[str], command: str = "run") -> RunSummary:
        """Discover articles from feeds and ingest the new ones."""
        return asyncio.run(self._run(command, [PollTarget(url) for url in feed_urls], []))

    def run_sources(self, targets: Iterable[PollTarget], command: str = "run") -> RunSummary:
        """Poll sources (feeds, sitemaps, URL lists), ingest what is new, update their state."""
        return asyncio.run(self._run(command, list(targets), []))

    def fetch_urls(self, urls: Iterable[str], command: str = "fetch") -> RunSummary:
        """Ingest the given article URLs."""
        return asyncio.run(self._run(command, [], list(urls)))

    # -- stages -------------------------------------------------------------------------

    async def _run(self, command: str, targets: list[PollTarget], urls: list[str]) -> RunSummary:
        with Session(self.engine, expire_on_commit=False) as session:
            run = start_run(session, command)
        summary = RunSummary(run.id)
        beat = Heartbeat(lambda: touch_run(self.engine, run.id), self.settings.heartbeat_interval)
        try:
            with beat:
                async with Fetcher(self.settings) as fetcher:
                    candidates = [Candidate(canonical_url(url), refetch=True) for url in urls]
                    discoveries = await self._discover(fetcher, run, targets, summary)
                    for found in discoveries:
                        source_id = found.target.source_id
                        candidates.extend(
                            Candidate(canonical_url(entry.url), source_id, entry.modified_at)
                            for entry in found.entries
                        )
                    new = self._new_only(candidates, run, summary)
                    await self._ingest(fetcher, run, new, summary)
                self._record_polls(discoveries, new)
        except BaseException as exc:
            with Session(self.engine) as session:
                self._finish(session, run, summary, "interrupted", repr(exc))
            raise
        with Session(self.engine) as session:
            self._finish(session, run, summary, "finished", None)
        return summary

    async def _discover(
        self, fetcher: Fetcher, run: Run, targets: list[PollTarget], summary: RunSummary
    ) -> list[Discovery]:
        """Poll every source at once (the fetcher's limits keep it polite)."""
        for target in targets:
            self.progress("discover", target.url)
        discoveries = await asyncio.gather(*(discover(fetcher, target) for target in targets))
        for found in discoveries:
            if found.error is not None:
                self._record(run, found.target.url, "failed", summary, error=found.error)
            for url, error in found.failures:
                self._record(run, url, "failed", summary, error=error)
        return discoveries

    def _record_polls(self, discoveries: list[Discovery], new: list[Candidate]) -> None:
        """Source state is written only after its articles are stored, so a killed run
        leaves the source due with its old validators and the next run finds them again."""
        per_source = Counter(candidate.source_id for candidate in new)
        with Session(self.engine) as session:
            for found in discoveries:
                record_poll(session, found, per_source[found.target.source_id], self.settings)

    def _new_only(
        self, candidates: list[Candidate], run: Run, summary: RunSummary
    ) -> list[Candidate]:
        """Candidates not stored yet, or stored before their source says they changed."""
        unique: dict[str, Candidate] = {}
        for candidate in candidates:
            unique.setdefault(candidate.url, candidate)
        with Session(self.engine) as session:
            stored = stored_update_times(session, list(unique))
        fresh = []
        for candidate in unique.values():
            updated_at = stored.get(candidate.url)
            changed = candidate.refetch or (
                updated_at is not None
                and candidate.modified_at is not None
                and candidate.modified_at > _utc(updated_at)
            )
            if updated_at is not None and not changed:
                self._record(run, candidate.url, "unchanged", summary)
            else:
                fresh.append(candidate)
        return fresh

    async def _ingest(
        self, fetcher: Fetcher, run: Run, candidates: list[Candidate], summary: RunSummary
    ) -> None:
        sources = {candidate.url: candidate.source_id for candidate in candidates}
        async for url, result, error in self._fetched(fetcher, candidates):
            if error is not None:
                self._record(run, url, "failed", summary, error=error)
                continue
            assert result is not None
            try:
                outcome, article_id = self._process(url, result, sources.get(url))
            except IngestError as exc:
                self._record(run, url, "failed", summary, error=exc)
                continue
            self._record(run, url, outcome, summary, article_id=article_id)

    async def _fetched(
        self, fetcher: Fetcher, candidates: list[Candidate]
    ) -> AsyncIterator[tuple[str, FetchResult | None, Exception | None]]:
        """Fetch results as they complete, with a bounded number of pages held at once."""
        waiting = iter(candidates)
        window = 2 * self.settings.concurrency
        pending: set[asyncio.Future[tuple[str, FetchResult | None, Exception | None]]] = set()
        while True:
            for candidate in itertools.islice(waiting, window - len(pending)):
                pending.add(asyncio.ensure_future(self._fetch(fetcher, candidate.url)))
            if not pending:
                return
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                yield future.result()

    async def _fetch(
        self, fetcher: Fetcher, url: str
    ) -> tuple[str, FetchResult | None, Exception | None]:
        self.progress("fetch", url)
        try:
            return url, await fetcher.fetch(url), None
        except IngestError as exc:
            return url, None, exc

    def _process(
        self, url: str, result: FetchResult, source_id: int | None = None
    ) -> tuple[str, int]:
        """Extract, analyse and store one page in one transaction."""
        extracted = extract_article(result.text, result.final_url)
        key = canonical_url(extracted.canonical_url or result.final_url)
        text_hash = _hash(extracted.text)
        fingerprint = simhash(extracted.text)
        with Session(self.engine) as session:
            known = session.execute(
                select(Article.id, Article.text_hash).where(Article.canonical_url == key)
            ).first()
            original = None if known else self._near_duplicate(session, fingerprint)
        if known is not None and known.text_hash == text_hash:
            return "unchanged", known.id
        if original is not None:
            with Session(self.engine) as session, session.begin():
                page = self._store_page(session, url, result, source_id)
                return self._store_duplicate(session, key, url, page, extracted, original)
        analysis = self.analyze(extracted, result.headers)
        with Session(self.engine) as session, session.begin():
            page = self._store_page(session, url, result, source_id)
            return self.store_article(session, key, url, page, extracted, analysis)

    def analyze(self, extracted: ExtractedArticle, headers: dict[str, str]) -> Analysis:
        """The NLP stage on an extracted article, with the page's declared language."""
        return self.analyzer.analyze(
            extracted.text,
            declared=declared_language(extracted, headers),
            published=extracted.published_at.date() if extracted.published_at else None,
        )

    def _near_duplicate(self, session: Session, fingerprint: int) -> Article | None:
        """The first stored article whose text is within a few bits of this fingerprint."""
        pairs = list(enumerate(bands(fingerprint)))
        matches = session.scalars(
            select(Article)
            .join(SimhashBand, SimhashBand.article_id == Article.id)
            .where(Article.duplicate_of_id.is_(None))
            .where(or_(*(and_(SimhashBand.band == b, SimhashBand.value == v) for b, v in pairs)))
            .order_by(Article.id)
        ).unique()
        for article in matches:
            if (
                article.simhash is not None
                and distance(to_unsigned(article.simhash), fingerprint) <= NEAR_DUPLICATE_BITS
            ):
                return article
        return None

    # -- storage ------------------------------------------------------------------------

    def _store_page(
        self, session: Session, url: str, result: FetchResult, source_id: int | None = None
    ) -> Page:
        body_hash = _hash(result.content)
        page = session.scalar(select(Page).where(Page.url == url, Page.body_hash == body_hash))
        if page is None:
            page = Page(
                url=url,
                final_url=result.final_url,
                status_code=result.status,
                content_type=result.content_type,
                encoding=result.encoding,
                headers=result.headers,
                body_hash=body_hash,
                raw_html_gz=gzip.compress(result.content),
                fetched_at=utcnow(),
                source_id=source_id,
            )
            session.add(page)
        else:
            page.fetched_at = utcnow()
        session.flush()
        return page

    def store_article(
        self,
        session: Session,
        key: str,
        url: str,
        page: Page,
        extracted: ExtractedArticle,
        analysis: Analysis,
    ) -> tuple[str, int]:
        article = session.scalar(select(Article).where(Article.canonical_url == key))
        now = utcnow()
        outcome = "new" if article is None else "updated"
        if article is None:
            article = Article(canonical_url=key, created_at=now, source_id=page.source_id)
            session.add(article)
        else:
            if article.text_hash != _hash(extracted.text):
                self._keep_revision(session, article, now)
            article.mentions.clear()
            article.figures.clear()
            article.facts.clear()
            session.flush()
        article.url = url
        article.page_id = page.id
        article.title = extracted.title
        article.author = extracted.author
        article.site_name = extracted.site_name
        article.published_at = (
            extracted.published_at.astimezone(UTC) if extracted.published_at else None
        )
        article.published_source = extracted.published_source
        article.description = extracted.description
        article.categories = extracted.categories
        article.tags = extracted.tags
        article.text = extracted.text
        article.text_hash = _hash(extracted.text)
        article.language = analysis.language
        article.language_confidence = analysis.language_confidence
        if report := analysis.report:
            article.language_detected = report.detected
            article.language_detected_confidence = report.detected_confidence
            article.language_declared = report.declared
            article.language_spans = [span.as_json() for span in report.spans]
        article.extractor = extracted.extractor
        article.nlp_version = NLP_VERSION
        article.updated_at = now
        session.flush()
        self._store_fingerprint(session, article, simhash(extracted.text))
        self._store_analysis(session, article, analysis)
        return outcome, article.id

    def _keep_revision(self, session: Session, article: Article, now: datetime) -> None:
        """Keep the text being replaced as a revision (figures in news get corrected)."""
        session.add(
            ArticleRevision(
                article_id=article.id,
                page_id=article.page_id,
                title=article.title,
                text=article.text,
                text_hash=article.text_hash,
                fetched_at=article.updated_at,
                replaced_at=now,
            )
        )

    def _store_fingerprint(self, session: Session, article: Article, fingerprint: int) -> None:
        article.simhash = to_signed(fingerprint)
        session.execute(delete(SimhashBand).where(SimhashBand.article_id == article.id))
        for band, value in enumerate(bands(fingerprint)):
            session.add(SimhashBand(article_id=article.id, band=band, value=value))

    def _store_duplicate(
        self,
        session: Session,
        key: str,
        url: str,
        page: Page,
        extracted: ExtractedArticle,
        original: Article,
    ) -> tuple[str, int]:
        """A syndicated copy: stored and linked to the first article, not analysed again."""
        now = utcnow()
        article = Article(
            canonical_url=key,
            url=url,
            page_id=page.id,
            source_id=page.source_id,
            title=extracted.title,
            author=extracted.author,
            site_name=extracted.site_name,
            published_at=extracted.published_at.astimezone(UTC) if extracted.published_at else None,
            published_source=extracted.published_source,
            description=extracted.description,
            categories=extracted.categories,
            tags=extracted.tags,
            text=extracted.text,
            text_hash=_hash(extracted.text),
            language=original.language,
            language_confidence=original.language_confidence,
            extractor=extracted.extractor,
            nlp_version=NLP_VERSION,
            created_at=now,
            updated_at=now,
            simhash=to_signed(simhash(extracted.text)),
            duplicate_of_id=original.id,
        )
        session.add(article)
        session.flush()
        return "duplicate", article.id

    def _store_analysis(self, session: Session, article: Article, analysis: Analysis) -> None:
        entity_ids: dict[tuple[int, int], int | None] = {}
        for mention in analysis.entities:
            entity = self._entity(session, mention, article.language)
            entity_ids[(mention.start, mention.end)] = entity.id if entity else None
            session.add(
                Mention(
                    article_id=article.id,
                    entity_id=entity.id if entity else None,
                    text=mention.text,
                    label=mention.label,
                    start=mention.start,
                    end=mention.end,
                )
            )
        figure_rows: dict[tuple[int, int], Figure] = {}
        for figure in analysis.figures:
            row = Figure(
                article_id=article.id,
                text=figure.text,
                value=figure.value,
                unit=figure.unit,
                start=figure.start,
                end=figure.end,
            )
            session.add(row)
            figure_rows[(figure.start, figure.end)] = row
        session.flush()
        for fact in analysis.facts:
            subject = self._kb_entity(session, fact.subject_kb_id) if fact.subject_kb_id else None
            if subject is None and fact.subject:
                subject = session.scalar(
                    select(Entity).where(Entity.key == f"company:{fact.subject.casefold()}")
                )
            session.add(
                Fact(
                    article_id=article.id,
                    figure_id=figure_rows[(fact.figure.start, fact.figure.end)].id,
                    subject_entity_id=subject.id if subject else None,
                    subject_text=fact.subject,
                    metric=fact.metric,
                    value=fact.value,
                    unit=fact.unit,
                    period_start=fact.period_start,
                    period_end=fact.period_end,
                    period_label=fact.period,
                    location=fact.location,
                    qualifier=fact.qualifier,
                    evidence=fact.evidence,
                    evidence_start=fact.evidence_start,
                    evidence_end=fact.evidence_end,
                    confidence=fact.confidence,
                )
            )

    def _entity(self, session: Session, mention: EntityMention, lang: str) -> Entity | None:
        """The canonical row for a mention: a KB entity, or one keyed by kind and name."""
        if mention.kb_id:
            entity = self._kb_entity(session, mention.kb_id)
        else:
            kind = mention.kind or mention.label.lower()
            operator = self._kb_entity(session, mention.operator) if mention.operator else None
            entity = get_or_create_entity(
                session,
                f"{kind}:{mention.canonical.casefold()}",
                name=mention.canonical,
                kind=kind,
                country=mention.country,
                operator_id=operator.id if operator else None,
            )
        if entity is not None and mention.text != entity.name:
            add_alias(session, entity, mention.text, lang)
        return entity

    def _kb_entity(self, session: Session, kb_id: str) -> Entity | None:
        """The row for a KB entity, created with its parents and operator on first use."""
        existing = session.scalar(select(Entity).where(Entity.kb_id == kb_id))
        if existing is not None:
            return existing
        known = self.kb.get(kb_id)
        if known is None:
            return None
        parent = self._kb_entity(session, known.parent) if known.parent else None
        operator = self._kb_entity(session, known.operator) if known.operator else None
        entity = get_or_create_entity(
            session,
            f"kb:{kb_id}",
            kb_id=kb_id,
            name=known.name,
            kind=known.kind,
            parent_id=parent.id if parent else None,
            operator_id=operator.id if operator else None,
            country=known.country,
            city=known.city,
            wikidata_id=known.wikidata,
        )
        for lang, names in known.aliases.items():
            for name in names:
                add_alias(session, entity, name, lang)
        return entity

    # -- bookkeeping --------------------------------------------------------------------

    def _record(
        self,
        run: Run,
        url: str,
        outcome: str,
        summary: RunSummary,
        error: Exception | None = None,
        article_id: int | None = None,
    ) -> None:
        summary.outcomes[outcome] += 1
        if error is not None:
            summary.errors.append((url, f"{type(error).__name__}: {error}"))
        self.progress(outcome, url)
        with Session(self.engine) as session, session.begin():
            session.add(
                UrlOutcome(
                    run_id=run.id,
                    url=url,
                    outcome=outcome,
                    error_type=type(error).__name__ if error else None,
                    message=str(error) if error else None,
                    article_id=article_id,
                    at=utcnow(),
                )
            )

    def _finish(
        self, session: Session, run: Run, summary: RunSummary, status: str, error: str | None
    ) -> None:
        run.n_new = summary.outcomes["new"]
        run.n_updated = summary.outcomes["updated"]
        run.n_unchanged = summary.outcomes["unchanged"]
        run.n_skipped = summary.outcomes["skipped"]
        run.n_failed = summary.outcomes["failed"]
        run.n_duplicate = summary.outcomes["duplicate"]
        finish_run(session, run, status, error)


@dataclass(frozen=True)
class Candidate:
    """A canonical article URL to ingest, the source it came from, and its claimed change.

    `refetch` is set for URLs given explicitly (`newsfacts fetch`): fetched even when stored.
    """

    url: str
    source_id: int | None = None
    modified_at: datetime | None = None
    refetch: bool = False


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = ["ExtractionError", "Pipeline", "RunSummary"]
