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

# "than in 2020", "au lieu de 55 % en 2023": a comparison word before a period.
_COMPARED = re.compile(
    r"(?:\b(?:than|dan|compared\s+(?:with|to)|gegenüber|vs\.?|versus|par\s+rapport\s+(?:à|au|aux)|"
    r"au\s+lieu\s+de|instead\s+of|in\s+vergelijking\s+met|vergeleken\s+met|tegen|against|from)"
    r"|\b(?:mehr|weniger|\w+er)\s+(?:\w+\s+){0,2}als|\b(?:plus|moins)\s+(?:\w+\s+){0,3}que)"
    r"\s+(?:\w+\s+){0,3}$",
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


class PeriodChooser:
    """The periods of one text, and the one each figure belongs to."""

    def __init__(self, text: str, reference: date | None, layout: Layout) -> None:
        self.text = text
        self.reference = reference
        self.layout = layout
        self.figures: Sequence[Figure] = ()
        periods = find_periods(text, reference, rates=True, anaphoric=True)
        self.rates = [p for p in periods if p.rate]
        # "sinds 2014", "seit 2018" open a stretch: they are not the period of a level.
        self.periods = [p for p in periods if not p.rate and not p.since]

    def period(self, figure: Figure, index: int, built: Sequence[DatedFact]) -> Period | None:
        """The period of `figure` in sentence `index`; `built` are the facts so far."""
        sentence = self.layout.sentences[index]
        candidates = [
            p for p in self.periods if sentence.start <= p.start and p.end <= sentence.end
        ]
        if not candidates:
            previous = self.layout.previous_in_block(index)
            if previous is None:
                return self._block_period(index, built)
            before = self.layout.sentences[previous]
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
        clause_start = self.layout.clause_start(figure.start, sentence)
        # "a year earlier" dates only the figure right next to it.
        candidates = [
            p for p in candidates if p.relative not in ANAPHORIC or self._next_to(figure, p)
        ] or [p for p in candidates if p.relative not in ANAPHORIC]
        if not candidates:
            return None

        def rank(period: Period) -> int:
            gap = distance(period.start, period.end, figure.start, figure.end)
            if period.end <= clause_start:
                gap += 30
            compared = self._compared(period)
            if compared is not None and not compared <= figure.start < period.start:
                gap += 200  # "2,5 Prozent weniger als 2020": the base of a comparison
            # A named day ("le 3 mars") dates an announcement more often than a figure.
            return gap + (1000 if period.day else 0)

        chosen = min(candidates, key=rank)
        if chosen.relative in ANAPHORIC and chosen.start_date is None:
            # "47,000 a year earlier" in a sentence whose own period lies before it.
            others = [p for p in candidates if p.relative not in ANAPHORIC and p.start_date]
            if not others:
                return None
            return resolve_relative(chosen, min(others, key=rank))
        return chosen

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
        match = _COMPARED.search(self.text, max(0, period.start - 30), period.start)
        return match.start() if match else None

    def _block_period(self, index: int, built: Sequence[DatedFact]) -> Period | None:
        """The period of the block's last dated fact: a paragraph keeps to its period
        until it names another one."""
        block = self.layout.blocks[index]
        for fact in reversed(built):
            fact_index = self.layout.index_of(fact.evidence_start)
            if fact_index is None or self.layout.blocks[fact_index] != block:
                return None
            if fact.period is not None and fact.period_start is not None:
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
