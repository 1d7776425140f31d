"""The sample articles of the demo site against the facts listed in their EXPECTED.md."""

from __future__ import annotations

import pytest

from ingest.demo.expected import SITE, expected_facts, found
from ingest.extract import extract_article
from nlp.analysis import Analysis, Analyzer


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    analyzer = Analyzer()
    rows = expected_facts()
    done: dict[str, Analysis] = {}
    for row in rows:
        if row.file not in done:
            article = extract_article((SITE / "articles" / row.file).read_bytes())
            done[row.file] = analyzer.analyze(
                article.text, declared=article.declared_lang, published=row.published
            )
    return done


def test_expected_file_lists_facts_for_every_article() -> None:
    rows = expected_facts()
    assert len({row.file for row in rows}) == 12 and len(rows) >= 45


def test_most_expected_facts_are_found_with_their_qualifier(analyses: dict[str, Analysis]) -> None:
    rows = expected_facts()
    missed = [row for row in rows if not found(row, analyses[row.file])]
    found_share = 1 - len(missed) / len(rows)
    assert found_share >= 0.85, "\n".join(
        f"{row.file}: {row.subject} {row.metric} {row.value:g} {row.period}" for row in missed
    )


def test_languages_are_detected(analyses: dict[str, Analysis]) -> None:
    for file, analysis in analyses.items():
        assert analysis.language == file[:2], file
