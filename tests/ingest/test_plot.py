"""`newsfacts plot` draws one marker per source article and shows conflicts."""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest
from sample_store import seed
from sqlalchemy import update
from typer.testing import CliRunner

from db import open_database
from db.models import Article
from ingest.cli.app import app

runner = CliRunner()


def test_plot_writes_a_png(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    out = tmp_path / "acme.png"
    args = ["plot", "--company", "Acme", "--metric", "exports", "--out", str(out), "--db", db_url]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "4 facts in vehicles; periods with conflicting values: 1" in result.output
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
    for label in ("nl (1 fact)", "fr (1 fact)", "de (1 fact)", "en (1 fact)"):
        assert label in svg
    assert "conflicting values" in svg and ">conflict<" in svg
    assert "Acme Holding and its brands: exports" in svg
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
