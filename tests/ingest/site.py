"""Pages for test sites: distinct articles (so they are not near duplicates), feeds, sitemaps."""

from __future__ import annotations

import random
import threading
import zlib

from tests.conftest import LocalServer, Reply

WORDS = [
    "auto",
    "fabriek",
    "export",
    "verkoop",
    "model",
    "elektrisch",
    "batterij",
    "merk",
    "groei",
    "markt",
    "daling",
    "prijs",
    "klant",
    "dealer",
    "werknemer",
    "productie",
    "onderzoek",
    "fabrikant",
    "levering",
    "onderdeel",
    "motor",
    "plan",
    "regering",
    "subsidie",
    "haven",
    "trein",
    "schip",
    "vrachtwagen",
    "bus",
    "fiets",
    "laadpaal",
    "netwerk",
    "software",
    "chip",
    "tekort",
    "staking",
    "loon",
    "contract",
    "investering",
    "miljoen",
    "miljard",
    "procent",
    "kwartaal",
    "jaar",
    "maand",
    "week",
    "nieuw",
    "oud",
    "snel",
    "traag",
    "groot",
    "klein",
    "sterk",
    "zwak",
    "duur",
    "goedkoop",
    "Europa",
    "China",
    "België",
    "Nederland",
    "Duitsland",
    "Frankrijk",
    "Gent",
    "Born",
    "Antwerpen",
    "Zwickau",
    "Barcelona",
]


def article_text(seed: int, words: int = 120) -> str:
    chooser = random.Random(seed)
    return " ".join(chooser.choice(WORDS) for _ in range(words)) + "."


def article_html(canonical: str, text: str, title: str = "Bericht") -> bytes:
    return (
        f'<html lang="nl"><head><title>{title}</title>'
        f'<link rel="canonical" href="{canonical}"></head><body><article><h1>{title}</h1>'
        f"<p>{text}</p></article></body></html>"
    ).encode()


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    channel = f"<channel><title>x</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def urlset(*locs: str, lastmod: str | None = None) -> bytes:
    extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    urls = "".join(f"<url><loc>{loc}</loc>{extra}</url>" for loc in locs)
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    ).encode()


def sitemap_index(*locs: str) -> bytes:
    maps = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{maps}</sitemapindex>"
    ).encode()


def serve_articles(
    server: LocalServer,
    paths: list[str],
    delay: float = 0.0,
    hold: threading.Event | None = None,
) -> None:
    """Route each path to a distinct article whose canonical URL is itself; with `hold`,
    each answers only once that event is set."""
    for index, path in enumerate(paths):
        body = article_html(server.url(path), article_text(zlib.crc32(path.encode()) + index))
        server.route(path, Reply(body=body, delay=delay, hold=hold))


XML = {"Content-Type": "application/xml"}
RSS = {"Content-Type": "application/rss+xml"}
