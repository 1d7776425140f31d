"""One name per unit, and units of one kind converted into each other."""

from __future__ import annotations

import pytest

from nlp.units import canonical_unit, common_unit, convert, unit_kind


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("units", "vehicles"),
        ("Units", "vehicles"),
        ("vehicles", "vehicles"),
        ("%", "percent"),
        ("euros", "EUR"),
        ("EUR", "EUR"),
        ("GWh", "GWh"),
        (None, None),
    ],
)
def test_synonyms_take_the_canonical_name(unit: str | None, expected: str | None) -> None:
    assert canonical_unit(unit) == expected


def test_energy_converts_within_its_kind_only() -> None:
    assert unit_kind("MWh") == unit_kind("GWh") == "kWh"
    assert convert(2500, "MWh", "GWh") == pytest.approx(2.5)
    assert convert(310, "units", "vehicles") == 310
    with pytest.raises(ValueError, match="does not convert"):
        convert(5, "EUR", "USD")


def test_the_largest_unit_of_a_kind_is_common() -> None:
    assert common_unit(["MWh", "GWh", "kWh"]) == "GWh"
    assert common_unit(["units", "vehicles"]) == "vehicles"
    assert common_unit([]) is None
