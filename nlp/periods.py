"""Time periods in text: years, months, quarters, halves, ranges and relative expressions,
resolved against a reference date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from text_to_num import alpha2digit

from nlp.lexicon import MONTHS


@dataclass(frozen=True)
class Period:
    """A calendar period ("2025", "2025-05", "2025-Q1", "2025-H1", "2025-01/2025-05")
    or a bare label, found at [start, end) in the text."""

    label: str
    start_date: date | None
    end_date: date | None
    start: int
    end: int
    target: bool = False  # "tegen 2035", "d'ici 2030", "bis 2030", "by 2035"
    day: bool = False  # a month named with its day ("le 3 mars"): a date more than a period


_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# İ, ı and ſ are the only characters that the lowercase patterns below, run on lowercased
# text, would not match as their case-insensitive versions match the text itself.
_UNFOLDABLE = re.compile("[\u0130\u0131\u017f]")


@dataclass(frozen=True)
class _Pattern:
    """A lowercase pattern, compiled for lowercased text (much the faster to scan) and,
    case-insensitively, for text that lowercasing would change in other ways."""

    folded: re.Pattern[str]
    anycase: re.Pattern[str]

    def finditer(self, text: str, folded: str | None) -> Iterator[re.Match[str]]:
        """Matches in `text`, found in `folded` (its lowercase) when there is one; group
        spans are the same in both."""
        if folded is None:
            return self.anycase.finditer(text)
        return self.folded.finditer(folded)


def _pattern(source: str) -> _Pattern:
    if any(char.isupper() for char in source.replace("(?P<", "")):
        raise ValueError(f"pattern not in lowercase: {source!r}")
    return _Pattern(re.compile(source), re.compile(source, re.I))


def _folded(text: str) -> str | None:
    """`text` lowercased, or None when lowercasing would change what the patterns match."""
    return None if _UNFOLDABLE.search(text) else text.lower()


_YEAR = r"(?P<year>(?:19|20)\d{2})"
_Q_WORDS = {
    1: r"eerste|premier|1er|ersten|erstes|first|1e",
    2: r"tweede|deuxième|second|zweiten|zweites|2e",
    3: r"derde|troisième|third|dritten|drittes|3e",
    4: r"vierde|quatrième|fourth|vierten|viertes|4e",
}
_QUARTER = _pattern(
    r"(?:\b(?P<qn>q[1-4])\b|\b(?P<qw>"
    + "|".join(f"(?:{w})" for w in _Q_WORDS.values())
    + r")\s+(?:kwartaal|trimestre|quartal|quarter))"
    + rf"(?:\s+(?:van\s+|de\s+|des\s+|of\s+)?{_YEAR})?",
)
_HALF = _pattern(
    r"(?:\b(?P<hn>h[12])\b|\b(?P<hw>eerste|premier|first|ersten|tweede|second|zweiten)\s+"
    r"(?:helft|halfjaar|jaarhelft|semestre|half|halbjahr|jahreshälfte))"
    + rf"(?:\s+(?:van\s+|de\s+|of\s+)?{_YEAR})?",
)
_RANGE = _pattern(
    rf"\b(?:van|de|d['’]|von|from|tussen|entre|zwischen|between)\s*(?P<m1>{_MONTH})"
    rf"(?:\s+(?P<y1>(?:19|20)\d{{2}}))?\s+(?:tot\s+en\s+met|tot|t/m|à|a|jusqu['’]à|bis|to|through|"
    rf"until|en|et|und|and)\s+(?:fin\s+)?(?P<m2>{_MONTH})(?:\s+{_YEAR})?"
    # "January-September 2025", "janvier-mai"
    rf"|\b(?P<d1>{_MONTH})\s*[-–]\s*(?P<d2>{_MONTH})\b(?:\s+(?P<dy>(?:19|20)\d{{2}}))?",
)
_FIRST_MONTHS = _pattern(
    r"\b(?:(?P<opener>first|eerste|ersten)\s+(?P<count>\d{1,2}|[a-zäöü]+)"
    r"|(?P<fr_count>\d{1,2}|[a-zéè-]+)\s+(?P<fr_opener>premiers))"
    r"\s+(?:months|maanden|mois|monaten)"
    rf"(?:\s+(?:of\s+|van\s+|de\s+|des\s+|du\s+|von\s+)?{_YEAR})?",
)
_NUMBER_WORD_LANGS = {"first": "en", "eerste": "nl", "premiers": "fr", "ersten": "de"}
_DAY_BEFORE = re.compile(r"\b(?:[12]?\d|3[01])(?:er|\.)?\s*$")
_DAY_AFTER = re.compile(r"^\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)?\b(?!\s*(?:%|procent|pour|per))")
_MONTH_YEAR = _pattern(
    rf"\b(?P<month>{_MONTH})(?:\s+(?:de\s+cette\s+année|dit\s+jaar|this\s+year|dieses\s+jahres)|\s+{_YEAR})?\b",
)
_TARGET_YEAR = _pattern(
    rf"\b(?:tegen|tegen\s+het\s+jaar|d['’]ici(?:\s+à)?|d['’]ici\s+fin|bis|bis\s+zum\s+jahr|by|by\s+the\s+end\s+of|"
    rf"voor\s+eind|avant|vor|in\s+het\s+jaar)\s+{_YEAR}\b",
)
_PLAIN_YEAR = re.compile(rf"(?<![\w.,]){_YEAR}(?![\w.,]\d|\d)")
# Relative periods, one named group each; no two can overlap, so one scan finds them all.
_RELATIVE = _pattern(
    r"(?P<last_year>\b(?:vorig|vorige|verleden|afgelopen)\s+jaar\b|"
    r"\bl['’]an(?:née)?\s+(?:derni(?:er|ère)|pass(?:é|ée))\b|"
    r"\b(?:letzten|letztes|vergangenen|vergangenes)\s+jahr(?:es)?\b|\bim\s+vorjahr\b|"
    r"\blast\s+year\b)"
    r"|(?P<this_year>\bdit\s+jaar\b|\bcette\s+année\b|\bdieses\s+jahr(?:es)?\b|\bthis\s+year\b|"
    r"\bin\s+diesem\s+jahr\b)"
    r"|(?P<next_year>\bvolgend\s+jaar\b|\bvolgende\s+jaar\b|\bl['’]an(?:née)?\s+prochaine?\b|"
    r"\bnächstes\s+jahr\b|\bnext\s+year\b)"
    r"|(?P<last_month>\bvorige\s+maand\b|\ble\s+mois\s+dernier\b|\bletzten\s+monat\b|"
    r"\bvergangenen\s+monat\b|\blast\s+month\b)"
)


def _month_label(year: int, month: int) -> tuple[str, date, date]:
    last = calendar.monthrange(year, month)[1]
    return f"{year}-{month:02d}", date(year, month, 1), date(year, month, last)


def find_periods(text: str, reference: date | None) -> list[Period]:
    """Periods in `text`; years left implicit take `reference`'s year, relative ones are
    resolved against `reference` and kept as a label when there is none."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(period: Period) -> None:
        if all(period.end <= s or period.start >= e for s, e in taken):
            found.append(period)
            taken.append((period.start, period.end))

    folded = _folded(text)
    plain_years = list(_PLAIN_YEAR.finditer(text))
    explicit_years = [(m.start(), int(m.group("year"))) for m in plain_years]

    def year_at(offset: int, last_month: int = 1) -> int | None:
        """The reference year, or else the last explicit year written before `offset`.
        A period ending more than a month after the reference month is last year's
        ("in december" in a January article)."""
        if reference is not None:
            return reference.year - (1 if last_month > reference.month + 1 else 0)
        before = [year for position, year in explicit_years if position < offset]
        if before:
            return before[-1]
        return explicit_years[0][1] if explicit_years else None

    for match in _RANGE.finditer(text, folded):
        first_month = match.group("m1") or match.group("d1")
        last_month = match.group("m2") or match.group("d2")
        m1, m2 = MONTHS[first_month.lower()], MONTHS[last_month.lower()]
        written = match.group("year") or match.group("y1") or match.group("dy")
        year = int(written or 0) or year_at(match.start(), m2)
        if year is None or m2 < m1:
            continue
        _, first, _ = _month_label(year, m1)
        _, _, last = _month_label(year, m2)
        add(Period(f"{year}-{m1:02d}/{year}-{m2:02d}", first, last, *match.span()))
    for match in _FIRST_MONTHS.finditer(text, folded):
        opener = (match.group("opener") or match.group("fr_opener")).lower()
        word = "count" if match.start("count") != -1 else "fr_count"
        count = _count(text[match.start(word) : match.end(word)], opener)
        year = int(match.group("year") or 0) or year_at(match.start(), count)
        if year is None or not 1 <= count <= 12:
            continue
        _, last_day = _month_label(year, count)[1:]
        add(Period(f"{year}-01/{year}-{count:02d}", date(year, 1, 1), last_day, *match.span()))
    for match in _QUARTER.finditer(text, folded):
        quarter = (
            int(match.group("qn")[1])
            if match.group("qn")
            else next(
                n for n, words in _Q_WORDS.items() if re.fullmatch(words, match.group("qw"), re.I)
            )
        )
        year = int(match.group("year") or 0) or year_at(match.start(), 3 * quarter)
        if year is None:
            continue
        first = date(year, 3 * quarter - 2, 1)
        last = _month_label(year, 3 * quarter)[2]
        add(Period(f"{year}-Q{quarter}", first, last, *match.span()))
    for match in _HALF.finditer(text, folded):
        token = (match.group("hn") or match.group("hw")).lower()
        half = 1 if token in {"h1", "eerste", "premier", "first", "ersten"} else 2
        year = int(match.group("year") or 0) or year_at(match.start(), 6 * half)
        if year is None:
            continue
        first = date(year, 1 if half == 1 else 7, 1)
        last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        add(Period(f"{year}-H{half}", first, last, *match.span()))
    for match in _TARGET_YEAR.finditer(text, folded):
        year = int(match.group("year"))
        add(Period(str(year), date(year, 1, 1), date(year, 12, 31), *match.span(), target=True))
    for match in _MONTH_YEAR.finditer(text, folded):
        word = match.group("month").lower()
        if word == "mei" or word == "mai" or word == "may":
            # "may"/"mai"/"mei" are also verbs or names: need a year or a preposition
            before = text[max(0, match.start() - 6) : match.start()].lower()
            if not match.group("year") and not re.search(
                r"\b(?:in|en|im|de|van|fin|eind|ende|end|of)\s+$", before
            ):
                continue
        year = int(match.group("year") or 0) or year_at(match.start(), MONTHS[word])
        if year is None:
            continue
        label, first, last = _month_label(year, MONTHS[word])
        day = bool(
            _DAY_BEFORE.search(text, max(0, match.start() - 6), match.start())
            or _DAY_AFTER.match(text[match.end() : match.end() + 12])
        )
        add(Period(label, first, last, *match.span(), day=day))
    for match in plain_years:
        year = int(match.group("year"))
        add(Period(str(year), date(year, 1, 1), date(year, 12, 31), *match.span()))
    for match in _RELATIVE.finditer(text, folded):
        add(_relative_period(str(match.lastgroup), reference, *match.span()))
    return sorted(found, key=lambda period: period.start)


def year_before(period: Period) -> Period:
    """The same period a year earlier ("a year earlier", "een jaar eerder")."""
    if period.start_date is None or period.end_date is None:
        return period
    label = re.sub(r"(?:19|20)\d{2}", lambda m: str(int(m.group(0)) - 1), period.label)
    start = period.start_date.replace(year=period.start_date.year - 1, day=1)
    end_year = period.end_date.year - 1
    end = period.end_date.replace(
        year=end_year,
        day=min(period.end_date.day, calendar.monthrange(end_year, period.end_date.month)[1]),
    )
    return Period(label, start, end, period.start, period.end, period.target, period.day)


def _count(word: str, opener: str) -> int:
    """A month count written in digits or words ("ten", "tien", "dix", "zehn")."""
    if word.isdigit():
        return int(word)
    converted = alpha2digit(word, _NUMBER_WORD_LANGS[opener], threshold=0)
    return int(converted) if converted.isdigit() else 0


def _relative_period(relative: str, reference: date | None, start: int, end: int) -> Period:
    if reference is None:
        return Period(relative, None, None, start, end)
    year = reference.year + {"last_year": -1, "this_year": 0, "next_year": 1}.get(relative, 0)
    if relative == "last_month":
        month = reference.month - 1 or 12
        year = reference.year if reference.month > 1 else reference.year - 1
        label, first, last = _month_label(year, month)
        return Period(label, first, last, start, end)
    return Period(str(year), date(year, 1, 1), date(year, 12, 31), start, end)
