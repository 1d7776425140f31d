"""URL keys. URLs are stored as TEXT, whatever their length; where a URL must be unique or
looked up, the row also holds the SHA-256 hex digest of the URL, which carries the unique
index (a B-tree entry cannot hold an arbitrarily long value) and serves the look-ups."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy.engine.default import DefaultExecutionContext

URL_HASH_LENGTH = 64


def url_hash(url: str) -> str:
    """SHA-256 hex digest of a URL's UTF-8 bytes: the key a URL is found under."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def hash_of(column: str) -> Callable[[DefaultExecutionContext], str]:
    """A column default: the hash of the URL column `column` of the row being inserted."""

    def default(context: DefaultExecutionContext) -> str:
        return url_hash(context.get_current_parameters()[column])  # type: ignore[no-untyped-call]

    return default
