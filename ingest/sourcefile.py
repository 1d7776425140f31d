"""The sources file (TOML): the declarative list of sources, synced into the `sources` table.

The file says which sources exist and how to read them (url, kind, lang, name, enabled);
the table keeps what polling learns about them (validators, failures, next poll time).
Every run syncs the file into the table: new entries are added, changed ones updated, and
rows no longer in the file are disabled (kept for their history). `newsfacts sources`
edits the file with tomlkit, so comments and layout people wrote survive.

```toml
[[source]]
url = "https://news.example/feed.xml"
kind = "feed"        # feed | sitemap | urls
lang = "nl"
name = "Example news"
enabled = true
```
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import tomlkit
from sqlalchemy import select
from sqlalchemy.orm import Session
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT

from db.models import Source
from db.repository import utcnow
from db.urls import url_hash
from ingest.errors import ConfigError
from ingest.sources import SOURCE_KINDS, canonical_url, guess_kind


@dataclass(frozen=True)
class SourceSpec:
    """One entry of the sources file."""

    url: str
    kind: str
    lang: str | None = None
    name: str | None = None
    enabled: bool = True


_HOST = re.compile(r"[^\W_](?:[\w.-]*[^\W_])?", re.UNICODE)  # letters, digits, dots, hyphens


def check_url(url: str) -> None:
    """ConfigError unless `url` is an http or https URL with a host name or address (and,
    if given, a valid port), without spaces."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # ValueError for a port out of range or not a number
    except ValueError as exc:
        raise ConfigError(f"not a valid URL: {url!r} ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise ConfigError(f"a URL must be http or https: {url!r}")
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address, written in brackets
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ConfigError(f"not a valid IPv6 address in {url!r}") from None
    elif not _HOST.fullmatch(host) or ".." in host:
        raise ConfigError(f"a URL needs a host, as in https://news.example/feed: {url!r}")
    if any(char.isspace() for char in url.strip()) or port == 0:
        raise ConfigError(f"not a valid URL: {url!r}")


def make_spec(
    url: str,
    kind: str | None = None,
    lang: str | None = None,
    name: str | None = None,
    enabled: bool = True,
) -> SourceSpec:
    """A validated spec: an http(s) URL with a host, canonicalised; a known kind (guessed
    when not given); a language code langdetect knows, if any."""
    from nlp.langid import language_code  # langdetect: only when a source is read

    check_url(url)
    if lang is not None:
        code = language_code(str(lang))
        if code is None:
            raise ConfigError(f"unknown language {lang!r}: use a code such as nl, fr, de or en")
        lang = code
    kind = kind or guess_kind(url)
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"unknown source kind {kind!r} (one of {', '.join(SOURCE_KINDS)})")
    return SourceSpec(canonical_url(url), kind, lang, name, enabled)


def _document(path: Path) -> tomlkit.TOMLDocument:
    if not path.exists():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text("utf-8"))
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _entries(document: tomlkit.TOMLDocument, path: Path) -> AoT:
    entries = document.get("source")
    if entries is None:
        entries = tomlkit.aot()
        document.append("source", entries)
    if not isinstance(entries, AoT):
        raise ConfigError(f"{path}: `source` must be an array of tables ([[source]])")
    return entries


def load_specs(path: Path) -> list[SourceSpec]:
    """Every source in the file, validated; an empty list when there is no file."""
    document = _document(path)
    if "source" not in document:
        return []
    specs = []
    for index, entry in enumerate(_entries(document, path), start=1):
        if "url" not in entry:
            raise ConfigError(f"{path}: source {index} has no url")
        try:
            specs.append(
                make_spec(
                    str(entry["url"]),
                    entry.get("kind"),
                    entry.get("lang"),
                    entry.get("name"),
                    bool(entry.get("enabled", True)),
                )
            )
        except ConfigError as exc:
            raise ConfigError(f"{path}: source {index}: {exc}") from exc
    return specs


def add_spec(path: Path, spec: SourceSpec) -> None:
    """Append a source to the file; ConfigError when its URL is there already."""
    document = _document(path)
    entries = _entries(document, path)
    if any(canonical_url(str(entry.get("url", ""))) == spec.url for entry in entries):
        raise ConfigError(f"{spec.url} is already in {path}")
    table = tomlkit.table()
    table["url"] = spec.url
    table["kind"] = spec.kind
    if spec.lang:
        table["lang"] = spec.lang
    if spec.name:
        table["name"] = spec.name
    table["enabled"] = spec.enabled
    entries.append(table)
    path.write_text(tomlkit.dumps(document), "utf-8")


def edit_spec(path: Path, url: str, *, enabled: bool | None = None, remove: bool = False) -> None:
    """Enable, disable or remove the source with this URL; ConfigError when not in the file."""
    document = _document(path)
    entries = _entries(document, path)
    key = canonical_url(url)
    for index, entry in enumerate(entries):
        if canonical_url(str(entry.get("url", ""))) == key:
            if remove:
                del entries[index]
            elif enabled is not None:
                entry["enabled"] = enabled
            path.write_text(tomlkit.dumps(document), "utf-8")
            return
    raise ConfigError(f"{key} is not in {path}")


def sync_sources(session: Session, specs: list[SourceSpec]) -> None:
    """Make the table follow the file: upsert each spec; disable rows not in the file."""
    rows = {row.url: row for row in session.scalars(select(Source))}
    for spec in specs:
        row = rows.pop(spec.url, None)
        if row is None:
            row = Source(url=spec.url, created_at=utcnow(), consecutive_failures=0)
            session.add(row)
        row.kind = spec.kind
        row.lang = spec.lang
        row.name = spec.name
        row.enabled = spec.enabled
    for row in rows.values():
        row.enabled = False
    session.commit()


def delete_source(session: Session, url: str) -> None:
    """Drop a source's row (its articles stay, unlinked)."""
    row = session.scalar(select(Source).where(Source.url_hash == url_hash(canonical_url(url))))
    if row is not None:
        session.delete(row)
        session.commit()
