"""trafilatura: HTML to article text and metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document

from ingest.errors import ExtractionError

EXTRACTOR = f"trafilatura/{trafilatura.__version__}"
MIN_TEXT_CHARS = 80
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dcterms.created",
)


@dataclass(frozen=True)
class ExtractedArticle:
    """Article text with its metadata."""

    text: str
    title: str | None
    author: str | None
    site_name: str | None
    published_at: datetime | None
    canonical_url: str | None
    declared_lang: str | None
    extractor: str


def _declared_lang(tree: lxml_html.HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        return lang
    for value in tree.xpath("//meta[@property='og:locale']/@content"):
        return str(value)
    return None


def _published_at(tree: lxml_html.HtmlElement, fallback: str | None) -> datetime | None:
    """The publication timestamp from page metadata, timezone-aware when the page says so."""
    for name in _DATE_META:
        values = tree.xpath(
            f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content"
        )
        for value in values:
            try:
                return datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            except ValueError:
                continue
    if fallback and re.fullmatch(r"\d{4}-\d{2}-\d{2}", fallback):
        return datetime.fromisoformat(fallback).replace(tzinfo=UTC)
    return None


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """Main text and metadata of an HTML page; ExtractionError when there is no text."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_tables=True, include_comments=False
    )
    if not isinstance(document, Document) or len(document.text or "") < MIN_TEXT_CHARS:
        raise ExtractionError("no article text found")
    return ExtractedArticle(
        text=document.text or "",
        title=document.title,
        author=document.author,
        site_name=document.sitename,
        published_at=_published_at(tree, document.date),
        canonical_url=document.url,
        declared_lang=_declared_lang(tree),
        extractor=EXTRACTOR,
    )
