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
