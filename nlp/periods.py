"""Time periods in text: years, months, quarters, halves, ranges, decades, fiscal years, rates
and relative expressions, resolved against a reference date.

One scan of the lowercased text finds the words that can open a period expression ("juni",
"eerste", "vorig", "per", ...); the pattern of each kind of expression that can open with
that word is then tried there, and a scan for four-digit years does the same for the kinds
that open with a year. Where two expressions overlap, the kind tried first keeps its span.
Expressions that name a period after another one ("a year earlier", "over the same period")
are resolved last, against the calendar period their sentence names.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from nlp.lexicon import MONTH_ABBREVIATIONS, MONTHS
from nlp.patterns import Trie


@dataclass(frozen=True)
class Period:
    """A calendar period ("2025", "2025-05", "2025-Q1", "2025-H1", "2025-01/2025-05",
    "2020/2031", "1980s") or a bare label ("H1", "last_year", "per day"), found at
    [start, end) in the text.

    - `target`: a year aimed at ("tegen 2035", "d'ici 2030", "bis 2030", "by 2035").
    - `day`: a date more than a period ("le 3 mars", "am 24. Juni", "19/06/2013"): it dates
      an announcement more often than a figure; the label is the date's month.
    - `relative`: the relative expression the period was resolved from, "" for a written
      one: last_year, this_year, next_year, last_month, this_month, next_month,
      last_quarter, this_quarter, mid_decade ("Mitte des Jahrzehnts"), now ("momenteel",
      "derzeit"), year_to_date ("seit Jahresbeginn"); or one of `ANAPHORIC`, a period
      named after another one: year_ago ("a year earlier", "im Vorjahreszeitraum"),
      month_before ("im Vormonat"), same_period ("over the same period"). Those carry the
      dates of the period their sentence names when it is found (see `resolve_relative`),
      else no dates and their kind as label.
    - `rate`: "day", "week", "month", "year" or "hour" for "per dag", "par an", "pro Jahr",
      "a year", "annually"; the period has no dates and the label "per day" etc. (see
      `rate_label`).
    - `since`: the period opens a stretch ("sinds 2014", "depuis fin mai", "seit 2018"); it
      is not the period of a level.
    - `until`: the period closes a running total ("bis Ende vergangenen Jahres", "bis zum
      24. Juni", "jusqu'à fin 2020").
    - `fiscal`: a fiscal year ("FY2024", "exercice 2023", "im abgelaufenen Geschäftsjahr"),
      labelled with its calendar year.
    """

    label: str
    start_date: date | None
    end_date: date | None
    start: int
    end: int
    target: bool = False
    day: bool = False
    relative: str = ""
    rate: str = ""
    since: bool = False
    until: bool = False
    fiscal: bool = False


ANAPHORIC = frozenset({"year_ago", "month_before", "same_period"})

# ---- vocabulary ----

_MONTH_NUMBERS: dict[str, int] = {
    **MONTHS,
    "feber": 2,
    **{f"{short}.": number for short, number in MONTH_ABBREVIATIONS.items()},
}
_MONTH = "|".join(re.escape(name) for name in sorted(_MONTH_NUMBERS, key=len, reverse=True))
_MONTH_GROUP = rf"(?:{_MONTH})(?!\w)"
# Month names that are also other words need a year, a day or a preposition.
_AMBIGUOUS_MONTHS = frozenset({"mai", "mei", "may", "mar."})
_MONTH_PREPOSITION = re.compile(
    r"\b(?:in|en|im|de|van|fin|eind|ende|end|of|on|am|le|op|vom|du|au|until|bis|since|seit|"
    r"depuis|sinds|by|to|through|à|tot|mois\s+de|mois\s+d['’]|monat|maand)\s+$"
)
_COUNT_WORDS: dict[str, int] = {}
for _words in (
    "one two three four five six seven eight nine ten eleven twelve",
    "een twee drie vier vijf zes zeven acht negen tien elf twaalf",
    "un deux trois quatre cinq six sept huit neuf dix onze douze",
    "ein zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
):
    for _number, _word in enumerate(_words.split(), start=1):
        _COUNT_WORDS[_word] = _number
_COUNT_WORDS.update({"une": 1, "eins": 1, "één": 1})
_COUNT = r"\d{1,2}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"
_AFTER_YEAR = r"(?![\d.,]\d|\d)"
_REL_LAST = (
    r"vorige?\s+jaar|verleden\s+jaar|afgelopen\s+jaar|"
    r"l['’]an(?:née)?\s+(?:derni(?:er|ère)|pass(?:é|ée))|"
    r"(?:des\s+)?(?:letzten|vergangenen|vorigen)\s+jahres|last\s+year"
)
_REL_THIS = (
    r"dit\s+jaar|lopende\s+jaar|cette\s+année|l['’]année\s+en\s+cours|"
    r"(?:des\s+)?(?:laufenden|dieses)\s+jahres|this\s+year|the\s+current\s+year"
)
_REL_NEXT = (
    r"volgende?\s+jaar|komende\s+jaar|l['’]an(?:née)?\s+prochaine?|"
    r"(?:des\s+)?(?:nächsten|kommenden)\s+jahres|next\s+year"
)
_REL_PREV = (
    r"jaar\s+(?:ervoor|daarvoor)|voorgaande\s+jaar|l['’]année\s+précédente|des\s+vorjahres|"
    r"(?:the\s+)?(?:previous|prior|preceding)\s+year|a\s+year\s+(?:earlier|before|ago)|"
    r"een\s+jaar\s+(?:eerder|geleden|daarvoor)|un\s+an\s+(?:plus\s+tôt|auparavant)|"
    r"ein\s+jahr\s+(?:zuvor|früher|davor)"
)


def _designator(prefix: str) -> str:
    """An optional year after a month, quarter or half: written ("2024", "van 2024",
    "'24") or relative ("van dit jaar", "de l'année dernière", "des Vorjahres")."""
    return (
        r"(?:"
        r"\s*,?\s*(?:(?:van|de|of|des|du|von|in|en|im|d['’])\s*)?"
        r"(?:(?:het\s+)?jaar\s+|l['’]année\s+|(?:des\s+)?jahres\s+|the\s+year\s+)?"
        rf"(?P<{prefix}y>{_YEAR}){_AFTER_YEAR}"
        rf"|\s?['’/]\s?(?P<{prefix}yy>\d{{2}})(?!\d)"
        r"|\s+(?:(?:van|de|of|des|du|d['’]|in|en)\s*)?(?:het\s+)?"
        rf"(?:(?P<{prefix}last>{_REL_LAST})|(?P<{prefix}this>{_REL_THIS})|"
        rf"(?P<{prefix}next>{_REL_NEXT})|(?P<{prefix}prev>{_REL_PREV}))"
        r")?"
    )


def _after(*words: str) -> str:
    """A lookbehind for any of `words` (each of fixed width) right before the match."""
    return "(?:" + "|".join(rf"(?<=\b{word}\s)" for word in words) + ")"


# ---- the kinds of expression, each a pattern that opens with one of its lead words ----

# "year to date", "seit Jahresbeginn", "depuis le début de l'année (à fin mai)", "à fin juin"
_TO_DATE = (
    r"(?:year[\s-]to[\s-]date|ytd\b|so\s+far\s+this\s+year|"
    r"depuis\s+(?:le\s+)?début\s+(?:de\s+l['’]année|d['’]année)|depuis\s+janvier|"
    r"seit\s+(?:jahresbeginn|jahresanfang|(?:anfang|beginn)\s+des\s+jahres|januar|jänner)|"
    r"bisherigen\s+jahresverlauf|sinds\s+(?:begin\s+(?:dit\s+jaar|van\s+het\s+jaar)|januari)|"
    r"dit\s+jaar\s+tot\s+nu\s+toe)"
    r"(?:\s*,?\s*(?:through|to|until|jusqu['’]\s*à\s+fin|jusqu['’]\s*à|à\s+fin|fin|bis\s+ende|"
    rf"bis|tot\s+en\s+met|t/m|tot\s+eind|tot)\s+(?P<month>{_MONTH_GROUP}))?"
    rf"|(?:{_after('à', 'a')}fin|{_after('bis')}ende|{_after('through the', 'to the')}end\s+of|"
    rf"{_after('tot', 't/m')}eind)\s+(?P<fin>{_MONTH_GROUP})" + _designator("d")
)
# The word for months, with a count before it ("first nine months", "neuf premiers mois",
# "the three months to June 30", "die drei Monate bis Ende Juni").
_MONTH_UNIT = r"(?:months?|maanden|maand|mois|monate?n?)(?!\w)"
_MONTH_COUNT_BEFORE = re.compile(
    rf"(?:\b(?P<first>first|eerste|ersten)\s+(?P<n1>{_COUNT})|\b(?P<n2>{_COUNT})\s+premiers"
    rf"|\b(?P<n3>{_COUNT}))[\s-]+$"
)
_FIRST_MONTHS_AFTER = re.compile(_designator("f"))
_MONTHS_TO_AFTER = re.compile(
    r"(?:\s+(?:period|periode))?\s+"
    r"(?:ended|ending|to|through|until|up\s+to|tot(?:\s+en\s+met)?|t/m|bis|clos|terminés|"
    r"achevés|arrêtés|jusqu['’]\s*(?:à|au|en))\s+"
    r"(?:(?:le|au|fin|à\s+fin|eind|ende|the\s+end\s+of|end\s+of|zum|zur)\s+)*"
    rf"(?:[0-3]?\d(?:st|nd|rd|th|er|\.)?\s+)?(?P<month>{_MONTH_GROUP})"
    r"(?:\s+[0-3]?\d(?:st|nd|rd|th)?(?!\d))?" + _designator("t")
)
# "januari tot en met oktober", "January–September 2025", "April bis Juni"; the opener
# ("van", "de", "zwischen", "in den Monaten") is read before the first month.
_RANGE = (
    rf"(?P<m1>{_MONTH_GROUP})(?:\s+(?P<y1>{_YEAR}))?\s*"
    r"(?P<conn>tot\s+en\s+met|tot|t/m|à|au|a|jusqu['’](?:à|en)|bis(?:\s+einschließlich)?|to|"
    r"through|thru|until|till|en|et|und|and|[-–—])\s*"
    r"(?:(?:fin|eind|ende|end\s+of)\s+)?(?:(?:le\s+)?mois\s+(?:de\s+|d['’]))?"
    rf"(?P<m2>{_MONTH_GROUP})" + _designator("r")
)
_RANGE_OPENER = re.compile(
    r"\b(?P<open>van|vanaf|de|d['’]|du|von|from|tussen|entre|zwischen|between|"
    r"in\s+den\s+monaten|in\s+de\s+maanden|the\s+months(?:\s+of)?|les\s+mois\s+de)\s*"
    r"(?:(?:le\s+)?mois\s+(?:de\s+|d['’])|den\s+monat\s+)?$"
)
# Connectors that make a range without an opener ("April bis Juni", "janvier-mai").
_RANGE_WITHOUT_OPENER = re.compile(
    r"tot\s+en\s+met|t/m|bis(?:\s+einschließlich)?|through|thru|until|till|jusqu['’](?:à|en)|[-–—]"
)
_MONTH_YEAR = (
    rf"(?P<month>{_MONTH_GROUP})"
    rf"(?:\s+(?P<mday>[0-3]?\d)(?:st|nd|rd|th)?,?(?=\s+{_YEAR}))?"
    r"(?:\s+(?P<coming>prochaine?|qui\s+vient)\b|\s+(?P<past>dernier)\b)?" + _designator("m")
)
# "next March", "kommenden März", "afgelopen maart": the month's next or last occurrence.
_MONTH_COMING_BEFORE = re.compile(r"\b(?:next|coming|kommenden|nächsten|volgende|komende)\s+$")
_MONTH_PAST_BEFORE = re.compile(r"\b(?:last|past|vergangenen|letzten|afgelopen|vorige)\s+$")
_ORDINALS = {
    1: r"eerste|1ste|1e|première|premier|1ère|1re|1er|erste[nrs]?|first|1st",
    2: r"tweede|2de|2e|deuxième|2ème|seconde?|2nd|zweite[nrs]?",
    3: r"derde|3de|3e|troisième|3ème|third|3rd|dritte[nrs]?",
    4: r"vierde|4de|4e|quatrième|4ème|fourth|4th|vierte[nrs]?|final",
}
# "third quarter", "premier semestre", "im 3. Quartal", "eerste jaarhelft"; "the last
# quarter of 2023" is a fourth quarter only with its year.
_ORDINAL_PART = (
    r"(?:"
    + "|".join(f"(?P<n{n}>{words})" for n, words in _ORDINALS.items())
    + r"|(?P<nd>[1-4])\.|(?P<nlast>laatste|dernier|letzten?|last))[\s-]+"
    r"(?:(?P<uq>kwartaal|trimestre|quartals?|quarter|vierteljahr(?:es)?)"
    r"|(?P<uh>helft|halfjaar|jaarhelft|semestre|half(?:[\s-]year)?|halbjahr(?:es)?|"
    r"jahreshälfte))\b" + _designator("o")
)
# "Q2 2024", "2Q24", "H1 2025", "S1 2024", "T3 2023", "in Q3"; "2024-Q2" opens with its year.
_CODE = (
    r"(?:(?P<gn>[1-4])(?:(?P<gk>q)(?P<gyy>\d{2})?|(?P<gh>h)(?=\s+(?:19|20)\d{2}))"
    r"|(?P<bk>[qhst])(?P<bn>[1-4]))\b" + _designator("c")
)
_YEAR_CODE = re.compile(rf"(?P<year>{_YEAR})[\s-]?(?P<kind>[qh])(?P<number>[1-4])\b")
_CODE_PREPOSITION = re.compile(
    r"\b(?:in|im|au|du|en|for|during|over|the|het|le|des|van|tijdens|während|sur|pour|dans|"
    r"de|of|am|ins|into|vs\.?|versus)\s+$"
)
_MID_YEAR = (
    rf"(?:{_after('zur')}jahresmitte|{_after('à', 'à la')}mi-année|{_after('at')}mid-?year|"
    r"halverwege\s+het\s+jaar)" + _designator("mid")
)
_FISCAL = (
    r"(?:(?:fiscal|financial)(?:\s+year)?|fy|exercice(?:\s+fiscal)?|geschäftsjahr(?:es)?|"
    r"wirtschaftsjahr(?:es)?|boekjaar)\s*['’]?(?P<year>(?:19|20)\d{2}|(?<=fy)\d{2}|"
    r"(?<=fy\s)\d{2}|(?<=fy['’])\d{2})(?:\s*[/-]\s*(?P<second>(?:19|20)?\d{2}))?(?!\d)"
    rf"|(?P<last>{_after('ce', 'le')}dernier\s+exercice|"
    r"exercice\s+(?:écoulé|précédent|passé|dernier)|"
    r"(?:abgelaufenen|vergangenen|letzten|vorigen)\s+geschäftsjahr(?:es)?|"
    r"(?:afgelopen|vorige?)\s+boekjaar|(?:last|past|previous|prior)\s+(?:fiscal|financial)\s+year)"
    rf"|(?P<this>{_after('cet')}exercice|exercice\s+en\s+cours|laufenden\s+geschäftsjahr(?:es)?|"
    r"lopende\s+boekjaar|current\s+(?:fiscal|financial)\s+year)"
    r"|(?P<next>next\s+(?:fiscal|financial)\s+year|kommenden\s+geschäftsjahr(?:es)?|"
    r"volgende?\s+boekjaar|exercice\s+(?:prochain|suivant))"
)
# "1980s", "the '80s", "in den 1980er-Jahren", "Achtzigerjahre", "les années 80",
# "de jaren tachtig"; a decade written with its century opens with its year.
_DECADE_NAMES = {
    "nl": "twintig dertig veertig vijftig zestig zeventig tachtig negentig",
    "de": "zwanziger dreißiger vierziger fünfziger sechziger siebziger achtziger neunziger",
    "fr": "vingt trente quarante cinquante soixante soixante-dix quatre-vingt quatre-vingt-dix",
    "en": "twenties thirties forties fifties sixties seventies eighties nineties",
}
_DECADE_WORDS = {
    word: decade
    for words in _DECADE_NAMES.values()
    for decade, word in enumerate(words.split(), start=2)
}
_DECADE_WORDS["quatre-vingts"] = 8


def _decade_words(*langs: str) -> str:
    words = [w for lang in langs for w in _DECADE_NAMES[lang].split()]
    return "|".join(sorted(words, key=len, reverse=True))


_DECADE_SUFFIX = r"(?:['’]?s\b|er(?:n\b|[\s-]*jahren?\b))"
_DECADE = (
    r"(?:années|jaren)\s+(?:(?P<full>(?:19|20)\d0)|['’]?(?P<short>[2-9]0)"
    rf"|(?P<word>{_decade_words('fr', 'nl')}|quatre-vingts))(?![\w-])"
    rf"|(?P<de_word>{_decade_words('de')})(?:n\b|[\s-]*jahren?\b|\b)"
    rf"|{_after('the')}(?P<en_word>{_decade_words('en')})\b"
    rf"|['’]?(?P<digits>[2-9]0){_DECADE_SUFFIX}"
)
_YEAR_DECADE = re.compile(rf"(?P<decade>(?:19|20)\d0){_DECADE_SUFFIX}")
_YEAR_RANGE = re.compile(
    rf"(?P<first>{_YEAR})\s*(?:(?P<conn>bis|to|through|à|au|tot(?:\s+en\s+met)?|t/m|und|and|et|"
    r"en)\s+|(?P<dash>[-–—/])\s*)(?P<last>(?:19|20)?\d{2})" + _AFTER_YEAR
)
_YEAR_RANGE_OPENER = re.compile(
    r"\b(?P<open>van|von|from|de|du|entre|zwischen|between|tussen)\s+"
    r"(?:(?:den|die|the|les|de)\s+(?:jahren?|years|années|jaren)\s+)?$"
    r"|\b(?:den|die|the|les|de)\s+(?:jahren?|years|années|jaren)\s+$"
)
_TARGET_BEFORE = re.compile(
    r"\b(?:tegen|tegen\s+het\s+jaar|d['’]ici(?:\s+à)?|d['’]ici\s+fin|bis|bis\s+zum\s+jahr|by|"
    r"by\s+the\s+end\s+of|voor\s+eind|avant|vor|in\s+het\s+jaar|(?:à\s+)?l['’]horizon)\s+$"
)
_NOT_A_YEAR_AGO = (
    r"(?!\s+(?:of\s+|in\s+|de\s+|d['’]|van\s+|des\s+)?(?:l['’]an|last\s+year|the\s+previous|"
    r"the\s+prior|a\s+year|vorig|het\s+vorige|een\s+jaar|vorjahr|vergangenen|letzten))"
)
_PREPOSITION_THE = _after("in the", "over the", "during the", "for the", "through the")
# Periods named after another one: the same period a year before, the month before, or the
# same period again. Tried after the calendar kinds (so that "April last year" stays one
# month) and before the relative ones (so that "the same month last year" stays whole).
_ANAPHOR = (
    r"(?P<year_ago>"
    r"year[\s-]ago\s+(?P<g1>period|quarter|month|half)\b"
    r"|(?:same|corresponding|comparable|equivalent)\s+"
    r"(?P<g2>period|quarter|month|half(?:[\s-]year)?|months|time)\s+(?:of\s+|in\s+|a\s+)?"
    r"(?:last\s+year|(?:the\s+)?(?:previous|prior|preceding)\s+year|a\s+year\s+(?:earlier|ago|"
    r"before)|year\s+earlier)\b"
    r"|prior[\s-]year\s+(?P<g3>period|quarter|month)\b"
    r"|(?:dezelfde|diezelfde|overeenkomstige|vergelijkbare|hetzelfde)\s+"
    r"(?P<g4>periode|maand|kwartaal|halfjaar)\s+(?:van\s+|in\s+)?"
    r"(?:(?:het\s+)?(?:vorige?|voorgaande|afgelopen)\s+jaar|verleden\s+jaar|"
    r"een\s+jaar\s+(?:eerder|geleden)|het\s+jaar\s+(?:ervoor|daarvoor))\b"
    r"|même\s+(?P<g5>période|mois|trimestre|semestre)\s+(?:de\s+|d['’])?"
    r"(?:l['’]an(?:née)?\s+(?:derni(?:er|ère)|précédente|passée?)|un\s+an\s+plus\s+tôt)"
    r"|période\s+correspondante\s+(?:de\s+|d['’])?"
    r"l['’]an(?:née)?\s+(?:derni(?:er|ère)|précédente|passée?)"
    r"|vorjahres(?P<g6>zeitraum|monat|quartal|halbjahr|periode)s?\b"
    r"|(?:gleichen|selben|entsprechenden)\s+(?P<g7>zeitraum|monat|quartal|halbjahr)\s+"
    r"(?:des\s+)?(?:vorjahres|vergangenen\s+jahres|letzten\s+jahres)\b"
    rf"|{_after('a')}year\s+(?:earlier|ago|before)\b"
    rf"|{_after('een')}jaar\s+(?:eerder|geleden|daarvoor)\b"
    rf"|{_after('un')}an\s+(?:plus\s+tôt|auparavant)\b"
    r"|il\s+y\s+a\s+un\s+an\b"
    r"|vor\s+einem\s+jahr\b"
    rf"|{_after('ein', 'im')}jahr\s+(?:zuvor|früher|davor)\b)"
    r"|(?P<year_before>vorjahr(?:es)?\b|(?:previous|prior|preceding)\s+year\b|"
    rf"année\s+précédente\b|{_after('het')}(?:jaar\s+(?:ervoor|daarvoor)|voorgaande\s+jaar)\b)"
    r"|(?P<month_before>vormonats?\b|mois\s+(?:précédent|plus\s+tôt)\b|"
    r"(?:previous|prior|preceding)\s+month\b|maand\s+(?:ervoor|daarvoor|eerder)\b|"
    rf"{_after('a')}month\s+earlier\b|monat\s+(?:zuvor|früher)\b)"
    r"|(?P<same_period>"
    rf"{_PREPOSITION_THE}same\s+(?P<s1>period|month|quarter|half|time\s+frame|timeframe)\b"
    + _NOT_A_YEAR_AGO
    + rf"|{_PREPOSITION_THE}(?P<s2>month|quarter)\b"
    r"(?!\s+(?:of|to|ended|ending|through|before|after|earlier|later)\b)"
    r"|(?:dezelfde|diezelfde|hetzelfde)\s+(?P<s3>periode|maand|kwartaal|halfjaar)\b"
    r"(?!\s+(?:van|vorig|een|in)\b)"
    rf"|{_after('die', 'dat')}(?P<s4>periode|maand|kwartaal|halfjaar)\b"
    r"(?!\s+(?:van|vorig|een|in)\b)"
    r"|même\s+(?P<s5>période|mois|trimestre|semestre)\b"
    + _NOT_A_YEAR_AGO
    + rf"|{_after('cette')}(?P<s6>période)\b"
    + rf"|{_after('sur le', 'pendant le', 'durant le', 'cours du', 'pour le')}"
    r"(?P<s7>mois|trimestre|semestre)\b"
    r"(?!\s*(?:de\b|d['’]|dernier|prochain|précédent|suivant|passé|-ci|\d))"
    r"|(?:selben|gleichen)\s+(?P<s8>zeitraum|monat|quartal|halbjahr)\b"
    r"(?!\s+(?:des|der|vorjahres|vergangenen|letzten))"
    r"|berichts(?P<s9>zeitraum|monat|quartal|halbjahr)\b"
    rf"|{_after('im')}(?P<s10>zeitraum|quartal|halbjahr)\b"
    r"(?!\s+(?:von|vom|des|der|zwischen|bis|\d)))"
)
_ANAPHOR_NOUNS = tuple(f"g{n}" for n in range(1, 8)) + tuple(f"s{n}" for n in range(1, 11))
_GRANULARITY = {
    **dict.fromkeys(("month", "months", "maand", "mois", "monat"), "month"),
    **dict.fromkeys(("quarter", "kwartaal", "trimestre", "quartal"), "quarter"),
    **dict.fromkeys(("half", "half year", "halfjaar", "semestre", "halbjahr"), "half"),
}
# Relative periods, one named group each.
_RELATIVE = (
    r"(?P<last_year>(?:vorige?|verleden|afgelopen)\s+jaar\b|"
    r"(?<=\bl['’])an(?:née)?\s+(?:derni(?:er|ère)|pass(?:é|ée))\b|"
    r"(?:letzten|letztes|vergangenen|vergangenes|vorigen|voriges)\s+jahr(?:es)?\b|last\s+year\b)"
    r"|(?P<this_year>dit\s+jaar\b|lopende\s+jaar\b|cette\s+année\b|"
    r"(?<=\bl['’])année\s+en\s+cours\b|"
    r"diese[ms]\s+jahr(?:es)?\b|laufenden\s+jahr(?:es)?\b|this\s+year\b|heuer\b)"
    r"|(?P<next_year>(?:volgende?|komende)\s+jaar\b|(?<=\bl['’])an(?:née)?\s+prochaine?\b|"
    r"(?:nächsten|nächstes|kommenden|kommendes)\s+jahr(?:es)?\b|next\s+year\b)"
    rf"|(?P<last_month>(?:vorige|afgelopen)\s+maand\b|{_after('le')}mois\s+(?:dernier|passé)\b|"
    r"(?:letzten|vergangenen)\s+monat\b|last\s+month\b)"
    rf"|(?P<this_month>deze\s+maand\b|{_after('ce')}mois(?:-ci)?\b(?!\s+d)|"
    r"diese[mn]\s+monat\b|this\s+month\b)"
    rf"|(?P<next_month>volgende\s+maand\b|{_after('le')}mois\s+prochain\b|"
    r"(?:nächsten|kommenden)\s+monat\b|next\s+month\b)"
    r"|(?P<last_quarter>(?:afgelopen|vorige?)\s+kwartaal\b|"
    r"trimestre\s+(?:dernier|précédent|passé)\b|(?:vergangenen|letzten|abgelaufenen)\s+quartal\b|"
    r"vorquartal\b|(?:last|previous|prior)\s+quarter\b)"
    rf"|(?P<this_quarter>(?:dit|lopende)\s+kwartaal\b|{_after('ce')}trimestre\b|"
    rf"{_after('in diesem', 'im laufenden')}quartal\b|(?:this|current)\s+quarter\b)"
    r"|(?P<mid_decade>mid-?decade\b|(?:the\s+)?middle\s+of\s+the\s+decade\b|"
    r"mitte\s+(?:des\s+jahrzehnts|der\s+dekade)\b|(?:le\s+)?milieu\s+de\s+la\s+décennie\b|"
    r"mi-décennie\b|(?:het\s+)?midden\s+van\s+het\s+decennium\b|halverwege\s+het\s+decennium\b)"
    rf"|(?P<now>momenteel\b|{_after('op dit', 'en ce')}moment\b|actuellement\b|"
    rf"(?<=\bà\sl['’])heure\s+actuelle\b|derzeit\b|zurzeit\b|gegenwärtig\b|currently\b|"
    rf"{_after('at')}present\b)"
)
_AFTER_A = (
    r"(?<=\ba\s)(?<!\bin\sa\s)(?<!\bfor\sa\s)(?<!\bhalf\sa\s)(?<!\bthan\sa\s)"
    r"(?<!\bwithin\sa\s)(?<!\bafter\sa\s)(?<!\babout\sa\s)(?<!\bnearly\sa\s)"
    r"(?<!\balmost\sa\s)(?<!\bover\sa\s)(?<!\bonly\sa\s)(?<!\bjust\sa\s)"
)
_NOT_AFTER_A = r"(?!\s+(?:earlier|later|before|after|ago|or|and|of|in|from|since|on)\b)"
_EVERY = r"(?:per|pro|par|each|every|elke?|iedere?|jede[ns]?|chaque)\s+"
_RATE = (
    rf"(?P<day>{_EVERY}(?:dag|tag|jour|day)\b|{_after('am')}tag\b|dagelijks\b|täglich\b|"
    rf"quotidiennement\b|/\s*(?:dag|tag|jour|day)\b|{_AFTER_A}day\b{_NOT_AFTER_A})"
    rf"|(?P<year>{_EVERY}(?:jaar|jahr|an|année|year|annum)\b|"
    rf"{_after('im')}jahr\b(?!\s+(?:\d|zuvor|davor|danach|darauf|nach|vor|des|der|dem|seit|mit|"
    r"ein|in))|jährlich\b|jaarlijks\b|annually\b|annuellement\b|p\.\s?a\.|"
    rf"/\s*(?:jaar|jahr|an|year|yr)\b|{_AFTER_A}year\b{_NOT_AFTER_A})"
    rf"|(?P<month>{_EVERY}(?:maand|monat|mois|month)\b|"
    rf"{_after('im')}monat\b(?!\s+(?:\d|zuvor|davor|danach|des|der|dem|[a-zä]+\s+\d))|"
    r"monatlich\b|maandelijks\b|mensuellement\b|/\s*(?:maand|monat|mois|month)\b|"
    rf"{_AFTER_A}month\b{_NOT_AFTER_A})"
    rf"|(?P<week>{_EVERY}(?:week|woche|semaine)\b|wöchentlich\b|wekelijks\b|"
    rf"{_AFTER_A}week\b{_NOT_AFTER_A})"
    rf"|(?P<hour>{_EVERY}(?:uur|stunde|heure|hour)\b)"
)
_RATE_LABELS = {unit: f"per {unit}" for unit in ("day", "week", "month", "year", "hour")}
# Half-year results: their half follows from when they are published.
_HALF_YEAR_RESULTS = (
    rf"{_after('résultats', 'comptes', 'chiffres', 'bénéfice', 'bénéfices', 'ventes')}"
    r"semestriel(?:le)?s?\b"
    r"|half[\s-]year(?:ly)?\s+(?:results|figures|earnings|profits?|revenues?|sales)\b"
    r"|halbjahres(?:zahlen|bilanz|ergebnis(?:se)?|umsatz|gewinn|absatz)\b"
    r"|halfjaar(?:cijfers|resultaten|resultaat|winst|omzet)\b"
)

_KINDS: dict[str, tuple[str, str]] = {
    # kind: (pattern, the words it can open with)
    "to_date": (
        _TO_DATE,
        "year|ytd|so|depuis|seit|bisherigen|sinds|dit|fin|ende|end|eind",
    ),
    "month_count": (_MONTH_UNIT, "month|maand|mois|monat"),
    "range": (_RANGE, "|".join(_MONTH_NUMBERS)),
    "ordinal_part": (
        _ORDINAL_PART,
        "eerste|1ste|1e|première|premier|1ère|1re|1er|erste|first|1st|tweede|2de|2e|deuxième|"
        "2ème|second|2nd|zweite|derde|3de|3e|troisième|3ème|third|3rd|dritte|vierde|4de|4e|"
        "quatrième|4ème|fourth|4th|vierte|final|1.|2.|3.|4.|laatste|dernier|letzte|last",
    ),
    "code": (_CODE, "q1|q2|q3|q4|h1|h2|s1|s2|t1|t2|t3|t4|1q|2q|3q|4q|1h|2h"),
    "mid_year": (_MID_YEAR, "jahresmitte|mi|mid|halverwege"),
    "fiscal": (
        _FISCAL,
        "fiscal|financial|fy|exercice|geschäftsjahr|wirtschaftsjahr|boekjaar|dernier|"
        "abgelaufenen|vergangenen|letzten|vorigen|afgelopen|vorig|last|past|previous|prior|"
        "laufenden|lopende|current|next|kommenden|volgend",
    ),
    "decade": (
        _DECADE,
        "années|jaren|"
        + _decade_words("de", "en")
        + "".join(f"|{d}0s|'{d}0s|’{d}0s|{d}0er" for d in range(2, 10)),
    ),
    "month": (_MONTH_YEAR, "|".join(_MONTH_NUMBERS)),
    "anaphor": (
        _ANAPHOR,
        "year|same|corresponding|comparable|equivalent|prior|dezelfde|diezelfde|"
        "overeenkomstige|vergelijkbare|hetzelfde|même|période|vorjahr|gleichen|selben|"
        "entsprechenden|jaar|an|jahr|previous|preceding|année|voorgaande|vormonat|mois|maand|"
        "month|monat|quarter|period|periode|kwartaal|halfjaar|trimestre|semestre|berichts|"
        "zeitraum|quartal|halbjahr|il|vor",
    ),
    "relative": (
        _RELATIVE,
        "vorig|verleden|afgelopen|an|letzten|letztes|vergangenen|vergangenes|last|dit|"
        "lopende|cette|diese|laufenden|this|heuer|volgend|komende|nächsten|"
        "nächstes|kommenden|kommendes|next|mois|deze|trimestre|quartal|vorquartal|previous|"
        "prior|current|momenteel|moment|actuellement|heure|derzeit|zurzeit|gegenwärtig|"
        "currently|present|mid|middle|the|mitte|le|milieu|mi|het|midden|halverwege",
    ),
    "rate": (
        _RATE,
        "per|pro|par|each|every|elk|ieder|jede|chaque|tag|dagelijks|täglich|quotidiennement|"
        "jahr|jährlich|jaarlijks|annually|annuellement|p.a|/|day|year|month|week|monat|"
        "monatlich|maandelijks|mensuellement|wöchentlich|wekelijks",
    ),
    "half_year_results": (_HALF_YEAR_RESULTS, "semestriel|half|halbjahres|halfjaar"),
}


def _trie(words: Iterable[str]) -> str:
    """A pattern for any of `words`, longest first, factored on shared prefixes so that the
    regex engine scans it fast; a word that opens with a letter or digit only matches at the
    start of a word."""
    root: Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def body(node: Trie) -> str:
        branches = [re.escape(char) + body(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        joined = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        if "" in node:
            joined = f"(?:{joined})?" if len(branches) == 1 else f"{joined}?"
        return joined

    heads = []
    for char, child in sorted(root.items()):
        head = re.escape(char)
        if char.isalnum():
            head += rf"(?<!\w{re.escape(char)})"
        heads.append(head + body(child))
    return "|".join(heads)


_COMPILED = {kind: re.compile(pattern) for kind, (pattern, _) in _KINDS.items()}
_LEADS_BY_KIND = {kind: frozenset(leads.split("|")) for kind, (_, leads) in _KINDS.items()}
_ALL_LEADS = frozenset().union(*_LEADS_BY_KIND.values())
_LEAD = re.compile(_trie(_ALL_LEADS))
# The kinds to try where a lead word was found: those of the word and of its prefixes.
_KINDS_AT = {
    word: tuple(
        kind
        for kind, leads in _LEADS_BY_KIND.items()
        if any(word.startswith(lead) for lead in leads)
    )
    for word in _ALL_LEADS
}
_YEAR_START = re.compile(r"(?:19|20)(?<![\w.,]\d\d)\d\d")
_NOT_YEAR_END = re.compile(r"[\w.,]\d|\d")
_NUMERIC_DATE = re.compile(
    r"(?P<a>\d(?<![\w.,]\d)\d?\d?\d?)\s?(?P<sep>[./-])\s?(?P<b>\d\d?)\s?(?P=sep)\s?"
    r"(?P<c>\d\d\d?\d?)(?!\d)"
)
_DAY_BEFORE = re.compile(r"\b(?:[12]?\d|3[01])(?:er|\.)?\s*$")
_DAY_AFTER = re.compile(
    r"\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)?\b(?![.,]\d)(?!\s*(?:%|procent|pour|per))"
)
_SEASON = (
    r"voorjaar|najaar|zomer|winter|printemps|automne|été|hiver|frühjahr|frühling|herbst|sommer|"
    r"spring|summer|autumn|fall"
)
_SINCE_BEFORE = re.compile(
    r"\b(?:sinds|depuis|seit|since|vanaf|à\s+partir\s+d['’e]|ab|dès)\s+"
    r"(?:(?:eind|begin|medio|midden|fin|début|mi-?|ende|anfang|mitte|end\s+of|early|mid-?|late|"
    rf"the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|le|la|l['’]|de|the|dem|het|{_SEASON})"
    r"\s*)*(?:[0-3]?\d(?:er|st|nd|rd|th|\.)?\s+)?$"
)
_UNTIL_BEFORE = re.compile(
    r"\b(?:bis|jusqu['’]\s*(?:à|au|en)|tot(?:\s+en\s+met)?|t/m|until|till|up\s+to|through)\s+"
    r"(?:(?:zum|zur|ende|fin|eind|the\s+end\s+of|end\s+of|het\s+eind\s+van|la\s+fin\s+de|le|la|"
    r"l['’]|dem|den|de|the|het|einschließlich)\s*)*(?:[0-3]?\d(?:er|st|nd|rd|th|\.)?\s+)?$"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|(?<=[a-z]{2})[.!?](?=[A-Z])|\n")
_BARE_PART = re.compile(r"[QH][1-4]")
_ANCHOR_REACH = 400
# İ lowercases to two characters; ı and ſ match i and s case-insensitively. Folding them
# first keeps the lowercased text as long as the text, so that spans are the same.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


# ---- dates and labels ----


def _month_label(year: int, month: int) -> tuple[str, date, date]:
    last = calendar.monthrange(year, month)[1]
    return f"{year}-{month:02d}", date(year, month, 1), date(year, month, last)


def _year_period(
    year: int, start: int, end: int, *, relative: str = "", fiscal: bool = False
) -> Period:
    first, last = date(year, 1, 1), date(year, 12, 31)
    return Period(str(year), first, last, start, end, relative=relative, fiscal=fiscal)


def month_span(
    first_year: int, first_month: int, last_year: int, last_month: int, named: bool = True
) -> tuple[str, date, date]:
    """Label and dates of the months from (first_year, first_month) to (last_year,
    last_month). A span that is one calendar month, quarter, half or year takes its label
    ("2023-Q2" for April to June); `named=False` keeps a span from January as a range
    ("2016-01/2016-06" for a total to the end of June), unless it is a month or a year."""
    first = date(first_year, first_month, 1)
    last = _month_label(last_year, last_month)[2]
    if first_year == last_year:
        year = first_year
        if first_month == last_month:
            return _month_label(year, first_month)
        if (first_month, last_month) == (1, 12):
            return str(year), first, last
        if named and last_month - first_month == 2 and first_month % 3 == 1:
            return f"{year}-Q{last_month // 3}", first, last
        if named and (first_month, last_month) in {(1, 6), (7, 12)}:
            return f"{year}-H{last_month // 6}", first, last
    return f"{first_year}-{first_month:02d}/{last_year}-{last_month:02d}", first, last


def _granularity(label: str) -> str:
    if re.fullmatch(r"\d{4}", label):
        return "year"
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return "month"
    if re.fullmatch(r"(?:\d{4}-)?Q\d", label):
        return "quarter"
    if re.fullmatch(r"(?:\d{4}-)?H\d", label):
        return "half"
    return "span"


def _bare_part(first_month: int, last_month: int) -> str | None:
    """ "Q2" or "H1" for months that make a quarter or a half of an unknown year."""
    if last_month - first_month == 2 and first_month % 3 == 1:
        return f"Q{last_month // 3}"
    if (first_month, last_month) in {(1, 6), (7, 12)}:
        return f"H{last_month // 6}"
    return None


def is_calendar(period: Period) -> bool:
    """True for a dated period that can date a level: not a day, a target, the opening of
    a stretch, a rate or an unresolved reference to another period."""
    return period.start_date is not None and not (
        period.day or period.target or period.since or period.rate
    )


def _count(word: str) -> int:
    """A month count written in digits or words ("ten", "tien", "dix", "zehn")."""
    return int(word) if word.isdigit() else _COUNT_WORDS.get(word, 0)


def _has_designator(match: re.Match[str], prefix: str) -> bool:
    """Whether a designator names the year, written or relative."""
    names = ("y", "yy", "last", "this", "next", "prev")
    return any(match.group(prefix + name) for name in names)


class _Finder:
    """One document's periods, kind by kind; a kind tried earlier keeps an overlapping
    span."""

    def __init__(self, text: str, reference: date | None) -> None:
        self.text = text
        self.reference = reference
        self.folded = text.translate(_FOLD).lower()
        self.found: list[Period] = []
        self.taken: list[tuple[int, int]] = []  # claimed spans, in order, not overlapping
        self.leads: dict[str, list[int]] = {kind: [] for kind in _KINDS}
        for match in _LEAD.finditer(self.folded):
            for kind in _KINDS_AT[match.group()]:
                self.leads[kind].append(match.start())
        self.year_starts = [m.start() for m in _YEAR_START.finditer(self.folded)]
        self.explicit_years = [
            (start, int(self.folded[start : start + 4]))
            for start in self.year_starts
            if not _NOT_YEAR_END.match(self.folded, start + 4)
        ]
        self.year_positions = [position for position, _ in self.explicit_years]
        self.dated_months: list[int] = []  # months of the dates ("jeudi 28 juillet") in order
        self.sentence_ends: list[int] | None = None

    def matches(self, kind: str) -> list[re.Match[str]]:
        """The matches of `kind` where its lead words were found, left to right, not
        overlapping each other."""
        pattern = _COMPILED[kind]
        found: list[re.Match[str]] = []
        free_from = 0
        for start in self.leads[kind]:
            if start < free_from:
                continue
            match = pattern.match(self.folded, start)
            if match is not None and match.end() > start:
                found.append(match)
                free_from = match.end()
        return found

    def before(
        self, pattern: re.Pattern[str], offset: int, reach: int = 40
    ) -> re.Match[str] | None:
        """`pattern` (ending in $) matched right before `offset`."""
        return pattern.search(self.folded, max(0, offset - reach), offset)

    def free(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.taken, (start, end))
        before = index > 0 and self.taken[index - 1][1] > start
        after = index < len(self.taken) and self.taken[index][0] < end
        return not (before or after)

    def add(self, period: Period) -> bool:
        if not self.free(period.start, period.end):
            return False
        self.found.append(period)
        bisect.insort(self.taken, (period.start, period.end))
        return True

    def year_at(self, offset: int, last_month: int = 1) -> int | None:
        """The reference year, or else the last explicit year written before `offset`.
        A period ending more than a month after the reference month is last year's
        ("in december" in a January article)."""
        if self.reference is not None:
            return self.reference.year - (1 if last_month > self.reference.month + 1 else 0)
        index = bisect.bisect_left(self.year_positions, offset) - 1
        if index >= 0:
            return self.explicit_years[index][1]
        return self.explicit_years[0][1] if self.explicit_years else None

    def nearby_year(self, offset: int, reach: int = 300) -> int | None:
        """The last explicit year written shortly before `offset`, in the same paragraph."""
        index = bisect.bisect_left(self.year_positions, offset) - 1
        if index < 0:
            return None
        position, year = self.explicit_years[index]
        if offset - position > reach or "\n" in self.text[position:offset]:
            return None
        return year

    def years_around(self, offset: int, reach: int) -> list[int]:
        """The explicit years written within `reach` of `offset`, in its paragraph."""
        start = max(self.text.rfind("\n", 0, offset) + 1, offset - reach)
        end = self.text.find("\n", offset)
        end = min(offset + reach, len(self.text) if end == -1 else end)
        return [year for position, year in self.explicit_years if start <= position < end]

    def designated_year(
        self, match: re.Match[str], prefix: str, last_month: int
    ) -> tuple[int | None, str]:
        """The year a designator names (or else the implicit one), and the relative kind
        it was resolved from."""
        if match.group(f"{prefix}y"):
            return int(match.group(f"{prefix}y")), ""
        if match.group(f"{prefix}yy"):
            return 2000 + int(match.group(f"{prefix}yy")), ""
        reference = self.reference
        if match.group(f"{prefix}this"):
            if reference is not None:
                return reference.year, "this_year"
            return self.year_at(match.start()), "this_year"
        if match.group(f"{prefix}last"):
            return (reference.year - 1 if reference else None), "last_year"
        if match.group(f"{prefix}next"):
            return (reference.year + 1 if reference else None), "next_year"
        if match.group(f"{prefix}prev"):
            nearby = self.nearby_year(match.start())
            if nearby is not None:
                return nearby - 1, "year_ago"
            return (reference.year - 1 if reference else None), "year_ago"
        return self.year_at(match.start(), last_month), ""

    # ---- the kinds, in the order they claim their spans ----

    def numeric_dates(self) -> None:
        for match in _NUMERIC_DATE.finditer(self.folded):
            first, middle, last = match.group("a"), int(match.group("b")), match.group("c")
            if len(first) == 4 and len(last) == 2:
                year, month, day = int(first), middle, int(last)  # 2024-07-04
            elif len(first) <= 2 and len(last) == 4:
                year, month, day = int(last), middle, int(first)  # 19/06/2013
                if month > 12 and day <= 12:
                    month, day = day, month  # 06/19/2013
            else:
                continue
            if not (1900 <= year < 2100 and 1 <= month <= 12):
                continue
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                continue
            label, first_day, last_day = _month_label(year, month)
            if self.add(Period(label, first_day, last_day, *match.span(), day=True)):
                self.dated_months.append(month)

    def to_date(self) -> None:
        for match in self.matches("to_date"):
            word = match.group("month") or match.group("fin")
            if word is not None:
                month = _MONTH_NUMBERS[word]
                year, relative = self.designated_year(match, "d", month)
                if match.group("fin") is None:
                    relative = "year_to_date"
            elif self.reference is not None:
                month, year, relative = self.reference.month, self.reference.year, "year_to_date"
            else:
                self.add(Period("year_to_date", None, None, *match.span(), relative="year_to_date"))
                continue
            if year is not None:
                label, first, last = month_span(year, 1, year, month, named=False)
                self.add(Period(label, first, last, *match.span(), relative=relative))

    def month_counts(self) -> None:
        """ "the first nine months", "les neuf premiers mois", "the three months to June 30"."""
        for unit in self.matches("month_count"):
            counted = self.before(_MONTH_COUNT_BEFORE, unit.start())
            if counted is None:
                continue
            count = _count(counted.group("n1") or counted.group("n2") or counted.group("n3"))
            to = _MONTHS_TO_AFTER.match(self.folded, unit.end())
            if to is not None and 1 <= count <= 24:
                month = _MONTH_NUMBERS[to.group("month")]
                year, relative = self.designated_year(to, "t", month)
                if year is not None:
                    index = year * 12 + month - count  # the first month, counted from year 0
                    label, first, last = month_span(index // 12, index % 12 + 1, year, month)
                    span = (counted.start(), to.end())
                    self.add(Period(label, first, last, *span, relative=relative))
                continue
            if (counted.group("first") or counted.group("n2")) and 1 <= count <= 12:
                after = _FIRST_MONTHS_AFTER.match(self.folded, unit.end())
                assert after is not None  # the designator is optional
                year, relative = self.designated_year(after, "f", count)
                span = (counted.start(), after.end())
                if year is not None:
                    label, first, last = month_span(year, 1, year, count)
                    self.add(Period(label, first, last, *span, relative=relative))
                elif (bare := _bare_part(1, count)) is not None:
                    self.add(Period(bare, None, None, *span, relative=relative))

    def month_ranges(self) -> None:
        for match in self.matches("range"):
            opener = self.before(_RANGE_OPENER, match.start())
            if opener is None and not _RANGE_WITHOUT_OPENER.fullmatch(match.group("conn")):
                continue
            m1, m2 = _MONTH_NUMBERS[match.group("m1")], _MONTH_NUMBERS[match.group("m2")]
            last_year, relative = self.designated_year(match, "r", m2)
            first_year = int(match.group("y1") or 0) or None
            if first_year is not None and not _has_designator(match, "r"):
                last_year = first_year + (1 if m2 < m1 else 0)
            start = opener.start() if opener is not None else match.start()
            # a range written from January is a running total and keeps its label
            named = m1 != 1
            if last_year is None:
                bare = _bare_part(m1, m2) if named else None  # "April bis Juni", no year
                if bare is not None:
                    self.add(Period(bare, None, None, start, match.end(), relative=relative))
                continue
            if first_year is None:
                first_year = last_year - (1 if m2 < m1 else 0)
            if (first_year, m1) >= (last_year, m2):
                continue
            label, first, last = month_span(first_year, m1, last_year, m2, named)
            self.add(Period(label, first, last, start, match.end(), relative=relative))

    def year_ranges(self) -> None:
        for start in self.year_starts:
            match = _YEAR_RANGE.match(self.folded, start)
            if match is None:
                continue
            first, written = int(match.group("first")), match.group("last")
            if len(written) == 2:
                if match.group("dash") is None:
                    continue
                last = first // 100 * 100 + int(written)
            else:
                last = int(written)
            opener = self.before(_YEAR_RANGE_OPENER, start)
            between = opener is not None and opener.group("open") in {
                "entre",
                "zwischen",
                "between",
                "tussen",
            }
            if match.group("conn") in {"und", "and", "et", "en"} and not between:
                continue  # "in 2019 and 2020": two years
            if not first < last <= first + 50:
                continue
            span_start = opener.start() if opener is not None else start
            first_day, last_day = date(first, 1, 1), date(last, 12, 31)
            self.add(Period(f"{first}/{last}", first_day, last_day, span_start, match.end()))

    def decades(self) -> None:
        spans = [
            (match, int(match.group("decade")))
            for start in self.year_starts
            if (match := _YEAR_DECADE.match(self.folded, start)) is not None
        ]
        for match in self.matches("decade"):
            full, short = match.group("full"), match.group("short") or match.group("digits")
            word = match.group("word") or match.group("de_word") or match.group("en_word")
            if full:
                decade = int(full)
            elif short:
                decade = 1900 + int(short)
            else:
                decade = 1900 + 10 * _DECADE_WORDS[word]
            spans.append((match, decade))
        for match, decade in sorted(spans, key=lambda item: item[0].start()):
            first, last = date(decade, 1, 1), date(decade + 9, 12, 31)
            self.add(Period(f"{decade}s", first, last, *match.span()))

    def fiscal_years(self) -> None:
        reference = self.reference
        for match in self.matches("fiscal"):
            span = match.span()
            if match.group("year"):
                first = int(match.group("year"))
                first += 2000 if first < 100 else 0
                second = match.group("second")
                if second is None:
                    self.add(_year_period(first, *span, fiscal=True))
                    continue
                last = first // 100 * 100 + int(second) if len(second) == 2 else int(second)
                if last == first + 1:
                    first_day, last_day = date(first, 1, 1), date(last, 12, 31)
                    self.add(Period(f"{first}/{last}", first_day, last_day, *span, fiscal=True))
                continue
            year: int | None
            if match.group("last"):
                # the latest year written around it ("(en 2012). Sur ce dernier exercice"),
                # else the year before publication
                limit = reference.year if reference else 10_000
                around = [y for y in self.years_around(match.start(), 300) if y < limit]
                year = max(around) if around else (reference.year - 1 if reference else None)
                relative = "last_year"
            elif match.group("this"):
                year, relative = (reference.year if reference else None), "this_year"
            else:
                year, relative = (reference.year + 1 if reference else None), "next_year"
            if year is None:
                self.add(Period(relative, None, None, *span, relative=relative, fiscal=True))
            else:
                self.add(_year_period(year, *span, relative=relative, fiscal=True))

    def quarters_and_halves(self) -> None:
        for match in self.matches("ordinal_part"):
            quarter = match.group("uq") is not None
            number = next((n for n in range(1, 5) if match.group(f"n{n}")), 0)
            if match.group("nd"):
                number = int(match.group("nd"))
            if match.group("nlast"):
                if not _has_designator(match, "o"):
                    continue  # "last quarter" alone is relative
                number = 4 if quarter else 2
            if quarter or number <= 2:
                self.add_part("Q" if quarter else "H", number, match, "o")
        for start in self.year_starts:
            code = _YEAR_CODE.match(self.folded, start)
            if code is not None:
                letter, number = code.group("kind").upper(), int(code.group("number"))
                if letter == "Q" or number <= 2:
                    self.add_part(letter, number, code, "", int(code.group("year")))
        for match in self.matches("code"):
            if match.group("gn"):
                kind, number = match.group("gk") or match.group("gh"), int(match.group("gn"))
                written = match.group("gyy")
                year: int | None = 2000 + int(written) if written else None
            else:
                kind, number, year = match.group("bk"), int(match.group("bn")), None
                preposition = self.before(_CODE_PREPOSITION, match.start(), 12)
                if not _has_designator(match, "c") and preposition is None:
                    continue  # "Audi Q3", "H2 fuel", "VW T2"
            letter = "Q" if kind in "qt" else "H"
            if letter == "Q" or number <= 2:
                self.add_part(letter, number, match, "c", year)
        for match in self.matches("mid_year"):
            self.add_part("H", 1, match, "mid")

    def add_part(
        self,
        letter: str,
        number: int,
        match: re.Match[str],
        prefix: str,
        year_written: int | None = None,
    ) -> None:
        """A quarter or half; its bare label ("Q2", "H1") when no year can be fixed."""
        months = 3 if letter == "Q" else 6
        last_month = months * number
        year: int | None = year_written
        relative = ""
        if year is None:
            year, relative = self.designated_year(match, prefix, last_month)
        span = match.span()
        if year is None:
            self.add(Period(f"{letter}{number}", None, None, *span, relative=relative))
            return
        first = date(year, last_month - months + 1, 1)
        last = _month_label(year, last_month)[2]
        self.add(Period(f"{year}-{letter}{number}", first, last, *span, relative=relative))

    def target_years(self) -> None:
        for start, year in self.explicit_years:
            aim = self.before(_TARGET_BEFORE, start, 30)
            if aim is not None:
                period = _year_period(year, aim.start(), start + 4)
                self.add(replace(period, target=True))

    def months(self) -> None:
        for match in self.matches("month"):
            word = match.group("month")
            number = _MONTH_NUMBERS[word]
            start = match.start()
            day = bool(
                match.group("mday")
                or self.before(_DAY_BEFORE, start, 6)
                or _DAY_AFTER.match(self.folded, match.end(), match.end() + 12)
            )
            explicit = match.group("my") or match.group("myy")
            ambiguous = word in _AMBIGUOUS_MONTHS and not (explicit or day)
            if ambiguous and self.before(_MONTH_PREPOSITION, start, 12) is None:
                continue  # "may"/"mai"/"mei" are also other words
            if word == "sept" and not (explicit or day):
                continue  # "sept" is also "seven"
            year, relative = self.designated_year(match, "m", number)
            if day:
                self.dated_months.append(number)
            reference = self.reference
            if reference is not None and not _has_designator(match, "m"):
                if match.group("coming") or self.before(_MONTH_COMING_BEFORE, start, 12):
                    year = reference.year + (1 if number <= reference.month else 0)
                elif match.group("past") or self.before(_MONTH_PAST_BEFORE, start, 12):
                    year = reference.year - (1 if number >= reference.month else 0)
            if year is None:
                continue
            if relative == "year_ago":
                relative = ""  # "im September des Vorjahres": a month like any other
            label, first, last = _month_label(year, number)
            self.add(Period(label, first, last, *match.span(), day=day, relative=relative))

    def plain_years(self) -> None:
        for start, year in self.explicit_years:
            self.add(_year_period(year, start, start + 4))

    def anaphors(self) -> list[tuple[Period, str]]:
        """Periods named after another one, unresolved, each with the granularity it asks
        for ("month" for "the same month last year"; "" for any)."""
        pending: list[tuple[Period, str]] = []
        for match in self.matches("anaphor"):
            kind = next(
                k
                for k in ("year_ago", "year_before", "month_before", "same_period")
                if match.group(k) is not None
            )
            noun = next((match.group(g) for g in _ANAPHOR_NOUNS if match.group(g)), "")
            granularity = _GRANULARITY.get(re.sub(r"[\s-]+", " ", noun), "")
            if kind == "month_before":
                granularity = "month"
            elif kind == "year_before":
                granularity = "year"
            relative = "year_ago" if kind == "year_before" else kind
            period = Period(relative, None, None, *match.span(), relative=relative)
            if self.add(period):
                pending.append((period, granularity))
        return pending

    def relatives(self) -> None:
        for match in self.matches("relative"):
            kind = str(match.lastgroup)
            if kind == "now" and self.reference is None:
                continue
            period = _relative_period(kind, self.reference, *match.span())
            if kind == "mid_decade" and self.before(_TARGET_BEFORE, match.start(), 30):
                period = replace(period, target=True)  # "bis Mitte des Jahrzehnts"
            self.add(period)

    def rates(self) -> None:
        for match in self.matches("rate"):
            unit = str(match.lastgroup)
            self.add(Period(_RATE_LABELS[unit], None, None, *match.span(), rate=unit))

    def half_year_results(self) -> None:
        """ "résultats semestriels" published in July to September are the first half's,
        in January to March the second half of the year before."""
        found = self.matches("half_year_results")
        if not found:
            return
        year: int | None
        if self.reference is not None:
            month, year = self.reference.month, self.reference.year
        elif self.dated_months:
            month, year = self.dated_months[0], None
        else:
            return
        if 7 <= month <= 9:
            half = 1
        elif 1 <= month <= 3:
            half, year = 2, (year - 1 if year is not None else None)
        else:
            return
        for match in found:
            if year is None:
                self.add(Period(f"H{half}", None, None, *match.span()))
                continue
            first = date(year, 1 if half == 1 else 7, 1)
            last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
            self.add(Period(f"{year}-H{half}", first, last, *match.span()))

    # ---- after every kind ----

    def bounds(self) -> None:
        """Mark the periods that open a stretch ("sinds 2014") or close a running total
        ("bis Ende vergangenen Jahres")."""
        for index, period in enumerate(self.found):
            if period.rate or period.relative in ANAPHORIC:
                continue
            if self.before(_SINCE_BEFORE, period.start):
                self.found[index] = replace(period, since=True)
            elif not period.target and self.before(_UNTIL_BEFORE, period.start):
                self.found[index] = replace(period, until=True)

    def resolve(self, pending: list[tuple[Period, str]]) -> None:
        """Give each period named after another one the dates of the period its sentence
        names."""
        asked = {id(period): granularity for period, granularity in pending}
        self.found.sort(key=lambda period: period.start)
        starts = [period.start for period in self.found]
        for index, phrase in enumerate(list(self.found)):
            granularity = asked.get(id(phrase))
            if granularity is None:
                continue
            anchor = self.anchor(index, starts, granularity)
            if anchor is not None:
                self.found[index] = resolve_relative(phrase, anchor)
            elif self.reference is not None and (
                phrase.relative == "month_before" or granularity == "year"
            ):
                # "im Vormonat", "im Vorjahr" with nothing to anchor them: before publication
                fallback = "last_month" if phrase.relative == "month_before" else "last_year"
                resolved = _relative_period(fallback, self.reference, phrase.start, phrase.end)
                self.found[index] = replace(resolved, relative=phrase.relative)

    def sentence_start(self, offset: int) -> int:
        if self.sentence_ends is None:
            self.sentence_ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        index = bisect.bisect_right(self.sentence_ends, offset) - 1
        return self.sentence_ends[index] if index >= 0 else 0

    def anchor(self, index: int, starts: list[int], granularity: str) -> Period | None:
        """The period that the one at `index` of the sorted `found` refers to, of the
        granularity it names if any, and not itself named after another: the nearest
        before it in its sentence; for a period a year or a month before, else the first
        after it in its sentence; else the nearest before it a few sentences back
        (anywhere before, for "the same period")."""
        phrase = self.found[index]
        same = phrase.relative == "same_period"

        def fits(period: Period) -> bool:
            if period.relative in ANAPHORIC:
                return False
            if not (is_calendar(period) or (same and _BARE_PART.fullmatch(period.label))):
                return False
            named = granularity in {"month", "quarter", "half"}
            return not named or _granularity(period.label) == granularity

        reach_start = 0 if same else phrase.start - _ANCHOR_REACH
        earlier = None
        for position in range(bisect.bisect_left(starts, phrase.start) - 1, -1, -1):
            before = self.found[position]
            if before.start < reach_start:
                break
            if before.end <= phrase.start and fits(before):
                earlier = before
                break
        if earlier is not None and earlier.start >= self.sentence_start(phrase.start):
            return earlier
        if not same:
            following = _SENTENCE_END.search(self.text, phrase.end)
            sentence_end = following.start() if following else len(self.text)
            for position in range(bisect.bisect_left(starts, phrase.end), len(self.found)):
                after = self.found[position]
                if after.end > sentence_end:
                    break
                if fits(after):
                    return after
        return earlier


def find_periods(
    text: str, reference: date | None, *, rates: bool = False, anaphoric: bool = False
) -> list[Period]:
    """Periods in `text`, in text order; years left implicit take `reference`'s year (or,
    without one, the last year written before them), relative ones are resolved against
    `reference` and kept as a label when there is none. With `rates`, the rates ("per
    day") too; with `anaphoric`, the periods named after another one ("a year earlier",
    "over the same period"), resolved where their sentence names that period."""
    finder = _Finder(text, reference)
    finder.numeric_dates()
    finder.month_counts()
    finder.to_date()
    finder.month_ranges()
    finder.decades()
    finder.fiscal_years()
    finder.year_ranges()
    finder.quarters_and_halves()
    finder.target_years()
    finder.months()
    finder.plain_years()
    pending = finder.anaphors()
    finder.relatives()
    finder.rates()
    finder.half_year_results()
    finder.bounds()
    finder.resolve(pending)
    return sorted(
        (
            period
            for period in finder.found
            if (rates or not period.rate) and (anaphoric or period.relative not in ANAPHORIC)
        ),
        key=lambda period: period.start,
    )


def year_before(period: Period) -> Period:
    """The same period a year earlier ("a year earlier", "een jaar eerder")."""
    if period.start_date is None or period.end_date is None:
        return period
    label = re.sub(r"(?:19|20)\d{2}", lambda m: str(int(m.group(0)) - 1), period.label)
    start = period.start_date.replace(year=period.start_date.year - 1, day=1)
    end_year = period.end_date.year - 1
    end = period.end_date.replace(
        year=end_year,
        day=min(period.end_date.day, calendar.monthrange(end_year, period.end_date.month)[1]),
    )
    return replace(period, label=label, start_date=start, end_date=end)


def resolve_relative(phrase: Period, anchor: Period) -> Period:
    """`phrase` ("a year earlier", "im Vormonat", "over the same period") resolved against
    the calendar period `anchor` it refers to: the same period a year earlier, the month
    before, or the same period; it keeps its own span and relative kind."""
    if phrase.relative == "year_ago":
        resolved = year_before(anchor)
    elif phrase.relative == "month_before" and anchor.start_date is not None:
        previous = anchor.start_date - timedelta(days=1)
        label, first, last = _month_label(previous.year, previous.month)
        resolved = replace(anchor, label=label, start_date=first, end_date=last)
    else:
        resolved = anchor
    return replace(
        resolved,
        start=phrase.start,
        end=phrase.end,
        relative=phrase.relative,
        day=False,
        target=False,
        since=False,
        until=False,
    )


def named_span(period: Period) -> Period:
    """`period` relabelled as the calendar quarter, half or year its months make, if they
    make one ("2026-01/2026-03" becomes "2026-Q1")."""
    if period.start_date is None or period.end_date is None or "/" not in period.label:
        return period
    first, last = period.start_date, period.end_date
    label = month_span(first.year, first.month, last.year, last.month)[0]
    return replace(period, label=label) if "/" not in label else period


def rate_label(rate: Period, period: Period | None = None) -> str:
    """A rate's label, with the calendar period it applies to when there is one:
    "per day, 2017-02"."""
    if period is None or period.start_date is None:
        return rate.label
    return f"{rate.label}, {period.label}"


def _relative_period(relative: str, reference: date | None, start: int, end: int) -> Period:
    if reference is None:
        return Period(relative, None, None, start, end, relative=relative)
    if relative in {"last_month", "this_month", "next_month", "now"}:
        shift = {"last_month": -1, "next_month": 1}.get(relative, 0)
        index = reference.year * 12 + reference.month - 1 + shift
        label, first, last = _month_label(index // 12, index % 12 + 1)
        return Period(label, first, last, start, end, relative=relative)
    if relative in {"last_quarter", "this_quarter"}:
        index = reference.year * 4 + (reference.month - 1) // 3
        index -= relative == "last_quarter"
        year, quarter = index // 4, index % 4 + 1
        first = date(year, 3 * quarter - 2, 1)
        last = _month_label(year, 3 * quarter)[2]
        return Period(f"{year}-Q{quarter}", first, last, start, end, relative=relative)
    if relative == "mid_decade":  # "by the middle of the decade", written in 2022: 2025
        return _year_period(reference.year // 10 * 10 + 5, start, end, relative=relative)
    year = reference.year + {"last_year": -1, "this_year": 0, "next_year": 1}[relative]
    return _year_period(year, start, end, relative=relative)
