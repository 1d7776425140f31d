"""Shared fixtures: real SQLite files, real PostgreSQL databases, a real local HTTP server."""

from __future__ import annotations

import contextlib
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _postgres_available() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL server answers at 127.0.0.1:5432 ({exc})"


PG_UNAVAILABLE = _postgres_available()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file."""
    return f"sqlite:///{tmp_path / 'newsfacts.db'}"


@contextlib.contextmanager
def _fresh_postgres_database() -> Iterator[str]:
    if PG_UNAVAILABLE:
        pytest.skip(PG_UNAVAILABLE)
    name = f"newsfacts_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    with _fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like db_url, but shared by the tests of one module (for data that is slow to load)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'newsfacts.db'}"
        return
    with _fresh_postgres_database() as url:
        yield url


@dataclass
class Reply:
    """What the test server answers for one request."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between chunks of the body: a server that sends slowly
    chunk: int = 1024
    hold: threading.Event | None = None  # answer only once this is set: a page held back


Route = Callable[[BaseHTTPRequestHandler], Reply]


class LocalServer:
    """A real HTTP server whose routes a test sets; it counts requests.

    It listens on 127.0.0.1 at a free port unless given another loopback address or port,
    and speaks HTTPS when given a TLS context. Slow bodies end when it is closed.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.closing = threading.Event()
        self.scheme = "https" if tls else "http"
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                server.hits[path] = server.hits.get(path, 0) + 1
                route = server.routes.get(path)
                reply = route(self) if route else Reply(404, b"not found")
                if reply.hold is not None:
                    reply.hold.wait()
                if reply.delay:
                    threading.Event().wait(reply.delay)
                self.send_response(reply.status)
                headers = {
                    "Content-Type": "text/html; charset=utf-8",
                    "Content-Length": str(len(reply.body)),
                    **reply.headers,
                }
                for key, value in headers.items():
                    if value:  # an empty value leaves the header out
                        self.send_header(key, value)
                if not headers["Content-Length"]:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if not reply.trickle:
                        self.wfile.write(reply.body)
                        return
                    for start in range(0, len(reply.body), reply.chunk):
                        self.wfile.write(reply.body[start : start + reply.chunk])
                        self.wfile.flush()
                        server.closing.wait(reply.trickle)

            def log_message(self, format: str, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                """Clients hanging up early is part of the tests."""

        self.httpd = QuietServer((host, port), Handler)
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str, host: str | None = None) -> str:
        """The URL of `path` on this server, by its address or by the given host name."""
        return f"{self.scheme}://{host or self.httpd.server_address[0]!s}:{self.port}{path}"

    def route(self, path: str, reply: Reply | Route) -> None:
        self.routes[path] = reply if callable(reply) else (lambda _handler: reply)

    def close(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A fresh local HTTP server."""
    local = LocalServer()
    yield local
    local.close()
