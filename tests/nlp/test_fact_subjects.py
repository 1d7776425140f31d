"""Who a fact is about: companies, countries and markets, named or referred to, in nl, fr,
de and en. Each test shows one kind of case in sentences written for it."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.analysis import Analyzer

Row = tuple[object, ...]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def subjects(
    analyzer: Analyzer, text: str, lang: str, published: date | None = None
) -> dict[float, tuple[str | None, str | None, str]]:
    """value -> (subject KB id, subject kind, metric) of each fact."""
    result = analyzer.analyze(text, lang=lang, published=published)
    return {f.value: (f.subject_kb_id, f.subject_kind, f.metric) for f in result.facts}


# -- countries and markets ---------------------------------------------------------------


def test_french_adjective_of_a_metric_makes_the_country_the_subject(analyzer: Analyzer) -> None:
    text = "En 2025, la production française a atteint 1,38 million de voitures."
    assert subjects(analyzer, text, "fr")[1.38e6] == ("country-fr", "country", "production")


def test_german_adjective_before_registrations(analyzer: Analyzer) -> None:
    text = "Die deutschen Neuzulassungen lagen im Mai 2026 bei 241.800 Fahrzeugen."
    assert subjects(analyzer, text, "de")[241800] == ("country-de", "country", "registrations")


def test_dutch_country_heading_its_clause_is_the_subject(analyzer: Analyzer) -> None:
    text = "Japan voerde in het tweede kwartaal 1,1 miljoen auto's uit naar het buitenland."
    assert subjects(analyzer, text, "nl")[1.1e6] == ("country-jp", "country", "exports")


def test_english_market_total_registered_in_the_eu(analyzer: Analyzer) -> None:
    text = "Some 862,000 new cars were registered in the EU in March 2026."
    assert subjects(analyzer, text, "en")[862000] == ("market-eu", "market", "registrations")


def test_english_uk_car_production_names_its_country(analyzer: Analyzer) -> None:
    text = "UK car production fell to 779,000 units in 2024, the lowest level in decades."
    found = subjects(analyzer, text, "en")
    assert found[779000] == ("country-gb", "country", "production")


def test_a_company_selling_in_a_country_stays_the_subject(analyzer: Analyzer) -> None:
    text = "BYD verkocht in maart 2026 in Duitsland 4.120 auto's."
    result = analyzer.analyze(text, lang="nl")
    [fact] = result.facts
    assert (fact.subject_kb_id, fact.subject_kind, fact.location) == ("byd", "company", "DE")


def test_country_mentions_link_to_one_entity_in_every_language(analyzer: Analyzer) -> None:
    for text, lang in (
        ("Les ventes en Allemagne progressent.", "fr"),
        ("De verkoop in Duitsland stijgt.", "nl"),
        ("Sales in Germany are rising.", "en"),
    ):
        [place] = [e for e in analyzer.analyze(text, lang=lang).entities if e.label == "LOCATION"]
        assert (place.kb_id, place.canonical) == ("country-de", "Germany")


# -- the wrong company nearby ----------------------------------------------------------------


def test_a_name_in_a_dash_aside_is_not_the_subject(analyzer: Analyzer) -> None:
    text = (
        "Renault Group – which also sells Dacia and Alpine cars – delivered 2,26 million "
        "vehicles in 2025."
    )
    assert subjects(analyzer, text, "en")[2.26e6][0] == "renault-group"


def test_the_owner_of_a_brand_named_in_commas_is_not_the_subject(analyzer: Analyzer) -> None:
    text = "Polestar, the electric brand of Geely, sold 51,500 cars in 2025."
    assert subjects(analyzer, text, "en")[51500][0] == "polestar"


def test_a_name_in_a_comparison_is_not_the_subject(analyzer: Analyzer) -> None:
    text = "In april 2026 verkocht Kia meer auto's dan Toyota, namelijk 5.310 stuks."
    assert subjects(analyzer, text, "nl")[5310][0] == "kia"


def test_a_relative_clause_keeps_its_own_subject(analyzer: Analyzer) -> None:
    text = (
        "Das Gemeinschaftsunternehmen, an dem Renault 60 Prozent hält, baute 2025 rund "
        "210.000 Autos."
    )
    assert subjects(analyzer, text, "de")[60] == ("renault", "company", "other")


def test_german_owner_compound_is_not_the_subject(analyzer: Analyzer) -> None:
    text = "Der Smart-Eigner Geely verdiente im ersten Halbjahr 2025 rund 1,2 Milliarden Euro."
    found = subjects(analyzer, text, "de")
    assert found[1.2e9][0] != "smart" and found[1.2e9][2] == "profit"


def test_figures_listed_after_their_companies(analyzer: Analyzer) -> None:
    text = (
        "En 2025, les ventes des marques chinoises ont progressé : 61 200 voitures pour MG, "
        "40 850 pour BYD et 12 400 pour la jeune marque Leapmotor."
    )
    found = subjects(analyzer, text, "fr")
    assert (found[61200][0], found[40850][0], found[12400][0]) == ("mg", "byd", "leapmotor")


def test_figures_in_parentheses_after_their_companies(analyzer: Analyzer) -> None:
    text = "Vorig jaar verkochten vooral Kia (18.200 verkopen) en Skoda (15.900 verkopen) goed."
    found = subjects(analyzer, text, "nl", date(2026, 2, 1))
    assert (found[18200][0], found[15900][0]) == ("kia", "skoda")


def test_a_figure_shared_by_joined_names_belongs_to_none(analyzer: Analyzer) -> None:
    text = "In 2025, MG and Maxus together sold 310,000 vehicles outside China."
    assert 310000 not in subjects(analyzer, text, "en")


# -- companies referred to -----------------------------------------------------------------


def test_dutch_reference_with_a_nationality(analyzer: Analyzer) -> None:
    text = (
        "Tesla en BYD strijden om de Europese markt. In mei 2026 verkocht het Chinese bedrijf "
        "14.300 auto's in Europa."
    )
    assert subjects(analyzer, text, "nl")[14300][0] == "byd"


def test_french_people_of_a_country_stand_for_its_company(analyzer: Analyzer) -> None:
    text = (
        "Toyota devance Ford sur le marché européen. En juin 2026, les Américains n'ont vendu "
        "que 38 400 voitures."
    )
    assert subjects(analyzer, text, "fr")[38400][0] == "ford"


def test_german_group_reference_skips_the_brand(analyzer: Analyzer) -> None:
    text = (
        "Volkswagen stellte im März 2026 den neuen Cupra vor. Der Konzern setzte im ersten "
        "Quartal 2026 rund 2,1 Millionen Fahrzeuge ab."
    )
    assert subjects(analyzer, text, "de")[2.1e6] == ("volkswagen-group", "company", "sales")


def test_english_reference_before_the_name(analyzer: Analyzer) -> None:
    text = (
        "The Korean carmaker sold 402,000 vehicles in Europe in 2025.\n"
        "Kia now wants to build more electric cars in Slovakia."
    )
    assert subjects(analyzer, text, "en")[402000][0] == "kia"


def test_english_parent_company_of_a_named_brand(analyzer: Analyzer) -> None:
    text = "The parent company of Kia plans to hire 3,100 workers at a new plant in Georgia."
    assert subjects(analyzer, text, "en")[3100] == ("hyundai-motor-group", "company", "other")


def test_french_possessive_takes_the_previous_subject(analyzer: Analyzer) -> None:
    text = (
        "Renault a vendu 1,1 million de véhicules au premier semestre 2025. Son chiffre "
        "d'affaires a atteint 27 milliards d'euros."
    )
    assert subjects(analyzer, text, "fr")[27e9] == ("renault", "company", "revenue")


def test_a_plant_named_as_the_actor_stands_for_its_operator(analyzer: Analyzer) -> None:
    text = "Volvo Car Gent telde eind 2025 zo'n 6.400 werknemers."
    assert subjects(analyzer, text, "nl")[6400] == ("volvo-cars", "company", "employees")


def test_a_new_paragraph_does_not_inherit_another_company(analyzer: Analyzer) -> None:
    text = (
        "Stellantis verkocht in 2025 5,5 miljoen auto's.\n\n"
        "Het nieuwe batterijpark kost 2 miljard euro, meldt de provincie."
    )
    assert 2e9 not in subjects(analyzer, text, "nl")


def test_domestic_production_belongs_to_the_country_named(analyzer: Analyzer) -> None:
    text = (
        "De Spaanse overheid wil de binnenlandse autoproductie opvoeren, na 2,37 miljoen "
        "auto's in 2025."
    )
    assert subjects(analyzer, text, "nl")[2.37e6] == ("country-es", "country", "production")


def test_the_plant_referred_to_stands_for_its_operator(analyzer: Analyzer) -> None:
    text = (
        "Volvo Car Gent bouwde in 2025 een nieuwe lakstraat. De fabriek telt ongeveer 6.100 "
        "werknemers."
    )
    assert subjects(analyzer, text, "nl")[6100] == ("volvo-cars", "company", "employees")


def test_a_text_about_one_company_owns_its_unattributed_figures(analyzer: Analyzer) -> None:
    text = (
        "Skoda presented its results on Tuesday. Skoda is growing fast.\n\n"
        "Skoda also opened new dealerships.\n\n"
        "Deliveries reached 926,000 cars in 2025."
    )
    assert subjects(analyzer, text, "en")[926000] == ("skoda", "company", "sales")


def test_a_reference_to_a_company_we_do_not_know_owns_its_figure(analyzer: Analyzer) -> None:
    text = (
        "10h05 - Renault relève ses prévisions\n"
        "Renault a vendu 1,1 million de voitures au premier semestre 2025.\n"
        "10h20 - Résultats dans la chimie\n"
        "Le géant allemand de la chimie publie un bénéfice net de 1,4 milliard d'euros au "
        "deuxième trimestre 2025.\n"
        "10h40 - Semi-conducteurs\n"
        "Le groupe néerlandais des semi-conducteurs a dégagé un chiffre d'affaires de 7,5 "
        "milliards d'euros au deuxième trimestre 2025."
    )
    found = subjects(analyzer, text, "fr")
    assert found[1.1e6][0] == "renault"
    assert 1.4e9 not in found and 7.5e9 not in found


def test_people_of_a_country_are_no_adjective(analyzer: Analyzer) -> None:
    text = "Die deutschen Neuzulassungen stiegen im Juli 2026 auf 239.000 Autos."
    assert subjects(analyzer, text, "de")[239000][1] == "country"


def test_a_client_named_beside_a_supplier_is_not_the_subject(analyzer: Analyzer) -> None:
    text = (
        "Bosch, qui compte parmi ses clients Renault et Stellantis, a réalisé un chiffre "
        "d'affaires de 91 milliards d'euros en 2025."
    )
    assert subjects(analyzer, text, "fr")[91e9][0] not in {"renault", "stellantis"}


def test_a_market_named_before_its_growth_owns_it(analyzer: Analyzer) -> None:
    text = (
        "Toyota a vendu 580 000 voitures en Europe au premier semestre 2025, sur un marché "
        "en hausse de 3,1 %."
    )
    found = subjects(analyzer, text, "fr")
    assert found[580000][0] == "toyota"
    assert found.get(3.1, ("market-europe",))[0] == "market-europe"


def test_a_reference_takes_the_company_of_its_heading(analyzer: Analyzer) -> None:
    text = (
        "9h10 - Ventes de Peugeot en hausse\n"
        "Le constructeur a vendu 512 000 voitures au premier semestre 2025.\n"
        "9h25 - Nouveaux modèles chez Toyota\n"
        "Toyota présente trois nouveaux modèles électriques."
    )
    assert subjects(analyzer, text, "fr")[512000][0] == "peugeot"


def test_a_countrys_industry_owns_its_production(analyzer: Analyzer) -> None:
    text = "The government wants Spanish factories to build 3 million cars a year by 2030."
    assert subjects(analyzer, text, "en")[3e6] == ("country-es", "country", "production")


def test_money_a_public_body_spends_is_no_company_fact(analyzer: Analyzer) -> None:
    text = (
        "Renault ferme son site de Flins en 2026.\n"
        "La Région Île-de-France a débloqué 30 millions d'euros pour le site en 2026."
    )
    assert 30e6 not in subjects(analyzer, text, "fr")


def test_the_carmaker_is_never_a_supplier(analyzer: Analyzer) -> None:
    text = (
        "Bosch a publié ses résultats mardi.\n"
        "Le constructeur automobile a vendu 412 000 voitures au premier semestre 2025."
    )
    assert 412000 not in subjects(analyzer, text, "fr")
    text = (
        "Kia a publié ses résultats mardi, comme son fournisseur Bosch.\n"
        "Le constructeur automobile a vendu 412 000 voitures au premier semestre 2025."
    )
    assert subjects(analyzer, text, "fr")[412000][0] == "kia"


def test_an_unknown_name_heading_the_sentence_spends_its_own_money(analyzer: Analyzer) -> None:
    text = (
        "General Motors und LG bauen gemeinsam Batterien.\n"
        "Nordic Cell Partners investiert 180 Millionen Euro in sein Werk in Lansing."
    )
    assert 180e6 not in subjects(analyzer, text, "de")


def test_the_company_of_the_paragraph_even_when_a_brand(analyzer: Analyzer) -> None:
    text = (
        "Volvo Cars a publié ses chiffres mardi.\n"
        "7h31 - Les ventes de Peugeot progressent\n"
        "Le constructeur a vu ses ventes augmenter, à 612 000 unités au premier semestre 2025."
    )
    assert subjects(analyzer, text, "fr")[612000][0] == "peugeot"
