"""Plant mentions: production sites that the text places somewhere, linked to the KB.

A site is found from
- a plant word and the places after it: "de fabriek in het Franse Poissy", "ses usines de
  Douai, Maubeuge (Nord) et Ruitz", "seinem polnischen Werk Tychy", "a factory near Leeds";
- a place before an English plant word: "the Oshawa plant", "its Chengdu facility";
- a town adjective at a plant word: "l'usine gantoise", "das Zwickauer Werk";
- a company visited somewhere: "bij Tesla in Tilburg", "chez Renault à Flins";
- a product made somewhere: "geassembleerd in Tilburg", "produite à Mulhouse";
- a known plant's town in a sentence that names its operator: "Ford Genk", "Honda at
  Swindon", "in Born maakt VDL Nedcar ...".
One phrase naming several sites gives one mention per site, each on its own span. The
operator is the company named in the phrase, else the KB plant's operator, else the first
company of the sentence (who "son usine" or "seinem Werk" belongs to), else the company the
text names most.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from nlp.entities import EntityMention
from nlp.kb import KBEntity, KnowledgeBase
from nlp.patterns import compiled, trie_pattern
from nlp.places import COUNTRY_ADJECTIVES, city_of_adjective, country_of
from nlp.plant_words import (
    APPOSITION_WORDS,
    AREA_WORDS,
    ARTICLES,
    BATTERY_PLANT_WORDS,
    COMPANY_LINKS,
    COMPLEMENT,
    GAP,
    GERMAN_NOT_PLACES,
    GERMAN_NOUN_ENDINGS,
    HEADQUARTERS_WORDS,
    HYPHEN_PARTICLES,
    LOWER,
    MADE_ADVERBS,
    MADE_VERBS,
    NOT_PLACES,
    NOT_PLANT_MODIFIERS,
    NOT_PLANT_WORDS,
    PLACE_FIRST_WORDS,
    PLACE_PREPOSITIONS,
    PLANT_STEMS,
    PLANT_WORDS,
    PRODUCTION_NOUNS,
    PRODUCTION_WORDS,
    SPACE_PARTICLES,
    UPPER,
    WEAK_PLANT_WORDS,
    list_separators,
)

_BATTERY_PLANT = re.compile(BATTERY_PLANT_WORDS, re.I)
_NAME_WORD = rf"[{UPPER}][\w'’]*"
_PLACE = (
    rf"{_NAME_WORD}(?:(?:-(?:(?:{HYPHEN_PARTICLES})(?:-|{GAP}))?"
    rf"|{GAP}(?:(?:{SPACE_PARTICLES}){GAP}|d['’])?){_NAME_WORD}){{0,3}}"
)
_ADJECTIVE = rf"[{LOWER}][\w-]*|[{UPPER}]\w*(?:se|sche)"
# One place of a list, with what leads to it: "in het Franse Poissy", "de Maubeuge (Nord)",
# "d'Onnaing", "im südpfälzischen Wörth".
_ITEM = re.compile(
    rf"(?:{GAP})?(?:(?P<prep>{PLACE_PREPOSITIONS}){GAP}|(?P<elided>d['’]))?"
    rf"(?:(?:(?P<art>{ARTICLES}){GAP}|l['’]|(?<=im ))(?:(?P<adj>{_ADJECTIVE}){GAP})?)?"
    rf"(?P<place>{_PLACE})(?:{GAP}/{GAP}{_NAME_WORD})?(?:{GAP}?\((?P<paren>[^()\n]{{1,40}})\))?"
)
_PLANT_WORD = re.compile(rf"(?<![\w])(?:{PLANT_WORDS})(?![\w])")
_PLANT_STEM = re.compile(trie_pattern(PLANT_STEMS))
_PLANT_STEM_IGNORING_CASE = re.compile(trie_pattern(PLANT_STEMS), re.IGNORECASE)
_APPOSITION_WORD = re.compile(APPOSITION_WORDS)
_PLACE_FIRST_WORD = re.compile(PLACE_FIRST_WORDS)
_COMPANY_LINK = re.compile(rf"(?:{GAP}(?:(?:{COMPANY_LINKS})(?:{GAP})?)?|-)")
_COMPLEMENT = re.compile(rf"{GAP}{COMPLEMENT}")
_LOWER_WORD = re.compile(rf"{GAP}([{LOWER}][\w-]*)")
# Words between a company and its plant word: "Kia assembly plant", "Nissan’s plant".
_NOUN_MODIFIERS = (
    r"assembly|battery|batteries|car|cars|vehicle|vehicles|EV|engine|truck|trucks|bus|cell|"
    r"manufacturing|production|body|paint|stamping|components?|electric|electric-vehicle|"
    r"auto|motor|new|main|former|old|planned"
)
_COMPANY_TO_WORD = re.compile(rf"(?:['’]s?)?(?:-|{GAP})(?:(?:{_NOUN_MODIFIERS}){GAP}){{0,2}}$")
_DETERMINERS = (
    r"the|The|its|Its|their|Their|his|her|our|a|A|an|An|this|This|that|That|"
    r"new|second|third|fourth|fifth|first|former|old|existing|planned|future|proposed|"
    r"main|largest|biggest|huge|giant|sprawling"
)
_ORDINALS = frozenset(
    [
        "new",
        "second",
        "third",
        "fourth",
        "fifth",
        "first",
        "former",
        "old",
        "existing",
        "planned",
        "future",
        "proposed",
        "main",
        "largest",
        "biggest",
        "huge",
        "giant",
        "sprawling",
    ]
)
_BEFORE_WORD = re.compile(
    rf"(?:^|(?<=[\s(]))(?P<det>{_DETERMINERS}|[{UPPER}][\w&.-]*['’]s?){GAP}"
    rf"(?:(?:{_NOUN_MODIFIERS}){GAP}){{0,2}}"
    rf"(?P<name>{_NAME_WORD}(?:(?:{GAP}|-){_NAME_WORD}){{0,3}}){GAP}"
    rf"(?:(?:{_NOUN_MODIFIERS}){GAP}){{0,2}}$"
)
# A name between a French plant word and "de <Place>" is the maker's ("usine PSA de").
_UNKNOWN_MAKER = re.compile(rf"{GAP}[{UPPER}][\w&-]*(?=(?:{GAP}de{GAP}|{GAP}d['’])[{UPPER}])")
_CAPITALISED_BEFORE = re.compile(rf"(?P<word>[{UPPER}][\w]+)(?:{GAP}|-)$")
_VISIT = re.compile(r"(?:^|(?<=\s))(?:[Bb]ij|[Cc]hez|[Bb]ei|at|At)" + GAP + "$")
_VISIT_PREPOSITIONS = frozenset({"in", "à", "im", "at", "te", "bei"})
_MADE_FORWARD = re.compile(rf"(?<![\w])(?:{MADE_VERBS})(?:{GAP}(?:{MADE_ADVERBS}))?(?=[^\S\n])")
_MADE_PREPOSITIONS = frozenset({"in", "à", "at", "im", "te", "bei", "dans", "near"})
_MADE_BACKWARD = re.compile(rf"(?<![\w])(?:in|im|te|bij|bei)(?={GAP}[{UPPER}])")
_MADE_AFTER_PLACE = re.compile(
    rf"(?:{GAP}(?:{MADE_ADVERBS}|[{LOWER}]\w*)){{0,2}}{GAP}"
    rf"(?:{MADE_VERBS}|{PRODUCTION_NOUNS}|vom{GAP}Band|van{GAP}de{GAP}band)(?![\w])"
)
_HEADQUARTERS = re.compile(rf"(?<![\w])(?:{HEADQUARTERS_WORDS})(?![\w])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)]*\s+|\n")
_ANCHOR_GAP = re.compile(
    rf"-|{GAP}(?:(?:in|à|de|at|bei|im|te|near|in{GAP}het|in{GAP}de){GAP}|d['’])?"
)
# English plant words that name a site only after a place or a noun ("battery complex").
_ONLY_AFTER_A_PLACE = re.compile(r"[Ww]orks|[Cc]omplex(?:es)?")
_INDUSTRIAL_BEFORE = re.compile(
    r"(?:battery|industrial|manufacturing|production|assembly|automotive|car|vehicle|EV|"
    r"cell|engine|truck|components?)[^\S\n]+$"
)
_HYPHENS = re.compile(r"[-\s]+")
_CLAUSE_BREAK = re.compile(r"[,;:()\n]|[.!?]\s")
_ENGLISH_ONLY = re.compile(r"[Pp]lants?")
_WEAK_WORD = re.compile(WEAK_PLANT_WORDS)
_NOT_PLANT_WORD = re.compile(NOT_PLANT_WORDS)
_NOT_PLANT_BEFORE = re.compile(rf"(?<![\w-])(?:{NOT_PLANT_MODIFIERS}){GAP}$", re.IGNORECASE)
_WORD_BEFORE = re.compile(rf"(\w+){GAP}$")
_RELATIVE_AFTER = re.compile(
    r"[^\S\n]*,[^\S\n]*(?:which|who|that|qui|laquelle|lequel|die|dat|der|das|welche|welcher)\b"
)
# Words that make a sentence about production ("In Born maakt VDL Nedcar ...").
_PRODUCTION = re.compile(rf"(?<![\w])(?:{MADE_VERBS}|{PRODUCTION_WORDS})(?![\w])", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
# Words that end a plant's own name rather than its town ("Fort Wayne Assembly Plant").
_PLANT_NAME_WORDS = re.compile(
    r"(?:[^\S\n]+(?:Assembly|Truck|Trucks|Body|Engine|Stamping|Battery|Transmission|"
    r"Powertrain|Components|Manufacturing|Operations|Vehicle|Car|Cars|Motor|Motors))+$"
)
_TRAILING = re.compile(rf"(?:[-\s]+(?:{HYPHEN_PARTICLES}|{SPACE_PARTICLES}|d['’]))+$")
_GENERIC_CAPS = frozenset({"EV", "EVs", "BEV", "BEVs", "PHEV", "SUV", "SUVs", "NEV", "CEO"})
_COUNTRY_ADJECTIVE_WORDS = frozenset(
    name.casefold() for names in COUNTRY_ADJECTIVES.values() for name in names
)
# How much a rule's evidence counts when two sites cover the same span.
_KB_ALIAS, _NAMED, _PLACED = 3, 2, 1


@dataclass(frozen=True)
class _Site:
    """A plant found in the text before it is linked: its span and what names it."""

    start: int
    end: int
    place: str
    company: EntityMention | None = None  # the company the phrase names
    country: str | None = None  # from an adjective ("het Franse Poissy")
    known: KBEntity | None = None  # the KB plant, when a rule found it by its town
    strength: int = _PLACED


@dataclass(frozen=True)
class _Place:
    """One place of a list after a plant word."""

    name: str
    start: int
    end: int
    preposition: str | None
    country: str | None
    leads: bool = True  # the first place of its phrase
    item_end: int = 0  # where its phrase ends (after a region or a parenthesis)


class _Document:
    """The text with its company mentions, sentences and main company."""

    def __init__(self, text: str, mentions: Iterable[EntityMention]) -> None:
        self.text = text
        mentions = list(mentions)
        self.companies = [m for m in mentions if m.label == "COMPANY" and m.kb_id]
        self.kb_plants = [m for m in mentions if m.label == "PLANT"]
        self.starting = {m.start: m for m in self.companies}
        self.ending = {m.end: m for m in self.companies}
        self.sentence_starts = [0, *(match.end() for match in _SENTENCE_END.finditer(text))]
        counts = Counter(m.kb_id for m in self.companies)
        self.topic = max(self.companies, key=lambda m: counts[m.kb_id], default=None)
        self.plant_words = _plant_words(text)

    def sentence(self, position: int) -> tuple[int, int]:
        """Start and end of the sentence holding `position`."""
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        end = (
            self.sentence_starts[index + 1]
            if index + 1 < len(self.sentence_starts)
            else len(self.text)
        )
        return self.sentence_starts[index], end

    def companies_in(self, start: int, end: int) -> list[EntityMention]:
        """Company mentions inside [start, end)."""
        return [m for m in self.companies if start <= m.start < end]

    def subject(self, position: int) -> EntityMention | None:
        """The company a site at `position` belongs to by the sentence: the first company
        before it, or the last one before it that opens a relative clause ("Rivian, which
        will build a factory ...")."""
        start, _ = self.sentence(position)
        before = self.companies_in(start, position)
        relative = [m for m in before if _RELATIVE_AFTER.match(self.text, m.end)]
        if relative:
            return relative[-1]
        return before[0] if before else None

    def inside_company(self, start: int, end: int) -> EntityMention | None:
        """A company mention overlapping [start, end), if any."""
        for mention in self.companies:
            if mention.start < end and start < mention.end:
                return mention
        return None

    def compound_start(self, mention: EntityMention) -> int:
        """Where a compound of company names ending in `mention` starts ("Renault-Nissan")."""
        start = mention.start
        while start > 0 and self.text[start - 1] == "-" and (start - 1) in self.ending:
            start = self.ending[start - 1].start
        return start

    def compound_end(self, mention: EntityMention) -> int:
        """Where a compound of company names starting with `mention` ends."""
        end = mention.end
        while end < len(self.text) and self.text[end] == "-" and (end + 1) in self.starting:
            end = self.starting[end + 1].end
        return end


class PlantFinder:
    """Finds plant mentions in text and links them to the knowledge base's plants."""

    def __init__(self, kb: KnowledgeBase, lang: str = "xx") -> None:
        self.kb = kb
        self.lang = lang
        self._separator = re.compile(list_separators(lang))
        company_names = {name.casefold() for name, entity in kb.names() if not entity.is_plant}
        self._plants = [entity for entity in kb.entities.values() if entity.is_plant]
        self._towns: dict[str, list[KBEntity]] = {}
        for entity in kb.entities.values():
            if entity.is_plant:
                for town in dict.fromkeys((entity.city or "", *entity.city_local)):
                    if town:
                        self._towns.setdefault(_fold(town), []).append(entity)
        latin = [
            town
            for entity in kb.entities.values()
            if entity.is_plant
            for town in (entity.city or "", *entity.city_local)
            if town and town[0].isupper() and town.casefold() not in company_names
        ]
        self._town_re = compiled(rf"(?<![\w-])(?:{trie_pattern(latin)})(?![\w-])")

    def find(self, text: str, mentions: Iterable[EntityMention]) -> list[EntityMention]:
        """Plant mentions in `text`, given its knowledge-base mentions (whose plants are
        kept); no two plant mentions overlap."""
        doc = _Document(text, mentions)
        sites = [
            *self._after_plant_words(doc),
            *self._before_plant_words(doc),
            *self._visits(doc),
            *self._made_in(doc),
            *self._known_towns(doc),
        ]
        built = [(site, self._mention(doc, site)) for site in sites]
        # "a factory in Thailand" adds nothing where the text places a plant in Thailand.
        finer = {mention.country for mention in doc.kb_plants} | {
            mention.country for site, mention in built if country_of(site.place) is None
        }
        ranked = [(mention, _KB_ALIAS) for mention in doc.kb_plants] + [
            (mention, site.strength)
            for site, mention in built
            if country_of(site.place) is None or mention.country not in finer
        ]
        return _without_overlaps(ranked)

    # --- rules -------------------------------------------------------------------------

    def _usable(self, doc: _Document, start: int, end: int) -> bool:
        """Whether the plant word at [start, end) names a plant here: not a "Denkfabrik",
        a "power plant" or the German verb "plant"."""
        text = doc.text
        return not (
            _NOT_PLANT_WORD.fullmatch(text, start, end)
            or _NOT_PLANT_BEFORE.search(text, max(0, start - 20), start)
            or (self.lang == "de" and _ENGLISH_ONLY.fullmatch(text, start, end))
        )

    def _evidenced(
        self, doc: _Document, start: int, end: int, company: EntityMention | None
    ) -> bool:
        """Whether a weak plant word ("site", "facility", "Standort") is about production:
        with a company of its own or in its sentence, a production word, or an industrial
        noun before it."""
        if company is not None or not _WEAK_WORD.fullmatch(doc.text, start, end):
            return True
        sentence_start, sentence_end = doc.sentence(start)
        return bool(
            doc.companies_in(sentence_start, sentence_end)
            or _PRODUCTION.search(doc.text, sentence_start, sentence_end)
            or _INDUSTRIAL_BEFORE.search(doc.text, max(0, start - 20), start)
        )

    def _after_plant_words(self, doc: _Document) -> Iterator[_Site]:
        """Sites from a plant word and what follows it, with the company before it."""
        text = doc.text
        for word_start, word_end in doc.plant_words:
            if _ONLY_AFTER_A_PLACE.fullmatch(text, word_start, word_end) and not (
                _INDUSTRIAL_BEFORE.search(text, max(0, word_start - 20), word_start)
            ):
                continue  # "works", "complex": a verb or an adjective more often than not
            company = self._company_before(doc, word_start)
            if not self._usable(doc, word_start, word_end) or not self._evidenced(
                doc, word_start, word_end, company
            ):
                continue
            start = doc.compound_start(company) if company else word_start
            position = word_end
            previous = _WORD_BEFORE.search(text, max(0, word_start - 30), word_start)
            country = country_of(previous.group(1)) if previous else None  # "polnischen Werk"
            follower = _LOWER_WORD.match(text, position)
            town = city_of_adjective(follower.group(1)) if follower else None
            if follower and town:
                position = follower.end()
            after = self._company_after(doc, position)
            if after is not None:
                company, position = after
            elif unknown := _UNKNOWN_MAKER.match(text, position):
                position = unknown.end()  # "l'usine PSA d'Aulnay": a maker the KB lacks
            if town is None and (adjective := self._town_adjective_before(doc, start)):
                town, start = adjective
            if town:
                yield _Site(start, position, town, company, country, strength=_NAMED)
                continue
            apposition = after is None and bool(
                _APPOSITION_WORD.fullmatch(text, word_start, word_end)
            )
            places = self._place_list(doc, position, apposition)
            if not places and after is None and (complement := _COMPLEMENT.match(text, position)):
                places = self._place_list(doc, complement.end(), False)
            yield from self._list_sites(start, places, company, country)

    def _before_plant_words(self, doc: _Document) -> Iterator[_Site]:
        """English sites named before the plant word: "the Oshawa plant", "Nissan's
        Sunderland plant", "a second Georgia plant"."""
        text = doc.text
        for word_start, word_end in doc.plant_words:
            if not _PLACE_FIRST_WORD.fullmatch(text, word_start, word_end) or not self._usable(
                doc, word_start, word_end
            ):
                continue
            window_start = max(0, word_start - 80)
            match = _BEFORE_WORD.search(text, window_start, word_start)
            if match is None:
                continue
            det, name_start, name_end = match.group("det"), match.start("name"), match.end("name")
            possessive = _POSSESSIVE.search(det)
            company = (
                doc.ending.get(match.end("det") - len(possessive.group(0)))
                if (possessive)
                else None
            )
            place_start = name_start
            if (named := doc.starting.get(name_start)) is not None:
                company, place_start = named, doc.compound_end(named)
                while place_start < name_end and text[place_start] in " -":
                    place_start += 1
            span = self._clean_place(doc, place_start, name_end) if place_start < name_end else None
            if span is None:
                continue
            place = text[span[0] : span[1]]
            if named is not None and not self._is_known_place(place):
                continue  # "the Chevrolet Bolt plant": a model, not a place
            if det in _ORDINALS:
                start = match.start("det")
            else:
                start = company.start if company is not None else name_start
            if self._evidenced(doc, word_start, word_end, company):
                yield _Site(start, word_end, place, company, strength=_NAMED)

    def _visits(self, doc: _Document) -> Iterator[_Site]:
        """ "bij Tesla in Tilburg", "chez Renault à Flins", "bei Opel in Eisenach"."""
        text = doc.text
        for company in doc.companies:
            if not _VISIT.search(text, max(0, company.start - 6), company.start):
                continue
            places = self._place_list(doc, doc.compound_end(company), False)
            if places and places[0].preposition in _VISIT_PREPOSITIONS:
                first = places[0]
                yield _Site(
                    doc.compound_start(company), first.end, first.name, company, first.country
                )

    def _made_in(self, doc: _Document) -> Iterator[_Site]:
        """Sites where something is made: "assemblées à Gand", "in Tilburg geassembleerd",
        "in Zwickau und Emden vom Band"; a country is no site."""
        text = doc.text
        for verb in _MADE_FORWARD.finditer(text):
            places = self._place_list(doc, verb.end(), False)
            if places and places[0].preposition in _MADE_PREPOSITIONS:
                yield from self._list_sites(verb.start(), _towns_only(places), None)
        for preposition in _MADE_BACKWARD.finditer(text):
            places = self._place_list(doc, preposition.start(), False)
            if not places:
                continue
            made = _MADE_AFTER_PLACE.match(text, places[-1].item_end or places[-1].end)
            if made is None:
                continue
            yield from self._list_sites(preposition.start(), _towns_only(places), None)

    def _known_towns(self, doc: _Document) -> Iterator[_Site]:
        """Towns of known plants: right after their operator's name ("Ford Genk"), in a
        sentence about making things that names the operator ("In Born maakt VDL Nedcar"),
        or in a clause with a plant word when the operator is named elsewhere in the text;
        not where the sentence says the company sits there ("based in Munich")."""
        text = doc.text
        for match in self._town_re.finditer(text):
            start, end = match.span()
            if doc.inside_company(start, end):
                continue
            sentence_start, sentence_end = doc.sentence(start)
            if _HEADQUARTERS.search(text, max(sentence_start, start - 40), start):
                continue
            plants = self._towns[_fold(match.group(0))]
            named = [
                *(m.kb_id for m in doc.companies_in(sentence_start, sentence_end) if m.kb_id),
                *(
                    kb_id
                    for m in doc.kb_plants
                    if sentence_start <= m.start < sentence_end
                    for kb_id in (m.kb_id, m.operator)
                    if kb_id
                ),
            ]
            anchor = self._anchor_before(doc, start)
            about_production = bool(_PRODUCTION.search(text, sentence_start, sentence_end))
            plant = None
            if anchor is not None or about_production:
                plant = next((p for p in plants for kb_id in named if self._runs(kb_id, p)), None)
            if anchor is not None and not (plant and self._runs(anchor.kb_id, plant)):
                anchor = None  # "TotalEnergies à Douvrin" names another company's site
            if plant is None and self._near_plant_word(doc, start, end):
                anywhere = {m.kb_id for m in doc.companies}
                plant = next(
                    (p for p in plants for kb_id in anywhere if self._runs(kb_id, p)), None
                )
            if plant is None:
                continue
            yield _Site(
                doc.compound_start(anchor) if anchor else start,
                end,
                match.group(0),
                known=plant,
                strength=_NAMED if anchor else _PLACED,
            )

    # --- pieces ------------------------------------------------------------------------

    def _company_before(self, doc: _Document, word_start: int) -> EntityMention | None:
        """The company just before a plant word: "Tesla-fabriek", "Kia assembly plant"."""
        window_start = max(0, word_start - 40)
        for end in range(word_start, window_start, -1):
            mention = doc.ending.get(end)
            if mention is not None and _COMPANY_TO_WORD.match(doc.text, end, word_start):
                return mention
        return None

    def _company_after(self, doc: _Document, position: int) -> tuple[EntityMention, int] | None:
        """The company right after a plant word ("usine Renault", "fabriek van Volvo")
        and where its name (and a parenthesis after it) ends."""
        link = _COMPANY_LINK.match(doc.text, position)
        if link is None or (company := doc.starting.get(link.end())) is None:
            return None
        end = doc.compound_end(company)
        paren = re.match(rf"{GAP}?\([^()\n]{{1,40}}\)", doc.text[end : end + 45])
        return company, end + (paren.end() if paren else 0)

    def _town_adjective_before(self, doc: _Document, start: int) -> tuple[str, int] | None:
        """A known town from an adjective before the plant word ("Zwickauer", "Gentse"),
        and where the adjective starts."""
        match = _CAPITALISED_BEFORE.search(doc.text, max(0, start - 30), start)
        if match is None:
            return None
        for stem in _adjective_stems(match.group("word")):
            if _fold(stem) in self._towns:
                return stem, match.start()
        return None

    def _place_list(self, doc: _Document, position: int, apposition: bool) -> list[_Place]:
        """The places from `position` on, one per place of a list; a bare "City, Region"
        pair is one place whose span runs to the region. The first needs a preposition
        unless the plant word takes its place's name right after it; a place whose sites
        the list goes on to name ("en France, dont deux à ...") is left out."""
        text = doc.text
        places: list[_Place] = []
        containers: set[int] = set()
        joined_by_word = False
        match = _ITEM.match(text, position)
        while match is not None:
            preposition = match.group("prep") or match.group("elided")
            if (
                not places
                and not preposition
                and (not apposition or text[match.start() : match.start("place")].strip())
            ):
                break  # a first place needs a preposition, or to follow "Werk" right away
            span = self._clean_place(doc, match.start("place"), match.end("place"))
            if span is None or (places and match.group("art") and not joined_by_word):
                break  # no place, or "Douai, le Losange ...": a new clause, not a region
            adjective = match.group("adj")
            country = country_of(adjective) if adjective else None
            name = text[span[0] : span[1]]
            places.append(_Place(name, *span, preposition, country, not places, match.end()))
            if span[1] < match.end("place"):
                break  # the name ran into a company or a date: the list stops there
            separator = self._separator.match(text, match.end())
            if separator is None or len(places) >= 8:
                break
            if separator.group("subset"):
                containers.add(len(places) - 1)
            joined_by_word = joined_by_word or bool(
                separator.group("conj") or separator.group("late")
            )
            match = _ITEM.match(text, separator.end())
        if len(places) == 2 and not joined_by_word and not containers:
            return [_region_pair(*places)]
        return [place for index, place in enumerate(places) if index not in containers]

    def _clean_place(self, doc: _Document, start: int, end: int) -> tuple[int, int] | None:
        """The span of a place name without what is not part of it (a company or a date
        that follows, a possessive, an area word before it), or None if it is no place."""
        text = doc.text
        if doc.starting.get(start) is not None:
            return None
        company = doc.inside_company(start, end)
        if company is not None:
            end = company.start
        for index, word in enumerate(re.finditer(r"[^\s-]+", text[start:end])):
            if (
                word.group(0) in NOT_PLACES
                or word.group(0) in _GENERIC_CAPS
                or (index and self.lang == "de" and _german_noun(word.group(0)))
            ):
                end = start + word.start()
                break
        while start < end:
            first = re.match(r"[^\s]+", text[start:end])
            if first is None or first.group(0) not in AREA_WORDS:
                break
            start += first.end() + 1
        if start >= end:
            return None
        place = _TRAILING.sub("", text[start:end].rstrip(" -"))
        place = _POSSESSIVE.sub("", _PLANT_NAME_WORDS.sub("", place))
        if not self._plausible_place(place):
            return None
        return start, start + len(place)

    def _plausible_place(self, place: str) -> bool:
        folded = _fold(place)
        if len(place) < 2 or place in NOT_PLACES or place.casefold() in _COUNTRY_ADJECTIVE_WORDS:
            return False
        code = country_of(place)
        if code == "EU":
            return False
        if place.isupper() and code is None:
            return False  # an acronym: an agency, a model, a fair
        if _PLANT_WORD.match(place):
            return False  # "im Werk Grünheide": the plant word, not a place
        if self.lang == "de" and folded not in self._towns and code is None:
            return not _german_noun(place.split()[0])
        return True

    def _is_known_place(self, place: str) -> bool:
        return _fold(place) in self._towns or country_of(place) is not None

    def _list_sites(
        self,
        start: int,
        places: list[_Place],
        company: EntityMention | None,
        country: str | None = None,
    ) -> Iterator[_Site]:
        """One site per place of a list: the first spans the phrase, the others their name."""
        for place in places:
            yield _Site(
                start if place.leads else place.start,
                place.end,
                place.name,
                company,
                place.country or country,
                strength=_NAMED if company else _PLACED,
            )

    def _anchor_before(self, doc: _Document, start: int) -> EntityMention | None:
        """A company or KB plant named right before a town ("Ford Genk", "Audi Brussels à
        Forest", "Renault-Nissan de Tanger")."""
        for mention in (*doc.companies, *doc.kb_plants):
            if start - 16 <= mention.end < start and _ANCHOR_GAP.fullmatch(
                doc.text, mention.end, start
            ):
                return mention
        return None

    def _near_plant_word(self, doc: _Document, start: int, end: int) -> bool:
        """Whether a plant word shares a clause with [start, end), within 80 characters."""
        text = doc.text
        for word_start, word_end in doc.plant_words:
            low, high = (word_end, start) if word_end <= start else (end, word_start)
            if 0 <= high - low <= 80 and not _CLAUSE_BREAK.search(text, low, high):
                return True
        return False

    # --- linking -----------------------------------------------------------------------

    def _mention(self, doc: _Document, site: _Site) -> EntityMention:
        company = site.company
        hint = None if company else (doc.subject(site.start) or doc.topic)
        plant = site.known
        if plant is None and company is not None:
            plant = self._plant_at(site.place, company.kb_id)
        elif plant is None:
            plant = self._plant_at(site.place, hint.kb_id if hint else None) or next(
                (
                    candidate
                    for candidate in self._towns.get(_fold(site.place), [])
                    for mention in doc.companies
                    if self._runs(mention.kb_id, candidate)
                ),
                None,
            )
        text = doc.text[site.start : site.end]
        if plant is not None and _BATTERY_PLANT.search(text) and not self._makes_batteries(plant):
            plant = None  # "the battery plant in Sunderland" is not the car plant there
        if plant is not None:
            operator = company.kb_id if company and not self._runs(company.kb_id, plant) else None
            return EntityMention(
                text,
                "PLANT",
                site.start,
                site.end,
                plant.name,
                plant.kb_id,
                "plant",
                operator or plant.operator,
                plant.country,
                plant.former_operators,
            )
        runner = company or hint
        entity = self.kb.get(runner.kb_id) if runner and runner.kb_id else None
        canonical = f"{entity.name} {site.place}" if entity else site.place
        return EntityMention(
            text,
            "PLANT",
            site.start,
            site.end,
            canonical,
            None,
            "plant",
            entity.kb_id if entity else None,
            site.country or country_of(site.place),
        )

    def _plant_at(self, place: str, operator: str | None) -> KBEntity | None:
        """The KB plant at `place` run (now or before) by `operator`'s family; without an
        operator, the only plant there."""
        plants = self._towns.get(_fold(place), [])
        if operator is None:
            return plants[0] if len(plants) == 1 else None
        if not plants and (code := country_of(place)) is not None:
            # "de Nissan-fabriek in Zuid-Afrika": the operator's only plant in that country
            plants = [
                plant
                for plant in self._plants
                if plant.country == code and self._runs(operator, plant)
            ]
            return plants[0] if len(plants) == 1 else None
        run = next((plant for plant in plants if self._runs(operator, plant)), None)
        if run is None and len(plants) == 1 and self._same_group(operator, plants[0].operator):
            return plants[0]  # "Volkswagen ... son usine de Martorell": a sister's only plant
        return run

    def _makes_batteries(self, plant: KBEntity) -> bool:
        """Whether a KB plant makes batteries: a battery maker runs it or its names say so
        ("Gigafactory Nevada")."""
        operator = self.kb.get(plant.operator) if plant.operator else None
        if operator is not None and operator.sector == "battery":
            return True
        return any(_BATTERY_PLANT.search(name) for name in (plant.name, *plant.alias_list()))

    def _same_group(self, company: str, other: str | None) -> bool:
        entities = self.kb.entities
        return (
            other is not None
            and company in entities
            and other in entities
            and self.kb.group_of(company) == self.kb.group_of(other)
        )

    def _runs(self, company: str | None, plant: KBEntity) -> bool:
        """Whether `company`, one of its parents or children runs or ran `plant`."""
        if company is None:
            return False
        if company == plant.kb_id:
            return True
        return any(
            company in self._lineage(runner) or runner in self._lineage(company)
            for runner in (plant.operator, *plant.former_operators)
            if runner
        )

    def _lineage(self, kb_id: str) -> frozenset[str]:
        return _lineage(self.kb, kb_id)


@lru_cache(maxsize=4096)
def _lineage(kb: KnowledgeBase, kb_id: str) -> frozenset[str]:
    """`kb_id` and its parents."""
    if kb_id not in kb.entities:
        return frozenset({kb_id})
    return frozenset({kb_id, *(entity.kb_id for entity in kb.ancestors(kb_id))})


def _towns_only(places: list[_Place]) -> list[_Place]:
    """The places of a list that are not whole countries ("built in Japan")."""
    return [place for place in places if country_of(place.name) is None]


def _region_pair(first: _Place, second: _Place) -> _Place:
    """One place from "City, Region" (or "Country, City"): the more precise name, the span
    of both."""
    name, country = first.name, first.country or country_of(second.name)
    if country_of(first.name) is not None and country_of(second.name) is None:
        name, country = second.name, country_of(first.name)
    return _Place(name, first.start, second.end, first.preposition, country, True, second.item_end)


def _fold(name: str) -> str:
    """A place name for lookups: case-folded, hyphens as spaces ("Blainville-sur Orne")."""
    return _HYPHENS.sub(" ", name.casefold())


def _plant_words(text: str) -> list[tuple[int, int]]:
    """Spans of the plant words in `text`: found by their stems, then checked whole."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    # Lower-casing keeps offsets for nearly all text; where it does not, search ignoring case.
    stems = (
        _PLANT_STEM.finditer(lowered)
        if len(lowered) == len(text)
        else _PLANT_STEM_IGNORING_CASE.finditer(text)
    )
    for stem in stems:
        start = stem.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        if spans and start < spans[-1][1]:
            continue
        match = _PLANT_WORD.match(text, start)
        if match is not None:
            spans.append(match.span())
    return spans


def _german_noun(word: str) -> bool:
    """Whether a capitalised German word is a common noun rather than a name."""
    return word in GERMAN_NOT_PLACES or word.endswith(GERMAN_NOUN_ENDINGS)


def _adjective_stems(word: str) -> list[str]:
    """Town names an adjective may come from: "Zwickauer" → Zwickau, "Bremer" → Bremen,
    "Münchner" → München, "Gentse" → Gent, "Antwerpse" → Antwerpen, "gantoise" → Gand."""
    stems = [town] if (town := city_of_adjective(word)) else []
    for ending in ("er", "se", "sche"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            stems += [stem, stem + "en", stem[:-1] + "en"]
    return stems


def _without_overlaps(ranked: list[tuple[EntityMention, int]]) -> list[EntityMention]:
    """The longest mentions (then the best evidenced) where several overlap."""
    chosen: list[EntityMention] = []
    order = sorted(ranked, key=lambda item: (item[0].start - item[0].end, -item[1], item[0].start))
    for mention, _ in order:
        if all(mention.end <= other.start or mention.start >= other.end for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda mention: mention.start)
