"""The researchers' views mean the same on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sample_store import seed, seed_series
from sqlalchemy import func, inspect, select, text, update

from db import head_revision, open_database, upgrade
from db.companies import COMPANY_CTE, UnknownCompany, company_ids
from db.engine import MIGRATIONS_DIR, alembic_config, downgrade
from db.models import Article
from db.readers import (
    ClaimFilter,
    CompanyFilter,
    FactFilter,
    read_claims,
    read_entities,
    read_facts,
)
from db.search import is_search_object, search_articles
from db.views import VIEWS, v_claims, v_entities


def _records(columns: list[str], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def test_every_view_exists_with_the_columns_its_handle_declares(db_url: str) -> None:
    engine = open_database(db_url)
    inspector = inspect(engine)
    assert {view.name for view in VIEWS} <= set(inspector.get_view_names())
    for view in VIEWS:
        reflected = [column["name"] for column in inspector.get_columns(view.name)]
        assert reflected == [column.name for column in view.columns], view.name
    engine.dispose()


def test_group_is_the_top_most_ancestor(db_url: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    with engine.connect() as connection:
        rows = connection.execute(select(v_entities.c.name, v_entities.c.group_name)).all()
    engine.dispose()
    groups = {row.name: row.group_name for row in rows}
    assert groups == {
        "Acme Holding": "Acme Holding",
        "Acme": "Acme Holding",
        "Zeta": "Acme Holding",
        "Acme Works": "Acme Holding",  # through its operator
        "Other Motors": "Other Motors",
        "Jan Smit": None,  # people and places belong to no group
    }


def test_claims_merge_values_within_half_a_percent_and_flag_conflicts(db_url: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(v_claims).where(v_claims.c.metric == "exports").order_by(v_claims.c.value_min)
        ).all()
    engine.dispose()
    merged, contradicting = rows
    assert (merged.subject, merged.group_name, merged.value_min, merged.value_max) == (
        "Acme",
        "Acme Holding",
        126400,
        126700,
    )
    assert (merged.n_articles, merged.n_languages, merged.languages) == (3, 3, "de,fr,nl")
    assert (merged.period_start, merged.period_label) == (date(2026, 10, 1), "2026-10")
    assert merged.first_seen.date() == date(2026, 11, 1)
    assert merged.last_seen.date() == date(2026, 11, 3)
    assert (contradicting.value_min, contradicting.languages) == (140000, "en")
    assert merged.conflict == contradicting.conflict == 1
    assert merged.n_values == 2


def test_facts_of_a_company_and_everything_below_it(db_url: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    alone = _records(*read_facts(engine, FactFilter(company=CompanyFilter("acme"))))
    family = _records(*read_facts(engine, FactFilter(company=CompanyFilter("Acme", True))))
    by_alias = read_facts(engine, FactFilter(company=CompanyFilter("ACME MOTOR CORP")))
    group = read_facts(engine, FactFilter(company=CompanyFilter("Acme Holding", True)))
    engine.dispose()
    assert {row["subject"] for row in alone} == {"Acme"} and len(alone) == 4
    assert {row["subject"] for row in family} == {"Acme", "Zeta", "Acme Works"}
    assert {row["group_name"] for row in family} == {"Acme Holding"}
    assert by_alias[1] == read_facts(open_database(db_url), FactFilter(CompanyFilter("Acme")))[1]
    assert len(group[1]) == len(family)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (FactFilter(metric="sales"), {500, 700}),
        (FactFilter(since=date(2026, 1, 1)), {126400, 126700, 140000, 9000, 1000}),
        (FactFilter(until=date(2025, 12, 31)), {500, 700}),
        (FactFilter(since=date(2025, 6, 1), until=date(2025, 6, 30)), {500, 700}),
        (FactFilter(lang="de"), {126700, 9000}),
        (FactFilter(min_confidence=0.7, metric="exports"), {126400, 140000}),
    ],
)
def test_fact_filters(sqlite_url: str, where: FactFilter, expected: set[float]) -> None:
    seed(sqlite_url)
    columns, rows = read_facts(open_database(sqlite_url), where)
    assert {row["value"] for row in _records(columns, rows)} == expected


def test_unknown_company_names_close_ones(sqlite_url: str) -> None:
    seed(sqlite_url)
    with pytest.raises(UnknownCompany, match="Acme Holding"):
        read_facts(open_database(sqlite_url), FactFilter(company=CompanyFilter("holding")))


def test_names_in_any_script_match_without_case_and_as_datasette_matches(db_url: str) -> None:
    store = seed(db_url)
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE entities SET name = 'Ćelik Motors' WHERE id = :id"),
            {"id": store.entities["Other Motors"]},
        )
    columns, rows = read_facts(engine, FactFilter(company=CompanyFilter("ĆELIK motors")))
    assert [row["value"] for row in _records(columns, rows)] == [700]
    with engine.connect() as connection:  # the SQL of `newsfacts serve`'s canned queries
        family = connection.execute(
            text(f"WITH {COMPANY_CTE} SELECT entity_id FROM family ORDER BY entity_id"),
            {"company": "acme HOLDING"},
        ).scalars()
        below = set(family)
        chosen = company_ids(connection, "ćelik MOTORS")
    engine.dispose()
    assert below == {
        store.entities[name] for name in ("Acme Holding", "Acme", "Zeta", "Acme Works")
    }
    assert chosen == [store.entities["Other Motors"]]


def test_claims_and_entities_readers(db_url: str) -> None:
    seed(db_url)
    engine = open_database(db_url)
    conflicts = _records(*read_claims(engine, ClaimFilter(conflicts_only=True)))
    supported = _records(*read_claims(engine, ClaimFilter(min_articles=2)))
    brands = _records(*read_claims(engine, ClaimFilter(CompanyFilter("Acme Holding", True))))
    companies = _records(*read_entities(engine, kinds=["company"]))
    named = _records(*read_entities(engine, name="acme"))
    engine.dispose()
    assert {row["value_min"] for row in conflicts} == {126400, 140000}
    assert [row["languages"] for row in supported] == ["de,fr,nl"]
    assert {row["subject"] for row in brands} == {"Acme", "Zeta", "Acme Works"}
    assert {row["name"] for row in companies} == {"Acme", "Other Motors"}
    assert {row["name"] for row in named} == {"Acme", "Acme Holding", "Acme Works"}
    acme = next(row for row in named if row["name"] == "Acme")
    assert (acme["parent"], acme["n_facts"], acme["n_mentions"]) == ("Acme Holding", 4, 4)


def test_claims_compare_like_with_like_and_list_each_side(db_url: str) -> None:
    store = seed_series(db_url)
    engine = open_database(db_url)
    disputed = _records(*read_claims(engine, ClaimFilter(conflicts_only=True)))
    everything = _records(*read_claims(engine, ClaimFilter()))
    with engine.connect() as connection:
        flagged_by_view = connection.scalar(
            select(func.count()).select_from(v_claims).where(v_claims.c.conflict == 1)
        )
    engine.dispose()
    # Belgium 2025: a French article says 39,800, a German one 36,100; nothing else disagrees.
    assert [(row["subject"], row["location"], row["value_min"]) for row in disputed] == [
        ("Nordvik", "BE", 36100),
        ("Nordvik", "BE", 39800),
    ]
    german, french = store.articles["de-2025"], store.articles["fr-2025"]
    assert disputed[0]["articles"] == f"#{german} Cars de"
    assert disputed[0]["against"] == f"39,800: #{french} Cars fr"
    assert disputed[1]["against"] == f"36,100: #{german} Cars de"
    # France, the target and the forecast, and Lumo's two values from one article: no dispute.
    calm = {(row["subject"], row["value_min"]): row for row in everything}
    assert calm[("Nordvik", 52000)]["conflict"] == 0
    assert calm[("Nordvik Group", 330000)]["qualifier"] == "target"
    assert calm[("Nordvik Group", 330000)]["conflict"] == 0
    assert calm[("Lumo", 21000)]["conflict"] == calm[("Lumo", 24500)]["conflict"] == 0
    assert calm[("Lumo", 21000)]["against"] == ""
    assert flagged_by_view == 4  # the view marks every statement with two values


REBUILD_ARTICLES = """
import sqlalchemy as sa
from alembic import op

revision = "rebuild_articles"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", recreate="always") as batch:
        batch.alter_column("author", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    pass
"""


def test_a_later_migration_may_rebuild_a_table_the_views_use(
    sqlite_url: str, tmp_path: Path
) -> None:
    """SQLite batch mode copies, drops and renames; no rows, views or triggers may be lost."""
    store = seed(sqlite_url)
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "rebuild_articles.py").write_text(
        REBUILD_ARTICLES.format(head=head_revision()), encoding="utf-8"
    )
    engine = open_database(sqlite_url)
    config = alembic_config(engine)
    config.set_main_option("script_location", str(scripts))
    command.upgrade(config, "head")
    with engine.begin() as connection:
        assert connection.scalar(select(func.count()).select_from(v_claims)) == 5
        connection.execute(
            update(Article).where(Article.id == store.articles["nl"]).values(text="Nieuw in Gent.")
        )
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert [hit.language for hit in search_articles(engine, "Gent")] == ["nl"]
    assert search_articles(engine, "Utrecht") == []
    engine.dispose()


def test_views_and_search_go_down_and_up_with_the_migrations(db_url: str) -> None:
    engine = open_database(db_url)
    command.check(alembic_config(engine))  # `alembic check`: no drift, views and search aside
    downgrade(engine, "base")
    inspector = inspect(engine)
    assert inspector.get_view_names() == []
    assert not [name for name in inspector.get_table_names() if is_search_object(name)]
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            assert (
                connection.exec_driver_sql(
                    "SELECT count(*) FROM pg_proc WHERE proname = 'newsfacts_search_config'"
                ).scalar()
                == 0
            )
        else:
            assert (
                connection.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                ).scalar()
                == 0
            )
    upgrade(engine)
    assert {view.name for view in VIEWS} <= set(inspect(engine).get_view_names())
    engine.dispose()
    seed(db_url)
    assert [hit.language for hit in search_articles(open_database(db_url), "Zwickau")] == ["de"]
