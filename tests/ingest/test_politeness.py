"""robots.txt, Crawl-delay, per-host limits and the address guard on every URL fetched."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from ingest.discover import PollTarget, discover
from ingest.errors import BlockedURL
from ingest.http import Fetcher, FetchResult
from ingest.settings import Settings
from tests.conftest import LocalServer, Reply

PAGE = b"<html><body><p>Volvo Car Gent bouwt de EX30.</p></body></html>"


def settings(**overrides: object) -> Settings:
    base = {"allow_private_addresses": True, "backoff_base": 0.01, "per_host_delay": 0.0}
    return Settings(**{**base, **overrides})  # type: ignore[arg-type]


def fetch_all(urls: list[str], fetcher_settings: Settings, guarded: bool = False) -> list[object]:
    async def go() -> list[object]:
        if guarded:
            fetcher = Fetcher(fetcher_settings, _resolver, _test_server_only)
        else:
            fetcher = Fetcher(fetcher_settings)
        async with fetcher:
            return await asyncio.gather(
                *(fetcher.fetch(url) for url in urls), return_exceptions=True
            )

    return asyncio.run(go())


def test_robots_disallow_is_honoured_and_robots_is_read_once(server: LocalServer) -> None:
    server.route(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
    )
    server.route("/private/a", Reply(body=PAGE))
    server.route("/public/a", Reply(body=PAGE))
    server.route("/public/b", Reply(body=PAGE))
    results = fetch_all(
        [server.url("/private/a"), server.url("/public/a"), server.url("/public/b")], settings()
    )
    assert isinstance(results[0], BlockedURL) and "robots.txt disallows" in str(results[0])
    assert all(isinstance(result, FetchResult) for result in results[1:])
    assert server.hits.get("/private/a") is None
    assert server.hits["/robots.txt"] == 1


def test_robots_rules_for_our_user_agent(server: LocalServer) -> None:
    server.route(
        "/robots.txt",
        Reply(body=b"User-agent: newsfacts\nDisallow: /\n\nUser-agent: *\nAllow: /\n"),
    )
    server.route("/a", Reply(body=PAGE))
    [result] = fetch_all([server.url("/a")], settings())
    assert isinstance(result, BlockedURL)
    [allowed] = fetch_all([server.url("/a")], settings(respect_robots=False))
    assert isinstance(allowed, FetchResult)


def test_missing_robots_allows_and_failing_robots_blocks(server: LocalServer) -> None:
    server.route("/a", Reply(body=PAGE))
    [result] = fetch_all([server.url("/a")], settings())  # robots.txt answers 404
    assert isinstance(result, FetchResult)
    server.route("/robots.txt", Reply(503))
    [blocked] = fetch_all([server.url("/a")], settings(max_retries=1))
    assert isinstance(blocked, BlockedURL) and "robots.txt unavailable" in str(blocked)
    assert server.hits["/a"] == 1  # only the first fetch reached the page


def test_crawl_delay_spaces_requests_to_a_host(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 0.5\n"))
    stamps: list[float] = []

    def page(_handler: object) -> Reply:
        stamps.append(time.monotonic())
        return Reply(body=PAGE)

    for name in "abc":
        server.route(f"/{name}", page)
    fetch_all([server.url(f"/{name}") for name in "abc"], settings(per_host_concurrency=3))
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    assert len(stamps) == 3 and all(gap >= 0.45 for gap in gaps)


def test_crawl_delay_is_capped_by_the_setting(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 3600\n"))
    server.route("/a", Reply(body=PAGE))
    server.route("/b", Reply(body=PAGE))
    started = time.monotonic()
    fetch_all([server.url("/a"), server.url("/b")], settings(max_crawl_delay=0.3))
    assert 0.25 <= time.monotonic() - started < 3


def test_per_host_concurrency_is_respected(server: LocalServer) -> None:
    in_flight = [0]
    peak = [0]

    def slow(_handler: object) -> Reply:
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.2)
        in_flight[0] -= 1
        return Reply(body=PAGE)

    for index in range(6):
        server.route(f"/p{index}", slow)
    fetch_all([server.url(f"/p{index}") for index in range(6)], settings(per_host_concurrency=2))
    assert peak[0] == 2


def _resolver(host: str) -> list[str]:
    return ["10.0.0.7"] if host == "internal.example" else ["127.0.0.1"]


def _test_server_only(address: str) -> bool:
    """The address check for these tests: the test server passes as public, nothing else."""
    return address == "127.0.0.1"


def test_a_redirect_to_a_private_address_is_refused(server: LocalServer) -> None:
    server.route("/go", Reply(302, headers={"Location": "http://internal.example/admin"}))
    [result] = fetch_all([server.url("/go")], settings(allow_private_addresses=False), True)
    assert isinstance(result, BlockedURL) and "internal.example" in str(result)


def test_robots_and_sitemap_urls_pass_the_same_guard(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(body=b"Sitemap: http://internal.example/sitemap.xml\n"))

    async def go() -> object:
        fetcher = Fetcher(settings(allow_private_addresses=False), _resolver, _test_server_only)
        async with fetcher:
            return await discover(fetcher, PollTarget(server.url("/"), "sitemap"))

    found = asyncio.run(go())
    assert found.error is None  # type: ignore[attr-defined]
    [(url, error)] = found.failures  # type: ignore[attr-defined]
    assert url == "http://internal.example/sitemap.xml" and isinstance(error, BlockedURL)


@pytest.mark.parametrize("url", ["ftp://news.example/feed", "file:///etc/passwd", "gopher://x/"])
def test_sources_and_robots_refuse_other_schemes(url: str) -> None:
    async def go() -> object:
        async with Fetcher(settings()) as fetcher:
            return await discover(fetcher, PollTarget(url, "feed"))

    found = asyncio.run(go())
    assert isinstance(found.error, BlockedURL)  # type: ignore[attr-defined]


def test_a_redirect_into_a_disallowed_path_is_refused(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    server.route("/go", Reply(302, headers={"Location": "/private/page"}))
    server.route("/private/page", Reply(body=PAGE))
    [result] = fetch_all([server.url("/go")], settings())
    assert isinstance(result, BlockedURL) and "/private/page" in str(result)
    assert server.hits.get("/private/page") is None
