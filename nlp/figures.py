"""Locale-aware quantities in text: value, unit, scale; not years, dates or model names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from text_to_num import alpha2digit

from nlp.lexicon import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    GLUED_SCALES,
    LABEL_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    PERCENT_WORDS,
    POINT_WORDS,
    SCALES,
    UNIT_WORDS,
)

# Languages writing a decimal comma; everything else writes a decimal point.
DECIMAL_COMMA_LANGS = frozenset({"nl", "fr", "de", "es", "it", "pt", "da", "sv", "nb", "pl"})
SPACES = " \u00a0\u202f\u2009"


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
    r"(?P<num>(?>\d{1,3}(?:[.,\u00a0\u202f\u2009 ]\d{3})+|\d+)(?:[.,]\d+)?+)"
    r"(?P<glued>[kKmMbB]n?\b)?"
    r"(?![\w.,]\d|[:/]\d|-?\w)"  # not followed by digits, letters (ordinals, T1) or more code
)


def _word_alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


_MONTH_WORDS = _word_alternation(list(MONTHS))
_MONTH_ABBR = _word_alternation(list(MONTH_ABBREVIATIONS))
_SCALE_AFTER = re.compile(rf"^[{SPACES}]*(?P<scale>{_word_alternation(list(SCALES))})(?!\w)", re.I)
_PERCENT_AFTER = re.compile(
    rf"^[{SPACES}]*(?P<pct>{_word_alternation(list(POINT_WORDS))}|{_word_alternation(list(PERCENT_WORDS))})(?!\w)",
    re.I,
)
_CURRENCY_AFTER = re.compile(
    rf"^[{SPACES}]*(?:d['’]|de\s+)?(?P<cur>[€$£¥]|{_word_alternation(list(CURRENCY_WORDS))})(?!\w)",
    re.I,
)
_CURRENCY_BEFORE = re.compile(
    rf"(?P<cur>[€$£¥]|\b(?:EUR|USD|GBP|CNY|RMB|CHF|JPY|US\$))[{SPACES}]?$"
)
_UNIT_AFTER = re.compile(
    # "28.232 auto's", "5 millions d'unités", "1.312 nieuwe wagens" (one word may come between)
    rf"^[{SPACES}]*(?:d['’]|de\s+|van\s+|an\s+|of\s+)?(?:[a-zà-ÿ]{{3,}}[{SPACES}]+)?"
    rf"(?P<unit>{_word_alternation(list(UNIT_WORDS))})(?!\w)",
    re.I,
)
_DATE_AFTER = re.compile(rf"^[{SPACES}]*(?:{_MONTH_WORDS}|(?:{_MONTH_ABBR})\.)(?!\w)", re.I)
_DATE_BEFORE = re.compile(rf"(?:{_MONTH_WORDS})[{SPACES}]*$", re.I)
_TIME_AFTER = re.compile(rf"^[{SPACES}]*(?:uur|heures?|uhr|h\b|a\.m\.|p\.m\.|am\b|pm\b)", re.I)
_PREVIOUS_WORD = re.compile(rf"(?P<word>[\w°'’]+)[.]?[{SPACES}]*$")
_PHONE = re.compile(
    r"(?:\+\d{1,3}[\s.\-]?(?:\(0\)\s?)?\d{1,4}(?:[\s.\-]\d{2,4}){2,4})"
    r"|(?<![\d.,])0\d{1,3}[\-/ ]\d{5,8}(?!\d)"
    r"|(?<![\d.,])0\d{1,3}(?:[ ]\d{2,3}){3,4}(?!\d)"
)
_YEAR = re.compile(r"(?:1[89]|20|21)\d{2}")
SINGULAR_ARTICLES = frozenset({"la", "le", "La", "Le", "het", "Het", "das", "Das"})


def parse_number(raw: str, lang: str) -> float:
    """Parse a number written in `lang`'s conventions (grouping and decimal marks)."""
    text = raw.replace("−", "-")
    for space in SPACES:
        text = text.replace(space, "")
    decimal = "," if lang in DECIMAL_COMMA_LANGS else "."
    group = "." if decimal == "," else ","
    if decimal in text:
        whole, _, fraction = text.rpartition(decimal)
        if decimal == "," and group not in whole and len(fraction) == 3 and "," in whole:
            raise ValueError(f"ambiguous number {raw!r}")
        whole = whole.replace(group, "")
        if not whole.replace("-", "").isdigit() and whole not in ("", "-"):
            raise ValueError(f"not a number: {raw!r}")
        return float(f"{whole or 0}.{fraction}")
    if group in text:
        parts = text.split(group)
        if all(len(part) == 3 for part in parts[1:]):
            return float("".join(parts))
        # A lone group mark not followed by three digits is a decimal mark in practice.
        if len(parts) == 2:
            return float(f"{parts[0]}.{parts[1]}")
        raise ValueError(f"not a number: {raw!r}")
    return float(text)


def _masked_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _PHONE.finditer(text)]


def _is_label(text: str, start: int) -> bool:
    """True when the word before the number makes it a label ("phase 3.0", "Peugeot 3008")."""
    match = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    if not match:
        return False
    word = re.split(r"['’]", match.group("word"))[-1]  # "l'Omoda 5" -> "Omoda"
    if word.lower() in LABEL_WORDS:
        return True
    # A singular article before a bare number names a model ("la 208", "het 3008").
    if word in SINGULAR_ARTICLES:
        return True
    # A capitalised word straight before a bare number names a model ("Jaecoo 7", "Peugeot
    # 3008"), unless that word starts the sentence.
    before = text[: match.start()].rstrip(SPACES)
    sentence_start = not before or before[-1] in '.!?:;\n"«“(–—'
    return (word[:1].isupper() or word.isupper()) and not sentence_start and word.isalpha()


def find_figures(text: str, lang: str) -> list[Figure]:
    """All quantities in `text`, read with `lang`'s number conventions."""
    masked = _masked_spans(text)
    figures: list[Figure] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if any(m_start <= start < m_end for m_start, m_end in masked):
            continue
        raw = match.group("num")
        try:
            value = parse_number(raw, lang)
        except ValueError:
            continue
        if match.group("sign") in ("-", "−"):
            value = -value
        tail = text[end : end + 60]
        head = text[max(0, start - 12) : start]
        unit: str | None = None
        scale = 1.0
        glued = match.group("glued")
        if glued:
            scale = GLUED_SCALES.get(glued.lower(), 0.0)
            if not scale:
                continue
        if scale == 1.0 and (m := _SCALE_AFTER.match(tail)):
            scale = SCALES[m.group("scale").lower()]
            end += m.end()
            tail = text[end : end + 60]
        if m := _PERCENT_AFTER.match(tail):
            word = m.group("pct").lower()
            is_points = any(cue in word for cue in ("punt", "point", "punkt"))
            unit = "percentage_points" if is_points else "percent"
            end += m.end()
        elif m := _CURRENCY_AFTER.match(tail):
            word = m.group("cur")
            unit = CURRENCY_SYMBOLS.get(word) or CURRENCY_WORDS.get(word.lower())
            end += m.end()
        elif m := _CURRENCY_BEFORE.search(head):
            unit = CURRENCY_SYMBOLS.get(m.group("cur")) or m.group("cur").replace("US$", "USD")
            start -= len(m.group(0))
        elif m := _UNIT_AFTER.match(tail):
            unit = UNIT_WORDS[m.group("unit").lower()]
            end += m.end()
        bare = unit is None and scale == 1.0
        if bare and _excluded_bare_number(text, match.start(), match.end(), raw):
            continue
        figures.append(Figure(text[start:end].strip(), value * scale, unit, start, end))
    figures.extend(_word_figures(text, lang, figures))
    return _share_units(text, sorted(figures, key=lambda figure: figure.start))


_TOKENS = re.compile(r"\s+|[^\s]+")
# Number words text2num reads in each language.
TEXT2NUM_LANGS = frozenset({"nl", "fr", "de", "en", "es", "it", "pt", "da"})


def _word_figures(text: str, lang: str, found: list[Figure]) -> list[Figure]:
    """Quantities written in words ("drie fabrieken", "zwei Millionen Autos"): only with a
    unit, a percent sign or a currency after them, and not "one"/"een"/"un" (articles)."""
    if lang not in TEXT2NUM_LANGS:
        return []
    original = _TOKENS.findall(text)
    converted = _TOKENS.findall(alpha2digit(text, lang, threshold=0))
    offsets = [0]
    for token in original:
        offsets.append(offsets[-1] + len(token))
    taken = [(figure.start, figure.end) for figure in found]
    figures: list[Figure] = []
    for i1, i2, replacement in _replacements(original, converted):
        if not replacement.isdigit():
            continue
        start, end = offsets[i1], offsets[i2]
        words = text[start:end]
        if any(char.isdigit() for char in words) or all(
            word.lower() in SCALES for word in words.split()
        ):
            continue
        value = float(replacement)
        unit, unit_end = _unit_after(text, end)
        if value < 2 or unit is None:
            continue
        if any(s < unit_end and start < e for s, e in taken):
            continue
        figures.append(Figure(text[start:unit_end], value, unit, start, unit_end))
    return figures


def _replacements(original: list[str], converted: list[str]) -> Iterator[tuple[int, int, str]]:
    """(first, end, new token): runs of `original` tokens that text2num wrote as one token.
    Everything else is copied unchanged, so the two lists align by walking them together."""
    i = j = 0
    while i < len(original) and j < len(converted):
        if original[i] == converted[j]:
            i += 1
            j += 1
            continue
        following = converted[j + 1 : j + 3]
        for end in range(i + 1, min(len(original), i + 40) + 1):
            if original[end : end + len(following)] == following:
                yield i, end, converted[j]
                i, j = end, j + 1
                break
        else:
            return


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    tail = text[end : end + 60]
    if m := _PERCENT_AFTER.match(tail):
        word = m.group("pct").lower()
        points = any(cue in word for cue in ("punt", "point", "punkt"))
        return ("percentage_points" if points else "percent"), end + m.end()
    if m := _CURRENCY_AFTER.match(tail):
        word = m.group("cur")
        return CURRENCY_SYMBOLS.get(word) or CURRENCY_WORDS.get(word.lower()), end + m.end()
    if m := _UNIT_AFTER.match(tail):
        return UNIT_WORDS[m.group("unit").lower()], end + m.end()
    return None, end


def _excluded_bare_number(text: str, start: int, end: int, raw: str) -> bool:
    """Years, dates, times, labels and model names are not quantities."""
    if _YEAR.fullmatch(raw):
        return True
    tail = text[end : end + 20]
    head = text[max(0, start - 20) : start]
    if _DATE_AFTER.match(tail) or _TIME_AFTER.match(tail):
        return True
    if raw.isdigit() and len(raw) <= 4 and _DATE_BEFORE.search(head):
        return True
    return _is_label(text, start)


_LINK = re.compile(
    r"^[\s,]*(?:tot(?:\s+en\s+met)?|naar|en|à|a|et|jusqu['’]à|bis|auf|und|to|and|-|–)[\s]*$", re.I
)


def _share_units(text: str, figures: list[Figure]) -> list[Figure]:
    """ "van 3.629 naar 19.855 eenheden": the first number takes the unit of the second."""
    shared = list(figures)
    for index in range(len(shared) - 2, -1, -1):
        current, following = shared[index], shared[index + 1]
        if current.unit is None and following.unit is not None:
            between = text[current.end : following.start]
            if len(between) <= 12 and _LINK.match(between):
                shared[index] = Figure(
                    current.text, current.value, following.unit, current.start, current.end
                )
    return shared
