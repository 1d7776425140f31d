"""Language identification: a function-word screen for text plainly in its declared
language, seeded langdetect (with the declared language as evidence) for the rest, and
per-paragraph languages for pages that mix languages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import langdetect
from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from nlp.stopwords import stop_words

UNDETERMINED = "und"
# Fewer letters than this is too little text to classify.
MIN_LETTERS = 25
# A detection below this probability is ambiguous unless the declared language supports it.
MIN_CONFIDENCE = 0.7
# A declared language wins when the detector gives it at least this probability.
DECLARED_SUPPORT = 0.2
# A paragraph gets its own language only when it is this long and detected this surely ...
PARAGRAPH_MIN_LETTERS = 60
PARAGRAPH_MIN_CONFIDENCE = 0.95
# ... and a run of paragraphs in another language than the page's must be this long.
MIN_RUN_LETTERS = 150

# A paragraph is taken to be in the page's language without asking langdetect when, against
# every other screened language, it has at least SCREEN_MIN_HITS stop words (spaCy's lists)
# that only the page's language lists, and SCREEN_MARGIN times more of them than words only
# the other language lists. Everything else is classified by langdetect, as are the
# paragraphs of pages in unscreened languages.
SCREENED = (
    "af", "ca", "cs", "da", "de", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "id",
    "is", "it", "la", "lt", "lv", "nb", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "tr",
)  # fmt: skip
SCREEN_MIN_HITS = 2
SCREEN_MARGIN = 3
# Words of two letters or more: single letters (the "l" and "d" of French elisions, the
# "t" and "s" of English contractions, initials, list labels) are in the stop-word lists
# of many languages and tell none of them apart.
_WORD = re.compile(r"[^\W\d_]{2,}")

# Seeded once so that the same text always gets the same answer.
DetectorFactory.seed = 0


@dataclass(frozen=True)
class LanguageGuess:
    """A language code (ISO 639-1, or "und") and the probability behind it."""

    lang: str
    confidence: float


@dataclass(frozen=True)
class LanguageSpan:
    """A stretch of the text (character offsets, end exclusive) in one language."""

    start: int
    end: int
    lang: str
    confidence: float

    def as_json(self) -> dict[str, object]:
        """The span as stored in `articles.language_spans`."""
        return {
            "start": self.start,
            "end": self.end,
            "lang": self.lang,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class LanguageReport:
    """Detected, declared and final language of a text, and its language spans."""

    lang: str
    confidence: float
    detected: str
    detected_confidence: float
    declared: str | None
    spans: list[LanguageSpan] = field(default_factory=list)

    @property
    def mixed(self) -> bool:
        """True when paragraphs in more than one language were found."""
        return len({span.lang for span in self.spans}) > 1


def normalise_declared(declared: str | None) -> str | None:
    """'nl-BE', 'fr_FR' -> 'nl', 'fr'; empty or malformed -> None."""
    if not declared:
        return None
    code = declared.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


@cache
def known_languages() -> frozenset[str]:
    """The language codes langdetect tells apart (ISO 639-1, and zh-cn / zh-tw): the codes
    an article's language can have, besides "und"."""
    profiles = Path(langdetect.__file__).parent / "profiles"
    return frozenset(profile.name for profile in profiles.iterdir())


def language_code(value: str) -> str | None:
    """`value` as a known language code ("NL", " fr " -> "nl", "fr"); None when unknown."""
    code = value.strip().lower().replace("_", "-")
    return code if code in known_languages() else None


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _candidates(text: str, min_letters: int | None = None) -> list[LanguageGuess]:
    """langdetect's languages for `text`, most probable first; empty when too short."""
    if _letters(text) < (MIN_LETTERS if min_letters is None else min_letters):
        return []
    try:
        return [LanguageGuess(c.lang, round(c.prob, 4)) for c in detect_langs(text)]
    except LangDetectException:
        return []


def _decide(candidates: list[LanguageGuess], declared: str | None) -> LanguageGuess:
    """The final language: the declared one when the text supports it, else the detected
    one when it is sure enough, else undetermined."""
    if not candidates:
        return LanguageGuess(UNDETERMINED, 0.0)
    for candidate in candidates:
        if candidate.lang == declared and candidate.confidence >= DECLARED_SUPPORT:
            return candidate
    best = candidates[0]
    return best if best.confidence >= MIN_CONFIDENCE else LanguageGuess(UNDETERMINED, 0.0)


def _screened(text: str, declared: str | None) -> list[LanguageGuess]:
    """The declared language, with certainty, when the screen vouches for it on the whole
    text; else nothing."""
    if declared is None or _letters(text) < MIN_LETTERS or not looks_like(text, declared):
        return []
    return [LanguageGuess(declared, 1.0)]


def detect_language(text: str, declared: str | None = None) -> LanguageGuess:
    """The language of `text`, with the declared language as evidence; "und" for text too
    short or too ambiguous to classify."""
    report = identify(text, declared)
    return LanguageGuess(report.lang, report.confidence)


def identify(text: str, declared: str | None = None) -> LanguageReport:
    """Detected, declared and final language of `text`, with per-paragraph spans.

    A text whose function words plainly are those of its declared language is taken to be
    in it, with confidence 1.0; any other text goes to langdetect."""
    declared_lang = normalise_declared(declared)
    candidates = _screened(text, declared_lang) or _candidates(text)
    detected = candidates[0] if candidates else LanguageGuess(UNDETERMINED, 0.0)
    final = _decide(candidates, declared_lang)
    spans = paragraph_spans(text, final) if len(_paragraphs(text)) > 1 else []
    if len({span.lang for span in spans}) > 1:
        final = _majority(text, spans)
    else:
        spans = [LanguageSpan(0, len(text), final.lang, final.confidence)]
    return LanguageReport(
        final.lang, final.confidence, detected.lang, detected.confidence, declared_lang, spans
    )


def _majority(text: str, spans: list[LanguageSpan]) -> LanguageGuess:
    """The language most of the letters are in, with its share of the letters."""
    letters: dict[str, int] = {}
    for span in spans:
        letters[span.lang] = letters.get(span.lang, 0) + _letters(text[span.start : span.end])
    lang = max(letters, key=lambda code: letters[code])
    return LanguageGuess(lang, round(letters[lang] / max(1, sum(letters.values())), 4))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line; together with the gaps they tile the text."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


@cache
def _stop_words() -> dict[str, frozenset[str]]:
    """spaCy's stop words of each screened language."""
    return {code: stop_words(code) for code in SCREENED}


@cache
def _contrasts(lang: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Against each other screened language: (words only `lang` lists, words only the other
    lists)."""
    lists = _stop_words()
    own = lists[lang]
    return [(own - other, other - own) for code, other in lists.items() if code != lang]


def looks_like(chunk: str, lang: str) -> bool:
    """True when the function words of `chunk` clearly point to `lang` (a screened
    language): against every other screened language, the words only `lang` lists
    outnumber the words only the other lists. False means "ask langdetect", not "another
    language"."""
    if lang not in SCREENED:
        return False
    counts = Counter(_WORD.findall(chunk.casefold()))
    present = set(counts)
    for only_mine, only_theirs in _contrasts(lang):
        mine = sum(counts[word] for word in present & only_mine)
        if mine < SCREEN_MIN_HITS or mine < SCREEN_MARGIN * sum(
            counts[word] for word in present & only_theirs
        ):
            return False
    return True


def _paragraph_guess(chunk: str, page: LanguageGuess) -> LanguageGuess | None:
    """The language of one paragraph when it can be told surely, else None."""
    if _letters(chunk) < PARAGRAPH_MIN_LETTERS:
        return None
    found = _candidates(chunk)
    return found[0] if found and found[0].confidence >= PARAGRAPH_MIN_CONFIDENCE else None


def _guesses(
    text: str, paragraphs: list[tuple[int, int]], page: LanguageGuess
) -> list[LanguageGuess | None]:
    """Each paragraph's language when it can be told, else None. Paragraphs the screen
    vouches for take the page's language. The others are run through langdetect only where
    they could make a run in another language: a stretch of unvouched paragraphs with fewer
    than MIN_RUN_LETTERS letters in all would take the page's language whatever they are
    found to be, so its paragraphs take it at once."""
    chunks = [text[start:end] for start, end in paragraphs]
    letters = [_letters(chunk) for chunk in chunks]
    vouched = [
        count >= PARAGRAPH_MIN_LETTERS and looks_like(chunk, page.lang)
        for chunk, count in zip(chunks, letters, strict=True)
    ]
    guesses: list[LanguageGuess | None] = [page if ok else None for ok in vouched]
    for first, last in _unvouched_stretches(vouched):
        if sum(letters[first:last]) < MIN_RUN_LETTERS:
            guesses[first:last] = [page] * (last - first)
        else:
            guesses[first:last] = [_paragraph_guess(chunk, page) for chunk in chunks[first:last]]
    return guesses


def _unvouched_stretches(vouched: list[bool]) -> Iterator[tuple[int, int]]:
    """(first, end) index ranges of consecutive paragraphs the screen did not vouch for."""
    first: int | None = None
    for index, ok in enumerate([*vouched, True]):
        if not ok and first is None:
            first = index
        elif ok and first is not None:
            yield first, index
            first = None


def paragraph_spans(text: str, page: LanguageGuess) -> list[LanguageSpan]:
    """Runs of paragraphs in the same language, covering the whole text. Paragraphs too short
    or too uncertain to classify, and short runs in another language, take the page's.
    Paragraphs whose function words are plainly the page's, and stretches too short to
    make a run in another language, are not run through langdetect (see `_guesses`)."""
    paragraphs = _paragraphs(text)
    guesses = _guesses(text, paragraphs, page)
    filled = [
        guess or _between(text[start:end], guesses[:index], guesses[index + 1 :], page)
        for index, ((start, end), guess) in enumerate(zip(paragraphs, guesses, strict=True))
    ]
    runs = _runs(text, paragraphs, filled)
    kept = [
        (start, end, guess if guess.lang == page.lang or letters >= MIN_RUN_LETTERS else page)
        for start, end, guess, letters in runs
    ]
    spans: list[LanguageSpan] = []
    for start, _end, guess in kept:
        if spans and spans[-1].lang == guess.lang:
            continue
        if spans:
            spans[-1] = LanguageSpan(spans[-1].start, start, spans[-1].lang, spans[-1].confidence)
        spans.append(LanguageSpan(start, len(text), guess.lang, guess.confidence))
    if not spans:
        return [LanguageSpan(0, len(text), page.lang, page.confidence)]
    spans[0] = LanguageSpan(0, spans[0].end, spans[0].lang, spans[0].confidence)
    return spans


def _between(
    chunk: str,
    before: list[LanguageGuess | None],
    after: list[LanguageGuess | None],
    page: LanguageGuess,
) -> LanguageGuess:
    """The language of an unclassified paragraph: that of its neighbours, and when they
    differ, the one the detector prefers for it (a heading goes with the text it heads)."""
    previous = next((guess for guess in reversed(before) if guess), None)
    following = next((guess for guess in after if guess), None)
    options = [guess for guess in (previous, following) if guess]
    if not options:
        return page
    if len({option.lang for option in options}) == 1:
        return options[0]
    for candidate in _candidates(chunk, min_letters=10):
        for option in options:
            if option.lang == candidate.lang:
                return option
    return options[0]


def _runs(
    text: str, paragraphs: list[tuple[int, int]], guesses: list[LanguageGuess]
) -> list[tuple[int, int, LanguageGuess, int]]:
    """Consecutive paragraphs with the same language: (start, end, guess, letters)."""
    runs: list[tuple[int, int, LanguageGuess, int]] = []
    for (start, end), guess in zip(paragraphs, guesses, strict=True):
        letters = _letters(text[start:end])
        if runs and runs[-1][2].lang == guess.lang:
            first, _, kept, total = runs[-1]
            best = kept if kept.confidence >= guess.confidence else guess
            runs[-1] = (first, end, best, total + letters)
        else:
            runs.append((start, end, guess, letters))
    return runs
