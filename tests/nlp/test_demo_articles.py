"""The sample articles of the demo site against the facts listed in their EXPECTED.md."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ingest.extract import extract_article
from nlp.analysis import Analysis, Analyzer
from nlp.kb import load_kb

SITE = Path(__file__).resolve().parents[2] / "ingest" / "demo" / "site"
HEADING = re.compile(r"^## (?P<file>[\w-]+\.html) \((?P<lang>\w\w), (?P<date>\d{4}-\d\d-\d\d)")


@dataclass(frozen=True)
class Expected:
    file: str
    lang: str
    published: date
    subject: str
    metric: str
    value: float
    unit: str
    period: str
    qualifier: str


def expected_rows() -> list[Expected]:
    rows: list[Expected] = []
    heading = None
    for line in (SITE / "EXPECTED.md").read_text("utf-8").splitlines():
        if match := HEADING.match(line):
            heading = match
        elif heading and line.startswith("| ") and not line.startswith("| subject"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            subject, metric, value, unit, period, qualifier = cells[:6]
            rows.append(
                Expected(
                    heading["file"],
                    heading["lang"],
                    date.fromisoformat(heading["date"]),
                    subject,
                    metric,
                    float(value),
                    unit,
                    period,
                    qualifier,
                )
            )
    return rows


def subject_names(kb_id: str | None) -> set[str]:
    """Every name of the KB entity, case-folded, for comparing with EXPECTED's names."""
    entity = load_kb().get(kb_id) if kb_id else None
    return {name.casefold() for name in entity.alias_list()} if entity else set()


def matches(row: Expected, analysis: Analysis) -> bool:
    for fact in analysis.facts:
        if not math.isclose(fact.value, row.value, rel_tol=1e-9):
            continue
        if (fact.metric, fact.period, fact.qualifier) != (row.metric, row.period, row.qualifier):
            continue
        names = subject_names(fact.subject_kb_id) | {(fact.subject or "").casefold()}
        if row.subject.casefold() in names:
            return True
    return False


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    analyzer = Analyzer()
    rows = expected_rows()
    found = {}
    for row in rows:
        if row.file not in found:
            article = extract_article((SITE / "articles" / row.file).read_bytes())
            found[row.file] = analyzer.analyze(
                article.text, declared=article.declared_lang, published=row.published
            )
    return found


def test_expected_file_lists_facts_for_every_article() -> None:
    rows = expected_rows()
    assert len({row.file for row in rows}) == 12 and len(rows) >= 45


def test_most_expected_facts_are_found_with_their_qualifier(analyses: dict[str, Analysis]) -> None:
    rows = expected_rows()
    missed = [row for row in rows if not matches(row, analyses[row.file])]
    found_share = 1 - len(missed) / len(rows)
    assert found_share >= 0.85, "\n".join(
        f"{row.file}: {row.subject} {row.metric} {row.value:g} {row.period}" for row in missed
    )


def test_languages_are_detected(analyses: dict[str, Analysis]) -> None:
    for file, analysis in analyses.items():
        assert analysis.language == file[:2], file
