"""Pages mixing languages: each paragraph is read with its own language's pipeline."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.analysis import Analysis, Analyzer

DUTCH = (
    "Autoverkoop in België\n"
    "De verkoop van nieuwe auto's in België steeg vorige maand, meldt de sectorfederatie. "
    "Vooral elektrische wagens deden het goed bij bedrijven en particulieren.\n"
    "Volvo verkocht in oktober 4.250 wagens in België, 12,5 procent meer dan een jaar eerder."
)
FRENCH = (
    "Ventes automobiles en Belgique\n"
    "Les immatriculations de voitures neuves en Belgique ont progressé le mois dernier, selon "
    "la fédération du secteur. Les voitures électriques ont surtout séduit les entreprises.\n"
    "Renault a vendu 3 100 voitures en octobre en Belgique, soit une part de marché de 8,4 %."
)
ENGLISH = (
    "Registrations in Belgium\n"
    "New car registrations in Belgium rose again last month, the importers' federation said. "
    "Company cars made up most of the electric models sold in the country this autumn.\n"
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def facts(analysis: Analysis) -> set[tuple[object, ...]]:
    return {(f.subject_kb_id, f.metric, f.value, f.unit, f.period) for f in analysis.facts}


def test_dutch_and_french_paragraphs_each_give_their_facts(analyzer: Analyzer) -> None:
    text = f"{DUTCH}\n{FRENCH}"
    result = analyzer.analyze(text, declared="nl-BE", published=date(2026, 11, 5))
    assert result.report is not None and result.report.mixed
    spans = [(span.lang, text[span.start : span.end]) for span in result.report.spans]
    assert spans == [("nl", DUTCH + "\n"), ("fr", FRENCH)]
    assert {
        ("volvo-cars", "sales", 4250, "vehicles", "2026-10"),
        ("renault", "sales", 3100, "vehicles", "2026-10"),
        ("renault", "market_share", 8.4, "percent", "2026-10"),
    } <= facts(result)
    # Offsets point into the whole text, not into the paragraph they were found in.
    for figure in result.figures:
        assert text[figure.start : figure.end] == figure.text
    for mention in result.entities:
        assert text[mention.start : mention.end] == mention.text
    for fact in result.facts:
        assert text[fact.evidence_start : fact.evidence_end] == fact.evidence


def test_a_dutch_paragraph_in_an_english_page_reads_dutch_numbers(analyzer: Analyzer) -> None:
    text = ENGLISH + DUTCH
    mixed = analyzer.analyze(text, declared="en", published=date(2026, 11, 5))
    assert mixed.report is not None
    assert [span.lang for span in mixed.report.spans] == ["en", "nl"]
    assert ("volvo-cars", "sales", 4250, "vehicles", "2026-10") in facts(mixed)
    # Read as English throughout, "4.250" would have a decimal point; a count of cars is
    # whole, so the figure still reads 4250.
    english_only = analyzer.analyze(text, lang="en", published=date(2026, 11, 5))
    assert ("volvo-cars", "sales", 4250, "vehicles", "2026-10") in facts(english_only)
