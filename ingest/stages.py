"""The CPU stages of one page (extract -> language and nlp), as plain functions that the
single-machine pipeline, its process pool and the distributed workers all call."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date

from ingest.errors import IngestError, StageError
from ingest.extract import ExtractedArticle, declared_language, extract_article
from ingest.fingerprint import simhash
from ingest.http import FetchResult
from ingest.records import Lookup, PageRecord, ProcessedPage, content_hash
from ingest.sources import canonical_url
from nlp.analysis import Analysis, Analyzer
from nlp.relevance import PageContext

# `nlp` includes language identification, which runs per paragraph inside it.
STAGES = ("discover", "fetch", "extract", "nlp", "store")


def page_context(extracted: ExtractedArticle, url: str | None = None) -> PageContext:
    """Title, URL (canonical if the page gives one), categories and tags of a page: the
    NLP stage's evidence, besides the text, of what the article is about."""
    return PageContext(
        title=extracted.title,
        url=extracted.canonical_url or url,
        categories=tuple(extracted.categories),
        tags=tuple(extracted.tags),
    )


def analyze_extracted(
    analyzer: Analyzer, extracted: ExtractedArticle, headers: Mapping[str, str] | None = None
) -> Analysis:
    """Language identification and the NLP stage on an extracted article, with what the
    page declares about its language, and its title, URL, categories and tags, as evidence."""
    return analyzer.analyze(
        extracted.text,
        declared=declared_language(extracted, headers),
        published=_published_day(extracted),
        page=page_context(extracted),
    )


def process_page(
    url: str, result: FetchResult, analyzer: Analyzer, lookup: Lookup | None = None
) -> ProcessedPage:
    """Extract, identify the language and analyse one fetched page.

    Raises ExtractionError when the page has no article text. `lookup` finds an article
    already stored under the page's canonical URL; an unchanged text skips the NLP stage.
    """
    (outcome,) = process_pages([(url, result)], analyzer, lookup)
    if isinstance(outcome, IngestError):
        raise outcome
    return outcome


def process_pages(
    pages: Sequence[tuple[str, FetchResult]], analyzer: Analyzer, lookup: Lookup | None = None
) -> list[ProcessedPage | IngestError]:
    """`process_page` for several pages, in order; a page that fails, whatever the error,
    gives its error in its place (an IngestError; see StageError) and the others go on.
    The texts go through spaCy together (`nlp.pipe`), which is cheaper per page than one
    call each; when that fails, each page is analysed alone, so that only the page at
    fault fails."""
    outcomes = [_extract_page(url, result, lookup) for url, result in pages]
    todo = [
        outcome
        for outcome in outcomes
        if isinstance(outcome, ProcessedPage) and not _unchanged(outcome)
    ]
    if not todo:
        return outcomes
    started = time.perf_counter()
    try:
        analyses: list[Analysis | IngestError] = list(_analyze(analyzer, todo))
    except Exception:
        analyses = [_analyze_alone(analyzer, page) for page in todo]
    share = (time.perf_counter() - started) / len(todo)
    failed: dict[int, IngestError] = {}
    for page, analysis in zip(todo, analyses, strict=True):
        if isinstance(analysis, IngestError):
            failed[id(page)] = analysis
            continue
        page.analysis = analysis
        page.seconds["nlp"] = share
    return [failed.get(id(outcome), outcome) for outcome in outcomes]


def _analyze(analyzer: Analyzer, pages: Sequence[ProcessedPage]) -> list[Analysis]:
    """The NLP stage on several extracted pages at once."""
    return analyzer.analyze_many(
        [page.extracted.text for page in pages],
        declared=[declared_language(page.extracted, page.page.headers) for page in pages],
        published=[_published_day(page.extracted) for page in pages],
        pages=[page_context(page.extracted, page.key) for page in pages],
    )


def _analyze_alone(analyzer: Analyzer, page: ProcessedPage) -> Analysis | IngestError:
    """The NLP stage on one page; its error, if it fails."""
    try:
        [analysis] = _analyze(analyzer, [page])
    except Exception as exc:
        return StageError.wrap("nlp", exc)
    return analysis


def _extract_page(
    url: str, result: FetchResult, lookup: Lookup | None
) -> ProcessedPage | IngestError:
    """The extraction stage of one page, and the article already stored under its URL."""
    started = time.perf_counter()
    try:
        extracted = extract_article(result.text, result.final_url)
        key = canonical_url(extracted.canonical_url or result.final_url)
        processed = ProcessedPage(
            url=url,
            page=PageRecord.from_result(url, result),
            key=key,
            extracted=extracted,
            text_hash=content_hash(extracted.text),
            analysis=None,
            fingerprint=simhash(extracted.text),
        )
        processed.seconds["extract"] = time.perf_counter() - started
        processed.known = lookup(key) if lookup else None
    except Exception as exc:
        return StageError.wrap("extract", exc)
    return processed


def _unchanged(page: ProcessedPage) -> bool:
    """True when the article is stored already with the same text."""
    return page.known is not None and page.known.text_hash == page.text_hash


def _published_day(extracted: ExtractedArticle) -> date | None:
    return extracted.published_at.date() if extracted.published_at else None
