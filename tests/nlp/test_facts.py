"""Facts in Dutch, French, German and English: subject, metric, value, period, qualifier."""

from __future__ import annotations

from datetime import date

import pytest
import spacy

from nlp.analysis import Analyzer
from nlp.syntax import figure_subjects

Row = tuple[object, ...]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def rows(analyzer: Analyzer, text: str, lang: str, published: date | None = None) -> set[Row]:
    result = analyzer.analyze(text, lang=lang, published=published)
    return {
        (f.subject_kb_id, f.metric, f.value, f.unit, f.period, f.qualifier) for f in result.facts
    }


def test_dutch_change_without_years_takes_both_years_of_the_sentence_before(
    analyzer: Analyzer,
) -> None:
    text = (
        "De verkoop van Omoda klom van 655 auto's in 2025 naar 3.940 in 2026. Jaecoo deed "
        "het beter en steeg van 412 naar 6.870 eenheden."
    )
    assert rows(analyzer, text, "nl") >= {
        ("omoda", "sales", 655, "vehicles", "2025", "actual"),
        ("omoda", "sales", 3940, "vehicles", "2026", "actual"),
        ("jaecoo", "sales", 412, "vehicles", "2025", "actual"),
        ("jaecoo", "sales", 6870, "vehicles", "2026", "actual"),
    }


def test_dutch_relative_year_and_target(analyzer: Analyzer) -> None:
    text = (
        "Volvo Cars bouwde vorig jaar 160.000 wagens in Gent. Tegen 2030 wil Volvo Cars "
        "er 200.000 per jaar bouwen."
    )
    assert rows(analyzer, text, "nl", date(2026, 3, 1)) == {
        ("volvo-cars", "production", 160000, "vehicles", "2025", "actual"),
        ("volvo-cars", "production", 200000, "vehicles", "per year, 2030", "target"),
    }


def test_french_change_qualifies_the_figure_it_follows(analyzer: Analyzer) -> None:
    text = (
        "En mars 2026, les exportations de Chery Group ont atteint 98 500 véhicules "
        "(+7,7 % en glissement annuel). De janvier à mars, elles ont totalisé 270 000 unités."
    )
    assert rows(analyzer, text, "fr", date(2026, 4, 10)) == {
        ("chery-holding", "exports", 98500, "vehicles", "2026-03", "actual"),
        ("chery-holding", "exports", 7.7, "percent", "2026-03", "change"),
        ("chery-holding", "exports", 270000, "vehicles", "2026-01/2026-03", "cumulative"),
    }


def test_french_subject_from_the_dependency_parse(analyzer: Analyzer) -> None:
    text = "Les exportations totales de Chery Group ont atteint 443 940 unités en mai 2026."
    doc = analyzer.pipeline("fr")(text)
    [(figure_start, start, end)] = figure_subjects(doc, doc._.nf_figures)
    assert text[figure_start:].startswith("443 940")
    assert text[start:end] == "Les exportations totales de Chery Group"
    [row] = rows(analyzer, text, "fr")
    assert row == ("chery-holding", "exports", 443940, "vehicles", "2026-05", "actual")


def test_blank_pipelines_have_no_parse_subjects() -> None:
    nlp = spacy.blank("nl")
    nlp.add_pipe("newsfacts_figures_v1", config={"lang": "nl"})
    doc = nlp("De verkoop van Chery steeg naar 28.232 auto's.")
    assert len(doc._.nf_figures) == 1 and figure_subjects(doc, doc._.nf_figures) == []


def test_french_cumulative_total_without_a_period(analyzer: Analyzer) -> None:
    text = "Le 3 mars 2026, Chery a annoncé avoir exporté 5 millions de véhicules au total."
    [row] = rows(analyzer, text, "fr")
    assert row == ("chery", "exports", 5e6, "vehicles", "cumulative", "cumulative")


def test_german_ranges_relative_years_and_percentage_points(analyzer: Analyzer) -> None:
    text = (
        "In den ersten neun Monaten lieferte BMW 1,6 Millionen Fahrzeuge aus. Der "
        "Marktanteil von BMW stieg letztes Jahr um 0,4 Prozentpunkte."
    )
    found = rows(analyzer, text, "de", date(2026, 10, 15))
    assert ("bmw", "sales", 1.6e6, "vehicles", "2026-01/2026-09", "cumulative") in found
    assert ("bmw", "market_share", 0.4, "percentage_points", "2025", "change") in found


def test_german_employees_in_words(analyzer: Analyzer) -> None:
    text = "Im Werk Zwickau beschäftigt Volkswagen im Oktober 2026 rund neuntausend Mitarbeiter."
    assert ("volkswagen", "employees", 9000, "employees", "2026-10", "actual") in rows(
        analyzer, text, "de", date(2026, 11, 1)
    )


def test_english_aside_between_commas_is_not_the_subject(analyzer: Analyzer) -> None:
    text = "MG, owned by SAIC Motor, sold 82,000 cars in the UK in 2025."
    assert rows(analyzer, text, "en") == {("mg", "sales", 82000, "vehicles", "2025", "actual")}


def test_english_first_months_and_future_investment(analyzer: Analyzer) -> None:
    text = (
        "Tesla delivered 12,500 cars in Norway in the first ten months of 2026. Tesla will "
        "spend $2bn on its Berlin plant in 2027."
    )
    assert rows(analyzer, text, "en", date(2026, 11, 5)) == {
        ("tesla", "sales", 12500, "vehicles", "2026-01/2026-10", "cumulative"),
        ("tesla", "investment", 2e9, "USD", "2027", "target"),
    }


def test_facts_carry_evidence_offsets_and_confidence(analyzer: Analyzer) -> None:
    text = "Intro zonder cijfers.\nBYD liet in oktober 2026 in België 1.312 wagens inschrijven."
    result = analyzer.analyze(text, lang="nl", published=date(2026, 11, 2))
    [fact] = result.facts
    assert fact.evidence == text[fact.evidence_start : fact.evidence_end]
    assert fact.evidence.startswith("BYD") and 0 < fact.confidence <= 1
    assert (fact.metric, fact.location) == ("registrations", "BE")


def test_batch_analysis_matches_one_by_one(analyzer: Analyzer) -> None:
    texts = [
        "Chery exporteerde in mei 2026 120.000 auto's.",
        "Renault a vendu 30 000 voitures en avril 2026.",
        "Volkswagen baute im Mai 2026 40.000 Fahrzeuge.",
        "Nissan built 25,000 cars in Sunderland in May 2026.",
    ]
    texts.append("Dacia vendit 8 000 voitures le mois dernier.")
    published = [None, None, None, None, date(2026, 6, 3)]
    declared = [None, None, None, None, "fr"]
    single = [
        analyzer.analyze(text, declared=hint, published=day).facts
        for text, hint, day in zip(texts, declared, published, strict=True)
    ]
    batch = analyzer.analyze_many(texts, declared=declared, published=published, n_process=2)
    assert [analysis.facts for analysis in batch] == single and all(single)
    assert single[-1][0].period == "2026-05"


def test_english_year_earlier_change_metric_and_dash_range(analyzer: Analyzer) -> None:
    text = (
        "In the third quarter, revenue at Ford dropped to $4.2bn from $4.9bn a year earlier. "
        "Volkswagen reported a 3.4% rise in deliveries to 6.6 million vehicles for the "
        "January-September period."
    )
    assert rows(analyzer, text, "en", date(2025, 10, 30)) == {
        ("ford", "revenue", 4.2e9, "USD", "2025-Q3", "actual"),
        ("ford", "revenue", 4.9e9, "USD", "2024-Q3", "actual"),
        ("volkswagen", "sales", 3.4, "percent", "2025-01/2025-09", "change"),
        ("volkswagen", "sales", 6.6e6, "vehicles", "2025-01/2025-09", "cumulative"),
    }


def test_german_sentence_without_a_name_keeps_the_paragraphs_subject(
    analyzer: Analyzer,
) -> None:
    text = (
        "Im ersten Halbjahr 2025 lieferte BMW 1,21 Millionen Autos aus. Der Umsatz des "
        "Konzerns sank im zweiten Quartal auf 35,4 Milliarden Euro."
    )
    assert ("bmw", "revenue", 35.4e9, "EUR", "2025-Q2", "actual") in rows(
        analyzer, text, "de", date(2025, 8, 1)
    )


def test_french_group_anaphor_and_the_paragraphs_period(analyzer: Analyzer) -> None:
    text = (
        "Renault Group a vendu 1,17 million de véhicules au premier semestre 2025. La marque "
        "Dacia a immatriculé 356 000 voitures. Le chiffre d'affaires du groupe atteint 27,6 "
        "milliards d'euros."
    )
    assert rows(analyzer, text, "fr", date(2025, 7, 30)) == {
        ("renault-group", "sales", 1.17e6, "vehicles", "2025-H1", "actual"),
        ("dacia", "registrations", 356000, "vehicles", "2025-H1", "actual"),
        ("renault-group", "revenue", 27.6e9, "EUR", "2025-H1", "actual"),
    }


def test_dutch_staff_counted_as_people_in_a_new_paragraph(analyzer: Analyzer) -> None:
    text = (
        "Stellantis sluit zijn distributiecentrum in Antwerpen.\n"
        "Het concern telt daar nu 600 mensen."
    )
    assert rows(analyzer, text, "nl", date(2025, 7, 30)) == {
        ("stellantis", "employees", 600, "employees", None, "actual"),
    }
