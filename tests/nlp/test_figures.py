"""Figures: locale-aware numbers, scales, units, and what is not a figure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.figures import find_figures, parse_number


def values(text: str, lang: str) -> list[tuple[float, str | None]]:
    return [(round(f.value, 6), f.unit) for f in find_figures(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Er werden 28.232 auto's verkocht.", "nl", [(28232, "vehicles")]),
        ("Het doel is 1,3 miljoen exemplaren per jaar.", "nl", [(1_300_000, "vehicles")]),
        ("Een groei van 14,2 procent.", "nl", [(14.2, "percent")]),
        ("Het marktaandeel steeg met 0,8 procentpunt.", "nl", [(0.8, "percentage_points")]),
        ("Volvo investeert 320 miljoen euro.", "nl", [(320e6, "EUR")]),
        ("Chery a expédié 100 737 véhicules.", "fr", [(100737, "vehicles")]),
        ("soit 443\u00a0940 unités", "fr", [(443940, "units")]),
        ("soit 443\u202f940 unités", "fr", [(443940, "units")]),
        ("une hausse de 7,7 % sur un an", "fr", [(7.7, "percent")]),
        ("un chiffre d'affaires de 35,8 milliards d'euros", "fr", [(35.8e9, "EUR")]),
        ("plus de 4,94 millions d'utilisateurs", "fr", [(4.94e6, "users")]),
        ("Das Werk baute 164.800 Fahrzeuge.", "de", [(164800, "vehicles")]),
        ("VW investiert 250 Millionen Euro.", "de", [(250e6, "EUR")]),
        ("ein Plus von 7,3 Prozent", "de", [(7.3, "percent")]),
        ("Umsatz von 1,2 Mrd. Euro", "de", [(1.2e9, "EUR")]),
        ("MG sold 76,400 cars in 2025.", "en", [(76400, "vehicles")]),
        ("JLR will invest £450 million at Halewood.", "en", [(450e6, "GBP")]),
        ("a £450m investment", "en", [(450e6, "GBP")]),
        ("a share of 3.9 per cent", "en", [(3.9, "percent")]),
        ("van 3.629 naar 19.855 eenheden", "nl", [(3629, "units"), (19855, "units")]),
    ],
)
def test_figures_in_four_languages(text: str, lang: str, expected: list[tuple[float, str]]) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Het bedrijf werd in 1997 opgericht.", "nl"),
        ("le 12 juin, premier jour du salon", "fr"),
        ("vers le 20 juin", "fr"),
        ("JETOUR T1 est entré sur le marché", "fr"),
        ("la phase 3.0 actuelle", "fr"),
        ("De Jaecoo 7 is populair.", "nl"),
        ("La Peugeot 3008 se vend bien.", "fr"),
        ("Der ID.3 läuft seit 2019 vom Band.", "de"),
        ("le 500 000e véhicule", "fr"),
        ("Bel ons op +32 2 345 67 89.", "nl"),
        ("De persconferentie begint om 14:30 uur.", "nl"),
        ("am 12.06.2025 in Berlin", "de"),
    ],
)
def test_not_figures(text: str, lang: str) -> None:
    assert find_figures(text, lang) == []


def test_offsets_point_at_the_figure_text() -> None:
    text = "Chery exporteerde 126.400 voertuigen."
    [figure] = find_figures(text, "nl")
    assert text[figure.start : figure.end] == figure.text == "126.400 voertuigen"


def _format(value: int, fraction: int, lang: str, group: str) -> str:
    digits = f"{value:,}".replace(",", group)
    decimal = "," if lang in {"nl", "de", "fr"} else "."
    return f"{digits}{decimal}{fraction:02d}" if fraction else digits


GROUPS = {"nl": ["."], "de": ["."], "fr": [" ", "\u00a0", "\u202f"], "en": [","]}


@given(
    value=st.integers(min_value=0, max_value=10**9),
    fraction=st.integers(min_value=0, max_value=99),
    lang=st.sampled_from(sorted(GROUPS)),
    data=st.data(),
)
def test_locale_formatted_numbers_parse_back(
    value: int, fraction: int, lang: str, data: st.DataObject
) -> None:
    group = data.draw(st.sampled_from(GROUPS[lang]))
    written = _format(value, fraction, lang, group)
    assert parse_number(written, lang) == pytest.approx(value + fraction / 100)
    [figure] = find_figures(f"Er waren {written} stuks.", lang)
    assert figure.value == pytest.approx(value + fraction / 100)
