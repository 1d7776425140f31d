"""Command-line behaviour: analyze's JSON contract, read-only query, db commands, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli.app import app

runner = CliRunner()

DUTCH = (
    "Chery verkocht vorig jaar 28.232 auto's in het Verenigd Koninkrijk. "
    "De export van Chery steeg in mei 2025 met 7,7 procent."
)


def test_analyze_prints_one_json_object_per_file(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text(DUTCH, encoding="utf-8")
    html = tmp_path / "b.html"
    html.write_text(
        "<html lang='fr'><body><article><p>Chery a exporté 100 737 véhicules en mai 2025, "
        "soit une hausse de 7,7 % sur un an, selon le groupe chinois.</p></article></body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", str(text), str(html), "--published", "2026-01-10"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {
        "source",
        "language",
        "language_confidence",
        "relevance",
        "entities",
        "figures",
        "facts",
    }
    assert first["source"] == str(text) and first["language"] == "nl"
    assert 0.5 <= first["relevance"] <= 1
    chery = next(e for e in first["entities"] if e["text"] == "Chery")
    assert chery["label"] == "COMPANY" and chery["kb_id"] == "chery"
    assert DUTCH[chery["start"] : chery["end"]] == "Chery"
    sales = next(f for f in first["facts"] if f["value"] == 28232)
    assert (sales["subject_kb_id"], sales["metric"], sales["unit"], sales["period"]) == (
        "chery",
        "sales",
        "vehicles",
        "2025",
    )
    assert second["language"] == "fr"
    assert {f["value"] for f in second["figures"]} == {100737, 7.7}


def test_analyze_takes_the_section_of_an_html_page_as_evidence(tmp_path: Path) -> None:
    body = (
        "<p>Le salon ouvre ses portes samedi et attend beaucoup de visiteurs.</p>"
        "<p>Les organisateurs promettent des stands plus grands que l'an dernier.</p>"
        "<p>Les billets sont en vente sur place et en ligne jusqu'à dimanche soir.</p>"
    )
    plain = tmp_path / "plain.html"
    plain.write_text(f"<html lang='fr'><body><article>{body}</article></body></html>", "utf-8")
    section = tmp_path / "section.html"
    section.write_text(
        "<html lang='fr'><head><link rel='canonical' href='https://journal.example/automobile/"
        f"salon'></head><body><article>{body}</article></body></html>",
        "utf-8",
    )
    result = runner.invoke(app, ["analyze", str(plain), str(section)])
    assert result.exit_code == 0, result.output
    low, high = (json.loads(line)["relevance"] for line in result.stdout.splitlines())
    assert high > low


def test_analyze_reads_stdin_and_honours_lang() -> None:
    result = runner.invoke(
        app, ["analyze", "-", "--lang", "de"], input="Das Werk baute 164.800 Fahrzeuge."
    )
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["language"] == "de" and record["figures"][0]["value"] == 164800


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "missing.txt"], "no such file"),
        (["analyze", "-", "--published", "yesterday"], "YYYY-MM-DD"),
        (["query", "select 1", "--db", "nosuchdriver://x"], "cannot use database"),
    ],
)
def test_bad_input_gives_a_clear_error(args: list[str], message: str) -> None:
    result = runner.invoke(app, args, input="")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_query_is_read_only(db_url: str) -> None:
    assert runner.invoke(app, ["db", "upgrade", "--db", db_url]).exit_code == 0
    insert = "insert into runs (command, status, started_at) values ('x', 'finished', '2026-01-01')"
    refused = runner.invoke(app, ["query", insert, "--db", db_url])
    assert refused.exit_code == 1
    assert "read-only" in refused.output or "never does" in refused.output
    counted = runner.invoke(
        app, ["query", "select count(*) as n from runs", "--db", db_url, "--format", "json"]
    )
    assert counted.exit_code == 0, counted.output
    assert json.loads(counted.stdout) == [{"n": 0}]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "table"])
def test_query_formats(sqlite_url: str, fmt: str) -> None:
    assert runner.invoke(app, ["db", "upgrade", "--db", sqlite_url]).exit_code == 0
    result = runner.invoke(
        app, ["query", "select 1 as one, 'a' as letter", "--db", sqlite_url, "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert "one" in result.stdout or fmt == "jsonl"
    if fmt == "jsonl":
        assert json.loads(result.stdout) == {"one": 1, "letter": "a"}


def test_db_current_and_upgrade(db_url: str) -> None:
    before = runner.invoke(app, ["db", "current", "--db", db_url])
    assert "(empty)" in before.stdout
    assert runner.invoke(app, ["db", "upgrade", "--db", db_url]).exit_code == 0
    after = runner.invoke(app, ["db", "current", "--db", db_url])
    assert "up to date" in after.stdout


@pytest.mark.parametrize("command", ["demo", "run", "fetch", "analyze", "query", "db"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_the_entry_module_loads_the_command_line_only_when_it_runs() -> None:
    """Pool processes re-import the script they were started from; importing its entry
    module must not load every command (and spaCy, Alembic, ...) again."""
    probe = "import sys, ingest.__main__; print('ingest.cli.app' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "False"
    help_text = subprocess.run(
        [sys.executable, "-m", "ingest", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "analyze" in help_text


def test_analysis_processes_load_neither_the_command_line_nor_alembic() -> None:
    probe = (
        "import sys, ingest.pool; "
        "print(sorted(m for m in ('ingest.cli.app', 'alembic') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_the_run_process_leaves_spacy_to_the_analysis_processes() -> None:
    probe = (
        "import sys, ingest.cli.app, ingest.pipeline, ingest.store; print('spacy' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "False"
