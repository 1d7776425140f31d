"""Sources: feeds parsed with feedparser; URLs canonicalised with courlan."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
from courlan import normalize_url

from ingest.errors import FeedError

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


def canonical_url(url: str) -> str:
    """Normalised URL without tracking parameters or fragment."""
    parts = urlsplit(normalize_url(url.strip()))
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


def parse_feed(content: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom document; FeedError when it is not a usable feed."""
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    entries = [
        FeedEntry(item["link"], item.get("title"), item.get("published"))
        for item in parsed.entries
        if item.get("link")
    ]
    if parsed.bozo and not entries:
        raise FeedError(f"not a valid feed: {parsed.get('bozo_exception')}")
    return entries
