"""The CPU stages of one page (extract -> language and nlp), as plain functions that the
single-machine pipeline, its process pool and the distributed workers all call."""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from ingest.extract import ExtractedArticle, declared_language, extract_article
from ingest.fingerprint import simhash
from ingest.http import FetchResult
from ingest.sources import canonical_url
from nlp.analysis import Analysis, Analyzer

# `nlp` includes language identification, which runs per paragraph inside it.
STAGES = ("discover", "fetch", "extract", "nlp", "store")


def content_hash(data: bytes | str) -> str:
    """SHA-256 hex digest of bytes or UTF-8 text."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


class KnownArticle(NamedTuple):
    """An article already stored under a canonical URL."""

    id: int
    text_hash: str


Lookup = Callable[[str], KnownArticle | None]


@dataclass(frozen=True)
class PageRecord:
    """A fetched response as it is stored: raw HTML compressed, body hashed."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    encoding: str | None
    headers: dict[str, str]
    body_hash: str
    raw_html_gz: bytes

    @classmethod
    def from_result(cls, url: str, result: FetchResult) -> PageRecord:
        """Compress and hash a fetch result."""
        return cls(
            url=url,
            final_url=result.final_url,
            status=result.status,
            content_type=result.content_type,
            encoding=result.encoding,
            headers=result.headers,
            body_hash=content_hash(result.content),
            raw_html_gz=gzip.compress(result.content, compresslevel=6),
        )


@dataclass
class ProcessedPage:
    """A page after the CPU stages, ready to be stored.

    `analysis` is None when the article is stored already with the same text
    (`known` says which one); nothing is written for it then but its outcome.
    """

    url: str
    page: PageRecord
    key: str
    extracted: ExtractedArticle
    text_hash: str
    analysis: Analysis | None
    known: KnownArticle | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    source_id: int | None = None
    fingerprint: int | None = None  # simhash of the text, for near duplicates


def analyze_extracted(
    analyzer: Analyzer, extracted: ExtractedArticle, headers: Mapping[str, str] | None = None
) -> Analysis:
    """Language identification and the NLP stage on an extracted article, with what the
    page declares about its language as evidence."""
    return analyzer.analyze(
        extracted.text,
        declared=declared_language(extracted, headers),
        published=extracted.published_at.date() if extracted.published_at else None,
    )


def process_page(
    url: str, result: FetchResult, analyzer: Analyzer, lookup: Lookup | None = None
) -> ProcessedPage:
    """Extract, identify the language and analyse one fetched page.

    Raises ExtractionError when the page has no article text. `lookup` finds an article
    already stored under the page's canonical URL; an unchanged text skips the NLP stage.
    """
    started = time.perf_counter()
    extracted = extract_article(result.text, result.final_url)
    key = canonical_url(extracted.canonical_url or result.final_url)
    processed = ProcessedPage(
        url=url,
        page=PageRecord.from_result(url, result),
        key=key,
        extracted=extracted,
        text_hash=content_hash(extracted.text),
        analysis=None,
    )
    processed.fingerprint = simhash(extracted.text)
    processed.seconds["extract"] = time.perf_counter() - started
    processed.known = lookup(key) if lookup else None
    if processed.known is not None and processed.known.text_hash == processed.text_hash:
        return processed
    started = time.perf_counter()
    processed.analysis = analyze_extracted(analyzer, extracted, result.headers)
    processed.seconds["nlp"] = time.perf_counter() - started
    return processed
