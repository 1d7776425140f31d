"""One call from text to language, entities, figures and facts."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from nlp.entities import EntityMention
from nlp.facts import Fact, build_facts
from nlp.figures import Figure
from nlp.kinds import COMPANY_KINDS
from nlp.langid import (
    UNDETERMINED,
    LanguageGuess,
    LanguageReport,
    LanguageSpan,
    detect_language,
    identify,
)
from nlp.layout import Sentence
from nlp.lexicon import MONTHS
from nlp.relevance import PageContext, is_relevant, relevance_evidence

if TYPE_CHECKING:  # spaCy loads only where a pipeline is built: not in a run's own process
    from spacy.language import Language
    from spacy.tokens import Doc

_Located = TypeVar("_Located", EntityMention, Figure)

_MONTH_NAMES = "|".join(name.capitalize() for name in sorted(MONTHS, key=len, reverse=True))
_NUMBER_THEN_SENTENCE = re.compile(
    r"(?<=\d[.,\u00a0 ]\d{3}\.)\s+(?=[A-ZÄÖÜÀ-Ý][a-zäöüßà-ÿ]+\b)(?!(?:" + _MONTH_NAMES + r")\b)"
)
NLP_VERSION = "newsfacts-nlp/0.3"
# Undetermined text with no declared language is read with these conventions.
FALLBACK_LANG = "en"
# spaCy refuses a text longer than `nlp.max_length` (1,000,000 characters, error E088), and
# its parser and recogniser need memory in proportion to the text: a longer text than this
# is read in pieces of at most this many characters, cut between paragraphs (see `pieces`).
MAX_PIECE_CHARS = 50_000
# Where a piece may end, best first: after a line break, a sentence, a word.
_CUTS = ("\n", ". ", " ")


@dataclass(frozen=True)
class Analysis:
    """Everything the NLP stage finds in one text."""

    language: str
    language_confidence: float
    entities: list[EntityMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    report: LanguageReport | None = None
    relevance: float = field(kw_only=True)  # to the vehicle industry, 0-1 (nlp.relevance)

    def as_json(self, source: str) -> dict[str, object]:
        """The `newsfacts analyze` JSON object for this text."""
        return {
            "source": source,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "relevance": self.relevance,
            "entities": [entity.as_json() for entity in self.entities],
            "figures": [figure.as_json() for figure in self.figures],
            "facts": [fact.as_json() for fact in self.facts],
        }


def sentence_spans(doc: Doc) -> list[Sentence]:
    """Sentences of `doc`, also cut at line breaks (headings carry no full stop)."""
    from nlp.pipelines import doc_text

    text = doc_text(doc)
    # Token arrays rather than doc.sents: the same boundaries, far fewer Python objects.
    columns = doc.to_array(["IDX", "SENT_START"]) if len(doc) else None
    starts = [] if columns is None else columns[columns[:, 1] == 1, 0].tolist()
    # A parser may open a sentence inside a name ("Chery | Group revendiquait"): not there.
    names = [(row[2], row[3]) for row in doc._.nf_entity_rows or []]  # (start, end)
    inside = {i for start, end in names for i in range(start + 1, end)}
    # "... mit 137.400. Im Werk ...": a number ends a sentence where the tokenizer kept
    # its full stop as part of it (an ordinal to German rules).
    starts += [m.end() for m in _NUMBER_THEN_SENTENCE.finditer(text)]
    bounds = [*sorted({0, *(start for start in starts if start not in inside)}), len(text)]
    spans: list[Sentence] = []
    paragraph = counted = 0
    for sent_start, sent_end in itertools.pairwise(bounds):
        start = sent_start
        while start < sent_end:
            newline = text.find("\n", start, sent_end)
            end = sent_end if newline == -1 else newline
            line = text[start:end]
            if line.strip():
                paragraph += text.count("\n", counted, start)
                counted = start
                first = start + len(line) - len(line.lstrip())
                spans.append(Sentence(first, start + len(line.rstrip()), paragraph))
            start = end + 1
    return spans


class Analyzer:
    """Holds one spaCy pipeline per language, built on first use. Texts longer than
    `max_piece_chars` are read in pieces (see `pieces`)."""

    def __init__(
        self,
        models: Mapping[str, Sequence[str]] | None = None,
        max_piece_chars: int = MAX_PIECE_CHARS,
    ) -> None:
        self.models = dict(models or {})
        self.max_piece_chars = max_piece_chars
        self._pipelines: dict[str, Language] = {}

    def pipeline(self, lang: str) -> Language:
        """The pipeline for `lang`, built once."""
        if lang not in self._pipelines:
            from nlp.pipelines import build_pipeline

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
        page: PageContext | None = None,
    ) -> Analysis:
        """Language, entities, figures, facts and relevance of `text`. Each paragraph is
        read with the pipeline of its own language; offsets point into `text`. `page`
        (title, URL, categories, tags) is evidence for the relevance."""
        report = _forced(text, lang) if lang else identify(text, declared)
        if report.mixed or len(text) > self.max_piece_chars:
            return self._from_spans(text, report, published, page)
        doc = self.pipeline(self._nlp_lang(report.lang, report.declared))(text)
        return self._from_doc(doc, report, published, page)

    def analyze_many(
        self,
        texts: Sequence[str],
        *,
        lang: str | None = None,
        declared: Sequence[str | None] | None = None,
        published: Sequence[date | None] | None = None,
        pages: Sequence[PageContext | None] | None = None,
        n_process: int = 1,
        batch_size: int = 16,
    ) -> list[Analysis]:
        """`analyze` for many texts at once, through `nlp.pipe` per language; `declared`,
        `published` and `pages` go with the texts in order; with `n_process` > 1 spaCy
        spreads the batches over that many processes. Texts mixing languages are read span
        by span, and long texts piece by piece, as `analyze` does."""
        hints = list(declared) if declared is not None else [None] * len(texts)
        dates = list(published) if published is not None else [None] * len(texts)
        contexts = list(pages) if pages is not None else [None] * len(texts)
        reports = [
            _forced(text, lang) if lang else identify(text, hint)
            for text, hint in zip(texts, hints, strict=True)
        ]
        results: dict[int, Analysis] = {}
        by_lang: dict[str, list[int]] = {}
        for index, report in enumerate(reports):
            if report.mixed or len(texts[index]) > self.max_piece_chars:
                results[index] = self._from_spans(
                    texts[index], report, dates[index], contexts[index]
                )
            else:
                nlp_lang = self._nlp_lang(report.lang, report.declared)
                by_lang.setdefault(nlp_lang, []).append(index)
        for nlp_lang, indexes in by_lang.items():
            docs = self.pipeline(nlp_lang).pipe(
                (texts[index] for index in indexes), n_process=n_process, batch_size=batch_size
            )
            for index, doc in zip(indexes, docs, strict=True):
                results[index] = self._from_doc(doc, reports[index], dates[index], contexts[index])
        return [results[index] for index in range(len(texts))]

    def _from_spans(
        self,
        text: str,
        report: LanguageReport,
        published: date | None,
        page: PageContext | None,
    ) -> Analysis:
        """Each language span read by its own pipeline, facts built over the text. A text
        longer than `max_piece_chars` is read a piece at a time (see `pieces`): each piece's
        facts are built over that piece, and every offset is shifted back into `text`."""
        entities: list[EntityMention] = []
        figures: list[Figure] = []
        facts: list[Fact] = []
        for start, end in pieces(text, self.max_piece_chars):
            found = self._piece(text[start:end], start, report, published)
            entities += [_shifted(entity, start) for entity in found[0]]
            figures += [_shifted(figure, start) for figure in found[1]]
            facts += [_shifted_fact(fact, start) for fact in found[2]]
        return _analysis(text, report, entities, figures, facts, page)

    def _piece(
        self, piece: str, offset: int, report: LanguageReport, published: date | None
    ) -> tuple[list[EntityMention], list[Figure], list[Fact]]:
        """Entities, figures and facts of `piece`, which starts at `offset` in the text the
        report is about, each of its language spans read by its own pipeline; offsets point
        into `piece`."""
        entities: list[EntityMention] = []
        figures: list[Figure] = []
        sentences: list[Sentence] = []
        subjects: list[tuple[int, int, int]] = []
        for span in report.spans:
            low, high = max(span.start - offset, 0), min(span.end - offset, len(piece))
            if low >= high:
                continue
            doc = self.pipeline(self._nlp_lang(span.lang, report.declared))(piece[low:high])
            entities += [_shifted(e, low) for e in doc._.nf_entities or []]
            figures += [_shifted(f, low) for f in doc._.nf_figures or []]
            subjects += [
                (figure + low, start + low, end + low)
                for figure, start, end in doc._.nf_subjects or []
            ]
            paragraphs = piece.count("\n", 0, low)  # before the span
            sentences += [
                Sentence(s.start + low, s.end + low, s.paragraph + paragraphs)
                for s in sentence_spans(doc)
            ]
        facts = build_facts(piece, sentences, entities, figures, published, subjects, report.lang)
        return entities, figures, facts

    @staticmethod
    def _nlp_lang(lang: str, declared: str | None) -> str:
        """The pipeline to read text in `lang` with; undetermined text is read with the
        conventions of the declared language, if any."""
        return lang if lang != UNDETERMINED else declared or FALLBACK_LANG

    def _from_doc(
        self,
        doc: Doc,
        report: LanguageReport,
        published: date | None,
        page: PageContext | None,
    ) -> Analysis:
        entities: list[EntityMention] = doc._.nf_entities or []
        figures: list[Figure] = doc._.nf_figures or []
        subjects = doc._.nf_subjects or []
        from nlp.pipelines import doc_text

        text = doc_text(doc)
        facts = build_facts(
            text, sentence_spans(doc), entities, figures, published, subjects, report.lang
        )
        return _analysis(text, report, entities, figures, facts, page)


def _analysis(
    text: str,
    report: LanguageReport,
    entities: list[EntityMention],
    figures: list[Figure],
    facts: list[Fact],
    page: PageContext | None,
) -> Analysis:
    """The analysis of a text, scored for relevance, with the facts its score allows."""
    evidence = relevance_evidence(text, entities, report.lang, page)
    score = evidence.score
    kept = list(facts) if evidence.too_short else on_topic_facts(facts, entities, score)
    return Analysis(
        report.lang, report.confidence, entities, figures, kept, report, relevance=score
    )


def on_topic_facts(
    facts: Sequence[Fact], entities: Sequence[EntityMention], score: float
) -> list[Fact]:
    """All facts of an article about the vehicle industry; of an off-topic one (a score
    below nlp.relevance.RELEVANT), only those whose subject is a company, brand or group of
    the knowledge base, which are all of the vehicle industry."""
    if is_relevant(score):
        return list(facts)
    companies = {e.kb_id for e in entities if e.kb_id is not None and e.kind in COMPANY_KINDS}
    return [fact for fact in facts if fact.subject_kb_id in companies]


def pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """`text` as consecutive (start, end) pieces of at most `limit` characters, each ending
    after the last line break that fits, else after a sentence, else after a word (a piece
    never ends before half the limit); a run of `limit` characters without a space is cut
    where the limit falls."""
    found: list[tuple[int, int]] = []
    start, end = 0, len(text)
    while end - start > limit:
        stop, cut = start + limit, 0
        for mark in _CUTS:
            at = text.rfind(mark, start + limit // 2, stop - len(mark) + 1)
            if at != -1:
                cut = at + len(mark)
                break
        cut = cut or stop
        found.append((start, cut))
        start = cut
    found.append((start, end))
    return found


def _forced(text: str, lang: str) -> LanguageReport:
    """The language report for a text whose language is given."""
    return LanguageReport(lang, 1.0, lang, 1.0, None, [LanguageSpan(0, len(text), lang, 1.0)])


def _shifted(item: _Located, offset: int) -> _Located:
    """A mention or figure found in a part of the text, with offsets into the whole text."""
    if not offset:
        return item
    return replace(item, start=item.start + offset, end=item.end + offset)


def _shifted_fact(fact: Fact, offset: int) -> Fact:
    """A fact found in a part of the text, with offsets into the whole text."""
    if not offset:
        return fact
    return replace(
        fact,
        evidence_start=fact.evidence_start + offset,
        evidence_end=fact.evidence_end + offset,
        figure=_shifted(fact.figure, offset),
    )
