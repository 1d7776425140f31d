"""What a figure means: which numbers are business facts, their metric, their direction
and qualifier, in nl, fr, de and en. Sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.analysis import Analyzer
from nlp.facts import Fact


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def facts(analyzer: Analyzer, text: str, lang: str, published: date | None = None) -> list[Fact]:
    return analyzer.analyze(text, lang=lang, published=published).facts


def by_figure(found: list[Fact]) -> dict[float, Fact]:
    """Facts keyed by the value their figure has as written."""
    return {fact.figure.value: fact for fact in found}


# -- numbers that are no business facts ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Chez Peugeot, la barre des 300 000 voitures produites a été franchie en 2025.", "fr"),
        ("Volvo Cars overschreed in 2025 de grens van 700.000 verkochte auto's.", "nl"),
        ("Ford's sales surpassed the 2 million mark in 2025.", "en"),
        ("BYD hat im Mai 2026 die Marke von 400.000 verkauften Autos geknackt.", "de"),
    ],
)
def test_thresholds_are_not_facts(analyzer: Analyzer, text: str, lang: str) -> None:
    assert facts(analyzer, text, lang) == []


def test_counts_of_a_model_are_not_company_facts(analyzer: Analyzer) -> None:
    text = "En 2025, Dacia a exporté 61 300 Duster et 48 200 Jogger depuis la Roumanie."
    assert facts(analyzer, text, "fr") == []


def test_numbers_counting_countries_are_not_sales(analyzer: Analyzer) -> None:
    text = "Skoda verkocht vorig jaar auto's in 41 landen."
    assert facts(analyzer, text, "nl") == []


def test_share_price_moves_are_not_facts(analyzer: Analyzer) -> None:
    text = "Renault shares rose 4.2 percent on Tuesday after the carmaker hired new engineers."
    assert facts(analyzer, text, "en") == []


def test_a_headline_repeated_in_the_body_gives_one_fact(analyzer: Analyzer) -> None:
    text = (
        "Hyundai built 84,000 cars in Nosovice in 2025\n"
        "Hyundai built 84,000 cars in Nosovice in 2025, the company said."
    )
    found = facts(analyzer, text, "en")
    assert [(f.subject_kb_id, f.value) for f in found] == [("hyundai", 84000)]


# -- metrics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "metric"),
    [
        ("Renault a une part de marché de 28,4 % en France en 2025.", "fr", "market_share"),
        (
            "Skoda kam 2025 in Deutschland auf einen Marktanteil von 8,1 Prozent.",
            "de",
            "market_share",
        ),
        ("Kia haalde in 2025 een marktaandeel van 6,2 procent.", "nl", "market_share"),
        ("Tesla delivered 384,000 vehicles in the first quarter of 2025.", "en", "sales"),
        ("Volvo Cars leverde in 2025 710.000 auto's af.", "nl", "sales"),
        ("In 2025 werden 45.300 Tesla's op kenteken gezet in Nederland.", "nl", "registrations"),
        (
            "Le chiffre d'affaires de Valeo a atteint 21,5 milliards d'euros en 2025.",
            "fr",
            "revenue",
        ),
        ("Der Umsatz von Continental lag 2025 bei 39,7 Milliarden Euro.", "de", "revenue"),
        ("De autoverkoop van Toyota steeg in 2025 naar 82.000 stuks.", "nl", "sales"),
        ("Mercedes-Benz setzte 2025 weltweit 1,98 Millionen Pkw ab.", "de", "sales"),
        ("Stellantis emploie 248 000 salariés dans le monde en 2025.", "fr", "employees"),
    ],
)
def test_metric_words(analyzer: Analyzer, text: str, lang: str, metric: str) -> None:
    found = [f for f in facts(analyzer, text, lang) if f.qualifier != "change"]
    assert [f.metric for f in found] == [metric]


def test_a_plants_capacity_is_capacity_not_production(analyzer: Analyzer) -> None:
    text = "L'usine aura une capacité de production de 250 000 voitures par an, selon Renault."
    [fact] = facts(analyzer, text, "fr")
    assert (fact.metric, fact.period, fact.qualifier) == ("capacity", "per year", "actual")


def test_up_to_a_daily_rate_is_a_capacity(analyzer: Analyzer) -> None:
    text = "Iveco kann in seinem Werk bis zu 180 Lkw pro Tag bauen."
    [fact] = facts(analyzer, text, "de")
    assert (fact.metric, fact.period) == ("capacity", "per day")


def test_a_stake_is_an_other_fact(analyzer: Analyzer) -> None:
    text = "Stellantis holds a 21 percent stake in Leapmotor since October 2023."
    [fact] = facts(analyzer, text, "en", date(2026, 1, 5))
    assert (fact.subject_kb_id, fact.metric, fact.value) == ("stellantis", "other", 21)


def test_a_share_of_a_companys_sales_is_an_other_fact(analyzer: Analyzer) -> None:
    text = "Bij Kia waren elektrische auto's in 2025 goed voor 23 procent van de verkopen."
    [fact] = facts(analyzer, text, "nl")
    assert (fact.subject_kb_id, fact.metric) == ("kia", "other")


def test_announced_job_cuts_are_facts_not_targets(analyzer: Analyzer) -> None:
    text = "Ford will cut 4,000 jobs in Europe by the end of 2027."
    [fact] = facts(analyzer, text, "en", date(2026, 11, 20))
    assert (fact.metric, fact.unit, fact.qualifier) == ("other", "employees", "actual")


def test_a_money_amount_in_a_deal_is_an_investment(analyzer: Analyzer) -> None:
    text = "The $2.3bn deal will see Renault take a larger part of the electric car business."
    [fact] = facts(analyzer, text, "en")
    assert (fact.subject_kb_id, fact.metric, fact.value) == ("renault", "investment", 2.3e9)


# -- direction: changes carry their sign, losses are negative profits --------------------------


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("Nissan's sales in Europe were down 10 percent in May 2026.", "en", -10),
        ("Les ventes de Citroën ont reculé de 5 % en avril 2026.", "fr", -5),
        ("Der Absatz von Opel ist im März 2026 um 8 Prozent gesunken.", "de", -8),
        ("De verkoop van Mazda daalde in 2025 met 3,5 procent.", "nl", -3.5),
        ("Volvo Cars' sales rose 6 percent in June 2026.", "en", 6),
    ],
)
def test_a_change_carries_its_sign(analyzer: Analyzer, text: str, lang: str, value: float) -> None:
    [fact] = facts(analyzer, text, lang)
    assert (fact.qualifier, fact.value, fact.figure.value) == ("change", value, abs(value))


def test_a_loss_is_a_negative_profit(analyzer: Analyzer) -> None:
    text = "Northvolt a enregistré une perte nette de 142 millions de dollars en 2023."
    found = facts(analyzer, text, "fr")
    assert [(f.metric, f.value, f.figure.value) for f in found] == [("profit", -142e6, 142e6)]


def test_a_fall_and_a_loss_in_one_sentence_are_both_negative(analyzer: Analyzer) -> None:
    text = (
        "Kia's deliveries dropped 9 percent to 18,700 cars in Austria last year, and the "
        "Hyundai group reported an operating loss of 63 million euros."
    )
    found = by_figure(facts(analyzer, text, "en"))
    assert (found[9].metric, found[9].qualifier, found[9].value) == ("sales", "change", -9)
    assert (found[18700].qualifier, found[18700].value, found[18700].location) == (
        "actual",
        18700,
        "AT",
    )
    loss = found[63e6]
    assert (loss.metric, loss.value, loss.unit) == ("profit", -63e6, "EUR")
    assert loss.location is None  # Austria belongs to the other clause


def test_a_difference_is_a_change_and_the_level_it_reaches_is_not(analyzer: Analyzer) -> None:
    text = "Der Absatz von Audi ging im Mai 2026 um 6.300 Einheiten auf 41.200 Fahrzeuge zurück."
    found = by_figure(facts(analyzer, text, "de"))
    assert (found[6300].qualifier, found[6300].value) == ("change", -6300)
    assert (found[41200].qualifier, found[41200].value) == ("actual", 41200)


def test_a_percent_change_then_the_level(analyzer: Analyzer) -> None:
    text = "Le bénéfice net de Michelin a bondi de 12 %, à 2,1 milliards d'euros, en 2025."
    found = by_figure(facts(analyzer, text, "fr"))
    assert (found[12].qualifier, found[12].metric) == ("change", "profit")
    assert (found[2.1e9].qualifier, found[2.1e9].metric) == ("actual", "profit")


# -- qualifiers and periods ------------------------------------------------------------------


def test_past_quarterly_results_are_not_a_forecast(analyzer: Analyzer) -> None:
    text = "Renault hat im zweiten Quartal 2026 wie erwartet 12,3 Milliarden Euro Umsatz erzielt."
    [fact] = facts(analyzer, text, "de", date(2026, 7, 30))
    assert (fact.metric, fact.period, fact.qualifier) == ("revenue", "2026-Q2", "actual")


def test_a_stated_goal_for_a_past_year_is_still_a_target(analyzer: Analyzer) -> None:
    text = "Das Absatzziel von Nio für 2025 lag bei 440.000 Autos."
    [fact] = facts(analyzer, text, "de", date(2026, 2, 1))
    assert fact.qualifier == "target"


def test_a_daily_rate_keeps_its_period(analyzer: Analyzer) -> None:
    text = "In februari 2026 bouwde Tesla in Tilburg zo'n 95 wagens per dag."
    [fact] = facts(analyzer, text, "nl")
    assert (fact.metric, fact.period) == ("production", "per day, 2026-02")


def test_a_year_earlier_is_not_a_rate(analyzer: Analyzer) -> None:
    text = "Seat sold 51,000 cars in March 2026, against 47,000 a year earlier."
    found = by_figure(facts(analyzer, text, "en"))
    assert (found[51000].period, found[47000].period) == ("2026-03", "2025-03")


def test_the_base_of_a_comparison_is_not_the_period(analyzer: Analyzer) -> None:
    text = (
        "Geely verkaufte 2025 rund 4 Prozent mehr Autos als 2024. 1,3 Millionen davon gingen "
        "ins Ausland."
    )
    found = by_figure(facts(analyzer, text, "de"))
    assert found[1.3e6].period == "2025"


def test_a_deadline_is_no_comparison_and_a_comparison_ends_with_its_sentence(
    analyzer: Analyzer,
) -> None:
    text = (
        "Kia verkocht in maart 6.100 wagens, tegen 5.800 in 2024. Kia wil tegen eind 2028 in "
        "Zilina 4.000 mensen aan het werk hebben. Tegen 2030 wil Kia daar 2.000 extra banen."
    )
    found = by_figure(facts(analyzer, text, "nl", date(2026, 4, 2)))
    assert (found[5800].period, found[4000].period) == ("2024", "2028")
    assert found[4000].qualifier == "target"


def test_a_sentence_without_a_period_keeps_the_latest_of_the_sentence_before(
    analyzer: Analyzer,
) -> None:
    text = (
        "Au premier semestre, Kia a livré 801 300 voitures, contre 784 800 un an plus tôt. "
        "En Europe, Kia a aussi progressé de 4 %, à 312 400 véhicules."
    )
    found = by_figure(facts(analyzer, text, "fr", date(2025, 7, 20)))
    assert (found[784800].period, found[312400].period) == ("2024-H1", "2025-H1")


def test_a_plant_places_the_figures_made_there_and_not_the_sales(analyzer: Analyzer) -> None:
    text = (
        "Volvo Cars bouwde in 2025 in zijn fabriek in Gent 190.000 auto's. Tesla, dat een "
        "fabriek in Grünheide heeft, leverde in 2025 wereldwijd 1,6 miljoen auto's af."
    )
    found = by_figure(facts(analyzer, text, "nl"))
    assert (found[190000].metric, found[190000].location) == ("production", "BE")
    assert found[1.6e6].location is None


def test_passing_a_precise_number_is_a_level_and_a_round_one_a_milestone(
    analyzer: Analyzer,
) -> None:
    text = (
        "Fin mars 2026, la base d'utilisateurs de Renault dépassait les 12,4 millions. Les "
        "ventes de Renault ont dépassé le million d'unités en 2025."
    )
    found = facts(analyzer, text, "fr")
    assert [(f.value, f.metric) for f in found] == [(12.4e6, "users")]


def test_money_before_a_plant_word_is_an_investment(analyzer: Analyzer) -> None:
    text = "Rivian is building a $5 billion factory near Atlanta."
    [fact] = facts(analyzer, text, "en")
    assert (fact.subject_kb_id, fact.metric, fact.value) == ("rivian", "investment", 5e9)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kia bringt 2026 in Europa drei SUVs auf den Markt.", "de"),
        ("Renault compte vendre la voiture dans une dizaine de pays.", "fr"),
        ("BYD sells cars in a 12-nation trading bloc.", "en"),
    ],
)
def test_small_counts_and_counted_words_are_not_sales(
    analyzer: Analyzer, text: str, lang: str
) -> None:
    assert facts(analyzer, text, lang) == []


def test_a_number_ending_a_german_sentence_does_not_join_the_next(analyzer: Analyzer) -> None:
    text = (
        "Der Absatz von MAN lag 2025 bei 98.300 Lkw, nach 2024 mit 91.200. Im Werk München "
        "arbeiten rund 9.800 Menschen."
    )
    found = by_figure(facts(analyzer, text, "de"))
    assert (found[91200].metric, found[9800].metric) == ("sales", "employees")


def test_a_german_count_of_parts_is_no_vehicle_count(analyzer: Analyzer) -> None:
    text = "Das Start-up lieferte 2025 rund 2.000 funktionierende Zellen an Volkswagen."
    assert facts(analyzer, text, "de") == []


def test_dutch_separable_verb_of_an_investment(analyzer: Analyzer) -> None:
    text = "In 2027 trekt Toyota 250 miljoen euro uit voor zijn fabriek in Valenciennes."
    [fact] = facts(analyzer, text, "nl", date(2026, 12, 1))
    assert (fact.subject_kb_id, fact.metric, fact.qualifier) == ("toyota", "investment", "target")


def test_a_count_of_makers_is_no_production(analyzer: Analyzer) -> None:
    text = "Hyundai said that 14 manufacturers had production sites in the region."
    assert facts(analyzer, text, "en") == []


def test_a_year_ago_in_the_sentence_before_does_not_date_the_next(analyzer: Analyzer) -> None:
    text = (
        "Kia a vendu 610 000 voitures au premier semestre 2025, contre 590 000 il y a un an. "
        "Kia a aussi enregistré une hausse de ses volumes en Europe, à 270 000 voitures."
    )
    assert by_figure(facts(analyzer, text, "fr"))[270000].period == "2025-H1"


def test_a_capacity_for_a_target_year_is_a_target(analyzer: Analyzer) -> None:
    text = "Bis 2030 soll die Kapazität von Skoda auf 1,2 Millionen Fahrzeuge steigen."
    [fact] = facts(analyzer, text, "de", date(2026, 5, 1))
    assert (fact.metric, fact.qualifier) == ("capacity", "target")


def test_a_converted_amount_keeps_the_year_ago_period(analyzer: Analyzer) -> None:
    text = (
        "Au deuxième trimestre 2025, Hyundai a dégagé un bénéfice net de 3 200 milliards de "
        "wons (2,3 milliards de dollars) à la même période de l'an dernier."
    )
    found = by_figure(facts(analyzer, text, "fr"))
    assert found[3.2e12].period == found[2.3e9].period == "2024-Q2"


def test_a_list_of_figures_each_with_its_year(analyzer: Analyzer) -> None:
    text = "En Europe, Kia a vendu 40 000 voitures en 2022, 52 000 en 2023 et 61 000 en 2024."
    found = by_figure(facts(analyzer, text, "fr"))
    assert [found[v].period for v in (40000, 52000, 61000)] == ["2022", "2023", "2024"]


def test_a_year_in_the_next_clause_is_not_the_figures(analyzer: Analyzer) -> None:
    text = "The Skoda factory is worth $900 million and it will start production in 2028."
    [fact] = facts(analyzer, text, "en")
    assert (fact.metric, fact.period) == ("investment", None)


def test_the_same_period_refers_to_the_period_before(analyzer: Analyzer) -> None:
    text = (
        "Tesla sold 384,000 cars in the first quarter of 2025.\n"
        "BYD, meanwhile, sold 416,000 cars over the same period."
    )
    found = by_figure(facts(analyzer, text, "en", date(2025, 5, 2)))
    assert found[416000].period == "2025-Q1"


def test_deliveries_until_the_end_of_a_year_are_a_running_total(analyzer: Analyzer) -> None:
    text = (
        "Die Auslieferungen von Cupra erreichten bis Ende vergangenen Jahres 1,2 Millionen Autos."
    )
    [fact] = facts(analyzer, text, "de", date(2026, 3, 1))
    assert (fact.period, fact.qualifier) == ("cumulative", "cumulative")


def test_a_headcount_in_total_is_no_running_total(analyzer: Analyzer) -> None:
    text = "In totaal werken er in maart 2026 zo'n 4.100 mensen bij Volvo Car Gent."
    [fact] = facts(analyzer, text, "nl")
    assert (fact.metric, fact.period, fact.qualifier) == ("employees", "2026-03", "actual")


def test_a_page_dates_itself_when_no_date_is_given(analyzer: Analyzer) -> None:
    text = (
        "Autonieuws | Mis à jour le 14. 03. 2026 | Marché\n"
        "Le mois dernier, Renault a vendu 98 000 voitures en Europe."
    )
    [fact] = facts(analyzer, text, "fr")
    assert fact.period == "2026-02"


def test_two_rates_in_one_sentence_each_take_their_own(analyzer: Analyzer) -> None:
    text = "Bij Tesla in Tilburg rollen zo'n 95 wagens per dag van de band, zo'n 21.000 per jaar."
    found = by_figure(facts(analyzer, text, "nl"))
    assert (found[95].period, found[21000].period) == ("per day", "per year")
