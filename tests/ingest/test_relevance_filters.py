"""Relevance through a run: stored with each article, and the read commands' filter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from db import open_database
from db.models import Article
from db.views import v_articles
from ingest.cli.app import app
from tests.conftest import LocalServer, Reply

runner = CliRunner()

MARKETS = """<p>Markets live: chips, advertising and energy</p>
<p>08:30 Asian markets opened higher after a calm night on Wall Street.</p>
<p>09:05 A chip designer said licensing revenue climbed to $1.2 billion in the quarter.</p>
<p>09:20 Memory prices kept rising as cloud providers ordered more servers.</p>
<p>09:40 Spending on online advertising kept growing as brands moved budgets to video.</p>
<p>10:15 Wholesale electricity prices fell on Tuesday as wind output surged at sea.</p>
<p>10:30 Gas storage across the region is nearly full ahead of the winter, traders said.</p>
<p>10:50 Renault sold 52,000 cars in Europe in March.</p>
<p>11:20 In Germany, electricity production reached 500 terawatt-hours in 2024.</p>
<p>11:45 A solar developer raised funds from pension investors to build parks in Spain.</p>
<p>12:10 A grid operator plans new lines to carry offshore wind power inland.</p>
<p>12:30 Streaming services added subscribers while cinemas stayed half empty.</p>
<p>12:50 Shares of a chip equipment maker rose after it raised its outlook for the year.</p>
"""
CARS = """<p>Carmakers had a busy spring: car registrations climbed across Europe as carmakers
cut prices on electric vehicles and dealers cleared older models.</p>
<p>Renault sold 52,000 cars in Europe in March, and its Dacia brand kept growing.</p>
<p>In Spain, registrations reached 90,000 cars in May.</p>
<p>Volkswagen and Stellantis both raised output at their car plants in Spain.</p>
"""


def _page(url: str, title: str, body: str) -> bytes:
    return (
        f'<html lang="en"><head><title>{title}</title><link rel="canonical" href="{url}">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


@pytest.fixture(scope="module")
def store(module_db_url: str) -> Iterator[dict[str, str]]:
    """Both pages fetched into one store; their URLs by kind."""
    server = LocalServer()
    urls = {
        "markets": server.url("/business/markets-live"),
        "cars": server.url("/auto/carmakers-spring"),
    }
    server.route("/business/markets-live", Reply(body=_page(urls["markets"], "Live", MARKETS)))
    server.route("/auto/carmakers-spring", Reply(body=_page(urls["cars"], "Spring", CARS)))
    result = runner.invoke(
        app, ["fetch", *urls.values(), "--db", module_db_url, "--allow-private-addresses"]
    )
    server.close()
    assert result.exit_code == 0, result.output
    yield {"db": module_db_url, **urls}


def _json(args: list[str], db: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, [*args, "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def test_each_article_is_stored_with_its_relevance(store: dict[str, str]) -> None:
    rows = {row["url"]: row for row in _json(["query", "select * from v_articles"], store["db"])}
    assert rows[store["cars"]]["relevance"] >= 0.5 > rows[store["markets"]]["relevance"]
    facts = _json(["facts"], store["db"])
    from_markets = [fact for fact in facts if fact["article_url"] == store["markets"]]
    assert [(fact["subject"], fact["value"]) for fact in from_markets] == [("Renault", 52000)]
    spain = [fact for fact in facts if fact["location"] == "ES" and fact["subject"] == "Spain"]
    assert spain and {fact["article_url"] for fact in spain} == {store["cars"]}


def test_read_commands_keep_only_relevant_articles(store: dict[str, str], tmp_path: Path) -> None:
    db = store["db"]
    for args in (["--relevant"], ["--min-relevance", "0.5"]):
        facts = _json(["facts", *args], db)
        assert facts and {fact["article_url"] for fact in facts} == {store["cars"]}
    assert {fact["article_url"] for fact in _json(["facts"], db)} == {
        store["cars"],
        store["markets"],
    }
    assert [hit["url"] for hit in _json(["search", "Renault", "--relevant"], db)] == [store["cars"]]
    assert len(_json(["search", "Renault"], db)) == 2
    assert len(_json(["search", "advertising"], db)) == 1
    assert len(_json(["search", "advertising", "--relevant"], db)) == 0
    names = {row["name"] for row in _json(["entities", "--relevant"], db)}
    assert {"Renault", "Volkswagen"} <= names <= {row["name"] for row in _json(["entities"], db)}
    claims = _json(["claims", "--relevant"], db)
    assert claims and all(claim["n_articles"] >= 1 for claim in claims)
    result = runner.invoke(
        app,
        ["export", "--format", "jsonl", "--out", str(tmp_path), "--db", db, "--relevant",
         "--only", "articles", "--only", "v_facts", "--only", "entities"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    articles = (tmp_path / "articles.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["canonical_url"] for line in articles] == [store["cars"]]
    exported = [json.loads(line) for line in (tmp_path / "v_facts.jsonl").read_text().splitlines()]
    assert exported and {fact["article_url"] for fact in exported} == {store["cars"]}
    assert (tmp_path / "entities.jsonl").read_text("utf-8").count("\n") == len(
        _json(["entities"], db)
    )  # tables that do not belong to one article are exported whole


def test_reprocess_scores_articles_stored_before_the_score(store: dict[str, str]) -> None:
    engine = open_database(store["db"])
    with engine.begin() as connection:
        connection.execute(update(Article).values(relevance=None))
    engine.dispose()
    assert _json(["facts", "--min-relevance", "0"], store["db"]) == []  # unscored: left out
    result = runner.invoke(app, ["reprocess", "--db", store["db"]])
    assert result.exit_code == 0 and "updated 2" in result.output, result.output
    engine = open_database(store["db"])
    with engine.connect() as connection:
        scores = connection.execute(select(v_articles.c.url, v_articles.c.relevance)).all()
    engine.dispose()
    assert {url: score >= 0.5 for url, score in scores} == {
        store["cars"]: True,
        store["markets"]: False,
    }
