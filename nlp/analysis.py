"""One call from text to language, entities, figures and facts."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from nlp.entities import EntityMention
from nlp.facts import Fact, Sentence, build_facts
from nlp.figures import Figure
from nlp.langid import UNDETERMINED, LanguageGuess, detect_language
from nlp.pipelines import build_pipeline, doc_text

NLP_VERSION = "newsfacts-nlp/0.1"
# Text in a language we have no rules for is still read with these conventions.
FALLBACK_LANG = "en"


@dataclass(frozen=True)
class Analysis:
    """Everything the NLP stage finds in one text."""

    language: str
    language_confidence: float
    entities: list[EntityMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

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
    text = doc_text(doc)
    # Token arrays rather than doc.sents: the same boundaries, far fewer Python objects.
    columns = doc.to_array(["IDX", "SENT_START"]) if len(doc) else None
    starts = [] if columns is None else columns[columns[:, 1] == 1, 0].tolist()
    # A parser may open a sentence inside a name ("Chery | Group revendiquait"): not there.
    names = [(row[2], row[3]) for row in doc._.nf_entity_rows or []]  # (start, end)
    inside = {i for start, end in names for i in range(start + 1, end)}
    bounds = [*sorted({0, *(start for start in starts if start not in inside)}), len(text)]
    spans: list[Sentence] = []
    paragraph = counted = 0
    for sent_start, sent_end in itertools.pairwise(bounds):
        start = sent_start
        while start < sent_end:
            newline = text.find("\n", start, sent_end)
            end = sent_end if newline == -1 else newline
            if text[start:end].strip():
                paragraph += text.count("\n", counted, start)
                counted = start
                stripped = len(text[start:end].rstrip())
                spans.append(Sentence(start, start + stripped, paragraph))
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
        """Language, entities, figures and facts of `text`."""
        guess = LanguageGuess(lang, 1.0) if lang else self.language(text, declared)
        nlp_lang = guess.lang if guess.lang != UNDETERMINED else FALLBACK_LANG
        doc = self.pipeline(nlp_lang)(text)
        return self._from_doc(doc, guess, published)

    def analyze_many(
        self,
        texts: Sequence[str],
        *,
        lang: str | None = None,
        declared: Sequence[str | None] | None = None,
        published: Sequence[date | None] | None = None,
        n_process: int = 1,
        batch_size: int = 16,
    ) -> list[Analysis]:
        """`analyze` for many texts at once, through `nlp.pipe` per language; `declared`
        and `published` go with the texts in order; with `n_process` > 1 spaCy spreads
        the batches over that many processes."""
        hints = list(declared) if declared is not None else [None] * len(texts)
        guesses = [
            LanguageGuess(lang, 1.0) if lang else self.language(text, hint)
            for text, hint in zip(texts, hints, strict=True)
        ]
        dates = list(published) if published is not None else [None] * len(texts)
        by_lang: dict[str, list[int]] = {}
        for index, guess in enumerate(guesses):
            nlp_lang = guess.lang if guess.lang != UNDETERMINED else FALLBACK_LANG
            by_lang.setdefault(nlp_lang, []).append(index)
        results: dict[int, Analysis] = {}
        for nlp_lang, indexes in by_lang.items():
            docs = self.pipeline(nlp_lang).pipe(
                (texts[index] for index in indexes), n_process=n_process, batch_size=batch_size
            )
            for index, doc in zip(indexes, docs, strict=True):
                results[index] = self._from_doc(doc, guesses[index], dates[index])
        return [results[index] for index in range(len(texts))]

    def _from_doc(self, doc: Doc, guess: LanguageGuess, published: date | None) -> Analysis:
        entities: list[EntityMention] = doc._.nf_entities or []
        figures: list[Figure] = doc._.nf_figures or []
        subjects = doc._.nf_subjects or []
        text = doc_text(doc)
        facts = build_facts(text, sentence_spans(doc), entities, figures, published, subjects)
        return Analysis(guess.lang, guess.confidence, entities, figures, facts)
