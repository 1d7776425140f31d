"""Parsing feeds, sitemaps and URL lists, including hostile and broken XML."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from ingest.errors import FeedError, TooLarge
from ingest.sources import (
    guess_kind,
    gunzip_capped,
    parse_feed,
    parse_sitemap,
    parse_url_list,
    uses_robots_sitemaps,
)

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example/a</loc><lastmod>2026-11-20T10:00:00+01:00</lastmod></url>
  <url><loc>/b</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/s1.xml</loc><lastmod>2026-11-01</lastmod></sitemap>
  <sitemap><loc>https://news.example/s2.xml.gz</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/chery-export</loc>
    <news:news><news:publication><news:name>Example</news:name><news:language>nl</news:language>
    </news:publication><news:publication_date>2026-11-21</news:publication_date>
    <news:title>Chery exporteert meer</news:title></news:news></url>
</urlset>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def laughs(body: str) -> bytes:
    return LAUGHS + body.encode()


def external(secret: Path, body: str) -> bytes:
    doctype = f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    return doctype.encode() + body.encode()


def test_urlset_with_relative_locations_and_lastmod() -> None:
    sitemap = parse_sitemap(URLSET, "https://news.example/sitemap.xml")
    assert [entry.url for entry in sitemap.entries] == [
        "https://news.example/a",
        "https://news.example/b",
    ]
    assert sitemap.entries[0].modified_at is not None
    assert sitemap.entries[0].modified_at.isoformat() == "2026-11-20T10:00:00+01:00"
    assert sitemap.children == []


def test_sitemap_index_lists_child_sitemaps() -> None:
    sitemap = parse_sitemap(INDEX, "https://news.example/sitemap.xml")
    assert [child.url for child in sitemap.children] == [
        "https://news.example/s1.xml",
        "https://news.example/s2.xml.gz",
    ]
    assert sitemap.entries == []


def test_google_news_sitemap_gives_title_and_date() -> None:
    [entry] = parse_sitemap(NEWS, "https://news.example/news.xml").entries
    assert entry.title == "Chery exporteert meer" and entry.published == "2026-11-21"
    assert entry.modified_at is not None and entry.modified_at.year == 2026


def test_gzipped_sitemap_is_inflated_within_the_cap() -> None:
    assert gunzip_capped(gzip.compress(URLSET), 10_000) == URLSET
    assert gunzip_capped(URLSET, 10) == URLSET  # not gzip: unchanged
    with pytest.raises(TooLarge):
        gunzip_capped(gzip.compress(b"0" * 5_000_000), 100_000)


@pytest.mark.parametrize(
    "body",
    [b"<urlset><url><loc>https://x/a</loc>", b"not xml at all", b"<html><body>hi</body></html>"],
)
def test_broken_sitemaps_raise_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_sitemap(body, "https://news.example/sitemap.xml")


def test_sitemap_entity_expansion_is_refused() -> None:
    body = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol9;</loc></url></urlset>'
    with pytest.raises(FeedError, match="refused hostile XML"):
        parse_sitemap(laughs(body), "https://news.example/sitemap.xml")


def test_sitemap_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://attacker.example/leak")
    body = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>'
    with pytest.raises(FeedError, match="refused hostile XML"):
        parse_sitemap(external(secret, body), "https://news.example/sitemap.xml")


def test_feed_entity_expansion_is_refused() -> None:
    body = '<rss version="2.0"><channel><title>&lol9;</title><item><link>https://x/a</link></item></channel></rss>'
    with pytest.raises(FeedError, match="refused hostile XML"):
        parse_feed(laughs(body), "https://news.example/feed.xml")


def test_feed_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://attacker.example/leak")
    body = (
        '<rss version="2.0"><channel><title>t</title>'
        "<item><link>&xxe;</link></item></channel></rss>"
    )
    with pytest.raises(FeedError, match="refused hostile XML"):
        parse_feed(external(secret, body), "https://news.example/feed.xml")


def test_rss_091_doctype_without_entities_is_still_read() -> None:
    body = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b'<rss version="0.91"><channel><title>t</title>'
        b"<item><title>a</title><link>https://news.example/a</link></item></channel></rss>"
    )
    assert [entry.url for entry in parse_feed(body, "https://news.example/feed")] == [
        "https://news.example/a"
    ]


def test_broken_feed_raises_feed_error() -> None:
    with pytest.raises(FeedError, match="not a valid feed"):
        parse_feed(b"<rss><channel><item><link>", "https://news.example/feed.xml")


def test_url_list_skips_comments_blank_lines_and_other_schemes() -> None:
    text = "# articles\nhttps://news.example/a\n\n/b\nmailto:x@example.org\n"
    assert [entry.url for entry in parse_url_list(text, "https://news.example/list.txt")] == [
        "https://news.example/a",
        "https://news.example/b",
    ]


@pytest.mark.parametrize(
    ("url", "kind", "robots"),
    [
        ("https://news.example/", "sitemap", True),
        ("https://news.example/robots.txt", "sitemap", True),
        ("https://news.example/sitemap_news.xml", "sitemap", False),
        ("https://news.example/urls.txt", "urls", False),
        ("https://news.example/rss/auto", "feed", False),
    ],
)
def test_kind_is_guessed_from_the_url(url: str, kind: str, robots: bool) -> None:
    assert guess_kind(url) == kind
    assert uses_robots_sitemaps(url) is robots
