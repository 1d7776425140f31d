"""The facts each sample article of the demo site states, as listed in its EXPECTED.md,
and a check of an analysis against them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nlp.analysis import Analysis
from nlp.kb import load_kb

SITE = Path(__file__).resolve().parent / "site"
_HEADING = re.compile(r"^## (?P<file>[\w-]+\.html) \((?P<lang>\w\w), (?P<date>\d{4}-\d\d-\d\d)")


@dataclass(frozen=True)
class ExpectedFact:
    """One row of EXPECTED.md."""

    file: str
    lang: str
    published: date
    subject: str
    metric: str
    value: float
    unit: str
    period: str
    qualifier: str


def expected_facts(site: Path = SITE) -> list[ExpectedFact]:
    """Every expected fact of the demo site, in file order."""
    rows: list[ExpectedFact] = []
    heading = None
    for line in (site / "EXPECTED.md").read_text("utf-8").splitlines():
        if match := _HEADING.match(line):
            heading = match
        elif heading and line.startswith("| ") and not line.startswith("| subject"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            subject, metric, value, unit, period, qualifier = cells[:6]
            rows.append(
                ExpectedFact(
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


def _subject_names(kb_id: str | None) -> set[str]:
    entity = load_kb().get(kb_id) if kb_id else None
    return {name.casefold() for name in entity.alias_list()} if entity else set()


def found(row: ExpectedFact, analysis: Analysis) -> bool:
    """Whether the analysis states the expected fact: value, metric, period, qualifier and
    a subject named as in the row (by any of its knowledge-base names)."""
    for fact in analysis.facts:
        if not math.isclose(fact.value, row.value, rel_tol=1e-9):
            continue
        if (fact.metric, fact.period, fact.qualifier) != (row.metric, row.period, row.qualifier):
            continue
        names = _subject_names(fact.subject_kb_id) | {(fact.subject or "").casefold()}
        if row.subject.casefold() in names:
            return True
    return False
