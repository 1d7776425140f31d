"""What a number counts: vehicles, people or money of a company, or something else (a
model, countries, a measure), and whether an amount is at the scale of a company's facts."""

from __future__ import annotations

import re
from collections.abc import Collection

from nlp.figures import Figure
from nlp.metrics import find_cues, is_currency

# Money a company-level fact can be: investments, revenue and profit of a million or more,
# the price of a vehicle.
MIN_COMPANY_MONEY = 1_000_000
MIN_PRICE, MAX_PRICE = 1_000, 5_000_000
# Fewer vehicles than this are no company's sales or output, unless per day or per hour.
MIN_VEHICLES = 10

# A bare number followed by a capitalised word counts that model ("35.898 Dokker").
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")
_VEHICLE_ACRONYMS = frozenset(
    [
        "EV",
        "EVs",
        "NEV",
        "NEVs",
        "BEV",
        "BEVs",
        "PHEV",
        "PHEVs",
        "HEV",
        "HEVs",
        "SUV",
        "SUVs",
        "LCV",
        "LCVs",
        "HGV",
        "HGVs",
        "VE",
        "VEs",
        "VP",
        "VUL",
        "Pkw",
        "PKW",
        "Lkw",
        "LKW",
    ]
)
_MODEL_WORDS = ("modelle", "modellen", "modèles", "models")
_VEHICLE_WORD = re.compile(r"\b(?:vehicles?|fahrzeuge\w*|autos?|wagen|cars?)\b", re.I)
_GERMAN_ADJECTIVE = re.compile(r"[a-zäöüß]+(?:e|en|er|es|em)")
_RANGE_LINKS = frozenset({"and", "und", "et", "en", "to", "à", "bis", "tot", "tussen"})
_NUMBER_AFTER = re.compile(r"\s*\d(?:[\d.,\u00a0\u202f ]*\d)?")
# A unit of measure straight after a bare number: inches, power, energy, speed, torque.
_MEASURE_AFTER = re.compile(
    r"\s*(?:[\"″]|(?:[kKMGT]?W(?:h)?|hp|HP|PS|ch|cv|Nm|mph|km/h|kph|rpm|U/[Mm]in|bar|psi|mAh|Ah|"
    r"V|Hz|GB|TB|MB|mm|cm|m|km|kg|°C?|inch(?:es)?)\b)"
)
_COUNTED_WORDS = (
    "fahrzeuge",
    "fahrzeugen",
    "wagen",
    "autos",
    "pkw",
    "lkw",
    "einheiten",
    "stück",
    "exemplare",
    "menschen",
    "mitarbeiter",
    "beschäftigte",
    "stellen",
    "arbeitsplätze",
    "neuwagen",
    "elektroautos",
    "nutzfahrzeuge",
    "kunden",
    "nutzer",
)
_NEXT_TOKEN = re.compile(r"[ \u00a0]+(?P<word>[^\W\d_][\w'’-]*)")
_INNER_NAME = re.compile(r"(?<=[\d\s])[A-ZÀ-Ý][a-zà-ÿ]+(?=\s+\w)")
# Words that may follow a bare number that still counts vehicles ("2 524 pour Lotus",
# "3.100 een jaar eerder", "11.000 in juli", "515 werden verkocht").
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "one",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "than",
        "as",
        "per",
        "vs",
        "against",
        "versus",
        "more",
        "less",
        "over",
        "under",
        "about",
        "around",
        "only",
        "alone",
        "respectively",
        "each",
        "ago",
        "earlier",
        "before",
        "this",
        "that",
        "which",
        "who",
        "were",
        "was",
        "are",
        "is",
        "be",
        "been",
        "being",
        "will",
        "would",
        "could",
        "had",
        "has",
        "have",
        "did",
        "een",
        "de",
        "het",
        "van",
        "in",
        "op",
        "aan",
        "voor",
        "met",
        "en",
        "of",
        "dan",
        "als",
        "per",
        "tegen",
        "naar",
        "bij",
        "uit",
        "om",
        "over",
        "tot",
        "meer",
        "minder",
        "nog",
        "al",
        "slechts",
        "alleen",
        "respectievelijk",
        "elk",
        "geleden",
        "eerder",
        "waren",
        "was",
        "zijn",
        "werden",
        "wordt",
        "worden",
        "zal",
        "zou",
        "heeft",
        "hebben",
        "had",
        "die",
        "dat",
        "wat",
        "daarvan",
        "un",
        "une",
        "le",
        "la",
        "les",
        "l",
        "de",
        "du",
        "des",
        "d",
        "à",
        "au",
        "aux",
        "en",
        "dans",
        "pour",
        "par",
        "sur",
        "avec",
        "et",
        "ou",
        "que",
        "qui",
        "dont",
        "plus",
        "moins",
        "seulement",
        "encore",
        "déjà",
        "respectivement",
        "chacun",
        "contre",
        "ont",
        "a",
        "avait",
        "sont",
        "est",
        "étaient",
        "était",
        "seront",
        "furent",
        "sera",
        "vers",
        "entre",
        "ein",
        "eine",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "von",
        "im",
        "in",
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "mit",
        "für",
        "nach",
        "vor",
        "zu",
        "und",
        "oder",
        "als",
        "pro",
        "gegen",
        "mehr",
        "weniger",
        "nur",
        "noch",
        "bereits",
        "jeweils",
        "je",
        "sind",
        "ist",
        "war",
        "waren",
        "wurden",
        "werden",
        "hat",
        "haben",
        "hatte",
        "davon",
        "zuvor",
        "früher",
    ]
)
# Nouns that a bare number counts when it counts no vehicles ("28 pays", "vier markten").
_COUNTED_NOUN = re.compile(
    r"[ \u00a0]+(?:(?!(?:per|par|pro|a|an|each|chaque|elke|jeden|by|van|de|of|in|en|im|een|"
    r"un|une|ein|eine|one|het|le|la|the)\b)"
    r"[a-zäöüéèà]+[ \u00a0]+)?(?:pays|landen|länder|countries|marchés|markten|märkte|"
    r"markets|jours|dagen|tage|days|mois|maanden|monate|months|ans|années|jaar|jahre|years|"
    r"semaines|weken|wochen|weeks|heures|uur|stunden|hours|fois|keer|mal|times|points|punten|"
    r"punkte|places|plaatsen|plätze|étapes|stappen|schritte|steps|langues|talen|sprachen|"
    r"languages|villes|steden|städte|cities|sites|standorte|usines|fabrieken|werke|plants|"
    r"concessionnaires|dealers|händler|membres|leden|mitglieder|members)\b",
    re.I,
)


def plausible_money(figure: Figure, metric: str, named: bool) -> bool:
    """Money facts at the scale of a company: investments, revenue and profits of a
    million or more; prices of a vehicle, said of a company named in the sentence
    (`named`), not a gadget's price in a shopping list."""
    if not is_currency(figure.unit):
        return True
    if metric in {"investment", "revenue", "profit"}:
        return figure.value >= MIN_COMPANY_MONEY
    if metric == "price":
        return named and MIN_PRICE <= figure.value <= MAX_PRICE
    return True


class CountReader:
    """Reads what the bare numbers of one text count."""

    def __init__(self, text: str, name_starts: Collection[int], lang: str | None) -> None:
        self.text = text
        # Where names start that a count may precede: companies, plants, known places.
        self.entity_starts = name_starts
        self.lang = lang

    def counts_something_else(self, figure: Figure) -> bool:
        """A number that counts something other than a company's vehicles, people or
        money: a bare number followed by a word it counts ("28 pays", "471 horsepower",
        "35.898 Dokker"), or a model named before the unit ("6 million Sentra vehicles")."""
        if figure.unit is not None:
            return self.names_a_model(figure)
        if not any(char.isdigit() for char in figure.text):
            return True  # "drei", "une dizaine": a number word alone counts no vehicles
        if _COUNTED_NOUN.match(self.text, figure.end, figure.end + 40):
            return True
        if self.text[figure.end : figure.end + 1] == "-":
            return True  # "10-nation", "5-door": a count glued to what it counts
        if _MEASURE_AFTER.match(self.text, figure.end):
            return True  # '22" long', "8.69 GW": a measure
        match = _NEXT_TOKEN.match(self.text, figure.end, figure.end + 40)
        if match is not None and match.group("word").casefold() in _RANGE_LINKS:
            # "zwischen 1.500 und 4.500 U/Min": both ends count what the second one does.
            other = _NUMBER_AFTER.match(self.text, match.end())
            if other is not None:
                match = _NEXT_TOKEN.match(self.text, other.end(), other.end() + 40)
                if match is None or match.group("word")[0].isupper():
                    return match is not None and match.start("word") not in self.entity_starts
        if match is None or match.start("word") in self.entity_starts:
            return False
        word = match.group("word")
        if word.casefold().endswith(_MODEL_WORDS):
            return True  # "33.000 iV-Modelle": models counted
        if word in _VEHICLE_ACRONYMS or word.casefold().endswith(_COUNTED_WORDS):
            return False  # "443,956 EVs", "3317 Nutzfahrzeuge"
        if any(cue.noun for cue in find_cues(word, 0, len(word))):
            return False  # "18.200 verkopen", "50 000 ventes": it counts the metric itself
        if word[0].isupper():
            return True  # a name: a model ("35.898 Dokker")
        if self.lang == "de" and _GERMAN_ADJECTIVE.fullmatch(word):
            # "1.000 funktionierende Zellen": the noun after the adjective is what it counts.
            noun = _NEXT_TOKEN.match(self.text, match.end(), match.end() + 40)
            if noun is not None and noun.group("word")[0].isupper():
                counted = noun.group("word")
                return not (
                    counted in _VEHICLE_ACRONYMS
                    or counted.casefold().endswith(_COUNTED_WORDS)
                    or noun.start("word") in self.entity_starts
                    or _VEHICLE_WORD.search(self.text, noun.start(), noun.end() + 30)
                )
        # German writes nouns with a capital, so a lowercase word there is no noun; other
        # languages count a noun with a bare number unless the word is a function word.
        return self.lang != "de" and word.casefold() not in _FUNCTION_WORDS

    def names_a_model(self, figure: Figure) -> bool:
        """ "6 million Sentra vehicles": a capitalised name between number and unit."""
        if self.lang == "de":
            return False
        for match in _INNER_NAME.finditer(self.text, figure.start, figure.end):
            if match.start() not in self.entity_starts and not _ACRONYM.fullmatch(match.group(0)):
                return True
        return False
