"""One name per unit: synonyms mapped to the canonical name, and units of one kind that convert.

Figures name their units from the lexicon, which already writes any count of cars, trucks or
"units" as `vehicles`; `canonical_unit` is applied again where facts and figures are built and
stored, so that rows written by older versions or other writers (`units`, `cars`, `%`) land in
the same series as the rest.
"""

from __future__ import annotations

from collections.abc import Iterable

# Names that mean the same as a canonical unit.
UNIT_SYNONYMS: dict[str, str] = {
    "units": "vehicles",
    "unit": "vehicles",
    "vehicle": "vehicles",
    "cars": "vehicles",
    "car": "vehicles",
    "%": "percent",
    "pct": "percent",
    "per cent": "percent",
    "percentage points": "percentage_points",
    "pp": "percentage_points",
    "employee": "employees",
    "jobs": "employees",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "dollars": "USD",
    "$": "USD",
    "tons": "tonnes",
    "kilometres": "km",
}

# Units of one kind: (base unit, how many base units one of them is).
UNIT_SCALES: dict[str, tuple[str, float]] = {
    "kWh": ("kWh", 1.0),
    "MWh": ("kWh", 1e3),
    "GWh": ("kWh", 1e6),
    "kW": ("kW", 1.0),
    "MW": ("kW", 1e3),
    "GW": ("kW", 1e6),
    "m2": ("m2", 1.0),
    "hectares": ("m2", 1e4),
}


def canonical_unit(unit: str | None) -> str | None:
    """The canonical name of `unit` (None stays None): "units" is "vehicles", "%" "percent"."""
    if unit is None:
        return None
    return UNIT_SYNONYMS.get(unit, UNIT_SYNONYMS.get(unit.casefold(), unit))


def unit_kind(unit: str | None) -> str | None:
    """What `unit` measures, so that units which convert into each other share one kind."""
    unit = canonical_unit(unit)
    return UNIT_SCALES[unit][0] if unit in UNIT_SCALES else unit


def convert(value: float, unit: str | None, into: str | None) -> float:
    """`value` in `unit` expressed in `into` (units of one kind; same unit: unchanged)."""
    unit, into = canonical_unit(unit), canonical_unit(into)
    if unit == into:
        return value
    if unit not in UNIT_SCALES or into not in UNIT_SCALES or unit_kind(unit) != unit_kind(into):
        raise ValueError(f"{unit} does not convert into {into}")
    return value * UNIT_SCALES[unit][1] / UNIT_SCALES[into][1]


def common_unit(units: Iterable[str | None]) -> str | None:
    """Of units of one kind, the largest that is used: GWh over MWh, so numbers stay short."""
    canonical = {canonical_unit(unit) for unit in units}
    scaled = [unit for unit in canonical if unit in UNIT_SCALES]
    if len(scaled) != len(canonical) or not scaled:
        return min(canonical, key=lambda unit: unit or "") if canonical else None
    return max(scaled, key=lambda unit: UNIT_SCALES[unit][1])
