"""Language identification: seeded langdetect plus the page's declared language."""

from __future__ import annotations

from dataclasses import dataclass

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

UNDETERMINED = "und"
MIN_LETTERS = 20

# Seeded once so that the same text always gets the same answer.
DetectorFactory.seed = 0


@dataclass(frozen=True)
class LanguageGuess:
    """A language code (ISO 639-1, or "und") and the probability behind it."""

    lang: str
    confidence: float


def normalise_declared(declared: str | None) -> str | None:
    """'nl-BE', 'fr_FR' -> 'nl', 'fr'; empty or malformed -> None."""
    if not declared:
        return None
    code = declared.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def detect_language(text: str, declared: str | None = None) -> LanguageGuess:
    """Detect the language of `text`; a declared language breaks near-ties and covers
    text too short to classify."""
    declared_lang = normalise_declared(declared)
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        if declared_lang:
            return LanguageGuess(declared_lang, 0.5)
        return LanguageGuess(UNDETERMINED, 0.0)
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return LanguageGuess(declared_lang or UNDETERMINED, 0.5 if declared_lang else 0.0)
    best = candidates[0]
    if declared_lang and best.lang != declared_lang:
        for candidate in candidates[1:]:
            if candidate.lang == declared_lang and candidate.prob >= 0.2:
                return LanguageGuess(declared_lang, round(candidate.prob, 4))
    return LanguageGuess(best.lang, round(best.prob, 4))
