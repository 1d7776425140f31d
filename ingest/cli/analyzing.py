"""`newsfacts analyze`: entities, figures and facts of files or JSON Lines records, without
a database; one JSON object per input on stdout (the contract is in docs/cli.md)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ingest.cli.common import fail, language, settings_for
from ingest.errors import ExtractionError

if TYPE_CHECKING:
    from nlp.relevance import PageContext


def _read_text(path: str) -> str:
    """The UTF-8 text of a file, or of stdin for '-'; a one-line error when unreadable."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text("utf-8")
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except IsADirectoryError:
        fail(f"{path} is a directory; give the files in it")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")


def _from_html(raw: str, label: str) -> tuple[str, str | None, PageContext | None]:
    """Text of an HTML page, its declared language and its title, URL, categories and tags."""
    from ingest.extract import extract_article
    from ingest.stages import page_context

    try:
        article = extract_article(raw)
    except ExtractionError as exc:
        fail(f"{label}: {exc}")
    return article.text, article.declared_lang, page_context(article)


def _read_input(path: str) -> tuple[str, str | None, PageContext | None]:
    """Text of one input (extracting HTML first), its declared language and, for HTML, the
    page's title, URL, categories and tags."""
    raw = _read_text(path)
    if path != "-" and Path(path).suffix.lower() in (".html", ".htm"):
        return _from_html(raw, path)
    return raw, None, None


def _inputs(
    files: list[str], jsonl: str | None, lang: str | None, published: date | None
) -> Iterator[tuple[str, str, str | None, PageContext | None, str | None, date | None]]:
    """(source, text, declared language, page, forced language, publication date) of every
    input: the files, or the records of the JSON Lines input (all checked before any is
    analysed, so that a bad line stops the command before it prints)."""
    if jsonl is None:
        for path in files:
            yield (path, *_read_input(path), lang, published)
        return
    from ingest.jsonl_input import RecordError, read_records

    name = "stdin" if jsonl == "-" else jsonl
    try:
        records = list(read_records(_read_text(jsonl).split("\n"), name))
    except RecordError as exc:
        fail(str(exc))
    for record in records:
        if record.is_html:
            text, declared, page = _from_html(record.content, f"{name} line {record.line}")
        else:
            text, declared, page = record.content, None, None
        yield (
            record.source,
            text,
            declared,
            page,
            record.lang or lang,
            record.published or published,
        )


def analyze(
    files: Annotated[
        list[str] | None, typer.Argument(help="Text or .html files; '-' reads stdin.")
    ] = None,
    jsonl: Annotated[
        str | None,
        typer.Option(
            "--jsonl",
            help="JSON Lines of {text or html, id, lang, published} records instead of files; "
            "'-' reads stdin.",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", callback=language, help="Force the language (nl, fr, ...)."),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date YYYY-MM-DD; anchors 'vorig jaar'."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Only 'json' (JSON Lines).")] = "json",
) -> None:
    """Find entities, figures and facts in files (or JSON Lines records); print one JSON
    object per file or record.

    No database is used. The output format is documented in docs/cli.md.
    """
    if fmt != "json":
        fail("--format must be json")
    if files and jsonl is not None:
        fail("give files to analyze or --jsonl FILE, not both")
    if not files and jsonl is None:
        fail("give files to analyze ('-' for stdin) or --jsonl FILE")
    anchor = None
    if published:
        try:
            anchor = date.fromisoformat(published)
        except ValueError:
            fail(f"--published must be YYYY-MM-DD, not {published!r}")
    from nlp.analysis import Analyzer

    settings = settings_for()
    analyzer: Analyzer | None = None
    for source, text, declared, page, forced, when in _inputs(files or [], jsonl, lang, anchor):
        analyzer = analyzer or Analyzer(settings.spacy_models)
        analysis = analyzer.analyze(text, lang=forced, declared=declared, published=when, page=page)
        sys.stdout.write(json.dumps(analysis.as_json(source), ensure_ascii=False) + "\n")
