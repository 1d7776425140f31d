"""Companies and plants in Dutch, French, German and English: knowledge-base linking with
case, possessives and compounds; companies found by rules; statistical noise removed."""

from __future__ import annotations

import pytest

from nlp.analysis import Analyzer
from nlp.entities import (
    EntityMention,
    KBMatcher,
    plausible_model_mentions,
    rule_companies,
    rule_organisations,
)
from nlp.kb import load_kb


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def linked(text: str, lang: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.kb_id) for m in KBMatcher(load_kb(), lang).find(text)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Chery’s groei en JLR’s plannen", "nl", [("Chery", "chery"), ("JLR", "jlr")]),
        ("De BYD-concern groeit", "nl", [("BYD", "byd")]),
        (
            "Chery's Jaecoo et Omoda",
            "fr",
            [("Chery", "chery"), ("Jaecoo", "jaecoo"), ("Omoda", "omoda")],
        ),
        ("Das VW-Werk gehört zu Volkswagens Kernmarke", "de", [("VW", "volkswagen")]),
        (
            "Chery’s brands Jaecoo and Omoda",
            "en",
            [("Chery", "chery"), ("Jaecoo", "jaecoo"), ("Omoda", "omoda")],
        ),
    ],
)
def test_possessives_and_compounds(
    text: str, lang: str, expected: list[tuple[str, str | None]]
) -> None:
    assert [pair for pair in linked(text, lang) if pair in expected] == expected


@pytest.mark.parametrize(
    ("text", "lang", "brands"),
    [
        ("Elke seat was bezet toen Seat zijn nieuwe model toonde.", "nl", ["Seat"]),
        ("Une mini citadine face à la Mini électrique.", "fr", ["Mini"]),
        ("Ein smarter Zug: Smart zeigt den #5.", "de", ["Smart"]),
        ("Every seat was taken; a jeep-like look for the new Jeep.", "en", ["Jeep"]),
        ("a smart move by Smart and a mini break for Mini", "en", ["Smart", "Mini"]),
    ],
)
def test_brand_names_that_are_also_words(text: str, lang: str, brands: list[str]) -> None:
    assert [name for name, _ in linked(text, lang)] == brands


def test_brands_belong_to_their_groups() -> None:
    kb = load_kb()
    for brand in ("jaecoo", "omoda", "jetour", "exeed"):
        entity = kb.get(brand)
        assert entity is not None and entity.parent == "chery"
    chery = kb.get("chery")
    assert chery is not None and chery.parent == "chery-holding"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Autohandel Janssen B.V. en Van Mossel Automotive Groep groeien.",
            ["Autohandel Janssen B.V.", "Van Mossel Automotive Groep"],
        ),
        (
            "Le fournisseur Dupont Équipements SAS recrute.",
            ["Dupont Équipements SAS"],
        ),
        ("Die Müller Fahrzeugbau GmbH beliefert Zwickau.", ["Müller Fahrzeugbau GmbH"]),
        ("It ended in Burnaston. Acme Motors Ltd took over.", ["Acme Motors Ltd"]),
        ("Then Smith’s Quarry Holdings bought it.", ["Quarry Holdings"]),
        ("The Group said nothing.", []),
    ],
)
def test_companies_outside_the_kb_from_legal_forms(text: str, names: list[str]) -> None:
    assert [m.text for m in rule_companies(text)] == names


@pytest.mark.parametrize(
    ("text", "lang", "phrase", "kb_id", "operator"),
    [
        (
            "Chery nam de Nissan-fabriek in Barcelona over.",
            "nl",
            "Nissan-fabriek in Barcelona",
            "barcelona-zona-franca",
            "chery",
        ),
        (
            "La Yaris sort de l'usine Toyota d'Onnaing.",
            "fr",
            "usine Toyota d'Onnaing",
            "toyota-onnaing",
            "toyota",
        ),
        (
            "Der ID.3 läuft im VW-Werk in Zwickau vom Band.",
            "de",
            "VW-Werk in Zwickau",
            "vw-zwickau",
            "volkswagen",
        ),
        (
            "Nissan's Sunderland plant builds the Leaf.",
            "en",
            "Nissan's Sunderland plant",
            "nissan-sunderland",
            "nissan",
        ),
    ],
)
def test_plants_are_linked_to_the_kb(
    analyzer: Analyzer, text: str, lang: str, phrase: str, kb_id: str, operator: str
) -> None:
    [plant] = [m for m in analyzer.analyze(text, lang=lang).entities if m.label == "PLANT"]
    assert (plant.text, plant.kb_id, plant.operator) == (phrase, kb_id, operator)


def test_a_former_operator_finds_the_plant_and_is_kept(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Chery kocht de voormalige Nissan-fabriek in Barcelona.", lang="nl")
    [plant] = [m for m in result.entities if m.label == "PLANT"]
    assert plant.operator == "chery" and "nissan" in plant.former_operators
    assert plant.as_json()["former_operators"] == ["nissan"]


def test_an_unknown_plant_gets_operator_and_place(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Renault opent een Renault-fabriek in Tanger.", lang="nl")
    [plant] = [m for m in result.entities if m.label == "PLANT"]
    assert plant.kb_id is None or plant.kb_id.startswith("renault")
    assert plant.operator is not None and plant.operator.startswith("renault")
    assert "Tanger" in plant.canonical or plant.kb_id is not None


def _model(text: str, name: str, label: str) -> EntityMention:
    start = text.index(name)
    return EntityMention(name, label, start, start + len(name), name, kind=label.lower())


def test_statistical_noise_is_removed() -> None:
    text = (
        "Pékin (Xinhua) - Le nouveau modèle ZENITH arrive. Poursuivant sa route, la R&D de "
        "l'Asie du Sud-Est grandit."
    )
    mentions = [
        _model(text, "Pékin", "LOCATION"),
        _model(text, "Xinhua", "LOCATION"),
        _model(text, "ZENITH", "ORG"),
        _model(text, "Poursuivant", "LOCATION"),
        _model(text, "R&D", "LOCATION"),
        _model(text, "l'Asie du Sud-Est", "LOCATION"),
    ]
    kept = {(m.text, m.label) for m in plausible_model_mentions(text, mentions)}
    assert kept == {("Pékin", "LOCATION"), ("Xinhua", "ORG"), ("Asie du Sud-Est", "LOCATION")}


def test_the_kb_wins_over_the_statistical_model(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Hier à Paris, Chery et Renault ont signé un accord.", lang="fr")
    labels = {m.text: (m.label, m.kb_id) for m in result.entities}
    assert labels["Chery"] == ("COMPANY", "chery")
    assert labels["Renault"][0] == "COMPANY"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "De Europese Centrale Bank en de Stichting Autowereld steunen de FEBIAC.",
            ["Europese Centrale Bank", "Stichting Autowereld", "FEBIAC"],
        ),
        ("La Banque de France et la PFA ont publié les chiffres.", ["Banque de France", "PFA"]),
        (
            "Der Verband der Automobilindustrie und die IG Metall.",
            ["Verband der Automobilindustrie"],
        ),
        (
            "The European Commission and the SMMT said the EV and SUV market grew.",
            ["European Commission", "SMMT"],
        ),
        ("UN TITRE EN CAPITALES SANS NOM", []),
    ],
)
def test_organisations_outside_the_kb(text: str, names: list[str]) -> None:
    assert [m.text for m in rule_organisations(text)] == names


# --- a wider knowledge base ------------------------------------------------------


def companies(analyzer: Analyzer, text: str, lang: str) -> dict[str, str | None]:
    """Written name -> KB id of the COMPANY mentions of `text`."""
    result = analyzer.analyze(text, lang=lang)
    return {m.text: m.kb_id for m in result.entities if m.label == "COMPANY"}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Toeleverancier ZF en chipmaker Nexperia praten met Tata Motors en Hozon Auto.",
            "nl",
            {
                "ZF": "zf",
                "Nexperia": "nexperia",
                "Tata Motors": "tata-motors",
                "Hozon Auto": "hozon",
            },
        ),
        (
            "SAIC-GM-Wuling vend ses Baojun en Inde, où Hyundai Motor India et Ola Electric "
            "recrutent, tandis que TSMC livre Bosch.",
            "fr",
            {
                "SAIC-GM-Wuling": "saic-gm-wuling",
                "Baojun": "baojun",
                "Hyundai Motor India": "hyundai-motor-india",
                "Ola Electric": "ola-electric",
                "TSMC": "tsmc",
                "Bosch": "bosch",
            },
        ),
        (
            "Foton, Tatra und Volvo Penta beliefern Kunden; früher hieß der Konzern "
            "DaimlerChrysler.",
            "de",
            {
                "Foton": "foton",
                "Tatra": "tatra",
                "Volvo Penta": "volvo-penta",
                "DaimlerChrysler": "daimlerchrysler",
            },
        ),
        (
            "Before Stellantis, PSA and Fiat Chrysler were rivals; Bajaj Auto and Hero MotoCorp "
            "sell scooters.",
            "en",
            {
                "Stellantis": "stellantis",
                "PSA": "psa",
                "Fiat Chrysler": "fca",
                "Bajaj Auto": "bajaj-auto",
                "Hero MotoCorp": "hero-motocorp",
            },
        ),
    ],
)
def test_wider_knowledge_base(
    analyzer: Analyzer, text: str, lang: str, expected: dict[str, str]
) -> None:
    found = companies(analyzer, text, lang)
    assert {name: found.get(name) for name in expected} == expected


def test_canonical_names_are_the_names_texts_write() -> None:
    kb = load_kb()
    written = {
        "geely-auto": "Geely Automobile Holdings",
        "great-wall": "Great Wall Motors",
        "jlr": "Jaguar Land Rover",
        "kgm": "KG Mobility",
    }
    assert {kb_id: kb.entities[kb_id].name for kb_id in written} == written


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("De gmail-app en een MGA-bijeenkomst, maar ook een dsm-fabriek.", "nl"),
        ("Le GMT, une DSI et des mgs: aucun constructeur ici.", "fr"),
        ("Der DSGVO-Beauftragte prüft die GMX-Adresse.", "de"),
        ("The gm of the team and the ds of the film spoke.", "en"),
    ],
)
def test_short_names_only_match_as_written_words(text: str, lang: str) -> None:
    assert linked(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "kb_id"),
    [
        (
            "Zhejiang Geely Holding Group kocht een belang. Geely zegt dat het groeit.",
            "nl",
            "geely-holding",
        ),
        ("Geely Automobile Holdings vend plus. Geely vise un million.", "fr", "geely-auto"),
        ("Volvo Trucks wächst. Volvo baut dafür ein neues Werk.", "de", "volvo-group"),
        ("Volvo Cars sold more. Volvo said demand held up.", "en", "volvo-cars"),
        ("Daimler AG verkaufte 2019 mehr Autos; Daimler plant neue Modelle.", "de", "daimler-ag"),
    ],
)
def test_a_shared_name_names_the_family_member_the_text_names(
    text: str, lang: str, kb_id: str
) -> None:
    bare = [
        m for m in KBMatcher(load_kb(), lang).find(text) if m.text in ("Geely", "Volvo", "Daimler")
    ]
    assert bare and {m.kb_id for m in bare} == {kb_id}


# --- things that are not companies ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "not_companies"),
    [
        (
            "Door ANP\nDe nieuwe Land Rover Defender heeft Apple CarPlay; volgens Reuters en "
            "Jato Dynamics groeit de Range Rover Sport, meldt de RAI Vereniging.",
            "nl",
            {
                "ANP",
                "Door ANP",
                "Defender",
                "Land Rover Defender",
                "Apple CarPlay",
                "Reuters",
                "Jato Dynamics",
                "Range Rover",
                "Range Rover Sport",
                "Rover",
            },
        ),
        (
            "Par Marie Lefèvre (AFP)\nLa Discovery Sport et Android Auto: selon Les Echos et "
            "l'OICA, le CCFA publiera ses chiffres avec AAA Data.",
            "fr",
            {
                "AFP",
                "Marie Lefèvre",
                "Discovery",
                "Discovery Sport",
                "Android Auto",
                "Les Echos",
                "OICA",
                "CCFA",
                "AAA Data",
            },
        ),
        (
            "Von Petra Sommer\nEin Auto besitzt sie nicht. Laut dpa und Dataforce zählt der "
            "VDA mehr Neuzulassungen; das KBA bestätigt es. Welcher Gruppe gehört sie an?",
            "de",
            {
                "Petra Sommer",
                "Von Petra Sommer",
                "Ein Auto",
                "Auto",
                "dpa",
                "Dataforce",
                "VDA",
                "KBA",
                "Welcher Gruppe",
                "Gruppe",
            },
        ),
        (
            "By Jane Doe\nGet Motor Trend at the Los Angeles Auto Show, Bloomberg and the "
            "SMMT said, citing S&P Global Mobility.",
            "en",
            {
                "Jane Doe",
                "By Jane Doe",
                "Get Motor",
                "Los Angeles Auto",
                "Bloomberg",
                "SMMT",
                "S&P Global Mobility",
            },
        ),
    ],
)
def test_products_media_bylines_and_associations_are_not_companies(
    analyzer: Analyzer, text: str, lang: str, not_companies: set[str]
) -> None:
    found = companies(analyzer, text, lang)
    assert not set(found) & not_companies


@pytest.mark.parametrize(
    ("text", "lang", "brand"),
    [
        ("Het Amerikaanse Tesla en de Stellantis-dochter Fiat groeien.", "nl", "Tesla"),
        ("La marque Alpine et Tesla progressent.", "fr", "Alpine"),
        ("Der Autobauer Tesla und die Geely-Marke Smart wachsen.", "de", "Smart"),
        ("Elon Musk's Tesla and the American Lucid grew.", "en", "Tesla"),
    ],
)
def test_a_common_word_brand_after_a_cue_or_owner_is_kept(
    analyzer: Analyzer, text: str, lang: str, brand: str
) -> None:
    assert brand in companies(analyzer, text, lang)


def test_a_brand_before_its_model_is_the_company(analyzer: Analyzer) -> None:
    found = companies(analyzer, "The Land Rover Defender and the BYD Seal U sold well.", "en")
    assert found == {"Land Rover": "land-rover", "BYD": "byd"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Op het podium stond zangeres Rita Ora met haar band.", "nl"),
        ("La sonde Exploration Rover a quitté la Terre.", "fr"),
        ("Der Basketballer Nikola Jokic spielte stark.", "de"),
        ("The new Mavic Mini drone and a Smart Watch are on sale.", "en"),
    ],
)
def test_a_common_word_brand_inside_another_name_is_not_a_company(
    analyzer: Analyzer, text: str, lang: str
) -> None:
    assert companies(analyzer, text, lang) == {}


# --- companies outside the knowledge base, from their context ------------------


@pytest.mark.parametrize(
    ("text", "lang", "names"),
    [
        (
            "De Belgische toeleverancier Brabotech opent een fabriek. Brabotech investeert "
            "er 40 miljoen euro. Ook batterijmaker Voltaria, een Zweedse start-up, komt.",
            "nl",
            ["Brabotech", "Brabotech", "Voltaria"],
        ),
        (
            "Le constructeur automobile chinois Zhenfa arrive. L'équipementier Miravel, un "
            "spécialiste des sièges, suit; Miravel emploie 300 personnes.",
            "fr",
            ["Zhenfa", "Miravel", "Miravel"],
        ),
        (
            "Der Zulieferer Kerndler streicht Stellen. Beim Batteriehersteller Voltika "
            "wächst dagegen die Belegschaft; Kerndler klagt über Kosten.",
            "de",
            ["Kerndler", "Voltika", "Kerndler"],
        ),
        (
            "Battery maker Ampyra (NYSE: AMPY) and Corvane, a supplier of brake systems, "
            "signed a deal with carmaker Hollis. Ampyra will build cells.",
            "en",
            ["Ampyra", "Corvane", "Hollis", "Ampyra"],
        ),
    ],
)
def test_unknown_companies_from_cues(
    analyzer: Analyzer, text: str, lang: str, names: list[str]
) -> None:
    result = analyzer.analyze(text, lang=lang)
    found = [m.text for m in result.entities if m.label == "COMPANY" and m.kb_id is None]
    assert found == names
    assert all(m.kind == "company" for m in result.entities if m.text in names)


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("De groep bezit Volvo Trucks, Mack, Renault Trucks en Rotanda.", "nl", "Rotanda"),
        ("Le groupe détient Peugeot, Citroën, Opel et Vexara.", "fr", "Vexara"),
        ("Zum Konzern gehören Audi, Seat, Skoda und Lundia.", "de", "Lundia"),
        ("Its brands are Kia, Genesis, Hyundai and Corvella.", "en", "Corvella"),
    ],
)
def test_an_unknown_member_of_a_list_of_companies(
    analyzer: Analyzer, text: str, lang: str, name: str
) -> None:
    assert name in companies(analyzer, text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Het bedrijf Maandag begint, zei het concern Europa.", "nl"),
        ("Le groupe a annoncé Lundi que la société France recrute, selon le fabricant Juin.", "fr"),
        (
            "Die Hoffnung, ein globales Unternehmen zu werden, blieb. Einige Hersteller "
            "Probleme hatten viele. Der Konzern Ende März meldete Zahlen.",
            "de",
        ),
        (
            "Company CEO Jane Doe left the Alliance for American Manufacturing, a group of "
            "firms. Sales of Toyota and Honda rose.",
            "en",
        ),
    ],
)
def test_cues_do_not_make_companies_of_other_words(
    analyzer: Analyzer, text: str, lang: str
) -> None:
    found = companies(analyzer, text, lang)
    assert all(kb_id is not None for kb_id in found.values()), found


@pytest.mark.parametrize(
    ("text", "lang", "inner"),
    [
        (
            "De Stichting Volvo Fonds steunt Hyundai Heavy Industries Co.",
            "nl",
            {"Volvo", "Hyundai"},
        ),
        (
            "La Fondation Renault et Mitsubishi Heavy Industries Ltd signent.",
            "fr",
            {"Renault", "Mitsubishi"},
        ),
        ("Die Kia Verwaltungsgesellschaft und Tata Steel Nederland BV liefern.", "de", {"Tata"}),
        (
            "The Ford Foundation and Honda Aircraft Company Inc. met Toyota Tsusho.",
            "en",
            {"Ford", "Honda", "Toyota"},
        ),
    ],
)
def test_a_known_name_inside_another_company_name_is_not_that_company(
    analyzer: Analyzer, text: str, lang: str, inner: set[str]
) -> None:
    assert not set(companies(analyzer, text, lang)) & inner


def test_a_legal_form_after_a_known_name_keeps_the_link(analyzer: Analyzer) -> None:
    found = companies(
        analyzer, "Toyota Motor Corporation, Nissan Europe SAS en Tesla Inc. groeien.", "nl"
    )
    assert found == {
        "Toyota Motor Corporation": "toyota",
        "Nissan": "nissan",
        "Tesla Inc.": "tesla",
    }


def test_a_german_cue_takes_a_longer_name_the_text_repeats(analyzer: Analyzer) -> None:
    text = (
        "Der Zulieferer Kessler Antriebe baut ein Werk. Laut Kessler Antriebe entstehen "
        "dort 200 Stellen. Der Hersteller Lorenz Mitarbeiter sucht."
    )
    found = [m.text for m in analyzer.analyze(text, lang="de").entities if m.label == "COMPANY"]
    assert found == ["Kessler Antriebe", "Kessler Antriebe", "Lorenz"]
