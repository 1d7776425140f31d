"""Relevance: how much an article is about the vehicle industry, as a score in [0, 1].

The score is a weighted sum of five signals, each in [0, 1] (`WEIGHTS`):

- spread: distinct vehicle-industry entities of the knowledge base named in the text
  (companies, brands, groups) and plants, `SPREAD_FULL` of them or more giving 1;
- mentions: their mentions per 1,000 words, `MENTIONS_FULL` or more giving 1;
- cues: vehicle-industry words per 1,000 words ("carmaker", "voiture", "Neuzulassungen",
  "autobouwer", "SUV", ...), `CUES_FULL` or more giving 1; generic words that other
  industries use as well ("plant", "usine", "Werk", "fabriek", "battery") count half,
  and only in a text that has some of the industry's own words;
- lead: the title or the first `LEAD_CHARS` characters name such an entity or a cue word;
- section: the page's URL, categories or tags put it in a vehicle section (`/auto/`,
  `/cars/`, `/mobility/`, "Automobilindustrie", ...).

Densities are taken over at least `MIN_WORDS` words, so that one word in a short text
does not pass for a dense topic. An article scoring `RELEVANT` or more is on topic.
Entities alone cannot reach it (the knowledge base also holds suppliers that serve other
industries, such as chip makers): the text must also use the industry's words or sit in
one of its sections. Dense industry words in the lead reach it without any entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nlp.entities import EntityMention
from nlp.kinds import COMPANY_KINDS

RELEVANT = 0.5
WEIGHTS = {"spread": 0.2, "mentions": 0.1, "cues": 0.4, "lead": 0.15, "section": 0.15}
SPREAD_FULL = 2
MENTIONS_FULL = 15.0
CUES_FULL = 20.0
WEAK_CUE = 0.5
MIN_WORDS = 100
LEAD_CHARS = 400

# Cue words as regular expressions over lowercased text. A cue counts where a word starts
# (after a letter-less character); the compound heads count at the end of a longer word too
# ("Elektroauto", "Nutzfahrzeuge", "vrachtvoertuig"). Words of every language come first.
_HEADS = (r"auto(?:s|'s|’s)?(?!-\w)", r"fahrzeug(?:e|en|s)?", r"voertuig(?:en)?")
_ANY_STRONG = (
    *_HEADS,
    r"auto(?:bouwer|fabrikant|fabriek|merk|markt|sector|industri|handel|dealer|mobi|motive|"
    r"maker|hersteller|bauer|branche|konzern|händler|haus|absatz|zulieferer|verkäuf|werk)\w*",
    r"auto-industrie",
    r"gigafa(?:ctor(?:y|ies)|brik\w*)",
    r"robotaxis?",
)
_STRONG = {
    "en": (
        r"cars?",
        r"car-?makers?",
        r"vehicles?",
        r"motorists?",
        r"trucks?",
        r"lorr(?:y|ies)",
        r"sedans?",
        r"hatchbacks?",
        r"minivans?",
        r"dealerships?",
        r"powertrains?",
        r"drivetrains?",
        r"combustion\s+engines?",
        r"plug-in\s+hybrids?",
    ),
    "nl": (
        r"personenwagens?",
        r"bedrijfswagens?",
        r"vrachtwagens?",
        r"wagens",
        r"wagenpark",
        r"automobiel\w*",
        r"plug-in\s+hybrides?",
    ),
    "fr": (
        r"voitures?",
        r"véhicules?",
        r"automobilistes?",
        r"camions?",
        r"poids[\s-]lourds?",
        r"berlines?",
        r"citadines?",
        r"immatriculations?",
        r"équipementiers?",
        r"concessionnaires?",
        r"motorisations?",
        r"hybrides?\s+rechargeables?",
    ),
    "de": (
        r"pkw\w*",
        r"lkw\w*",
        r"kfz\w*",
        r"neuzulassungen",
        r"zulieferer\w*",
        r"verbrenner\w*",
    ),
}
_WEAK = {
    "en": (
        r"plants?",
        r"factor(?:y|ies)",
        r"batter(?:y|ies)",
        r"suppliers?",
        r"registrations?",
        r"dealers?",
        r"charging\s+(?:stations?|points?)",
        r"chargers?",
    ),
    "nl": (
        r"fabrieke?n?",
        r"batterij(?:en)?",
        r"inschrijvingen",
        r"registraties",
        r"toeleveranciers?",
        r"dealers?",
        r"importeurs?",
        r"laadpa(?:al|len)",
    ),
    "fr": (
        r"usines?",
        r"batteries?",
        r"constructeurs?",
        r"utilitaires?",
        r"bornes?\s+de\s+recharge",
        r"thermiques?",
    ),
    "de": (
        r"werke?s?",
        r"fabrik(?:en)?",
        r"batterien?",
        r"ladesäulen?",
        r"zulassungen",
        r"antriebe?",
        r"hersteller\w*",
        r"händler\w*",
    ),
}
# Abbreviations, matched as written in the text.
_ACRONYMS = re.compile(r"(?:SUV|EV|BEV|PHEV|HEV)s?(?!\w)")
_HEAD = re.compile("|".join(_HEADS))
# Words of a URL, a category or a tag that name a vehicle section of a site.
_SECTION = re.compile(
    r"(?:^|[^a-z])(?:autos?|automobile?s?|automobil\w*|automotive|autonews|autoindustr\w*|"
    r"autowereld|autowelt|automarkt|autohaus|cars?|motor\d*|motors|motoring|mobility|"
    r"mobilite|mobilit[äa]e?t|mobiliteit|voitures?|\w*fahrzeug\w*|\w*voertuig\w*|"
    r"vehicles?|trucks?|evs?|e-?mobility)(?:$|[^a-z])",
    re.I,
)


def _pattern(fragments: Iterable[str]) -> re.Pattern[str]:
    """One pattern for cue words that each begin with a plain letter, grouped by that letter
    so that the engine tries one group per position. No assertion comes before the words:
    the engine then skips ahead to their first letters."""
    by_letter: dict[str, list[str]] = {}
    for fragment in dict.fromkeys(fragments):
        by_letter.setdefault(fragment[0], []).append(fragment[1:])
    groups = (re.escape(first) + "(?:" + "|".join(rest) + ")" for first, rest in by_letter.items())
    return re.compile("(?:" + "|".join(groups) + r")(?!\w)")


def _all(table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(fragment for fragments in table.values() for fragment in fragments)


# Cue patterns per language; text in another language, or in none, is read with every list.
_STRONG_CUES = {lang: _pattern(_ANY_STRONG + words) for lang, words in _STRONG.items()}
_WEAK_CUES = {lang: _pattern(words) for lang, words in _WEAK.items()}
_STRONG_ANY = _pattern(_ANY_STRONG + _all(_STRONG))
_WEAK_ANY = _pattern(_all(_WEAK))


@dataclass(frozen=True)
class PageContext:
    """What the page says about an article besides its text."""

    title: str | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelevanceEvidence:
    """The counts behind a relevance score, and the score."""

    words: int
    entities: int  # distinct vehicle-industry entities
    mentions: int
    cues: float  # cue words, generic ones counting half
    lead: bool
    section: bool

    def signals(self) -> dict[str, float]:
        """Each signal in [0, 1], as weighted in the score."""
        per_thousand = 1000 / max(self.words, MIN_WORDS)
        return {
            "spread": min(1.0, self.entities / SPREAD_FULL),
            "mentions": min(1.0, self.mentions * per_thousand / MENTIONS_FULL),
            "cues": min(1.0, self.cues * per_thousand / CUES_FULL),
            "lead": float(self.lead),
            "section": float(self.section),
        }

    @property
    def too_short(self) -> bool:
        """A snippet of vehicle-industry words too short to judge against other topics
        (fewer than `MIN_WORDS` words): its facts are all kept."""
        return self.words < MIN_WORDS and (self.cues > 0 or self.entities > 0)

    @property
    def score(self) -> float:
        """The weighted sum of the signals, rounded to 3 decimals."""
        signals = self.signals()
        return round(min(1.0, sum(WEIGHTS[name] * signals[name] for name in WEIGHTS)), 3)


def is_vehicle_entity(mention: EntityMention) -> bool:
    """A knowledge-base company, brand or group, or a plant."""
    return mention.label == "PLANT" or (mention.kb_id is not None and mention.kind in COMPANY_KINDS)


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


def _cue_offsets(pattern: re.Pattern[str], text: str) -> list[int]:
    """Where the cues of `pattern` start in `text`: at a word start, or a compound head
    ending a longer word."""
    return [
        match.start()
        for match in pattern.finditer(text)
        if _starts_word(text, match.start()) or _HEAD.fullmatch(match.group())
    ]


def _cues(text: str, lang: str | None) -> tuple[float, bool]:
    """Cue words in `text` (generic ones counting half), and whether its lead has one."""
    lowered = text.lower()
    strong = _cue_offsets(_STRONG_CUES.get(lang or "", _STRONG_ANY), lowered)
    strong += [m.start() for m in _ACRONYMS.finditer(text) if _starts_word(text, m.start())]
    if not strong:  # generic words only back up the industry's own
        return 0.0, False
    weak = _cue_offsets(_WEAK_CUES.get(lang or "", _WEAK_ANY), lowered)
    lead = any(offset < LEAD_CHARS for offset in strong)
    return len(strong) + WEAK_CUE * len(weak), lead


def _names(title: str, name: str) -> bool:
    """Whether `title` has `name` as a word of its own (not "Kia" inside "Nokia")."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title) is not None


def _in_section(page: PageContext) -> bool:
    path = (page.url or "").split("://", 1)[-1]
    labels = [path, *page.categories, *page.tags]
    return any(_SECTION.search(label) for label in labels if label)


def relevance_evidence(
    text: str,
    entities: Sequence[EntityMention],
    lang: str | None = None,
    page: PageContext | None = None,
) -> RelevanceEvidence:
    """The evidence that `text` is about the vehicle industry; `entities` are the mentions
    found in it, `lang` picks the cue list, `page` adds its title, URL, categories and tags."""
    vehicle = [mention for mention in entities if is_vehicle_entity(mention)]
    cues, cue_in_lead = _cues(text, lang)
    title = page.title if page and page.title else ""
    lead = (
        cue_in_lead
        or any(mention.start < LEAD_CHARS for mention in vehicle)
        or bool(title and _cues(title, lang)[0] >= 1)
        or any(_names(title, mention.text) for mention in vehicle)
    )
    return RelevanceEvidence(
        words=len(text.split()),
        entities=len({mention.kb_id or mention.canonical for mention in vehicle}),
        mentions=len(vehicle),
        cues=cues,
        lead=lead,
        section=page is not None and _in_section(page),
    )


def relevance(
    text: str,
    entities: Sequence[EntityMention],
    lang: str | None = None,
    page: PageContext | None = None,
) -> float:
    """How much `text` is about the vehicle industry, in [0, 1]; see the module docstring."""
    return relevance_evidence(text, entities, lang, page).score


def is_relevant(score: float | None) -> bool:
    """Whether a score says the article is about the vehicle industry."""
    return score is not None and score >= RELEVANT
