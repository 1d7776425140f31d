"""Fetch-stage throughput and memory against a local server with injected latency.

Serves generated ~20 KB pages from a separate process, each answer delayed 50-200 ms, and
fetches them through the real Fetcher (robots.txt, per-host gates, size caps, decoding) at
several concurrency settings. Each measurement runs in a fresh process so its peak RSS is
its own. Prints pages/s per setting, then peak memory for a small and a large page count
(it must not grow with the number of pages).

    .venv/bin/python bench/fetch.py [--pages 2000] [--concurrency 8,32,64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import resource
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE_BYTES = 20_000


def serve(port_queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """A threaded HTTP server answering every path after 50-200 ms."""
    filler = ("Lorem ipsum automobiel fabriek export verkoop " * 500).encode()[:PAGE_BYTES]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(random.uniform(0.05, 0.2))
            if self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            else:
                body = (
                    b"<html><body><p>" + self.path.encode() + b"</p>" + filler + b"</body></html>"
                )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    httpd = Server(("127.0.0.1", 0), Handler)
    port_queue.put(httpd.server_address[1])
    httpd.serve_forever()


async def fetch_pages(port: int, pages: int, concurrency: int) -> int:
    """Fetch `pages` pages with `concurrency` workers; returns how many succeeded."""
    from ingest.http import Fetcher
    from ingest.settings import Settings

    settings = Settings(
        allow_private_addresses=True,
        concurrency=concurrency,
        per_host_concurrency=concurrency,
        per_host_delay=0.0,
        max_retries=1,
    )
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(pages):
        queue.put_nowait(index)
    ok = 0

    async with Fetcher(settings) as fetcher:

        async def worker() -> None:
            nonlocal ok
            while not queue.empty():
                index = queue.get_nowait()
                result = await fetcher.fetch(f"http://127.0.0.1:{port}/article/{index}")
                ok += len(result.text) > PAGE_BYTES // 2

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ok


def measure(port: int, pages: int, concurrency: int) -> dict[str, float]:
    """Run one measurement in a fresh interpreter and return its figures."""
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(port), str(pages), str(concurrency)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(output))


def main() -> None:
    """Time fetching from a local server and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", default="8,32,64")
    parser.add_argument("--measure", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        port, pages, concurrency = args.measure
        started = time.perf_counter()
        ok = asyncio.run(fetch_pages(port, pages, concurrency))
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"ok": ok, "seconds": seconds, "peak_mb": peak_mb}))
        return

    port_queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(port_queue,), daemon=True)
    server.start()
    port = port_queue.get(timeout=10)
    try:
        print(f"fetch stage: {args.pages} pages of ~{PAGE_BYTES // 1000} KB, latency 50-200 ms")
        header = ("concurrency", "pages", "ok", "seconds", "pages/s", "peak MB")
        print("{:>11} {:>6} {:>6} {:>8} {:>8} {:>8}".format(*header))
        for concurrency in (int(value) for value in args.concurrency.split(",")):
            figures = measure(port, args.pages, concurrency)
            print(
                f"{concurrency:>11} {args.pages:>6} {figures['ok']:>6.0f} "
                f"{figures['seconds']:>8.1f} {args.pages / figures['seconds']:>8.1f} "
                f"{figures['peak_mb']:>8.1f}"
            )
        concurrency = 32
        small, large = args.pages // 4, args.pages * 2
        memory = {pages: measure(port, pages, concurrency)["peak_mb"] for pages in (small, large)}
        print(
            f"peak memory at concurrency {concurrency}: {memory[small]:.1f} MB for {small} pages, "
            f"{memory[large]:.1f} MB for {large} pages"
        )
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
