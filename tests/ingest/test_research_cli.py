"""The read commands on the demo store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
from sample_store import seed_series
from typer.testing import CliRunner

from ingest.cli.app import app
from ingest.cli.research import period_bound
from nlp.relevance import RELEVANT

runner = CliRunner()
CHERY_BRANDS = {"Chery", "Jaecoo", "Omoda", "Jetour"}


@pytest.fixture(scope="module")
def demo_url(module_db_url: str) -> str:
    result = runner.invoke(app, ["demo", "--db", module_db_url, "--quiet"])
    assert result.exit_code == 0, result.output
    return module_db_url


def _json(args: list[str], db: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, [*args, "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def _article_count(db: str) -> int:
    [row] = _json(["query", "select count(*) as n from articles"], db)
    return int(row["n"])


def test_facts_of_chery_and_its_brands(demo_url: str) -> None:
    alone = _json(["facts", "--company", "Chery"], demo_url)
    family = _json(["facts", "--company", "Chery", "--include-brands"], demo_url)
    assert {fact["subject"] for fact in alone} == {"Chery"}
    assert {fact["subject"] for fact in family} == CHERY_BRANDS
    assert {fact["group_name"] for fact in family} == {"Chery Holding Group"}
    assert all(fact["evidence"] and fact["article_url"] for fact in family)
    exports = _json(["facts", "--company", "Chery Group", "--metric", "exports"], demo_url)
    assert {fact["subject"] for fact in exports} == {"Chery Holding Group"}
    october = _json(
        ["facts", "--company", "chery-holding", "--include-brands", "--since", "2026-10",
         "--until", "2026-10", "--lang", "fr", "--min-confidence", "0.5"],
        demo_url,
    )  # fmt: skip
    assert october and all(fact["language"] == "fr" for fact in october)
    assert all(fact["period_end"] >= "2026-10-01" for fact in october)
    assert all(fact["period_start"] <= "2026-10-31" for fact in october)


def test_claims_include_one_told_in_two_languages(demo_url: str) -> None:
    claims = _json(["claims"], demo_url)
    shared = [claim for claim in claims if claim["n_languages"] >= 2]
    exports = next(claim for claim in shared if claim["value_min"] == 126400)
    assert exports["subject"] == "Chery Holding Group" and exports["metric"] == "exports"
    assert (exports["languages"], exports["n_articles"], exports["conflict"]) == ("fr,nl", 2, 0)
    assert claims[0]["n_articles"] >= 2  # the best-supported come first
    # The Dutch article was published at 09:30 +01:00: the same instant in both stores.
    assert exports["first_seen"][:19] == "2026-11-04T08:30:00"
    table = runner.invoke(app, ["claims", "--db", demo_url, "--limit", "3"])
    assert table.exit_code == 0 and "fr,nl" in table.stdout


def test_conflicts_show_both_sides_of_one_statement(sqlite_url: str) -> None:
    store = seed_series(sqlite_url)
    table = runner.invoke(app, ["claims", "--conflicts", "--db", sqlite_url])
    assert table.exit_code == 0, table.output
    assert "against" in table.stdout and "first_seen" not in table.stdout
    records = _json(["claims", "--conflicts"], sqlite_url)
    assert [(claim["location"], claim["value_min"]) for claim in records] == [
        ("BE", 36100),
        ("BE", 39800),
    ]
    assert records[1]["articles"] == f"#{store.articles['fr-2025']} Cars fr"


@pytest.mark.parametrize(
    "sql",
    ["delete from articles", "commit; delete from articles", "drop table articles"],
)
def test_query_refuses_writes_and_changes_nothing(demo_url: str, sql: str) -> None:
    before = _article_count(demo_url)
    result = runner.invoke(app, ["query", sql, "--db", demo_url])
    assert result.exit_code == 1
    assert result.output.startswith("error:") and "Traceback" not in result.output
    assert "read-only" in result.output or "one SQL statement" in result.output
    assert _article_count(demo_url) == before == 12


def test_entities_search_and_formats(demo_url: str) -> None:
    brands = _json(["entities", "--kind", "brand"], demo_url)
    assert {"Jaecoo", "Omoda", "Jetour"} <= {row["name"] for row in brands}
    assert {row["kind"] for row in brands} == {"brand"}
    hits = _json(["search", "Zwickau"], demo_url)
    assert [hit["language"] for hit in hits] == ["de"]
    csv = runner.invoke(app, ["facts", "--db", demo_url, "--format", "csv", "--limit", "2"])
    assert csv.exit_code == 0 and len(csv.stdout.strip().splitlines()) == 3
    lines = runner.invoke(app, ["entities", "--db", demo_url, "--format", "jsonl", "--limit", "4"])
    assert [json.loads(line)["entity_id"] for line in lines.stdout.splitlines()]


def test_the_demo_articles_are_all_about_the_vehicle_industry(demo_url: str) -> None:
    scores = [row["relevance"] for row in _json(["query", "select * from v_articles"], demo_url)]
    assert len(scores) == 12 and min(scores) >= RELEVANT
    assert _json(["facts", "--relevant"], demo_url) == _json(["facts"], demo_url)
    help_text = runner.invoke(app, ["facts", "--help"]).stdout
    assert f"relevance {RELEVANT} or more" in " ".join(help_text.split())


def test_export_writes_one_file_per_table_and_view(demo_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "--format", "jsonl", "--out", str(tmp_path), "--db", demo_url]
    )
    assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in (tmp_path / "v_claims.jsonl").read_text().splitlines()]
    assert any(claim["languages"] == "fr,nl" for claim in claims)
    assert len((tmp_path / "articles.jsonl").read_text().splitlines()) == 12
    assert not (tmp_path / "pages.jsonl").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["facts", "--company", "Nosuchcar"], "no company, brand or group is called"),
        (["facts", "--company", "Chery Hold"], "did you mean Chery Holding Group"),
        (["facts", "--company", "Cheri"], "'Cheri'; did you mean Chery?"),
        (["claims", "--company", "volvo car"], "did you mean Volvo Cars"),
        (["facts", "--since", "last week"], "YYYY, YYYY-MM or YYYY-MM-DD"),
        (["facts", "--include-brands"], "needs --company"),
        (["search", "--", "-"], "nothing to search for"),
        (["search", "--", '""'], "nothing to search for"),
        (["export", "--format", "csv", "--out", "x", "--only", "pages"], "cannot export pages"),
        (["plot", "--company", "Chery", "--metric", "exports", "--out", "x.pdf"], ".png or .svg"),
        (["plot", "--company", "Chery", "--metric", "revenue"], "no revenue facts about Chery"),
        (["facts", "--min-relevance", "1.5"], "--min-relevance must be between 0 and 1, not 1.5"),
        (["search", "Chery", "--min-relevance", "-0.1"], "must be between 0 and 1, not -0.1"),
        (["claims", "--relevant", "--min-relevance", "0.2"], "exclude each other"),
    ],
)
def test_bad_input_gives_one_line(demo_url: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, [args[0], "--db", demo_url, *args[1:]])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split()) and "Traceback" not in result.output


@pytest.mark.parametrize(
    "command", ["facts", "claims", "entities", "search", "export", "plot", "serve"]
)
def test_read_commands_have_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-10-15", date(2026, 10, 15), date(2026, 10, 15)),
    ],
)
def test_period_bounds(value: str, first: date, last: date) -> None:
    assert (period_bound(value, end=False), period_bound(value, end=True)) == (first, last)


@pytest.mark.parametrize("value", ["26", "2026-13", "2026-02-30", "2026-5", "2026/05", "May"])
def test_bad_period_bounds(value: str) -> None:
    with pytest.raises(typer.Exit):
        period_bound(value, end=False)
