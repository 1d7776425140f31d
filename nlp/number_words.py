"""Numbers written in words ("tweehonderd", "une centaine", "half a million"): where they
are and what they are worth. Whether one is a quantity is for `nlp.figures` to decide."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from text_to_num import alpha2digit

from nlp.lexicon import APPROXIMATE_NUMBERS, HALF_WORDS, SCALES, VAGUE_SCALE_WORDS

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


_SINGULAR_SCALES = [word for word in SCALES if word.isalpha() and word not in VAGUE_SCALE_WORDS]
# "half a million", "een half miljoen", "eine halbe Million", "un demi-million", "anderhalf miljoen"
_HALF_SCALE = re.compile(
    rf"(?<!\w)(?:(?:a|een|ein|eine|un|une|one)\s+)?(?P<half>{_alternation(list(HALF_WORDS))})"
    rf"(?:\s+a)?[\s-]*(?P<scale>{_alternation(_SINGULAR_SCALES)})(?!\w)",
    re.I,
)
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
    phrases = list(_phrase_numbers(text))
    taken = [(words.start, words.end) for words in phrases]
    found = phrases + [
        words
        for words in _text2num_numbers(text, lang)
        if not any(start < words.end and words.start < end for start, end in taken)
    ]
    return sorted(found, key=lambda words: words.start)


def _phrase_numbers(text: str) -> Iterator[NumberWords]:
    """Halves of a scale and approximate counts, which text2num does not read."""
    lowered = text.lower()
    if any(word in lowered for word in HALF_WORDS):
        yield from _halves(text)
    if any(word in lowered for word in APPROXIMATE_NUMBERS):
        yield from _approximations(text)


def _halves(text: str) -> Iterator[NumberWords]:
    for match in _HALF_SCALE.finditer(text):
        half = HALF_WORDS[match.group("half").lower()]
        yield NumberWords(match.start(), match.end(), half * SCALES[match.group("scale").lower()])


def _approximations(text: str) -> Iterator[NumberWords]:
    for match in _APPROXIMATE.finditer(text):
        word = match.group("word").lower()
        if word.endswith("aine") and not _FRENCH_OF.match(text, match.end()):
            continue
        yield NumberWords(match.start(), match.end(), APPROXIMATE_NUMBERS[word])


def _text2num_numbers(text: str, lang: str) -> Iterator[NumberWords]:
    if lang not in TEXT2NUM_LANGS:
        return
    original = _TOKENS.findall(text)
    converted = _TOKENS.findall(alpha2digit(text, lang, threshold=0))
    offsets = [0, *accumulate(map(len, original))]
    for first, last, replacement in _replacements(original, converted):
        start, end = offsets[first], offsets[last]
        # Punctuation around the words stays as written ("drie," -> "3,"); a mark that
        # text2num adds ("dritte" -> "3.") makes an ordinal.
        lead = len(replacement) - len(replacement.lstrip(_EDGE_PUNCTUATION))
        trail = len(replacement) - len(replacement.rstrip(_EDGE_PUNCTUATION))
        digits = replacement[lead : len(replacement) - trail]
        words = text[start + lead : end - trail]
        if text[start : start + lead] != replacement[:lead] or (
            trail and text[end - trail : end] != replacement[-trail:]
        ):
            continue
        start, end = start + lead, end - trail
        if not digits.isdigit() or any(char.isdigit() for char in words):
            continue  # an ordinal ("3e", "1st"), or digits with a scale word ("10,7 miljoen")
        if all(word.lower() in VAGUE_SCALE_WORDS for word in words.split()):
            continue  # "thousands of", "Millionen" on their own: no amount
        if words.lower() in SCALES and (article := _ARTICLE_BEFORE.search(text, 0, start)):
            start = article.start()  # "eine Million", "a million": the article is the "one"
        yield NumberWords(start, end, float(digits))


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
