"""Periods: explicit, ranges, quarters, halves, decades, fiscal years, rates and relative
ones against a reference date."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.periods import (
    Period,
    find_periods,
    named_span,
    rate_label,
    resolve_relative,
    year_before,
)

REFERENCE = date(2026, 11, 4)


def labels(text: str, reference: date | None = REFERENCE, **options: bool) -> list[str]:
    return [p.label for p in find_periods(text, reference, **options)]


def only(text: str, reference: date | None = REFERENCE, **options: bool) -> Period:
    [period] = find_periods(text, reference, **options)
    return period


@pytest.mark.parametrize(
    ("text", "expected"),
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
def test_periods(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # codes
        ("Tesla leverde in Q3 2025 meer auto's af", "2025-Q3"),
        ("les ventes du 2025-Q3 ont reculé", "2025-Q3"),
        ("2Q25 deliveries beat forecasts", "2025-Q2"),
        ("au T2 2025, le groupe a livré", "2025-Q2"),
        ("S1 2024 : le chiffre d'affaires progresse", "2024-H1"),
        ("the H1 2023 figures", "2023-H1"),
        ("in Q4 the plant ran at capacity", "2026-Q4"),
        # words, every language
        ("in het tweede kwartaal verkocht Kia", "2026-Q2"),
        ("au deuxième trimestre, Renault a vendu", "2026-Q2"),
        ("im zweiten Quartal stieg der Absatz", "2026-Q2"),
        ("das zweite Quartal brachte einen Rekord", "2026-Q2"),
        ("in the second quarter of this year", "2026-Q2"),
        ("im 3. Quartal 2024 baute Audi", "2024-Q3"),
        ("au 3e trimestre 2024", "2024-Q3"),
        ("the first-quarter profit of Ford", "2026-Q1"),
        ("the fourth quarter of last year", "2025-Q4"),
        ("het eerste kwartaal van vorig jaar", "2025-Q1"),
        ("au premier trimestre de l'année dernière", "2025-Q1"),
        ("het laatste kwartaal van 2024", "2024-Q4"),
        ("in de eerste jaarhelft", "2026-H1"),
        ("in het tweede halfjaar van 2024", "2024-H2"),
        ("au 1er semestre 2022", "2022-H1"),
        ("im ersten Halbjahr verkaufte Seat", "2026-H1"),
        ("in der ersten Jahreshälfte 2025", "2025-H1"),
        ("in the first half of 2025", "2025-H1"),
        # the months of a quarter or a half
        ("the three months to June 30", "2026-Q2"),
        ("for the three-month period to 30 June 2020", "2020-Q2"),
        ("les six mois clos le 30 juin 2023", "2023-H1"),
        ("die drei Monate bis Ende Juni", "2026-Q2"),
        ("de twaalf maanden tot en met maart 2026", "2025-04/2026-03"),
        ("In den Monaten April bis Juni lieferte Skoda", "2026-Q2"),
        ("van juli tot en met december verkocht Lynk", "2026-H2"),
        ("d'avril à juin 2025, Peugeot a produit", "2025-Q2"),
        ("in the first six months", "2026-H1"),
        ("sur les trois premiers mois de l'année", "2026-Q1"),
        ("die ersten drei Monate des Jahres", "2026-Q1"),
        ("de eerste vijf maanden van vorig jaar", "2025-01/2025-05"),
        # ranges written from January keep their range
        ("von Jänner bis Juni verdiente Geely", "2026-01/2026-06"),
        ("from January to May", "2026-01/2026-05"),
        ("January–September sales", "2026-01/2026-09"),
        ("van november 2025 tot februari 2026", "2025-11/2026-02"),
        # half-year at mid-year
        ("zur Jahresmitte lag Toyota vorne", "2026-H1"),
    ],
)
def test_quarters_halves_and_spans(text: str, label: str) -> None:
    assert labels(text) == [label]


@pytest.mark.parametrize(
    "text", ["der neue Audi Q3 und der Q5", "H2-Tankstellen für Lastwagen", "der VW T2 Bus"]
)
def test_model_names_and_codes_are_not_quarters(text: str) -> None:
    assert labels(text) == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("in het tweede kwartaal", "Q2"),
        ("im ersten Halbjahr", "H1"),
        ("zur Jahresmitte", "H1"),
        ("In den Monaten April bis Juni", "Q2"),
        ("the first three months", "Q1"),
    ],
)
def test_a_quarter_or_half_of_no_known_year_keeps_a_bare_label(text: str, label: str) -> None:
    period = only(text, None)
    assert (period.label, period.start_date) == (label, None)


@pytest.mark.parametrize(
    ("text", "published", "label"),
    [
        ("Stellantis a publié jeudi ses résultats semestriels", date(2026, 7, 30), "2026-H1"),
        ("BMW legte seine Halbjahreszahlen vor", date(2026, 8, 2), "2026-H1"),
        ("de halfjaarcijfers van Volvo Cars", date(2026, 2, 6), "2025-H2"),
        ("Renault's half-year results", date(2026, 9, 1), "2026-H1"),
    ],
)
def test_half_year_results_take_the_half_their_publication_closes(
    text: str, published: date, label: str
) -> None:
    assert labels(text, published) == [label]


def test_half_year_results_without_clear_evidence_have_no_period() -> None:
    assert labels("les résultats semestriels de Renault", date(2026, 5, 12)) == []
    assert labels("les résultats semestriels de Renault", None) == []
    # a dated day in July tells which half
    assert labels("Publiés le 27 juillet, les résultats semestriels", None) == ["H1"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("year to date", "2026-01/2026-11"),
        ("Kia's sales year-to-date through September", "2026-01/2026-09"),
        ("depuis le début de l'année, Dacia a vendu", "2026-01/2026-11"),
        ("seit Jahresbeginn verkaufte Opel", "2026-01/2026-11"),
        ("sinds begin dit jaar verkocht Toyota", "2026-01/2026-11"),
        ("à fin mai, les immatriculations", "2026-01/2026-05"),
        ("à fin juin 2016, Renault avait exporté", "2016-01/2016-06"),
        ("bis Ende August lieferte Cupra", "2026-01/2026-08"),
    ],
)
def test_totals_to_date_run_from_january(text: str, label: str) -> None:
    assert labels(text) == [label]


def test_a_total_to_date_without_reference_stays_a_label() -> None:
    period = only("seit Jahresbeginn", None)
    assert (period.label, period.relative, period.start_date) == (
        "year_to_date",
        "year_to_date",
        None,
    )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("fiscal year 2024", "2024"),
        ("FY2024 revenue", "2024"),
        ("FY24 revenue", "2024"),
        ("in fiscal 2023", "2023"),
        ("l'exercice 2023 de Valeo", "2023"),
        ("im Geschäftsjahr 2023/24", "2023/2024"),
        ("over het boekjaar 2023", "2023"),
        ("im abgelaufenen Geschäftsjahr", "2025"),
        ("in het afgelopen boekjaar", "2025"),
        ("in the last fiscal year", "2025"),
        ("sur l'exercice écoulé", "2025"),
    ],
)
def test_fiscal_years(text: str, label: str) -> None:
    period = only(text)
    assert period.fiscal and period.label == label


def test_the_last_fiscal_year_is_the_year_written_around_it() -> None:
    text = "Le marché a reculé en 2012. Sur ce dernier exercice, Iveco a immatriculé 9 000 camions."
    periods = find_periods(text, None)
    assert [(p.label, p.fiscal) for p in periods] == [("2012", False), ("2012", True)]
    assert only("im abgelaufenen Geschäftsjahr", None).label == "last_year"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("afgelopen maand", "2026-10"),
        ("le mois dernier", "2026-10"),
        ("letzten Monat", "2026-10"),
        ("last month", "2026-10"),
        ("deze maand", "2026-11"),
        ("ce mois-ci", "2026-11"),
        ("in diesem Monat", "2026-11"),
        ("this month", "2026-11"),
        ("volgende maand", "2026-12"),
        ("dit jaar", "2026"),
        ("cette année", "2026"),
        ("im laufenden Jahr", "2026"),
        ("heuer", "2026"),
        ("l'année dernière", "2025"),
        ("im vergangenen Jahr", "2025"),
        ("vergangenes Jahr", "2025"),
        ("afgelopen jaar", "2025"),
        ("het vorige jaar", "2025"),
        ("next year", "2027"),
        ("l'année prochaine", "2027"),
        ("volgend jaar", "2027"),
        ("im kommenden Jahr", "2027"),
        ("afgelopen kwartaal", "2026-Q3"),
        ("le trimestre dernier", "2026-Q3"),
        ("im Vorquartal", "2026-Q3"),
        ("last quarter", "2026-Q3"),
    ],
)
def test_relative_periods_are_resolved_against_the_reference(text: str, label: str) -> None:
    period = only(text)
    assert period.label == label and period.relative


@pytest.mark.parametrize(
    "text",
    ["Momenteel werken er 4.000 mensen", "actuellement", "derzeit arbeiten", "currently"],
)
def test_now_is_the_reference_month(text: str) -> None:
    period = only(text)
    assert (period.label, period.relative) == ("2026-11", "now")
    assert labels(text, None) == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("im Jänner", "2026-01"),
        ("im Feber", "2026-02"),
        ("en avril", "2026-04"),
        ("in april", "2026-04"),
        ("April last year", "2025-04"),
        ("in maart vorig jaar", "2025-03"),
        ("en septembre de l'an dernier", "2025-09"),
        ("im September des Vorjahres", "2025-09"),
        ("l'usine ouvrira en mars prochain", "2027-03"),
        ("next March", "2027-03"),
        ("afgelopen maart", "2026-03"),
    ],
)
def test_months_take_the_year_they_are_given(text: str, label: str) -> None:
    assert labels(text) == [label]


@pytest.mark.parametrize(
    "text",
    [
        "eind 2012",
        "fin 2012",
        "Ende 2012",
        "end of 2012",
        "Anfang 2012",
        "début 2012",
        "begin 2012",
        "early 2012",
        "mid-2012",
        "Mitte 2012",
    ],
)
def test_a_point_in_a_year_is_the_year(text: str) -> None:
    period = only(text)
    assert period.label == "2012" and not (period.target or period.since or period.until)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("sinds 2014 bouwt VDL de Mini", "2014"),
        ("depuis 2005, le groupe", "2005"),
        ("seit 2018 in Europa aktiv", "2018"),
        ("since 2014 the plant", "2014"),
        ("depuis fin mai, la production", "2026-05"),
        ("seit Herbst 2018 mit einer GmbH", "2018"),
        ("sinds eind 2015", "2015"),
    ],
)
def test_a_period_that_opens_a_stretch_is_marked(text: str, label: str) -> None:
    period = only(text)
    assert period.since and period.label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("bis Ende vergangenen Jahres fünf Millionen", "2025"),
        ("jusqu'à fin 2020", "2020"),
        ("up to the end of 2019", "2019"),
    ],
)
def test_a_period_that_closes_a_running_total_is_marked(text: str, label: str) -> None:
    period = only(text)
    assert period.until and not period.since and period.label == label


def test_a_date_can_close_a_running_total() -> None:
    period = only("bis zum 24. Juni verkauft")
    assert period.until and period.day and period.label == "2026-06"


def test_target_year_is_marked() -> None:
    [period] = find_periods("d'ici 2030, le groupe veut", REFERENCE)
    assert period.target and period.start_date == date(2030, 1, 1)
    assert only("à l'horizon 2030").target


@pytest.mark.parametrize(
    "text",
    [
        "by mid-decade",
        "by the middle of the decade",
        "bis Mitte des Jahrzehnts",
        "d'ici le milieu de la décennie",
        "tegen het midden van het decennium",
    ],
)
def test_the_middle_of_the_decade_is_its_fifth_year(text: str) -> None:
    period = only(text)
    assert (period.label, period.relative, period.target) == ("2025", "mid_decade", True)


def test_relative_period_without_reference_stays_a_label() -> None:
    [period] = find_periods("de 738.000 van vorig jaar", None)
    assert period.label == "last_year" and period.start_date is None


def test_month_without_year_takes_the_last_year_written_before_it() -> None:
    periods = find_periods("Salon 2025. Chery Group en mai de cette année", None)
    assert [p.label for p in periods] == ["2025", "2025-05"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("le 3 juin", "2026-06"),
        ("am 3. Juni", "2026-06"),
        ("on 3 June", "2026-06"),
        ("on June 3", "2026-06"),
        ("production began on Nov. 7, 1953", "1953-11"),
        ("le 1er janvier 2022", "2022-01"),
        ("Door ANP - 26-10-2016, 1:47", "2016-10"),
        ("paru le 19/06/2013", "2013-06"),
        ("Mis à jour le 13. 02. 2023", "2023-02"),
        ("published 2024-07-04", "2024-07"),
    ],
)
def test_a_month_with_its_day_is_a_date(text: str, label: str) -> None:
    period = only(text)
    assert period.day and period.label == label


def test_a_figure_after_a_month_is_not_its_day() -> None:
    period = only("Skoda verkaufte im September 19.881 Fahrzeuge")
    assert not period.day and period.label == "2026-09"


@pytest.mark.parametrize(
    "text",
    [
        "in the 1980s",
        "the '80s",
        "in den 1980er-Jahren",
        "in den Achtzigerjahren",
        "dans les années 1980",
        "dans les années 80",
        "in de jaren tachtig",
        "in de jaren '80",
    ],
)
def test_decades(text: str) -> None:
    period = only(text)
    assert (period.label, period.start_date, period.end_date) == (
        "1980s",
        date(1980, 1, 1),
        date(1989, 12, 31),
    )


@pytest.mark.parametrize("text", ["in his twenties", "il y a vingt ans", "de jaren van crisis"])
def test_words_for_ages_and_years_are_not_decades(text: str) -> None:
    assert labels(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("für die Jahre 2020 bis 2031", ["2020/2031"]),
        ("between 2019 and 2021", ["2019/2021"]),
        ("van 2020 tot 2025", ["2020/2025"]),
        ("le plan 2023-2027", ["2023/2027"]),
        ("the 2023-24 season", ["2023/2024"]),
        ("in 2019 and 2020 sales", ["2019", "2020"]),
    ],
)
def test_year_ranges(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("90 wagens per dag", "day"),
        ("1 200 véhicules par jour", "day"),
        ("500 Autos pro Tag", "day"),
        ("400 Fahrzeuge am Tag", "day"),
        ("250 camions/jour", "day"),
        ("20.000 per jaar", "year"),
        ("une capacité de 9 GWh par an", "year"),
        ("300.000 Fahrzeuge pro Jahr", "year"),
        ("100.000 Autos im Jahr", "year"),
        ("$6bn a year", "year"),
        ("it can build 500,000 cars annually", "year"),
        ("jährlich bis zu 150.000", "year"),
        ("jaarlijks 40.000 bussen", "year"),
        ("15.000 unités par mois", "month"),
        ("3.000 auto's per maand", "month"),
    ],
)
def test_rates(text: str, unit: str) -> None:
    period = only(text, rates=True)
    assert period.rate == unit and period.label == f"per {unit}" and period.start_date is None
    assert labels(text) == []  # only on request


@pytest.mark.parametrize(
    "text", ["in a year or two", "two years, a year earlier", "up 5 per cent", "im Jahr 2021"]
)
def test_not_rates(text: str) -> None:
    assert not any(p.rate for p in find_periods(text, REFERENCE, rates=True))


def test_rate_label_joins_the_period() -> None:
    month, rate = find_periods("In februari 2017 rolden 90 wagens per dag", None, rates=True)
    assert rate_label(rate, month) == "per day, 2017-02"
    assert rate_label(rate) == "per day"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "In the third quarter Ford earned $1bn, against $0.8bn in the year-ago period.",
            "2025-Q3",
        ),
        (
            "Hyundai sold 5,400 units in September, up from 4,900 in the corresponding month "
            "last year.",
            "2025-09",
        ),
        (
            "In de eerste negen maanden verkocht Kia 40.000 auto's, tegen 35.000 in dezelfde "
            "periode vorig jaar.",
            "2025-01/2025-09",
        ),
        (
            "Au premier semestre, Dacia a vendu 300 000 voitures, contre 280 000 sur la même "
            "période de l'an dernier.",
            "2025-H1",
        ),
        (
            "Im ersten Halbjahr lieferte Audi 800.000 Autos aus, 5 Prozent mehr als im "
            "Vorjahreszeitraum.",
            "2025-H1",
        ),
        ("Volvo verkocht in oktober 4.250 wagens, tegen 3.900 een jaar eerder.", "2025-10"),
        (
            "Dacia a vendu 7 000 voitures en avril, soit 9 % de plus que l'année précédente.",
            "2025-04",
        ),
        ("2023 verkaufte Opel 500.000 Autos, nach 480.000 im Vorjahr.", "2022"),
        ("En mars 2024, Kia a vendu 9 100 voitures, contre 8 400 il y a un an.", "2023-03"),
        ("Im März 2024 verkaufte Skoda 41.000 Autos, vor einem Jahr 38.500.", "2023-03"),
    ],
)
def test_a_period_a_year_before_the_one_it_compares_with(text: str, label: str) -> None:
    periods = find_periods(text, REFERENCE, anaphoric=True)
    [earlier] = [p for p in periods if p.relative == "year_ago"]
    assert earlier.label == label and earlier.start_date is not None
    assert all(p.relative != "year_ago" for p in find_periods(text, REFERENCE))


def test_a_period_a_year_before_nothing_stays_unresolved() -> None:
    period = only("tegen 3.100 een jaar eerder", None, anaphoric=True)
    assert (period.label, period.relative, period.start_date) == ("year_ago", "year_ago", None)
    # "the same month last year" is not last year
    assert labels("the same month last year") == []


def test_the_month_before() -> None:
    text = "Im September verkaufte Seat 20.000 Autos, 5 Prozent weniger als im Vormonat."
    [_, before] = find_periods(text, REFERENCE, anaphoric=True)
    assert (before.label, before.relative) == ("2026-08", "month_before")
    # with nothing to compare with, the month before publication
    assert only("weniger als im Vormonat", anaphoric=True).label == "2026-10"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "BYD sold 980,000 cars in the second quarter.\n\nTesla sold 440,000 over the same "
            "period.",
            "2026-Q2",
        ),
        (
            "Au premier semestre, Renault a vendu 1,1 million de voitures. Sur la même période, "
            "Stellantis en a vendu 2,9 millions.",
            "2026-H1",
        ),
        (
            "Im dritten Quartal baute Skoda 200.000 Autos, im gleichen Zeitraum baute Seat "
            "100.000.",
            "2026-Q3",
        ),
        (
            "In april verkocht Tesla 855 auto's. In dezelfde periode verkocht BYD er 1.566.",
            "2026-04",
        ),
        ("Exports reached 9,000 units in October. Sales during the month rose 3%.", "2026-10"),
    ],
)
def test_the_same_period_again(text: str, label: str) -> None:
    periods = find_periods(text, REFERENCE, anaphoric=True)
    [same] = [p for p in periods if p.relative == "same_period"]
    assert same.label == label


def test_resolve_relative_against_a_given_period() -> None:
    phrase = only("a year earlier", None, anaphoric=True)
    anchor = only("in the third quarter of 2025")
    resolved = resolve_relative(phrase, anchor)
    assert (resolved.label, resolved.start, resolved.relative) == (
        "2024-Q3",
        phrase.start,
        "year_ago",
    )
    assert resolved.start_date == date(2024, 7, 1)


def test_year_before_keeps_the_flags() -> None:
    period = only("FY2024")
    assert (year_before(period).label, year_before(period).fiscal) == ("2023", True)


def test_named_span() -> None:
    [period] = find_periods("de janvier à mars 2026", None)
    assert period.label == "2026-01/2026-03"
    assert named_span(period).label == "2026-Q1"
    [longer] = find_periods("de janvier à mai 2026", None)
    assert named_span(longer) == longer


@pytest.mark.parametrize("text", ["sept usines en France", "you may see", "het mei-akkoord"])
def test_words_that_look_like_months(text: str) -> None:
    assert labels(text) == []


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


def test_dotted_i_keeps_the_spans() -> None:
    text = "İstanbul fabrikası 2025 yılında; Ford Otosan im ersten Halbjahr 2025"
    periods = find_periods(text, REFERENCE)
    assert [text[p.start : p.end] for p in periods] == ["2025", "ersten Halbjahr 2025"]
