"""Relevance to the vehicle industry, and the facts an off-topic article may keep."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from nlp.analysis import Analyzer, on_topic_facts
from nlp.entities import EntityMention
from nlp.relevance import (
    CUES_FULL,
    MIN_WORDS,
    RELEVANT,
    WEIGHTS,
    PageContext,
    is_relevant,
    relevance,
    relevance_evidence,
)

ON_TOPIC = {
    "nl": (
        "Autobouwer Kia verkocht in september 8.400 nieuwe auto's in België, meldt de "
        "importeur. De Koreaanse autofabrikant profiteert van de vraag naar elektrische "
        "wagens. Ook Toyota en Volvo Cars zagen hun inschrijvingen stijgen, terwijl de "
        "automarkt als geheel met 4 procent groeide."
    ),
    "fr": (
        "Le constructeur Renault a vendu 52 000 voitures en France en mars. Peugeot et "
        "Citroën, deux marques de Stellantis, ont vu leurs immatriculations progresser, "
        "portées par les véhicules électriques. Les concessionnaires espèrent une année record."
    ),
    "de": (
        "Der Autobauer BMW hat im ersten Halbjahr 1,2 Millionen Fahrzeuge ausgeliefert. Die "
        "Neuzulassungen von Elektroautos stiegen deutlich, auch Mercedes-Benz und Audi "
        "meldeten mehr verkaufte Pkw. Zulieferer wie ZF profitieren von der Nachfrage."
    ),
    "en": (
        "Carmaker Toyota sold 850,000 vehicles worldwide in May, helped by hybrid cars. "
        "Rivals Honda and Nissan also delivered more cars, and dealers said demand for "
        "electric vehicles kept rising through the spring."
    ),
}
# Chips, advertising and energy, with words other industries share with carmakers
# ("fabriek", "usine", "Werk", "plant", "batteries") and, in English, a chip maker that
# supplies carmakers among others.
OFF_TOPIC = {
    "nl": (
        "Een chipontwerper boekte in het derde kwartaal een omzet van 7,5 miljard euro en "
        "bouwt een nieuwe fabriek in Eindhoven. Adverteerders verschuiven hun budgetten naar "
        "online video, zegt een mediabureau. De energieprijzen voor huishoudens daalden in "
        "oktober, omdat de gasvoorraden goed gevuld zijn en thuisbatterijen populair worden. "
        "Netbeheerders investeren 2 miljard euro in nieuwe hoogspanningslijnen."
    ),
    "fr": (
        "Un concepteur de puces a publié un chiffre d'affaires de 3,2 milliards de dollars et "
        "agrandit son usine de Crolles. Le marché publicitaire en ligne progresse, porté par la "
        "vidéo et les réseaux sociaux. Les prix de l'électricité baissent grâce à la production "
        "éolienne, et les batteries de stockage se multiplient. Un fournisseur d'énergie lance "
        "une offre pour les ménages."
    ),
    "de": (
        "Ein Chipkonzern meldete einen Umsatz von 4,1 Milliarden Euro im Quartal; sein Werk in "
        "Dresden läuft voll. Die Werbebranche verlagert ihre Budgets ins Netz, vor allem zu "
        "Videoplattformen. Die Strompreise an der Börse fielen, weil der Wind kräftig wehte. "
        "Ein Energieversorger senkt zum Jahreswechsel seine Tarife und verkauft Batterien "
        "für Solaranlagen."
    ),
    "en": (
        "Nvidia said data-centre revenue climbed to $30 billion in the quarter, and a rival "
        "opened a chip factory in Arizona to meet demand from cloud providers. Spending on "
        "online advertising kept growing as brands moved budgets from television to video. "
        "Wholesale electricity prices fell as wind output surged, a gas plant was idled for "
        "the summer and a utility installed grid batteries next to a solar park."
    ),
}
# A live blog on chips, advertising and energy with one line about a carmaker and one
# about a country's electricity.
LIVE_BLOG = """Live: chips, advertising and energy

08:30 Asian markets opened higher after a calm night on Wall Street.
09:05 A chip designer said licensing revenue climbed to $1.2 billion in the quarter.
09:20 Memory prices kept rising as cloud providers ordered more servers for their data centres.
09:40 Spending on online advertising kept growing as brands moved budgets to video.
09:55 A media agency expects search advertising to slow down next year.
10:15 Wholesale electricity prices fell on Tuesday as wind output surged at sea.
10:30 Gas storage across the region is nearly full ahead of the winter, traders said.
10:50 Renault sold 52,000 cars in Europe in March.

11:20 German car registrations reached 240,000 in March.

11:45 A solar developer raised funds from pension investors to build parks in Spain and Portugal.
12:10 A grid operator plans new lines to carry offshore wind power inland.
12:30 Streaming services added subscribers while cinemas stayed half empty.
12:50 Shares of a chip equipment maker rose after it raised its outlook for the year.
"""
# The same two lines in an article about carmakers.
CAR_NEWS = """Carmakers report a busy spring

Car registrations climbed across Europe as carmakers cut prices on electric vehicles.
Renault sold 52,000 cars in Europe in March.

German car registrations reached 240,000 in March.

Volkswagen and Stellantis both raised output at their car plants in Spain.
"""


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize("lang", sorted(ON_TOPIC))
def test_an_article_about_carmakers_scores_high(analyzer: Analyzer, lang: str) -> None:
    analysis = analyzer.analyze(ON_TOPIC[lang], lang=lang)
    assert analysis.relevance >= RELEVANT
    assert analysis.as_json("x")["relevance"] == analysis.relevance


@pytest.mark.parametrize("lang", sorted(OFF_TOPIC))
def test_chips_advertising_and_energy_score_low(analyzer: Analyzer, lang: str) -> None:
    analysis = analyzer.analyze(OFF_TOPIC[lang], lang=lang)
    assert analysis.relevance < RELEVANT


def test_an_off_topic_article_keeps_only_facts_about_carmakers(analyzer: Analyzer) -> None:
    on_topic = analyzer.analyze(CAR_NEWS, lang="en")
    assert is_relevant(on_topic.relevance)
    assert {(f.subject_kb_id, f.location) for f in on_topic.facts} >= {
        ("renault", "Europe"),
        ("country-de", "DE"),
    }
    blog = analyzer.analyze(LIVE_BLOG, lang="en")
    assert not is_relevant(blog.relevance)
    assert [(f.subject_kb_id, f.value) for f in blog.facts] == [("renault", 52000)]


def test_off_topic_facts_about_unknown_companies_are_dropped(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(CAR_NEWS, lang="en")
    renault = next(f for f in analysis.facts if f.subject_kb_id == "renault")
    unknown = [*analysis.facts, replace(renault, subject="Small Parts Ltd", subject_kb_id=None)]
    assert on_topic_facts(unknown, analysis.entities, 0.9) == unknown
    assert on_topic_facts(unknown, analysis.entities, 0.1) == [renault]


def _company(name: str, start: int, kb_id: str | None = None) -> EntityMention:
    kind = "company" if kb_id else None
    return EntityMention(name, "COMPANY", start, start + len(name), name, kb_id, kind)


def test_every_signal_adds_to_the_score() -> None:
    text = "Some words about nothing in particular. " * 40
    nothing = relevance_evidence(text, [])
    assert nothing.score == 0.0
    assert set(nothing.signals()) == set(WEIGHTS) and sum(WEIGHTS.values()) == pytest.approx(1)
    makers = [_company("Kia", 0, "kia"), _company("Toyota", 10, "toyota")]
    assert relevance(text, makers) > relevance(text, makers[:1]) > 0
    section = PageContext(url="https://news.example/auto/some-story")
    assert relevance(text, [], page=section) == WEIGHTS["section"]
    assert (
        relevance(text, [], page=PageContext(title="Electric cars are selling"))
        == (WEIGHTS["lead"])
    )
    assert relevance(text + " carmaker " * 5, [], lang="en") > 0


def test_entities_alone_do_not_make_an_article_relevant() -> None:
    text = " ".join(f"{name} reported results." for name in ["Nvidia", "Qualcomm", "Infineon"] * 20)
    found = re.finditer(r"Nvidia|Qualcomm|Infineon", text)
    mentions = [_company(m.group(), m.start(), m.group().lower()) for m in found]
    evidence = relevance_evidence(text, mentions, "en")
    assert evidence.signals()["spread"] == evidence.signals()["mentions"] == 1.0
    assert evidence.lead and not is_relevant(evidence.score)


def test_one_word_does_not_make_a_short_text_dense() -> None:
    short = relevance_evidence("Une voiture passe.", [], "fr")
    assert short.words == 3 and short.cues == 1
    assert short.signals()["cues"] == pytest.approx(1000 / MIN_WORDS / CUES_FULL)
    assert short.signals()["cues"] < 1


def test_a_company_named_in_the_title_puts_the_article_in_the_lead() -> None:
    text = "Results came in on Monday. " * 20 + "Kia also reported."
    kia = [_company("Kia", text.index("Kia"), "kia")]
    assert relevance_evidence(text, kia, "en", PageContext(title="Kia reports")).lead
    assert not relevance_evidence(text, kia, "en", PageContext(title="Nokia reports")).lead


def test_unknown_companies_and_organisations_are_no_evidence() -> None:
    text = "Acme Widgets and the energy regulator met on Monday. " * 5
    others = [
        _company("Acme Widgets", 0),
        EntityMention("regulator", "ORG", 20, 29, "regulator", "some-org", "org"),
    ]
    assert relevance(text, others) == 0.0


@pytest.mark.parametrize(
    ("text", "lang", "cues"),
    [
        ("Elektroautos und Nutzfahrzeuge", "de", 2),  # compound heads count
        ("Le car était plein", "fr", 0),  # French "car" is a conjunction
        ("the car was full", "en", 1),
        ("les autorités et un auto-entrepreneur", "fr", 0),
        ("Autor und Automat", "de", 0),
        ("de auto-industrie en het wagenpark", "nl", 2),
        ("une usine et une batterie", "fr", 0),  # generic words alone are no evidence
        ("une voiture, une usine et une batterie", "fr", 2),  # with others they count half
        ("SUVs and EVs, not suvs", "en", 2),
    ],
)
def test_cue_words(text: str, lang: str, cues: float) -> None:
    assert relevance_evidence(text, [], lang).cues == cues


@pytest.mark.parametrize(
    ("url", "in_section"),
    [
        ("https://www.news.example/auto/2026/05/a-story", True),
        ("https://www.journal.example/economie/automobile/une-histoire", True),
        ("https://cars.news.example/story", True),
        ("https://www.news.example/mobility/story", True),
        ("https://www.news.example/tech/autoplay-video/story", False),
        ("https://www.news.example/kultur/autoren/story", False),
        ("https://www.news.example/business/chips", False),
    ],
)
def test_sections_from_the_url(url: str, in_section: bool) -> None:
    assert relevance_evidence("text", [], page=PageContext(url=url)).section is in_section


def test_categories_and_tags_name_a_section() -> None:
    page = PageContext(categories=("Wirtschaft", "Automobilindustrie"))
    assert relevance_evidence("text", [], page=page).section
    assert relevance_evidence("text", [], page=PageContext(tags=("EV",))).section
    assert not relevance_evidence("text", [], page=PageContext(tags=("Energy",))).section
