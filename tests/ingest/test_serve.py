"""`newsfacts serve` runs Datasette on the SQLite file, read-only, with canned queries."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sample_store import seed
from sqlalchemy import text
from typer.testing import CliRunner

from db import make_engine
from ingest.cli.app import app
from ingest.serve import (
    FIRST_SQL,
    HIDDEN_TABLES,
    SCHEMA_DOC,
    START_VIEWS,
    TEMPLATES_DIR,
    datasette_metadata,
    plain_text,
    schema_descriptions,
)

NEWSFACTS = Path(sys.executable).parent / "newsfacts"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(sqlite_url: str) -> Iterator[str]:
    """`newsfacts serve` on `sqlite_url` until the block ends; yields the base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [str(NEWSFACTS), "serve", "--db", sqlite_url, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/-/versions.json", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"Datasette did not start: {output}")
                time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module")
def datasette(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsfacts serve` on the sample store; yields the base URL."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'newsfacts.db'}"
    seed(sqlite_url)
    with _serving(sqlite_url) as base:
        yield base


def test_canned_query_answers_json_over_http(datasette: str) -> None:
    facts = httpx.get(
        f"{datasette}/newsfacts/company_facts.json",
        params={"company": "acme holding", "_shape": "array"},
        timeout=10,
    ).json()
    assert {fact["subject"] for fact in facts} == {"Acme", "Zeta", "Acme Works"}
    conflicts = httpx.get(
        f"{datasette}/newsfacts/conflicting_claims.json", params={"_shape": "array"}, timeout=10
    ).json()
    assert sorted(claim["value_min"] for claim in conflicts) == [126400, 140000]
    timeline = httpx.get(
        f"{datasette}/newsfacts/company_timeline.json",
        params={"company": "Acme Motor Corp", "_shape": "array"},
        timeout=10,
    ).json()
    assert {row["company"] for row in timeline} == {"Acme", "Zeta"}  # plants have no timeline


def test_datasette_folds_case_in_every_script_as_the_read_commands_do(datasette: str) -> None:
    folded = httpx.get(
        f"{datasette}/newsfacts.json",
        params={"sql": "select lower('ŠKODA Ćelik') as name", "_shape": "array"},
        timeout=10,
    ).json()
    assert folded == [{"name": "škoda ćelik"}]


def test_tables_carry_descriptions_and_full_text_search(datasette: str) -> None:
    page = httpx.get(f"{datasette}/newsfacts/v_claims", timeout=10).text
    assert "number of articles that report it" in page
    found = httpx.get(
        f"{datasette}/newsfacts/articles.json",
        params={"_search": "Zwickau", "_shape": "array", "_col": "language"},
        timeout=10,
    ).json()
    assert [row["language"] for row in found] == ["de"]


def _positions(page: str, names: list[str], prefix: str = "/newsfacts/") -> list[int]:
    """Where the page first links to each name (-1 when it does not)."""
    return [page.find(f'href="{prefix}{name}"') for name in names]


def test_home_page_starts_with_the_views_and_the_canned_queries(datasette: str) -> None:
    page = httpx.get(f"{datasette}/", timeout=10).text
    starts = page.find("Start with these views</h2>")
    views = _positions(page, list(START_VIEWS))
    assert -1 not in views and starts < min(views), "the views, under their heading"
    assert views == sorted(views), "in the researcher's order"
    ready = page.find("Ready-made queries</h2>")
    queries = _positions(page, ["company_facts", "company_timeline", "conflicting_claims"])
    assert -1 not in queries and max(views) < ready < min(queries)
    assert "Facts of a company</a>: Every fact about a company, brand or group" in page
    assert "Conflicting claims</a>: Values that articles report differently" in page
    tables = ["articles", "entities", "entity_aliases", "facts", "figures", "mentions"]
    linked = [at for at in _positions(page, tables) if at != -1]
    assert linked and min(linked) > max(queries), "the tables come after the views and queries"


def test_database_page_lists_views_first_and_hides_the_bookkeeping(datasette: str) -> None:
    page = httpx.get(f"{datasette}/newsfacts", timeout=10).text
    views = _positions(page, list(START_VIEWS))
    queries = _positions(page, ["company_facts", "company_timeline", "conflicting_claims"])
    tables = _positions(page, ["articles", "entities", "entity_aliases", "facts", "mentions"])
    assert -1 not in views + queries + tables and views == sorted(views)
    assert max(views) < min(queries) and max(queries) < min(tables)
    assert "v_facts</a>: Every fact with its subject, group, period" in page
    own_sql = httpx.get(f"{datasette}/newsfacts", params={"sql": FIRST_SQL}, timeout=10)
    assert f'href="{httpx.URL(own_sql.url).raw_path.decode()}"' in page, "your own SQL"
    assert own_sql.status_code == 200 and own_sql.text.count('<td class="col-subject') == 8
    assert "Start with these views" not in own_sql.text, "not above every result"
    assert _positions(page, ["alembic_version", "runs", "run_locks", "simhash_bands"]) == [-1] * 4
    listed = httpx.get(f"{datasette}/newsfacts.json", timeout=10).json()["tables"]
    hidden = {table["name"] for table in listed if table["hidden"]}
    assert set(HIDDEN_TABLES) <= hidden and "facts" not in hidden
    shown = httpx.get(f"{datasette}/newsfacts", params={"_show_hidden": 1}, timeout=10).text
    assert _positions(shown, ["alembic_version"]) != [-1], "hidden, not gone"


def test_templates_only_extend_datasettes_own() -> None:
    """Each page template of ours starts from Datasette's and adds blocks to it."""
    pages = [path for path in TEMPLATES_DIR.glob("*.html") if not path.name.startswith("_")]
    assert pages
    for path in pages:
        first = path.read_text("utf-8").splitlines()[0]
        assert first == f'{{% extends "default:{path.name}" %}}', path.name


def test_view_page_reads_as_prose_with_the_column_notes_folded(datasette: str) -> None:
    page = httpx.get(f"{datasette}/newsfacts/v_facts", timeout=10).text
    assert "`" not in page, "no Markdown backticks"
    assert "dl.column-descriptions { display: none; }" in page, "Datasette's own list is hidden"
    assert "<p>Every fact with its subject, group, period, evidence and source article.</p>" in page
    notes = re.search(r'<details class="column-notes">(.*?)</details>', page, flags=re.S)
    assert notes and "What the 22 columns mean" in notes.group(1)
    assert "<dt>fact_id</dt><dd>fact id (<code>facts.id</code>)</dd>" in notes.group(1)
    described = httpx.get(f"{datasette}/-/metadata.json", timeout=10).json()
    columns = described["databases"]["newsfacts"]["tables"]["v_facts"]["columns"]
    assert columns["fact_id"] == "fact id (facts.id)", "plain text for the column menus"


def test_whole_values_show_without_a_decimal_point(datasette: str) -> None:
    rows = httpx.get(
        f"{datasette}/newsfacts/v_facts.json", params={"_shape": "array"}, timeout=10
    ).json()
    whole = {row["value"] for row in rows if float(row["value"]).is_integer()}
    assert whole and all(isinstance(value, float) for value in whole), "JSON keeps the number"
    page = httpx.get(f"{datasette}/newsfacts/v_facts", timeout=10).text
    cells = re.findall(r'<td class="col-value type-float">([^<]*)</td>', page)
    assert cells and not [cell for cell in cells if cell.endswith(".0")]
    assert str(int(min(whole))) in cells


def test_schema_markdown_becomes_plain_text() -> None:
    assert plain_text("`vehicles`, `percent`, see [schema](schema.md#views)") == (
        "vehicles, percent, see schema"
    )
    assert plain_text("a < b & *c*") == "a < b & c"


def test_serve_reads_a_database_that_is_being_written(sqlite_url: str) -> None:
    """Not immutable: rows committed while Datasette runs are seen at once, never a
    'malformed' page; and Datasette itself writes nothing."""
    seed(sqlite_url)
    engine = make_engine(sqlite_url)
    count = "select count(*) as n from entity_aliases"
    with _serving(sqlite_url) as base:

        def served() -> int:
            response = httpx.get(
                f"{base}/newsfacts.json", params={"sql": count, "_shape": "array"}, timeout=10
            )
            assert response.status_code == 200, response.text
            return int(response.json()[0]["n"])

        before = served()
        for added in range(1, 41):
            with engine.begin() as connection:
                connection.execute(
                    text("insert into entity_aliases (entity_id, alias, lang) "
                         "select id, :alias, '*' from entities order by id limit 1"),
                    {"alias": f"Acme {added}"},
                )  # fmt: skip
            assert served() == before + added
        databases = httpx.get(f"{base}/-/databases.json", timeout=10).json()
        assert [db["is_mutable"] for db in databases if db["name"] == "newsfacts"] == [True]
        refused = httpx.get(
            f"{base}/newsfacts.json",
            params={"sql": "delete from entity_aliases", "_shape": "array"},
            timeout=10,
        )
        assert refused.status_code >= 400
    with engine.connect() as connection:
        assert connection.execute(text(count)).scalar() == before + 40
    engine.dispose()


def test_serve_ends_datasette_when_it_is_stopped(sqlite_url: str) -> None:
    seed(sqlite_url)
    port = _free_port()
    process = subprocess.Popen(
        [str(NEWSFACTS), "serve", "--db", sqlite_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.3)
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=20)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2)


def test_metadata_describes_every_documented_column() -> None:
    described = schema_descriptions(SCHEMA_DOC.read_text("utf-8"))
    metadata = datasette_metadata("newsfacts")["databases"]["newsfacts"]
    assert metadata["tables"]["facts"]["columns"]["evidence"] == "the sentence that states it"
    assert metadata["tables"]["articles"]["fts_table"] == "articles_fts"
    assert set(described) <= set(metadata["tables"])
    assert {"company_facts", "company_timeline", "conflicting_claims"} <= set(metadata["queries"])


def test_serve_refuses_postgresql(postgres_url: str) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", postgres_url])
    assert result.exit_code == 1 and "SQLite file" in result.output


def test_serve_without_datasette_says_how_to_get_it(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)  # as if the extra were not installed
    result = CliRunner().invoke(app, ["serve", "--db", sqlite_url])
    assert result.exit_code == 1 and "pip install 'newsfacts[datasette]'" in result.output
