"""Plant mentions in Dutch, French, German and English: the kinds of phrase that place a
plant, lists of sites, operators, knowledge-base links, and words that name no plant."""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from nlp.entities import EntityMention, KBMatcher
from nlp.kb import load_kb
from nlp.places import city_of_adjective, country_of
from nlp.plants import PlantFinder


@cache
def _tools(lang: str) -> tuple[KBMatcher, PlantFinder]:
    kb = load_kb()
    return KBMatcher(kb, lang), PlantFinder(kb, lang)


def plants(text: str, lang: str) -> list[EntityMention]:
    matcher, finder = _tools(lang)
    return finder.find(text, matcher.find(text))


def places(text: str, lang: str) -> list[str]:
    """The phrase of each plant mention."""
    return [mention.text for mention in plants(text, lang)]


def only(text: str, lang: str) -> EntityMention:
    [mention] = plants(text, lang)
    return mention


# --- a plant word and a place ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "phrase", "canonical_part"),
    [
        (
            "Kia opent volgend jaar een fabriek in het Slowaakse Trnava.",
            "nl",
            "fabriek in het Slowaakse Trnava",
            "Trnava",
        ),
        ("Peugeot agrandit son usine de Sochaux.", "fr", "usine de Sochaux", "Sochaux"),
        (
            "Toyota investiert in sein Werk im sächsischen Zwenkau.",
            "de",
            "Werk im sächsischen Zwenkau",
            "Zwenkau",
        ),
        (
            "Tesla runs a factory an hour north of Reno, people say.",
            "en",
            "factory an hour north of Reno",
            "Reno",
        ),
        (
            "The Hyundai factory near Montgomery employs 3,000 people.",
            "en",
            "Hyundai factory near Montgomery",
            "Montgomery",
        ),
    ],
)
def test_a_plant_word_before_a_place(
    text: str, lang: str, phrase: str, canonical_part: str
) -> None:
    mention = only(text, lang)
    assert mention.text == phrase
    assert canonical_part in mention.canonical or mention.kb_id is not None


@pytest.mark.parametrize(
    ("text", "lang", "phrase"),
    [
        ("The Halewood plant will build electric vans.", "en", "Halewood plant"),
        ("Ford said its Valencia factory would idle.", "en", "Valencia factory"),
        ("Stellantis plans a third Ohio plant.", "en", "third Ohio plant"),
        ("Output at the Cowley site rose.", "en", "Cowley site"),
    ],
)
def test_a_place_before_an_english_plant_word(text: str, lang: str, phrase: str) -> None:
    assert places(text, lang) == [phrase]


def test_a_model_before_a_plant_word_is_no_place() -> None:
    assert places("Chevrolet stops the Chevrolet Bolt plant line.", "en") == []


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [
        ("BMW baut im Werk Dingolfing den i7.", "de", "Dingolfing"),
        ("Audi erweitert sein ungarisches Werk Győr.", "de", "Győr"),
        ("Fiat denkt an das Werk Melfi in Italien.", "de", "Melfi"),
        ("Tesla plant mehr Schichten in der Gigafactory Grünheide.", "de", "Grünheide"),
    ],
)
def test_german_plant_word_with_the_name_right_after_it(text: str, lang: str, place: str) -> None:
    mention = only(text, lang)
    assert mention.text.endswith(place) and mention.kb_id is not None


def test_the_country_of_an_adjective_is_kept() -> None:
    assert only("Opel will in seinem polnischen Werk Gliwice sparen.", "de").country == "PL"
    unknown = only("Lightyear zoekt een fabriek in het Duitse Kleinstadt.", "nl")
    assert unknown.kb_id is None and unknown.country == "DE"


@pytest.mark.parametrize(
    ("text", "lang", "phrase"),
    [
        ("L'usine de moteurs de Cléon tourne à plein.", "fr", "usine de moteurs de Cléon"),
        (
            "Volkswagen eröffnet eine Batteriezellenfabrik in Salzgitter.",
            "de",
            "Batteriezellenfabrik in Salzgitter",
        ),
        ("Stellantis builds a battery complex in Kokomo.", "en", "complex in Kokomo"),
    ],
)
def test_a_complement_or_compound_names_the_kind_of_plant(
    text: str, lang: str, phrase: str
) -> None:
    assert places(text, lang) == [phrase]


# --- a company and a place ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "phrase", "operator"),
    [
        ("We waren te gast bij Lightyear in Helmond.", "nl", "Lightyear in Helmond", "lightyear"),
        ("Une journée chez Renault à Flins.", "fr", "Renault à Flins", "renault"),
        ("Die Stimmung bei Opel in Eisenach ist gut.", "de", "Opel in Eisenach", "stellantis"),
    ],
)
def test_a_company_visited_in_a_place(text: str, lang: str, phrase: str, operator: str) -> None:
    mention = only(text, lang)
    assert mention.text == phrase and mention.operator == operator


@pytest.mark.parametrize(
    ("text", "lang", "kb_id"),
    [
        ("Ford Genk sloot in 2014 de poorten voor de productie.", "nl", "ford-genk"),
        ("Honda at Swindon built its last Civic in 2021.", "en", "honda-swindon"),
        ("In Wolfsburg produziert Volkswagen den Tiguan.", "de", "vw-wolfsburg"),
        ("Douai fabrique la Mégane de Renault.", "fr", "renault-douai"),
    ],
)
def test_a_known_plant_town_with_its_operator(text: str, lang: str, kb_id: str) -> None:
    assert only(text, lang).kb_id == kb_id


@pytest.mark.parametrize(
    ("text", "lang", "kb_id", "operator"),
    [
        # a battery plant in a town with only a car plant: a plant of its own
        (
            "Morrow, leverancier van VDL Nedcar, wil een batterijfabriek in Born.",
            "nl",
            None,
            "morrow",
        ),
        (
            "Northvolt, fournisseur de Stellantis, prévoit une usine de batteries à Sochaux.",
            "fr",
            None,
            "northvolt",
        ),
        # a battery maker's plant in the same town as a carmaker's
        (
            "Ultium Cells erweitert seine Gigafactory in Spring Hill.",
            "de",
            "ultium-cells-spring-hill",
            "ultium-cells",
        ),
        (
            "GM builds the Lyriq at its plant in Spring Hill.",
            "en",
            "gm-spring-hill",
            "general-motors",
        ),
    ],
)
def test_a_battery_plant_is_not_the_car_plant_of_its_town(
    text: str, lang: str, kb_id: str | None, operator: str
) -> None:
    mention = only(text, lang)
    assert (mention.kb_id, mention.operator) == (kb_id, operator)


def test_a_known_town_without_production_is_no_plant() -> None:
    assert places("BMW, based in Munich, reported its results.", "en") == []
    assert places("CATL-Manager sprachen am Montag in Erfurt mit der Presse.", "de") == []


# --- a product made somewhere ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "kb_id"),
    [
        ("De bussen worden in Valkenswaard gebouwd door VDL.", "nl", "vdl-bus-valkenswaard"),
        ("La 308 de Peugeot est produite à Mulhouse.", "fr", "stellantis-mulhouse"),
        ("Der ID.4 von Volkswagen wird in Emden gebaut.", "de", "vw-emden"),
        ("The Nissan Leaf is assembled in Smyrna.", "en", "nissan-smyrna"),
    ],
)
def test_a_product_made_somewhere(text: str, lang: str, kb_id: str) -> None:
    assert only(text, lang).kb_id == kb_id


def test_made_in_a_country_is_no_plant() -> None:
    assert places("The Toyota Yaris is built in France and sold in Spain.", "en") == []


# --- lists of sites ----------------------------------------------------------------------


def test_one_mention_per_site_of_a_list_each_on_its_own_span() -> None:
    found = plants(
        "Renault rénove ses usines de Sandouville, Cléon (Seine-Maritime) et de Flins.", "fr"
    )
    assert [m.text for m in found] == ["usines de Sandouville", "Cléon", "Flins"]
    assert [m.kb_id for m in found] == ["renault-sandouville", "renault-cleon", "renault-flins"]
    assert {m.operator for m in found} == {"renault"}


def test_a_german_list_of_plants() -> None:
    text = "Volkswagen hat Werke in Wolfsburg, Emden und Zwickau; BYD baut Anlagen in Szeged."
    found = plants(text, "de")
    assert [m.kb_id for m in found] == ["vw-wolfsburg", "vw-emden", "vw-zwickau", "byd-szeged"]


def test_a_list_of_countries_gives_a_plant_per_country() -> None:
    text = "Stellantis sluit tijdelijk fabrieken in Italië, Frankrijk en Polen."
    assert [m.country for m in plants(text, "nl")] == ["IT", "FR", "PL"]


def test_a_country_adds_nothing_where_a_town_in_it_is_named() -> None:
    text = "BYD opened a factory in Hungary. The factory in Szeged will build the Dolphin."
    assert places(text, "en") == ["factory in Szeged"]


def test_a_town_and_its_region_are_one_place() -> None:
    mention = only("BMW runs a plant in Spartanburg, South Carolina, since 1994.", "en")
    assert mention.text == "plant in Spartanburg, South Carolina"
    assert mention.kb_id == "bmw-spartanburg"


def test_plant_mentions_never_overlap() -> None:
    text = (
        "Volvo Gand reste la plus grande usine de Volvo: l'usine gantoise de Volvo a assemblé "
        "200 000 voitures à Gand, et l'usine de Gand ouvrira une ligne de batteries."
    )
    found = plants(text, "fr")
    spans = sorted((m.start, m.end) for m in found)
    assert len(found) >= 3
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


# --- town adjectives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "kb_id"),
    [
        ("L'usine mulhousienne de Stellantis recrute.", "fr", "stellantis-mulhouse"),
        ("Das Zwickauer Werk baut nur noch Elektroautos.", "de", "vw-zwickau"),
        ("De Gentse fabriek van Volvo bouwt de EX30.", "nl", "volvo-car-gent"),
    ],
)
def test_a_town_adjective_names_the_plant(text: str, lang: str, kb_id: str) -> None:
    assert only(text, lang).kb_id == kb_id


def test_town_adjectives() -> None:
    assert city_of_adjective("Gantoise") == "Gand"
    assert city_of_adjective("rapide") is None
    assert country_of("Türkiye") == "TR" and country_of("britanniques") == "GB"


# --- operators ---------------------------------------------------------------------------


def test_the_possessor_is_the_operator() -> None:
    mention = only("Great Wall Motor hat seine Werke in Xianning erweitert.", "de")
    assert mention.operator == "great-wall" and "Xianning" in mention.canonical


def test_a_relative_clause_names_the_operator() -> None:
    text = "The deal follows Hyundai's move and Lucid, which will build a factory in Dammam."
    mention = only(text, "en")
    assert mention.operator == "lucid" and mention.canonical == "Lucid Dammam"


def test_the_company_the_text_is_about_runs_an_unnamed_plant() -> None:
    text = "Stellantis kampt met overschotten. De fabriek in Kragujevac ligt stil."
    assert only(text, "nl").kb_id == "stellantis-kragujevac"


def test_a_former_operator_finds_the_plant() -> None:
    mention = only("Chery rouvre l'ancienne usine Nissan de Barcelone.", "fr")
    assert mention.kb_id == "barcelona-zona-franca"
    assert mention.operator == "chery" and "nissan" in mention.former_operators


# --- words that name no plant here -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("She works in Germany and the issue is complex in China.", "en"),
        ("A detention facility in El Paso held 155 people.", "en"),
        ("The power plant in Ohio burns coal.", "en"),
        ("Die Anlagen in Betrieb bleiben, sagt die Denkfabrik Agora.", "de"),
        ("Der Konzern hat Standorte im Ausland.", "de"),
        ("BMW plant den Bau eines Museums.", "de"),
        ("Les voitures sont présentées en mars sur le site de Renault.", "fr"),
    ],
)
def test_no_plant(text: str, lang: str) -> None:
    assert places(text, lang) == []


# --- more shapes of place ----------------------------------------------------------------


def test_a_country_then_a_town_is_the_town() -> None:
    mention = only("BYD ouvrira une usine en Hongrie, à Szeged, dès l'an prochain.", "fr")
    assert mention.text == "usine en Hongrie, à Szeged" and mention.kb_id == "byd-szeged"


def test_a_place_whose_sites_the_list_names_is_left_out() -> None:
    text = (
        "Iveco a trois usines en France (5 000 salariés), dont deux à Annonay et Bourg-en-Bresse."
    )
    assert [m.text for m in plants(text, "fr")] == ["Annonay", "Bourg-en-Bresse"]


def test_a_french_en_is_no_list() -> None:
    assert places("Ford a fermé son usine de Blanquefort en Gironde.", "fr") == [
        "usine de Blanquefort"
    ]


def test_a_maker_the_kb_lacks_between_plant_word_and_town() -> None:
    mention = only("Les grévistes de l'usine PSA d'Aulnay-sous-Bois ont défilé.", "fr")
    assert mention.text == "usine PSA d'Aulnay-sous-Bois" and mention.kb_id == "stellantis-aulnay"


def test_a_plant_name_is_not_its_town() -> None:
    mention = only("Workers at GM's Fort Wayne Assembly Plant went on strike.", "en")
    assert mention.kb_id == "gm-fort-wayne"


def test_products_made_in_several_towns() -> None:
    assert [
        m.kb_id
        for m in plants("Die Busse von MAN werden in München und Salzgitter montiert.", "de")
    ] == [
        "man-munich",
        "man-salzgitter",
    ]
    assert len(plants("De trucks van DAF worden gebouwd in Eindhoven en Westerlo.", "nl")) == 2


def test_a_sister_company_s_only_plant_in_a_town() -> None:
    mention = only("Volkswagen modernise son usine de Martorell.", "fr")
    assert mention.kb_id == "seat-martorell"


def test_a_country_names_the_operator_s_only_plant_there() -> None:
    mention = only("Chery koopt de Nissan-fabriek in Zuid-Afrika.", "nl")
    assert mention.kb_id == "nissan-rosslyn" and mention.operator == "nissan"
    several = only("Stellantis sluit een fabriek in Polen.", "nl")
    assert several.kb_id is None and several.country == "PL"


def test_a_plant_named_by_its_town_takes_the_place_of_the_location() -> None:
    from nlp.analysis import Analyzer

    text = "Stellantis sluit fabrieken in Polen, Duitsland en Spanje voor twee weken."
    entities = Analyzer().analyze(text, lang="nl").entities
    spans = [(m.start, m.end) for m in entities]
    assert len(spans) == len(set(spans))
    labels = {m.text: m.label for m in entities}
    assert labels["Duitsland"] == "PLANT" and labels["Spanje"] == "PLANT"
