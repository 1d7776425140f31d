"""Facts: each figure bound to a subject, a metric, a period, a location and a qualifier,
with the evidence sentence and a confidence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from nlp.entities import EntityMention
from nlp.figures import Figure, json_number
from nlp.metrics import METRIC_PATTERNS, QUALIFIER_PATTERNS, compatible
from nlp.periods import Period, find_periods, year_before
from nlp.places import COUNTRY_ADJECTIVES, COUNTRY_NAMES

PERCENT_UNITS = frozenset({"percent", "percentage_points"})
UNIT_FOR_METRIC = {"employees": "employees", "users": "users"}


@dataclass(frozen=True)
class Fact:
    """What a figure states, and the sentence that says it."""

    subject: str | None
    subject_kb_id: str | None
    metric: str
    value: float
    unit: str | None
    period: str | None
    period_start: date | None
    period_end: date | None
    location: str | None
    qualifier: str  # actual | target | forecast | cumulative | change
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float
    figure: Figure

    def as_json(self) -> dict[str, object]:
        """The fact as in the `analyze` JSON contract."""
        return {
            "subject": self.subject,
            "subject_kb_id": self.subject_kb_id,
            "metric": self.metric,
            "value": json_number(self.value),
            "unit": self.unit,
            "period": self.period,
            "location": self.location,
            "qualifier": self.qualifier,
            "evidence": self.evidence,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Sentence:
    """A sentence's span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


def sentences_with_paragraphs(text: str, spans: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Attach a paragraph number (blank-line or newline separated) to each sentence span."""
    result = []
    for start, end in spans:
        result.append(Sentence(start, end, text.count("\n", 0, start)))
    return result


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


_LOCATION_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(name)
        for name in sorted(
            {
                n
                for table in (COUNTRY_NAMES, COUNTRY_ADJECTIVES)
                for names in table.values()
                for n in names
            },
            key=len,
            reverse=True,
        )
    )
    + r")(?![\w-])"
)
_LOCATION_CODE = {
    name: code
    for table in (COUNTRY_ADJECTIVES, COUNTRY_NAMES)
    for code, names in table.items()
    for name in names
}
_MARKET = re.compile(r"\b(?:markt|marché|market|markets|marchés|märkte)\b", re.I)
_DESCRIPTIVE_GAP = re.compile(r"(?:\s+[\w-]+){0,2}\s+")
_COMPARATIVE_AFTER = re.compile(
    r"\s*(?:mehr|weniger|höher|niedriger|meer|minder|hoger|lager|more|less|higher|lower|"
    r"de plus|de moins|en plus|en moins)\b",
    re.I,
)
_SIGNED = re.compile(r"^[+−-]")
_CHANGE_LINK = re.compile(r"\s*(?:naar|tot|à|auf|bis|to)\s+(?:\w+\s+)?", re.I)
_ANAPHOR = re.compile(
    r"\b(?:het\s+(?:concern|bedrijf)|de\s+(?:groep|autobouwer|autofabrikant|fabrikant)|"
    r"(?:le|du)\s+(?:groupe|constructeur)|la\s+société|"
    r"(?:der|des|dem|den)\s+(?:Konzerns?|Autobauers?|Herstellers?|Unternehmens?)|"
    r"the\s+(?:group|company|carmaker|automaker|manufacturer))\b",
    re.I,
)
_YEAR_EARLIER = re.compile(
    r"[\s,(]*(?:een\s+jaar\s+(?:eerder|geleden|daarvoor)|un\s+an\s+(?:plus\s+tôt|auparavant)|"
    r"l['’]an\s+dernier|ein\s+jahr\s+(?:zuvor|früher)|im\s+vorjahr(?:eszeitraum)?|"
    r"a\s+year\s+(?:earlier|ago|before))",
    re.I,
)
# A cumulative total without a period of its own nearby counts since the start.
CUMULATIVE_REACH = 60


class FactBuilder:
    """Binds the figures of one document to their subjects and periods."""

    def __init__(
        self,
        text: str,
        sentences: Sequence[Sentence],
        entities: Sequence[EntityMention],
        published: date | None,
        subjects: Sequence[tuple[int, int, int]] = (),
    ) -> None:
        self.text = text
        self.subject_spans = {figure_start: (start, end) for figure_start, start, end in subjects}
        self.sentences = list(sentences)
        self.paragraph_of = {sentence.start: sentence.paragraph for sentence in self.sentences}
        self.companies = [e for e in entities if e.label == "COMPANY"]
        self.reference = published
        self.figures: Sequence[Figure] = ()
        self.built: list[Fact] = []
        self.periods = find_periods(text, self.reference)
        self.locations = [
            (m.start(), m.end(), _LOCATION_CODE[m.group(0)])
            for m in _LOCATION_RE.finditer(text)
            if not self._describes_company(m.end())
        ]

    def _describes_company(self, end: int) -> bool:
        """ "de Chinese autofabrikant Chery": an adjective right before a company name."""
        return any(
            0 <= company.start - end <= 30
            and _DESCRIPTIVE_GAP.fullmatch(self.text, end, company.start) is not None
            for company in self.companies
        )

    def build(self, figures: Sequence[Figure]) -> list[Fact]:
        self.figures = figures
        self.built = facts = []
        by_sentence: dict[int, list[Fact]] = {}
        for figure in figures:
            index = self._sentence_index(figure.start)
            if index is None:
                continue
            fact = self._fact(figure, index, by_sentence.get(index, []))
            if fact is not None:
                facts.append(fact)
                by_sentence.setdefault(index, []).append(fact)
        return facts

    def _sentence_index(self, offset: int) -> int | None:
        for index, sentence in enumerate(self.sentences):
            if sentence.start <= offset < sentence.end:
                return index
        return None

    def _in(self, index: int, start: int, end: int) -> bool:
        sentence = self.sentences[index]
        return sentence.start <= start and end <= sentence.end

    def _previous_in_paragraph(self, index: int) -> int | None:
        if index > 0 and self.sentences[index - 1].paragraph == self.sentences[index].paragraph:
            return index - 1
        return None

    def _fact(self, figure: Figure, index: int, earlier: list[Fact]) -> Fact | None:
        sentence = self.sentences[index]
        evidence = self.text[sentence.start : sentence.end]
        score = 0.4
        qualifier = self._qualifier(figure, index)
        if figure.unit in PERCENT_UNITS and qualifier == "change" and earlier:
            base = earlier[-1]
            return Fact(
                base.subject,
                base.subject_kb_id,
                base.metric,
                figure.value,
                figure.unit,
                base.period,
                base.period_start,
                base.period_end,
                base.location,
                "change",
                evidence,
                sentence.start,
                sentence.end,
                round(min(base.confidence, 0.9), 2),
                figure,
            )
        metric, metric_found = self._metric(figure, index, any_metric=qualifier == "change")
        if metric_found:
            score += 0.2
        subject = self._subject(figure, index)
        if subject is not None:
            score += 0.2 if self._in(index, subject.start, subject.end) else 0.05
        period = self._period(figure, index)
        if period is not None and _YEAR_EARLIER.match(self.text, figure.end):
            period = year_before(period)  # "$4.9bn a year earlier"
        if period is not None and period.start_date is not None:
            score += 0.15 if self._in(index, period.start, period.end) else 0.05
        location = self._location(figure, index)
        if subject is None and not (location and metric_found):
            return None
        if not metric_found and figure.unit is None:
            return None
        if qualifier == "actual" and period is not None and period.target:
            qualifier = "target"
        if (
            qualifier == "actual"
            and period is not None
            and self.reference is not None
            and period.start_date is not None
            and period.start_date > self.reference
        ):
            qualifier = "target"  # nothing has happened yet in a period still to come
        if qualifier == "actual" and period is not None and "/" in period.label:
            qualifier = "cumulative"  # "van januari tot en met september": a running total
        if (
            qualifier == "cumulative"
            and period is not None
            and "/" not in period.label
            and (
                period.day
                or _distance(period.start, period.end, figure.start, figure.end) > CUMULATIVE_REACH
            )
        ):
            period = None  # a total since the start, announced on some day
        unit = (
            figure.unit
            or UNIT_FOR_METRIC.get(metric)
            or self._sibling_unit(figure, index)
            or self._earlier_unit(metric)
        )
        if unit == "people":  # "1.450 mensen" who work there are employees
            unit = UNIT_FOR_METRIC.get(metric, unit)
        return Fact(
            subject.canonical if subject else None,
            subject.kb_id if subject else None,
            metric,
            figure.value,
            unit,
            period.label if period else ("cumulative" if qualifier == "cumulative" else None),
            period.start_date if period else None,
            period.end_date if period else None,
            location,
            qualifier,
            evidence,
            sentence.start,
            sentence.end,
            round(min(score, 0.95), 2),
            figure,
        )

    def _metric(self, figure: Figure, index: int, any_metric: bool = False) -> tuple[str, bool]:
        """The metric a figure measures; a percentage change may measure any metric
        ("sales fell 12 per cent")."""
        best = self._metric_cue(figure, index, any_metric)
        if best is not None:
            return best, True
        if figure.unit in {"employees"}:
            return "employees", True
        if figure.unit in {"users", "customers"}:
            return "users", True
        if figure.unit == "people":  # people counted in company news are its staff
            return "employees", True
        # "Jaecoo deed het beter en steeg van 412 naar 6.870": the metric was named before.
        previous = self._previous_in_paragraph(index)
        if previous is not None and (inherited := self._metric_cue(figure, previous)):
            return inherited, True
        return "other", False

    def _metric_cue(self, figure: Figure, index: int, any_metric: bool = False) -> str | None:
        """The metric whose cue in sentence `index` lies nearest the figure."""
        sentence = self.sentences[index]
        best: tuple[int, str] | None = None
        for metric, pattern in METRIC_PATTERNS.items():
            if not (any_metric or compatible(metric, figure.unit)):
                continue
            for match in pattern.finditer(self.text, sentence.start, sentence.end):
                distance = _distance(match.start(), match.end(), figure.start, figure.end)
                if match.start() > figure.end:
                    distance += 15  # cues before the figure are likelier to govern it
                if best is None or distance < best[0]:
                    best = (distance, metric)
        return best[1] if best else None

    def _subject(self, figure: Figure, index: int) -> EntityMention | None:
        span = self.subject_spans.get(figure.start)
        if span is not None:
            parsed = [c for c in self.companies if span[0] <= c.start and c.end <= span[1]]
            if parsed:
                return parsed[0]
        in_sentence = [c for c in self.companies if self._in(index, c.start, c.end)]
        before = [c for c in in_sentence if c.end <= figure.start]
        if before:
            return self._outside_apposition(before, figure)
        if in_sentence:
            return in_sentence[0]
        if anaphor := self._anaphor_subject(index):
            return anaphor
        previous = self._previous_in_paragraph(index)
        if previous is not None and not self._location_in(index):
            earlier = [c for c in self.companies if self._in(previous, c.start, c.end)]
            if earlier:
                return earlier[0]
        return self._paragraph_subject(index)

    def _anaphor_subject(self, index: int) -> EntityMention | None:
        """ "le groupe", "het concern", "der Konzern", "the carmaker": the last company or
        group named before this sentence (brands name products, not the company)."""
        sentence = self.sentences[index]
        if not _ANAPHOR.search(self.text, sentence.start, sentence.end):
            return None
        earlier = [c for c in self.companies if c.end <= sentence.start]
        makers = [c for c in earlier if c.kind != "brand"] or earlier
        return makers[-1] if makers else None

    def _paragraph_subject(self, index: int) -> EntityMention | None:
        """ "Der Umsatz sank ...", "le groupe a ...": a sentence naming no company is about
        the subject of the paragraph's last fact."""
        paragraph = self.sentences[index].paragraph
        for fact in reversed(self.built):
            if fact.subject_kb_id is None and fact.subject is None:
                continue
            if self.paragraph_of[fact.evidence_start] != paragraph:
                return None
            return next((c for c in self.companies if c.canonical == fact.subject), None)
        return None

    def _outside_apposition(self, before: list[EntityMention], figure: Figure) -> EntityMention:
        """ "Omoda, its sister brand within Chery, registered 17,640": the nearest name sits
        in an aside between commas, so the name before the aside is the subject."""
        nearest = before[-1]
        opening = self.text.rfind(",", 0, nearest.start)
        closing = self.text.find(",", nearest.end, figure.start)
        if opening == -1 or closing == -1:
            return nearest
        earlier = [c for c in before if c.end <= opening and opening - c.end <= 3]
        aside = self.text[opening + 1 : closing]
        if earlier and len(aside) <= 60 and not any(ch in aside for ch in ".;:"):
            return earlier[-1]
        return nearest

    def _period(self, figure: Figure, index: int) -> Period | None:
        candidates = [p for p in self.periods if self._in(index, p.start, p.end)]
        if not candidates:
            previous = self._previous_in_paragraph(index)
            if previous is None:
                return self._paragraph_period(index)
            candidates = [
                p for p in self.periods if self._in(previous, p.start, p.end) and not p.day
            ]
            if not candidates:
                return self._paragraph_period(index)
            # "van 3.629 naar 19.855" after a sentence that went "van ... 2024 naar ... 2025":
            # the two ends of the change take the two periods, in order.
            end = self._change_end(figure, index)
            if end is not None and len(candidates) >= 2:
                return candidates[-2] if end == "from" else candidates[-1]
            return candidates[-1]

        def rank(period: Period) -> int:
            distance = _distance(period.start, period.end, figure.start, figure.end)
            # A named day ("le 3 mars") dates an announcement more often than a figure.
            return distance + (1000 if period.day else 0)

        return min(candidates, key=rank)

    def _paragraph_period(self, index: int) -> Period | None:
        """The period of the paragraph's last dated fact: a paragraph keeps to its period
        until it names another one."""
        paragraph = self.sentences[index].paragraph
        for fact in reversed(self.built):
            if self.paragraph_of[fact.evidence_start] != paragraph:
                return None
            if fact.period is not None and fact.period_start is not None:
                position = fact.figure.start
                return Period(fact.period, fact.period_start, fact.period_end, position, position)
        return None

    def _change_end(self, figure: Figure, index: int) -> str | None:
        """ "from" or "to" when `figure` is one end of "van X naar Y" / "de X à Y"."""
        siblings = [f for f in self.figures if self._in(index, f.start, f.end) and f is not figure]
        for other in siblings:
            if other.start >= figure.end and _CHANGE_LINK.fullmatch(
                self.text, figure.end, other.start
            ):
                return "from"
            if other.end <= figure.start and _CHANGE_LINK.fullmatch(
                self.text, other.end, figure.start
            ):
                return "to"
        return None

    def _location_in(self, index: int) -> list[tuple[int, int, str]]:
        return [loc for loc in self.locations if self._in(index, loc[0], loc[1])]

    def _location(self, figure: Figure, index: int) -> str | None:
        here = self._location_in(index)
        if here:
            return min(here, key=lambda loc: _distance(loc[0], loc[1], figure.start, figure.end))[2]
        previous = self._previous_in_paragraph(index)
        if previous is not None:
            sentence = self.sentences[previous]
            if _MARKET.search(self.text, sentence.start, sentence.end):
                there = self._location_in(previous)
                if there:
                    return there[-1][2]
        return None

    def _qualifier(self, figure: Figure, index: int) -> str:
        sentence = self.sentences[index]
        window_start = max(sentence.start, figure.start - 90)
        window_end = min(sentence.end, figure.end + 60)
        if figure.unit == "percentage_points":
            return "change"  # a difference between two percentages
        if figure.unit in PERCENT_UNITS:
            signed = _SIGNED.match(figure.text) is not None or bool(
                _COMPARATIVE_AFTER.match(self.text, figure.end, window_end)
            )
            changed = signed or QUALIFIER_PATTERNS["change"].search(
                self.text, window_start, window_end
            )
            share = METRIC_PATTERNS["market_share"].search(self.text, window_start, figure.start)
            if changed and not share:
                return "change"
        for name in ("target", "forecast"):
            cue = QUALIFIER_PATTERNS[name].search(self.text, window_start, figure.start)
            if cue and not self._past_period_near(figure, index):
                return name
        if QUALIFIER_PATTERNS["cumulative"].search(self.text, window_start, window_end):
            # "in totaal 28.650 in oktober" is that month's total, not a running one.
            period = self._period(figure, index)
            if period is None or "/" in period.label or period.day or period.start_date is None:
                return "cumulative"
            near = _distance(period.start, period.end, figure.start, figure.end)
            if not self._in(index, period.start, period.end) or near > CUMULATIVE_REACH:
                return "cumulative"
        return "actual"

    def _past_period_near(self, figure: Figure, index: int) -> bool:
        period = self._period(figure, index)
        if period is None:
            return False
        if period.label in {"last_year", "last_month"}:
            return True
        return bool(
            self.reference
            and period.end_date
            and period.end_date < self.reference
            and period.end_date.year < self.reference.year
        )

    def _earlier_unit(self, metric: str) -> str | None:
        """ "200.000 per jaar bouwen": a bare count takes the unit of the last count of
        the same metric before it in the document."""
        for fact in reversed(self.built):
            if fact.metric == metric and fact.unit in {"vehicles", "units"}:
                return fact.unit
        return None

    def _sibling_unit(self, figure: Figure, index: int) -> str | None:
        """ "van 209 exemplaren in 2024 naar 28.232 in 2025": a bare count shares the
        unit of another count in its sentence."""
        for other in self.figures:
            if (
                other is not figure
                and other.unit in {"vehicles", "units"}
                and self._in(index, other.start, other.end)
            ):
                return other.unit
        return None


def build_facts(
    text: str,
    sentences: Sequence[Sentence],
    entities: Sequence[EntityMention],
    figures: Sequence[Figure],
    published: date | None,
    subjects: Sequence[tuple[int, int, int]] = (),
) -> list[Fact]:
    """Facts for the figures of one document; `subjects` are (figure start, subject start,
    subject end) from a dependency parse, when the pipeline has one."""
    return FactBuilder(text, sentences, entities, published, subjects).build(figures)
