"""The fetcher against a real local server that misbehaves on purpose."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import socket
import time
from collections.abc import Iterator
from email.utils import formatdate

import pytest

from ingest.errors import BlockedURL, FetchError, HTTPStatusError, TooLarge, UnsupportedContent
from ingest.http import Fetcher, FetchResult, parse_retry_after
from ingest.settings import Settings
from tests.conftest import LocalServer, Reply

FRENCH = (
    "<html><head><title>Usine</title></head><body><p>L'usine de Forest a fermé.</p></body></html>"
)


def settings(**overrides: object) -> Settings:
    base = {
        "allow_private_addresses": True,
        "backoff_base": 0.01,
        "per_host_delay": 0.0,
        "max_retries": 3,
    }
    return Settings(**{**base, **overrides})  # type: ignore[arg-type]


def fetch(url: str, **overrides: object) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings(**overrides)) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(go())


def test_plain_page(server: LocalServer) -> None:
    server.route("/a", Reply(body=FRENCH.encode()))
    result = fetch(server.url("/a"))
    assert result.status == 200 and "L'usine de Forest" in result.text


def test_retries_5xx_then_succeeds(server: LocalServer) -> None:
    replies = iter([Reply(500), Reply(503), Reply(body=FRENCH.encode())])
    server.route("/flaky", lambda _h: next(replies))
    result = fetch(server.url("/flaky"))
    assert result.attempts == 3 and server.hits["/flaky"] == 3


def test_gives_up_after_the_configured_retries(server: LocalServer) -> None:
    server.route("/down", Reply(502))
    with pytest.raises(HTTPStatusError) as info:
        fetch(server.url("/down"), max_retries=2)
    assert info.value.status == 502 and server.hits["/down"] == 3


def test_404_is_not_retried(server: LocalServer) -> None:
    with pytest.raises(HTTPStatusError):
        fetch(server.url("/missing"))
    assert server.hits["/missing"] == 1


def test_429_waits_for_retry_after(server: LocalServer) -> None:
    replies = iter([Reply(429, headers={"Retry-After": "1"}), Reply(body=FRENCH.encode())])
    server.route("/busy", lambda _h: next(replies))
    started = time.monotonic()
    fetch(server.url("/busy"))
    assert time.monotonic() - started >= 0.9


def test_retry_after_as_http_date() -> None:
    in_two_seconds = formatdate(time.time() + 2, usegmt=True)
    assert 0.5 <= (parse_retry_after(in_two_seconds) or 0) <= 2.5
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("soon") is None


def test_read_timeout_is_retried_then_reported(server: LocalServer) -> None:
    server.route("/slow", Reply(body=b"late", delay=1.5))
    with pytest.raises(FetchError, match="attempts"):
        fetch(server.url("/slow"), read_timeout=0.3, max_retries=1)


def test_body_cap_is_enforced_while_streaming(server: LocalServer) -> None:
    server.route("/huge", Reply(body=b"<p>" + b"x" * 300_000, headers={"Content-Length": ""}))
    with pytest.raises(TooLarge):
        fetch(server.url("/huge"), max_body_bytes=100_000)


def test_gzip_bomb_is_stopped_by_the_decompressed_size(server: LocalServer) -> None:
    bomb = gzip.compress(b"<p>" + b"0" * 50_000_000)
    assert len(bomb) < 100_000
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(TooLarge, match="decompressed"):
        fetch(server.url("/bomb"), max_body_bytes=1_000_000)


def test_non_html_is_skipped(server: LocalServer) -> None:
    server.route("/file.pdf", Reply(body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}))
    with pytest.raises(UnsupportedContent, match="application/pdf"):
        fetch(server.url("/file.pdf"))


def test_redirect_loop_is_detected(server: LocalServer) -> None:
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(server.url("/a"))


def test_redirects_are_followed_up_to_the_limit(server: LocalServer) -> None:
    for index in range(4):
        server.route(f"/r{index}", Reply(301, headers={"Location": f"/r{index + 1}"}))
    server.route("/r4", Reply(body=FRENCH.encode()))
    assert fetch(server.url("/r0")).final_url.endswith("/r4")
    with pytest.raises(FetchError, match="redirects"):
        fetch(server.url("/r0"), max_redirects=2)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        # Latin-1 bytes, no charset anywhere.
        (
            "<html><body><p>Citroën a livré des véhicules à Bruxelles</p></body></html>".encode(
                "latin-1"
            ),
            "text/html",
        ),
        # UTF-8 bytes declared as ISO-8859-1.
        (
            "<html><body><p>Citroën a livré des véhicules à Bruxelles</p></body></html>".encode(),
            "text/html; charset=iso-8859-1",
        ),
        # windows-1252 declared in a meta tag only.
        (
            (
                '<html><head><meta charset="windows-1252"></head><body><p>Citroën a livré des '
                "véhicules à Bruxelles</p></body></html>"
            ).encode("cp1252"),
            "text/html",
        ),
    ],
)
def test_missing_or_wrong_charset_is_decoded_correctly(
    server: LocalServer, body: bytes, content_type: str
) -> None:
    server.route("/enc", Reply(body=body, headers={"Content-Type": content_type}))
    assert "Citroën a livré des véhicules à Bruxelles" in fetch(server.url("/enc")).text


def test_only_http_and_https() -> None:
    with pytest.raises(BlockedURL, match="only http"):
        fetch("file:///etc/passwd")


@pytest.mark.parametrize(
    "address",
    [
        *("10.1.2.3", "192.168.0.10", "127.0.0.1", "169.254.169.254", "::1", "224.0.0.1"),
        *("fd00::1", "100.64.0.1", "192.0.0.9", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1"),
    ],
)
def test_private_addresses_are_refused_without_sending_traffic(address: str) -> None:
    async def go() -> None:
        fetcher = Fetcher(settings(allow_private_addresses=False), resolver=lambda _h: [address])
        async with fetcher:
            await fetcher.fetch("http://news.example/article")

    with pytest.raises(BlockedURL, match="non-public"):
        asyncio.run(go())


@pytest.fixture
def unaccepting_port() -> Iterator[int]:
    """A port whose listen queue is full: connecting to it hangs until the connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.1)
    yield port
    for sock in [*fillers, listener]:
        sock.close()


def test_connect_timeout_is_retried_then_reported(unaccepting_port: int) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"ConnectTimeout after 2 attempts"):
        fetch(f"http://127.0.0.1:{unaccepting_port}/a", connect_timeout=0.3, max_retries=1)
    assert time.monotonic() - started < 5


def test_refused_connection_is_retried_then_reported() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more
    with pytest.raises(FetchError, match=r"ConnectError after 3 attempts"):
        fetch(f"http://127.0.0.1:{port}/a", max_retries=2)


def test_total_timeout_stops_a_body_that_never_ends(server: LocalServer) -> None:
    # A byte every 0.1 s never trips the read timeout; only the total timeout ends it, and a
    # stalled body is not retried.
    server.route("/drip", Reply(body=b"<p>" + b"x" * 10_000, trickle=0.1, chunk=1))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"total_timeout of 0.8 s reached while reading the body"):
        fetch(server.url("/drip"), read_timeout=1.0, total_timeout=0.8, max_retries=3)
    assert time.monotonic() - started < 2 and server.hits["/drip"] == 1


def test_a_body_that_stops_coming_is_not_retried(server: LocalServer) -> None:
    # Headers and the first bytes, then nothing until the server is closed.
    server.route("/stall", Reply(body=b"<p>" + b"x" * 10_000, trickle=600, chunk=100))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"ReadTimeout while reading the body \(attempt 1;"):
        fetch(server.url("/stall"), read_timeout=0.5, max_retries=3)
    assert time.monotonic() - started < 2 and server.hits["/stall"] == 1


def test_url_timeout_ends_the_retries(server: LocalServer) -> None:
    # Each attempt times out waiting for the headers and is retried, until url_timeout.
    server.route("/slow", Reply(body=b"late", delay=5))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"Timeout\w* after \d attempts: .*url_timeout"):
        fetch(server.url("/slow"), read_timeout=0.4, max_retries=20, url_timeout=1.5)
    assert 1.2 < time.monotonic() - started < 2.5
    assert 2 <= server.hits["/slow"] <= 4


def test_url_timeout_also_ends_a_response_in_progress(server: LocalServer) -> None:
    server.route("/drip", Reply(body=b"<p>" + b"x" * 10_000, trickle=0.1, chunk=1))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"url_timeout of 0.6 s reached while reading the body"):
        fetch(server.url("/drip"), total_timeout=30, url_timeout=0.6)
    assert time.monotonic() - started < 1.5


def test_a_retry_after_beyond_url_timeout_gives_up_at_once(server: LocalServer) -> None:
    server.route("/busy", Reply(503, headers={"Retry-After": "30"}))
    started = time.monotonic()
    with pytest.raises(HTTPStatusError, match=r"gave up after 1 attempt; .*url_timeout \(5 s\)"):
        fetch(server.url("/busy"), url_timeout=5, backoff_max=60)
    assert time.monotonic() - started < 1 and server.hits["/busy"] == 1


def test_waiting_for_a_turn_at_the_host_does_not_count(server: LocalServer) -> None:
    server.route("/a", Reply(body=FRENCH.encode(), delay=0.4))

    async def go() -> list[FetchResult]:
        async with Fetcher(settings(per_host_concurrency=1, url_timeout=1.0)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(server.url("/a")) for _ in range(6)))

    started = time.monotonic()
    results = asyncio.run(go())
    assert time.monotonic() - started > 2.0  # the last one waited over twice its url_timeout
    assert [result.status for result in results] == [200] * 6


def test_408_is_retried(server: LocalServer) -> None:
    replies = iter([Reply(408), Reply(body=FRENCH.encode())])
    server.route("/timeout", lambda _h: next(replies))
    assert fetch(server.url("/timeout")).attempts == 2


def test_retry_after_http_date_is_waited_for(server: LocalServer) -> None:
    def busy(_handler: object) -> Reply:
        if server.hits["/busy"] == 1:
            return Reply(503, headers={"Retry-After": formatdate(time.time() + 2, usegmt=True)})
        return Reply(body=FRENCH.encode())

    server.route("/busy", busy)
    started = time.monotonic()
    fetch(server.url("/busy"))
    assert time.monotonic() - started >= 0.9  # an HTTP date has one-second resolution


def test_giving_up_says_why(server: LocalServer) -> None:
    server.route("/down", Reply(503))
    with pytest.raises(HTTPStatusError, match=r"HTTP 503 .* \(gave up after 3 attempts\)"):
        fetch(server.url("/down"), max_retries=2)


def test_backoff_grows_exponentially_with_jitter() -> None:
    fetcher = Fetcher(settings(backoff_base=1.0, backoff_max=60.0))
    for attempt in (1, 2, 3, 4):
        ceiling = 2 ** (attempt - 1)
        delays = {fetcher._backoff(attempt, None) for _ in range(20)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jittered
    assert fetcher._backoff(9, None) <= 60.0
    assert fetcher._backoff(1, 500.0) == 60.0  # Retry-After is capped by backoff_max
