"""`newsfacts plot` draws a series per subject and place, one marker per source article,
targets and forecasts apart from what happened, and shows disputed values."""

from __future__ import annotations

import re
import struct
import sys
from datetime import date
from pathlib import Path

import pytest
from sample_store import seed, seed_series
from sqlalchemy import update
from typer.testing import CliRunner

from db import open_database
from db.models import Article
from ingest.cli.app import app
from ingest.plot import plot_facts

runner = CliRunner()


def test_plot_writes_a_png(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    out = tmp_path / "acme.png"
    args = ["plot", "--company", "Acme", "--metric", "exports", "--out", str(out), "--db", db_url]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "4 facts in vehicles, 1 series (Acme); statements that articles dispute: 1" in (
        result.output
    )
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 660)


def test_plot_draws_only_facts_of_relevant_articles(sqlite_url: str, tmp_path: Path) -> None:
    store = seed(sqlite_url)
    engine = open_database(sqlite_url)
    with engine.begin() as connection:
        for lang, score in {"nl": 0.9, "fr": 0.7, "de": 0.2, "en": 0.1}.items():
            connection.execute(
                update(Article).where(Article.id == store.articles[lang]).values(relevance=score)
            )
    engine.dispose()
    out = tmp_path / "acme.png"
    args = ["plot", "--company", "Acme", "--metric", "exports", "--out", str(out)]
    result = runner.invoke(app, [*args, "--db", sqlite_url, "--min-relevance", "0.5"])
    assert result.exit_code == 0, result.output
    assert "2 facts in vehicles" in result.output  # Dutch and French, not German or English


def test_svg_has_a_marker_per_article_a_legend_per_language_and_the_conflict(
    sqlite_url: str, tmp_path: Path
) -> None:
    seed(sqlite_url)
    out = tmp_path / "acme.svg"
    result = runner.invoke(
        app,
        ["plot", "--company", "Acme Holding", "--include-brands", "--metric", "exports",
         "--out", str(out), "--db", sqlite_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    svg = out.read_text("utf-8")
    assert "articles disagree" in svg and "reported (filled, solid)" in svg
    assert "Acme Holding and its brands: exports in vehicles, 2026" in svg
    assert "4 facts from 4 articles" in svg
    # Every scatter marker is its own collection; four articles give four, plus the legend's.
    assert len(re.findall(r'<g id="PathCollection_\d+"', svg)) == 4


def test_plot_without_matching_facts_fails_cleanly(sqlite_url: str, tmp_path: Path) -> None:
    seed(sqlite_url)
    out = tmp_path / "none.png"
    result = runner.invoke(
        app,
        ["plot", "--company", "Acme", "--metric", "exports", "--unit", "EUR",
         "--out", str(out), "--db", sqlite_url],
    )  # fmt: skip
    assert result.exit_code == 1 and "in EUR" in result.output
    assert not out.exists()


def test_plot_without_matplotlib_says_how_to_get_it(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sqlite_url)
    for module in ("matplotlib", "matplotlib.figure"):  # as if the extra were not installed
        monkeypatch.setitem(sys.modules, module, None)
    out = tmp_path / "acme.png"
    result = runner.invoke(
        app, ["plot", "--company", "Acme", "--metric", "exports", "--out", str(out),
              "--db", sqlite_url],
    )  # fmt: skip
    assert result.exit_code == 1 and "pip install 'newsfacts[plot]'" in result.output
    assert not out.exists()


def test_a_group_its_brands_places_and_targets_are_told_apart(
    sqlite_url: str, tmp_path: Path
) -> None:
    seed_series(sqlite_url)
    out = tmp_path / "nordvik.svg"
    result = runner.invoke(
        app,
        ["plot", "--company", "Nordvik Group", "--include-brands", "--metric", "sales",
         "--out", str(out), "--db", sqlite_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # Lumo's 18,400 `units` are vehicles too: nothing is left out.
    assert "11 facts in vehicles, 4 series" in result.output and "left out" not in result.output
    svg = out.read_text("utf-8")
    for label in ("Lumo", "Nordvik (BE)", "Nordvik (FR)", "Nordvik Group"):
        assert f"{label}<" in svg
    for kind in (
        "reported (filled, solid)",
        "target (hollow, dashed)",
        "forecast (hollow, dotted)",
    ):
        assert kind in svg
    assert "Nordvik Group and its brands: sales in vehicles, 2024-2026" in svg
    assert "sales (vehicles)" in svg and "period reported" in svg
    assert "articles disagree" in svg  # Belgium 2025: a French and a German article


def _energy(fact_id: int, value: float, unit: str, year: int) -> dict[str, object]:
    return {
        "fact_id": fact_id, "claim_id": fact_id, "conflict": 0, "article_id": fact_id,
        "subject": "Volta Cells", "location": None, "qualifier": "actual", "language": "en",
        "value": value, "unit": unit, "period_start": date(year, 1, 1),
        "period_end": date(year, 12, 31),
    }  # fmt: skip


def test_units_of_one_kind_are_drawn_in_one(tmp_path: Path) -> None:
    facts = [
        _energy(1, 2500, "MWh", 2024),
        _energy(2, 4.0, "GWh", 2025),
        _energy(3, 9, "EUR", 2025),
    ]
    summary = plot_facts(facts, tmp_path / "cells.svg", "Volta Cells", "production")
    assert (summary.unit, summary.points, summary.converted) == ("GWh", 2, {"MWh": 1})
    assert summary.other_units == {"EUR": 1}
    svg = (tmp_path / "cells.svg").read_text("utf-8")
    assert "Volta Cells: production in GWh, 2024-2025" in svg and "production (GWh)" in svg
