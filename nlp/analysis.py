"""One call from text to language, entities, figures and facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from nlp.entities import EntityMention
from nlp.facts import Fact, Sentence, build_facts
from nlp.figures import Figure
from nlp.langid import (
    UNDETERMINED,
    LanguageGuess,
    LanguageReport,
    LanguageSpan,
    detect_language,
    identify,
)
from nlp.pipelines import build_pipeline

_Located = TypeVar("_Located", EntityMention, Figure)

NLP_VERSION = "newsfacts-nlp/0.2"
# Undetermined text with no declared language is read with these conventions.
FALLBACK_LANG = "en"


@dataclass(frozen=True)
class Analysis:
    """Everything the NLP stage finds in one text."""

    language: str
    language_confidence: float
    entities: list[EntityMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    report: LanguageReport | None = None

    def as_json(self, source: str) -> dict[str, object]:
        """The `newsfacts analyze` JSON object for this text."""
        return {
            "source": source,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "entities": [entity.as_json() for entity in self.entities],
            "figures": [figure.as_json() for figure in self.figures],
            "facts": [fact.as_json() for fact in self.facts],
        }


def sentence_spans(doc: Doc) -> list[Sentence]:
    """Sentences of `doc`, also cut at line breaks (headings carry no full stop)."""
    text = doc.text
    spans: list[Sentence] = []
    for sent in doc.sents:
        start = sent.start_char
        while start < sent.end_char:
            newline = text.find("\n", start, sent.end_char)
            end = sent.end_char if newline == -1 else newline
            if text[start:end].strip():
                spans.append(Sentence(start, end, text.count("\n", 0, start)))
            start = end + 1
    return spans


class Analyzer:
    """Holds one spaCy pipeline per language, built on first use."""

    def __init__(self, models: Mapping[str, Sequence[str]] | None = None) -> None:
        self.models = dict(models or {})
        self._pipelines: dict[str, Language] = {}

    def pipeline(self, lang: str) -> Language:
        """The pipeline for `lang`, built once."""
        if lang not in self._pipelines:
            self._pipelines[lang] = build_pipeline(lang, self.models)
        return self._pipelines[lang]

    def language(self, text: str, declared: str | None = None) -> LanguageGuess:
        """Language of `text`, with the declared language as evidence."""
        return detect_language(text, declared)

    def analyze(
        self,
        text: str,
        *,
        lang: str | None = None,
        declared: str | None = None,
        published: date | None = None,
    ) -> Analysis:
        """Language, entities, figures and facts of `text`. Each paragraph is read with the
        pipeline of its own language; offsets point into `text`."""
        if lang:
            report = LanguageReport(
                lang, 1.0, lang, 1.0, None, [LanguageSpan(0, len(text), lang, 1.0)]
            )
        else:
            report = identify(text, declared)
        if report.mixed:
            return self._from_spans(text, report, published)
        doc = self.pipeline(self._nlp_lang(report.lang, report.declared))(text)
        return self._from_doc(doc, report, published)

    def _from_spans(self, text: str, report: LanguageReport, published: date | None) -> Analysis:
        """Each language span read by its own pipeline; facts built over the whole text."""
        entities: list[EntityMention] = []
        figures: list[Figure] = []
        sentences: list[Sentence] = []
        for span in report.spans:
            nlp = self.pipeline(self._nlp_lang(span.lang, report.declared))
            doc = nlp(text[span.start : span.end])
            entities += [_shifted(e, span.start) for e in doc._.nf_entities or []]
            figures += [_shifted(f, span.start) for f in doc._.nf_figures or []]
            for sentence in sentence_spans(doc):
                start, end = sentence.start + span.start, sentence.end + span.start
                sentences.append(Sentence(start, end, text.count("\n", 0, start)))
        facts = build_facts(text, sentences, entities, figures, published)
        return Analysis(report.lang, report.confidence, entities, figures, facts, report)

    @staticmethod
    def _nlp_lang(lang: str, declared: str | None) -> str:
        """The pipeline to read text in `lang` with; undetermined text is read with the
        conventions of the declared language, if any."""
        return lang if lang != UNDETERMINED else declared or FALLBACK_LANG

    def _from_doc(self, doc: Doc, report: LanguageReport, published: date | None) -> Analysis:
        entities: list[EntityMention] = doc._.nf_entities or []
        figures: list[Figure] = doc._.nf_figures or []
        facts = build_facts(doc.text, sentence_spans(doc), entities, figures, published)
        return Analysis(report.lang, report.confidence, entities, figures, facts, report)


def _shifted(item: _Located, offset: int) -> _Located:
    """A mention or figure found in a part of the text, with offsets into the whole text."""
    return replace(item, start=item.start + offset, end=item.end + offset)
