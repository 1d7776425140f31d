"""Export tables and views to CSV, JSON Lines or Parquet files, one file per table or view.

Rows are streamed in batches, so an export needs little memory whatever the store's size.
Parquet needs pyarrow (`pip install 'newsfacts[parquet]'`).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    Table,
    select,
)

from db.models import Base
from db.readers import relevant_articles
from db.views import VIEWS
from ingest.errors import MissingExtra

BATCH_ROWS = 2000
# Raw pages (compressed HTML) and Alembic's bookkeeping are left out.
EXPORTED_TABLES = (
    "sources", "runs", "url_outcomes", "articles", "entities", "entity_aliases",
    "mentions", "figures", "facts",
)  # fmt: skip
# Tables and views with a row per article or per thing found in one, and the column naming
# the article: a relevance threshold filters these; the others are exported whole.
ARTICLE_ROWS = {
    "articles": "id", "mentions": "article_id", "figures": "article_id", "facts": "article_id",
    "v_articles": "article_id", "v_mentions": "article_id", "v_facts": "article_id",
    "v_claim_facts": "article_id",
}  # fmt: skip


class ExportFormat(StrEnum):
    """File formats of `newsfacts export`."""

    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def exportable() -> dict[str, Table]:
    """Every table and view that can be exported, by name."""
    tables = {name: Base.metadata.tables[name] for name in EXPORTED_TABLES}
    return tables | {view.name: view for view in VIEWS}


def _batches(
    engine: Engine, table: Table, min_relevance: float | None = None
) -> Iterator[Sequence[Any]]:
    statement = select(table)
    if min_relevance is not None and table.name in ARTICLE_ROWS:
        column = table.c[ARTICLE_ROWS[table.name]]
        statement = statement.where(column.in_(relevant_articles(min_relevance)))
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
            statement
        )
        yield from result.partitions()


def _text_value(value: Any) -> Any:
    """A value as csv and JSON Lines files carry it: whole numbers as integers (18600, not
    18600.0), times in ISO 8601, JSON columns as JSON text."""
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _write_csv(path: Path, table: Table, batches: Iterator[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(table.columns.keys())
        for batch in batches:
            writer.writerows([_text_value(value) for value in row] for row in batch)
            count += len(batch)
    return count


def _write_jsonl(path: Path, table: Table, batches: Iterator[Sequence[Any]]) -> int:
    names = table.columns.keys()
    count = 0
    with path.open("w", encoding="utf-8") as file:
        for batch in batches:
            for row in batch:
                record = {name: _text_value(value) for name, value in zip(names, row, strict=True)}
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += len(batch)
    return count


def _arrow_type(pa: Any, column_type: Any) -> Any:
    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, Integer):
        return pa.int64()
    if isinstance(column_type, Float):
        return pa.float64()
    if isinstance(column_type, DateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(column_type, Date):
        return pa.date32()
    if isinstance(column_type, LargeBinary):
        return pa.binary()
    return pa.string()


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtra(
            "Parquet export needs pyarrow: pip install 'newsfacts[parquet]'"
        ) from exc
    return pa, pq


def _write_parquet(path: Path, table: Table, batches: Iterator[Sequence[Any]]) -> int:
    pa, pq = _pyarrow()
    schema = pa.schema([(c.name, _arrow_type(pa, c.type)) for c in table.columns])
    as_text = {c.name for c in table.columns if isinstance(c.type, JSON)}
    names = table.columns.keys()
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for batch in batches:
            records = [
                {
                    name: json.dumps(value) if name in as_text and value is not None else value
                    for name, value in zip(names, row, strict=True)
                }
                for row in batch
            ]
            writer.write_batch(pa.RecordBatch.from_pylist(records, schema=schema))
            count += len(batch)
    return count


WRITERS: dict[ExportFormat, Callable[[Path, Table, Iterator[Sequence[Any]]], int]] = {
    ExportFormat.csv: _write_csv,
    ExportFormat.jsonl: _write_jsonl,
    ExportFormat.parquet: _write_parquet,
}


def export(
    engine: Engine,
    out_dir: Path,
    fmt: ExportFormat,
    only: Sequence[str] = (),
    min_relevance: float | None = None,
) -> Iterator[tuple[Path, int]]:
    """Write one file per table or view (all, or those named in `only`) into `out_dir`;
    with `min_relevance`, the rows of `ARTICLE_ROWS` only for articles at least that
    relevant to the vehicle industry.

    Yields (path, number of rows) as each file is finished.
    """
    known = exportable()
    tables = [known[name] for name in only] if only else list(known.values())
    if fmt is ExportFormat.parquet:
        _pyarrow()  # fail before any file is written
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in tables:
        path = out_dir / f"{table.name}.{fmt.value}"
        yield path, WRITERS[fmt](path, table, _batches(engine, table, min_relevance))
