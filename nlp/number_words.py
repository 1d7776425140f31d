"""Numbers written in words ("tweehonderd", "une centaine", "half a million"): where they
are and what they are worth. Whether one is a quantity is for `nlp.figures` to decide."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from text_to_num import alpha2digit

from nlp.lexicon import APPROXIMATE_NUMBERS, HALF_WORDS, LONG_SCALES, SCALES, VAGUE_SCALE_WORDS

# Languages whose number words text2num reads.
TEXT2NUM_LANGS = frozenset({"nl", "fr", "de", "en", "es", "it", "pt", "da"})
_TOKENS = re.compile(r"\s+|[^\s]+")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?"


@dataclass(frozen=True)
class NumberWords:
    """A number written in words: its span in the text and its value."""

    start: int
    end: int
    value: float

    def text_in(self, text: str) -> str:
        """The words as written."""
        return text[self.start : self.end]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_SCALE_WORDS = [word for word in set(SCALES).union(*LONG_SCALES.values()) if word.isalpha()]
# "half a million", "een half miljoen", "eine halbe Million", "un demi-million", "anderthalb
# Millionen", "two and a half billion", "twee en een half miljard"
_HALF_SCALE = re.compile(
    r"(?<!\w)(?:(?P<whole>\d+|[^\W\d_]+)\s+(?:and|en|und)\s+)?"
    rf"(?:(?:a|een|ein|eine|un|une|one)\s+)?(?P<half>{_alternation(list(HALF_WORDS))})"
    rf"(?:\s+a)?[\s-]*(?P<scale>{_alternation(_SCALE_WORDS)})(?!\w)",
    re.I,
)
# "un million et demi", "two million and a half"
_AND_A_HALF = re.compile(r"\s+(?:et\s+demie?|and\s+a\s+half|en\s+een\s+half)(?!\w)", re.I)
# "une centaine d'hectares", "a dozen plants", "een tiental fabrieken", "ein Dutzend Werke"
_APPROXIMATE = re.compile(
    rf"(?<!\w)(?:une|un|a|one|een|ein|eine|la|le|the)\s+"
    rf"(?P<word>{_alternation(list(APPROXIMATE_NUMBERS))})(?!\w)",
    re.I,
)
# French "-aine" counts are approximations only before "de"/"d'" ("une quarantaine de
# salariés"); otherwise they are other words ("la quarantaine", a quarantine).
_FRENCH_OF = re.compile(r"\s*(?:de\s|d['’])", re.I)
_ARTICLE_BEFORE = re.compile(
    r"(?<!\w)(?:a|an|one|een|één|ein|eine|einer|einem|einen|un|une)\s+\Z", re.I
)


def find_number_words(text: str, lang: str) -> list[NumberWords]:
    """Every number written in words, in text order; ordinals are left out."""
    phrases = list(_phrase_numbers(text, lang))
    taken = [(words.start, words.end) for words in phrases]
    found = phrases + [
        words
        for words in _text2num_numbers(text, lang)
        if not any(start < words.end and words.start < end for start, end in taken)
    ]
    return sorted(found, key=lambda words: words.start)


def scale_value(word: str, lang: str) -> float:
    """What a scale word multiplies by in `lang` ("Billion" is 10^12 in German)."""
    word = word.lower()
    return LONG_SCALES.get(lang, {}).get(word) or SCALES[word]


def _phrase_numbers(text: str, lang: str) -> Iterator[NumberWords]:
    """Halves of a scale and approximate counts, which text2num does not read."""
    lowered = text.lower()
    if any(word in lowered for word in HALF_WORDS):
        yield from _halves(text, lang)
    if any(word in lowered for word in APPROXIMATE_NUMBERS):
        yield from _approximations(text)


def _halves(text: str, lang: str) -> Iterator[NumberWords]:
    for match in _HALF_SCALE.finditer(text):
        amount = HALF_WORDS[match.group("half").lower()]
        start = match.start()
        if whole := match.group("whole"):
            value = _whole_number(whole, lang)
            if value is None:  # "sales and half a million cars": the words after "and"
                start = _skip_link(text, match.end("whole"))
            else:
                amount += value
        scale = scale_value(match.group("scale"), lang)
        yield NumberWords(start, match.end(), amount * scale)


def _whole_number(word: str, lang: str) -> float | None:
    """The value of a number in digits or in one word ("two", "twee"), or None."""
    if word.isdigit():
        return float(word)
    if lang not in TEXT2NUM_LANGS:
        return None
    converted = alpha2digit(word, lang, threshold=0)
    return float(converted) if converted.isdigit() else None


_LINK_WORD = re.compile(r"\s+(?:and|en|und)\s+", re.I)


def _skip_link(text: str, end: int) -> int:
    """Where the words after "whole and" start, when "whole" was not a number."""
    match = _LINK_WORD.match(text, end)
    return match.end() if match else end


def _approximations(text: str) -> Iterator[NumberWords]:
    for match in _APPROXIMATE.finditer(text):
        word = match.group("word").lower()
        if word.endswith("aine") and not _FRENCH_OF.match(text, match.end()):
            continue
        yield NumberWords(match.start(), match.end(), APPROXIMATE_NUMBERS[word])


def _text2num_numbers(text: str, lang: str) -> Iterator[NumberWords]:
    """Cardinal numbers that text2num reads, with the article of a lone scale word ("eine
    Million") and a half after it ("un million et demi")."""
    for start, end, digits in _converted_spans(text, lang):
        words = text[start:end]
        if not digits.isdigit() or any(char.isdigit() for char in words):
            continue  # an ordinal ("3e", "1st"), or digits with a scale word ("10,7 miljoen")
        if all(word.lower() in VAGUE_SCALE_WORDS for word in words.split()):
            continue  # "thousands of", "Millionen" on their own: no amount
        if words.lower() in SCALES and (article := _ARTICLE_BEFORE.search(text, 0, start)):
            start = article.start()  # "eine Million", "a million": the article is the "one"
        value = float(digits)
        scale_word = words.split()[-1].lower()
        if scale_word in SCALES and (half := _AND_A_HALF.match(text, end)):
            value += 0.5 * scale_value(scale_word, lang)  # "un million et demi"
            end = half.end()
        yield NumberWords(start, end, value)


def _converted_spans(text: str, lang: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, replacement) of every run of words that text2num rewrote. Punctuation
    around the words stays as written ("drie," -> "3,"); a run where text2num adds a mark
    ("dritte" -> "3.") is an ordinal and is left out."""
    if lang not in TEXT2NUM_LANGS:
        return
    original = _TOKENS.findall(text)
    converted = _TOKENS.findall(alpha2digit(text, lang, threshold=0))
    offsets = [0, *accumulate(map(len, original))]
    for first_token, end_token, replacement in _replacements(original, converted):
        start, end = offsets[first_token], offsets[end_token]
        lead = len(replacement) - len(replacement.lstrip(_EDGE_PUNCTUATION))
        trail = len(replacement) - len(replacement.rstrip(_EDGE_PUNCTUATION))
        if text[start : start + lead] != replacement[:lead] or (
            trail and text[end - trail : end] != replacement[-trail:]
        ):
            continue
        yield start + lead, end - trail, replacement[lead : len(replacement) - trail]


def _replacements(original: list[str], converted: list[str]) -> Iterator[tuple[int, int, str]]:
    """(first, end, new token): runs of `original` tokens that text2num wrote as one token.
    Everything else is copied unchanged, so the two lists align by walking them together."""
    i = j = 0
    length, converted_length = len(original), len(converted)
    while i < length and j < converted_length:
        if original[i] == converted[j]:
            i += 1
            j += 1
            continue
        following = converted[j + 1 : j + 3]
        for end in range(i + 1, min(length, i + 40) + 1):
            if original[end : end + len(following)] == following:
                yield i, end, converted[j]
                i, j = end, j + 1
                break
        else:
            return
