"""How a figure is meant: a level that happened, a change (with its sign), a target, a
forecast, a running total, or a threshold that is no fact at all (nl, fr, de, en)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.figures import Figure
from nlp.metrics import compile_cues

PERCENT_UNITS = frozenset({"percent", "percentage_points"})

# Goal nouns: the figure is a target whatever the tense ("l'objectif de 2 millions").
STRONG_TARGET = compile_cues(
    (
        "doel",
        "ambitie",
        "streeft",
        "mikt",
        "mikken",
        "objectif",
        "ambition",
        "vise",
        "viser",
        "table sur",
        "tablent sur",
        "ziel",
        "absatzziel",
        "anpeil",
        "angepeilt",
        "target",
        "goal",
        "aims",
        "aiming",
    )
)
# Intentions: a target only when the figure's period has not passed yet.
WEAK_TARGET = compile_cues(
    (
        "wil ",
        "willen",
        "moet",
        "plannen",
        "planen",
        "zal ",
        "zullen",
        "gaat ",
        "prévoit",
        "entend",
        "veut",
        "va ",
        "vont ",
        "will ",
        "wollen",
        "soll",
        "plans",
        "planned",
        "intends",
        "wants",
        "is set to",
        "are set to",
    )
)
FORECAST = compile_cues(
    (
        "verwacht",
        "prognose",
        "raming",
        "prévision",
        "s'attend",
        "s’attend",
        "devrait",
        "devraient",
        "erwartet",
        "erwartung",
        "prognos",
        "forecast",
        "expects",
        "expected",
        "projected",
        "estimate",
        "anticipate",
        # hypothetical
        "könnte",
        "could",
        "pourrait",
        "pourraient",
        "zou ",
        "zouden",
        "might",
    )
)
CUMULATIVE = compile_cues(
    (
        "in totaal",
        "cumulatief",
        "au total",
        "cumul",
        "insgesamt",
        "kumuliert",
        "in total",
        "cumulative",
        "bis ende",
        "depuis sa création",
        "depuis son lancement",
        "since its launch",
        "since launch",
        "seit marktstart",
        "sinds de lancering",
    )
)
_UP = (
    "stijging",
    "steeg",
    "gestegen",
    "groei",
    "gegroeid",
    "toename",
    "toegenomen",
    "verdubbel",
    "augmentation",
    "augment",
    "hausse",
    "progress",
    "bondi",
    "croissance",
    "grimp",
    "zuwachs",
    "stieg",
    "gestiegen",
    "wuchs",
    "gewachsen",
    "zugelegt",
    "anstieg",
    "steiger",
    "plus von",
    "ein plus",
    "increase",
    "rise",
    "rose",
    "risen",
    "growth",
    "grew",
    "jump",
    "surge",
    "gain",
    "climb",
    "up ",
)
_DOWN = (
    "daling",
    "daalde",
    "gedaald",
    "kromp",
    "gekrompen",
    "afname",
    "afgenomen",
    "kelder",
    "terugval",
    "teruggelopen",
    "baisse",
    "recul",
    "chute",
    "chuté",
    "diminu",
    "repli",
    "sank",
    "gesunken",
    "rückgang",
    "rückläufig",
    "minus",
    "gefallen",
    "fiel",
    "verringer",
    "eingebrochen",
    "einbruch",
    "decline",
    "declin",
    "fell",
    "fall",
    "drop",
    "down ",
    "decrease",
    "slump",
    "dipped",
    "dip ",
    "lost",
    "perdu",
    "zurück",
    "terug",
)
_NEUTRAL = (
    "meer dan een jaar",
    "ten opzichte van",
    "op jaarbasis",
    "vergeleken met",
    "in vergelijking met",
    "glissement annuel",
    "sur un an",
    "par rapport",
    "gegenüber",
    "vorjahr",
    "im vergleich",
    "year on year",
    "year-on-year",
    "year-over-year",
    "y-o-y",
    "yoy",
    "compared",
    "annual rate",
)
UP = compile_cues(_UP)
DOWN = compile_cues(_DOWN)
CHANGE = compile_cues(_UP + _DOWN + _NEUTRAL)
# "12 % de plus", "30.000 meer", "2,45 Prozent weniger": a difference.
COMPARATIVE_AFTER = re.compile(
    r"\s*(?:(?P<up>mehr|höher|meer|hoger|more|higher|de\s+plus|en\s+plus)|"
    r"(?P<down>weniger|niedriger|minder|lager|less|fewer|lower|de\s+moins|en\s+moins))\b",
    re.I,
)
# "um 13.000 Einheiten zurück", "met 1.200 gestegen", "by 5,000 units": the size of a change.
BY_BEFORE = re.compile(
    r"(?:\b(?:um|by|met)\s+(?:\w+\s+){0,2}|\b(?:hausse|baisse|augmentation|progression|"
    r"recul|croissance|diminution|toename|stijging|daling|groei|afname)\s+(?:de|d['’]|van)\s+"
    r"(?:\w+\s+){0,1})$",
    re.I,
)
# "auf 244.622", "to 40,687", "à 12 929", "tot 1,1", "naar 19.855": the level reached.
TO_BEFORE = re.compile(
    r"(?:\b(?:auf|to|à|naar|tot|at|sur|atteignant|reaching|bei)\s+(?:\w+\s+){0,2}|:\s*)$", re.I
)
GAP = compile_cues(
    (
        "trennen",
        "trennt",
        "abstand",
        "écart",
        "verschil",
        "kloof",
        "voorsprong",
        "avance de",
        "vorsprung",
        "lead of",
        "a lead",
        "the lead",
        "gap",
        "difference",
    )
)
# "la barre des 200 000", "the 20,000 mark", "die Marke von fünf Millionen geknackt".
_THRESHOLD_BEFORE = re.compile(
    r"(?:\b(?:barre|cap|seuil|grens|drempel|kaap|schwelle|hürde|milestone|threshold)"
    r"(?:\s+(?:des?|du|d['’]|van|von|of|der))?|\bmarke\s+von|\bmark\s+of)\s+(?:\w+\s+){0,1}$",
    re.I,
)
# "dépassé le million", "passed 500,000": a milestone when the number is a round one.
_PASSED_BEFORE = re.compile(
    r"\b(?:dépass\w*|surpass\w*|exceed\w*|overschr\w*|überschr\w*|geknackt|franchi\w*|"
    r"topped|passed|passé)(?:\s+(?:le|la|les|the|de|het|die|den))?\s+(?:\w+\s+){0,1}$",
    re.I,
)
_THRESHOLD_AFTER = re.compile(r"^\s*(?:-\s*)?(?:mark|milestone|barrier|marke)\b", re.I)


@dataclass(frozen=True)
class Reading:
    """What a figure is: qualifier (actual, change, target, forecast, cumulative) and the
    sign a change or a loss carries."""

    qualifier: str
    sign: int = 1


def is_threshold(text: str, figure: Figure) -> bool:
    """ "la barre des 200.000", "surpassed the 20,000 mark", "a dépassé le million": a
    threshold, not a level ("dépassait les 16,7 millions" is a level)."""
    before = text[max(0, figure.start - 40) : figure.start]
    after = text[figure.end : figure.end + 20]
    if _THRESHOLD_BEFORE.search(before) or _THRESHOLD_AFTER.match(after):
        return True
    return bool(_PASSED_BEFORE.search(before)) and _round(figure.value)


def _round(value: float) -> bool:
    """Whether a number has one significant digit (1 000 000, 200 000, 5 000)."""
    if value <= 0 or not float(value).is_integer():
        return False
    digits = str(int(value)).rstrip("0")
    return len(digits) == 1


def _direction(text: str, start: int, end: int, figure: Figure) -> int:
    """-1 when the nearest change word in text[start:end] says the figure went down."""
    nearest: tuple[int, int] | None = None
    for pattern, sign in ((UP, 1), (DOWN, -1)):
        for match in pattern.finditer(text, start, end):
            distance = max(match.start() - figure.end, figure.start - match.end(), 0)
            if nearest is None or distance < nearest[0]:
                nearest = (distance, sign)
    return nearest[1] if nearest else 1


def change_reading(
    text: str, figure: Figure, start: int, end: int, governed: bool
) -> Reading | None:
    """A change, with its sign, when the figure measures one; `governed` tells that a
    share or level cue governs a percentage ("marktaandeel van 4,2 procent")."""
    comparative = COMPARATIVE_AFTER.match(text, figure.end, end)
    if comparative:
        return Reading("change", -1 if comparative.group("down") else 1)
    if figure.text[:1] in "+-−":
        return Reading("change", -1 if figure.text[:1] in "-−" else 1)
    if figure.unit == "percentage_points":
        return Reading("change", _direction(text, start, end, figure))
    before = text[max(start, figure.start - 40) : figure.start]
    if figure.unit in PERCENT_UNITS:
        if governed or TO_BEFORE.search(before):
            return None
        if CHANGE.search(text, max(start, figure.start - 90), min(end, figure.end + 60)):
            return Reading("change", _direction(text, start, end, figure))
        return None
    if GAP.search(text, max(start, figure.start - 60), min(end, figure.end + 30)):
        return Reading("change", 1)
    if BY_BEFORE.search(before) and not TO_BEFORE.search(before):
        cue_before = CHANGE.search(text, max(start, figure.start - 40), figure.start)
        cue_after = CHANGE.search(text, figure.end, min(end, figure.end + 40))
        if cue_before or cue_after:
            return Reading("change", _direction(text, start, end, figure))
    return None


def intent(text: str, figure: Figure, start: int, past: bool) -> str | None:
    """ "target" or "forecast" when a cue before the figure in its clause says so; weak
    intentions ("will", "wil") only count when the figure's period has not passed."""
    window_start = max(start, figure.start - 90)
    if STRONG_TARGET.search(text, window_start, figure.start):
        return "target"
    if past:
        return None
    if FORECAST.search(text, window_start, figure.start):
        return "forecast"
    if WEAK_TARGET.search(text, window_start, figure.start):
        return "target"
    return None


def is_cumulative(text: str, figure: Figure, start: int, end: int) -> bool:
    """Whether a running-total cue ("in totaal", "au total", "insgesamt") is near."""
    return bool(CUMULATIVE.search(text, max(start, figure.start - 90), min(end, figure.end + 60)))
