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

from nlp.entities import EntityMention
from nlp.figures import Figure, json_number
from nlp.kb import KnowledgeBase, load_kb
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
from nlp.periods import ANAPHORIC, Period, find_periods, rate_label, resolve_relative
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

UNIT_FOR_METRIC = {"employees": "employees", "users": "users"}
VEHICLE_UNITS = frozenset({"vehicles", "units"})
STAKE_PATTERN = compile_cues(STAKE_CUES)
# Scores a subject needs: a company named in the sentence, else a country or market.
COMPANY_FLOOR = 1.5
WEAK_COMPANY_FLOOR = 0.3
# A country or market owns a figure when it modifies the metric ("la production française")
# or heads the clause ("China exported ..."); merely being where it happened is weaker.
STRONG_PLACE_ROLES = ("owner", "clause subject")
# Money a company-level fact can be: investments, revenue and profit of a million or more,
# the price of a vehicle.
MIN_COMPANY_MONEY = 1_000_000
MIN_PRICE, MAX_PRICE = 1_000, 5_000_000
# Fewer vehicles than this are no company's sales or output, unless per day or per hour.
MIN_VEHICLES = 10
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


@dataclass(frozen=True)
class Sentence:
    """A sentence's span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


def sentences_with_paragraphs(text: str, spans: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Attach a paragraph number (blank-line or newline separated) to each sentence span."""
    return [Sentence(start, end, text.count("\n", 0, start)) for start, end in spans]


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


_PLACE_WORDS = {
    name: code
    for table in (COUNTRY_ADJECTIVES, COUNTRY_NAMES, MARKET_CODES)
    for code, names in table.items()
    for name in names
}
_LOCATION_RE = re.compile(rf"(?<![\w-])(?:{trie_pattern(_PLACE_WORDS)})(?![\w-])")
_MARKET = re.compile(r"\b(?:markt|marché|market|markets|marchés|märkte)\b", re.I)
_DESCRIPTIVE_GAP = re.compile(r"(?:\s+[\w-]+){0,2}\s+")
_CHANGE_LINK = re.compile(r"\s*(?:naar|tot|à|auf|bis|to)\s+(?:\w+\s+)?", re.I)
_RATE_GAP_BREAK = re.compile(r"[.;:!?]|\d")
_UP_TO = re.compile(
    r"(?:jusqu['’]à|bis\s+zu|up\s+to|tot|maximaal|maximum|au\s+maximum|höchstens)\s+$", re.I
)
# A bare number followed by a capitalised word counts that model ("35.898 Dokker").
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")
_VEHICLE_ACRONYMS = frozenset(
    [
        "EV",
        "EVs",
        "NEV",
        "NEVs",
        "BEV",
        "BEVs",
        "PHEV",
        "PHEVs",
        "HEV",
        "HEVs",
        "SUV",
        "SUVs",
        "LCV",
        "LCVs",
        "HGV",
        "HGVs",
        "VE",
        "VEs",
        "VP",
        "VUL",
        "Pkw",
        "PKW",
        "Lkw",
        "LKW",
    ]
)
_MODEL_WORDS = ("modelle", "modellen", "modèles", "models")
_VEHICLE_WORD = re.compile(r"\b(?:vehicles?|fahrzeuge\w*|autos?|wagen|cars?)\b", re.I)
_GERMAN_ADJECTIVE = re.compile(r"[a-zäöüß]+(?:e|en|er|es|em)")
_RANGE_LINKS = frozenset({"and", "und", "et", "en", "to", "à", "bis", "tot", "tussen"})
_NUMBER_AFTER = re.compile(r"\s*\d(?:[\d.,\u00a0\u202f ]*\d)?")
# A unit of measure straight after a bare number: inches, power, energy, speed, torque.
_MEASURE_AFTER = re.compile(
    r"\s*(?:[\"″]|(?:[kKMGT]?W(?:h)?|hp|HP|PS|ch|cv|Nm|mph|km/h|kph|rpm|U/[Mm]in|bar|psi|mAh|Ah|"
    r"V|Hz|GB|TB|MB|mm|cm|m|km|kg|°C?|inch(?:es)?)\b)"
)
_COUNTED_WORDS = (
    "fahrzeuge",
    "fahrzeugen",
    "wagen",
    "autos",
    "pkw",
    "lkw",
    "einheiten",
    "stück",
    "exemplare",
    "menschen",
    "mitarbeiter",
    "beschäftigte",
    "stellen",
    "arbeitsplätze",
    "neuwagen",
    "elektroautos",
    "nutzfahrzeuge",
    "kunden",
    "nutzer",
)
_NEXT_TOKEN = re.compile(r"[ \u00a0]+(?P<word>[^\W\d_][\w'’-]*)")
_INNER_NAME = re.compile(r"(?<=[\d\s])[A-ZÀ-Ý][a-zà-ÿ]+(?=\s+\w)")
# Words that may follow a bare number that still counts vehicles ("2 524 pour Lotus",
# "3.100 een jaar eerder", "11.000 in juli", "515 werden verkocht").
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "one",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "than",
        "as",
        "per",
        "vs",
        "against",
        "versus",
        "more",
        "less",
        "over",
        "under",
        "about",
        "around",
        "only",
        "alone",
        "respectively",
        "each",
        "ago",
        "earlier",
        "before",
        "this",
        "that",
        "which",
        "who",
        "were",
        "was",
        "are",
        "is",
        "be",
        "been",
        "being",
        "will",
        "would",
        "could",
        "had",
        "has",
        "have",
        "did",
        "een",
        "de",
        "het",
        "van",
        "in",
        "op",
        "aan",
        "voor",
        "met",
        "en",
        "of",
        "dan",
        "als",
        "per",
        "tegen",
        "naar",
        "bij",
        "uit",
        "om",
        "over",
        "tot",
        "meer",
        "minder",
        "nog",
        "al",
        "slechts",
        "alleen",
        "respectievelijk",
        "elk",
        "geleden",
        "eerder",
        "waren",
        "was",
        "zijn",
        "werden",
        "wordt",
        "worden",
        "zal",
        "zou",
        "heeft",
        "hebben",
        "had",
        "die",
        "dat",
        "wat",
        "daarvan",
        "un",
        "une",
        "le",
        "la",
        "les",
        "l",
        "de",
        "du",
        "des",
        "d",
        "à",
        "au",
        "aux",
        "en",
        "dans",
        "pour",
        "par",
        "sur",
        "avec",
        "et",
        "ou",
        "que",
        "qui",
        "dont",
        "plus",
        "moins",
        "seulement",
        "encore",
        "déjà",
        "respectivement",
        "chacun",
        "contre",
        "ont",
        "a",
        "avait",
        "sont",
        "est",
        "étaient",
        "était",
        "seront",
        "furent",
        "sera",
        "vers",
        "entre",
        "ein",
        "eine",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "von",
        "im",
        "in",
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "mit",
        "für",
        "nach",
        "vor",
        "zu",
        "und",
        "oder",
        "als",
        "pro",
        "gegen",
        "mehr",
        "weniger",
        "nur",
        "noch",
        "bereits",
        "jeweils",
        "je",
        "sind",
        "ist",
        "war",
        "waren",
        "wurden",
        "werden",
        "hat",
        "haben",
        "hatte",
        "davon",
        "zuvor",
        "früher",
    ]
)
# Nouns that a bare number counts when it counts no vehicles ("28 pays", "vier markten").
_COMPARED = re.compile(
    r"(?:\b(?:than|dan|compared\s+(?:with|to)|gegenüber|vs\.?|versus|par\s+rapport\s+(?:à|au|aux)|"
    r"au\s+lieu\s+de|instead\s+of|in\s+vergelijking\s+met|vergeleken\s+met|tegen|against|from)"
    r"|\b(?:mehr|weniger|\w+er)\s+(?:\w+\s+){0,2}als|\b(?:plus|moins)\s+(?:\w+\s+){0,3}que)"
    r"\s+(?:\w+\s+){0,3}$",
    re.I,
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
_COUNTED_NOUN = re.compile(
    r"[ \u00a0]+(?:(?!(?:per|par|pro|a|an|each|chaque|elke|jeden|by|van|de|of|in|en|im|een|"
    r"un|une|ein|eine|one|het|le|la|the)\b)"
    r"[a-zäöüéèà]+[ \u00a0]+)?(?:pays|landen|länder|countries|marchés|markten|märkte|"
    r"markets|jours|dagen|tage|days|mois|maanden|monate|months|ans|années|jaar|jahre|years|"
    r"semaines|weken|wochen|weeks|heures|uur|stunden|hours|fois|keer|mal|times|points|punten|"
    r"punkte|places|plaatsen|plätze|étapes|stappen|schritte|steps|langues|talen|sprachen|"
    r"languages|villes|steden|städte|cities|sites|standorte|usines|fabrieken|werke|plants|"
    r"concessionnaires|dealers|händler|membres|leden|mitglieder|members)\b",
    re.I,
)
CAPACITY = compile_cues(("capaciteit", "capacité", "kapazität", "capacity"))
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
        kb: KnowledgeBase | None = None,
        lang: str | None = None,
    ) -> None:
        self.text = text
        self.lang = lang
        self.folded = fold(text)
        self.sentences = list(sentences)
        self.starts = [sentence.start for sentence in self.sentences]
        self.blocks = _blocks(text, self.sentences)
        self.entities = entities
        self.companies = [e for e in entities if e.label == "COMPANY"]
        # Names a count may precede: companies, plants, known countries and markets (a
        # statistical model also calls model names places).
        self.entity_starts = {
            e.start for e in entities if e.label in {"COMPANY", "PLANT"} or e.kb_id
        }
        self.company_starts = sorted(c.start for c in self.companies)
        self.finder = SubjectFinder(
            text,
            self.folded,
            entities,
            kb or load_kb(),
            {figure_start: (start, end) for figure_start, start, end in subjects},
        )
        self.reference = published
        self.figures: Sequence[Figure] = ()
        self.built: list[Fact] = []
        periods = find_periods(text, self.reference, rates=True, anaphoric=True)
        self.rates = [p for p in periods if p.rate]
        # "sinds 2014", "seit 2018" open a stretch: they are not the period of a level.
        self.periods = [p for p in periods if not p.rate and not p.since]
        self.locations = [
            (m.start(), m.end(), _PLACE_WORDS[m.group(0)])
            for m in _LOCATION_RE.finditer(text)
            if not self._describes_company(m.end())
        ]
        self._cues: dict[int, list[Cue]] = {}

    def build(self, figures: Sequence[Figure]) -> list[Fact]:
        """The facts of `figures`, in text order."""
        self.figures = figures
        self.built = []
        by_sentence: dict[int, list[Fact]] = {}
        for figure in figures:
            index = self._sentence_index(figure.start)
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
        if is_threshold(self.text, figure) or self._counts_something_else(figure):
            return None
        clause_start = self._clause_start(figure, sentence)
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
        if not self._plausible_money(figure, metric, score):
            return None
        if (
            figure.unit in VEHICLE_UNITS
            and figure.value < MIN_VEHICLES
            and self._rate(figure) is None
        ):
            return None  # "drei SUVs": a handful of models, not what a company sells
        period = self._period(figure, index)
        rate = self._rate(figure)
        if rate and _UP_TO.search(self.text, max(0, figure.start - 20), figure.start):
            metric = "capacity" if metric in {"production", "capacity"} else metric
        qualifier = reading.qualifier if reading else self._qualifier(figure, index, metric, period)
        if period is not None and period.until and qualifier == "actual":
            qualifier, period = "cumulative", None  # "bis Ende 2024 fünf Millionen": a total
        period = self._settle_period(figure, period, qualifier)
        label = period.label if period else ("cumulative" if qualifier == "cumulative" else None)
        if rate:  # "per year, 2030": a rate, in the period it holds for
            label = rate_label(rate, period)
        if qualifier == "actual" and period is not None and "/" in period.label and not rate:
            qualifier = "cumulative"  # "van januari tot en met september": a running total
        value = figure.value * (reading.sign if reading else sign)
        confidence = 0.4 + (0.2 if metric_found else 0) + min(score, 4.0) / 20
        if period is not None and period.start_date is not None:
            confidence += 0.1
        location = subject.country if subject.kind != "company" else self._location(figure, index)
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

    def _plausible_money(self, figure: Figure, metric: str, score: float) -> bool:
        """Money facts at the scale of a company: investments, revenue and profits of a
        million or more; prices of a vehicle, said of a company named in the sentence
        (not a gadget's price in a shopping list)."""
        if not is_currency(figure.unit):
            return True
        if metric in {"investment", "revenue", "profit"}:
            return figure.value >= MIN_COMPANY_MONEY
        if metric == "price":
            return score >= COMPANY_FLOOR and MIN_PRICE <= figure.value <= MAX_PRICE
        return True

    def _counts_something_else(self, figure: Figure) -> bool:
        """A number that counts something other than a company's vehicles, people or
        money: a bare number followed by a word it counts ("28 pays", "471 horsepower",
        "35.898 Dokker"), or a model named before the unit ("6 million Sentra vehicles")."""
        if figure.unit is not None:
            return self._names_a_model(figure)
        if not any(char.isdigit() for char in figure.text):
            return True  # "drei", "une dizaine": a number word alone counts no vehicles
        if _COUNTED_NOUN.match(self.text, figure.end, figure.end + 40):
            return True
        if self.text[figure.end : figure.end + 1] == "-":
            return True  # "10-nation", "5-door": a count glued to what it counts
        if _MEASURE_AFTER.match(self.text, figure.end):
            return True  # '22" long', "8.69 GW": a measure
        match = _NEXT_TOKEN.match(self.text, figure.end, figure.end + 40)
        if match is not None and match.group("word").casefold() in _RANGE_LINKS:
            # "zwischen 1.500 und 4.500 U/Min": both ends count what the second one does.
            other = _NUMBER_AFTER.match(self.text, match.end())
            if other is not None:
                match = _NEXT_TOKEN.match(self.text, other.end(), other.end() + 40)
                if match is None or match.group("word")[0].isupper():
                    return match is not None and match.start("word") not in self.entity_starts
        if match is None or match.start("word") in self.entity_starts:
            return False
        word = match.group("word")
        if word.casefold().endswith(_MODEL_WORDS):
            return True  # "33.000 iV-Modelle": models counted
        if word in _VEHICLE_ACRONYMS or word.casefold().endswith(_COUNTED_WORDS):
            return False  # "443,956 EVs", "3317 Nutzfahrzeuge"
        if find_cues(word, 0, len(word)):
            return False  # "18.200 verkopen", "50 000 ventes": it counts the metric itself
        if word[0].isupper():
            return True  # a name: a model ("35.898 Dokker")
        if self.lang == "de" and _GERMAN_ADJECTIVE.fullmatch(word):
            # "1.000 funktionierende Zellen": the noun after the adjective is what it counts.
            noun = _NEXT_TOKEN.match(self.text, match.end(), match.end() + 40)
            if noun is not None and noun.group("word")[0].isupper():
                counted = noun.group("word")
                return not (
                    counted in _VEHICLE_ACRONYMS
                    or counted.casefold().endswith(_COUNTED_WORDS)
                    or noun.start("word") in self.entity_starts
                    or _VEHICLE_WORD.search(self.text, noun.start(), noun.end() + 30)
                )
        # German writes nouns with a capital, so a lowercase word there is no noun; other
        # languages count a noun with a bare number unless the word is a function word.
        return self.lang != "de" and word.casefold() not in _FUNCTION_WORDS

    def _names_a_model(self, figure: Figure) -> bool:
        """ "6 million Sentra vehicles": a capitalised name between number and unit."""
        if self.lang == "de":
            return False
        for match in _INNER_NAME.finditer(self.text, figure.start, figure.end):
            if match.start() not in self.entity_starts and not _ACRONYM.fullmatch(match.group(0)):
                return True
        return False

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
        previous = self._previous_in_block(index)
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
        clause_start = self._clause_start(figure, sentence)
        if reach is not None:
            cues = [
                c
                for c in cues
                if c.start >= clause_start
                and _distance(c.start, c.end, figure.start, figure.end) <= reach
            ]
        if figure.unit in PERCENT_UNITS and not any_metric:
            near = [c for c in cues if _distance(c.start, c.end, figure.start, figure.end) <= 60]
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
            distance = _distance(cue.start, cue.end, figure.start, figure.end)
            if cue.start > figure.end:
                distance += 15  # cues before the figure are likelier to govern it
                if _LIST_BREAK.search(self.text, figure.end, cue.start):
                    distance += 25  # "8 milliards et son chiffre d'affaires": the next item's
            if cue.end <= clause_start:
                distance += 40
            if best is None or distance < best[0]:
                best = (distance, cue)
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
        last = self._sentence_index(self.built[-1].evidence_start)
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
        last_index = self._sentence_index(last.evidence_start) if last else None
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

    # -- period ----------------------------------------------------------------------------

    def _period(self, figure: Figure, index: int) -> Period | None:
        sentence = self.sentences[index]
        candidates = [
            p for p in self.periods if sentence.start <= p.start and p.end <= sentence.end
        ]
        if not candidates:
            previous = self._previous_in_block(index)
            if previous is None:
                return self._block_period(index)
            before = self.sentences[previous]
            candidates = [
                p
                for p in self.periods
                if before.start <= p.start
                and p.end <= before.end
                and not p.day
                and self._compared(p) is None
            ]
            if not candidates:
                return self._block_period(index)
            # "van 3.629 naar 19.855" after a sentence that went "van ... 2024 naar ... 2025":
            # the two ends of the change take the two periods, in order.
            end = self._change_end(figure, index)
            if end is not None and len(candidates) >= 2:
                return candidates[-2] if end == "from" else candidates[-1]
            return candidates[-1]
        clause_start = self._clause_start(figure, sentence)
        # "a year earlier" dates only the figure right next to it.
        candidates = [
            p for p in candidates if p.relative not in ANAPHORIC or self._next_to(figure, p)
        ] or [p for p in candidates if p.relative not in ANAPHORIC]
        if not candidates:
            return None

        def rank(period: Period) -> int:
            distance = _distance(period.start, period.end, figure.start, figure.end)
            if period.end <= clause_start:
                distance += 30
            compared = self._compared(period)
            if compared is not None and not compared <= figure.start < period.start:
                distance += 200  # "2,5 Prozent weniger als 2020": the base of a comparison
            # A named day ("le 3 mars") dates an announcement more often than a figure.
            return distance + (1000 if period.day else 0)

        chosen = min(candidates, key=rank)
        if chosen.relative in ANAPHORIC and chosen.start_date is None:
            # "47,000 a year earlier" in a sentence whose own period lies before it.
            others = [p for p in candidates if p.relative not in ANAPHORIC and p.start_date]
            if not others:
                return None
            return resolve_relative(chosen, min(others, key=rank))
        return chosen

    def _next_to(self, figure: Figure, period: Period) -> bool:
        """Whether nothing but a few words and no other figure stand between the two."""
        start, end = (
            (figure.end, period.start)
            if figure.end <= period.start
            else (
                period.end,
                figure.start,
            )
        )
        if end - start > 25:
            return False
        return not any(start <= other.start < end for other in self.figures)

    def _compared(self, period: Period) -> int | None:
        """Where the comparison word that introduces the period starts ("than in 2020",
        "au lieu de 55 % en 2023"), if one does."""
        match = _COMPARED.search(self.text, max(0, period.start - 30), period.start)
        return match.start() if match else None

    def _block_period(self, index: int) -> Period | None:
        """The period of the block's last dated fact: a paragraph keeps to its period
        until it names another one."""
        block = self.blocks[index]
        for fact in reversed(self.built):
            fact_index = self._sentence_index(fact.evidence_start)
            if fact_index is None or self.blocks[fact_index] != block:
                return None
            if fact.period is not None and fact.period_start is not None:
                position = fact.figure.start
                return Period(fact.period, fact.period_start, fact.period_end, position, position)
        return None

    def _change_end(self, figure: Figure, index: int) -> str | None:
        """ "from" or "to" when `figure` is one end of "van X naar Y" / "de X à Y"."""
        sentence = self.sentences[index]
        siblings = [
            f
            for f in self.figures
            if sentence.start <= f.start and f.end <= sentence.end and f is not figure
        ]
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

    def _rate(self, figure: Figure) -> Period | None:
        """ "90 wagens per dag", "150,000 vehicles per year", "jährlich bis zu 150.000": the
        rate the figure is given at, just after it or just before it."""
        for rate in self.rates:
            if 0 <= rate.start - figure.end <= 30:
                gap = self.text[figure.end : rate.start]
            elif 0 <= figure.start - rate.end <= 30:
                gap = self.text[rate.end : figure.start]
            else:
                continue
            if not _RATE_GAP_BREAK.search(gap):
                return rate
        return None

    def _settle_period(
        self, figure: Figure, period: Period | None, qualifier: str
    ) -> Period | None:
        if (
            qualifier == "cumulative"
            and period is not None
            and "/" not in period.label
            and (
                period.day
                or _distance(period.start, period.end, figure.start, figure.end) > CUMULATIVE_REACH
            )
        ):
            return None  # a total since the start, announced on some day
        return period

    # -- qualifier, unit, location ------------------------------------------------------------

    def _qualifier(self, figure: Figure, index: int, metric: str, period: Period | None) -> str:
        sentence = self.sentences[index]
        clause_start = self._clause_start(figure, sentence)
        past = self._past(period)
        jobs = JOB_PATTERN.search(self.text, clause_start, sentence.end)
        if metric != "capacity" and not (metric == "other" and jobs):
            if period is not None and period.target and not past:
                return "target"
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
        if is_cumulative(self.text, figure, sentence.start, sentence.end):
            # "in totaal 28.650 in oktober" is that month's total, not a running one.
            if period is None or "/" in period.label or period.day or period.start_date is None:
                return "cumulative"
            near = _distance(period.start, period.end, figure.start, figure.end)
            in_sentence = sentence.start <= period.start and period.end <= sentence.end
            if not in_sentence or near > CUMULATIVE_REACH:
                return "cumulative"
        return "actual"

    def _past(self, period: Period | None) -> bool:
        """Whether the period has ended before the publication date."""
        if period is None:
            return False
        if period.label in {"last_year", "last_month"}:
            return True
        return bool(self.reference and period.end_date and period.end_date < self.reference)

    def _unit(self, figure: Figure, index: int, metric: str) -> str | None:
        unit = (
            figure.unit
            or UNIT_FOR_METRIC.get(metric)
            or self._sibling_unit(figure, index)
            or self._earlier_unit(metric)
        )
        if unit == "people":  # "1.450 mensen" who work there are employees
            unit = UNIT_FOR_METRIC.get(metric, "employees" if metric == "other" else unit)
        return unit

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
        for other in self.figures:
            if (
                other is not figure
                and other.unit in VEHICLE_UNITS
                and sentence.start <= other.start
                and other.end <= sentence.end
            ):
                return other.unit
        return None

    def _describes_company(self, end: int) -> bool:
        """ "de Chinese autofabrikant Chery": an adjective right before a company name."""
        first = bisect.bisect_left(self.company_starts, end)
        return any(
            _DESCRIPTIVE_GAP.fullmatch(self.text, end, start) is not None
            for start in self.company_starts[first:]
            if start - end <= 30
        )

    def _location(self, figure: Figure, index: int) -> str | None:
        sentence = self.sentences[index]
        here = [
            loc for loc in self.locations if sentence.start <= loc[0] and loc[1] <= sentence.end
        ]
        if here:
            return min(here, key=lambda loc: _distance(loc[0], loc[1], figure.start, figure.end))[2]
        previous = self._previous_in_block(index)
        if previous is not None:
            before = self.sentences[previous]
            if _MARKET.search(self.text, before.start, before.end):
                there = [
                    loc for loc in self.locations if before.start <= loc[0] and loc[1] <= before.end
                ]
                if there:
                    return there[-1][2]
        return None

    # -- structure -------------------------------------------------------------------------

    def _sentence_index(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return index
        return None

    def _previous_in_block(self, index: int) -> int | None:
        if index > 0 and self.blocks[index - 1] == self.blocks[index]:
            return index - 1
        return None

    def _clause_start(self, figure: Figure, sentence: Sentence) -> int:
        """Where the figure's clause starts: after the last strong break before it."""
        start = sentence.start
        for match in _CLAUSE_BREAK.finditer(self.text, sentence.start, figure.start):
            start = match.end()
        return start


_CLAUSE_BREAK = re.compile(
    r";|\s[–—]\s|:\s|,\s*(?:maar|mais|aber|but|while|whereas|terwijl|alors\s+que|tandis\s+que|"
    r"während|whilst|doch|however)\b",
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


def _blocks(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """A block number per sentence: its paragraph, where a heading (a short line with no
    full stop) joins the paragraph after it."""
    blocks: list[int] = []
    paragraph_lines: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        paragraph_lines.setdefault(sentence.paragraph, []).append(sentence)
    order = sorted(paragraph_lines)
    block_of: dict[int, int] = {}
    for position in range(len(order) - 1, -1, -1):
        paragraph = order[position]
        lines = paragraph_lines[paragraph]
        body = text[lines[0].start : lines[-1].end].strip()
        heading = len(lines) == 1 and len(body.split()) <= 12 and body[-1:] not in '.!?:;»"”'
        if heading and position + 1 < len(order):
            block_of[paragraph] = block_of[order[position + 1]]
        else:
            block_of[paragraph] = paragraph
    for sentence in sentences:
        blocks.append(block_of[sentence.paragraph])
    return blocks


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
