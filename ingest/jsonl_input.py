"""Records of `newsfacts analyze --jsonl`: one JSON object per line, read and checked.

Each record has `text` (or `html`, extracted like an .html file) and may have `id` (the
output's `source`), `lang` (forces the language) and `published` (anchors relative periods
such as "vorig jaar"). Other keys are ignored. Blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from ingest.errors import IngestError


class RecordError(IngestError):
    """A line of a JSON Lines input that cannot be analysed; the message names the line."""


@dataclass(frozen=True)
class InputRecord:
    """One text to analyse, with what its record says about it."""

    source: str
    line: int
    content: str
    is_html: bool
    lang: str | None
    published: date | None


def _published(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError("`published` must be a string, YYYY-MM-DD or an ISO 8601 time")
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        message = f"`published` must be YYYY-MM-DD or an ISO 8601 time, not {value!r}"
        raise ValueError(message) from None


def _lang(value: object) -> str:
    from nlp.langid import language_code

    code = language_code(value) if isinstance(value, str) else None
    if code is None:
        raise ValueError(f"`lang` must be a language code such as nl, fr, de or en, not {value!r}")
    return code


def _record(line: str, name: str, number: int) -> InputRecord:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("a record must be a JSON object")
    given = [key for key in ("text", "html") if data.get(key) is not None]
    if len(given) != 1:
        raise ValueError("a record needs `text` or `html` (one of them)")
    content = data[given[0]]
    if not isinstance(content, str):
        raise ValueError(f"`{given[0]}` must be a string")
    ident = data.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, str | int)):
        raise ValueError("`id` must be a string or an integer")
    return InputRecord(
        source=f"{name}:{number}" if ident is None else str(ident),
        line=number,
        content=content,
        is_html=given[0] == "html",
        lang=None if data.get("lang") is None else _lang(data["lang"]),
        published=None if data.get("published") is None else _published(data["published"]),
    )


def read_records(lines: Iterable[str], name: str) -> Iterator[InputRecord]:
    """The records of a JSON Lines input called `name`; RecordError names a bad line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _record(line, name, number)
        except ValueError as exc:
            raise RecordError(f"{name} line {number}: {exc}") from None
