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
from collections.abc import Sequence
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
) -> None:
    """Print rows in the chosen format."""
    out = out or sys.stdout
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
