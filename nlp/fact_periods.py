"""Which period a figure belongs to: the nearest one in its clause or sentence, the one
the sentence before named, or the one its paragraph keeps to; rates ("per day") and
periods named after another one ("a year earlier") included."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from nlp.figures import Figure
from nlp.layout import Layout, distance
from nlp.periods import ANAPHORIC, Period, find_periods, resolve_relative

# "than in 2020", "au lieu de 55 % en 2023": a comparison word before a period ("tegen
# eind 2027" right before it is a deadline, not a comparison).
_COMPARED = re.compile(
    r"(?:\b(?:than|dan|compared\s+(?:with|to)|gegenüber|vs\.?|versus|par\s+rapport\s+(?:à|au|aux)|"
    r"au\s+lieu\s+de|instead\s+of|in\s+vergelijking\s+met|vergeleken\s+met|against|from|"
    r"tegen(?!\s+(?:(?:het\s+)?(?:eind|einde|begin|midden|medio)(?:\s+van)?\s+)?$))"
    r"|\b(?:mehr|weniger|\w+er)\s+(?:\w+\s+){0,2}als|\b(?:plus|moins)\s+(?:\w+\s+){0,3}que)"
    r"\s+(?:[\w.,]+\s+){0,6}$",
    re.I,
)
_LIST_BREAK = re.compile(r"[,;]|\b(?:et|and|und|y|e)\b")
_BARE_PART = re.compile(r"[QH][1-4]")
# "from April last year, when the company delivered 9,002": the figure of that period.
_WHEN_AFTER = re.compile(
    r"\s*,?\s*(?:when|where|toen|wanneer|waarin|lorsque|quand|où|als|wo)\b", re.I
)
_NEXT_CLAUSE = re.compile(
    r"[,;]?\s+(?:and|et|und|en|but|mais|aber|maar|while|whereas)\s+(?:it|they|il|elle|ils|er|sie|"
    r"es|het|hij|zij|ze|the|le|la|de|die|der|das)\b",
    re.I,
)
_CONVERSION = re.compile(r"\s*\([^()]{0,40}\)")
_CHANGE_LINK = re.compile(r"\s*(?:naar|tot|à|auf|bis|to)\s+(?:\w+\s+)?", re.I)
_RATE_GAP_BREAK = re.compile(r"[.;:!?]|\d")
# A cumulative total without a period of its own nearby counts since the start.
CUMULATIVE_REACH = 60


class DatedFact(Protocol):
    """What the chooser reads of the facts already built."""

    @property
    def period(self) -> str | None: ...

    @property
    def period_start(self) -> date | None: ...

    @property
    def period_end(self) -> date | None: ...

    @property
    def evidence_start(self) -> int: ...

    @property
    def figure(self) -> Figure: ...

    @property
    def qualifier(self) -> str: ...

    @property
    def metric(self) -> str: ...


# A page's own date where a text carries it: "date 2024-06", "Mis à jour le 13. 02. 2023",
# "Veröffentlicht am 06.12.2022", "Published on 2019-11-19".
_PAGE_DATE = re.compile(
    r"\b(?:date|datum|publié\s+le|mis\s+à\s+jour\s+le|veröffentlicht\s+am|aktualisiert\s+am|"
    r"gepubliceerd\s+op|bijgewerkt\s+op|published(?:\s+on)?|updated(?:\s+on)?)\s*:?\s*"
    r"(?:(?P<y1>(?:19|20)\d\d)-(?P<m1>\d\d)(?:-(?P<d1>\d\d))?"
    r"|(?P<d2>\d{1,2})\.?\s?[./-]\s?(?P<m2>\d{1,2})\.?\s?[./-]\s?(?P<y2>(?:19|20)\d\d))\b",
    re.I,
)
PAGE_DATE_REACH = 400


def page_date(text: str) -> tuple[date, tuple[int, int]] | None:
    """The date a page gives itself near its start, and where it is written."""
    match = _PAGE_DATE.search(text, 0, PAGE_DATE_REACH)
    if match is None:
        return None
    year, month, day = (
        (match["y1"], match["m1"], match["d1"] or "1")
        if match["y1"]
        else (match["y2"], match["m2"], match["d2"])
    )
    try:
        return date(int(year), int(month), int(day)), match.span()
    except ValueError:
        return None


class PeriodChooser:
    """The periods of one text, and the one each figure belongs to."""

    def __init__(self, text: str, reference: date | None, layout: Layout) -> None:
        self.text = text
        self.reference = reference
        self.layout = layout
        self.figures: Sequence[Figure] = ()
        stamp = page_date(text)
        if stamp is not None and reference is None:
            self.reference = reference = stamp[0]
        periods = find_periods(text, reference, rates=True, anaphoric=True)
        if stamp is not None:  # the page's own date dates no figure
            periods = [p for p in periods if not (stamp[1][0] <= p.start < stamp[1][1])]
        self.rates = [p for p in periods if p.rate]
        # "sinds 2014", "seit 2018" open a stretch: they are not the period of a level.
        self.periods = [p for p in periods if not p.rate and not p.since]

    def period(
        self, figure: Figure, index: int, built: Sequence[DatedFact], metric: str | None = None
    ) -> Period | None:
        """The period of `figure` in sentence `index` measuring `metric`; `built` are the
        facts so far."""
        sentence = self.layout.sentences[index]
        own = [
            p
            for p in self.periods
            if sentence.start <= p.start
            and p.end <= sentence.end
            # "a year earlier" dates only the figure right next to it.
            and (p.relative not in ANAPHORIC or self._next_to(figure, p))
            and not self._base_of_comparison(figure, p)
            and not (p.start >= figure.end and _NEXT_CLAUSE.search(self.text, figure.end, p.start))
        ]
        if not own:
            same = [
                p
                for p in self.periods
                if sentence.start <= p.start
                and p.end <= sentence.end
                and p.relative == "same_period"
                and p.start_date is None
            ]
            anchor = self._inherited(figure, index, built, metric)
            if same and anchor is not None and anchor.start_date is not None:
                return resolve_relative(same[0], anchor)  # "... over the same period"
            return anchor
        clause_start = self.layout.clause_start(figure.start, sentence)
        listed_after = any(0 <= p.start - figure.end <= 15 for p in own)

        def rank(period: Period) -> int:
            gap = distance(period.start, period.end, figure.start, figure.end)
            if period.end <= clause_start:
                gap += 30
            if (
                period.end <= figure.start
                and listed_after
                and _LIST_BREAK.search(self.text, period.end, figure.start)
            ):
                gap += 10  # "50 000 en 2021, 111 000 en 2022": each item its own year
            # A named day ("le 3 mars") dates an announcement more often than a figure.
            return gap + (1000 if period.day else 0)

        chosen = min(own, key=rank)
        if chosen.relative in ANAPHORIC and chosen.start_date is None:
            # "over the same period": the period the text named before.
            others = [p for p in own if p.relative not in ANAPHORIC and p.start_date]
            anchor = (
                min(others, key=rank)
                if others
                else self._inherited(figure, index, built, metric)
                or self._block_period(index, built, anywhere=True)
            )
            if anchor is None or anchor.start_date is None:
                return None
            return resolve_relative(chosen, anchor)
        return chosen

    def _inherited(
        self, figure: Figure, index: int, built: Sequence[DatedFact], metric: str | None
    ) -> Period | None:
        """The period a sentence naming none keeps: the one the sentence before named (not
        for a plan or a forecast), else the block's last dated fact's, else that of the
        last fact of the same metric a sentence or two before."""
        previous = self.layout.previous_in_block(index)
        if previous is None or self._planned(previous, built):
            period = self._block_period(index, built)
            if period is None and built and built[-1].metric == metric:
                period = self._block_period(index, built, anywhere=True)
            return period
        before = self.layout.sentences[previous]
        stated = [
            f
            for f in built
            if before.start <= f.evidence_start < before.end
            and f.qualifier in {"actual", "cumulative"}
            and f.period_start is not None
        ]
        if stated and self._change_end(figure, index) is None:
            # The sentence before dated its own figures: its period carries on, the latest
            # of them (not the year-ago base it compared with).
            fact = max(reversed(stated), key=lambda f: f.period_end or f.period_start or date.min)
            position = fact.figure.start
            return Period(fact.period or "", fact.period_start, fact.period_end, position, position)
        candidates = [
            p
            for p in self.periods
            if before.start <= p.start
            and p.end <= before.end
            and not p.day
            and p.relative not in ANAPHORIC
            and self._compared(p) is None
        ]
        if not candidates:
            return self._block_period(index, built)
        # "van 3.629 naar 19.855" after a sentence that went "van ... 2024 naar ... 2025":
        # the two ends of the change take the two periods, in order.
        end = self._change_end(figure, index)
        if end is not None and len(candidates) >= 2:
            return candidates[-2] if end == "from" else candidates[-1]
        return candidates[-1]

    def _planned(self, index: int, built: Sequence[DatedFact]) -> bool:
        """Whether every fact of sentence `index` is a target or a forecast."""
        sentence = self.layout.sentences[index]
        facts = [f for f in built if sentence.start <= f.evidence_start < sentence.end]
        return bool(facts) and all(f.qualifier in {"target", "forecast"} for f in facts)

    def _base_of_comparison(self, figure: Figure, period: Period) -> bool:
        """ "2,5 Prozent weniger als 2020", "a rise of 57% from the first quarter": the
        period a figure is compared with, unless the figure stands in that comparison."""
        compared = self._compared(period)
        if compared is None or compared <= figure.start < period.start:
            return False
        return not (period.end <= figure.start and _WHEN_AFTER.match(self.text, period.end))

    def _next_to(self, figure: Figure, period: Period) -> bool:
        """Whether nothing but a few words and no other figure stand between the two; the
        same amount converted in parentheses ("181,8 milliards (5,6 milliards de
        dollars) à la même période") does not count."""
        start, end = (
            (figure.end, period.start)
            if figure.end <= period.start
            else (
                period.end,
                figure.start,
            )
        )
        gap = _CONVERSION.sub("", self.text[start:end]) if start < end else ""
        if len(gap) > 25:
            return False
        return not any(
            start <= other.start < end and not self._converted(other) for other in self.figures
        )

    def _converted(self, figure: Figure) -> bool:
        """Whether the figure is a conversion in parentheses: "(5,6 milliards de dollars)"."""
        before = self.text[max(0, figure.start - 8) : figure.start]
        return before.rstrip().endswith("(") or before.rstrip().endswith("(about")

    def _compared(self, period: Period) -> int | None:
        """Where the comparison word that introduces the period starts ("than in 2020",
        "au lieu de 55 % en 2023"), if one does."""
        start = max(0, period.start - 50)
        index = self.layout.index_of(period.start)
        if index is not None:  # a comparison of the sentence before compares nothing here
            start = max(start, self.layout.sentences[index].start)
        match = _COMPARED.search(self.text, start, period.start)
        return match.start() if match else None

    def _block_period(
        self, index: int, built: Sequence[DatedFact], anywhere: bool = False
    ) -> Period | None:
        """The period of the block's last dated fact that is no plan: a paragraph keeps to
        its period until it names another one. With `anywhere`, the last such fact of the
        two sentences before, in any block ("over the same period")."""
        block = self.layout.blocks[index]
        for fact in reversed(built):
            fact_index = self.layout.index_of(fact.evidence_start)
            if fact_index is None:
                continue
            if anywhere and fact_index < index - 2:
                return None
            if not anywhere and self.layout.blocks[fact_index] != block:
                return None
            if fact.qualifier in {"target", "forecast", "change"} or fact.period is None:
                continue
            if fact.period_start is not None or _BARE_PART.fullmatch(fact.period):
                position = fact.figure.start
                return Period(fact.period, fact.period_start, fact.period_end, position, position)
        return None

    def _change_end(self, figure: Figure, index: int) -> str | None:
        """ "from" or "to" when `figure` is one end of "van X naar Y" / "de X à Y"."""
        sentence = self.layout.sentences[index]
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

    def rate(self, figure: Figure) -> Period | None:
        """ "90 wagens per dag", "150,000 vehicles per year", "jährlich bis zu 150.000": the
        rate the figure is given at, just after it or just before it."""
        for rate in self.rates:  # "20.000 per jaar": the rate after it first
            if 0 <= rate.start - figure.end <= 30 and not _RATE_GAP_BREAK.search(
                self.text, figure.end, rate.start
            ):
                return rate
        for rate in self.rates:  # "jährlich bis zu 150.000": an adverb just before it
            if 0 <= figure.start - rate.end <= 15 and not _RATE_GAP_BREAK.search(
                self.text, rate.end, figure.start
            ):
                return rate
        return None

    def settle(self, figure: Figure, period: Period | None, qualifier: str) -> Period | None:
        """No period for a running total whose period is far from it or a day."""
        if (
            qualifier == "cumulative"
            and period is not None
            and "/" not in period.label
            and (
                period.day
                or distance(period.start, period.end, figure.start, figure.end) > CUMULATIVE_REACH
            )
        ):
            return None  # a total since the start, announced on some day
        return period

    def past(self, period: Period | None) -> bool:
        """Whether the period has ended before the publication date."""
        if period is None:
            return False
        if period.label in {"last_year", "last_month"}:
            return True
        return bool(self.reference and period.end_date and period.end_date < self.reference)
