"""What a researcher reads: text printed as text, whole numbers as integers, one document
per format, one-line messages for empty results and bad input."""

from __future__ import annotations

import csv
import io
import json
from importlib.metadata import version
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from db import open_database
from db.search import search_articles
from ingest.cli.app import app
from ingest.cli.research import HIGHLIGHT, _highlighted
from tests.sample_store import seed

runner = CliRunner()
MARKUP = "[/button] and [export] stay"


def _bracketed_store(url: str) -> str:
    """The sample store with markup-like brackets in the German article."""
    store = seed(url)
    engine = open_database(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET text = :text, title = :title WHERE id = :id"),
            {
                "text": "Acme [export] exportierte [/button] im Oktober 126.700 Fahrzeuge.",
                "title": "[bold]Acme[/bold] [/red]",
                "id": store.articles["de"],
            },
        )
    engine.dispose()
    return url


def test_query_prints_brackets_as_text_in_every_format(sqlite_url: str) -> None:
    seed(sqlite_url)
    sql = f"select '{MARKUP}' as t, 18600.0 as n"
    table = runner.invoke(app, ["query", sql, "--db", sqlite_url])
    assert table.exit_code == 0, table.output
    assert f"│ {MARKUP} │ 18600 │" in table.stdout
    as_json = runner.invoke(app, ["query", sql, "--db", sqlite_url, "-f", "json"])
    assert json.loads(as_json.stdout) == [{"t": MARKUP, "n": 18600}]
    as_csv = runner.invoke(app, ["query", sql, "--db", sqlite_url, "-f", "csv"])
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [["t", "n"], [MARKUP, "18600"]]
    header = runner.invoke(app, ["query", 'select 1 as "[/x]"', "--db", sqlite_url])
    assert header.exit_code == 0 and "[/x]" in header.stdout


def test_search_shows_bracketed_page_text_and_marks_matches_by_style(db_url: str) -> None:
    url = _bracketed_store(db_url)
    table = runner.invoke(app, ["search", "Fahrzeuge", "--db", url, "--lang", "de"])
    assert table.exit_code == 0, table.output
    assert "[/button]" in table.stdout and "[export]" in table.stdout
    assert "[bold]Acme[/bold] [/red]" in table.stdout
    records = json.loads(
        runner.invoke(app, ["search", "Fahrzeuge", "--db", url, "-f", "json"]).stdout
    )
    [record] = records
    assert "[export] exportierte [/button]" in record["snippet"]
    assert "\ue000" not in record["snippet"] and "\ue001" not in record["snippet"]
    engine = open_database(url)
    [hit] = search_articles(engine, "Fahrzeuge")
    engine.dispose()
    styled = _highlighted(hit)
    assert [styled.plain[span.start : span.end] for span in styled.spans] == ["Fahrzeuge"]
    assert {str(span.style) for span in styled.spans} == {HIGHLIGHT}


def test_facts_print_whole_values_as_integers(db_url: str) -> None:
    seed(db_url)
    table = runner.invoke(app, ["facts", "--db", db_url, "--metric", "exports"])
    assert table.exit_code == 0, table.output
    assert "126400" in table.stdout and "126400.0" not in table.stdout
    for fmt in ("json", "csv"):
        out = runner.invoke(app, ["facts", "--db", db_url, "--metric", "exports", "-f", fmt])
        assert "126400" in out.stdout and "126400.0" not in out.stdout
    [claim, *_] = json.loads(
        runner.invoke(app, ["claims", "--db", db_url, "--metric", "exports", "-f", "json"]).stdout
    )
    assert isinstance(claim["value_min"], int)


def test_version_comes_from_the_package_metadata() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"newsfacts {version('newsfacts')}\n"


def test_an_unknown_company_gets_close_names_and_aliases_on_one_line(db_url: str) -> None:
    seed(db_url)
    cases = {
        "ACMME": "did you mean Acme?",  # spelt nearly alike, any case
        "Acme Motr Corp": "did you mean Acme?",  # nearly an alias of Acme
        "Holding": "did you mean Acme Holding?",  # contained
    }
    for wanted, hint in cases.items():
        result = runner.invoke(app, ["facts", "--company", wanted, "--db", db_url])
        assert result.exit_code == 1
        assert result.output == f"error: no company, brand or group is called {wanted!r}; {hint}\n"
    nothing = runner.invoke(app, ["claims", "--company", "Qwxz", "--db", db_url])
    assert nothing.output == "error: no company, brand or group is called 'Qwxz'\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "select 1", "--limit", "0"], "--limit must be 1 or more, not 0"),
        (["query", "select 1", "--limit", "-5"], "--limit must be 1 or more, not -5"),
        (["facts", "--limit", "0"], "--limit must be 1 or more, not 0"),
        (["status", "--limit", "0"], "--limit must be 1 or more, not 0"),
        (["facts", "--lang", "klingon"], "not 'klingon'"),
        (["search", "Acme", "--lang", "xx"], "not 'xx'"),
        (["analyze", "-", "--lang", "klingon"], "not 'klingon'"),
        (["sources", "add", "https://news.example/f", "--lang", "klingon"], "not 'klingon'"),
        (["sources", "add", "http://"], "needs a host"),
        (["sources", "add", "https://exa mple.org/feed"], "needs a host"),
        (["sources", "add", "http://news.example:99999/feed"], "not a valid URL"),
        (["sources", "add", "http://[nope]/feed"], "not a valid URL"),
        (["sources", "add", "ftp://news.example/feed"], "must be http or https"),
        (["fetch", "http://"], "needs a host"),
        (["run", "--feed", "https://news.example/f", "--feed", "notaurl"], "http or https"),
        (["enqueue", "--sitemap", "http://[x]/s.xml"], "not a valid URL"),
    ],
)
def test_bad_input_is_one_line(
    sqlite_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    seed(sqlite_url)
    extra = ["--sources-file", str(tmp_path / "s.toml")] if args[0] == "sources" else []
    extra += [] if args[0] == "analyze" else ["--db", sqlite_url]
    runs = _runs(sqlite_url)
    result = runner.invoke(app, [*args, *extra], input="")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ") and message in result.output
    assert result.output.count("\n") == 1
    assert not (tmp_path / "s.toml").exists()
    assert _runs(sqlite_url) == runs  # refused before any run started


def _runs(url: str) -> int:
    engine = open_database(url)
    with engine.connect() as connection:
        count = int(connection.execute(text("select count(*) from runs")).scalar_one())
    engine.dispose()
    return count


def test_lang_is_a_code_in_any_case(sqlite_url: str, tmp_path: Path) -> None:
    seed(sqlite_url)
    result = runner.invoke(app, ["facts", "--lang", "NL", "--db", sqlite_url, "-f", "json"])
    assert {fact["language"] for fact in json.loads(result.stdout)} == {"nl"}
    path = tmp_path / "s.toml"
    added = runner.invoke(
        app,
        ["sources", "add", "https://news.example/feed.xml", "--lang", "FR",
         "--sources-file", str(path), "--db", sqlite_url],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert 'lang = "fr"' in path.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["facts", "--metric", "nothing"], "no facts match"),
        (["claims", "--metric", "nothing"], "no claims match"),
        (["entities", "--name", "Nothing like it"], "no entities match"),
        (["search", "Utrecht", "--lang", "fr"], "no articles match"),
        (["query", "select 1 as n where 1 = 0"], "the query returned no rows"),
    ],
)
def test_an_empty_result_says_so_on_stderr_in_every_format(
    db_url: str, args: list[str], message: str
) -> None:
    seed(db_url)
    for fmt, document in (("table", ""), ("json", "[]\n"), ("jsonl", "")):
        result = runner.invoke(app, [*args, "--db", db_url, "-f", fmt])
        assert result.exit_code == 0, result.output
        assert result.stderr.endswith(f"{message}\n")  # after the superuser warning, if any
        assert result.stdout == document
    as_csv = runner.invoke(app, [*args, "--db", db_url, "-f", "csv"])
    assert as_csv.stderr.endswith(f"{message}\n") and len(as_csv.stdout.splitlines()) == 1  # header


def test_sources_list_without_sources_says_so(sqlite_url: str, tmp_path: Path) -> None:
    file = ["--sources-file", str(tmp_path / "none.toml"), "--db", sqlite_url]
    result = runner.invoke(app, ["sources", "list", *file])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith("no sources")


def test_status_of_a_store_without_runs_is_one_document_and_two_lines(db_url: str) -> None:
    seed(db_url)
    result = runner.invoke(app, ["status", "--db", db_url, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"runs": [], "sources": []}
    assert result.stderr == "no runs yet\nno source is failing\n"
    table = runner.invoke(app, ["status", "--db", db_url])
    assert table.stdout == "" and table.stderr.endswith("no runs yet\nno source is failing\n")
