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
        ("soit 443\u00a0940 unités", "fr", [(443940, "vehicles")]),
        ("soit 443\u202f940 unités", "fr", [(443940, "vehicles")]),
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
        ("van 3.629 naar 19.855 eenheden", "nl", [(3629, "vehicles"), (19855, "vehicles")]),
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


# --- numbers written in words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "De fabriek telt tweehonderd personeelsleden en vier assemblagelijnen.",
            "nl",
            [(200, "employees"), (4, None)],
        ),
        (
            "Het concern heeft zes fabrieken; daarvan staan er drie in Spanje.",
            "nl",
            [(6, "plants"), (3, None)],
        ),
        (
            "Er komt een half miljoen euro bij en een tiental laadpalen.",
            "nl",
            [(5e5, "EUR"), (10, "chargers")],
        ),
        (
            "Le site couvre une centaine d'hectares et compte cinq usines, dont deux en Alsace.",
            "fr",
            [(100, "hectares"), (5, "plants"), (2, None)],
        ),
        ("Le groupe vise un demi-million de voitures électriques.", "fr", [(5e5, "vehicles")]),
        ("Il a franchi le million d'unités produites.", "fr", [(1e6, "vehicles")]),
        (
            "Der Zulieferer betreibt neun Standorte, von denen zwei in Polen liegen.",
            "de",
            [(9, "plants"), (2, None)],
        ),
        (
            "Geplant sind eine Million Fahrzeuge und zwölf neue Modelle.",
            "de",
            [(1e6, "vehicles"), (12, "models")],
        ),
        ("Das Werk soll zwei Dutzend Roboter erhalten.", "de", [(24, None)]),
        (
            "The group runs seven plants and plans a dozen more sites.",
            "en",
            [(7, "plants"), (12, None)],
        ),
        (
            "It delivered half a million cars, beating the two-million mark of its rival.",
            "en",
            [(5e5, "vehicles"), (2e6, None)],
        ),
        ("Output passed one million vehicles.", "en", [(1e6, "vehicles")]),
    ],
)
def test_number_words_that_count_or_measure(
    text: str, lang: str, expected: list[tuple[float, str | None]]
) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # durations, counts of time units and periods
        ("De bouw duurde drie jaar, in de eerste twee kwartalen.", "nl"),
        ("Les travaux ont pris sept ans, sur les six derniers mois.", "fr"),
        ("In den letzten zehn Monaten, seit vier Jahren.", "de"),
        ("The talks took four years and the first ten months.", "en"),
        ("Le patron, 61 ans, arrive dans 21 jours.", "fr"),
        ("The 64-year-old chief left after 18 months.", "en"),
        # multipliers and fractions
        ("Het kost drie keer zoveel.", "nl"),
        ("Les ventes ont été multipliées par trois fois plus, deux tiers du total.", "fr"),
        ("Drei Viertel der Käufer zahlen bar.", "de"),
        ("Prices rose in a 3-fold jump.", "en"),
        # ratios
        ("Deux sur trois acheteurs choisissent un SUV.", "fr"),
        ("One in nine buyers picks a hybrid.", "en"),
        ("Eight out of ten buyers pick a hybrid.", "en"),
        ("Negen op de tien kopers kiezen een hybride.", "nl"),
        ("Zwei von drei Käufern zahlen bar.", "de"),
        # referential counts
        ("De twee merken delen een platform.", "nl"),
        ("Les deux constructeurs discutent.", "fr"),
        ("Die beiden Hersteller und die drei Partner verhandeln.", "de"),
        ("The three carmakers met the five largest suppliers.", "en"),
        # articles, names, idioms and homographs
        ("Een fabriek, één model en een auto.", "nl"),
        ("Je moet dat in acht nemen.", "nl"),
        ("Des véhicules neufs et une voiture neuve.", "fr"),
        ("Das darf man nicht außer Acht lassen.", "de"),
        ("The Big Three and one of the others.", "en"),
        # vague amounts
        ("Thousands of jobs and millions of cars.", "en"),
        ("Tens of thousands of buyers and several thousand dealers.", "en"),
        ("Mehrere tausend Händler und Zehntausende Kunden.", "de"),
        ("Quelques milliers de clients et plusieurs centaines de concessionnaires.", "fr"),
        ("Enkele duizenden klanten en honderden dealers.", "nl"),
        # times of day
        ("The line restarts at eight o'clock.", "en"),
        ("De lijn start om acht uur.", "nl"),
    ],
)
def test_number_words_that_are_not_figures(text: str, lang: str) -> None:
    assert find_figures(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Der Staat gibt zwei Billionen Euro aus.", "de", 2e12),
        ("Die Schulden liegen bei 1,5 Billionen Euro.", "de", 1.5e12),
        ("La dette atteint un billion d'euros.", "fr", 1e12),
        ("Het land leent een biljoen euro.", "nl", 1e12),
        ("Hyundai will spend 1.5 trillion won.", "en", 1.5e12),
        ("Samsung earned two billion dollars.", "en", 2e9),
    ],
)
def test_billion_follows_the_language(text: str, lang: str, expected: float) -> None:
    [figure] = find_figures(text, lang)
    assert figure.value == pytest.approx(expected)


# --- how digits are written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Domestic sales rose to 2,35,410 units last month.", [(235410, "vehicles")]),
        ("The plant crossed the 20 lakh mark.", [(2e6, None)]),
        ("It will invest Rs 3,500 crore in the state.", [(3.5e10, "INR")]),
        (
            "The model costs ₹ 12 lakh and INR 9.5 lakh for the base trim.",
            [(1.2e6, "INR"), (9.5e5, "INR")],
        ),
        ("Shares closed at Rs. 612 on Friday.", [(612, "INR")]),
    ],
)
def test_south_asian_grouping_and_scales(
    text: str, expected: list[tuple[float, str | None]]
) -> None:
    assert values(text, "en") == expected


@given(st.integers(min_value=1000, max_value=10**11))
def test_south_asian_grouping_parses_back(value: int) -> None:
    digits = str(value)
    head, last = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        head, pair = head[:-2], head[-2:]
        pairs.insert(0, pair)
    written = ",".join([head, *pairs, last])
    assert parse_number(written, "en") == value


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Het bedrijf nam een 5-procentsbelang.", "nl", [(5, "percent")]),
        ("Stellantis erwarb einen 15-prozentigen Anteil.", "de", [(15, "percent")]),
        ("La batterie de 60kWh offre 520km d'autonomie.", "fr", [(60, "kWh"), (520, "km")]),
        ("The 27-member bloc backed a car with a 1,850km range.", "en", [(27, None), (1850, "km")]),
        ("The firm booked $631.48m and €1.2bn.", "en", [(631.48e6, "USD"), (1.2e9, "EUR")]),
    ],
)
def test_numbers_glued_to_a_unit_or_a_suffix(
    text: str, lang: str, expected: list[tuple[float, str | None]]
) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Een 3-jarig contract en een 2-voudige groei.", "nl"),
        ("Ein 24-stündiger Streik und ein 3-facher Gewinn.", "de"),
        ("A 5-year plan, a 2-fold rise and a 4.5-billion-year history.", "en"),
        ("Le 2019er et la 10e place.", "fr"),
    ],
)
def test_glued_durations_multipliers_and_ordinals_are_not_figures(text: str, lang: str) -> None:
    assert find_figures(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # an English source quoted in a French or German text
        (
            "Selon le rapport, les ventes ont atteint 1,234,567 unités et 4,380 véhicules.",
            "fr",
            [1234567, 4380],
        ),
        ("Laut Bericht stiegen die Exporte um 3.5 % auf 12,480.", "de", [3.5, 12480]),
        # a count of whole things is never fractional, whatever the mark
        ("Ils ont vendu 3,110 véhicules.", "fr", [3110]),
        ("Output reached 12.480 vehicles.", "en", [12480]),
        # the language's own reading where the page gives no other sign
        ("Der Umsatz lag bei 5,097 Millionen Euro.", "de", [5.097e6]),
        ("A total of 1.214 million cars.", "en", [1.214e6]),
    ],
)
def test_each_number_is_read_as_the_page_means_it(
    text: str, lang: str, expected: list[float]
) -> None:
    assert [figure.value for figure in find_figures(text, lang)] == pytest.approx(expected)


def test_a_repeated_mark_groups_thousands_in_any_language() -> None:
    assert parse_number("1,234,567", "fr") == 1234567
    assert parse_number("1.234.567", "en") == 1234567


# --- currencies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Foxconn earned NT$12.5 billion.", "en", [(12.5e9, "TWD")]),
        ("BYD raised HK$3bn and A$400m.", "en", [(3e9, "HKD"), (4e8, "AUD")]),
        ("Magna spent C$2.1 billion and US$ 300 million.", "en", [(2.1e9, "CAD"), (3e8, "USD")]),
        ("The plant in Brazil cost R$ 900 million.", "en", [(9e8, "BRL")]),
        ("Hyundai invests ₩2 trillion.", "en", [(2e12, "KRW")]),
        (
            "GM saves $4 billion (U.S.) and Unifor wants $2 billion (Cdn).",
            "en",
            [(4e9, "USD"), (2e9, "CAD")],
        ),
        ("Volvo boekte SEK 3 miljard winst en 500 zł kosten.", "nl", [(3e9, "SEK"), (500, "PLN")]),
        (
            "Le projet coûte 2,5 milliards de dollars canadiens et 300 millions de yuans.",
            "fr",
            [(2.5e9, "CAD"), (3e8, "CNY")],
        ),
        ("Die Fabrik kostet CHF 40 Mio. und 12 Mrd. Kronor.", "de", [(4e7, "CHF"), (12e9, "SEK")]),
    ],
)
def test_currencies_written_next_to_the_number(
    text: str, lang: str, expected: list[tuple[float, str | None]]
) -> None:
    assert values(text, lang) == expected


# --- what is not a figure -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Im Jahr 2024 Fahrzeuge der Marke bauen.", "de"),
        ("Au 1er janvier 2025 ses usines fusionnent.", "fr"),
        ("Vanaf 2027 auto's met waterstof.", "nl"),
        ("Bis zum 14. Mai und am 3. 04. 2024 in Köln.", "de"),
        ("Zum 5. Mal in Folge, der 2. größte Markt und der 1. FC Union.", "de"),
        ("La plateforme Leap 3.0 est prête.", "fr"),
        ("Record ID: 4711 for the XC60 and the MG4.", "en"),
        ("The Arizzo 8e leaves from Gate 12.", "en"),
        ("De A 12 en de N 7 zijn dicht.", "nl"),
        ("BMW zeigt die neue 5 Series; the 3 Series sells well.", "en"),
        # ranks and list positions
        ("Tesla stond op plaats 2 en in de top 10, in week 41.", "nl"),
        ("Platz 3 weltweit und Rang 2 in Europa.", "de"),
        ("It is No. 3 worldwide and ranks number 1 in China.", "en"),
        ("Le numéro 2 mondial figure dans le top 5.", "fr"),
        # times, decades and telephone numbers
        ("La réunion commence à 9 h 30.", "fr"),
        ("In de jaren negentig groeide de markt.", "nl"),
        ("Call (313) 555-0147 or +49 (0) 711 17-0.", "en"),
        ("Tél. : 01 23 45 67 89 ou 0800 123 456.", "fr"),
        ("Telefon 0711 / 17 0, Fax: 089 1234-567.", "de"),
    ],
)
def test_years_dates_ordinals_versions_and_names_are_not_figures(text: str, lang: str) -> None:
    assert find_figures(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("In 2015 waren er zo'n 1500 werknemers.", "nl", [1500]),
        ("Rekord im Werk Nord\n9.400 Lastwagen liefen vom Band", "de", [9400]),
        ("Sales showed a 4,000 gain.", "en", [4000]),
        ("Mis à jour 2025-11-04 12 400 voitures livrées.", "fr", [12400]),
    ],
)
def test_words_that_look_like_labels_but_are_not(
    text: str, lang: str, expected: list[float]
) -> None:
    assert [figure.value for figure in find_figures(text, lang)] == expected


# --- units --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "unit"),
    [
        ("Ze leverden 4.210 stuks.", "nl", "vehicles"),
        ("Il en a livré 4 210 unités.", "fr", "vehicles"),
        ("Es wurden 4.210 Einheiten ausgeliefert.", "de", "vehicles"),
        ("It shipped 4,210 units.", "en", "vehicles"),
        ("Er rolden 830 vrachtwagens van de band.", "nl", "vehicles"),
        ("Renault a vendu 7 230 VE.", "fr", "vehicles"),
        ("Daimler baute 12.000 Nutzfahrzeuge und 800 Exemplare.", "de", "vehicles"),
        ("Nio delivered 6,100 EVs.", "en", "vehicles"),
        ("Het bedrijf telt 310 personeelsleden.", "nl", "employees"),
        ("L'usine emploie 450 opérateurs.", "fr", "employees"),
        ("Bosch streicht 1.200 Stellen.", "de", "employees"),
        ("The plant has 2,300 staff.", "en", "employees"),
        ("Het model verkocht 380.000 modellen.", "nl", "vehicles"),
    ],
)
def test_the_unit_word_decides_the_unit(text: str, lang: str, unit: str) -> None:
    assert {figure.unit for figure in find_figures(text, lang)} == {unit}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("De productie ging van 300 per dag naar 450 auto's per dag.", "nl"),
        ("La cadence passe de 900 par jour à 1 100 voitures par jour.", "fr"),
        ("Die Fertigung stieg von 800 pro Tag auf 950 Autos pro Tag.", "de"),
        ("Output rose from 700 a day to 820 cars a day.", "en"),
    ],
)
def test_a_rate_between_two_numbers_keeps_the_shared_unit(text: str, lang: str) -> None:
    assert [figure.unit for figure in find_figures(text, lang)] == ["vehicles", "vehicles"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Le marché progresse de trois pour cent.", "fr", [(3, "percent")]),
        ("De vraag steeg met honderd procent.", "nl", [(100, "percent")]),
    ],
)
def test_a_number_word_inside_a_percent_word_is_counted_once(
    text: str, lang: str, expected: list[tuple[float, str | None]]
) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Het kost tussen 2 en 3 miljard euro.", "nl", [(2e9, "EUR"), (3e9, "EUR")]),
        ("Un budget entre 3 et 4 millions d'euros.", "fr", [(3e6, "EUR"), (4e6, "EUR")]),
        ("Zwischen 5 und 6 Milliarden Euro.", "de", [(5e9, "EUR"), (6e9, "EUR")]),
        ("From 500,000 to 1.2 million cars.", "en", [(5e5, "vehicles"), (1.2e6, "vehicles")]),
        ("It plans two or three plants.", "en", [(2, "plants"), (3, "plants")]),
    ],
)
def test_a_range_shares_its_unit_and_scale(
    text: str, lang: str, expected: list[tuple[float, str | None]]
) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Er komen anderhalf miljoen auto's bij.", "nl", [(1.5e6, "vehicles")]),
        ("Het kost twee en een half miljard euro.", "nl", [(2.5e9, "EUR")]),
        ("Es fehlen anderthalb Millionen Autos.", "de", [(1.5e6, "vehicles")]),
        ("Geplant sind zweieinhalb Millionen Fahrzeuge.", "de", [(2.5e6, "vehicles")]),
        ("Il vise un million et demi de voitures.", "fr", [(1.5e6, "vehicles")]),
        ("Le plan coûte deux milliards et demi d'euros.", "fr", [(2.5e9, "EUR")]),
        ("It plans one and a half million cars.", "en", [(1.5e6, "vehicles")]),
        ("The bill is two and a half billion dollars.", "en", [(2.5e9, "USD")]),
    ],
)
def test_halves_of_a_scale(text: str, lang: str, expected: list[tuple[float, str | None]]) -> None:
    assert values(text, lang) == expected
