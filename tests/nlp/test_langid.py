"""Language identification: detected, declared and final language; und; mixed pages."""

from __future__ import annotations

import pytest

from nlp import langid
from nlp.langid import UNDETERMINED, detect_language, identify, looks_like, normalise_declared

DUTCH = (
    "De verkoop van nieuwe auto's in België steeg vorige maand met twaalf procent, meldt de "
    "sectorfederatie. Vooral elektrische wagens deden het goed bij bedrijven en particulieren."
)
FRENCH = (
    "Les immatriculations de voitures neuves en Belgique ont progressé de douze pour cent le "
    "mois dernier, selon la fédération du secteur. Les voitures électriques ont surtout séduit "
    "les entreprises."
)


def test_detected_declared_and_final_are_all_reported() -> None:
    report = identify(DUTCH, "nl-BE")
    assert (report.lang, report.detected, report.declared) == ("nl", "nl", "nl")
    assert report.confidence > 0.9 and report.detected_confidence > 0.9
    assert not report.mixed
    assert [(s.start, s.end, s.lang) for s in report.spans] == [(0, len(DUTCH), "nl")]


def test_text_outweighs_a_wrong_declaration() -> None:
    report = identify(FRENCH, "en")
    assert (report.lang, report.declared) == ("fr", "en")


@pytest.mark.parametrize("text", ["", "Ford: 12.000 | Kia: 8.000", "BMW X5 (2026) – 87.500 €"])
def test_text_too_short_to_classify_is_undetermined(text: str) -> None:
    report = identify(text, "nl")
    assert (report.lang, report.detected, report.confidence) == (UNDETERMINED, UNDETERMINED, 0.0)
    assert report.declared == "nl"  # kept as evidence, not used as a guess


def test_same_text_same_answer() -> None:
    text = "Tesla Model Y Juniper Performance AWD 2026"
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_a_page_in_dutch_and_french_gets_a_span_per_language() -> None:
    text = (
        f"Autoverkoop in België\n{DUTCH}\nVolkswagen bleef het populairste merk.\n"
        f"Ventes automobiles en Belgique\n{FRENCH}\nBMW suit en deuxième position."
    )
    report = identify(text, "nl-BE")
    assert report.mixed and report.lang == "fr"  # the French half has more letters
    assert [span.lang for span in report.spans] == ["nl", "fr"]
    dutch, french = report.spans
    # The short heading goes with the French paragraph it heads; spans tile the text.
    assert (dutch.start, dutch.end, french.end) == (0, text.index("Ventes"), len(text))


def test_one_quoted_short_sentence_does_not_split_a_page() -> None:
    text = f"{DUTCH}\nC'est une très bonne nouvelle, dit-il.\n{DUTCH}"
    assert not identify(text).mixed


ENGLISH = (
    "Sales of new cars in Belgium rose by twelve percent last month, according to the "
    "industry federation. Electric cars were especially popular with companies."
)


def test_function_words_vouch_only_for_their_own_language() -> None:
    assert looks_like(DUTCH, "nl") and looks_like(FRENCH, "fr") and looks_like(ENGLISH, "en")
    for text, wrong in [(DUTCH, "fr"), (DUTCH, "de"), (FRENCH, "nl"), (ENGLISH, "nl")]:
        assert not looks_like(text, wrong)
    assert not looks_like("Volkswagen, BMW, Stellantis, Renault, Hyundai.", "nl")
    assert not looks_like(DUTCH, "zh")  # unscreened: always left to langdetect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ford didn't say when the plant's third shift on line C would start, but it's due.", "en"),
        ("L'usine d'Ath a produit l'an dernier plus d'autos qu'elle n'en avait jamais fait.", "fr"),
    ],
)
def test_elisions_contractions_and_single_letters_do_not_hide_the_language(
    text: str, lang: str
) -> None:
    assert looks_like(text, lang)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts langdetect is asked about, in order."""
    asked: list[str] = []
    real = langid.detect_langs

    def counted(text: str) -> list[object]:
        asked.append(text)
        return real(text)

    monkeypatch.setattr(langid, "detect_langs", counted)
    return asked


def test_plainly_dutch_paragraphs_are_not_run_through_langdetect(
    calls: list[str],
) -> None:
    text = "\n".join([DUTCH] * 4 + [FRENCH, FRENCH])
    report = identify(text, "nl")
    assert [span.lang for span in report.spans] == ["nl", "fr"]
    assert calls[0] == text  # the whole text, then only the French paragraphs
    assert calls[1:] == [FRENCH, FRENCH]


def test_langdetect_is_skipped_only_for_text_plainly_in_its_declared_language(
    calls: list[str],
) -> None:
    page = "\n".join([DUTCH] * 3)
    report = identify(page, "nl-BE")
    assert (report.lang, report.confidence, report.detected) == ("nl", 1.0, "nl")
    assert calls == []
    for declared in (None, "fr", "zh"):  # undeclared, wrongly declared, unscreened
        report = identify(page, declared)
        assert report.lang == "nl" and calls[-1] == page


def test_a_stretch_too_short_to_be_a_language_of_its_own_is_not_run_through_langdetect(
    calls: list[str],
) -> None:
    # Unvouched for by Dutch function words, and together shorter than a run must be:
    # whatever langdetect said of them, they would take the page's language.
    aside = "Toyota Corolla Cross Hybrid, Kia Niro EV, Skoda Elroq, Opel Frontera en Renault 5."
    assert langid._letters(aside) >= langid.PARAGRAPH_MIN_LETTERS
    assert 2 * langid._letters(aside) < langid.MIN_RUN_LETTERS
    text = "\n".join([DUTCH, aside, DUTCH, aside, DUTCH])
    report = identify(text, "nl")
    assert calls == [] and not report.mixed and report.lang == "nl"
    # Two unvouched paragraphs in a row can make a run: both are looked at.
    mixed = "\n".join([DUTCH, FRENCH, FRENCH, DUTCH])
    identify(mixed, "nl")
    assert calls == [mixed, FRENCH, FRENCH]  # the whole text, then the paragraphs


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("nl-BE", "nl"), ("fr_FR", "fr"), (" DE ", "de"), ("", None), ("x-klingon-1", None)],
)
def test_declared_codes_are_normalised(declared: str, expected: str | None) -> None:
    assert normalise_declared(declared) == expected
