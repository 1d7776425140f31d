"""What an article row records, and `newsfacts reprocess` over the stored pages."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Engine, delete, insert, select, update
from typer.testing import CliRunner

from db import open_database
from db.models import Article, Fact, Figure, Mention, Run, Source, UrlOutcome
from db.repository import utcnow
from ingest.cli.app import app
from ingest.extract import EXTRACTOR
from nlp.analysis import NLP_VERSION
from tests.conftest import LocalServer, Reply

runner = CliRunner()

DUTCH = (
    "<p>De verkoop van nieuwe auto's in België steeg in oktober, meldt de sectorfederatie. "
    "Vooral elektrische wagens deden het goed bij bedrijven en particulieren.</p>"
    "<p>Volvo verkocht in oktober 4.250 wagens in België, 12,5 procent meer dan een jaar "
    "eerder.</p>"
)
FRENCH = (
    "<h2>Ventes automobiles en Belgique</h2>"
    "<p>Les immatriculations de voitures neuves en Belgique ont progressé en octobre, selon "
    "la fédération du secteur. Les voitures électriques ont surtout séduit les entreprises.</p>"
    "<p>Renault a vendu 3 100 voitures en octobre en Belgique, soit une part de marché de "
    "8,4 %.</p>"
)
CP1252 = (
    "<p>Renault a livré 3 100 véhicules à ses clients belges en octobre, pour un chiffre "
    "d’affaires de 95 millions d’euros. Les immatriculations ont progressé grâce à la Clio "
    "électrique, très demandée à Bruxelles et en Wallonie.</p>"
)
TABLE = (
    "<table><tr><th>Merk</th><th>2026</th><th>2025</th></tr>"
    "<tr><td>BYD</td><td>1.245</td><td>612</td></tr><tr><td>MG</td><td>987</td><td>1.020</td>"
    "</tr><tr><td>Kia</td><td>2.310</td><td>2.200</td></tr></table>"
)


def page(body: str, lang: str = "", head: str = "") -> bytes:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<html{lang_attr}><head><title>Autonieuws</title>{head}</head><body>"
        f"<nav>Home | Markt</nav><article><h1>Autonieuws</h1>{body}</article></body></html>"
    ).encode()


def serve_pages(server: LocalServer) -> list[str]:
    published = '<meta property="article:published_time" content="2026-11-03T09:30:00+01:00">'
    server.route("/mixed", Reply(body=page(DUTCH + FRENCH, "nl-BE", published)))
    # The server says UTF-8; the bytes are windows-1252.
    server.route(
        "/charset",
        Reply(
            body=page(CP1252, "fr").decode().encode("cp1252"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
    )
    # Only figures: too little text to tell the language.
    server.route("/table", Reply(body=page(TABLE), headers={"Content-Language": "nl"}))
    return [server.url(path) for path in ("/mixed", "/charset", "/table")]


def ingest(server: LocalServer, db_url: str) -> Engine:
    urls = serve_pages(server)
    result = runner.invoke(app, ["fetch", *urls, "--db", db_url, "--allow-private-addresses"])
    assert result.exit_code == 0, result.output
    return open_database(db_url)


def articles(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        rows = connection.execute(select(Article)).all()
    return {row.url.rsplit("/", 1)[1]: row for row in rows}


def stored(engine: Engine) -> tuple[list[Any], ...]:
    """Every analysis row, ids included: unchanged articles must not be rewritten."""
    with engine.connect() as connection:
        return tuple(
            [tuple(row) for row in connection.execute(select(table).order_by(table.id))]
            for table in (Mention, Figure, Fact)
        )


def reprocess(db_url: str, *args: str) -> str:
    result = runner.invoke(app, ["reprocess", "--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_articles_record_language_evidence_dates_and_spans(
    server: LocalServer, sqlite_url: str
) -> None:
    engine = ingest(server, sqlite_url)
    rows = articles(engine)
    mixed = rows["mixed"]
    assert (mixed.language_declared, mixed.published_source) == (
        "nl",
        "meta:article:published_time",
    )
    assert mixed.published_at.hour == 8  # 09:30 at +01:00, stored in UTC
    assert [span["lang"] for span in mixed.language_spans] == ["nl", "fr"]
    french_start = mixed.language_spans[1]["start"]
    assert mixed.text[french_start:].startswith("Ventes automobiles en Belgique")
    assert mixed.extractor.startswith(EXTRACTOR) and mixed.nlp_version == NLP_VERSION

    charset = rows["charset"]
    assert "d’affaires de 95 millions d’euros" in charset.text
    assert "très demandée à Bruxelles" in charset.text
    assert (charset.language, charset.language_detected) == ("fr", "fr")

    table = rows["table"]
    assert (table.language, table.language_detected, table.language_confidence) == (
        "und",
        "und",
        0.0,
    )
    assert table.language_declared == "nl"  # from the Content-Language header
    with engine.connect() as connection:
        values = set(connection.scalars(select(Figure.value).where(Figure.article_id == table.id)))
    assert {1245, 612, 987, 1020, 2310, 2200} <= values


def test_reprocess_restores_results_and_a_second_run_changes_nothing(
    server: LocalServer, db_url: str
) -> None:
    engine = ingest(server, db_url)
    expected = stored(engine)
    languages = {url: row.language for url, row in articles(engine).items()}
    assert "unchanged 3" in reprocess(db_url)
    assert stored(engine) == expected  # nothing was rewritten

    # As if the articles had been made by an older version.
    with engine.begin() as connection:
        connection.execute(delete(Fact))
        connection.execute(
            update(Article).values(extractor="trafilatura/1.0", nlp_version="0", language="xx")
        )
    assert "updated 3" in reprocess(db_url)
    rows = articles(engine)
    assert {row.extractor for row in rows.values()} <= {
        f"{EXTRACTOR}+{mode}" for mode in ("precision", "balanced", "recall")
    }
    assert {row.nlp_version for row in rows.values()} == {NLP_VERSION}
    assert {url: row.language for url, row in rows.items()} == languages
    with engine.connect() as connection:
        fact_values = set(connection.scalars(select(Fact.value)))
    assert {4250, 3100, 8.4} <= fact_values

    after = stored(engine)
    assert "unchanged 3" in reprocess(db_url)
    assert stored(engine) == after
    with engine.connect() as connection:
        runs = connection.execute(
            select(Run.n_updated, Run.n_unchanged)
            .where(Run.command == "reprocess")
            .order_by(Run.id)
        ).all()
        outcomes = Counter(
            connection.scalars(
                select(UrlOutcome.outcome)
                .join(Run, UrlOutcome.run_id == Run.id)
                .where(Run.command == "reprocess")
            )
        )
    engine.dispose()
    assert [tuple(run) for run in runs] == [(0, 3), (3, 0), (0, 3)]
    assert outcomes == {"unchanged": 6, "updated": 3}


def test_reprocess_filters(server: LocalServer, sqlite_url: str) -> None:
    engine = ingest(server, sqlite_url)
    assert "unchanged 3" in reprocess(sqlite_url, "--since", "2000-01-01")
    output = reprocess(sqlite_url, "--since", "2999-01-01")
    assert "unchanged" not in output and "updated" not in output
    with engine.begin() as connection:
        source_id = connection.execute(
            insert(Source).values(
                url=server.url("/feed.xml"), kind="feed", name="autokrant", created_at=utcnow()
            )
        ).inserted_primary_key[0]
        connection.execute(
            update(Article).values(source_id=source_id).where(Article.url.like("%/mixed"))
        )
    engine.dispose()
    assert "unchanged 1" in reprocess(sqlite_url, "--source", "autokrant")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "nowhere"], "error: no source named 'nowhere'"),
        (["--since", "last week"], "error: --since must be YYYY-MM-DD"),
    ],
)
def test_reprocess_bad_input_is_one_line(sqlite_url: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["reprocess", "--db", sqlite_url, *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_reprocess_renames_units_written_under_another_name(
    server: LocalServer, sqlite_url: str
) -> None:
    """Rows stored as `units` by an older version rejoin the `vehicles` series."""
    engine = ingest(server, sqlite_url)
    with engine.begin() as connection:
        renamed = connection.execute(
            update(Fact).where(Fact.unit == "vehicles").values(unit="units")
        ).rowcount
    assert renamed >= 2
    assert "updated" in reprocess(sqlite_url)
    with engine.connect() as connection:
        units = Counter(connection.scalars(select(Fact.unit)))
    engine.dispose()
    assert units["units"] == 0 and units["vehicles"] == renamed
