"""Facts: each figure bound to a subject, a metric, a period, a location and a qualifier,
with the evidence sentence and a confidence.

A figure becomes a fact only when it is a business figure (a metric cue whose unit fits,
not a threshold, not a count of one model) and something in the text owns it: a company,
a country or a market (see `nlp.subjects`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from nlp.counting import MIN_VEHICLES, CountReader, plausible_money
from nlp.entities import EntityMention
from nlp.fact_periods import CUMULATIVE_REACH, PeriodChooser
from nlp.figures import Figure, json_number
from nlp.kb import KnowledgeBase, load_kb
from nlp.layout import Layout, Sentence, distance
from nlp.metrics import (
    JOB_PATTERN,
    LOSS_PATTERN,
    SHARE_OF,
    STAKE_CUES,
    Cue,
    compatible,
    compile_cues,
    find_cues,
    is_currency,
)
from nlp.patterns import fold, trie_pattern
from nlp.periods import Period, rate_label
from nlp.places import COUNTRY_ADJECTIVES, COUNTRY_NAMES, MARKET_CODES
from nlp.qualifiers import (
    PERCENT_UNITS,
    Reading,
    change_reading,
    intent,
    is_cumulative,
    is_threshold,
)
from nlp.subjects import Scored, Subject, SubjectFinder
from nlp.units import canonical_unit

UNIT_FOR_METRIC = {"employees": "employees", "users": "users"}
VEHICLE_UNITS = frozenset({"vehicles", "units"})
STAKE_PATTERN = compile_cues(STAKE_CUES)
# Scores a subject needs: a company named in the sentence, else a country or market.
COMPANY_FLOOR = 1.5
WEAK_COMPANY_FLOOR = 0.3
# A country or market owns a figure when it modifies the metric ("la production française")
# or heads the clause ("China exported ..."); merely being where it happened is weaker.
STRONG_PLACE_ROLES = ("owner", "clause subject")
# Metrics that add up over time: only these have running totals ("in totaal 200 werknemers"
# is a headcount, not a running total).
FLOW_METRICS = frozenset(
    {"sales", "exports", "production", "registrations", "investment", "revenue", "profit"}
)
# Metrics a plant's figures measure: where the plant is, the figure applies.
PLANT_METRICS = frozenset({"production", "capacity", "employees", "investment", "exports", "other"})
# Counts of these are facts about their company without a metric word ("quatre usines").
OTHER_COUNT_UNITS = frozenset({"plants", "brands"})


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
    subject_kind: str | None = None  # company | country | market

    def as_json(self) -> dict[str, object]:
        """The fact as in the `analyze` JSON contract."""
        return {
            "subject": self.subject,
            "subject_kb_id": self.subject_kb_id,
            "subject_kind": self.subject_kind,
            "metric": self.metric,
            "value": json_number(self.value),
            "unit": self.unit,
            "period": self.period,
            "location": self.location,
            "qualifier": self.qualifier,
            "evidence": self.evidence,
            "confidence": self.confidence,
        }


_PLACE_WORDS = {
    name: code
    for table in (COUNTRY_ADJECTIVES, COUNTRY_NAMES, MARKET_CODES)
    for code, names in table.items()
    for name in names
}
_LOCATION_RE = re.compile(rf"(?<![\w-])(?:{trie_pattern(_PLACE_WORDS)})(?![\w-])")
_MARKET = re.compile(r"\b(?:markt|marché|market|markets|marchés|märkte)\b", re.I)
_DESCRIPTIVE_GAP = re.compile(r"(?:\s+[\w-]+){0,2}\s+")
_UP_TO = re.compile(
    r"(?:jusqu['’]à|bis\s+zu|up\s+to|tot|maximaal|maximum|au\s+maximum|höchstens)\s+$", re.I
)
_PLANT_AFTER = re.compile(
    r"(?:\s+\(?[^()\s]*\)?)?\s+(?:[\w-]+\s+){0,2}(?:factory|plant|facility|complex|gigafactory|"
    r"fabriek|vestiging|usine|site|werk|fabrik|standort|gigafabrik)\b",
    re.I,
)
_STOCK = re.compile(
    r"\b(?:shares?|stock|share\s+price|aandelen|aandeel|koers|beurskoers|actions?|cours|"
    r"titre|aktien?|aktienkurs|kurs|börsenwert|market\s+value|beurswaarde)\b",
    re.I,
)
_MARKET_WORD = re.compile(
    r"(?<!parts de )(?<!part de )\b(?:marché|market|markt|mercado)\b(?!\s+(?:share|leader))", re.I
)
_LIST_BREAK = re.compile(r",|\b(?:et|und|and|en|while|alors)\b", re.I)
CAPACITY = compile_cues(("capaciteit", "capacité", "kapazität", "capacity"))


class FactBuilder:
    """Binds the figures of one document to their subjects and periods."""

    def __init__(
        self,
        text: str,
        sentences: Sequence[Sentence],
        entities: Sequence[EntityMention],
        published: date | None,
        subjects: Sequence[tuple[int, int, int]] = (),
        kb: KnowledgeBase | None = None,
        lang: str | None = None,
    ) -> None:
        self.text = text
        self.lang = lang
        self.folded = fold(text)
        self.layout = Layout(text, sentences)
        self.sentences = self.layout.sentences
        self.blocks = self.layout.blocks
        self.entities = entities
        self.companies = [e for e in entities if e.label == "COMPANY"]
        # Names a count may precede: companies, plants, known countries and markets (a
        # statistical model also calls model names places).
        self.entity_starts = {
            e.start for e in entities if e.label in {"COMPANY", "PLANT"} or e.kb_id
        }
        self.company_starts = sorted(c.start for c in self.companies)
        self.counts = CountReader(text, self.entity_starts, lang)
        self.finder = SubjectFinder(
            text,
            self.folded,
            entities,
            kb or load_kb(),
            {figure_start: (start, end) for figure_start, start, end in subjects},
        )
        self.reference = published
        self.figures: Sequence[Figure] = ()
        self.ordered: list[Figure] = []  # the figures by start, to find those of a sentence
        self.ordered_starts: list[int] = []
        self.built: list[Fact] = []
        self.periods = PeriodChooser(text, published, self.layout)
        self.reference = self.periods.reference
        self.locations = [
            (m.start(), m.end(), _PLACE_WORDS[m.group(0)])
            for m in _LOCATION_RE.finditer(text)
            if not self._describes_company(m.end())
        ]
        # Plants place the figures about them ("206.000 auto's in de fabriek van Gent").
        self.plant_places = [
            (e.start, e.end, e.country) for e in entities if e.label == "PLANT" and e.country
        ]
        self._cues: dict[int, list[Cue]] = {}

    def build(self, figures: Sequence[Figure]) -> list[Fact]:
        """The facts of `figures`, in text order."""
        self.figures = figures
        self.ordered = sorted(figures, key=lambda figure: figure.start)
        self.ordered_starts = [figure.start for figure in self.ordered]
        self.periods.figures = figures
        self.built = []
        by_sentence: dict[int, list[Fact]] = {}
        for figure in figures:
            index = self.layout.index_of(figure.start)
            if index is None:
                continue
            fact = self._fact(figure, index, by_sentence.get(index, []))
            if fact is not None:
                self.built.append(fact)
                by_sentence.setdefault(index, []).append(fact)
        # A headline or a caption repeated in the body states the same fact once.
        unique: dict[tuple[object, ...], Fact] = {}
        for fact in self.built:
            key = (fact.subject_kb_id or fact.subject, fact.metric, fact.value, fact.qualifier)
            unique.setdefault(key, fact)
        return list(unique.values())

    # -- one figure --------------------------------------------------------------------------

    def _fact(self, figure: Figure, index: int, earlier: list[Fact]) -> Fact | None:
        sentence = self.sentences[index]
        if is_threshold(self.text, figure) or self.counts.counts_something_else(figure):
            return None
        clause_start = self.layout.clause_start(figure.start, sentence)
        metric, metric_found, sign = self._metric(figure, index)
        governed = metric_found and metric in {"market_share", "other"}
        reading = change_reading(self.text, figure, clause_start, sentence.end, governed)
        if (
            reading is not None
            and figure.unit in PERCENT_UNITS
            and earlier
            and not _MARKET_WORD.search(self.text, earlier[-1].figure.end, figure.start)
        ):
            return self._change_of(earlier[-1], figure, sentence, reading)
        if reading is not None and _STOCK.search(
            self.text, max(clause_start, figure.start - 50), figure.start
        ):
            return None  # "shares rose 7 per cent": a share price, no business metric
        if reading is not None:
            # A change needs the metric it changes said close by ("sales fell 12 %").
            cue = self._metric_cue(figure, index, any_metric=True, reach=60)
            if cue is None:
                return None
            metric, metric_found, sign = cue.metric, True, 1
        elif not compatible(metric, figure.unit):
            return None
        elif figure.unit == "models" and figure.value < 1000:
            return None  # "quatre nouveaux modèles": models launched, not cars sold
        if not metric_found:
            if figure.unit not in OTHER_COUNT_UNITS:
                return None
            metric = "other"
        if metric == "production" and CAPACITY.search(self.text, clause_start, sentence.end):
            metric = "capacity"  # "une capacité de production de 300 000 voitures"
        chosen = self._subject(figure, index, metric)
        if chosen is None:
            return None
        subject, score = chosen
        if metric == "other" and figure.unit in OTHER_COUNT_UNITS and score < COMPANY_FLOOR:
            return None  # "quatre usines" only counts with its company named
        if not plausible_money(figure, metric, score >= COMPANY_FLOOR):
            return None
        if (
            figure.unit in VEHICLE_UNITS
            and figure.value < MIN_VEHICLES
            and self.periods.rate(figure) is None
        ):
            return None  # "drei SUVs": a handful of models, not what a company sells
        period = self.periods.period(figure, index, self.built, metric)
        rate = self.periods.rate(figure)
        if rate and _UP_TO.search(self.text, max(0, figure.start - 20), figure.start):
            metric = "capacity" if metric in {"production", "capacity"} else metric
        qualifier = reading.qualifier if reading else self._qualifier(figure, index, metric, period)
        if period is not None and period.until and qualifier in {"actual", "cumulative"}:
            qualifier, period = "cumulative", None  # "bis Ende 2024 fünf Millionen": a total
        period = self.periods.settle(figure, period, qualifier)
        label = period.label if period else ("cumulative" if qualifier == "cumulative" else None)
        if rate:  # "per year, 2030": a rate, in the period it holds for
            label = rate_label(rate, period)
        if qualifier == "actual" and period is not None and "/" in period.label and not rate:
            qualifier = "cumulative"  # "van januari tot en met september": a running total
        value = figure.value * (reading.sign if reading else sign)
        confidence = 0.4 + (0.2 if metric_found else 0) + min(score, 4.0) / 20
        if period is not None and period.start_date is not None:
            confidence += 0.1
        location = (
            subject.country if subject.kind != "company" else self._location(figure, index, metric)
        )
        return Fact(
            subject.name,
            subject.kb_id,
            metric,
            value,
            self._unit(figure, index, metric),
            label,
            period.start_date if period else None,
            period.end_date if period else None,
            location,
            qualifier,
            self.text[sentence.start : sentence.end],
            sentence.start,
            sentence.end,
            round(min(confidence, 0.95), 2),
            figure,
            subject.kind,
        )

    def _change_of(self, base: Fact, figure: Figure, sentence: Sentence, reading: Reading) -> Fact:
        """ "98 500 véhicules (+7,7 %)": the change of the fact just before it."""
        return Fact(
            base.subject,
            base.subject_kb_id,
            base.metric,
            figure.value * reading.sign if figure.value > 0 else figure.value,
            figure.unit,
            base.period,
            base.period_start,
            base.period_end,
            base.location,
            "change",
            self.text[sentence.start : sentence.end],
            sentence.start,
            sentence.end,
            round(min(base.confidence, 0.9), 2),
            figure,
            base.subject_kind,
        )

    # -- metric ----------------------------------------------------------------------------

    def _cues_of(self, index: int) -> list[Cue]:
        if index not in self._cues:
            sentence = self.sentences[index]
            self._cues[index] = find_cues(self.text, sentence.start, sentence.end, self.folded)
        return self._cues[index]

    def _metric(
        self, figure: Figure, index: int, any_metric: bool = False
    ) -> tuple[str, bool, int]:
        """The metric a figure measures, whether a cue said so, and -1 for a loss."""
        if is_currency(figure.unit) and _PLANT_AFTER.match(self.text, figure.end):
            return "investment", True, 1  # "a $5 billion factory": what it costs to build
        cue = self._metric_cue(figure, index, any_metric)
        if cue is not None:
            return cue.metric, True, self._sign_of(cue)
        if figure.unit == "employees":
            return "employees", True, 1
        if figure.unit in {"users", "customers"}:
            return "users", True, 1
        # "Jaecoo deed het beter en steeg van 412 naar 6.870": the metric was named before.
        unit = figure.unit or self._sibling_unit(figure, index)
        previous = self.layout.previous_in_block(index)
        if (
            unit is not None
            and not is_currency(unit)
            and previous is not None
            and (cue := self._metric_cue(figure, previous, any_metric))
        ):
            return cue.metric, True, self._sign_of(cue)
        # A count with no cue keeps to the document's metric for counts of that kind.
        if unit in VEHICLE_UNITS:
            for fact in reversed(self.built):
                if fact.unit in VEHICLE_UNITS and fact.qualifier != "change":
                    return fact.metric, True, 1
        return "other", False, 1

    def _sign_of(self, cue: Cue) -> int:
        return -1 if cue.metric == "profit" and LOSS_PATTERN.match(self.text, cue.start) else 1

    def _metric_cue(
        self, figure: Figure, index: int, any_metric: bool = False, reach: int | None = None
    ) -> Cue | None:
        """The cue in sentence `index` that governs the figure: for a percentage a share,
        stake or margin close to it; else the nearest cue whose metric fits the unit.
        `reach` limits how far from the figure, within its clause, the cue may be."""
        sentence = self.sentences[index]
        cues = self._cues_of(index)
        clause_start = self.layout.clause_start(figure.start, sentence)
        if reach is not None:
            cues = [
                c
                for c in cues
                if c.start >= clause_start
                and distance(c.start, c.end, figure.start, figure.end) <= reach
            ]
        if figure.unit in PERCENT_UNITS and not any_metric:
            near = [c for c in cues if distance(c.start, c.end, figure.start, figure.end) <= 60]
            share = self._nearest(
                [c for c in near if c.metric == "market_share"], figure, clause_start
            )
            if share is not None:
                return share
            if SHARE_OF.match(self.text, figure.end):
                return Cue("other", figure.end, figure.end)
            stake = [
                c for c in near if c.metric == "other" and STAKE_PATTERN.match(self.text, c.start)
            ]
            return self._nearest(stake, figure, clause_start)
        if figure.unit in {"employees", "people"} and not any_metric:
            jobs = [
                c for c in cues if c.metric == "other" and JOB_PATTERN.match(self.text, c.start)
            ]
            if nearest := self._nearest(jobs, figure, clause_start):
                return nearest
        fitting = [
            c
            for c in cues
            if c.metric != "other" and (any_metric or compatible(c.metric, figure.unit))
        ]
        if not any_metric and figure.unit not in PERCENT_UNITS:
            fitting += [
                c
                for c in cues
                if c.metric == "other" and not STAKE_PATTERN.match(self.text, c.start)
            ]
        return self._nearest(fitting, figure, clause_start)

    def _nearest(self, cues: Sequence[Cue], figure: Figure, clause_start: int) -> Cue | None:
        best: tuple[int, Cue] | None = None
        for cue in cues:
            gap = distance(cue.start, cue.end, figure.start, figure.end)
            if cue.start > figure.end:
                gap += 15  # cues before the figure are likelier to govern it
                if _LIST_BREAK.search(self.text, figure.end, cue.start):
                    gap += 25  # "8 milliards et son chiffre d'affaires": the next item's
            if cue.end <= clause_start:
                gap += 40
            if best is None or gap < best[0]:
                best = (gap, cue)
        return best[1] if best else None

    # -- subject ---------------------------------------------------------------------------

    def _subject(self, figure: Figure, index: int, metric: str) -> tuple[Subject, float] | None:
        """The best subject named in the sentence; else the one carried over from the
        sentences before it in the same block."""
        sentence = self.sentences[index]
        recent = self._recent_subject(index, metric)
        scored = self.finder.in_sentence(
            figure, (sentence.start, sentence.end), metric, self._cues_of(index), recent
        )
        companies = [s for s in scored if s.subject.kind in {"company", "unknown"}]
        places = [s for s in scored if s.subject.kind in {"country", "market"}]
        best: Scored | None = companies[0] if companies else None
        if best is not None and best.subject.kind == "unknown" and best.score >= WEAK_COMPANY_FLOOR:
            return None  # "le géant taïwanais des semi-conducteurs": a company we do not know
        companies = [s for s in companies if s.subject.kind == "company"]
        best = companies[0] if companies else None
        if best is not None and self._market_between(best.subject, figure):
            # "Renault ... sur un marché en hausse de 5,5 %": the market's figure.
            owners = [p for p in places if p.reasons[0] in {*STRONG_PLACE_ROLES, "market", "place"}]
            return (owners[0].subject, owners[0].score) if owners else None
        if best is not None and best.score >= COMPANY_FLOOR:
            return best.subject, best.score
        if any("coordinated" in c.reasons and c.score + 2.5 >= COMPANY_FLOOR for c in companies):
            return None  # "MG and Roewe sold ...": no single company owns the figure
        for roles in (STRONG_PLACE_ROLES, ("market",) if metric == "registrations" else ()):
            chosen = [p for p in places if p.reasons[0] in roles]
            if chosen:
                return chosen[0].subject, chosen[0].score
        if best is not None and best.score >= WEAK_COMPANY_FLOOR:
            return best.subject, best.score
        if recent is not None and (figure.unit not in PERCENT_UNITS or self._just_said(index)):
            return recent, 1.0
        # "1.214 million cars were registered in the EU": a market total, when nothing else.
        located = [p for p in places if p.reasons[0] in {"market", "place"}]
        if located and recent is None and metric in {"registrations", "sales"}:
            return located[0].subject, located[0].score
        topic = self._topic
        if topic is not None and self._metric_cue(figure, index) is not None:
            return topic, 0.5  # a text about one company: its figures are that company's
        return None

    @cached_property
    def _topic(self) -> Subject | None:
        """The company a text is about, when it names one far more than any other: at
        least three times, and more than twice as often as the next."""
        counts: dict[str, int] = {}
        first: dict[str, EntityMention] = {}
        for company in self.companies:
            if company.kb_id:
                counts[company.kb_id] = counts.get(company.kb_id, 0) + 1
                first.setdefault(company.kb_id, company)
        # Organisations and companies we do not know count as rivals for the topic.
        for other in self.entities:
            if other.label in {"ORG", "COMPANY"} and not other.kb_id:
                counts[other.canonical] = counts.get(other.canonical, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < 3:
            return None
        if (len(ranked) > 1 and ranked[0][1] <= 2 * ranked[1][1]) or ranked[0][0] not in first:
            return None
        return self.finder._company(first[ranked[0][0]])

    def _market_between(self, subject: Subject, figure: Figure) -> bool:
        """Whether a market is named between a company and the figure, close to the figure
        ("... sur un marché en hausse de 5,5 %", "a market that grew 3 percent")."""
        if subject.end > figure.start:
            return False
        start = max(subject.end, figure.start - 40)
        return _MARKET_WORD.search(self.text, start, figure.start) is not None

    def _just_said(self, index: int) -> bool:
        """Whether the last fact was found in this sentence or the one before."""
        if not self.built:
            return False
        last = self.layout.index_of(self.built[-1].evidence_start)
        return (
            last is not None
            and index - 1 <= last <= index
            and self.blocks[last] == self.blocks[index]
        )

    def _recent_subject(self, index: int, metric: str | None = None) -> Subject | None:
        """What the sentences before this one are about: the subject of the last fact in
        its block, or of a fact one or two sentences back with no other company named
        since; else the first company named in the sentence before."""
        block = self.blocks[index]
        previous = index - 1 if index > 0 else None
        last = self.built[-1] if self.built else None
        last_index = self.layout.index_of(last.evidence_start) if last else None
        if last is not None and last_index is not None:
            same_block = self.blocks[last_index] == block
            quiet = not any(
                c.kb_id != last.subject_kb_id or c.canonical != last.subject
                for i in range(last_index + 1, index)
                for c in self._named_in(i)
            )
            # Across a paragraph break only while the text keeps to the same metric.
            if (same_block and (last_index >= index - 1 or quiet)) or (
                last_index >= index - 2 and quiet and last.metric == metric
            ):
                return _subject_of(last, self.text)
        if previous is not None and self.blocks[previous] == block:
            named = self._named_in(previous)
            if named:
                return self.finder._company(named[0])
        return None

    def _named_in(self, index: int) -> list[EntityMention]:
        sentence = self.sentences[index]
        return [c for c in self.companies if sentence.start <= c.start and c.end <= sentence.end]

    # -- qualifier, unit, location ------------------------------------------------------------

    def _qualifier(self, figure: Figure, index: int, metric: str, period: Period | None) -> str:
        sentence = self.sentences[index]
        clause_start = self.layout.clause_start(figure.start, sentence)
        past = self.periods.past(period)
        jobs = JOB_PATTERN.search(self.text, clause_start, sentence.end)
        job_change = metric == "other" and jobs is not None
        if period is not None and period.target and not past and not job_change:
            return "target"  # "by 2030", "d'ici 2030": a goal, a capacity included
        # A plant's announced capacity, job cuts and hiring are facts even when to come.
        if metric != "capacity" and not job_change:
            meant = intent(self.text, figure, clause_start, past)
            if meant is not None:
                return meant
            if (
                period is not None
                and self.reference is not None
                and period.start_date is not None
                and period.start_date > self.reference
            ):
                return "target"  # nothing has happened yet in a period still to come
        running = is_cumulative(self.text, figure, sentence.start, sentence.end)
        if metric in FLOW_METRICS and running:
            # "in totaal 28.650 in oktober" is that month's total, not a running one.
            if period is None or "/" in period.label or period.day or period.start_date is None:
                return "cumulative"
            near = distance(period.start, period.end, figure.start, figure.end)
            in_sentence = sentence.start <= period.start and period.end <= sentence.end
            if not in_sentence or near > CUMULATIVE_REACH:
                return "cumulative"
        return "actual"

    def _unit(self, figure: Figure, index: int, metric: str) -> str | None:
        unit = (
            figure.unit
            or UNIT_FOR_METRIC.get(metric)
            or self._sibling_unit(figure, index)
            or self._earlier_unit(metric)
        )
        if unit == "people":  # "1.450 mensen" who work there are employees
            unit = UNIT_FOR_METRIC.get(metric, "employees" if metric == "other" else unit)
        return canonical_unit(unit)

    def _earlier_unit(self, metric: str) -> str | None:
        """ "200.000 per jaar bouwen": a bare count takes the unit of the last count of
        the same metric before it in the document."""
        for fact in reversed(self.built):
            if fact.metric == metric and fact.unit in VEHICLE_UNITS:
                return fact.unit
        return None

    def _sibling_unit(self, figure: Figure, index: int) -> str | None:
        """ "van 209 exemplaren in 2024 naar 28.232 in 2025": a bare count shares the
        unit of another count in its sentence."""
        sentence = self.sentences[index]
        first = bisect.bisect_left(self.ordered_starts, sentence.start)
        for other in self.ordered[first:]:
            if other.start >= sentence.end:
                break
            if other is not figure and other.unit in VEHICLE_UNITS and other.end <= sentence.end:
                return other.unit
        return None

    def _describes_company(self, end: int) -> bool:
        """ "de Chinese autofabrikant Chery": an adjective right before a company name."""
        first = bisect.bisect_left(self.company_starts, end)
        last = bisect.bisect_right(self.company_starts, end + 30)
        return any(
            _DESCRIPTIVE_GAP.fullmatch(self.text, end, start) is not None
            for start in self.company_starts[first:last]
        )

    def _location(self, figure: Figure, index: int, metric: str) -> str | None:
        """The country (or EU) a figure applies to: the nearest country, market or plant
        of its sentence, else the market the sentence before is about."""
        sentence = self.sentences[index]
        places = self.locations
        if metric in PLANT_METRICS:
            places = [*places, *self.plant_places]
        here = [loc for loc in places if sentence.start <= loc[0] and loc[1] <= sentence.end]
        if here:
            # "... in Belgium last year, and the group posted a loss of ...": not in Belgium
            near = [loc for loc in here if not self._clause_between(loc, figure)]
            if not near:
                return None
            return min(near, key=lambda loc: distance(loc[0], loc[1], figure.start, figure.end))[2]
        previous = self.layout.previous_in_block(index)
        if previous is not None:
            before = self.sentences[previous]
            if _MARKET.search(self.text, before.start, before.end):
                there = [
                    loc for loc in self.locations if before.start <= loc[0] and loc[1] <= before.end
                ]
                if there:
                    return there[-1][2]
        return None

    def _clause_between(self, place: tuple[int, int, str], figure: Figure) -> bool:
        """Whether a new clause with its own subject begins between a place and a figure."""
        low, high = min(place[1], figure.end), max(place[0], figure.start)
        return low < high and _CLAUSE_BREAK.search(self.text, low, high) is not None


# A new clause with its own subject: what a place says before it does not reach past it.
_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:and|but|while|whereas|en|maar|terwijl|et|mais|tandis\s+que|alors\s+que|"
    r"und|aber|während|wobei)\s+(?:the|its|their|het|de|zijn|haar|le|la|les|son|sa|ses|"
    r"der|die|das|sein|seine|ihr|ihre)\b",
    re.I,
)


def _subject_of(fact: Fact, text: str) -> Subject:
    """A built fact's subject, as a candidate for the sentences after it."""
    return Subject(
        fact.subject or "",
        fact.subject_kb_id,
        fact.subject_kind or "company",
        fact.subject or "",
        fact.evidence_start,
        fact.evidence_start,
        fact.location if fact.subject_kind != "company" else None,
    )


def build_facts(
    text: str,
    sentences: Sequence[Sentence],
    entities: Sequence[EntityMention],
    figures: Sequence[Figure],
    published: date | None,
    subjects: Sequence[tuple[int, int, int]] = (),
    lang: str | None = None,
) -> list[Fact]:
    """Facts for the figures of one document in `lang`; `subjects` are (figure start,
    subject start, subject end) from a dependency parse, when the pipeline has one."""
    if published is not None and published.year < 1900:
        published = None  # a page date read wrongly dates nothing
    return FactBuilder(text, sentences, entities, published, subjects, lang=lang).build(figures)
