"""`newsfacts export` writes typed Parquet, CSV and JSON Lines files."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sample_store import seed
from typer.testing import CliRunner

from ingest.cli.app import app
from ingest.export import EXPORTED_TABLES

runner = CliRunner()


def test_parquet_keeps_the_column_types(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["export", "--format", "parquet", "--out", str(out), "--db", db_url]
    )
    assert result.exit_code == 0, result.output
    files = {path.stem for path in out.iterdir()}
    assert set(EXPORTED_TABLES) <= files and {"v_facts", "v_claims"} <= files
    facts = pq.read_table(out / "v_facts.parquet")
    assert facts.num_rows == 8
    assert facts.schema.field("value").type == pa.float64()
    assert facts.schema.field("period_start").type == pa.date32()
    assert facts.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    rows = facts.to_pylist()
    german = next(row for row in rows if row["language"] == "de" and row["metric"] == "exports")
    assert (german["value"], german["period_start"]) == (126700, date(2026, 10, 1))
    assert german["published_at"].hour == 9  # 09:00 UTC as stored
    claims = pq.read_table(out / "v_claims.parquet").to_pylist()
    assert {claim["languages"] for claim in claims if claim["n_articles"] == 3} == {"de,fr,nl"}


def test_csv_of_chosen_views(sqlite_url: str, tmp_path: Path) -> None:
    seed(sqlite_url)
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["export", "--format", "csv", "--out", str(out), "--only", "v_claims",
         "--only", "entities", "--db", sqlite_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == ["entities.csv", "v_claims.csv"]
    with (out / "v_claims.csv").open(encoding="utf-8") as file:
        claims = list(csv.DictReader(file))
    merged = next(claim for claim in claims if claim["n_articles"] == "3")
    assert (merged["value_min"], merged["period_start"]) == ("126400", "2026-10-01")


def test_parquet_without_pyarrow_says_how_to_get_it(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sqlite_url)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if the extra were not installed
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", "--format", "parquet", "--out", str(out),
                                 "--db", sqlite_url])  # fmt: skip
    assert result.exit_code == 1
    assert "pip install 'newsfacts[parquet]'" in result.output
    assert not out.exists()
