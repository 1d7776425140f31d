"""Sources: feeds (feedparser), sitemaps and URL lists (defusedxml); URLs via courlan."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
import feedparser
from courlan import normalize_url
from defusedxml import DefusedXmlException

from ingest.errors import FeedError, TooLarge

SOURCE_KINDS = ("feed", "sitemap", "urls")
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "at_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "igshid",
        "ref",
        "src",
        "cmpid",
        "xtor",
        "_ga",
        "spm",
        "ncid",
        "ito",
    }
)


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: its link and what the feed says about it."""

    url: str
    title: str | None
    published: str | None
    modified_at: datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: article URLs (urlset) or further sitemaps (sitemapindex)."""

    entries: list[FeedEntry]
    children: list[FeedEntry]
    complete: bool = True  # False when reading stopped at the item limit


def canonical_url(url: str) -> str:
    """Normalised URL without tracking parameters or fragment."""
    parts = urlsplit(normalize_url(url.strip()))
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


def refuse_hostile_xml(content: bytes) -> None:
    """FeedError when the document declares entities or references external ones.

    Entity expansion ("billion laughs") and external entities are never resolved: such a
    document is refused before any parser that might expand them sees it. Malformed XML
    passes this check; the lenient parsers report it.
    """
    try:
        safe_xml.fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused hostile XML: {type(exc).__name__}") from exc
    except (ParseError, ValueError):
        return


def _struct_time(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def parse_feed(content: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom document; FeedError when it is not a usable feed."""
    refuse_hostile_xml(content)
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    entries = [
        FeedEntry(
            item["link"],
            item.get("title"),
            item.get("published"),
            _struct_time(dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")),
        )
        for item in parsed.entries
        if item.get("link")
    ]
    harmless = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    if parsed.bozo and not entries and not isinstance(parsed.get("bozo_exception"), harmless):
        raise FeedError(f"not a valid feed: {parsed.get('bozo_exception')}")
    return entries


def gunzip_capped(content: bytes, limit: int) -> bytes:
    """The content, decompressed when it is a gzip file (sitemap.xml.gz), within `limit`."""
    if not content.startswith(b"\x1f\x8b"):
        return content
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, limit + 1)
    except zlib.error as exc:
        raise FeedError(f"broken gzip sitemap: {exc}") from exc
    if len(data) > limit:
        raise TooLarge(f"sitemap exceeds {limit} bytes (decompressed)")
    return data


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(element: Element, path: str) -> str | None:
    found = element.find(path)
    return found.text.strip() if found is not None and found.text else None


def parse_sitemap(
    content: bytes,
    base_url: str,
    keep: Callable[[FeedEntry], bool] | None = None,
    max_entries: int | None = None,
) -> Sitemap:
    """URLs of a sitemap, sitemap index or Google News sitemap; FeedError when broken.

    The document is read element by element and each item dropped once read, so memory
    follows what is kept, not the document's size. Items that `keep` rejects are skipped;
    reading a urlset stops after `max_entries` kept entries (`complete` is then False).

    A sitemap never needs a DTD, so any DTD (and with it every entity trick) is refused.
    """
    found: list[FeedEntry] = []
    try:
        events = safe_xml.iterparse(BytesIO(content), ("start", "end"), forbid_dtd=True)
        _, root = next(events)
        tag = root.tag.removeprefix(_SITEMAP_NS)
        if tag not in ("urlset", "sitemapindex"):
            raise FeedError(f"not a sitemap: root element is {root.tag!r}")
        item = f"{_SITEMAP_NS}{'url' if tag == 'urlset' else 'sitemap'}"
        complete = True
        for event, element in events:
            if event != "end" or element.tag != item:
                continue
            entry = _sitemap_entry(element, base_url)
            root.clear()  # the items read so far are not needed any more
            if entry is None or (keep is not None and not keep(entry)):
                continue
            if tag == "urlset" and max_entries is not None and len(found) >= max_entries:
                complete = False
                break
            found.append(entry)
    except DefusedXmlException as exc:
        raise FeedError(f"refused hostile XML: {type(exc).__name__}") from exc
    except (ParseError, ValueError, StopIteration) as exc:
        raise FeedError(f"not a valid sitemap: {exc or 'empty document'}") from exc
    if tag == "urlset":
        return Sitemap(found, [], complete)
    return Sitemap([], found, complete)


def _sitemap_entry(item: Element, base_url: str) -> FeedEntry | None:
    loc = _text(item, f"{_SITEMAP_NS}loc")
    if not loc:
        return None
    title = _text(item, f"{_NEWS_NS}news/{_NEWS_NS}title")
    published = _text(item, f"{_NEWS_NS}news/{_NEWS_NS}publication_date")
    modified = _parse_date(_text(item, f"{_SITEMAP_NS}lastmod") or published)
    return FeedEntry(urljoin(base_url, loc), title, published, modified)


def parse_url_list(text: str, base_url: str) -> list[FeedEntry]:
    """One URL per line; blank lines and lines starting with # are ignored."""
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = urljoin(base_url, line)
        if urlsplit(url).scheme in ("http", "https"):
            entries.append(FeedEntry(url, None, None))
    return entries


def guess_kind(url: str) -> str:
    """The source kind a URL most likely is, from its path."""
    path = urlsplit(url).path.lower()
    if path in ("", "/") or path.endswith("robots.txt") or "sitemap" in path:
        return "sitemap"
    if path.endswith(".txt"):
        return "urls"
    return "feed"


def uses_robots_sitemaps(url: str) -> bool:
    """A sitemap source given as a site root or robots.txt: its sitemaps come from robots.txt."""
    path = urlsplit(url).path.lower()
    return path in ("", "/") or path.endswith("/robots.txt")
