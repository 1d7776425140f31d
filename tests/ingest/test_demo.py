"""The demo runs end to end, on SQLite and PostgreSQL, and a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner

from db import open_database
from db.models import Article, Entity, EntityAlias, Fact, Figure, Mention, Page
from ingest.cli.app import app

TABLES = (Article, Page, Entity, EntityAlias, Mention, Figure, Fact)


def _counts(db_url: str) -> dict[str, int]:
    engine = open_database(db_url)
    with engine.connect() as connection:
        counts = {
            t.__tablename__: connection.scalar(select(func.count()).select_from(t)) for t in TABLES
        }
    engine.dispose()
    return {name: int(count or 0) for name, count in counts.items()}


def test_demo_ingests_the_sample_site_once(db_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--db", db_url, "--quiet"])
    assert first.exit_code == 0, first.output
    assert "Articles per language" in first.output and "Facts" in first.output
    counts = _counts(db_url)
    assert counts["articles"] == 12

    engine = open_database(db_url)
    with engine.connect() as connection:
        languages = set(connection.scalars(select(Article.language)))
        linked = connection.scalar(
            select(func.count())
            .select_from(Mention)
            .join(Entity)
            .where(Entity.kb_id.is_not(None), Entity.kind.in_(["company", "brand", "group"]))
        )
        complete_facts = connection.scalar(
            select(func.count())
            .select_from(Fact)
            .where(
                Fact.subject_entity_id.is_not(None),
                Fact.metric != "other",
                Fact.unit.is_not(None),
                Fact.period_label.is_not(None),
            )
        )
        chery_exports = connection.execute(
            select(Fact.value, Fact.period_label, Article.language)
            .join(Article)
            .join(Entity, Entity.id == Fact.subject_entity_id)
            .where(
                Entity.kb_id.in_(["chery", "chery-holding"]),
                Fact.metric == "exports",
                Fact.value == 126400,
            )
        ).all()
    engine.dispose()
    assert languages == {"nl", "fr", "de", "en"}
    assert linked and linked > 20
    assert complete_facts and complete_facts >= 12
    # The same claim is reported by a Dutch and a French article.
    assert {(row.period_label, row.language) for row in chery_exports} == {
        ("2026-10", "nl"),
        ("2026-10", "fr"),
    }

    second = runner.invoke(app, ["demo", "--db", db_url, "--quiet"])
    assert second.exit_code == 0, second.output
    assert "unchanged 12" in second.output
    assert _counts(db_url) == counts
