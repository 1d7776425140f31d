"""Short summaries of what a database holds, for `newsfacts demo`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text

from nlp.kinds import COMPANY_KINDS

SUMMARY_QUERIES: list[tuple[str, str]] = [
    (
        "Articles per language",
        """
        SELECT language, COUNT(*) AS articles FROM articles
        GROUP BY language ORDER BY articles DESC, language""",
    ),
    (
        "Top companies",
        """
        SELECT e.name AS company, e.kind, COUNT(*) AS mentions,
               COUNT(DISTINCT m.article_id) AS articles
        FROM mentions m JOIN entities e ON e.id = m.entity_id
        WHERE e.kind IN ({kinds})
        GROUP BY e.name, e.kind ORDER BY mentions DESC, e.name LIMIT 10""".format(
            kinds=", ".join(f"'{kind}'" for kind in COMPANY_KINDS)
        ),
    ),
    (
        "Facts",
        """
        SELECT COALESCE(e.name, f.subject_text, '') AS subject, f.metric, f.value, f.unit,
               f.period_label AS period, f.qualifier, f.location, a.language
        FROM facts f JOIN articles a ON a.id = f.article_id
        LEFT JOIN entities e ON e.id = f.subject_entity_id
        ORDER BY subject, f.metric, f.period_label, f.value LIMIT 60""",
    ),
]


def demo_summary(engine: Engine) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """(title, columns, rows) for each summary table."""
    tables = []
    with engine.connect() as connection:
        for title, sql in SUMMARY_QUERIES:
            result = connection.execute(text(sql))
            tables.append((title, list(result.keys()), [tuple(row) for row in result]))
    return tables
