"""Digits as written: grouping and decimal marks per language, per page and per number."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Languages writing a decimal comma; everything else writes a decimal point.
DECIMAL_COMMA_LANGS = frozenset({"nl", "fr", "de", "es", "it", "pt", "da", "sv", "nb", "pl"})
SPACES = " \u00a0\u202f\u2009"

# South Asian grouping: the last three digits, then groups of two ("1,50,812", "10,50,085").
_INDIAN = re.compile(r"-?\d{1,2}(?:,\d{2})+,\d{3}")
# A single mark followed by exactly three digits reads either way: "10,409", "1.214".
_AMBIGUOUS = re.compile(r"-?\d{1,3}[.,]\d{3}")


def decimal_mark(lang: str) -> str:
    """The decimal mark `lang` writes."""
    return "," if lang in DECIMAL_COMMA_LANGS else "."


def proven_decimal_mark(raw: str, amount_follows: bool) -> str | None:
    """The decimal mark a number's shape proves, if any: "1.234,5" and "1.234.567" prove a
    decimal comma; "3,5 %" does too when a percent sign or a scale word follows."""
    marks = [char for char in raw if char in ".,"]
    if not marks:
        return None
    if len(set(marks)) == 2:
        return marks[-1]
    if len(marks) > 1:  # a repeated mark groups thousands: the other one is the decimal mark
        return "." if marks[0] == "," else ","
    fraction = raw.partition(marks[0])[2]
    return marks[0] if amount_follows and len(fraction) <= 2 else None


def page_decimal_mark(proven: Iterable[str | None], lang: str) -> str:
    """The decimal mark the page writes: `lang`'s own, unless the page's numbers prove only
    the other one ("1,234,567" or "3.5 %" in a French text that quotes an English source)."""
    own = decimal_mark(lang)
    marks = set(proven) - {None}
    if len(marks) == 1 and own not in marks:
        return "." if own == "," else ","
    return own


def is_ambiguous(raw: str) -> bool:
    """Whether the number is one mark followed by three digits ("10,409", "1.214")."""
    return _AMBIGUOUS.fullmatch(raw) is not None


def parse_number(raw: str, lang: str, decimal: str | None = None) -> float:
    """Parse a number written in `lang`'s conventions (grouping and decimal marks), or with
    `decimal` as the decimal mark when the page or the context says so."""
    text = raw.replace("−", "-")
    for space in SPACES:
        text = text.replace(space, "")
    if _INDIAN.fullmatch(text):
        return float(text.replace(",", ""))
    decimal = decimal or decimal_mark(lang)
    marks = [char for char in text if char in ".,"]
    if not marks:
        return float(text)
    if len(set(marks)) == 2:  # both marks: the last one is the decimal mark
        last = marks[-1]
        whole, _, fraction = text.rpartition(last)
        return float(_ungrouped(whole, "," if last == "." else ".", raw) + "." + fraction)
    mark = marks[0]
    if len(marks) > 1:  # a repeated mark groups thousands, whatever the language
        return float(_ungrouped(text, mark, raw))
    whole, _, fraction = text.partition(mark)
    if mark != decimal and len(fraction) == 3:
        return float(whole + fraction)
    # The decimal mark; or a lone group mark not followed by three digits, a decimal in practice.
    return float(f"{whole or 0}.{fraction}")


def _ungrouped(text: str, group: str, raw: str) -> str:
    head, *groups = text.split(group)
    if not head.lstrip("-").isdigit() or any(len(part) != 3 for part in groups):
        raise ValueError(f"not a number: {raw!r}")
    return head + "".join(groups)
