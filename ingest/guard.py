"""The address guard: which addresses may be fetched, checked on the address connected to.

The transport resolves a host once per connection, checks every address it resolves to and
connects to a checked address, so a name that resolves differently a moment later (DNS
rebinding) cannot lead a connection anywhere the check did not see. The Host header, TLS
SNI and the certificate check keep the host name of the URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Iterable

import httpcore
import httpx

from ingest.errors import BlockedURL, UnknownHost

Resolver = Callable[[str], list[str]]
AddressCheck = Callable[[str], bool]

# Ranges that `is_global` lets through on some Python versions but no web server lives in:
# IETF protocol assignments, IPv4-compatible IPv6 (deprecated), SIIT IPv4-translated
# addresses, IPv6 documentation (RFC 9637), and the local-use NAT64 prefix, whose IPv4 part
# sits where the local translator's prefix length puts it and so cannot be checked.
_ALSO_BLOCKED = tuple(
    ipaddress.ip_network(network)
    for network in ("192.0.0.0/24", "::/96", "::ffff:0:0:0/96", "3fff::/20", "64:ff9b:1::/48")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits


def system_resolver(host: str) -> list[str]:
    """All addresses `host` resolves to."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def _translated(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a connection to `ip` really goes to: IPv4-mapped or NAT64."""
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.ipv4_mapped


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses a tunnelled IPv6 address carries: 6to4 and Teredo."""
    found = [ip.sixtofour, *(ip.teredo or ())]
    return [address for address in found if address is not None]


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses. An IPv4-mapped or NAT64
    (64:ff9b::/96) address is judged by the IPv4 address it reaches; a 6to4 or Teredo address
    needs the IPv4 addresses it carries to be public too."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and (ipv4 := _translated(ip)) is not None:
        return is_public_address(str(ipv4))
    if (
        not ip.is_global
        or ip.is_multicast
        or ip.is_reserved
        or any(ip in network for network in _ALSO_BLOCKED)
    ):
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        return not ip.is_site_local and all(
            is_public_address(str(inner)) for inner in _embedded_ipv4(ip)
        )
    return True


def _literal(host: str) -> str | None:
    """`host` when it is an IP address already (httpcore hands IPv6 without brackets)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections to addresses that were resolved once and passed the check."""

    def __init__(self, resolver: Resolver, check: AddressCheck | None) -> None:
        self.resolver = resolver
        self.check = check  # None allows every address
        self.inner = httpcore.AnyIOBackend()

    async def addresses(self, host: str, timeout: float | None) -> list[str]:
        """The checked addresses to connect to for `host`; BlockedURL when any is refused."""
        if (literal := _literal(host)) is not None:
            addresses = [literal]
        else:
            try:
                async with asyncio.timeout(timeout):
                    addresses = await asyncio.to_thread(self.resolver, host)
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
            except OSError as exc:
                raise UnknownHost(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise UnknownHost(f"{host} resolves to no address")
        if self.check is not None:
            blocked = [address for address in addresses if not self.check(address)]
            if blocked:
                what = "is" if literal else f"resolves to ({', '.join(blocked)})"
                raise BlockedURL(
                    f"{host} {what} a non-public address; use --allow-private-addresses to fetch it"
                )
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the first checked address of `host` that answers."""
        error: Exception | None = None
        for address in await self.addresses(host, timeout):
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedURL("Unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, connecting through a GuardedBackend.

    Proxies are not used: behind one, the address connected to is the proxy's. CA
    certificates come from certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set.
    """

    def __init__(self, resolver: Resolver, check: AddressCheck | None) -> None:
        ssl_context = httpx.create_ssl_context()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(verify=ssl_context, limits=limits)
        # httpx builds its httpcore pool without a way to pass a network backend; this is
        # the same pool with the backend added.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(resolver, check),
        )
