"""Who or what a figure is about: a company, a country or a market.

Candidates come from names in the figure's sentence, from phrases that refer back to a
company ("the carmaker", "het Chinese bedrijf", "les Américains", "son chiffre d'affaires"),
from country and market names and adjectives tied to a metric ("la production française"),
and from the sentences before it. Each candidate is scored from a few named features
(position, clause, asides, comparisons, prepositions, parse); the best one wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from nlp.entities import EntityMention
from nlp.figures import Figure
from nlp.kb import KBEntity, KnowledgeBase
from nlp.kinds import COMPANY_KINDS
from nlp.metrics import MONEY_METRICS, Cue
from nlp.patterns import FoldedPattern, trie_pattern
from nlp.places import COUNTRY_ADJECTIVES, COUNTRY_CANONICAL, DEMONYMS, MARKETS, place_id

# Metrics a country or a market can be the subject of ("UK car production rose ...").
MARKET_METRICS = frozenset({"sales", "exports", "registrations", "production"})


@dataclass(frozen=True)
class Subject:
    """A fact's subject: canonical name, KB id, kind (company, country or market), and
    where the text names it or refers to it."""

    name: str
    kb_id: str | None
    kind: str
    text: str
    start: int
    end: int
    country: str | None = None  # a company's home country; a place's location code
    company_kind: str | None = None  # company, brand or group, for companies


@dataclass(frozen=True)
class Scored:
    """A subject candidate for one figure, its score and the features that gave it."""

    subject: Subject
    score: float
    reasons: tuple[str, ...]


def _alternation(words: Sequence[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


# -- phrases that refer to a company ------------------------------------------------------

_DETERMINER = (
    r"(?:het|de|dit|deze|die|le|la|l['’]|les|ce|cette|du|au|der|die|das|den|dem|des|dieser|"
    r"diese|dieses|the|this)"
)
PARENT_NOUNS = [
    "moederbedrijf",
    "moederconcern",
    "maison mère",
    "maison-mère",
    "konzernmutter",
    "mutterkonzern",
    "muttergesellschaft",
    "parent",
    "parent company",
    "parent firm",
]
GROUP_NOUNS = [
    "concern",
    "autoconcern",
    "groep",
    "groupe",
    "konzern",
    "autokonzern",
    "gruppe",
    "group",
]
PLANT_NOUNS = [
    "fabriek",
    "autofabriek",
    "vestiging",
    "usine",
    "site",
    "werk",
    "fabrik",
    "factory",
    "plant",
    "facility",
    "complex",
]
# Nouns that name a maker of vehicles, not any company.
MAKER_NOUNS = frozenset(
    {
        "constructeur",
        "carmaker",
        "automaker",
        "car-maker",
        "autobouwer",
        "autofabrikant",
        "autoproducent",
        "autobauer",
        "autohersteller",
        "autoconcern",
        "autokonzern",
        "vrachtwagenbouwer",
        "lkw-hersteller",
        "camionneur",
        "automerk",
    }
)
_VEHICLE_MODIFIER = re.compile(r"\b(?:automobile|auto|car|vehicle|véhicules|truck|camions)\b", re.I)
BRAND_NOUNS = ["merk", "automerk", "marque", "marke", "brand"]
COMPANY_NOUNS = [
    "bedrijf",
    "fabrikant",
    "autofabrikant",
    "autobouwer",
    "producent",
    "autoproducent",
    "onderneming",
    "vrachtwagenbouwer",
    "autogigant",
    "gigant",
    "constructeur",
    "société",
    "entreprise",
    "firme",
    "fabricant",
    "géant",
    "leader",
    "équipementier",
    "motoriste",
    "camionneur",
    "hersteller",
    "autohersteller",
    "autobauer",
    "unternehmen",
    "firma",
    "riese",
    "autoriese",
    "zulieferer",
    "lkw-hersteller",
    "company",
    "carmaker",
    "automaker",
    "car-maker",
    "firm",
    "manufacturer",
    "maker",
    "giant",
    "supplier",
]
# Country (and market) adjectives as written, with their location code.
_ADJECTIVE_CODES = {
    **{word: code for code, words in COUNTRY_ADJECTIVES.items() for word in words},
    **{word: market.location for market in MARKETS for word in market.adjectives},
}
_ADJECTIVE_RE = re.compile(rf"(?<![\w-])(?:{trie_pattern(_ADJECTIVE_CODES)})(?![\w-])")
_NATIONALITY = {word.casefold(): code for word, code in _ADJECTIVE_CODES.items()}
_FUNCTION_WORD = (
    r"(?:que|qui|le|la|les|l['’]|de|du|des|d['’]|un|une|het|een|the|a|an|of|van|der|die|das|"
    r"den|dem|ein|eine|and|et|und|en|in|à|au|aux|op|on|auf|im|dans|with|met|avec|mit|pour|for)"
)
_REFERENCE_NOUN = FoldedPattern(
    r"(?<![\w-])(?:"
    + trie_pattern(PARENT_NOUNS + GROUP_NOUNS + BRAND_NOUNS + COMPANY_NOUNS + PLANT_NOUNS)
    + ")"
    r"(?![\w-])"
)
# The determiner and up to three modifiers before a referring noun, read backwards from it.
_REFERENCE_HEAD = re.compile(
    rf"(?<![\w-]){_DETERMINER}\s+(?P<mods>(?:(?!{_FUNCTION_WORD}\s)[\w'’-]+\s+){{0,3}})$",
    re.I,
)
_DEMONYM_CODE = {word.casefold(): code for code, words in DEMONYMS.items() for word in words}
_DEMONYM = re.compile(
    r"(?<![\w-])(?:[Dd]e|[Ll]es|[Dd]ie|[Tt]he)\s+(?P<people>"
    + _alternation([word for words in DEMONYMS.values() for word in words])
    + ")"
    r"(?![\w-])(?!\s+[A-ZÄÖÜ]\w)(?!\s+(?:[a-zäöüéè]\w+\s+)?(?:bedrijf|groep|constructeur|groupe|"
    r"hersteller|konzern|carmaker|automaker|company|group|firm|maker|brand|merk|marque|marke))"
)
# "Son bénéfice net", "Its revenue", "Zijn omzet", "Sein Umsatz": the previous subject's.
_POSSESSIVE = re.compile(
    r"(?<![\w-])(?:son|sa|ses|leur|leurs|its|their|zijn|haar|hun|sein|seine|seinen|seiner|"
    r"ihr|ihre|ihren|ihrer)(?![\w-])",
    re.I,
)

# -- positions that say a name is not the subject ------------------------------------------

_COMPARISON_BEFORE = re.compile(
    r"(?:\b(?:than|dan|que|qu['’]|als|as|devant|vor|ahead\s+of|behind|achter|derrière|hinter|"
    r"compared\s+(?:with|to)|vergeleken\s+met|par\s+rapport\s+à|gegenüber|versus|vs\.?|"
    r"contre|tegen|against|like|zoals|comme|wie|such\s+as|including|waaronder|dont|"
    r"darunter|among|parmi|onder\s+meer|unter\s+anderem|notamment|clients?|customers?|"
    r"klanten|klant|kunden|hauptkunden|kunde|afnemers?)\s+"
    r"(?:[a-zäöüéèàçß'’-]+\s+){0,2})$",
    re.I,
)
# "der Volvo-Eigner Geely", "Renault-topman": a name inside a compound that names someone
# else.
_RELATION_COMPOUND = re.compile(
    r"-(?:eigner|eigentümer|mutter|tochter|chef|partner|rivale|konkurrent|händler|besitzer|"
    r"eigenaar|dochter|topman|baas|partner|owner|rival|parent|chief|boss|ceo|topmanager)\b",
    re.I,
)
# Prepositions after which a name is an object or an agent, not the figure's owner.
_OBJECT_BEFORE = re.compile(
    r"\b(?:met|avec|mit|with|door|par|by|durch|from|uit|aus|naar|vers|to|into|in|dans|im|"
    r"bij|bei|chez|at|für|voor|pour|for|an|aan|à|au|aux|sur|on|op|over|über)\s+"
    r"(?:(?:the|de|het|le|la|les|l['’]|der|die|das|den|dem|des)\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
# ", an dem Stellantis 51 Prozent hält": a relative clause, the name is its subject.
_RELATIVE_BEFORE = re.compile(
    r",\s*(?:\w+\s+)?(?:dem|der|denen|welchem|welcher|which|whom|dont|lequel|laquelle|"
    r"waarvan|waarin|waarbij|waarmee)\s+$",
    re.I,
)
# "such as Citroën, Peugeot and Jeep": every name of the list is an example.
_EXAMPLE_LIST = re.compile(
    r"\b(?:such\s+as|like|including|zoals|waaronder|comme|notamment|dont|wie|darunter|"
    r"unter\s+anderem|onder\s+meer|among\s+them|parmi|clients|customers|klanten|kunden)\s+(?:[\w&'’.-]+(?:\s+[\w&'’.-]+)?"
    r"(?:\s*,\s*|\s+(?:and|en|et|und|or|of|ou|oder)\s+))+$",
    re.I,
)
# Sectors other than vehicles: a reference qualified by one is to a company outside the
# knowledge base ("le géant pharmaceutique suisse", "the chip giant", "het telecombedrijf").
_SECTOR_WORDS = (
    r"pharma\w*|semi-?conduct\w*|halbleiter\w*|chip\w*|puces?|communication|médias?|media|"
    r"luxe|luxury|bancaire|bank\w*|banque|assur\w*|insur\w*|verzeker\w*|énergéti\w*|energ\w*|"
    r"pétroli\w*|oil|olie\w*|öl\w*|télécom\w*|telecom\w*|aéronauti\w*|aerospace|luchtvaart\w*|"
    r"défense|defen[cs]e|chimi\w*|chemi\w*|agroalimentaire|food|voedings\w*|distribution|retail|"
    r"logiciels?|software|internet|immobili\w*|real\s+estate|vastgoed|minier|mining|sidérurg\w*|"
    r"steel|staal|stahl|conglomérat|conglomerate|mischkonzern|industriel|tech|technolog\w*"
)
_OTHER_SECTOR = re.compile(rf"\b(?:{_SECTOR_WORDS})\b", re.I)
_OTHER_SECTOR_AFTER = re.compile(
    rf"\s+(?:(?:des?|du|d['’]|of|van|der|des|de\s+la)\s+)?(?:la\s+|l['’])?(?:{_SECTOR_WORDS})\b",
    re.I,
)
_AFTER_NOUN = re.compile(
    r"(?P<adjectives>(?:\s+(?!(?:de|des|du|d['’]|of|van|der|von|et|and|en|und|qui|que|a|est|"
    r"ont|is|has|heeft|hat)\b)[a-zà-ÿäöüß-]+){0,2})"
)
_OF_AFTER = re.compile(
    r"\s+(?:van|of|de|du|des|von|der|d['’])\s*(?:(?:het|de|la|le|l['’]|the|den|dem)\s+)?", re.I
)
_RELATED_BEFORE = re.compile(
    r"\b(?:parent|moederbedrijf|moederconcern|maison[\s-]mère|mutterkonzern|konzernmutter|"
    r"muttergesellschaft|owner|eigenaar|eigentümer|propriétaire)\s+(?:company\s+|firm\s+)?"
    r"(?:of|van|de|du|des|d['’]|von|der|des)\s+(?:(?:the|het|de|la|le|l['’])\s+)?$",
    re.I,
)
_COORDINATION = re.compile(r"\s*(?:,|&|/|\band\b|\ben\b|\bet\b|\bund\b)\s*", re.I)
_MAX_COORDINATION_GAP = 200
_EMPLOYER_BEFORE = re.compile(r"\b(?:bij|bei|chez|at|für|for)\s+(?:\w+\s+){0,1}$", re.I)
# "les ventes de Renault", "Absatz von BMW", "the sales of Ford": a metric's owner.
_OWNER_BEFORE = re.compile(
    r"\b(?:van|de|du|des|d['’]|von|der|des|of|at|bei|chez|bij)\s*"
    r"(?:(?:het|de|la|le|les|the)\s+)?$",
    re.I,
)
_OWNER_GAP = re.compile(r"[\w'’-]*\s+(?:[\w'’-]+\s+){0,3}", re.I)
# After the figure: "9 571 véhicules pour Lynk & Co", "2.524 für Lotus".
_FOR_AFTER = re.compile(
    r"^[\s\w'’-]{0,30}?\b(?:pour|voor|für|for|bei|chez|bij)\s+(?:(?:la|le|l['’]|de|het|die|der|the)"
    r"\s*)?(?:(?:[\w'’-]+\s+){0,2}(?:marque|merk|marke|brand|constructeur|groupe|group|"
    r"fabrikant|hersteller|carmaker|maker)\s+)?$",
    re.I,
)
# "9.700 BYD's", "13 100 Smart": the name straight after the number counts its cars.
_DIRECT_AFTER = re.compile(
    r"^\s+(?:(?:nieuwe|verkochte|nouvelles?|nouveaux|neufs?|neue|verkaufte|new|sold|extra|"
    r"weitere|additional|autres)\s+)?$",
    re.I,
)
# "10 000 ventes supplémentaires de Maxus", "21,900 sales of MG": the name owns the count.
_OWNER_AFTER = re.compile(
    r"^\s+(?:[\w'’-]+\s+){0,2}?(?:de|d['’]|du|van|von|der|des|of)\s*"
    r"(?:(?:la|le|l['’]|het|de|die|das|the)\s+)?$",
    re.I,
)
_STRONG_BREAK = re.compile(
    r";|\s[–—-]\s|:\s|,\s*(?:maar|mais|aber|but|while|whereas|terwijl|alors\s+que|tandis\s+que|"
    r"während|wohingegen|whilst|doch|cependant|however)\b|\b(?:terwijl|tandis\s+que|alors\s+que|"
    r"während|whereas|while)\b",
    re.I,
)
# Between a metric noun and a place that owns it: "production française", "exportations
# chinoises" (adjective after), "Chinese uitvoer", "UK car production", "China's exports"
# (place before), "Neuzulassungen in Deutschland" (a market named after).
_ADJECTIVE_AFTER = re.compile(r"[\w'’-]*\s+(?:(?:totale?s?|automobiles?|neuves?)\s+)?", re.I)
_MODIFIER_GAP = re.compile(r"(?:['’]s?)?[ \t]*(?:-?[\w]+[ \t]+)?-?", re.I)
_MARKET_GAP = re.compile(
    r"[\w'’-]*\s+(?:(?:of|new|cars?|voitures?|auto['’]s|autos|wagens|neuves?|nieuwe|neue)\s+){0,3}"
    r"(?:in|en|im|in\s+der|van|of|de|du|des|dans|au|aux|op|auf|am)\s+"
    r"(?:(?:de|het|la|le|les|l['’]|the|den|dem|der)\s+)?",
    re.I,
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|en|im|dans|au|aux|at|bij|bei|naar|to|vers|from|uit|aus|sur|on|op|auf)\s+"
    r"(?:(?:de|het|la|le|les|l['’]|the|den|dem|der)\s+)?$",
    re.I,
)
_CLOSED_ASIDE = re.compile(r"\([^()]*\)|\s[–—][^–—]*[–—]\s")
_DOMESTIC = re.compile(
    r"\b(?:binnenlandse|eigen\s+land|domestic|home|inländische[nr]?|heimische[nr]?|"
    r"intérieure?s?|nationale?s?)\b",
    re.I,
)
# Governments and public bodies, which spend money but are no company, country or market.
_PUBLIC_BODY = re.compile(
    r"(?:Région|Regio|Region|Provincie|Province|Provinz|Land|Gemeente|Commune|Ville|Stadt|City|"
    r"State|État|Etat|Staat|Bundesland|Kanton|Canton|Département)\b"
)
_GOVERNMENT = re.compile(
    r"\b(?:(?:le|la|l['’]|de|het|die|der|the)\s+)?(?:gouvernement|regering|overheid|regierung|"
    r"bundesregierung|government|administration|état|staat|state|commission|commissie|kommission|"
    r"(?:région|regio|region|provincie|province|provinz|gemeente|commune|ville|stadt|city|"
    r"bundesland|kanton|canton|département)\s+(?=[A-ZÀ-Ý]))\b",
    re.I,
)
# Two to four capitalised words heading a sentence, then a lowercase word: a name.
_UNKNOWN_HEAD = re.compile(
    r"[\s\"'«“-]*(?P<name>(?!(?:Die|Der|Das|De|Het|Le|La|Les|The|In|Im|En|Au|Bei|Chez|At|"
    r"Un|Une|Ein|Eine|Een|A|An|This|Dit|Ce|Cette)\b)[A-ZÀ-Ý][\w&.’'-]*"
    r"(?:\s+[A-ZÀ-Ý][\w&.’'-]*){1,3})\s+[a-zäöüéèàß]"
)
# What may come before a name that heads its sentence.
_OPENERS = frozenset({"", "la", "le", "les", "l'", "l’", "de", "het", "die", "der", "das", "the"})
_INDUSTRY_AFTER = re.compile(
    r"\s+(?:car\s+|auto\s+)?(?:factories|plants|industry|carmakers|automakers|manufacturers|"
    r"car\s*makers|usines|fabrieken|werke|industrie|autoindustrie|constructeurs|autobouwers|"
    r"autobauer|hersteller|autofabrieken)\b",
    re.I,
)
_WEAK_BREAK = re.compile(r",|\b(?:et|und|and)\b", re.I)


@dataclass(frozen=True)
class _Reference:
    """A phrase referring to a company: its span, the noun class, a nationality."""

    start: int
    end: int
    text: str
    noun: str  # plant | parent | group | brand | company | people | possessive
    country: str | None
    other_sector: bool = False  # "le groupe pharmaceutique", "the chip giant"
    maker: bool = False  # "the carmaker", "le constructeur": a maker of vehicles


class SubjectFinder:
    """Subject candidates for the figures of one document."""

    def __init__(
        self,
        text: str,
        folded: str | None,
        entities: Sequence[EntityMention],
        kb: KnowledgeBase,
        parse_subjects: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.folded = folded
        self.kb = kb
        self.parse_subjects = parse_subjects or {}
        self.companies = [e for e in entities if e.label == "COMPANY"]
        # A plant named as the one who does something stands for its operator.
        self.plants = [e for e in entities if e.label == "PLANT" and e.operator]
        self.known_names = [e for e in entities if e.label in {"COMPANY", "PLANT"} or e.kb_id]
        self.organisations = [
            e
            for e in entities
            if e.label == "ORG"
            or (e.label == "LOCATION" and not e.kb_id and _PUBLIC_BODY.match(e.text))
        ]
        self.places = [
            e for e in entities if e.label == "LOCATION" and e.kind in {"country", "market"}
        ]

    # -- candidates ------------------------------------------------------------------------

    def in_sentence(
        self,
        figure: Figure,
        sentence: tuple[int, int],
        metric: str | None,
        cues: Sequence[Cue],
        recent: Subject | None,
    ) -> list[Scored]:
        """Scored candidates named or referred to in the figure's sentence."""
        start, end = sentence
        scored = [
            self._score_company(self._company(mention), figure, sentence, metric, cues)
            for mention in self.companies
            if start <= mention.start and mention.end <= end
        ]
        for plant in self.plants:
            # A plant stands for its operator where it acts, before the figure, or where
            # people work at it ("4.100 mensen bij Volvo Car Gent").
            works_there = metric == "employees" and _EMPLOYER_BEFORE.search(
                self.text, max(start, plant.start - 12), plant.start
            )
            if start <= plant.start and (plant.end <= figure.start or works_there):
                operator = self.kb.get(plant.operator or "")
                if operator is None or operator.kind not in COMPANY_KINDS:
                    continue
                subject = Subject(
                    operator.name,
                    operator.kb_id,
                    "company",
                    plant.text,
                    plant.start,
                    plant.end,
                    operator.country,
                    operator.kind,
                )
                candidate = self._score_company(subject, figure, sentence, metric, cues)
                scored.append(Scored(subject, candidate.score - 0.3, (*candidate.reasons, "plant")))
        for reference in self._references:
            if not (start <= reference.start and reference.end <= end):
                continue
            if any(
                c.start <= reference.start < c.end or 0 <= c.start - reference.end <= 2
                for c in self.companies
            ):
                continue  # "le constructeur Volvo": a description of the name after it
            if reference.noun == "possessive" and not any(
                0 <= cue.start - reference.end <= 20 for cue in cues
            ):
                continue  # "ses autres marques" is no metric of the company's
            resolved = self.resolve(reference, recent)
            if resolved is None and reference.noun in {"company", "group", "brand", "people"}:
                # "le géant taïwanais des semi-conducteurs": a company we do not know.
                unknown = Subject(
                    "", None, "unknown", reference.text, reference.start, reference.end
                )
                candidate = self._score_company(unknown, figure, sentence, metric, cues)
                scored.append(Scored(unknown, candidate.score, (*candidate.reasons, "unknown")))
            if resolved is not None:
                subject = Subject(
                    resolved.name,
                    resolved.kb_id,
                    resolved.kind,
                    reference.text,
                    reference.start,
                    reference.end,
                    resolved.country,
                    resolved.company_kind,
                )
                candidate = self._score_company(subject, figure, sentence, metric, cues)
                scored.append(
                    Scored(subject, candidate.score - 0.3, (*candidate.reasons, "reference"))
                )
        if metric in MONEY_METRICS:
            scored += self._spending_organisations(figure, sentence)
        if metric in MARKET_METRICS:
            scored += self._places(figure, sentence, cues)
        return sorted(scored, key=lambda item: -item.score)

    def _spending_organisations(self, figure: Figure, sentence: tuple[int, int]) -> list[Scored]:
        """ "La Région de Bruxelles-Capitale a débloqué 45 millions": an organisation that
        heads the sentence and spends the money owns it, and it is no company of ours."""
        found = []
        for match in _GOVERNMENT.finditer(self.text, sentence[0], figure.start):
            if self.text[sentence[0] : match.start()].strip(" \t\"'«“-") == "":
                unknown = Subject("", None, "unknown", match.group(0), *match.span())
                found.append(Scored(unknown, 4.0, ("government",)))
        head = _UNKNOWN_HEAD.match(self.text, sentence[0], figure.start)
        if head is not None and not any(
            head.start() <= e.start < head.end("name") for e in self.known_names
        ):
            # "Ultium Cells investiert 275 Millionen": a name we do not know heads it.
            unknown = Subject("", None, "unknown", head.group("name"), *head.span("name"))
            found.append(Scored(unknown, 4.0, ("unknown name",)))
        for org in self.organisations:
            if not (sentence[0] <= org.start and org.end <= figure.start):
                continue
            if self.text[sentence[0] : org.start].strip(" \t\"'«“-").casefold() not in _OPENERS:
                continue
            unknown = Subject("", None, "unknown", org.text, org.start, org.end)
            found.append(Scored(unknown, 4.0, ("organisation",)))
        return found

    def _company(self, mention: EntityMention) -> Subject:
        return Subject(
            mention.canonical,
            mention.kb_id,
            "company",
            mention.text,
            mention.start,
            mention.end,
            mention.country,
            mention.kind,
        )

    def _owns_cue(self, subject: Subject, cues: Sequence[Cue]) -> bool:
        """ "les ventes de Renault", "Absatz von BMW": the name owns a metric word."""
        return any(
            0 <= subject.start - cue.end <= 25
            and _OWNER_BEFORE.search(self.text, cue.end, subject.start) is not None
            and _OWNER_GAP.fullmatch(self.text, cue.end, subject.start) is not None
            for cue in cues
        )

    def _score_company(
        self,
        subject: Subject,
        figure: Figure,
        sentence: tuple[int, int],
        metric: str | None,
        cues: Sequence[Cue] = (),
    ) -> Scored:
        text = self.text
        reasons: list[str] = []
        score = 0.0
        if subject.end <= figure.start:
            gap = text[subject.end : figure.start]
            score += 3.0 - 0.004 * len(gap)
            reasons.append("before")
            gap = _CLOSED_ASIDE.sub(" ", gap)  # "Stellantis – which owns Jeep – took"
            strong = len(_STRONG_BREAK.findall(gap))
            weak = len(_WEAK_BREAK.findall(gap))
            if strong or weak:
                score -= 1.5 * strong + 0.4 * weak
                reasons.append("clause")
            if re.match(r"\s*\(\s*$", gap):
                score += 4.0
                reasons.append("name (figure)")
        else:
            gap = text[figure.end : subject.start]
            if _FOR_AFTER.match(gap):
                score += 3.5
                reasons.append("figure for name")
            elif _DIRECT_AFTER.match(gap) and subject.kind == "company":
                score += 3.0
                reasons.append("figure name")
            elif _OWNER_AFTER.match(gap) and any(
                figure.end <= cue.start < subject.start for cue in cues
            ):
                score += 3.5
                reasons.append("owner after")
            else:
                score += 1.2 - 0.008 * len(gap)
                reasons.append("after")
                if _STRONG_BREAK.search(gap):
                    score -= 1.5
        before = text[max(sentence[0], subject.start - 40) : subject.start]
        if self._in_aside(subject, figure):
            score -= 2.5
            reasons.append("aside")
        if _COMPARISON_BEFORE.search(before) or self._listed_after_example(subject, sentence):
            score -= 3.0
            reasons.append("comparison")
        elif metric == "employees" and _EMPLOYER_BEFORE.search(before):
            score += 0.5
            reasons.append("employer")
        elif self._owns_cue(subject, cues):
            score += 1.0
            reasons.append("owner")
        elif (
            subject.end <= figure.start
            and _OBJECT_BEFORE.search(before)
            and not _RELATIVE_BEFORE.search(before)
        ):
            score -= 1.2
            reasons.append("object")
        if self._coordinated(subject) and not {"name (figure)", "figure for name"} & set(reasons):
            score -= 2.5
            reasons.append("coordinated")
        if _RELATED_BEFORE.search(before):
            score -= 3.0  # "the parent company of Kia": the phrase, not Kia, is the subject
            reasons.append("related")
        if _RELATION_COMPOUND.match(text, subject.end):
            score -= 2.0
            reasons.append("compound")
        if re.match(r"['’]s?\b", text[subject.end : subject.end + 2]):
            score += 0.8
            reasons.append("possessive")
        span = self.parse_subjects.get(figure.start)
        if span is not None and span[0] <= subject.start and subject.end <= span[1]:
            score += 2.0
            reasons.append("parse subject")
        if (
            subject.company_kind == "brand"
            and metric in MONEY_METRICS
            and self._family_named(subject, sentence)
        ):
            score -= 0.5  # "Volkswagen's Audi brand": money belongs to the group
            reasons.append("brand money")
        return Scored(subject, round(score, 3), tuple(reasons))

    def _family_named(self, subject: Subject, sentence: tuple[int, int]) -> bool:
        """Whether the sentence also names the group or company a brand belongs to."""
        entity = self.kb.get(subject.kb_id or "")
        owners = {entity.parent} if entity is not None and entity.parent else set()
        return any(
            c.kb_id in owners and sentence[0] <= c.start < sentence[1] for c in self.companies
        )

    def _coordinated(self, subject: Subject) -> bool:
        """ "MG and Roewe sold ...", "Nissan, Renault en Mitsubishi": names joined into one
        subject, which no single company owns."""
        for other in self.companies:
            if other.start >= subject.end:
                start, end = subject.end, other.start
            elif other.end <= subject.start:
                start, end = other.end, subject.start
            else:
                continue
            if end - start > _MAX_COORDINATION_GAP:  # not sliced: texts can be long
                continue
            if _COORDINATION.fullmatch(self.text[start:end]) and other.kb_id != subject.kb_id:
                return True
        return False

    def _listed_after_example(self, subject: Subject, sentence: tuple[int, int]) -> bool:
        """Whether the name continues a list opened by "such as", "comme", "wie"."""
        before = self.text[max(sentence[0], subject.start - 80) : subject.start]
        return _EXAMPLE_LIST.search(before) is not None

    def _in_aside(self, subject: Subject, figure: Figure) -> bool:
        """Whether the name sits in parentheses or between commas/dashes that do not hold
        the figure ("Paccar, the parent of DAF, earned ...")."""
        text = self.text
        opening = text.rfind("(", max(0, subject.start - 80), subject.start)
        if opening != -1 and text.find(")", opening, subject.start) == -1:
            closing = text.find(")", subject.end, subject.end + 120)
            if closing != -1 and not (opening < figure.start < closing):
                return True
        for dash in ("–", "—"):
            opening = text.rfind(dash, max(0, subject.start - 80), subject.start)
            closing = text.find(dash, subject.end, subject.end + 120)
            if opening != -1 and closing != -1 and not (opening < figure.start < closing):
                return True
        if subject.end > figure.start:
            return False
        comma_before = text.rfind(",", max(0, subject.start - 60), subject.start)
        comma_after = text.find(",", subject.end, figure.start)
        if comma_before == -1 or comma_after == -1:
            return False
        inner = text[comma_before + 1 : subject.start]
        # "X, the parent of Y, sold": the aside opens with a noun phrase after the comma.
        return bool(
            re.match(r"\s*(?:\w+\s+){0,6}$", inner)
            and re.search(
                r"\b(?:van|de|du|des|von|der|of|owned\s+by|eigenaar\s+van|filiale\s+de|"
                r"tochter|dochter|sister|parent|moederbedrijf|maison\s+mère|mutter)\b",
                text[comma_before : subject.start],
                re.I,
            )
            and len(text[comma_before:comma_after]) < 90
        )

    def _places(
        self, figure: Figure, sentence: tuple[int, int], cues: Sequence[Cue]
    ) -> list[Scored]:
        """Countries and markets as subjects: tied to a metric word, or in subject position."""
        start, end = sentence
        found: list[Scored] = []
        market_cues = [c for c in cues if c.metric in MARKET_METRICS]
        for place in self.places:
            if not (start <= place.start and place.end <= end):
                continue
            subject = self._place_subject(place.kb_id or "", place.text, place.start, place.end)
            if subject is None:
                continue
            found.append(self._score_place(subject, figure, sentence, market_cues))
        for match in self._adjectives:
            if start <= match[0] and match[1] <= end:
                code = match[2]
                kb_id = place_id(code) if code in COUNTRY_CANONICAL else None
                if code == "EU":
                    kb_id = place_id("europe", market=True)
                if kb_id is None:
                    continue
                subject = self._place_subject(kb_id, self.text[match[0] : match[1]], *match[:2])
                if subject is None:
                    continue
                scored = self._score_place(subject, figure, sentence, market_cues)
                industry = _INDUSTRY_AFTER.match(self.text, match[1])
                if (
                    industry is not None
                    and market_cues
                    and not any(0 <= c.start - industry.end() <= 3 for c in self.companies)
                ):
                    # "British factories build", "les constructeurs français ont vendu".
                    scored = Scored(subject, 3.0, ("owner", "industry"))
                if "owner" in scored.reasons:  # an adjective only counts tied to a metric
                    found.append(scored)
        found += self._domestic(figure, sentence, market_cues)
        return found

    def _domestic(
        self, figure: Figure, sentence: tuple[int, int], cues: Sequence[Cue]
    ) -> list[Scored]:
        """ "de Britse regering wil de binnenlandse autoproductie stimuleren": a domestic
        metric belongs to the country the sentence names."""
        start, end = sentence
        found: list[Scored] = []
        for match in _DOMESTIC.finditer(self.text, start, end):
            if not any(0 <= cue.start - match.end() <= 12 and cue.noun for cue in cues):
                continue
            codes = [
                (abs(place.start - match.start()), place.kb_id or "")
                for place in self.places
                if start <= place.start < end
            ]
            codes += [
                (abs(position - match.start()), place_id(code))
                for position, _, code in self._adjectives
                if start <= position < end and code in COUNTRY_CANONICAL
            ]
            if not codes:
                continue
            subject = self._place_subject(min(codes)[1], match.group(0), *match.span())
            if subject is not None:
                found.append(Scored(subject, 3.0, ("owner", "domestic")))
        return found

    def _place_subject(self, kb_id: str, written: str, start: int, end: int) -> Subject | None:
        entity = self.kb.get(kb_id)
        if entity is None or entity.kind not in {"country", "market"}:
            return None
        location = entity.country
        if entity.kind == "market":
            market = next((m for m in MARKETS if place_id(m.key, market=True) == kb_id), None)
            location = market.location if market else None
        return Subject(entity.name, kb_id, entity.kind, written, start, end, location)

    def _score_place(
        self, subject: Subject, figure: Figure, sentence: tuple[int, int], cues: Sequence[Cue]
    ) -> Scored:
        """A place's role: "owner" when it modifies a metric noun ("la production
        française", "UK car production"), "market" for a metric noun and a place after
        it ("Neuzulassungen in Deutschland"), "clause subject" at the head of a clause,
        else "place" (where something happened)."""
        text = self.text
        before = text[max(sentence[0], subject.start - 30) : subject.start]
        role = "place"
        for cue in cues:
            if not cue.noun:
                continue
            if cue.end <= subject.start and _ADJECTIVE_AFTER.fullmatch(
                text, cue.end, subject.start
            ):
                role = "owner"
            elif subject.end <= cue.start and _MODIFIER_GAP.fullmatch(text, subject.end, cue.start):
                if not _PREPOSITION_BEFORE.search(before) or subject.text in _ADJECTIVE_CODES:
                    role = "owner"
            elif (
                role == "place"
                and cue.end <= subject.start
                and _MARKET_GAP.fullmatch(text, cue.end, subject.start)
            ):
                role = "market"
            if role == "owner":
                break
        if role == "place" and subject.end <= figure.start and not before.strip(" \t\"'«“-"):
            role = "clause subject"
        if _COMPARISON_BEFORE.search(before):
            role = "comparison"
        score = {"owner": 3.0, "clause subject": 2.5, "market": 1.5, "place": 1.0}.get(role, 0.0)
        distance = (
            abs(figure.start - subject.end)
            if subject.end <= figure.start
            else abs(subject.start - figure.end)
        )
        score -= 0.003 * distance
        return Scored(subject, round(score, 3), (role,))

    # -- references ------------------------------------------------------------------------

    @cached_property
    def _references(self) -> list[_Reference]:
        """Phrases in the text that refer to a company."""
        found: list[_Reference] = []
        for match in _REFERENCE_NOUN.finditer(self.text, self.folded):
            head = _REFERENCE_HEAD.search(self.text, max(0, match.start() - 60), match.start())
            if head is None:
                continue
            noun = re.sub(r"\s+", " ", match.group(0).casefold())
            kind = (
                "plant"
                if noun in PLANT_NOUNS
                else "parent"
                if noun in PARENT_NOUNS
                else "group"
                if noun in GROUP_NOUNS
                else "brand"
                if noun in BRAND_NOUNS
                else "company"
            )
            # French and others put adjectives after the noun: "le géant allemand de la chimie".
            tail = _AFTER_NOUN.match(self.text, match.end())
            words = [
                *head.group("mods").split(),
                *(tail.group("adjectives").split() if tail else []),
            ]
            country = next(
                (_NATIONALITY[w.casefold()] for w in words if w.casefold() in _NATIONALITY), None
            )
            text = self.text[head.start() : match.end()]
            foreign = bool(
                _OTHER_SECTOR.search(" ".join(words))
                or _OTHER_SECTOR_AFTER.match(self.text, tail.end() if tail else match.end())
            )
            maker = noun in MAKER_NOUNS or bool(_VEHICLE_MODIFIER.search(" ".join(words)))
            found.append(_Reference(head.start(), match.end(), text, kind, country, foreign, maker))
        for match in _DEMONYM.finditer(self.text):
            code = _DEMONYM_CODE[match.group("people").casefold()]
            found.append(_Reference(match.start(), match.end(), match.group(0), "people", code))
        for match in _POSSESSIVE.finditer(self.text):
            found.append(_Reference(match.start(), match.end(), match.group(0), "possessive", None))
        return sorted(found, key=lambda reference: reference.start)

    @cached_property
    def _adjectives(self) -> list[tuple[int, int, str]]:
        """Country adjectives as (start, end, code)."""
        return [
            (m.start(), m.end(), _ADJECTIVE_CODES[m.group(0)])
            for m in _ADJECTIVE_RE.finditer(self.text)
        ]

    def resolve(self, reference: _Reference, recent: Subject | None) -> Subject | None:
        """The company a referring phrase stands for: among the fitting companies named
        before it (of its nationality; not a brand for "the group"), the one named most
        in the paragraph so far, else in the text, the latest on a tie; else the first
        fitting one after it. "The parent company of X" is X's parent."""
        if reference.noun == "possessive":
            return recent if recent is not None and recent.kind == "company" else None
        if reference.other_sector:
            return None
        if reference.noun == "parent":
            return self._parent(reference)
        if reference.noun == "plant":
            return self._plant_operator(reference)
        before = [c for c in self.companies if c.end <= reference.start]
        fitting = [c for c in before if self._fits(c, reference)]
        if (
            recent is not None
            and recent.kind == "company"
            and any(c.kb_id == recent.kb_id and c.canonical == recent.name for c in fitting[-3:])
        ):
            return recent
        paragraph_start = self._block_start(reference.start)
        in_paragraph = [c for c in fitting if c.start >= paragraph_start]
        if in_paragraph:
            return self._company(_most_named(in_paragraph))
        if reference.noun in {"group", "company"}:
            # Far from its name, "the company" is likelier a company than one of its brands.
            fitting = [c for c in fitting if c.kind != "brand"] or fitting
        if fitting:
            return self._company(_most_named(fitting))
        if reference.country is not None:
            # "le leader français" for a group registered abroad: the company the paragraph
            # is about, when it names one.
            local = [
                c
                for c in before
                if c.start >= paragraph_start
                and not (reference.noun == "group" and c.kind == "brand")
            ]
            if local:
                return self._company(_most_named(local))
        if reference.noun == "group":
            # "Volkswagen ... der Konzern": the group of the brand named before.
            brands = [c for c in before if c.kind == "brand" and self._fits_country(c, reference)]
            if brands:
                in_paragraph = [c for c in brands if c.start >= paragraph_start]
                brand = _most_named(in_paragraph or brands)
                group = self.kb.group_of(brand.kb_id) if brand.kb_id else None
                if group is None or group.kb_id == brand.kb_id or group.kind not in COMPANY_KINDS:
                    return self._company(brand)
                return Subject(
                    group.name,
                    group.kb_id,
                    "company",
                    reference.text,
                    reference.start,
                    reference.end,
                    group.country,
                    group.kind,
                )
        after = [
            c
            for c in self.companies
            if c.start >= reference.end
            and c.start - reference.end < 1500
            and self._fits(c, reference)
        ]
        return self._company(after[0]) if after else None

    def _plant_operator(self, reference: _Reference) -> Subject | None:
        """ "the facility", "l'usine", "das Werk": the operator of the last plant named."""
        if any(p.start <= reference.end and reference.start <= p.end for p in self.plants):
            return None  # the phrase is part of a plant's own name ("l'usine de Douai")
        plants = [p for p in self.plants if p.end <= reference.start]
        operator = self.kb.get(plants[-1].operator or "") if plants else None
        if operator is None or operator.kind not in COMPANY_KINDS:
            return None
        return Subject(
            operator.name,
            operator.kb_id,
            "company",
            reference.text,
            reference.start,
            reference.end,
            operator.country,
            operator.kind,
        )

    def _block_start(self, position: int) -> int:
        """Where the paragraph holding `position` starts, with the heading line above it
        (a short line with no full stop: "8h16 - TSMC voit son bénéfice bondir")."""
        start = self.text.rfind("\n", 0, position) + 1
        above_end = start - 1
        while above_end > 0 and self.text[above_end - 1] == "\n":
            above_end -= 1
        above_start = self.text.rfind("\n", 0, above_end) + 1
        heading = self.text[above_start:above_end].strip()
        if heading and len(heading.split()) <= 14 and heading[-1] not in '.!?:;»"”':
            return above_start
        return start

    def _parent(self, reference: _Reference) -> Subject | None:
        """The parent (in the knowledge base) of the company named right after the phrase
        ("the parent company of Kia"), or of the last company named before it."""
        following = _OF_AFTER.match(self.text, reference.end)
        named = None
        if following is not None:
            named = next((c for c in self.companies if c.start == following.end()), None)
        if named is None:
            before = [c for c in self.companies if c.end <= reference.start and c.kb_id]
            named = next(
                (c for c in reversed(before) if c.kb_id and self._parent_entity(c.kb_id)), None
            )
        parent = self._parent_entity(named.kb_id) if named is not None and named.kb_id else None
        if parent is None:
            return None
        return Subject(
            parent.name,
            parent.kb_id,
            "company",
            reference.text,
            reference.start,
            reference.end,
            parent.country,
            parent.kind,
        )

    def _parent_entity(self, kb_id: str) -> KBEntity | None:
        entity = self.kb.get(kb_id)
        parent = self.kb.get(entity.parent) if entity is not None and entity.parent else None
        return parent if parent is not None and parent.kind in COMPANY_KINDS else None

    def _fits(self, company: EntityMention, reference: _Reference) -> bool:
        if not SubjectFinder._fits_country(company, reference):
            return False
        if reference.maker and not self._makes_vehicles(company):
            return False  # "le constructeur automobile" is no chip maker
        return not (reference.noun == "group" and company.kind == "brand")

    def _makes_vehicles(self, company: EntityMention) -> bool:
        entity = self.kb.get(company.kb_id) if company.kb_id else None
        return entity is None or entity.sector is None

    @staticmethod
    def _fits_country(company: EntityMention, reference: _Reference) -> bool:
        return reference.country is None or company.country == reference.country


def _most_named(mentions: Sequence[EntityMention]) -> EntityMention:
    """The mention of the company named most often among `mentions`; the latest on a tie."""
    counts: dict[tuple[str | None, str], int] = {}
    for mention in mentions:
        key = (mention.kb_id, mention.canonical)
        counts[key] = counts.get(key, 0) + 1
    best = max(counts.values())
    return next(m for m in reversed(mentions) if counts[(m.kb_id, m.canonical)] == best)
