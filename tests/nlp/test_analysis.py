"""Entities, figures and facts end to end through the spaCy pipelines, in four languages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nlp.analysis import Analysis, Analyzer

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def facts(analysis: Analysis) -> set[tuple[object, ...]]:
    return {
        (f.subject_kb_id, f.metric, f.value, f.unit, f.period, f.qualifier) for f in analysis.facts
    }


def test_dutch_sales_from_one_year_to_the_next(analyzer: Analyzer) -> None:
    text = (
        "Omoda en Jaecoo zijn merken van Chery. De verkoop van Jaecoo in Nederland klom "
        "van 412 auto's in 2025 naar 6.870 in 2026."
    )
    result = analyzer.analyze(text, published=date(2026, 11, 10))
    assert result.language == "nl"
    assert {
        ("jaecoo", "sales", 412, "vehicles", "2025", "actual"),
        ("jaecoo", "sales", 6870, "vehicles", "2026", "actual"),
    } <= facts(result)
    linked = {m.kb_id for m in result.entities if m.label == "COMPANY"}
    assert {"omoda", "jaecoo", "chery"} <= linked


def test_french_monthly_exports_with_change(analyzer: Analyzer) -> None:
    text = (
        "En octobre 2026, Chery a exporté 126 400 véhicules, soit une hausse de 14,2 % "
        "en glissement annuel."
    )
    result = analyzer.analyze(text, published=date(2026, 11, 5))
    assert result.language == "fr"
    assert facts(result) == {
        ("chery", "exports", 126400, "vehicles", "2026-10", "actual"),
        ("chery", "exports", 14.2, "percent", "2026-10", "change"),
    }


def test_german_plant_investment_target(analyzer: Analyzer) -> None:
    text = "Volkswagen will bis 2027 rund 250 Millionen Euro in das VW-Werk in Zwickau investieren."
    result = analyzer.analyze(text, published=date(2026, 10, 21))
    assert result.language == "de"
    [fact] = result.facts
    assert (fact.metric, fact.value, fact.unit, fact.period, fact.qualifier) == (
        "investment",
        250e6,
        "EUR",
        "2027",
        "target",
    )
    assert fact.subject_kb_id is not None and fact.subject_kb_id.startswith("volkswagen")
    plants = [m for m in result.entities if m.label == "PLANT"]
    assert plants and "Zwickau" in plants[0].text


def test_english_market_share_and_relative_year(analyzer: Analyzer) -> None:
    text = "BYD took a market share of 3.9 per cent in the UK last year."
    result = analyzer.analyze(text, published=date(2026, 3, 1))
    assert result.language == "en"
    [fact] = result.facts
    assert (fact.subject_kb_id, fact.metric, fact.value, fact.period, fact.location) == (
        "byd",
        "market_share",
        3.9,
        "2025",
        "GB",
    )


def test_evidence_sentence_and_offsets(analyzer: Analyzer) -> None:
    text = "Eerste zin zonder cijfers. Tesla leverde in mei 2026 1.200 auto's af in België."
    result = analyzer.analyze(text, published=date(2026, 6, 2))
    [fact] = result.facts
    assert fact.evidence == text[fact.evidence_start : fact.evidence_end]
    assert fact.evidence.startswith("Tesla")


def test_possessives_and_compounds_are_linked(analyzer: Analyzer) -> None:
    text = (
        "Chery’s groei en JLR's problemen staan centraal. De voormalige Nissan-fabriek in "
        "Barcelona bouwt nu auto's voor Chery."
    )
    result = analyzer.analyze(text, lang="nl")
    by_text = {m.text: m for m in result.entities}
    assert by_text["Chery"].kb_id == "chery"
    assert by_text["JLR"].label == "COMPANY"
    plant = next(m for m in result.entities if m.label == "PLANT")
    assert "Barcelona" in plant.text and plant.kb_id is not None


def test_seat_the_brand_is_not_seat_the_word(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Every seat was taken when Seat unveiled its new model.", lang="en")
    seats = [m for m in result.entities if m.text.lower() == "seat"]
    assert [m.text for m in seats] == ["Seat"]


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not beside the checkout")
def test_seed_articles(analyzer: Analyzer) -> None:
    dutch, french = (
        analyzer.analyze(path.read_text("utf-8")) for path in sorted(SEEDS.glob("*.txt"))
    )
    assert (dutch.language, french.language) == ("nl", "fr")
    companies = {m.text for m in dutch.entities if m.label == "COMPANY"}
    assert {"Chery", "Jaguar Land Rover"} <= companies
    assert {28232, 738000, 1300000} <= {f.value for f in dutch.figures}
    assert {100737, 443940, 7.7} <= {f.value for f in french.figures}


def test_range_is_cumulative_and_comparative_percent_is_a_change(analyzer: Analyzer) -> None:
    text = (
        "Von Januar bis September 2026 baute Volkswagen in Zwickau 164.800 Fahrzeuge, "
        "7,3 Prozent mehr als im Vorjahreszeitraum."
    )
    result = analyzer.analyze(text, published=date(2026, 10, 21))
    assert {(f.metric, f.value, f.unit, f.period, f.qualifier) for f in result.facts} == {
        ("production", 164800, "vehicles", "2026-01/2026-09", "cumulative"),
        ("production", 7.3, "percent", "2026-01/2026-09", "change"),
    }


def test_a_word_between_number_and_unit(analyzer: Analyzer) -> None:
    result = analyzer.analyze(
        "In oktober kwamen er 3.905 ingeschreven wagens van Volkswagen bij.",
        lang="nl",
        published=date(2026, 11, 2),
    )
    [figure] = result.figures
    assert (figure.value, figure.unit) == (3905, "vehicles")


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_evidence_starts_and_ends_at_the_sentence_not_at_spaces(
    analyzer: Analyzer, lang: str
) -> None:
    sentence = {
        "nl": "Ford verkocht in maart 12.400 auto's in België.",
        "fr": "Renault a vendu 12 400 voitures en Belgique en mars.",
        "de": "Ford verkaufte im März 12.400 Autos in Belgien.",
        "en": "Ford sold 12,400 cars in Belgium in March.",
    }[lang]
    text = f"  {sentence}  \n   {sentence}\n"
    analysis = analyzer.analyze(text, lang=lang, published=date(2026, 4, 2))
    assert analysis.facts
    for fact in analysis.facts:
        assert fact.evidence == sentence
