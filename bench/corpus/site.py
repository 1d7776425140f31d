"""Serve a generated corpus on 127.0.0.1: RSS feeds of FEED_SIZE items and the articles."""

from __future__ import annotations

import contextlib
import re
import threading
from email.utils import format_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from bench.corpus.articles import (
    MAX_WORDS,
    MIN_WORDS,
    CorpusArticle,
    article_path,
    build_article,
)

FEED_SIZE = 100
_ARTICLE_PATH = re.compile(r"/news/[a-z]{2}-(\d{5})\.html")
_FEED_PATH = re.compile(r"/feeds/(\d+)\.xml")


class CorpusSite:
    """`total` generated articles behind `feed_urls`; use as a context manager.

    `delay` holds every article response back that many seconds (feeds answer at once).
    """

    def __init__(
        self,
        total: int,
        words: tuple[int, int] = (MIN_WORDS, MAX_WORDS),
        delay: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.total = total
        self.words = words
        self.delay = delay
        self.hits = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.hits += 1
                status, content_type, body = site.respond(self.path)
                if site.delay and "/news/" in self.path:
                    threading.Event().wait(site.delay)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._article = lru_cache(maxsize=256)(self._build)
        self._bodies: dict[int, bytes] = {}

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def feed_urls(self) -> list[str]:
        """One feed per FEED_SIZE articles."""
        count = (self.total + FEED_SIZE - 1) // FEED_SIZE
        return [f"{self.base_url}/feeds/{k}.xml" for k in range(count)]

    def url(self, index: int) -> str:
        """The address of article `index`."""
        return self.base_url + article_path(index)

    def article(self, index: int) -> CorpusArticle:
        """Article `index` as served."""
        return self._article(index)

    def prerender(self) -> None:
        """Build every article page now, so that serving them costs no CPU while a
        benchmark is timed (the ceiling, too, gets its pages ready-made)."""
        self._bodies = {
            index: self.article(index).html.encode("utf-8") for index in range(self.total)
        }

    def _build(self, index: int) -> CorpusArticle:
        return build_article(index, self.total, self.base_url, self.words)

    def feed(self, number: int) -> str:
        """RSS 2.0 document of feed `number`."""
        items = []
        for index in range(number * FEED_SIZE, min(self.total, (number + 1) * FEED_SIZE)):
            article = self.article(index)
            link = escape(self.url(index))
            items.append(
                f"<item><title>{escape(article.title)}</title><link>{link}</link>"
                f'<guid isPermaLink="true">{link}</guid>'
                f"<pubDate>{format_datetime(article.published)}</pubDate></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Benchmark feed {number}</title><link>{self.base_url}/</link>"
            "<description>Generated trade-press articles</description>"
            + "".join(items)
            + "</channel></rss>\n"
        )

    def respond(self, path: str) -> tuple[int, str, bytes]:
        """Status, content type and body for a request path."""
        path = path.split("?", 1)[0]
        if match := _ARTICLE_PATH.fullmatch(path):
            index = int(match.group(1))
            if index < self.total:
                body = self._bodies.get(index) or self.article(index).html.encode("utf-8")
                return 200, "text/html; charset=utf-8", body
        if (match := _FEED_PATH.fullmatch(path)) and int(match.group(1)) * FEED_SIZE < self.total:
            body = self.feed(int(match.group(1))).encode("utf-8")
            return 200, "application/rss+xml; charset=utf-8", body
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", b"User-agent: *\nAllow: /\n"
        return 404, "text/plain; charset=utf-8", b"not found"

    def __enter__(self) -> CorpusSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
