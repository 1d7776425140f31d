"""The discover stage: poll one source (feed, sitemap, URL list) for candidate article URLs."""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from ingest.errors import FeedError, IngestError
from ingest.http import XML_TYPES, Fetcher
from ingest.logs import LOGGER
from ingest.settings import Settings
from ingest.sources import (
    FeedEntry,
    gunzip_capped,
    parse_feed,
    parse_sitemap,
    parse_url_list,
    uses_robots_sitemaps,
)

SITEMAP_TYPES = (*XML_TYPES, "application/gzip", "application/x-gzip", "application/octet-stream")
MAX_SITEMAP_DEPTH = 2


@dataclass
class PollTarget:
    """A source to poll, with the validators of its last successful poll."""

    url: str
    kind: str = "feed"
    source_id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


@dataclass
class Discovery:
    """What polling one source found.

    `changed` is False when the server answered 304 or sent the same body as last time
    (the body hash is the truth: some servers keep their ETag across changes).
    `failures` lists child sitemaps that could not be read; the source itself still counts.
    `limits` says where a bound on a sitemap tree stopped the reading; `left` counts the
    new entries that the URL limits left for a later run.
    """

    target: PollTarget
    entries: list[FeedEntry] = field(default_factory=list)
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    changed: bool = True
    error: IngestError | None = None
    failures: list[tuple[str, IngestError]] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    left: int = 0


def conditional_headers(target: PollTarget) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the last poll."""
    headers = {}
    if target.etag:
        headers["If-None-Match"] = target.etag
    if target.last_modified:
        headers["If-Modified-Since"] = target.last_modified
    return headers


async def discover(fetcher: Fetcher, target: PollTarget) -> Discovery:
    """Poll one source; errors are returned in the Discovery, never raised."""
    discovery = Discovery(target)
    try:
        if target.kind == "sitemap" and uses_robots_sitemaps(target.url):
            await _robots_sitemaps(fetcher, discovery)
        else:
            await _poll(fetcher, discovery)
    except IngestError as exc:
        discovery.error = exc
    return discovery


async def _poll(fetcher: Fetcher, discovery: Discovery) -> None:
    target = discovery.target
    accept = SITEMAP_TYPES if target.kind == "sitemap" else (*XML_TYPES, "text/html")
    result = await fetcher.fetch(target.url, accept=accept, headers=conditional_headers(target))
    discovery.status = result.status
    discovery.etag = result.headers.get("etag") or target.etag
    discovery.last_modified = result.headers.get("last-modified") or target.last_modified
    if result.status == 304:
        discovery.body_hash = target.body_hash
        discovery.changed = False
        return
    discovery.body_hash = hashlib.sha256(result.content).hexdigest()
    if discovery.body_hash == target.body_hash:
        discovery.changed = False
        return
    if target.kind == "feed":
        discovery.entries = parse_feed(result.content, result.final_url)
    elif target.kind == "urls":
        discovery.entries = parse_url_list(result.text, result.final_url)
    elif target.kind == "sitemap":
        tree = SitemapTree(fetcher, discovery)
        tree.add_document(result.content, result.final_url, 0)
        await tree.read()
    else:
        raise FeedError(f"unknown source kind {target.kind!r}")


async def _robots_sitemaps(fetcher: Fetcher, discovery: Discovery) -> None:
    """The sitemaps robots.txt lists, or /sitemap.xml when it lists none."""
    parts = urlsplit(discovery.target.url)
    rules = await fetcher.robots(discovery.target.url)
    listed = list(rules.sitemaps) or [f"{parts.scheme}://{parts.netloc}/sitemap.xml"]
    discovery.status = 200
    tree = SitemapTree(fetcher, discovery)
    tree.add_children([FeedEntry(url, None, None) for url in listed], discovery.target.url, 0)
    await tree.read()


class SitemapTree:
    """One source's sitemaps, read one document at a time, breadth first.

    Bounded per source: at most `sitemap_max_children` children per index (the newest),
    `sitemap_max_documents` child sitemaps fetched in all, and `sitemap_max_entries` entries
    kept; each document is capped at `max_body_bytes`, gzipped or not. Where a bound stops
    the reading, the Discovery says so in `limits` (and a warning is logged).
    """

    def __init__(self, fetcher: Fetcher, discovery: Discovery) -> None:
        self.fetcher = fetcher
        self.settings = fetcher.settings
        self.discovery = discovery
        self.queue: deque[tuple[FeedEntry, int]] = deque()
        self.documents = 0

    def add_document(self, content: bytes, url: str, depth: int) -> None:
        """Keep the entries of one sitemap document and queue its children."""
        settings = self.settings
        sitemap = parse_sitemap(
            gunzip_capped(content, settings.max_body_bytes),
            url,
            keep=lambda entry: _recent(entry, settings),
            max_entries=max(settings.sitemap_max_entries - len(self.discovery.entries), 0),
        )
        self.discovery.entries.extend(sitemap.entries)
        if not sitemap.complete:
            self._limit(
                f"stopped reading {url} at {settings.sitemap_max_entries} entries in all "
                "(sitemap_max_entries)"
            )
        self.add_children(sitemap.children, url, depth)

    def add_children(self, children: list[FeedEntry], url: str, depth: int) -> None:
        """Queue the newest `sitemap_max_children` children of the document at `url`."""
        if depth >= MAX_SITEMAP_DEPTH or not children:
            return
        newest = sorted(children, key=_modified, reverse=True)
        wanted = newest[: self.settings.sitemap_max_children]
        if len(newest) > len(wanted):
            self._limit(
                f"{url} lists {len(newest)} child sitemaps; read at most the newest "
                f"{len(wanted)} (sitemap_max_children)"
            )
        self.queue.extend((child, depth + 1) for child in wanted)

    async def read(self) -> None:
        """Fetch and read the queued child sitemaps, within the bounds."""
        settings = self.settings
        while self.queue:
            if len(self.discovery.entries) >= settings.sitemap_max_entries:
                self._limit(
                    f"{len(self.queue)} child sitemaps not read: "
                    f"{settings.sitemap_max_entries} entries kept (sitemap_max_entries)"
                )
                return
            if self.documents >= settings.sitemap_max_documents:
                self._limit(
                    f"{len(self.queue)} child sitemaps not read: {self.documents} fetched "
                    "(sitemap_max_documents)"
                )
                return
            child, depth = self.queue.popleft()
            self.documents += 1
            try:
                result = await self.fetcher.fetch(child.url, accept=SITEMAP_TYPES)
                self.add_document(result.content, result.final_url, depth)
            except IngestError as exc:
                self.discovery.failures.append((child.url, exc))

    def _limit(self, message: str) -> None:
        self.discovery.limits.append(message)
        LOGGER.warning(
            "sitemap limit for %s: %s",
            self.discovery.target.url,
            message,
            extra={"event": "limit", "url": self.discovery.target.url},
        )


def _recent(entry: FeedEntry, settings: Settings) -> bool:
    """Sitemap entries older than `sitemap_max_age_days` are left out (0 keeps all)."""
    if not settings.sitemap_max_age_days or entry.modified_at is None:
        return True
    cutoff = datetime.now(UTC) - timedelta(days=settings.sitemap_max_age_days)
    return entry.modified_at >= cutoff


def _modified(entry: FeedEntry) -> datetime:
    return entry.modified_at or datetime.min.replace(tzinfo=UTC)
