"""One output-options bundle for every read command: table, csv, json or jsonl."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table


class OutputFormat(StrEnum):
    """How read commands print rows."""

    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def write_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: OutputFormat,
    out: TextIO | None = None,
    title: str | None = None,
) -> None:
    """Print rows in the chosen format."""
    out = out or sys.stdout
    records = [{col: _plain(val) for col, val in zip(columns, row, strict=True)} for row in rows]
    if fmt is OutputFormat.json:
        json.dump(records, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt is OutputFormat.jsonl:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([[record[col] for col in columns] for record in records])
    else:
        table = Table(*columns, title=title, show_lines=False)
        for record in records:
            table.add_row(*("" if record[col] is None else str(record[col]) for col in columns))
        Console(file=out, width=None if out.isatty() else 160).print(table)
