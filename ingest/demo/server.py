"""Serve the sample site (an RSS feed and its articles) on 127.0.0.1, ephemeral port."""

from __future__ import annotations

import threading
import tomllib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

SITE_DIR = Path(__file__).resolve().parent / "site"


@dataclass(frozen=True)
class SampleArticle:
    """One article of the sample site, as listed in its manifest."""

    slug: str
    file: str
    lang: str
    title: str
    published: datetime
    author: str
    summary: str


def load_manifest(site_dir: Path = SITE_DIR) -> list[SampleArticle]:
    """The articles listed in the site's manifest."""
    with (site_dir / "manifest.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return [
        SampleArticle(
            slug=item["slug"],
            file=item["file"],
            lang=item["lang"],
            title=item["title"],
            published=datetime.fromisoformat(item["published"]),
            author=item["author"],
            summary=item["summary"],
        )
        for item in data["article"]
    ]


def render_feed(articles: list[SampleArticle], base_url: str) -> str:
    """An RSS 2.0 document listing the articles, newest first."""
    items = []
    for article in sorted(articles, key=lambda a: a.published, reverse=True):
        link = f"{base_url}/news/{article.slug}.html"
        items.append(
            "<item>"
            f"<title>{escape(article.title)}</title>"
            f"<link>{escape(link)}</link>"
            f'<guid isPermaLink="true">{escape(link)}</guid>'
            f"<pubDate>{format_datetime(article.published)}</pubDate>"
            f"<description>{escape(article.summary)}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>newsfacts sample automotive news</title>"
        f"<link>{escape(base_url)}/</link>"
        "<description>Sample trade-press articles for the newsfacts demo</description>"
        + "".join(items)
        + "</channel></rss>\n"
    )


class DemoSite:
    """A running sample site; use as a context manager."""

    def __init__(self, site_dir: Path = SITE_DIR, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site_dir = site_dir
        self.articles = load_manifest(site_dir)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = site.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Stay quiet: the CLI reports progress."""

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def feed_url(self) -> str:
        """The RSS feed listing every article."""
        return f"{self.base_url}/feed.xml"

    def respond(self, path: str) -> tuple[int, str, bytes]:
        """Status, content type and body for a request path."""
        path = path.split("?", 1)[0]
        if path == "/feed.xml":
            feed = render_feed(self.articles, self.base_url)
            return 200, "application/rss+xml; charset=utf-8", feed.encode("utf-8")
        for article in self.articles:
            if path == f"/news/{article.slug}.html":
                page = (self.site_dir / "articles" / article.file).read_bytes()
                return 200, "text/html; charset=utf-8", page
        if path == "/":
            links = "".join(
                f'<li><a href="/news/{a.slug}.html">{escape(a.title)}</a></li>'
                for a in self.articles
            )
            return 200, "text/html; charset=utf-8", f"<ul>{links}</ul>".encode()
        return 404, "text/plain; charset=utf-8", b"not found"

    def __enter__(self) -> DemoSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
