"""The discover stage: poll one source (feed, sitemap, URL list) for candidate article URLs."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from ingest.errors import FeedError, IngestError
from ingest.http import XML_TYPES, Fetcher
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
        await _read_sitemap(fetcher, discovery, result.content, result.final_url, 0)
    else:
        raise FeedError(f"unknown source kind {target.kind!r}")


async def _robots_sitemaps(fetcher: Fetcher, discovery: Discovery) -> None:
    """The sitemaps robots.txt lists, or /sitemap.xml when it lists none."""
    parts = urlsplit(discovery.target.url)
    rules = await fetcher.robots(discovery.target.url)
    listed = list(rules.sitemaps) or [f"{parts.scheme}://{parts.netloc}/sitemap.xml"]
    discovery.status = 200
    await _read_children(fetcher, discovery, [FeedEntry(url, None, None) for url in listed], 0)


async def _read_sitemap(
    fetcher: Fetcher, discovery: Discovery, content: bytes, url: str, depth: int
) -> None:
    sitemap = parse_sitemap(gunzip_capped(content, fetcher.settings.max_body_bytes), url)
    settings = fetcher.settings
    discovery.entries.extend(entry for entry in sitemap.entries if _recent(entry, settings))
    children = [entry for entry in sitemap.children if _recent(entry, settings)]
    children.sort(key=lambda entry: entry.modified_at or datetime.min.replace(tzinfo=UTC))
    children.reverse()
    await _read_children(fetcher, discovery, children[: settings.sitemap_max_children], depth)


async def _read_children(
    fetcher: Fetcher, discovery: Discovery, children: list[FeedEntry], depth: int
) -> None:
    if depth >= MAX_SITEMAP_DEPTH:
        return

    async def read(child: FeedEntry) -> None:
        try:
            result = await fetcher.fetch(child.url, accept=SITEMAP_TYPES)
            await _read_sitemap(fetcher, discovery, result.content, result.final_url, depth + 1)
        except IngestError as exc:
            discovery.failures.append((child.url, exc))

    await asyncio.gather(*(read(child) for child in children))


def _recent(entry: FeedEntry, settings: Settings) -> bool:
    """Sitemap entries older than `sitemap_max_age_days` are left out (0 keeps all)."""
    if not settings.sitemap_max_age_days or entry.modified_at is None:
        return True
    cutoff = datetime.now(UTC) - timedelta(days=settings.sitemap_max_age_days)
    return entry.modified_at >= cutoff
