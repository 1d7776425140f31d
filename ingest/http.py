"""One httpx client per run: size caps, retries with backoff, time limits, decoding.

The address guard (ingest.guard) sits in the client's transport, so every connection, to a
redirect target too, goes to an address that was checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import random
import re
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from charset_normalizer import from_bytes
from protego import Protego

from ingest.errors import (
    BlockedURL,
    FetchError,
    HTTPStatusError,
    TooLarge,
    UnknownHost,
    UnsupportedContent,
)
from ingest.guard import (
    AddressCheck,
    GuardedTransport,
    Resolver,
    is_public_address,
    system_resolver,
)
from ingest.settings import Settings

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "text/plain",
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?\s*([\w-]+)""", re.I)


@dataclass
class FetchResult:
    """A successful response, decoded."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    encoding: str
    text: str
    content_type: str
    attempts: int = 1


@dataclass
class HostGate:
    """Per-host concurrency and minimum delay between requests."""

    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_request: float = 0.0
    crawl_delay: float = 0.0
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: Protego | FetchError | None = None


# The legacy encodings web pages use (the WHATWG Encoding Standard's list): detection never
# picks a DOS or Mac code page for a web page.
_WEB_ENCODINGS = (
    "utf_8",
    "utf_16",
    *(f"cp{n}" for n in (874, *range(1250, 1259))),
    *(f"iso8859_{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
    "koi8_r",
    "koi8_u",
    "gb18030",
    "big5",
    "euc_jp",
    "iso2022_jp",
    "shift_jis",
    "euc_kr",
)
_LATIN1_LABELS = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def _mostly_utf8(content: bytes) -> str | None:
    """The bytes as UTF-8 when they are, allowing a few broken sequences in a page that is
    otherwise clearly UTF-8 (many valid multi-byte characters, few invalid bytes)."""
    text = content.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    if not broken:
        return text
    valid = sum(1 for ch in text if ord(ch) > 127) - broken
    return text if valid >= 20 * broken else None


def _decode_declared(content: bytes, charset: str) -> tuple[str, str] | None:
    """The bytes in a declared charset, with the charset actually used. Latin-1 labels mean
    windows-1252 as in browsers, and a page declared Latin-1 whose bytes are UTF-8 is UTF-8
    in practice."""
    label = charset.lower().replace("_", "-")
    if label in _LATIN1_LABELS:
        try:
            return content.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            label = "windows-1252"
    try:
        return content.decode(label), label
    except LookupError:
        return None
    except UnicodeDecodeError:
        if label in ("utf-8", "utf8") and (text := _mostly_utf8(content)) is not None:
            return text, "utf-8"
        return (content.decode("latin-1"), "iso-8859-1") if label == "windows-1252" else None


def decode_body(content: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode with the declared charset when it fits the bytes, else detect it."""
    declared = [header_charset] if header_charset else []
    if match := _META_CHARSET.search(content[:4096]):
        declared.append(match.group(1).decode("ascii", "ignore"))
    for charset in declared:
        if (decoded := _decode_declared(content, charset)) is not None:
            return decoded
    if (text := _mostly_utf8(content)) is not None:
        return text, "utf-8"
    best = from_bytes(content, cp_isolation=list(_WEB_ENCODINGS)).best()
    if best is None:
        return content.decode("utf-8", "replace"), "utf-8"
    return str(best), best.encoding


@dataclass
class _UrlClock:
    """The time limit of one URL: `url_timeout` seconds from its first request on, retries,
    waits and redirects included. Waiting for the first turn at the host does not count."""

    limit: float
    deadline: float | None = None
    body_started: bool = False  # of the current request: headers have arrived

    def start(self) -> float:
        """Start the clock if it has not started; the seconds left."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.limit
        return self.deadline - time.monotonic()

    def left(self) -> float | None:
        """Seconds left, None before the first request."""
        return None if self.deadline is None else self.deadline - time.monotonic()


class _BodyTimeout(Exception):
    """The body stopped coming (read timeout or a time limit after the headers arrived)."""


class Fetcher:
    """Fetches URLs politely: one client, per-host gates, retries, caps and guards.

    `resolver` and `address_check` are what the transport resolves and checks addresses
    with; `allow_private_addresses` turns the check off (the addresses connected to are
    still the ones resolved).
    """

    def __init__(
        self,
        settings: Settings,
        resolver: Resolver = system_resolver,
        address_check: AddressCheck = is_public_address,
    ) -> None:
        self.settings = settings
        timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
        check = None if settings.allow_private_addresses else address_check
        self.client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            headers={
                "User-Agent": settings.full_user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            },
            transport=GuardedTransport(resolver, check),
        )
        self.global_gate = asyncio.Semaphore(settings.concurrency)
        self.hosts: dict[str, HostGate] = defaultdict(
            lambda: HostGate(asyncio.Semaphore(settings.per_host_concurrency))
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    def check_url(self, url: str) -> None:
        """Refuse non-http(s) URLs and URLs without a host. (Addresses are checked when
        connecting.)"""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedURL(f"only http and https URLs are fetched, not {parts.scheme!r}")
        if not parts.hostname:
            raise BlockedURL(f"URL has no host: {url}")

    async def fetch(
        self,
        url: str,
        *,
        accept: tuple[str, ...] = HTML_TYPES,
        headers: dict[str, str] | None = None,
    ) -> FetchResult:
        """GET `url` following redirects, with retries; raise a FetchError on failure."""
        self.check_url(url)
        await self._check_robots(url)
        return await self._fetch_with_retries(url, accept, headers, robots=True)

    async def _check_robots(self, url: str) -> None:
        if self.settings.respect_robots:
            rules = await self.robots(url)
            if not rules.can_fetch(url, self.settings.full_user_agent):
                raise BlockedURL(f"robots.txt disallows {url}")

    async def robots(self, url: str) -> Protego:
        """The robots.txt rules of the URL's host, fetched once per run.

        A missing robots.txt (4xx) allows everything; one that cannot be fetched (5xx,
        network errors) disallows everything on that host for this run. Crawl-delay raises
        the host's minimum delay, up to `max_crawl_delay`. A host on a refused address
        raises BlockedURL, one that does not resolve UnknownHost.
        """
        parts = urlsplit(url)
        gate = self.hosts[parts.netloc]
        async with gate.robots_lock:
            if gate.robots is None:
                gate.robots = await self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
                if isinstance(gate.robots, Protego):
                    delay = gate.robots.crawl_delay(self.settings.full_user_agent) or 0.0
                    gate.crawl_delay = min(float(delay), self.settings.max_crawl_delay)
        if isinstance(gate.robots, FetchError):
            raise BlockedURL(f"robots.txt unavailable: {gate.robots}")
        return gate.robots

    async def _load_robots(self, robots_url: str) -> Protego | FetchError:
        try:
            result = await self._fetch_with_retries(robots_url, ("",), None, robots=False)
        except HTTPStatusError as exc:
            return Protego.parse("") if 400 <= exc.status < 500 else exc
        except (TooLarge, UnsupportedContent):
            return Protego.parse("")
        except (BlockedURL, UnknownHost):
            raise  # the host itself is refused or unknown: the page's own error
        except FetchError as exc:
            return exc
        return Protego.parse(result.text)

    async def _fetch_with_retries(
        self, url: str, accept: tuple[str, ...], headers: dict[str, str] | None, *, robots: bool
    ) -> FetchResult:
        """Attempts until one succeeds, the retries are used up or `url_timeout` would pass
        during the next wait. A body that stalls is not retried: it would stall again."""
        clock = _UrlClock(self.settings.url_timeout)
        attempts = 0
        while True:
            attempts += 1
            error: HTTPStatusError | httpx.TransportError | TimeoutError
            try:
                result = await self._fetch_once(url, accept, headers or {}, robots, clock)
                result.attempts = attempts
                return result
            except HTTPStatusError as exc:
                if exc.status not in RETRY_STATUSES:
                    raise
                error, delay = exc, exc.retry_after
            except _BodyTimeout as exc:
                raise FetchError(
                    f"{exc} while reading the body (attempt {attempts}; a stalled body is not "
                    "retried)"
                ) from exc.__cause__
            except (httpx.TransportError, TimeoutError) as exc:
                error, delay = exc, None
            wait = self._backoff(attempts, delay)
            left = clock.left()
            if attempts > self.settings.max_retries or (left is not None and left <= wait):
                out_of_time = attempts <= self.settings.max_retries
                raise self._giving_up(error, attempts, out_of_time) from error
            await asyncio.sleep(wait)

    def _giving_up(
        self, error: Exception, attempts: int, out_of_time: bool
    ) -> HTTPStatusError | FetchError:
        """The error to report: what went wrong last, after how many attempts, and, when
        retries were left, that the next one would come after `url_timeout`."""
        tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
        said = isinstance(error, TimeoutError) and "url_timeout" in str(error)
        why = (
            f"; the next would start after url_timeout ({self.settings.url_timeout:g} s)"
            if out_of_time and not said
            else ""
        )
        if isinstance(error, HTTPStatusError):
            message = f"{error} (gave up after {tries}{why})"
            return HTTPStatusError(message, error.status, error.retry_after)
        detail = f": {error}" if str(error) else ""
        return FetchError(f"{type(error).__name__} after {tries}{detail}{why}")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.settings.backoff_max)
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)

    async def _fetch_once(
        self,
        url: str,
        accept: tuple[str, ...],
        headers: dict[str, str],
        robots: bool,
        clock: _UrlClock,
    ) -> FetchResult:
        """One attempt, following redirects; each target is checked like the URL itself
        (scheme, and when `robots` is set the robots.txt of its host; its address when the
        transport connects)."""
        seen: list[str] = []
        current = url
        while True:
            if current in seen:
                raise FetchError(f"redirect loop at {current}")
            seen.append(current)
            if len(seen) > self.settings.max_redirects + 1:
                raise FetchError(f"more than {self.settings.max_redirects} redirects")
            response = await self._request(current, headers, clock)
            raw = response.response
            if raw.is_redirect and "location" in raw.headers:
                current = str(raw.url.join(raw.headers["location"]))
                self.check_url(current)
                if robots:
                    await self._check_robots(current)
                continue
            return self._result(url, response, accept)

    async def _request(self, url: str, headers: dict[str, str], clock: _UrlClock) -> _Response:
        """One request within the time limits: `total_timeout` for the response and what
        is left of the URL's `url_timeout`."""
        clock.body_started = False
        async with self._turn(self.hosts[urlsplit(url).netloc], clock):
            limit = min(self.settings.total_timeout, clock.start())
            try:
                async with asyncio.timeout(limit):
                    return await self._exchange(url, headers, clock)
            except TimeoutError as exc:
                raise self._timed_out(clock) from exc
            except httpx.ReadTimeout as exc:
                if clock.body_started:
                    detail = f": {exc}" if str(exc) else ""
                    raise _BodyTimeout(f"ReadTimeout{detail}") from exc
                raise

    def _timed_out(self, clock: _UrlClock) -> Exception:
        left = clock.left()
        if left is not None and left <= 0:
            reason = f"url_timeout of {self.settings.url_timeout:g} s reached"
        else:
            reason = f"total_timeout of {self.settings.total_timeout:g} s reached"
        return _BodyTimeout(reason) if clock.body_started else TimeoutError(reason)

    @contextlib.asynccontextmanager
    async def _turn(self, gate: HostGate, clock: _UrlClock) -> AsyncIterator[None]:
        """A slot overall and at the host, at least the host's delay after its last request;
        waiting for it counts against the URL's time once its first request was made."""
        async with contextlib.AsyncExitStack() as stack:
            try:
                async with asyncio.timeout(clock.left()):
                    await stack.enter_async_context(self.global_gate)
                    await stack.enter_async_context(gate.semaphore)
                    async with gate.lock:
                        delay = max(self.settings.per_host_delay, gate.crawl_delay)
                        wait = gate.last_request + delay - time.monotonic()
                        if wait > 0:
                            await asyncio.sleep(wait)
                        gate.last_request = time.monotonic()
            except TimeoutError as exc:
                raise self._timed_out(clock) from exc
            yield

    async def _exchange(self, url: str, headers: dict[str, str], clock: _UrlClock) -> _Response:
        async with self.client.stream("GET", url, headers=headers) as response:
            if response.is_redirect or response.status_code == 304:
                return _Response(response, b"")
            if response.status_code >= 400:
                raise HTTPStatusError(
                    f"HTTP {response.status_code} for {url}",
                    response.status_code,
                    parse_retry_after(response.headers.get("retry-after")),
                )
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.settings.max_body_bytes:
                raise TooLarge(f"body of {declared} bytes exceeds the cap")
            clock.body_started = True
            chunks = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.settings.max_body_bytes:
                    raise TooLarge(
                        f"body exceeds {self.settings.max_body_bytes} bytes (decompressed)"
                    )
                chunks.append(chunk)
            return _Response(response, b"".join(chunks))

    def _result(self, url: str, response: _Response, accept: tuple[str, ...]) -> FetchResult:
        raw = response.response
        content_type = raw.headers.get("content-type", "").split(";")[0].strip().lower()
        if raw.status_code != 304 and content_type and not content_type.startswith(accept):
            raise UnsupportedContent(f"content type {content_type!r} is not fetched")
        text, encoding = decode_body(response.content, raw.charset_encoding)
        return FetchResult(
            url,
            str(raw.url),
            raw.status_code,
            dict(raw.headers),
            response.content,
            encoding,
            text,
            content_type,
        )


@dataclass
class _Response:
    response: httpx.Response
    content: bytes


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
