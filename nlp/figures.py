"""Locale-aware quantities in text: value, unit, scale; not years, dates or model names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.lexicon import (
    CURRENCY_PREFIXES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DECADE_WORDS,
    DOLLAR_MARKS,
    FRACTION_WORDS,
    GERMAN_ORDINAL_DETERMINERS,
    GLUED_SCALES,
    LABEL_WORDS,
    LONG_SCALES,
    MONTH_ABBREVIATIONS,
    MONTHS,
    MULTIPLE_WORDS,
    MULTIPLIER_STEMS,
    MULTIPLIER_WORDS,
    NUMBER_WORD_IDIOMS,
    PERCENT_STEMS,
    PERCENT_WORDS,
    PERIOD_ADJECTIVES,
    POINT_WORDS,
    REFERENTIAL_DETERMINERS,
    SCALES,
    TIME_STEMS,
    TIME_UNIT_WORDS,
    UNIT_GAP_STOPWORDS,
    UNIT_WORDS,
    VAGUE_QUANTIFIERS,
    YEAR_CUES,
)
from nlp.number_format import (
    DECIMAL_COMMA_LANGS,
    SPACES,
    is_ambiguous,
    page_decimal_mark,
    parse_number,
    proven_decimal_mark,
)
from nlp.number_words import NumberWords, find_number_words, scale_value

__all__ = ["DECIMAL_COMMA_LANGS", "Figure", "find_figures", "json_number", "parse_number"]

# Units that count whole things: a number of them cannot have a fractional part.
PERCENT_UNITS = frozenset({"percent", "percentage_points"})
COUNT_UNITS = frozenset(
    {"vehicles", "employees", "people", "users", "customers", "plants", "dealers", "models"}
)


@dataclass(frozen=True)
class Figure:
    """A quantity: the matched text, its value and unit, and its character span."""

    text: str
    value: float
    unit: str | None
    start: int
    end: int

    def as_json(self) -> dict[str, object]:
        """The figure as in the `analyze` JSON contract."""
        return {
            "text": self.text,
            "value": json_number(self.value),
            "unit": self.unit,
            "start": self.start,
            "end": self.end,
        }


def json_number(value: float) -> int | float:
    """Integral values as int, others rounded to remove float noise."""
    if float(value).is_integer():
        return int(value)
    return round(value, 6)


_NUMBER = re.compile(
    r"(?<![\w.,/:\-])"  # not glued to a word, a date, a time or a code
    r"(?P<sign>[-+−])?"
    r"(?P<num>(?>\d{1,2}(?:,\d{2})+,\d{3}"  # South Asian grouping: 1,50,812
    rf"|\d{{1,3}}(?:[.,{SPACES}]\d{{3}})+|\d+)(?:[.,]\d+)?+)"
    # letters glued to the number: a scale ("£450m"), a unit ("2,100km"), or a hyphenated
    # word ("20-prozentigen", "10-nation"); ordinals and codes ("10e", "2019er") are rejected
    r"(?P<suffix>-?[^\W\d_]+(?:-[^\W\d_]+)*)?"
    r"(?![\w.,]\d|[:/]\d|-?\w)"  # not followed by digits, letters or more code
)


def _word_alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


_MONTH_WORDS = _word_alternation(list(MONTHS))
_MONTH_ABBR = _word_alternation(list(MONTH_ABBREVIATIONS))
_SCALE_WORDS = set(SCALES).union(*(words for words in LONG_SCALES.values()))
_SCALE_AFTER = re.compile(
    rf"[{SPACES}]*(?P<scale>{_word_alternation(list(_SCALE_WORDS))})(?!\w)", re.I
)
_PERCENT_AFTER = re.compile(
    rf"[{SPACES}]*(?P<pct>{_word_alternation(list(POINT_WORDS))}|{_word_alternation(list(PERCENT_WORDS))})(?!\w)",
    re.I,
)
_CURRENCY_AFTER = re.compile(
    rf"[{SPACES}]*(?:d['’]|de\s+)?"
    rf"(?P<cur>{_word_alternation(list(CURRENCY_SYMBOLS))}|{_word_alternation(list(CURRENCY_WORDS))})"
    r"(?!\w)",
    re.I,
)
_CURRENCY_BEFORE = re.compile(
    rf"(?<![A-Za-z$.])(?P<cur>{_word_alternation(list(CURRENCY_PREFIXES))})[{SPACES}]?$"
)
_DOLLAR_MARK_AFTER = re.compile(rf"[{SPACES}]*\((?P<mark>[A-Za-z.$]{{2,5}})\)")
_UNIT_AFTER = re.compile(
    # "28.232 auto's", "5 millions d'unités", "1.312 nieuwe wagens" (one word may come between)
    rf"[{SPACES}]*(?:d['’]|de\s+|van\s+|an\s+|of\s+)?(?:(?P<gap>[a-zà-ÿ]{{3,}})[{SPACES}]+)??"
    rf"(?P<unit>{_word_alternation(list(UNIT_WORDS))})(?!\w)",
    re.I,
)
_MULTIPLE_AFTER = re.compile(
    rf"[{SPACES}]*(?P<multiple>{_word_alternation(list(MULTIPLE_WORDS))})(?!\w)", re.I
)
_DATE_AFTER = re.compile(rf"\.?[{SPACES}]*(?:{_MONTH_WORDS}|(?:{_MONTH_ABBR})\.)(?!\w)", re.I)
_DATE_BEFORE = re.compile(rf"(?:{_MONTH_WORDS})[{SPACES}]*$", re.I)
_TIME_AFTER = re.compile(rf"[{SPACES}]*(?:uur|heures?|uhr|h\b|a\.m\.|p\.m\.|am\b|pm\b)", re.I)
# German ordinals: "im 17. Jahr", "der 3. größte Hersteller".
_GERMAN_ORDINAL_AFTER = re.compile(
    rf"\.[{SPACES}]+(?:[a-zäöüß]|(?:Jahr|Platz|Stelle|Mal|Quartal|Halbjahr|Monat|Woche|Tag|"
    r"Generation|Runde|Auflage)\b)"
)
_PREVIOUS_WORD = re.compile(rf"(?P<word>[\w°'’]+)(?P<mark>[.:]?)[{SPACES}]*\Z")
# Telephone numbers, masked before numbers are read. Each pattern starts with a literal
# character, which keeps the scan fast; the context before a leading 0 is checked in code.
_PHONES = (
    re.compile(
        r"\+\d{1,3}[\s.\-]?(?:\(0\)[\d\s.\-]*\d|\d{1,4}(?:[\s.\-]\d{2,4}){2,4})"  # +49 (0) 711 17-0
    ),
    re.compile(r"0(?:\d{1,3}[\-/ ]\d{5,8}|\d{1,3}(?:[ ]\d{2,3}){3,4}|[89]00(?:[ ]\d{3}){2})(?!\d)"),
    re.compile(r"\(\d{3}\)[\s.\-]?\d{3}[\s.\-]\d{4}(?!\d)"),  # (555) 123-4567
)
# Whatever follows "Tel.", "Fax:", "Telefon" is a telephone number.
_PHONE_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:tel|tél|fax|phone|telefoon|telefon|téléphone)\.?:?[ ]*[\d ()/.+\-]*\Z", re.I
)
# Parts of a date written with dots and spaces: "13. 02. 2023".
_DOTTED_DATE_AFTER = re.compile(r"\.[ ]?\d{1,2}\.[ ]?\d{2,4}(?!\d)")
_DOTTED_DATE_AROUND = re.compile(r"(?<!\d)\d{1,2}\.[ ]?\Z")
# A word after a bare number that makes it part of a model name: "the 3 Series", "la 5 Série".
_NAME_AFTER = re.compile(rf"[{SPACES}]+(?:Series|Serie|Série|Reihe|Klasse|Class)(?!\w)")
_YEAR = re.compile(r"(?:1[89]|20|21)\d{2}")
SINGULAR_ARTICLES = frozenset({"la", "le", "La", "Le", "het", "Het", "das", "Das"})
_SENTENCE_END = '.!?:;\n"«“(–—'


def find_figures(text: str, lang: str) -> list[Figure]:
    """All quantities in `text`, read with `lang`'s number conventions."""
    masked = _phone_spans(text)
    numbers = [
        match
        for match in _NUMBER.finditer(text)
        if not any(m_start <= match.start() < m_end for m_start, m_end in masked)
    ]
    page_mark = page_decimal_mark(
        (
            proven_decimal_mark(match.group("num"), _amount_follows(text, match))
            for match in numbers
        ),
        lang,
    )
    figures: list[Figure] = []
    for match in numbers:
        figure = _digit_figure(text, lang, match, page_mark)
        if figure is not None:
            figures.append(figure)
    figures.extend(_word_figures(text, lang, figures))
    return _share_units(text, lang, sorted(figures, key=lambda figure: figure.start))


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where telephone numbers are; a leading 0 right after a digit, a mark or a hyphen is
    part of something else ("2026-03-05 307 812")."""
    spans = []
    for pattern in _PHONES:
        for match in pattern.finditer(text):
            before = text[match.start() - 1 : match.start()] if match.start() else ""
            if match.group()[0] == "0" and before and (before.isdigit() or before in ".,-"):
                continue
            spans.append(match.span())
    return spans


def _amount_follows(text: str, match: re.Match[str]) -> bool:
    """Whether a percent sign or a scale word follows a number with a decimal-looking mark."""
    raw = match.group("num")
    if not re.search(r"[.,]\d{1,2}$", raw):
        return False
    tail = text[match.end() : match.end() + 30]
    return bool(_PERCENT_AFTER.match(tail) or _SCALE_AFTER.match(tail))


def _digit_figure(text: str, lang: str, match: re.Match[str], page_mark: str) -> Figure | None:
    """The quantity a number written in digits stands for, or None when it is not one."""
    start, end = match.start(), match.end("num")
    raw = match.group("num")
    sign = -1.0 if match.group("sign") in ("-", "−") else 1.0
    try:
        value = sign * parse_number(raw, lang, page_mark)
    except ValueError:
        return None
    unit: str | None = None
    scale = 1.0
    if suffix := match.group("suffix"):
        glued = _glued_meaning(suffix, lang)
        if glued is None:
            return None
        scale, unit, keep = glued
        end = match.end() if keep else end
    if scale == 1.0 and unit is None and (m := _SCALE_AFTER.match(text, end, end + 30)):
        scale = scale_value(m.group("scale"), lang)
        end = m.end()
    if unit is None:
        unit, end = _unit_after(text, end)
    if unit is None and (m := _CURRENCY_BEFORE.search(text, max(0, start - 12), start)):
        unit = CURRENCY_PREFIXES[m.group("cur")]
        start = m.start()
    if unit == "models" and value * scale >= 1000:
        unit = "vehicles"  # "380.000 modellen": cars of those models, not model lines
    if unit == "USD" and (m := _DOLLAR_MARK_AFTER.match(text, end, end + 12)):
        unit = DOLLAR_MARKS.get(m.group("mark").lower(), unit)
    if scale == 1.0 and unit in COUNT_UNITS and is_ambiguous(raw) and not value.is_integer():
        value = sign * parse_number(raw, lang, "," if "." in raw else ".")  # "3,110 véhicules"
    if scale == 1.0 and unit not in PERCENT_UNITS and _is_year(text, match, unit):
        return None
    bare = unit is None and scale == 1.0
    if bare and _excluded_bare_number(text, lang, match.start("num"), match.end("num"), raw):
        return None
    return Figure(text[start:end].strip(), value * scale, unit, start, end)


def _glued_meaning(suffix: str, lang: str) -> tuple[float, str | None, bool] | None:
    """(scale, unit, part of the figure) of letters glued to a number, or None when they make
    it something else: an ordinal, a code, a duration or a multiplier."""
    if not suffix.startswith("-"):
        word = suffix.lower()
        if word in GLUED_SCALES:
            return GLUED_SCALES[word], None, True
        if word in UNIT_WORDS:
            return 1.0, UNIT_WORDS[word], True
        return None
    word = suffix[1:].lower()
    if word.startswith(PERCENT_STEMS):
        return 1.0, "percent", True
    parts = word.split("-")
    if any(part.startswith(TIME_STEMS + MULTIPLIER_STEMS) for part in parts):
        return None  # "four-year", "24-Stunden", "3-fach", "13.8-billion-year"
    if parts[0] in LABEL_WORDS and parts[0] not in CURRENCY_WORDS:
        return None  # "3-Series"
    # "10-Millionen-Schweiz", "1,5-Milliarden-Euro-Programm", "500-Euro-Prämie", "55-kilometer"
    scale, unit = 1.0, None
    for part in parts:
        if part in _SCALE_WORDS and scale == 1.0:
            scale = scale_value(part, lang)
        elif unit is None:
            unit = CURRENCY_WORDS.get(part) or UNIT_WORDS.get(part)
    return scale, unit, unit is not None or scale != 1.0


def _currency(word: str) -> str | None:
    return CURRENCY_SYMBOLS.get(word) or CURRENCY_WORDS.get(re.sub(r"\s+", " ", word.lower()))


def _is_year(text: str, match: re.Match[str], unit: str | None) -> bool:
    """A year, even with a unit word after it when a year word, a month or a preposition of
    time comes before it ("im Jahr 2021 Fahrzeuge der Marke ...")."""
    raw = match.group("num")
    if not _YEAR.fullmatch(raw):
        return False
    if unit is None:
        return True
    if unit.isupper() and len(unit) == 3:
        return False  # an amount of money
    head = text[max(0, match.start() - 30) : match.start()]
    if _DATE_BEFORE.search(head):
        return True
    previous = _PREVIOUS_WORD.search(head)
    return previous is not None and previous.group("word").lower() in YEAR_CUES


def _excluded_bare_number(text: str, lang: str, start: int, end: int, raw: str) -> bool:
    """Dates, times, ordinals, durations, labels and model names are not quantities."""
    if (
        len(raw) <= 2
        and raw.isdigit()
        and (_dotted_date(text, start, end) or _clock_minutes(text, start))
    ):
        return True
    if _NAME_AFTER.match(text, end):
        return True
    if _PHONE_LABEL_BEFORE.search(text, max(0, start - 30), start):
        return True
    tail = text[end : end + 20]
    head = text[max(0, start - 20) : start]
    if _DATE_AFTER.match(tail) or _TIME_AFTER.match(tail):
        return True
    if lang == "de" and raw.isdigit() and len(raw) <= 3 and _german_ordinal(text, start, tail):
        return True
    if _counts_time(text, end):
        return True
    if raw.isdigit() and len(raw) <= 4 and _DATE_BEFORE.search(head):
        return True
    return _is_label(text, start)


def _clock_minutes(text: str, start: int) -> bool:
    """The minutes of "9 h 30", "14 h 05"."""
    return bool(re.search(rf"\d[{SPACES}]?h[{SPACES}]?\Z", text[max(0, start - 6) : start]))


def _dotted_date(text: str, start: int, end: int) -> bool:
    """The day or the month of "13. 02. 2023"."""
    if _DOTTED_DATE_AFTER.match(text, end):
        return True
    return bool(
        re.match(r"\.[ ]?\d", text[end : end + 3])
        and _DOTTED_DATE_AROUND.search(text, max(0, start - 5), start)
    )


def _german_ordinal(text: str, start: int, tail: str) -> bool:
    """ "im 17. Jahr", "der 3. größte", "der 1. FC": a number with a dot that is a rank."""
    if _GERMAN_ORDINAL_AFTER.match(tail):
        return True
    if not re.match(rf"\.[{SPACES}]+[A-ZÄÖÜ]", tail):
        return False
    previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return previous is not None and previous.group("word").lower() in GERMAN_ORDINAL_DETERMINERS


def _counts_time(text: str, end: int) -> bool:
    """ "58 ans", "21 jours", "4 years", "les 9 premiers mois": a duration, an age or a period."""
    following = _NEXT_WORDS.match(text, end)
    if following is None:
        return False
    first, second = following.group("first").lower(), (following.group("second") or "").lower()
    return first in TIME_UNIT_WORDS or (first in PERIOD_ADJECTIVES and second in TIME_UNIT_WORDS)


def _is_label(text: str, start: int) -> bool:
    """True when the word before the number makes it a label ("phase 3.0", "Peugeot 3008")."""
    match = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    if not match:
        return False
    written = match.group("word")
    # "l'Omoda 5" -> "Omoda"; but "zo'n 1500" keeps its word ("'n" is an article)
    last = re.split(r"['’]", written)[-1]
    word = last if len(last) > 1 else written
    if word.lower() in LABEL_WORDS and (len(word) > 1 or word.isupper()):
        return True
    if match.group("mark") == ":":
        return False  # "BYD: 10.000" in a list of brands is a figure
    # A singular article before a bare number names a model ("la 208", "het 3008").
    if word in SINGULAR_ARTICLES:
        return True
    # A capitalised word straight before a bare number names a model ("Jaecoo 7", "Peugeot
    # 3008"), unless that word starts the sentence.
    before = text[: match.start()].rstrip(SPACES)
    sentence_start = not before or before[-1] in _SENTENCE_END
    return (word[:1].isupper() or word.isupper()) and not sentence_start and word.isalpha()


_NEXT_WORDS = re.compile(rf"[{SPACES}]*(?P<first>[\w'’-]+)(?:[{SPACES}]+(?P<second>[\w'’-]+))?")
_RATIO_LINKS = frozenset({"sur", "op", "in", "von", "out", "of", "uit"})
_RATIO_AFTER = re.compile(
    rf"[{SPACES}]+(?:sur|op|in|von|uit|out[{SPACES}]+of|of)(?:[{SPACES}]+(?:de|the|les|den))?"
    rf"[{SPACES}]+",
    re.I,
)


def _word_figures(text: str, lang: str, found: list[Figure]) -> list[Figure]:
    """Quantities written in words ("drie fabrieken", "une centaine d'hectares", "eine Million").
    Articles ("een", "un", "one") are left out, and so are durations, counts of time units,
    multipliers, fractions and ratios, and number words inside names ("the Big Three")."""
    taken = [(figure.start, figure.end) for figure in found]
    numbers = find_number_words(text, lang)
    starts = {words.start for words in numbers}
    ends = {words.end for words in numbers}
    figures: list[Figure] = []
    for words in numbers:
        if any(s < words.end and words.start < e for s, e in taken):
            continue
        value, end = words.value, words.end
        if m := _SCALE_AFTER.match(text[end : end + 30]):  # "zwei Billionen", "two trillion"
            value *= scale_value(m.group("scale"), lang)
            end += m.end()
        elif m := _MULTIPLE_AFTER.match(text[end : end + 30]):  # "zwei Dutzend", "two dozen"
            value *= MULTIPLE_WORDS[m.group("multiple").lower()]
            end += m.end()
        if value < 2:
            continue  # "een", "un", "ein", "one": articles
        if not _is_quantity_word(text, lang, words, starts, ends, scaled=value != words.value):
            continue
        unit, unit_end = _unit_after(text, end)
        end = unit_end if unit else end
        figures.append(Figure(text[words.start : end], value, unit, words.start, end))
        taken.append((words.start, end))  # "trois pour cent": "cent" is not a number here
    return figures


@dataclass(frozen=True)
class _WordContext:
    """What surrounds a number written in words: the words before and after it."""

    written: str
    before: str  # up to 40 characters before, trailing spaces removed
    before_start: int  # where `before` starts in the text
    previous: str  # the word straight before, lowercased
    previous_start: int  # where that word starts in the text
    first: str  # the word straight after, lowercased
    second: str  # the word after that
    second_start: int

    @classmethod
    def of(cls, text: str, words: NumberWords) -> _WordContext:
        window = max(0, words.start - 40)
        before = text[window : words.start].rstrip(SPACES)
        previous = _PREVIOUS_WORD.search(before)
        following = _NEXT_WORDS.match(text, words.end)
        return cls(
            written=words.text_in(text),
            before=before,
            before_start=window,
            previous=previous.group("word").lower() if previous else "",
            previous_start=window + previous.start() if previous else words.start,
            first=(following.group("first") or "").lower() if following else "",
            second=(following.group("second") or "").lower() if following else "",
            second_start=following.start("second") if following else -1,
        )


def _is_quantity_word(
    text: str, lang: str, words: NumberWords, starts: set[int], ends: set[int], scaled: bool
) -> bool:
    context = _WordContext.of(text, words)
    return not (
        _in_name_or_label(context)
        or (not scaled and _referential(context, lang))
        or _not_a_count(context, lang)
        or _ratio(text, context, words.end, starts, ends)
    )


def _in_name_or_label(context: _WordContext) -> bool:
    """ "the Big Three", "außer Acht", "phase two", or the scale word of digits."""
    before = context.before
    if before[-1:].isdigit():
        return True
    first_word = context.written.split()[0]
    sentence_start = not before.strip() or before[-1] in _SENTENCE_END
    if first_word[:1].isupper() and not sentence_start and first_word.lower() not in SCALES:
        return True
    if context.previous in VAGUE_QUANTIFIERS:
        return True  # "several thousand", "mehrere tausend": no amount
    if context.previous in DECADE_WORDS:
        return True  # "de jaren negentig": a decade
    return context.previous in LABEL_WORDS - {"a", "e", "n"}


def _referential(context: _WordContext, lang: str) -> bool:
    """ "les deux constructeurs", "the three carmakers": things named already. Amounts with a
    scale word ("le million", "the one-million mark") are not references."""
    if any(part in SCALES for part in re.split(r"[\s-]+", context.written.lower())):
        return False
    return context.previous in REFERENTIAL_DETERMINERS.get(lang, frozenset())


def _not_a_count(context: _WordContext, lang: str) -> bool:
    """Durations, counts of time units, multipliers, fractions, dates and idioms."""
    written, first, second = context.written.lower(), context.first, context.second
    if written in {"neufs", "neuves", "neuve"} or (
        written == "neuf" and not first.endswith(("s", "x"))
    ):
        return True  # "véhicules neufs": new, not nine
    if first in TIME_UNIT_WORDS or first in MULTIPLIER_WORDS or first in FRACTION_WORDS:
        return True  # "twee jaar", "trois fois", "zwei Drittel"
    if first in MONTHS or (first in PERIOD_ADJECTIVES and second in TIME_UNIT_WORDS):
        return True  # "vingt juin"; "les six derniers mois", "the first ten months"
    return first in NUMBER_WORD_IDIOMS.get(lang, {}).get(written, ())  # "in acht nemen"


def _ratio(text: str, context: _WordContext, end: int, starts: set[int], ends: set[int]) -> bool:
    """ "deux sur trois", "negen op de tien", "eight out of ten", "one in nine": a ratio."""
    if following := _RATIO_AFTER.match(text, end):
        after = following.end()
        if after in starts:
            return True
        number = re.match(r"\d+", text[after : after + 8])
        if number and not _YEAR.fullmatch(number.group()):
            return True
    if context.previous in _RATIO_LINKS:
        head = text[: context.previous_start].rstrip(SPACES)
        if context.previous == "of" and head.lower().endswith("out"):
            head = head[:-3].rstrip(SPACES)  # "eight out of ten"
        return head[-1:].isdigit() or len(head) in ends
    return False


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """The unit written after a number (a percent sign, a currency, a unit word) and where
    it ends; (None, end) when there is none."""
    if m := _PERCENT_AFTER.match(text, end, end + 60):
        word = m.group("pct").lower()
        points = any(cue in word for cue in ("punt", "point", "punkt"))
        return ("percentage_points" if points else "percent"), m.end()
    if m := _CURRENCY_AFTER.match(text, end, end + 60):
        return _currency(m.group("cur")), m.end()
    m = _UNIT_AFTER.match(text, end, end + 60)
    if m and (m.group("gap") or "").lower() not in UNIT_GAP_STOPWORDS:
        return UNIT_WORDS[m.group("unit").lower()], m.end()
    return None, end


_LINK = re.compile(
    r"^[\s,]*(?:(?:per|par|pro|a|an|each|every|chaque|elke)\s+\w+[\s,]*)?"  # "per dag naar"
    r"(?:tot(?:\s+en\s+met)?|naar|en|à|a|et|jusqu['’]à|bis|auf|und|to|and|or|ou|oder|of|-|–)"
    r"[\s]*$",
    re.I,
)
_SCALE_IN = re.compile(
    rf"\d[{SPACES}]*(?P<scale>{_word_alternation(list(_SCALE_WORDS))})(?!\w)", re.I
)


def _share_units(text: str, lang: str, figures: list[Figure]) -> list[Figure]:
    """ "van 3.629 naar 19.855 eenheden": the first number takes the unit of the second, and
    its scale word too ("entre 3 et 4 millions d'euros", "between 2 and 3 million cars")."""
    shared = list(figures)
    for index in range(len(shared) - 2, -1, -1):
        current, following = shared[index], shared[index + 1]
        if current.unit is not None or following.unit is None:
            continue
        between = text[current.end : following.start]
        if len(between) > 24 or not _LINK.match(between):
            continue
        value = current.value
        if current.text[-1:].isdigit() and (scale := _SCALE_IN.search(following.text)):
            scaled = value * scale_value(scale.group("scale"), lang)
            if following.value and 0.01 <= scaled / following.value <= 100:
                value = scaled  # not "from 500,000 to 1.2 million"
        shared[index] = Figure(current.text, value, following.unit, current.start, current.end)
    return shared
