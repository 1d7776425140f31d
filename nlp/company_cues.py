"""Companies outside the knowledge base, found from the words around a capitalised name:
a cue noun before it ("de autobouwer X", "le constructeur chinois X", "der Zulieferer X",
"battery maker X"), an apposition after it ("X, a supplier of seats"), a stock ticker
("X (NYSE: XX)"), or a list whose other members are known companies ("Volvo Trucks, Mack
and X"). A name found once is found wherever else the text writes it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from nlp.places import COUNTRY_ADJECTIVES, COUNTRY_NAMES
from nlp.stopwords import stop_words

# A capitalised word (dots only inside it, so a full stop ends it) and a name of up to
# four such words, "&" allowed between two ("Lernout & Hauspie").
_WORD = r"[A-ZÀ-ÖØ-Þ0-9][\w'’-]*(?:\.[\w'’-]+)*"
_NAME = rf"{_WORD}(?:[ ](?:&[ ])?{_WORD}){{0,3}}"
_NAME_AT = re.compile(_NAME)
_NAME_BEFORE = re.compile(rf"(?<![\w&.-]){_NAME}$")

# Nouns that announce a company ("autobouwer", "Zulieferer") or another organisation
# ("bank", "Zeitung"). Dutch and German nouns are matched as the end of a compound
# ("batterijfabrikant", "Elektroautobauer"); a cue is singular.
COMPANY_CUES: dict[str, str] = {
    "nl": r"bouwer|fabrikant|producent|leverancier|(?:batterij|accu|chip|auto|truck|bus|"
    r"vrachtwagen|banden|onderdelen|staal)maker|concern|bedrijf|onderneming|firma|"
    r"holding|merk|dochter|dochteronderneming|importeur|start-?up|constructeur|multinational|"
    r"reus",
    "de": r"[Bb]auer|[Hh]ersteller|[Zz]ulieferer|[Ll]ieferant|[Kk]onzern|[Uu]nternehmen|"
    r"[Ff]irma|[Pp]roduzent|[Aa]nbieter|[Mm]arke|[Tt]ochter|[Rr]iese|[Ss]tart-?up|[Ii]mporteur",
    "fr": r"constructeur|équipementier|fabricant|fournisseur|sous-traitant|motoriste|groupe|"
    r"société|entreprise|firme|marque|filiale|start-?up|géant|spécialiste|pionnier|"
    r"coentreprise|importateur|distributeur",
    "en": r"(?:car|auto|chip|battery|truck|bus|tyre|tire|EV|steel|parts|engine|drug|phone)?-?"
    r"maker|manufacturer|supplier|company|firm|group|conglomerate|"
    r"brand|marque|subsidiary|start-?up|giant|distributor|importer",
}
ORG_CUES: dict[str, str] = {
    "nl": r"bank|verzekeraar|krant|dagblad|omroep|zender|uitgeverij|partij|vakbond|club|ploeg",
    "de": r"[Bb]ank|[Vv]ersicherer|[Zz]eitung|[Ss]ender|[Pp]artei|[Gg]ewerkschaft",
    "fr": r"banque|assureur|quotidien|syndicat",
    "en": r"bank|lender|insurer|newspaper|broadcaster|party|union|club",
}
# Languages whose cue nouns end compounds; elsewhere a cue is a word of its own.
_COMPOUNDING = frozenset({"nl", "de"})
# German capitalises nouns: a cue counts after an article or preposition with article
# ("der Zulieferer X", "beim Autobauer X"), adjectives allowed in between.
_GERMAN_DETERMINER = re.compile(
    r"(?i)(?:^|[^\w])(?:der|die|das|des|dem|den|ein|eine|einem|einen|eines|einer|beim|vom|"
    r"zum|im)[ ](?:[a-zäöüß-]+[ ]){0,2}[\w-]*$"
)
# French puts adjectives and complements after the noun: "le constructeur automobile
# chinois X", "le fabricant de batteries X".
_FR_ADJECTIVE = re.compile(
    r"[a-zà-ÿ-]+(?:ais|aise|ois|oise|ien|ienne|éen|éenne|ain|aine|and|ande|ique|al|ale|el|"
    r"elle|if|ive|ile|ible|able)s?"
)
_FR_OF = frozenset({"de", "du", "des", "d'", "d’"})
_ARTICLES = r"(?:a|an|the|een|de|het|un|une|le|la|l['’]|ein|eine|einer|der|die|das)"
_TICKER = re.compile(
    r"[ ]?\((?:NYSE|Nasdaq|NASDAQ|XETRA|Xetra|ETR|Euronext|EPA|AMS|EBR|TSX|HKEX|HKG|SSE|"
    r"SZSE|LSE|LON|ASX|OTC|FWB|SIX|NSE|BSE|TYO|TSE|KRX|KOSPI)[ ]?:[ ]?[A-Z0-9.]+\)"
)
_SEPARATORS = {
    "nl": r"[ ]?,[ ]?|[ ](?:en|of|&)[ ]|[ ]?/[ ]?",
    "fr": r"[ ]?,[ ]?|[ ](?:et|ou|&)[ ]|[ ]?/[ ]?",
    "de": r"[ ]?,[ ]?|[ ](?:und|oder|&)[ ]|[ ]?/[ ]?",
    "en": r"[ ]?,[ ]?|[ ](?:and|or|&)[ ]|[ ]?/[ ]?",
}
# Legal forms whose removal leaves the name the text uses elsewhere ("Acme Ltd" -> "Acme").
_LEGAL_SUFFIX = re.compile(
    r"[ ](?:N\.V\.|NV|B\.V\.|BV|AG|SE|GmbH|KGaA|S\.A\.|SA|SAS|S\.p\.A\.|SpA|Ltd\.?|Limited|"
    r"PLC|plc|Inc\.?|Corp\.?|Corporation|Co\.|LLC)$"
)
_MONTHS_AND_DAYS = frozenset(
    word
    for line in (
        "januari februari maart april mei juni juli augustus september oktober november",
        "december maandag dinsdag woensdag donderdag vrijdag zaterdag zondag janvier",
        "février mars avril mai juin juillet août septembre octobre novembre décembre",
        "lundi mardi mercredi jeudi vendredi samedi dimanche januar februar märz",
        "august dezember montag dienstag mittwoch donnerstag freitag samstag sonntag",
        "january february march may june july october monday tuesday wednesday thursday",
        "friday saturday sunday",
    )
    for word in line.split()
)
# German capitalises every noun: words that often follow a cue noun without being a name.
_GERMAN_NOUNS_AFTER_CUES = frozenset(
    word
    for line in (
        "anfang ende mitte jahr jahres jahren monat monats woche wochen quartal quartals",
        "vorjahr geschäftsjahr milliarden millionen prozent euro dollar stellen mitarbeiter",
        "gewinn umsatz verluste verlust zahlen angaben medienberichten",
    )
    for word in line.split()
)
# Words that open a person's title, not a company's name ("company CEO Jane Doe").
_TITLES = frozenset(
    word
    for line in (
        "ceo cfo coo cto pdg chairman chairwoman president director founder chief",
        "head spokesman spokeswoman topman directeur voorzitter woordvoerder chef",
        "vorstand vorstandschef sprecher sprecherin président fondateur porte-parole",
        "dr mr mrs ms",
    )
    for word in line.split()
)
# A name followed by a function word and a capitalised word goes on ("Doctors for Camp
# Closure", "Alliance for American Manufacturing"): the cue describes the longer name.
_NAME_GOES_ON = re.compile(
    r"[ ](?:of|for|de|du|des|van|voor|der|für|von)[ ](?:the[ ]|de[ ]|la[ ])?"
    r"[A-ZÀ-ÖØ-Þ]"
)
_NAME_GOES_ON_BEFORE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w'’-]*[ ](?:of|for|de|du|des|van|voor|der|für|von)[ ](?:the[ ]|de[ ]|la[ ])?$"
)
_PLACES = frozenset(
    name.casefold()
    for table in (COUNTRY_NAMES, COUNTRY_ADJECTIVES)
    for names in table.values()
    for name in names
) | frozenset(
    word
    for line in (
        "europa europe azië asie asien asia afrika afrique africa amerika amérique",
        "america noord-amerika nordamerika north zuid-amerika südamerika south latin",
    )
    for word in line.split()
)


_PLACE_WORDS = _PLACES | frozenset(word for name in _PLACES for word in name.split())


@lru_cache(maxsize=8)
def function_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang` (articles, pronouns, prepositions, auxiliaries...),
    English ones for a language spaCy has none for."""
    try:
        return stop_words(lang)
    except ImportError:
        return stop_words("en")


# A space between a word and a capitalised one: where a cue noun may end.
_BEFORE_CAPITAL = re.compile(r"(?<=[\w'’-])[ ](?=[A-ZÀ-ÖØ-Þ0-9])")
_WORD_BEFORE_CAPITAL = re.compile(r"(?P<word>[\w'’-]+)[ ](?=[A-ZÀ-ÖØ-Þ0-9])")
_ELISION = re.compile(r"^[dlDL]['’]")


@lru_cache(maxsize=8)
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A cue noun (a whole word), the apposition after a name, and list separators, for
    `lang`."""
    code = lang if lang in COMPANY_CUES else "en"
    cues = rf"(?P<company>{COMPANY_CUES[code]})|(?P<org>{ORG_CUES[code]})"
    prefix = r"[\w-]*" if code in _COMPOUNDING else ""
    cue_word = re.compile(rf"{prefix}(?:{cues})")
    # "X, a Chinese battery maker" / "X, een toeleverancier" / "X, ein Zulieferer"
    after = re.compile(
        rf",[ ]{_ARTICLES}[ ](?P<between>(?:[\w'’-]+[ ]){{0,3}})[\w-]*?(?:{cues})\b(?!['’])"
    )
    return cue_word, after, re.compile(_SEPARATORS[code])


def _cued_positions(text: str, lang: str) -> Iterator[tuple[int, str]]:
    """(start of a capitalised word, label) where a cue noun comes before the word, French
    adjectives and complements allowed in between ("le constructeur automobile chinois")."""
    cue_word = _patterns(lang)[0]
    for before in _WORD_BEFORE_CAPITAL.finditer(text):
        word = before.group("word")
        cue = cue_word.fullmatch(_ELISION.sub("", word))
        if cue is None and lang == "fr" and word.islower():
            # French: adjectives and complements may stand between cue and name.
            words = text[max(0, before.start() - 60) : before.end()].split()[-5:]
            index = _before_french_modifier(words, len(words) - 1)
            while index >= 0 and cue is None:
                cue = cue_word.fullmatch(_ELISION.sub("", words[index]))
                if cue is None:
                    index = _before_french_modifier(words, index)
        if cue is not None and (
            lang != "de"
            or _GERMAN_DETERMINER.search(text, max(0, before.end() - 61), before.end() - 1)
        ):
            yield before.end(), _label(cue)


def _before_french_modifier(words: list[str], index: int) -> int:
    """The index of the word before the French adjective ("chinois") or complement ("de
    batteries", "d'automobiles") that ends at `index`, or -1 if there is none there."""
    word = words[index]
    if _FR_ADJECTIVE.fullmatch(word):
        return index - 1
    if word.islower() and index > 0 and words[index - 1] in _FR_OF:
        return index - 2
    if word.islower() and _ELISION.match(word) and word[:1] == "d":
        return index - 1
    return -1


@lru_cache(maxsize=8)
def _cue_word(lang: str) -> re.Pattern[str]:
    code = lang if lang in COMPANY_CUES else "en"
    return re.compile(rf"(?i)[\w-]*(?:{COMPANY_CUES[code]}|{ORG_CUES[code]})")


def is_place_word(word: str) -> bool:
    """Whether `word` is a country, a continent or a word of their names or adjectives."""
    return word.casefold() in _PLACE_WORDS


def is_cue_noun(word: str, lang: str) -> bool:
    """Whether `word` is a noun that announces a company or organisation in `lang`."""
    return _cue_word(lang).fullmatch(word) is not None


def _trimmed(
    name: str, start: int, lang: str, whole: bool = False, text: str = ""
) -> tuple[str, int] | None:
    """The name without leading or trailing words that cannot belong to it (function
    words, months); None when nothing plausible is left, when it is a place or opens
    with a title, or, if `whole`, when its end had to go."""
    words = name.split(" ")
    stop = function_words(lang)

    def unfit(word: str) -> bool:
        folded = word.casefold()
        return folded in stop or folded in _MONTHS_AND_DAYS

    # Leading function words and cue nouns go: "L'équipementier Miravel" names Miravel.
    while words and (unfit(words[0]) or is_cue_noun(_ELISION.sub("", words[0]), lang)):
        start += len(words[0]) + 1
        words = words[1:]
    for index, word in enumerate(words):  # the name ends before a word that cannot be in it
        if index and (
            unfit(word) or word.casefold() in _TITLES or (word == "&" and index + 1 == len(words))
        ):
            if whole:
                return None
            words = words[:index]
            break
    if not words or words[0].casefold().rstrip(".") in _TITLES:
        return None
    if " ".join(words).casefold() in _PLACES:
        return None
    if lang == "de":  # German nouns are capitalised: a longer name only if the text repeats it
        longest = next(
            (n for n in range(len(words), 1, -1) if text.count(" ".join(words[:n])) > 1), 1
        )
        words = words[:longest] + [w for w in words[longest : longest + 1] if w.isupper()]
        if words and words[0].casefold() in _GERMAN_NOUNS_AFTER_CUES:
            return None
    text = " ".join(words).rstrip("'’-")
    if len(text) < 2 or not any(char.isalpha() for char in text):
        return None
    return text, start


def _cue_names(text: str, lang: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, label) of names announced by a cue noun, an apposition or a ticker."""
    _, after, _ = _patterns(lang)
    stop = function_words(lang)
    for start, label in _cued_positions(text, lang):
        name = _NAME_AT.match(text, start)
        if name is not None and not _NAME_GOES_ON.match(text, name.end()):
            yield from _span(name.group(0), name.start(), lang, label, text=text)
    for match in after.finditer(text):
        if any(word.casefold() in stop for word in match.group("between").split()):
            continue  # "X, de eigenaar van het bedrijf": the cue describes something else
        if _BEFORE_CAPITAL.match(text, match.end()):
            continue  # "X, la banque Y": the cue announces the next name
        name = _NAME_BEFORE.search(text, max(0, match.start() - 80), match.start())
        if (
            name is not None
            and not (lang == "de" and _after_article(text, name))
            and not _longer_name_before(text, name.start())
        ):
            yield from _span(name.group(0), name.start(), lang, _label(match), whole=True)
    for match in _TICKER.finditer(text):
        name = _NAME_BEFORE.search(text, max(0, match.start() - 80), match.start())
        if name is not None:
            yield from _span(name.group(0), name.start(), lang, "COMPANY")


def _longer_name_before(text: str, start: int) -> bool:
    """Whether the name at `start` ends a longer one ("Alliance for American
    Manufacturing"); "CEO of X" is a title before a name, not a name."""
    before = _NAME_GOES_ON_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and before.group(0).split(" ", 1)[0].casefold() not in _TITLES


def _label(match: re.Match[str]) -> str:
    return "COMPANY" if match.group("company") else "ORG"


_GERMAN_ARTICLES = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem"}
)
_GERMAN_ARTICLE_BEFORE = re.compile(r"(?i)\b(?:der|die|das|den|dem|des|ein|eine|einen|einem)[ ]$")


def _after_article(text: str, name: re.Match[str]) -> bool:
    """Whether a German article opens or comes right before a name: a common noun then
    ("Die Hoffnung, ein globales Unternehmen zu werden")."""
    first = name.group(0).split(" ", 1)[0].casefold()
    return first in _GERMAN_ARTICLES or bool(
        _GERMAN_ARTICLE_BEFORE.search(text, max(0, name.start() - 8), name.start())
    )


def _span(
    name: str, start: int, lang: str, label: str, whole: bool = False, text: str = ""
) -> Iterator[tuple[int, int, str]]:
    found = _trimmed(name, start, lang, whole, text)
    if found is not None:
        yield found[1], found[1] + len(found[0]), label


def _listed_names(
    text: str, lang: str, known: Sequence[tuple[int, int]]
) -> Iterator[tuple[int, int, str]]:
    """Unknown names in a list whose other members are known companies ("Volvo Trucks,
    Mack, Renault Trucks and X"); a lone common word opening a sentence is left out."""
    if len(known) < 2:
        return
    separator = _patterns(lang)[2]
    starts = {start: end for start, end in known}
    ends = {end: start for start, end in known}
    done: set[int] = set()
    for first_start, first_end in sorted(known):
        if first_start in done:
            continue
        run = [(first_start, first_end, True)]
        # Walk back over separators and names, then forward.
        while (sep := _separator_before(text, run[0][0], separator)) is not None:
            if sep in ends:
                run.insert(0, (ends[sep], sep, True))
                continue
            name = _NAME_BEFORE.search(text, max(0, sep - 60), sep)
            if name is None:
                break
            run.insert(0, (name.start(), name.end(), False))
        while (following := separator.match(text, run[-1][1])) is not None:
            if following.end() in starts:
                run.append((following.end(), starts[following.end()], True))
                continue
            name = _NAME_AT.match(text, following.end())
            if name is None:
                break
            run.append((name.start(), name.end(), False))
        done.update(start for start, _, is_known in run if is_known)
        yield from _unknown_members(text, lang, run)


def _separator_before(text: str, position: int, separator: re.Pattern[str]) -> int | None:
    """Where a list separator that ends at `position` starts, if there is one."""
    for width in range(1, 7):
        if position - width >= 0 and separator.fullmatch(text, position - width, position):
            return position - width
    return None


def _unknown_members(
    text: str, lang: str, run: list[tuple[int, int, bool]]
) -> Iterator[tuple[int, int, str]]:
    companies = sum(1 for _, _, is_known in run if is_known)
    if len(run) < 3 or companies < 2 or companies < len(run) - 1:
        return
    for start, end, is_known in run:
        name = text[start:end]
        if is_known or (" " not in name and _opens_sentence(text, start)):
            continue
        found = _trimmed(name, start, lang)
        if found is not None and found[1] == start and len(found[0]) == end - start:
            yield start, end, "COMPANY"


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip()
    return not before or before[-1] in '.!?:\n"“«'


def cue_companies(
    text: str, lang: str, known: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int, str]]:
    """(start, end, label) of companies (COMPANY) and other organisations (ORG) found
    from their context, and every other place where the text writes the same names.
    `known` are the spans of knowledge-base companies, for lists."""
    known = list(known)
    found = [*_cue_names(text, lang), *_listed_names(text, lang, known)]
    return found + recurrences(text, found)


def recurrences(text: str, found: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The other places where the text writes a name already found, also without its
    legal form ("Acme Ltd" ... "Acme")."""
    labels: dict[str, str] = {}
    for start, end, label in found:
        name = text[start:end]
        labels.setdefault(name, label)
        core = _LEGAL_SUFFIX.sub("", name)
        if core != name and len(core) > 2:
            labels.setdefault(core, label)
    if not labels:
        return []
    seen = {(start, end) for start, end, _ in found}
    alternation = "|".join(re.escape(name) for name in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w&-])(?:{alternation})(?![\w&]|-\w)")
    return [
        (match.start(), match.end(), labels[match.group(0)])
        for match in pattern.finditer(text)
        if (match.start(), match.end()) not in seen
    ]
