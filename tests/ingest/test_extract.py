"""Extraction: metadata, dates and where they came from, tables, and the fallback modes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.errors import ExtractionError
from ingest.extract import declared_language, extract_article
from nlp.analysis import Analyzer

BODY = (
    "<p>De verkoop van elektrische wagens in Vlaanderen steeg vorig jaar fors, zo blijkt uit "
    "nieuwe cijfers van de sectorfederatie. Vooral bedrijfswagens trokken de markt.</p>"
    "<p>Bij de particulieren blijft de groei bescheidener, ondanks de premies van de overheid "
    "en de lagere prijzen van nieuwe modellen.</p>"
)


def page(head: str = "", body: str = BODY, lang: str = "nl-BE") -> str:
    return (
        f'<html lang="{lang}"><head><title>Elektrische wagens winnen terrein</title>{head}'
        f"</head><body><nav>Home | Auto | Economie</nav><article>"
        f"<h1>Elektrische wagens winnen terrein</h1>{body}</article>"
        "<footer>Alle rechten voorbehouden</footer></body></html>"
    )


def test_metadata_of_the_page_is_kept() -> None:
    head = (
        '<meta name="author" content="Els Peeters">'
        '<meta property="og:site_name" content="Autokrant">'
        '<meta name="description" content="De markt voor elektrische wagens groeit.">'
        '<meta property="article:section" content="Markt">'
        '<meta property="article:tag" content="elektrisch">'
        '<meta property="article:tag" content="Vlaanderen">'
        '<meta property="og:locale" content="nl_BE">'
    )
    article = extract_article(page(head), "https://autokrant.example/markt/ev")
    assert article.title == "Elektrische wagens winnen terrein"
    assert article.author == "Els Peeters"
    assert article.site_name == "Autokrant"
    assert article.description == "De markt voor elektrische wagens groeit."
    assert article.categories == ["Markt"]
    assert article.tags == ["elektrisch", "Vlaanderen"]
    assert (article.html_lang, article.og_locale) == ("nl-BE", "nl_BE")
    assert "bedrijfswagens trokken de markt" in article.text
    assert "Alle rechten voorbehouden" not in article.text


def test_timestamp_from_meta_keeps_its_offset() -> None:
    head = '<meta property="article:published_time" content="2026-03-02T08:15:00+01:00">'
    article = extract_article(page(head))
    assert article.published_at == datetime(2026, 3, 2, 8, 15, tzinfo=timezone(timedelta(hours=1)))
    assert article.published_source == "meta:article:published_time"


def test_timestamp_from_json_ld() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": '
        '"2026-02-11T16:40:00Z", "dateModified": "2026-02-12T09:00:00Z"}]}</script>'
    )
    article = extract_article(page(head))
    assert article.published_at == datetime(2026, 2, 11, 16, 40, tzinfo=UTC)
    assert article.published_source == "json-ld:datePublished"


def test_date_only_in_the_url_is_marked_as_such() -> None:
    article = extract_article(page(), "https://autokrant.example/2026/01/19/elektrische-wagens")
    assert article.published_at == datetime(2026, 1, 19, tzinfo=UTC)
    assert article.published_source == "url"


def test_no_date_is_invented() -> None:
    # A year and a date inside the text say nothing about when the page was published.
    body = BODY + "<p>De cijfers gaan over 2025; de federatie publiceerde ze op 3 maart.</p>"
    article = extract_article(page(body=body), "https://autokrant.example/markt/ev")
    assert article.published_at is None and article.published_source is None


def test_figures_in_a_table_are_extracted_and_found() -> None:
    table = (
        "<p>Inschrijvingen van nieuwe wagens per merk, volgens de sectorfederatie:</p>"
        "<table><tr><th>Merk</th><th>Oktober 2026</th><th>Oktober 2025</th></tr>"
        "<tr><td>BYD</td><td>1.245</td><td>612</td></tr>"
        "<tr><td>MG</td><td>987</td><td>1.020</td></tr></table>"
    )
    article = extract_article(page(body=BODY + table))
    assert "BYD" in article.text and "MG" in article.text
    analysis = Analyzer().analyze(article.text, declared=article.html_lang)
    values = {figure.value for figure in analysis.figures}
    assert {1245, 612, 987, 1020} <= values
    for figure in analysis.figures:
        assert article.text[figure.start : figure.end] == figure.text


def test_thin_precision_result_falls_back_to_a_fuller_mode() -> None:
    # The precision mode drops a list of links; here that list is the article.
    items = "".join(
        f'<li><a href="/modellen/{n}">Model {n} van het merk haalde {n}.100 inschrijvingen '
        "in de maand oktober</a></li>"
        for n in range(1, 7)
    )
    body = f"<p>De best verkochte modellen van de maand in Vlaanderen.</p><ul>{items}</ul>"
    article = extract_article(page(body=body))
    assert article.extractor.endswith("+balanced")
    assert "Model 6 van het merk haalde 6.100 inschrijvingen" in article.text


def test_a_full_article_uses_the_precision_mode() -> None:
    assert extract_article(page(body=BODY * 3)).extractor.endswith("+precision")


def test_a_page_without_text_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        extract_article("<html><body><nav>Home</nav></body></html>")


@pytest.mark.parametrize(
    ("head", "lang", "headers", "expected"),
    [
        ("", "nl-BE", {"Content-Language": "fr"}, "nl-BE"),
        ('<meta property="og:locale" content="fr_BE">', "", {}, "fr_BE"),
        ("", "", {"content-language": "de, en"}, "de"),
        ("", "", {}, None),
    ],
)
def test_declared_language_prefers_the_page_over_the_server(
    head: str, lang: str, headers: dict[str, str], expected: str | None
) -> None:
    article = extract_article(page(head, lang=lang).replace(' lang=""', ""))
    assert declared_language(article, headers) == expected
