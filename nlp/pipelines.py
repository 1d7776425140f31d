"""spaCy pipelines per language: an installed trained pipeline if there is one, else a
blank one with a sentencizer, plus the newsfacts components."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlp.entities import (
    MODEL_LABELS,
    EntityMention,
    KBMatcher,
    countries,
    in_context,
    merge_mentions,
    plausible_model_mentions,
    rule_companies,
    rule_organisations,
)
from nlp.figures import Figure, find_figures
from nlp.kb import KnowledgeBase, load_kb
from nlp.plants import PlantFinder
from nlp.syntax import figure_subjects

# Trained pipelines tried in order when the settings name none for a language.
DEFAULT_MODELS: dict[str, tuple[str, ...]] = {
    "nl": ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm", "xx_ent_wiki_sm"),
    "fr": ("fr_core_news_lg", "fr_core_news_md", "fr_core_news_sm"),
    "de": ("de_core_news_lg", "de_core_news_md", "de_core_news_sm", "xx_ent_wiki_sm"),
    "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "xx_ent_wiki_sm"),
}
# Languages whose blank pipelines keep spaCy's own tokenizer rules (abbreviations, elisions,
# punctuation). Every other language without a trained pipeline is tokenized by spaCy's
# multi-language tokenizer: our rules read the text, not the tokens, and the tokens only
# bound sentences, while some languages' rules take long to build (Indonesian 1.5 s, Spanish
# 0.15 s, against 0.03 s) in every analysis process that meets one of their pages.
OWN_TOKENIZER_LANGS = frozenset(DEFAULT_MODELS)
GENERIC_LANG = "xx"
# Components of trained pipelines we do not use; leaving them out saves time.
UNUSED_COMPONENTS = ("lemmatizer", "morphologizer", "attribute_ruler", "tagger")


# Results are kept on the Doc as plain rows, which spaCy can send between processes
# (`nlp.pipe(n_process=...)`); the getters turn them back into objects.
def _entities(doc: Doc) -> list[EntityMention]:
    rows = doc._.nf_entity_rows or []
    mentions = (EntityMention(*row) for row in rows)
    return [replace(m, former_operators=tuple(m.former_operators)) for m in mentions]


TEXT_KEY = "nf_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, kept on the Doc after the first call (the property joins every token)."""
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def _row(record: EntityMention | Figure) -> tuple[object, ...]:
    """A flat dataclass as a tuple of its fields, in order (faster than `astuple`)."""
    return tuple(vars(record).values())


def _figures(doc: Doc) -> list[Figure]:
    return [Figure(*row) for row in doc._.nf_figure_rows or []]


for _name in ("nf_entity_rows", "nf_figure_rows", "nf_subjects"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("nf_entities"):
    Doc.set_extension("nf_entities", getter=_entities)
if not Doc.has_extension("nf_figures"):
    Doc.set_extension("nf_figures", getter=_figures)


# Token IOB codes in `Doc.to_array("ENT_IOB")`.
IOB_BEGIN, IOB_INSIDE = 3, 1


def model_entities(doc: Doc) -> Iterator[tuple[int, int, str]]:
    """(start char, end char, label) of the statistical entities, read from token arrays
    rather than `doc.ents`, which builds a Python object per token."""
    if not len(doc):
        return
    rows = doc.to_array(["ENT_IOB", "ENT_TYPE", "IDX", "LENGTH"]).tolist()
    strings = doc.vocab.strings
    index = 0
    while index < len(rows):
        iob, label, start, _ = rows[index]
        if iob != IOB_BEGIN:
            index += 1
            continue
        last = index
        while last + 1 < len(rows) and rows[last + 1][0] == IOB_INSIDE:
            last += 1
        yield start, rows[last][2] + rows[last][3], strings[label]
        index = last + 1


class EntityComponent:
    """Knowledge-base, rule and statistical mentions, merged with the KB winning."""

    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        self.kb = kb
        self.lang = lang
        self.matcher = KBMatcher(kb, lang)
        self.plants = PlantFinder(kb, lang)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        kb_mentions = in_context(text, self.matcher.find(text), self.kb, self.lang)
        # Plant mentions (the knowledge base's own among them) never overlap each other;
        # a plant phrase contains its operator's name: keep both, the plant on top.
        plants = self.plants.find(text, kb_mentions)
        rules = [
            *rule_companies(text, self.lang, kb_mentions),
            *countries(text),
            *rule_organisations(text),
        ]
        model = plausible_model_mentions(
            text,
            (
                EntityMention(
                    text[start:end],
                    MODEL_LABELS[label],
                    start,
                    end,
                    text[start:end],
                    kind=MODEL_LABELS[label].lower(),
                )
                for start, end, label in model_entities(doc)
                if label in MODEL_LABELS
            ),
        )
        merged = merge_mentions(kb_mentions, rules, model)
        # One mention per span: a plant named by its town alone takes the place of the
        # town's LOCATION mention, and yields to any other mention on the same span.
        others = {(m.start, m.end): m for m in merged if m.label != "PLANT"}
        plants = [
            p for p in plants if others.get((p.start, p.end), p).label in ("PLANT", "LOCATION")
        ]
        for plant in plants:
            others.pop((plant.start, plant.end), None)
        mentions = sorted([*others.values(), *plants], key=lambda m: (m.start, -m.end))
        doc._.nf_entity_rows = [_row(mention) for mention in mentions]
        return doc


class FigureComponent:
    """Locale-aware quantities."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        figures = find_figures(doc_text(doc), self.lang)
        doc._.nf_figure_rows = [_row(figure) for figure in figures]
        doc._.nf_subjects = figure_subjects(doc, figures)
        return doc


@Language.factory("newsfacts_entities_v1", default_config={"lang": "xx"})
def make_entity_component(nlp: Language, name: str, lang: str) -> EntityComponent:
    """spaCy factory for the entity component."""
    return EntityComponent(load_kb(), lang)


@Language.factory("newsfacts_figures_v1", default_config={"lang": "xx"})
def make_figure_component(nlp: Language, name: str, lang: str) -> FigureComponent:
    """spaCy factory for the figure component."""
    return FigureComponent(lang)


def installed_model(lang: str, preferred: Sequence[str] = ()) -> str | None:
    """The first trained pipeline for `lang` that is installed, preferred ones first."""
    for name in (*preferred, *DEFAULT_MODELS.get(lang, ())):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def build_pipeline(lang: str, models: Mapping[str, Sequence[str]] | None = None) -> Language:
    """The pipeline for `lang`: trained model if installed, else a blank one (see
    OWN_TOKENIZER_LANGS), newsfacts components for `lang` on top."""
    preferred = (models or {}).get(lang, ())
    model = installed_model(lang, preferred)
    nlp: Language
    if model is not None:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    else:
        try:
            nlp = spacy.blank(lang if lang in OWN_TOKENIZER_LANGS else GENERIC_LANG)
        except Exception:  # a language spaCy has no tokenizer for
            nlp = spacy.blank(GENERIC_LANG)
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("newsfacts_entities_v1", config={"lang": lang})
    nlp.add_pipe("newsfacts_figures_v1", config={"lang": lang})
    return nlp


def pipeline_info(nlp: Language) -> dict[str, Any]:
    """Name, version and components of a pipeline, for provenance."""
    return {
        "name": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
        "version": nlp.meta.get("version"),
        "components": list(nlp.pipe_names),
    }
