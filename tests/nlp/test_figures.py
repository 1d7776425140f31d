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
        ("Chery opent drie fabrieken.", "nl", [(3, "plants")]),
        ("Een omzet van 2,4 mld. euro", "nl", [(2.4e9, "EUR")]),
        ("een investering van 500 mln euro", "nl", [(500e6, "EUR")]),
        (
            "Le groupe ouvre deux usines et embauche mille deux cents salariés.",
            "fr",
            [(2, "plants"), (1200, "employees")],
        ),
        ("un bénéfice de 1,2 Md€", "fr", [(1.2e9, "EUR")]),
        (
            "une part de marché en hausse de 0,5 point de pourcentage",
            "fr",
            [(0.5, "percentage_points")],
        ),
        ("une prise de participation de 12 pour cent", "fr", [(12, "percent")]),
        ("BYD baut zwei Werke mit 3,5 Mio. Fahrzeugen", "de", [(2, "plants"), (3.5e6, "vehicles")]),
        (
            "ein Gewinn von 12 Mrd. Euro und 4.500 Mitarbeitern",
            "de",
            [(12e9, "EUR"), (4500, "employees")],
        ),
        ("Der Anteil stieg um 1,5 Prozentpunkte.", "de", [(1.5, "percentage_points")]),
        (
            "Tata will spend £4bn and hire five thousand workers.",
            "en",
            [(4e9, "GBP"), (5000, "employees")],
        ),
        ("revenue of US$ 2.5 billion", "en", [(2.5e9, "USD")]),
        ("sales of 1.1 million yuan", "en", [(1.1e6, "CNY")]),
        ("a 12.5 percentage point gain", "en", [(12.5, "percentage_points")]),
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
        ("Le 3 mars, la Renault 5 et la 208 sortent.", "fr"),
        ("Ruf an: 030 1234567.", "de"),
        ("The plant opened in 2019 and built the ID.4.", "en"),
        ("Een auto, één model en een fabriek.", "nl"),
        ("Call +44 20 7946 0958 before 5 pm.", "en"),
        ("Der Termin ist um 9.30 Uhr.", "de"),
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


SCALE_WORDS = {"nl": "miljoen", "fr": "millions", "de": "Millionen", "en": "million"}


@given(
    whole=st.integers(min_value=1, max_value=999),
    tenths=st.integers(min_value=0, max_value=9),
    lang=st.sampled_from(sorted(SCALE_WORDS)),
)
def test_scaled_numbers_parse_back(whole: int, tenths: int, lang: str) -> None:
    decimal = "," if lang in {"nl", "de", "fr"} else "."
    written = (
        f"{whole}{decimal}{tenths} {SCALE_WORDS[lang]}"
        if tenths
        else f"{whole} {SCALE_WORDS[lang]}"
    )
    [figure] = find_figures(f"Zo'n {written} euro.", lang)
    assert figure.value == pytest.approx((whole + tenths / 10) * 1e6)
    assert figure.unit == "EUR"
