"""Entity mentions: knowledge-base companies and plants, rule-found companies, places,
and what a statistical model adds; the knowledge base wins where they overlap."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from nlp.company_cues import (
    cue_companies,
    function_words,
    is_cue_noun,
    is_place_word,
    recurrences,
)
from nlp.kb import KBEntity, KnowledgeBase
from nlp.kinds import COMPANY_KINDS
from nlp.patterns import compiled, trie_pattern
from nlp.places import COUNTRY_NAMES, country_of

# Statistical labels of the stock spaCy pipelines mapped onto ours.
MODEL_LABELS = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "ORG": "ORG",
}


@dataclass(frozen=True)
class EntityMention:
    """A named thing in the text, linked to the knowledge base when known."""

    text: str
    label: str  # COMPANY | PLANT | PERSON | LOCATION | ORG
    start: int
    end: int
    canonical: str
    kb_id: str | None = None
    kind: str | None = None
    operator: str | None = None  # plants: KB id of the operating company
    country: str | None = None
    former_operators: tuple[str, ...] = ()  # plants: KB ids of earlier operators

    def as_json(self) -> dict[str, object]:
        """The mention as in the `analyze` JSON contract."""
        data: dict[str, object] = {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
            "kb_id": self.kb_id,
            "kind": self.kind,
        }
        if self.label == "PLANT":
            data["operator"] = self.operator
            data["country"] = self.country
            data["former_operators"] = list(self.former_operators)
        return data


PLACE_KINDS = frozenset({"country", "market"})
# Products (vehicle lines, software) are matched so that no shorter name inside them and
# no rule takes them for a company; they are dropped when mentions are merged.
PRODUCT = "PRODUCT"


def _label_for(entity: KBEntity) -> str:
    if entity.kind == "plant":
        return "PLANT"
    if entity.kind in PLACE_KINDS:
        return "LOCATION"
    if entity.is_product:
        return PRODUCT
    return "COMPANY" if entity.kind in COMPANY_KINDS else "ORG"


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(set(names), key=len, reverse=True))


# A name may be followed by a possessive ("Chery's", "JLR’s") or start a compound
# ("Nissan-fabriek", "VW-Werk"); it may not run on into a longer word.
_NAME_END = r"(?=['’]s?\b|-\w|(?![\w&]))"
_NAME_START = r"(?<![\w&])"


class KBMatcher:
    """Finds knowledge-base names in text for one language."""

    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        self.kb = kb
        strict: dict[str, KBEntity] = {}
        loose: dict[str, tuple[KBEntity, str]] = {}
        owners: dict[str, set[str]] = {}
        for name, entity in kb.names(lang):
            owners.setdefault(name.casefold(), set()).add(entity.kb_id)
            if _needs_exact_case(name, entity):
                strict.setdefault(name, entity)
            elif name.lower() not in loose or (
                loose[name.lower()][0] is entity
                and _capitals(name) < _capitals(loose[name.lower()][1])
            ):
                loose[name.lower()] = (entity, name)
        self._strict = strict
        self._loose = loose
        # Names shared by several entities ("Volvo", "Geely"), with the ids they may name.
        self._shared = {
            name: ids for name, ids in owners.items() if name in kb.ambiguous and len(ids) > 1
        }
        self._strict_re = compiled(_NAME_START + f"(?:{trie_pattern(strict)})" + _NAME_END)
        # Loose names are matched in the lower-cased text (same offsets; see `find`).
        self._loose_re = compiled(_NAME_START + f"(?:{trie_pattern(loose)})" + _NAME_END)
        self._loose_re_ignorecase = compiled(
            _NAME_START + f"(?:{trie_pattern(loose)})" + _NAME_END, re.IGNORECASE
        )

    def find(self, text: str) -> list[EntityMention]:
        """Longest, leftmost knowledge-base mentions, without overlaps."""
        found = [
            self._mention(text, match, self._strict[match.group(0)])
            for match in self._strict_re.finditer(text)
        ]
        position = 0
        lowered = text.lower()
        # Lower-casing keeps offsets for nearly all text; where it does not, match ignoring case.
        same_length = len(lowered) == len(text)
        haystack, pattern = (
            (lowered, self._loose_re) if same_length else (text, self._loose_re_ignorecase)
        )
        while match := pattern.search(haystack, position):
            matched = text[match.start() : match.end()]
            entity, written = self._loose[matched.lower()]
            # "smart" the word is not "Smart" the brand, nor "de morgen" the newspaper
            # "De Morgen": a capitalised word of a name must be capitalised in the text; a
            # rejected match lets shorter names inside it match.
            if not _capitals_kept(written, matched):
                position = match.start() + 1
                continue
            found.append(self._mention(text, match, entity))
            position = match.end()
        return self._one_sense(_without_overlaps(found))

    def _one_sense(self, mentions: list[EntityMention]) -> list[EntityMention]:
        """A name shared by several entities ("Geely": the holding or the listed carmaker)
        names the one that the text names unambiguously nearest before it (else first
        after it), directly or through a brand below it ("Volvo Trucks" -> AB Volvo)."""
        if not self._shared:
            return mentions
        named: list[tuple[int, list[str]]] = []  # (start, the entity and its ancestors)
        for mention in mentions:
            if mention.kb_id and mention.text.casefold() not in self._shared:
                lineage = [mention.kb_id, *(e.kb_id for e in self.kb.ancestors(mention.kb_id))]
                named.append((mention.start, lineage))
        if not named:
            return mentions
        resolved = []
        for mention in mentions:
            candidates = self._shared.get(mention.text.casefold())
            choice = _nearest_named(mention.start, named, candidates) if candidates else None
            entity = self.kb.get(choice) if choice else None
            if entity is not None and choice != mention.kb_id:
                mention = replace(mention, canonical=entity.name, kb_id=choice, kind=entity.kind)
            resolved.append(mention)
        return resolved

    def _mention(self, text: str, match: re.Match[str], entity: KBEntity) -> EntityMention:
        return EntityMention(
            text=text[match.start() : match.end()],
            label=_label_for(entity),
            start=match.start(),
            end=match.end(),
            canonical=entity.name,
            kb_id=entity.kb_id,
            kind=entity.kind,
            operator=entity.operator,
            country=entity.country,
            former_operators=entity.former_operators,
        )


def _nearest_named(
    position: int, named: list[tuple[int, list[str]]], candidates: set[str]
) -> str | None:
    """The candidate named nearest before `position`, else the first named after it."""
    before = [(start, lineage) for start, lineage in named if start < position]
    after = [(start, lineage) for start, lineage in named if start > position]
    for _, lineage in [*reversed(before), *after]:
        for kb_id in lineage:
            if kb_id in candidates:
                return kb_id
    return None


def _capitals(name: str) -> int:
    return sum(word[:1].isupper() for word in name.split())


def _capitals_kept(written: str, matched: str) -> bool:
    """Whether every word capitalised in the knowledge base is capitalised (or a digit)
    in the text."""
    return all(
        not word[:1].isupper() or seen[:1].isupper() or seen[:1].isdigit()
        for word, seen in zip(written.split(), matched.split(), strict=False)
    )


def _needs_exact_case(name: str, entity: KBEntity) -> bool:
    """Short names, acronyms and names that are common words only match as written."""
    return entity.case_sensitive or len(name) <= 3 or (name.isupper() and len(name) <= 5)


def _without_overlaps(mentions: Iterable[EntityMention]) -> list[EntityMention]:
    """Keep the longest mention where several overlap; earlier-listed wins ties."""
    chosen: list[EntityMention] = []
    ranked = sorted(enumerate(mentions), key=lambda item: (-(item[1].end - item[1].start), item[0]))
    for _, mention in ranked:
        if all(mention.end <= other.start or mention.start >= other.end for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda mention: mention.start)


_LEGAL_FORMS = (
    r"N\.V\.|NV|B\.V\.|BV|AG|SE|GmbH|KGaA|S\.A\.|SA|SAS|S\.p\.A\.|SpA|Ltd\.?|Limited|PLC|plc|"
    r"Inc\.?|Corp\.?|Corporation|Co\.|LLC|Group|Groep|Groupe|Gruppe|Holding|Holdings|"
    r"Motors|Motor|Automotive|Automobile|Automobiles|Auto|Cars|Mobility|Industries|"
    r"Technologies"
)
# A capitalised word; dots only inside it ("Co.KG"), so a sentence's full stop ends it.
_CAPITALISED = r"(?:[A-ZÀ-ÖØ-Þ][\w&'’-]*(?:\.[\w&'’-]+)*)"
_ARTICLES = frozenset(
    {"De", "Het", "Een", "La", "Le", "Les", "L'", "Der", "Die", "Das", "Den", "Dem", "The", "A"}
)
_RULE_COMPANY = re.compile(
    rf"(?<![\w-])(?P<name>{_CAPITALISED}(?:[ ](?:&[ ])?{_CAPITALISED}){{0,3}}"
    rf"[ ](?:{_LEGAL_FORMS}))(?![\w])"
)
_COUNTRY_RE = re.compile(
    _NAME_START
    + f"(?:{_alternation(name for names in COUNTRY_NAMES.values() for name in names)})"
    + r"(?![\w])"
)
_COUNTRY_BY_NAME = {name: code for code, names in COUNTRY_NAMES.items() for name in names}


# A capitalised word straight after a name: the name goes on ("Auto Show", "Motor Cycle").
_NAME_GOES_ON = re.compile(r"[ ][A-ZÀ-ÖØ-Þ][\w&'’-]")


def legal_form_companies(text: str, lang: str = "xx") -> Iterator[EntityMention]:
    """Companies outside the knowledge base, from capitalised names with a legal-form cue
    ("Müller Fahrzeugbau GmbH"); leading function words are not part of the name ("Ein
    Auto", "Get Motor" name nothing), and neither is a name that goes on after the form
    ("Los Angeles Auto Show")."""
    stop = function_words(lang)
    for match in _RULE_COMPANY.finditer(text):
        start, name = match.start("name"), match.group("name")
        while " " in name and (
            (first := name.split(" ", 1)[0]) in _ARTICLES
            or first.casefold() in stop
            or first.endswith(("'s", "’s"))
        ):  # "Die Müller GmbH", "Welcher Gruppe", "Braun's Ithaca Holdings"
            start += len(first) + 1
            name = name[len(first) + 1 :]
        if " " not in name:  # a legal form alone names nothing
            continue
        if not name.endswith(".") and _NAME_GOES_ON.match(text, match.end()):
            continue
        yield EntityMention(name, "COMPANY", start, start + len(name), name, kind="company")


def rule_companies(
    text: str, lang: str = "xx", known: Iterable[EntityMention] = ()
) -> list[EntityMention]:
    """Companies (and, from cues such as "bank", other organisations) outside the
    knowledge base: names with a legal form, names a cue announces, members of lists of
    `known` companies, and every other place the text writes these names."""
    legal = list(legal_form_companies(text, lang))
    spans = [(m.start, m.end) for m in known if m.label == "COMPANY"]
    cued = cue_companies(text, lang, spans)
    again = recurrences(text, [(m.start, m.end, m.label) for m in legal])
    mentions = list(legal)
    for start, end, label in [*cued, *again]:
        name = text[start:end]
        kind = "company" if label == "COMPANY" else "org"
        mentions.append(EntityMention(name, label, start, end, name, kind=kind))
    return mentions


_ORG_HEADS = (
    # nl
    "Bank|Commissie|Raad|Parlement|Partij|Stichting|Vereniging|Federatie|Universiteit|"
    "Ministerie|Agentschap|Fonds|Instituut|Unie|Bond|Vakbond|Kamer|Rechtbank|Hof|Politie|"
    # fr
    "Banque|Commission|Conseil|Parti|Fondation|Association|Fédération|Université|Ministère|"
    "Agence|Institut|Union|Syndicat|Chambre|Tribunal|Cour|Comité|"
    # de
    "Kommission|Rat|Parlament|Partei|Stiftung|Verband|Verein|Universität|Ministerium|"
    "Agentur|Gewerkschaft|Gericht|Amt|Bundesamt|Behörde|"
    # en
    "Commission|Council|Parliament|Party|Foundation|Association|Federation|University|"
    "Ministry|Agency|Institute|Authority|Court|Committee|Society"
)
_LINKING = (
    r"(?:van|voor|de|des|du|der|des|für|of|for)(?:[ ](?:de|la|het|der|the))?|d['’]|de[ ]l['’]"
)
_RULE_ORG = re.compile(
    rf"(?<![\w-])(?P<name>(?:{_CAPITALISED}[ ]){{0,3}}(?:{_ORG_HEADS})"
    rf"(?:[ ](?:{_LINKING})[ ]?{_CAPITALISED}(?:[ ]{_CAPITALISED}){{0,2}}"
    rf"|(?:[ ]{_CAPITALISED}){{1,3}})?)(?![\w])"
)
# Three to six capitals ("ACEA", "SMMT", "FEBIAC"): agencies, federations, parties.
_ACRONYM = re.compile(r"(?<![\w&.-])(?P<name>[A-Z]{3,6})(?![\w&-]|\.\w)")
_ROMAN = re.compile(r"[IVXLCDM]+")
_CAPS_WORD = re.compile(r"[A-ZÀ-Þ]{3,}")


def rule_organisations(text: str) -> Iterator[EntityMention]:
    """Organisations outside the knowledge base: names built on an organisation word
    ("Europese Centrale Bank", "Stichting George Grard") and acronyms in running text."""
    for match in _RULE_ORG.finditer(text):
        start, name = match.start("name"), match.group("name")
        while (first := name.split(" ", 1)[0]) in _ARTICLES and " " in name:
            start += len(first) + 1
            name = name[len(first) + 1 :]
        if " " in name:  # a lone head word ("Bank") names nothing in particular
            yield EntityMention(name, "ORG", start, start + len(name), name, kind="org")
    for match in _ACRONYM.finditer(text):
        name = match.group("name")
        if (
            name in GENERIC_ACRONYMS
            or name in _COUNTRY_BY_NAME
            or _ROMAN.fullmatch(name)
            or _shouting(text, match.start())
        ):
            continue
        yield EntityMention(name, "ORG", match.start(), match.end(), name, kind="org")


def _shouting(text: str, position: int) -> bool:
    """Whether the text around `position` is set in capitals (a heading, not a name)."""
    window = text[max(0, position - 30) : position + 30]
    letters = [char for char in window if char.isalpha()]
    if sum(char.isupper() for char in letters) > 0.5 * len(letters):
        return True
    before = text[max(0, position - 30) : position].split()
    after = text[position : position + 40].split()[1:2]
    neighbours = [*before[-1:], *after]
    return any(_CAPS_WORD.fullmatch(word.strip(".,;:()'’\"")) for word in neighbours)


def countries(text: str) -> Iterator[EntityMention]:
    """Country names as LOCATION mentions, canonicalised to ISO codes."""
    for match in _COUNTRY_RE.finditer(text):
        code = _COUNTRY_BY_NAME[match.group(0)]
        yield EntityMention(
            match.group(0),
            "LOCATION",
            match.start(),
            match.end(),
            code,
            kind="location",
            country=code,
        )


# Acronyms a statistical model often takes for names; they name no organisation or place.
GENERIC_ACRONYMS = frozenset(
    [
        "R&D",
        "CEO",
        "CFO",
        "COO",
        "CTO",
        "PDG",
        "EV",
        "EVs",
        "BEV",
        "PHEV",
        "HEV",
        "SUV",
        "SUVs",
        "ICE",
        "IT",
        "HR",
        "KPI",
        "OEM",
        "OEMs",
        "CO2",
        "GWh",
        "kWh",
        "PR",
        "VAT",
        "BTW",
        "TVA",
        "MwSt",
        "ADAS",
        "OTA",
        "IPO",
        "M&A",
        "B2B",
        "B2C",
        "UMTS",
        "ADSL",
        "GSM",
        "DVD",
        "GPS",
        "LED",
        "LCD",
        "SMS",
        "WAP",
        "PIN",
        "LPG",
        "CNG",
        "NOX",
        "WLTP",
        "NEDC",
        "MPV",
        "GTI",
        "AWD",
        "USB",
        "PDF",
        "NEV",
        "NEVs",
        "EREV",
        "FCEV",
    ]
)
# "Pékin (Xinhua) -": a dateline names the place, then the agency.
_DATELINE = re.compile(
    r"(?m)^[ \t]*[A-ZÀ-Ý][\w .'’-]{1,40}\((?P<agency>[^()\n]{2,40})\)[ \t]*[-–—:]"
)
_MODEL_CUE = re.compile(
    r"(?:mod[eè]le|model|modell|version|variante?|SUV|berline|Limousine)(?:\s+[\w-]+)?\s+$", re.I
)
_LEADING_ELISION = re.compile(r"^(?:[lLdD]['’]|(?:the|The|de|De|het|Het|der|die|das)\s+)")
_TRAILING_FUNCTION_WORD = re.compile(
    r"(?:\s+(?:de|du|des|la|le|les|et|van|de|het|der|die|das|und|of|the|and)|\s*[dlDL]['’])$"
)


def plausible_model_mentions(
    text: str, mentions: Iterable[EntityMention]
) -> Iterator[EntityMention]:
    """Statistical mentions without the usual noise: lowercase words, generic acronyms,
    truncated names, product names after a model cue, lone capitalised words that only
    start a sentence; a news agency in a dateline becomes an ORG."""
    matches = list(_DATELINE.finditer(text))
    agencies = {match.span("agency") for match in matches}
    datelines = [match.span() for match in matches]
    for mention in mentions:
        name = _TRAILING_FUNCTION_WORD.sub("", mention.text).strip(" ,.;:'’\"«»()-")
        name = _LEADING_ELISION.sub("", name)
        if not name or not name[0].isupper() or name in GENERIC_ACRONYMS:
            continue
        start = text.find(name, mention.start, mention.end)
        end = start + len(name)
        if name.isupper() and _shouting(text, start):  # a word of a heading in capitals
            continue
        if _MODEL_CUE.search(text, max(0, start - 30), start):
            continue
        dateline = any(match_start <= start < match_end for match_start, match_end in datelines)
        if (
            not dateline
            and _starts_sentence(text, start)
            and " " not in name
            and not _capitalised_elsewhere(text, name, start)
        ):
            continue
        label, kind = mention.label, mention.kind
        if (start, end) in agencies:
            label, kind = "ORG", "org"
        yield EntityMention(name, label, start, end, name, kind=kind)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\u00a0")
    return not before or before[-1] in '.!?\n"«“:'


def _capitalised_elsewhere(text: str, name: str, start: int) -> bool:
    """Whether `name` also occurs away from position `start` in the text."""
    pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
    return any(match.start() != start for match in pattern.finditer(text))


def merge_mentions(
    kb_mentions: list[EntityMention],
    rule_mentions: Iterable[EntityMention],
    model_mentions: Iterable[EntityMention],
) -> list[EntityMention]:
    """Knowledge base first, then rules, then the statistical model; no overlaps. Known
    products take their place and are then left out. A rule-found name that holds a
    known one and more than a legal form is another company ("Mitsubishi Heavy
    Industries Ltd" is not Mitsubishi Motors): the known name inside it goes."""
    rule_mentions = list(rule_mentions)
    chosen = _without_names_inside(kb_mentions, rule_mentions)
    for layer in (rule_mentions, model_mentions):
        for mention in layer:
            if all(mention.end <= other.start or mention.start >= other.end for other in chosen):
                chosen.append(mention)
    kept = [mention for mention in chosen if mention.label != PRODUCT]
    return sorted(kept, key=lambda mention: mention.start)


_GENERIC_NAME_WORD = re.compile(rf"(?:{_LEGAL_FORMS}|&|and|Company|Co|Cie)")


def _generic_name_word(word: str) -> bool:
    """A legal form or a place: "Nissan North America Inc." is still Nissan."""
    return bool(_GENERIC_NAME_WORD.fullmatch(word)) or is_place_word(word)


def _without_names_inside(
    kb_mentions: list[EntityMention], rule_mentions: list[EntityMention]
) -> list[EntityMention]:
    """KB company mentions, less those inside a longer name with a legal form or an
    organisation word that adds a word other than a legal form ("Hyundai Heavy Industries
    Co." and "Ford Foundation" hold no mention of Hyundai or Ford)."""
    longer = [m for m in rule_mentions if m.kb_id is None and " " in m.text]
    if not longer:
        return list(kb_mentions)
    kept = []
    for mention in kb_mentions:
        outer = next(
            (
                m
                for m in longer
                if m.start <= mention.start
                and mention.end <= m.end
                and (m.end - m.start) > (mention.end - mention.start)
            ),
            None,
        )
        if (
            outer is not None
            and mention.label == "COMPANY"
            and (outer.label == "ORG" or _GENERIC_NAME_WORD.fullmatch(outer.text.split()[-1]))
        ):
            rest = (
                outer.text[: mention.start - outer.start]
                + " "
                + outer.text[mention.end - outer.start :]
            ).split()
            if any(not _generic_name_word(word.strip("'’.,")) for word in rest):
                continue
        kept.append(mention)
    return kept


# Words that show a text is about vehicles, in nl, fr, de and en.
_VEHICLE_WORDS = re.compile(
    r"(?i)\b(?:auto'?s?|wagens?|voertuigen|autobouwer\w*|automerk\w*|vrachtwagens?|"
    r"voitures?|véhicules?|automobiles?|constructeurs?|camions?|"
    r"pkw|lkw|fahrzeug\w*|autobauer\w*|autohersteller\w*|elektroautos?|"
    r"cars?|vehicles?|carmakers?|automakers?|trucks?|suvs?|evs?|sedans?|hatchbacks?)\b"
)
# A capitalised word right before or after a name: the name is part of another one
# ("Rita Ora", "Mavic Mini", "Smart Watch").
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’-])(?P<word>[A-ZÀ-ÖØ-Þ][\w'’-]*)[ ]$")
_CAPITALISED_AFTER = re.compile(r"[ ][A-ZÀ-ÖØ-Þ]")


def in_context(
    text: str, mentions: list[EntityMention], kb: KnowledgeBase, lang: str = "xx"
) -> list[EntityMention]:
    """KB mentions without the brands that are also common words or names ("Smart",
    "Mini", "Ora", "Rover") where they end another capitalised name ("Rita Ora", "Mars
    Rover"), or, in a text that says nothing of vehicles and names no other company, where
    a capitalised word follows them ("Smart Watch") or they open a sentence."""
    weak = [
        m
        for m in mentions
        if m.label == "COMPANY"
        and m.kb_id
        and (entity := kb.get(m.kb_id)) is not None
        and entity.case_sensitive
    ]
    if not weak:
        return mentions
    starts = {m.end + 1 for m in mentions}  # a name right before: "Volvo Ora" is two names
    dropped = {id(m) for m in weak if _ends_longer_name(text, m.start, lang, starts)}
    strong = any(m.label == "COMPANY" and m not in weak for m in mentions)
    if not strong and not _VEHICLE_WORDS.search(text):
        dropped |= {
            id(m)
            for m in weak
            if _CAPITALISED_AFTER.match(text, m.end) or _starts_sentence(text, m.start)
        }
    return [m for m in mentions if id(m) not in dropped]


def _ends_longer_name(text: str, start: int, lang: str, name_ends: set[int]) -> bool:
    """Whether a capitalised word that is no function word, place, cue noun or known
    name comes right before `start`, mid-sentence."""
    before = _CAPITALISED_BEFORE.search(text, max(0, start - 40), start)
    if before is None or start in name_ends or _starts_sentence(text, before.start()):
        return False
    word = before.group("word")
    if word.endswith(("'s", "’s", "s'", "s’")):  # "Elon Musk's Tesla"
        return False
    return not (
        word.casefold() in function_words(lang)
        or country_of(word) is not None
        or is_cue_noun(word, lang)
    )
