"""The address guard: which addresses pass, and that the address checked is the one connected to.

Two real servers share a port: a "public" one on 127.0.0.2 and a "private" one on 127.0.0.1
(which `localhost` resolves to). The fetcher is given a check that passes only 127.0.0.2, so
any request that reaches the private server went to an address the check refused.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.errors import BlockedURL, FetchError, UnknownHost
from ingest.guard import is_public_address
from ingest.http import Fetcher, FetchResult, Resolver
from ingest.settings import Settings
from tests.conftest import LocalServer, Reply

PAGE = b"<html><body><p>Stellantis bouwt in Zaragoza.</p></body></html>"
PUBLIC, PRIVATE = "127.0.0.2", "127.0.0.1"


@pytest.mark.parametrize(
    "address",
    [
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "100.127.255.254",
        "192.0.0.9",  # IETF protocol assignments
        "192.0.0.170",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",  # cloud metadata
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.1",
        "198.18.0.1",
        "192.0.2.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fec0::1",
        "ff0e::1",
        "2001:db8::1",
        "3fff::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "::ffff:100.64.0.1",
        "::127.0.0.1",  # IPv4-compatible (deprecated)
        "::ffff:0:7f00:1",  # IPv4-translated
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2002:6440:1::1",  # 6to4 of 100.64.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::c000:9",  # NAT64 of 192.0.0.9
        "64:ff9b:1::808:808",  # local-use NAT64: where the IPv4 part sits is not known
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:0:a00:1:8000:63bf:80ff:fffe",  # Teredo with server 10.0.0.1, client 127.0.0.1
        "not an address",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "2a00:1450:4007:80c::200e",
        "::ffff:8.8.8.8",
        "2002:808:808::1",  # 6to4 of a public address
        "64:ff9b::808:808",  # NAT64 of a public address
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(address)


def _public_server_only(address: str) -> bool:
    return address == PUBLIC


@pytest.fixture
def servers() -> Iterator[tuple[LocalServer, LocalServer]]:
    """The public and the private server, on the same port."""
    for _ in range(5):
        public = LocalServer(PUBLIC)
        try:
            private = LocalServer(PRIVATE, public.port)
        except OSError:  # the port is taken on 127.0.0.1: try another
            public.close()
            continue
        yield public, private
        public.close()
        private.close()
        return
    pytest.fail("no port free on both loopback addresses")


def settings(**overrides: object) -> Settings:
    base = {
        "allow_private_addresses": False,
        "respect_robots": False,
        "backoff_base": 0.01,
        "per_host_delay": 0.0,
        "max_retries": 0,
    }
    return Settings(**{**base, **overrides})  # type: ignore[arg-type]


def fetch_all(urls: list[str], resolver: Resolver, **overrides: object) -> list[object]:
    async def go() -> list[object]:
        fetcher = Fetcher(settings(**overrides), resolver, _public_server_only)
        async with fetcher:
            return [await _result(fetcher, url) for url in urls]

    return asyncio.run(go())


async def _result(fetcher: Fetcher, url: str) -> object:
    try:
        return await fetcher.fetch(url)
    except FetchError as exc:
        return exc


def test_a_name_that_rebinds_never_reaches_the_private_address(
    servers: tuple[LocalServer, LocalServer],
) -> None:
    public, private = servers
    for server in servers:  # every response closes its connection: each fetch resolves anew
        server.route("/a", Reply(body=PAGE, headers={"Connection": "close"}))
    answers = iter([[PUBLIC]])
    asked: list[str] = []

    def rebinding(host: str) -> list[str]:
        asked.append(host)
        return next(answers, [PRIVATE])

    # `localhost` is 127.0.0.1 for the system resolver: a fetcher that checked one answer and
    # let httpx resolve the name again would connect to the private server.
    first, second = fetch_all([public.url("/a", "localhost")] * 2, rebinding)
    assert isinstance(first, FetchResult) and "Stellantis" in first.text
    assert isinstance(second, BlockedURL) and "127.0.0.1" in str(second)
    assert asked == ["localhost", "localhost"]  # once per connection
    assert public.hits == {"/a": 1} and private.hits == {}


def test_one_refused_address_among_the_answers_refuses_the_host(
    servers: tuple[LocalServer, LocalServer],
) -> None:
    public, private = servers
    for server in servers:
        server.route("/a", Reply(body=PAGE))
    [result] = fetch_all([public.url("/a", "news.example")], lambda _host: [PUBLIC, PRIVATE])
    assert isinstance(result, BlockedURL) and "non-public" in str(result)
    assert public.hits == {} and private.hits == {}


@pytest.mark.parametrize("target_host", ["internal.example", PRIVATE, "[::ffff:127.0.0.1]"])
def test_redirect_targets_are_checked_when_connecting(
    servers: tuple[LocalServer, LocalServer], target_host: str
) -> None:
    public, private = servers
    public.route("/go", Reply(302, headers={"Location": private.url("/admin", target_host)}))
    private.route("/admin", Reply(body=PAGE))

    def resolver(host: str) -> list[str]:
        return [PRIVATE] if host == "internal.example" else [PUBLIC]

    [result] = fetch_all([public.url("/go", "news.example")], resolver, respect_robots=True)
    assert isinstance(result, BlockedURL) and "non-public" in str(result)
    assert public.hits == {"/robots.txt": 1, "/go": 1} and private.hits == {}


def test_a_host_that_does_not_resolve_is_reported_as_such() -> None:
    def failing(host: str) -> list[str]:
        raise OSError(f"no such host {host}")

    [gone] = fetch_all(["http://gone.example/a"], failing, respect_robots=True)
    [empty] = fetch_all(["http://empty.example/a"], lambda _host: [], respect_robots=True)
    # The page's error, not "robots.txt unavailable".
    assert isinstance(gone, UnknownHost) and "cannot resolve gone.example" in str(gone)
    assert isinstance(empty, UnknownHost) and "empty.example resolves to no address" in str(empty)


def test_allowing_private_addresses_still_connects_to_the_resolved_address(
    servers: tuple[LocalServer, LocalServer],
) -> None:
    public, private = servers
    seen_hosts: list[str] = []

    def page(handler: object) -> Reply:
        seen_hosts.append(handler.headers["Host"])  # type: ignore[attr-defined]
        return Reply(body=PAGE)

    private.route("/a", page)
    url = private.url("/a", "news.example")
    [result] = fetch_all([url], lambda _host: [PRIVATE], allow_private_addresses=True)
    assert isinstance(result, FetchResult) and result.final_url == url
    assert seen_hosts == [f"news.example:{private.port}"] and public.hits == {}


def test_the_system_resolver_reaches_a_local_server_when_allowed(server: LocalServer) -> None:
    server.route("/a", Reply(body=PAGE))

    async def go() -> FetchResult:
        async with Fetcher(settings(allow_private_addresses=True)) as fetcher:
            return await fetcher.fetch(server.url("/a", "localhost"))

    assert "Stellantis" in asyncio.run(go()).text


# -- TLS: the certificate and SNI are those of the host name, not of the address ----------


def _certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` and its key, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt"),
            *("ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"),
            *("-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _tls_server(cert: Path, key: Path, names: list[str | None]) -> LocalServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def record(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = record
    return LocalServer(PUBLIC, tls=context)


@pytest.mark.parametrize("certified", ["news.example", "other.example"])
def test_tls_checks_the_certificate_of_the_host_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certified: str
) -> None:
    cert, key = _certificate(tmp_path, certified)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted as a CA by the fetcher
    names: list[str | None] = []
    server = _tls_server(cert, key, names)
    try:
        seen_hosts: list[str] = []

        def page(handler: object) -> Reply:
            seen_hosts.append(handler.headers["Host"])  # type: ignore[attr-defined]
            return Reply(body=PAGE)

        server.route("/a", page)
        [result] = fetch_all([server.url("/a", "news.example")], lambda _host: [PUBLIC])
    finally:
        server.close()
    assert names == ["news.example"]  # SNI
    if certified == "news.example":
        assert isinstance(result, FetchResult) and "Stellantis" in result.text
        assert seen_hosts == [f"news.example:{server.port}"]
    else:
        assert isinstance(result, FetchError) and "CERTIFICATE_VERIFY_FAILED" in str(result)
        assert seen_hosts == []
