"""One output-options bundle for every read command: table, csv, json or jsonl.

Every value is printed as text: a table never reads `[bold]` or `[/button]` in a value, a
column name or a title as markup. A cell may be a rich `Text` (search snippets, whose
matching words are styled); csv and JSON get its plain text.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text


class OutputFormat(StrEnum):
    """How read commands print rows."""

    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def plain(value: Any) -> Any:
    """A value as csv and JSON carry it: ISO times, whole numbers as integers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, Text):
        return value.plain
    return value


def _cell(value: Any) -> Text:
    if isinstance(value, Text):
        return value
    value = plain(value)
    return Text("" if value is None else str(value))


def write_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: OutputFormat,
    out: TextIO | None = None,
    title: str | None = None,
    empty: str | None = None,
) -> None:
    """Print rows in the chosen format. Without rows and with an `empty` message, the
    message goes to stderr, and stdout gets no table (csv its header, JSON `[]`)."""
    out = out or sys.stdout
    if not rows and empty:
        sys.stderr.write(empty + "\n")
        if fmt is OutputFormat.table:
            return
    if fmt is OutputFormat.table:
        table = Table(
            *(Column(Text(name)) for name in columns),
            title=Text(title) if title else None,
            show_lines=False,
        )
        for row in rows:
            table.add_row(*(_cell(value) for value in row))
        console = Console(file=out, width=None if out.isatty() else 160, markup=False)
        console.print(table)
        return
    records = [{col: plain(val) for col, val in zip(columns, row, strict=True)} for row in rows]
    if fmt is OutputFormat.json:
        json.dump(records, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt is OutputFormat.jsonl:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    else:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([[record[col] for col in columns] for record in records])


Rows = tuple[Sequence[str], Sequence[Sequence[Any]]]


def write_sections(
    sections: Mapping[str, tuple[str, Rows]],
    fmt: OutputFormat,
    out: TextIO | None = None,
    empty: Mapping[str, str] | None = None,
) -> None:
    """Several tables as one document: `{name: (title, (columns, rows))}`.

    A table per section; JSON one object with an array per section; JSON Lines and csv
    one record per row with a `section` field first (csv: the union of the columns, empty
    where a section has no such column). A section without rows that has an `empty`
    message gets that line on stderr instead of a table.
    """
    out = out or sys.stdout
    empty = empty or {}
    if fmt is OutputFormat.table:
        for name, (title, (columns, rows)) in sections.items():
            write_rows(columns, rows, fmt, out, title, empty.get(name))
        return
    for name, (_, (_, rows)) in sections.items():
        if not rows and name in empty:
            sys.stderr.write(empty[name] + "\n")
    records = {
        name: [{col: plain(val) for col, val in zip(columns, row, strict=True)} for row in rows]
        for name, (_, (columns, rows)) in sections.items()
    }
    if fmt is OutputFormat.json:
        json.dump(records, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
        return
    flat = [{"section": name} | record for name, rows in records.items() for record in rows]
    if fmt is OutputFormat.jsonl:
        for record in flat:
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        return
    header = ["section"]
    for _, (columns, _rows) in sections.values():
        header += [col for col in columns if col not in header]
    writer = csv.DictWriter(out, header, restval="")
    writer.writeheader()
    writer.writerows(flat)
