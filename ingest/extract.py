"""trafilatura: HTML to article text and metadata, with a recall fallback for thin pages."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import htmldate
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Document

from ingest.errors import ExtractionError

EXTRACTOR = f"trafilatura/{trafilatura.__version__}"
# trafilatura's modes, tried in this order while the text found is shorter than
# FALLBACK_BELOW_CHARS; the longest text wins.
MODES = ("precision", "balanced", "recall")
FALLBACK_BELOW_CHARS = 500
MIN_TEXT_CHARS = 80
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
_JSON_LD_DATE_KEYS = ("datePublished", "dateCreated")
# trafilatura's own date search (htmldate inside its metadata extraction) is not used:
# `published` finds the date. Its extensive search is the costliest part of a pass, so
# trafilatura gets the quick one.
_TRAFILATURA_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class ExtractedArticle:
    """Article text with its metadata and the evidence about its language."""

    text: str
    title: str | None
    author: str | None
    site_name: str | None
    published_at: datetime | None
    canonical_url: str | None
    declared_lang: str | None
    extractor: str
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_source: str | None = None
    html_lang: str | None = None
    og_locale: str | None = None


@dataclass(frozen=True)
class Published:
    """A publication timestamp and where in the page it was found."""

    at: datetime
    source: str


def _html_lang(tree: lxml_html.HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    return lang.strip() or None


def _og_locale(tree: lxml_html.HtmlElement) -> str | None:
    for value in tree.xpath("//meta[@property='og:locale']/@content"):
        return str(value).strip() or None
    return None


def declared_language(
    extracted: ExtractedArticle, headers: Mapping[str, str] | None = None
) -> str | None:
    """The language the page says it is in: html lang, else og:locale, else the
    Content-Language header (the first one it names)."""
    if extracted.html_lang or extracted.og_locale:
        return extracted.html_lang or extracted.og_locale
    for name, value in (headers or {}).items():
        if name.lower() == "content-language" and value.strip():
            return value.split(",")[0].strip()
    return None


def _timestamp(value: str) -> datetime | None:
    """An ISO 8601 date or timestamp; times without an offset are read as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _meta_dates(tree: lxml_html.HtmlElement) -> Iterator[Published]:
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and (moment := _timestamp(meta.get("content") or "")):
            yield Published(moment, f"meta:{key}")


def _json_ld_values(node: object, key: str) -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key and isinstance(value, str):
                yield value
            else:
                yield from _json_ld_values(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from _json_ld_values(item, key)


def _json_ld_dates(tree: lxml_html.HtmlElement) -> Iterator[Published]:
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        for key in _JSON_LD_DATE_KEYS:
            for value in _json_ld_values(data, key):
                if moment := _timestamp(value):
                    yield Published(moment, f"json-ld:{key}")


def _htmldate(tree: lxml_html.HtmlElement, url: str | None) -> Published | None:
    """A date from htmldate's markup heuristics, else from the URL; no guessing in the text."""
    found = htmldate.find_date(
        tree, extensive_search=False, original_date=True, url=url, deferred_url_extractor=True
    )
    if not found:
        return None
    moment = datetime.fromisoformat(found).replace(tzinfo=UTC)
    from_url = url and htmldate.find_date("<html></html>", extensive_search=False, url=url)
    return Published(moment, "url" if from_url == found else "htmldate")


def published(tree: lxml_html.HtmlElement, url: str | None = None) -> Published | None:
    """When the page says it was published: a full timestamp from meta tags or JSON-LD
    first, then a date from htmldate's markup rules or the URL; None when the page gives none."""
    for candidate in _meta_dates(tree):
        return candidate
    for candidate in _json_ld_dates(tree):
        return candidate
    return _htmldate(tree, url)


def _extract(html: str, url: str | None, mode: str) -> Document | None:
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_tables=True,
        include_comments=False,
        favor_precision=mode == "precision",
        favor_recall=mode == "recall",
        date_extraction_params=dict(_TRAFILATURA_DATE_PARAMS),
    )
    return document if isinstance(document, Document) else None


def _main_text(html: str, url: str | None) -> tuple[Document | None, str]:
    """The precision-mode extraction; on a page where it finds little text, the balanced
    and then the recall mode are tried and the longest text wins."""
    best: Document | None = None
    best_mode = MODES[0]
    for mode in MODES:
        document = _extract(html, url, mode)
        if document is not None and len(document.text or "") > len(best.text or "" if best else ""):
            best, best_mode = document, mode
        if best is not None and len(best.text or "") >= FALLBACK_BELOW_CHARS:
            break
    return best, f"{EXTRACTOR}+{best_mode}"


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value if str(item).strip()]
    return []


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """Main text and metadata of an HTML page; ExtractionError when there is no text."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, etree.ParserError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    document, extractor = _main_text(html, url)
    if document is None or len(document.text or "") < MIN_TEXT_CHARS:
        raise ExtractionError("no article text found")
    html_lang, og_locale = _html_lang(tree), _og_locale(tree)
    when = published(tree, url)
    return ExtractedArticle(
        text=unicodedata.normalize("NFC", document.text or ""),
        title=document.title,
        author=document.author,
        site_name=document.sitename,
        published_at=when.at if when else None,
        canonical_url=document.url,
        declared_lang=html_lang or og_locale,
        extractor=extractor,
        description=document.description,
        categories=_as_list(document.categories),
        tags=_as_list(document.tags),
        published_source=when.source if when else None,
        html_lang=html_lang,
        og_locale=og_locale,
    )
