"""What a figure measures: metric cue words in nl, fr, de and en, and which units fit which
metric. Cues match at the start of a word ("verkoop" also finds "verkoopcijfers")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.patterns import FoldedPattern, fold, trie_pattern

METRIC_CUES: dict[str, tuple[str, ...]] = {
    "exports": (
        "export",
        "uitvoer",
        "uitgevoerd",
        "exporté",
        "exportation",
        "expédi",
        "ausgeführt",
        "ausfuhr",
        "shipped abroad",
        "shipments abroad",
        "verscheep",
    ),
    "registrations": (
        "inschrijv",
        "ingeschreven",
        "registratie",
        "op kenteken",
        "kentekenregistratie",
        "immatricul",
        "neuzulassung",
        "zulassung",
        "zugelassen",
        "registration",
        "registered",
    ),
    "sales": (
        "verkoop",
        "verkocht",
        "verkopen",
        "afzet",
        "leveringen",
        "geleverd",
        "leverde",
        "levert ",
        "leveren ",
        "afgeleverd",
        "vente",
        "vendu",
        "vendre",
        "vendent",
        "vendait",
        "vendit",
        "écoul",
        "livraison",
        "livré",
        "livre ",
        "absatz",
        "abgesetzt",
        "verkauf",
        "verkäufe",
        "auslieferung",
        "ausgeliefert",
        "liefert",
        "lieferte",
        "sales",
        "sold",
        "sell",
        "deliveries",
        "delivered",
        "deliver",
        "retail sales",
        "wholesale",
        "dispatches",
    ),
    "production": (
        "productie",
        "produceer",
        "produceren",
        "geproduceerd",
        "bouwen",
        "gebouwd",
        "bouwt",
        "bouwde",
        "geassembleerd",
        "assembleer",
        "baut",
        "baute",
        "van de band",
        "vom band",
        "assembl",
        "production",
        "produit",
        "produire",
        "fabriqu",
        "construit",
        "produktion",
        "produziert",
        "produzieren",
        "hergestellt",
        "montiert",
        "gebaut",
        "bauen",
        "fertig",
        "produce",
        "produced",
        "built",
        "build",
        "output",
        "manufactur",
        "rolled off",
    ),
    "capacity": ("capaciteit", "capacité", "kapazität", "capacity"),
    "investment": (
        "investeert",
        "investeerde",
        "investeren",
        "investering",
        "geïnvesteerd",
        "investi ",
        "investis",
        "investit",
        "investir",
        "investissement",
        "investira",
        "investiert",
        "investieren",
        "investition",
        "invest ",
        "invests",
        "invested",
        "investing",
        "investment",
        "uitgetrokken",
        "débloqu",
        "mobilis",
        "stellt bereit",
        "bereitgestellt",
        "spend",
        "steekt",
        "injecte",
        "deal",
        "acquisition",
        "acquire",
        "rachat",
        "rachète",
        "übernahme",
        "overname",
        "worth",
        "d'une valeur de",
        "im wert von",
        "ter waarde van",
    ),
    "revenue": (
        "omzet",
        "recordomzet",
        "chiffre d'affaires",
        "chiffre d’affaires",
        "umsatz",
        "erlös",
        "revenue",
        "turnover",
    ),
    "profit": (
        "winst",
        "nettowinst",
        "bedrijfswinst",
        "bénéfice",
        "résultat net",
        "résultat opérationnel",
        "gewinn",
        "nettogewinn",
        "ergebnis",
        "überschuss",
        "verdient",
        "profit",
        "earnings",
        "net income",
        "operating income",
        "earned",
        # losses: a negative profit
        "verlies",
        "nettoverlies",
        "perte",
        "verlust",
        "nettoverlust",
        "loss",
        "deficit",
        "déficit",
    ),
    "market_share": (
        "marktaandeel",
        "part de marché",
        "parts de marché",
        "des parts",
        "marktanteil",
        "market share",
        "share of the market",
    ),
    "employees": (
        "werknemers",
        "medewerkers",
        "personeel",
        "arbeidsplaatsen",
        "werken er",
        "salariés",
        "employés",
        "effectif",
        "emploie",
        "mitarbeit",
        "beschäftigte",
        "arbeitsplätze",
        "employees",
        "workers",
        "staff",
        "workforce",
        "aan het werk",
        "in dienst",
        "telt ",
        "tellen ",
        "zählt ",
        "compte ",
        "beschäftig",
        "arbeiten",
        "employ",
    ),
    "users": ("gebruikers", "utilisateurs", "nutzer", "users"),
    "price": (
        "prijs",
        "kost ",
        "prix",
        "coûte",
        "tarif",
        "preis",
        "kostet",
        "price",
        "priced",
    ),
}

# Cues of facts whose metric is `other`: stakes, margins and quotas, job cuts and hiring,
# recalls and order volumes.
STAKE_CUES = (
    "belang",
    "aandeel in",
    "participation",
    "beteiligung",
    "anteil an",
    "anteil des",
    "anteil der",
    "prozentigen anteil",
    "stake",
    "hält",
    "détient",
    "holds",
    "marge",
    "margin",
    "rendement",
    "quote",
)
JOB_CUES = (
    "cut ",
    "cuts ",
    "cutting",
    "slash",
    "eliminat",
    "schrapt",
    "streicht",
    "baut ab",
    "ontslag",
    "ontslaan",
    "schrappen",
    "extra banen",
    "nieuwe banen",
    "suppression",
    "supprim",
    "créations d'emplois",
    "créations d’emplois",
    "création d'emplois",
    "embauch",
    "stellenabbau",
    "abbauen",
    "streichen",
    "neue arbeitsplätze",
    "lay off",
    "laid off",
    "layoff",
    "lose jobs",
    "job cuts",
    "cut jobs",
    "hire",
    "hiring",
    "reduction",
    "réduction",
    "abbau",
    "afbouw",
)
RECALL_ORDER_CUES = (
    "terugroep",
    "riep",
    "rappel",
    "rückruf",
    "recall",
    "auftragsvolumen",
    "bestellvolumen",
    "order volume",
    "carnet de commandes",
    "orderboek",
)
OTHER_CUES = STAKE_CUES + JOB_CUES + RECALL_ORDER_CUES
LOSS_CUES = (
    "verlies",
    "nettoverlies",
    "perte",
    "verlust",
    "nettoverlust",
    "loss",
    "deficit",
    "déficit",
)

# "93 % des voitures", "60 Prozent der Verkäufe", "65 per cent of its sales": a share of a
# whole, not of a market.
SHARE_OF = re.compile(
    r"\s*(?:of|van|des|du|de\s+la|de\s+l['’]|der|des|von)\s+"
    r"(?:(?:the|its|their|de|het|zijn|haar|hun|ses|sa|son|leur|leurs|seiner|seines|ihrer|ihres)\s+)?"
    r"(?:[\w&'’-]+\s+){0,3}?"
    r"(?:sales|production|output|cars|vehicles|deliveries|exports|registrations|"
    r"verkoop|verkopen|productie|auto['’]s|wagens|leveringen|uitvoer|"
    r"ventes|production|voitures|véhicules|livraisons|exportations|immatriculations|"
    r"verkäufe|absatzes|absatz|produktion|fahrzeuge|autos|auslieferungen|exporte)\b"
    r"(?!\s+(?:growth|groei|croissance|wachstum))",
    re.I,
)

COUNT_METRICS = frozenset({"sales", "exports", "production", "capacity", "registrations"})
MONEY_METRICS = frozenset({"investment", "revenue", "profit", "price"})
# Metrics of counts for which a bare number (no unit word) still reads as vehicles.
VEHICLE_COUNT_UNITS = frozenset({None, "vehicles", "units", "models"})


def compile_cues(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any cue at the start of a word."""
    ordered = sorted(cues, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(cue) for cue in ordered) + ")", re.I)


METRIC_PATTERNS = {metric: compile_cues(cues) for metric, cues in METRIC_CUES.items()}
OTHER_PATTERN = compile_cues(OTHER_CUES)
LOSS_PATTERN = compile_cues(LOSS_CUES)
# Hiring and job cuts: announced, they are facts (metric other), not targets.
JOB_PATTERN = compile_cues(JOB_CUES)


# Endings of metric nouns (not verbs): "la production française", "UK car production",
# "Neuzulassungen in Deutschland" tie a place to the metric, "verkocht in Duitsland" does not.
METRIC_NOUN_ENDINGS = (
    "verkoop",
    "verkopen",
    "afzet",
    "leveringen",
    "export",
    "exports",
    "uitvoer",
    "productie",
    "inschrijvingen",
    "registraties",
    "verkoopcijfers",
    "ventes",
    "vente",
    "livraisons",
    "exportations",
    "production",
    "immatriculations",
    "expéditions",
    "absatz",
    "verkäufe",
    "auslieferungen",
    "exporte",
    "ausfuhr",
    "ausfuhren",
    "produktion",
    "zulassungen",
    "sales",
    "deliveries",
    "output",
    "registrations",
    "shipments",
)
_WORD_AT = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Cue:
    """A metric cue found at [start, end) in the text; `noun` when its word is a metric
    noun ("sales", "Neuzulassungen") rather than a verb ("sold")."""

    metric: str
    start: int
    end: int
    noun: bool = False


def _is_noun(text: str, start: int) -> bool:
    word = _WORD_AT.match(text, start)
    return word is not None and word.group(0).casefold().endswith(METRIC_NOUN_ENDINGS)


# Dutch and German write metric nouns inside compounds ("autoverkoop", "Gesamtabsatz",
# "Pkw-Neuzulassungen", "jaaromzet"): these cues also match inside a word.
COMPOUND_CUES: dict[str, tuple[str, ...]] = {
    "sales": ("verkoop", "absatz", "verkäufe", "auslieferungen"),
    "registrations": ("zulassungen", "inschrijvingen", "registraties"),
    "exports": ("export", "uitvoer"),
    "production": ("productie", "produktion"),
    "revenue": ("omzet", "umsatz"),
    "profit": ("gewinn", "winst", "verlies", "verlust"),
    "market_share": ("marktaandeel", "marktanteil"),
    "capacity": ("kapazität", "capaciteit"),
}
# Separable verbs: "voerde 1,07 miljoen wagens uit", "setzte 2,4 Millionen Fahrzeuge ab".
PARTICLE_PATTERNS = {
    "investment": re.compile(r"\b(?:trek(?:t|ken)|trok(?:ken)?)\b(?=[^.;:]{0,80}?\buit\b)", re.I),
    "exports": re.compile(
        r"\b(?:voer(?:de|den|t|en)|führte|führten)\b(?=[^.;:]{0,80}?\b(?:uit|aus)\b)", re.I
    ),
    "sales": re.compile(
        r"\b(?:zet(?:te|ten)?|setz(?:t|te|ten))\b(?=[^.;:]{0,80}?\b(?:af|ab)\b)", re.I
    ),
    "production": re.compile(
        r"\b(?:rol(?:de|den|t|len)|lief(?:en)?)\b(?=[^.;:]{0,80}?\b(?:uit|vom\s+band|van\s+de\s+band)\b)",
        re.I,
    ),
}


_CUE_METRIC = {cue.casefold(): metric for metric, cues in METRIC_CUES.items() for cue in cues}
_CUE_METRIC.update({cue.casefold(): "other" for cue in OTHER_CUES})
_COMPOUND_METRIC = {
    cue.casefold(): metric for metric, cues in COMPOUND_CUES.items() for cue in cues
}
# All cues in one pass: a cue at the start of a word, or a compound noun's last part.
_ALL_CUES = FoldedPattern(
    rf"(?<!\w)(?P<cue>{trie_pattern(_CUE_METRIC)})|(?<=\w)(?P<part>{trie_pattern(_COMPOUND_METRIC)})"
)


def find_cues(text: str, start: int, end: int, folded: str | None = "") -> list[Cue]:
    """Every metric cue in text[start:end], `other` cues included, in text order;
    `folded` is the text lowercased (see `nlp.patterns.fold`), computed when not given."""
    if folded == "":
        folded = fold(text)
    cues = []
    for match in _ALL_CUES.finditer(text, folded, start, end):
        if text[match.end() : match.end() + 3] == "-in":
            continue  # "built-in", "sold-in": no metric
        if match.lastgroup == "cue":
            metric = _CUE_METRIC[match.group(0).casefold()]
            cues.append(Cue(metric, match.start(), match.end(), _is_noun(text, match.start())))
        else:
            metric = _COMPOUND_METRIC[match.group(0).casefold()]
            cues.append(Cue(metric, match.start(), match.end(), True))
    cues += [
        Cue(metric, match.start(), match.end())
        for metric, pattern in PARTICLE_PATTERNS.items()
        for match in pattern.finditer(text, start, end)
    ]
    return sorted(cues, key=lambda cue: cue.start)


def is_currency(unit: str | None) -> bool:
    """Whether `unit` is an ISO currency code."""
    return unit is not None and len(unit) == 3 and unit.isupper()


def compatible(metric: str, unit: str | None) -> bool:
    """Whether a figure with `unit` can measure `metric`."""
    if metric == "other":
        return True
    if unit in {"percent", "percentage_points"}:
        return metric == "market_share"
    if is_currency(unit):
        return metric in MONEY_METRICS
    if unit == "employees":
        return metric == "employees"
    if unit == "people":
        return metric in {"employees", "users"}
    if unit in {"users", "customers"}:
        return metric == "users"
    if unit in {"GWh", "MWh"}:
        return metric in {"capacity", "production"}
    if unit in VEHICLE_COUNT_UNITS:
        return metric in COUNT_METRICS or (unit is None and metric in {"employees", "users"})
    return False
