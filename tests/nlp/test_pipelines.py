"""Which spaCy pipeline reads which language."""

from __future__ import annotations

from nlp.analysis import Analyzer
from nlp.pipelines import GENERIC_LANG, OWN_TOKENIZER_LANGS, build_pipeline, installed_model


def test_languages_outside_the_core_share_the_generic_tokenizer() -> None:
    spanish = build_pipeline("es")
    assert "es" not in OWN_TOKENIZER_LANGS and installed_model("es") is None
    assert spanish.lang == GENERIC_LANG
    # The newsfacts components still read the text as Spanish.
    assert spanish.get_pipe("newsfacts_figures_v1").lang == "es"
    assert spanish.get_pipe("newsfacts_entities_v1").lang == "es"


def test_core_languages_keep_their_own_tokenizer() -> None:
    for lang in sorted(OWN_TOKENIZER_LANGS):
        assert build_pipeline(lang).lang == lang


def test_a_spanish_text_is_read_with_spanish_number_conventions() -> None:
    text = (
        "Seat fabricó 12.500 coches en su planta de Martorell en marzo de 2025.\n"
        "Su cuota de mercado subió al 7,4 % en Europa."
    )
    analysis = Analyzer().analyze(text, lang="es")
    values = sorted(figure.value for figure in analysis.figures)
    assert values == [7.4, 12500]  # a decimal comma, a thousands point
