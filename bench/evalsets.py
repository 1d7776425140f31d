"""Readers for the evaluation sets in ../shared/data, and a local server for their pages.

The data is read at run time and never copied into the repository.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
AEB = DATA / "extraction_scrapinghub_aeb"
TRAFILATURA = DATA / "extraction_trafilatura"
FUNDUS = DATA / "extraction_fundus"
LINGUA = DATA / "langid_lingua_testdata"


@dataclass
class Page:
    """One benchmark page: raw bytes as stored upstream and its gold annotations."""

    key: str
    url: str
    html: bytes
    gold_text: str = ""
    must_have: list[str] = field(default_factory=list)
    must_not_have: list[str] = field(default_factory=list)
    gold_date: str | None = None
    lang: str | None = None


def aeb_pages() -> list[Page]:
    """The 181 pages of the Zyte article-extraction benchmark with their gold text."""
    truth = json.loads((AEB / "ground-truth.json").read_text("utf-8"))
    return [
        Page(
            key,
            item["url"],
            gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()),
            gold_text=item["articleBody"],
        )
        for key, item in sorted(truth.items())
    ]


def trafilatura_pages() -> list[Page]:
    """The trafilatura evaluation subset: segments that must and must not be extracted."""
    records = json.loads((TRAFILATURA / "evaldata_subset.json").read_text("utf-8"))
    manifest = json.loads((TRAFILATURA / "MANIFEST.json").read_text("utf-8"))
    pages = []
    for entry in manifest:
        record = records[entry["url"]]
        pages.append(
            Page(
                entry["file"],
                entry["url"],
                gzip.decompress((TRAFILATURA / entry["stored_as"]).read_bytes()),
                must_have=record["with"],
                must_not_have=record["without"],
                gold_date=record.get("date"),
                lang=entry.get("lang_detected"),
            )
        )
    return pages


def fundus_pages() -> list[Page]:
    """The Fundus parser test pages: news of many publishers and countries, as crawled."""
    manifest = json.loads((FUNDUS / "MANIFEST.json").read_text("utf-8"))
    return [
        Page(
            f"{entry['country']}/{entry['html']}",
            entry["url"],
            gzip.decompress((FUNDUS / entry["country"] / entry["html"]).read_bytes()),
            lang=entry.get("lang_detected"),
        )
        for entry in manifest
    ]


def lingua_sentences(lang: str) -> list[str]:
    """The Lingua test sentences of one language."""
    path = LINGUA / "sentences" / f"{lang}.txt"
    return [line.strip() for line in path.read_text("utf-8").split("\n") if line.strip()]


@contextmanager
def serve(pages: list[Page]) -> Iterator[dict[str, str]]:
    """Serve each page's bytes as they are on 127.0.0.1; yields page key -> URL.

    The original response headers are not part of the sets, so the pages go out as
    `text/html` without a charset and decoding relies on the page itself."""
    bodies = {f"/{index}.html": page.html for index, page in enumerate(pages)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = bodies.get(self.path.split("?", 1)[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield {page.key: f"http://{host!s}:{port}/{index}.html" for index, page in enumerate(pages)}
    finally:
        server.shutdown()
        server.server_close()
