"""Periods: explicit, ranges, quarters, halves, relative ones against a reference date."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.periods import find_periods

REFERENCE = date(2026, 11, 4)


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("de verkoop steeg van 412 in 2025 naar 6.870 in 2026", ["2025", "2026"]),
        ("In oktober 2026 exporteerde Chery", ["2026-10"]),
        ("en octobre, Chery a exporté", ["2026-10"]),
        ("van januari tot en met oktober", ["2026-01/2026-10"]),
        ("De janvier à octobre 2026, les exportations", ["2026-01/2026-10"]),
        ("von Januar bis September", ["2026-01/2026-09"]),
        ("in the first ten months", ["2026-01/2026-10"]),
        ("in de eerste negen maanden van 2025", ["2025-01/2025-09"]),
        ("au cours des dix premiers mois", ["2026-01/2026-10"]),
        ("in den ersten neun Monaten", ["2026-01/2026-09"]),
        ("au troisième trimestre", ["2026-Q3"]),
        ("im ersten Quartal 2025", ["2025-Q1"]),
        ("in Q2 2024", ["2024-Q2"]),
        ("au premier semestre 2026", ["2026-H1"]),
        ("in de eerste helft van 2025", ["2025-H1"]),
        ("de 738.000 van vorig jaar", ["2025"]),
        ("contre l'an dernier", ["2025"]),
        ("letztes Jahr", ["2025"]),
        ("last year", ["2025"]),
        ("vorige maand", ["2026-10"]),
        ("tegen 2030", ["2030"]),
    ],
)
def test_periods(text: str, labels: list[str]) -> None:
    assert [p.label for p in find_periods(text, REFERENCE)] == labels


def test_target_year_is_marked() -> None:
    [period] = find_periods("d'ici 2030, le groupe veut", REFERENCE)
    assert period.target and period.start_date == date(2030, 1, 1)


def test_relative_period_without_reference_stays_a_label() -> None:
    [period] = find_periods("de 738.000 van vorig jaar", None)
    assert period.label == "last_year" and period.start_date is None


def test_month_without_year_takes_the_last_year_written_before_it() -> None:
    periods = find_periods("Salon 2025. Chery Group en mai de cette année", None)
    assert [p.label for p in periods] == ["2025", "2025-05"]


@pytest.mark.parametrize("text", ["le 3 juin", "am 3. Juni", "on 3 June", "on June 3"])
def test_a_month_with_its_day_is_a_date(text: str) -> None:
    [period] = find_periods(text, REFERENCE)
    assert period.day and period.label == "2026-06"


@pytest.mark.parametrize(
    ("text", "published", "label"),
    [
        ("in december", date(2026, 1, 20), "2025-12"),
        ("au quatrième trimestre", date(2026, 2, 3), "2025-Q4"),
        ("in der zweiten Jahreshälfte", date(2026, 1, 9), "2025-H2"),
        ("from January to November", date(2026, 1, 9), "2025-01/2025-11"),
        ("in december", date(2026, 11, 20), "2026-12"),
        ("in februari", date(2026, 1, 20), "2026-02"),
    ],
)
def test_a_period_after_the_publication_month_is_last_years(
    text: str, published: date, label: str
) -> None:
    [period] = find_periods(text, published)
    assert period.label == label
