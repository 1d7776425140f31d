"""Pages whose bytes and declared charset disagree are still decoded right."""

from __future__ import annotations

import asyncio

import pytest

from ingest.http import Fetcher
from ingest.settings import Settings
from tests.conftest import LocalServer, Reply

POLISH = "Fabryka w Tychach wyprodukowała więcej samochodów niż rok wcześniej, mówią źródła. "
FRENCH = "Le chiffre d’affaires atteint 95 millions € – « un record », selon Renault. "


def fetch_text(server: LocalServer, body: bytes, content_type: str) -> str:
    server.route("/page", Reply(body=body, headers={"Content-Type": content_type}))

    async def go() -> str:
        settings = Settings(allow_private_addresses=True, per_host_delay=0.0)
        async with Fetcher(settings) as fetcher:
            return (await fetcher.fetch(server.url("/page"))).text

    return asyncio.run(go())


def test_utf8_page_with_one_broken_byte_stays_utf8(server: LocalServer) -> None:
    html = f'<html><head><meta charset="utf-8"></head><body><p>{POLISH * 20}</p></body></html>'
    raw = html.encode()
    broken = raw.replace("więcej".encode(), "wi\xc4ecej".encode("latin-1"), 1)
    text = fetch_text(server, broken, "text/html")
    assert text.count(POLISH) == 19  # only the sentence with the broken byte is damaged


@pytest.mark.parametrize("label", ["iso-8859-1", "latin-1", "ISO_8859-1"])
def test_latin1_label_on_windows_1252_bytes(server: LocalServer, label: str) -> None:
    # Browsers read Latin-1 labels as windows-1252, where quotes and € live in 0x80-0x9f.
    body = f"<html><body><p>{FRENCH * 3}</p></body></html>".encode("cp1252")
    assert FRENCH * 3 in fetch_text(server, body, f"text/html; charset={label}")


def test_utf8_header_on_windows_1252_bytes(server: LocalServer) -> None:
    body = f"<html><body><p>{FRENCH * 3}</p></body></html>".encode("cp1252")
    assert FRENCH * 3 in fetch_text(server, body, "text/html; charset=utf-8")
