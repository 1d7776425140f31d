"""Words that name, place and attribute production sites in nl, fr, de and en, as pieces
of regular expressions for `nlp.plants`."""

from __future__ import annotations

# Capital and small letters of the Latin scripts (Ł, Ž, Ő, ...), for character classes.
UPPER = "A-Z" + "".join(chr(code) for code in range(0xC0, 0x250) if chr(code).isupper())
LOWER = "a-z" + "".join(chr(code) for code in range(0xC0, 0x250) if chr(code).islower())
GAP = r"[^\S\n]+"  # spaces within a line

# German compounds on "-werk" that name a factory ("Motorenwerk"), not a network or a work.
_WERK_PREFIXES = (
    "Auto|Automobil|Motoren|Montage|Stamm|Press|Presswerk|Komponenten|Getriebe|Batterie|"
    "Batteriezellen|Zellen|Zell|Achsen|Fahrzeug|Nutzfahrzeug|Lkw|LKW|Pkw|PKW|Bus|Omnibus|"
    "Karosserie|Produktions|Elektroauto|E-Auto|Transporter|Mutter|Schwester|Zweig|Traktoren|"
    "Motorrad|Teile|Aluminium|Guss|Gieß|Van|Transporter"
)
# Words for a plant. One alternation; `(?<!\w)` keeps compounds after a hyphen
# ("Tesla-fabriek", "VW-Werk") and inside a word only where the list says so.
PLANT_WORDS = "|".join(
    [
        # nl
        r"\w*fabrieken",
        r"\w*fabriek",
        r"(?:[Pp]roductie)?[Vv]estigingen",
        r"(?:[Pp]roductie)?[Vv]estiging",
        r"[Pp]roductie(?:locaties?|sites?)",
        r"[Aa]ssemblagelijn(?:en)?",
        # fr
        r"[Uu]sines?",
        r"[Uu]nités?[^\S\n]+(?:de[^\S\n]+production|d['’]assemblage)",
        r"(?:[Cc]ha[iî]nes?|[Ll]ignes?)[^\S\n]+(?:de[^\S\n]+montage|d['’]assemblage|de[^\S\n]+production)",
        r"[Pp]lates?[- ]?formes?",
        r"[Cc]omplexes?[^\S\n]+industriels?",
        r"[Cc]entres?[^\S\n]+de[^\S\n]+production",
        # de
        rf"(?:{_WERK_PREFIXES})werk(?:e|en|es|s)?",
        r"Werk(?:e|en|es|s)?",
        r"\w*[Ff]abrik(?:en)?",
        r"\w*[Ss]tandort(?:e|en|es|s)?",
        r"(?:Produktions|Fertigungs|Montage)(?:stätten?|anlagen?)",
        r"Anlagen?",
        # en, and the Gigafactory of every language
        r"[Gg]igafa(?:ctor(?:y|ies)|briek|brik(?:en)?)",
        r"[Pp]lants?",
        r"[Ff]actor(?:y|ies)",
        r"[Ff]acilit(?:y|ies)",
        r"[Ww]orks",
        r"[Cc]omplex(?:es)?",
        r"[Ss]ites?",
        r"(?:[Aa]ssembly|[Pp]roduction)[^\S\n]+lines?",
        r"(?:[Pp]roduction|[Mm]anufacturing)[^\S\n]+(?:bases?|hubs?)",
    ]
)
# A piece of every plant word in small letters, to find candidates quickly.
PLANT_STEMS = (
    "fabri",
    "vestiging",
    "productie",
    "assemblage",
    "usine",
    "unit",
    "chaîne",
    "chaine",
    "ligne",
    "plate",
    "complex",
    "centre",
    "werk",
    "standort",
    "stätte",
    "anlage",
    "giga",
    "plant",
    "factor",
    "facilit",
    "works",
    "site",
    "assembly",
    "production",
    "manufacturing",
)
# Plant words that name other things too (a web site, a credit facility, a company's
# offices): a site needs a company, a production word or an industrial noun with it.
WEAK_PLANT_WORDS = (
    r"[Vv]estiging(?:en)?|[Ss]ites?|[Ff]acilit(?:y|ies)|[Cc]omplex(?:es)?|[Ww]orks|Anlagen?|"
    r"(?!Produktions|Fertigungs|Montage)\w*[Ss]tandort(?:e|en|es|s)?|[Pp]lates?[- ]?formes?"
)
# Words with a plant word inside that name no plant ("Denkfabrik", "power plant").
NOT_PLANT_WORDS = r"[Dd]enkfabri\w*|[Ii]dee(?:n|ën)fabri\w*|[Tt]raumfabri\w*|[Tt]rollfabri\w*"
NOT_PLANT_MODIFIERS = (
    r"power|nuclear|coal|coal-fired|gas-fired|solar|wind|hydro|hydroelectric|treatment|"
    r"sewage|desalination|wastewater|water|waste|fuel|detention|storage|medical|sports|"
    r"training|research|test|testing|military"
)
# Words that make a site a battery plant ("Gigafactory", "usine de batteries",
# "Zellfabrik", "cell plant"): not the carmaker's vehicle plant in the same town.
BATTERY_PLANT_WORDS = r"giga|batter|accu|zell|\bcell|cellule"
# Plant words that take the place's name right after them ("Werk Tychy", "Gigafactory Texas").
APPOSITION_WORDS = r"(?:\w*[wW]erk|Werks|\w*[Ss]tandorts?|\w*[Ff]abrik|[Gg]igafa\w+)"
# Plant words that English puts after the place or the company ("the Oshawa plant").
PLACE_FIRST_WORDS = (
    r"(?:[Pp]lants?|[Ff]actor(?:y|ies)|[Ff]acilit(?:y|ies)|[Ww]orks|[Cc]omplex|[Ss]ites?"
    r"|[Gg]igafactory)"
)

# Prepositions that put a site somewhere ("in", "à", "bei", "near", "an hour east of").
_DISTANCE = (
    rf"(?:(?:an?|one|two|three|half{GAP}an|\d+){GAP}(?:hours?|miles?|km|kilometres?|kilometers?)"
    rf"{GAP})?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west){GAP}of"
)
PLACE_PREPOSITIONS = (
    rf"{_DISTANCE}|outside(?:{GAP}of)?|close{GAP}to|near(?:by)?|in|at|"  # en
    rf"à{GAP}côté{GAP}de|près{GAP}de|non{GAP}loin{GAP}de|à|au|aux|de|du|en|dans|"  # fr
    rf"in{GAP}der{GAP}Nähe{GAP}von|(?:nördlich|südlich|östlich|westlich){GAP}von|im|bei|nahe|"
    rf"in{GAP}de{GAP}buurt{GAP}van|nabij|vlakbij|bij|te|van"  # nl
)
# Articles and elisions between a preposition and an adjective or the place.
ARTICLES = r"het|de|la|le|les|der|die|dem|den|des|the"
# What introduces the company after a plant word ("usine Renault", "fabriek van Volvo").
COMPANY_LINKS = r"de|du|des|d['’]|van|von|of|der|des"
# A complement between the plant word and the place ("usine de batteries de Douai").
COMPLEMENT = (
    rf"(?:de|d['’]|du|des|für|for|voor|van|of|pour|à)(?:{GAP})?"
    rf"[{LOWER}][\w'’-]*(?:{GAP}[{LOWER}][\w'’-]*){{0,2}}?"
    rf"(?=(?:{GAP}(?:{PLACE_PREPOSITIONS}){GAP}|{GAP}d['’])[{UPPER}])"
)
# Words that join the last place of a list, per language ("Douai, Maubeuge et Ruitz").
LIST_CONJUNCTIONS = {
    "nl": r"en|of",
    "fr": r"et|ou",
    "de": r"und|sowie|oder",
    "en": rf"and|or|as{GAP}well{GAP}as|&",
}


def list_separators(lang: str) -> str:
    """Separators between the places of one list; "dont deux" and the like announce the
    sites inside the place before them (group `subset`)."""
    conjunctions = LIST_CONJUNCTIONS.get(lang) or "|".join(LIST_CONJUNCTIONS.values())
    return (
        rf"[^\S\n]*,[^\S\n]*(?:(?P<subset>dont|waarvan|davon|darunter|including|of{GAP}which)"
        rf"{GAP}\w+{GAP})?(?:(?P<late>{conjunctions}){GAP})?"
        rf"|{GAP}(?P<conj>{conjunctions}){GAP}"
    )


# Name particles inside place names ("Bourg-en-Bresse", "Wörth am Rhein", "Newcastle upon Tyne").
HYPHEN_PARTICLES = r"sur|sous|en|lès|lez|le|la|les|de|du|des|on|upon|am|an|bei|im|aan|op|den"
SPACE_PARTICLES = r"sur|sous|lès|lez|de|del|di|da|do|am|an{GAP}der|upon|aan{GAP}de|aan{GAP}den"

# Verbs of production that place a product ("geassembleerd in Tilburg", "produite à
# Mulhouse", "in Zwickau gebaut", "assembled in Oshawa").
MADE_VERBS = (
    r"geassembleerde?|geproduceerde?|gebouwde?|gefabriceerde?|vervaardigde?|"
    r"produit(?:e|s|es)?|fabriqu[ée](?:e|s|es)?|assembl[ée](?:e|s|es)?|construit(?:e|s|es)?|"
    r"mont[ée](?:e|s|es)|"
    r"gebaut|hergestellt|produziert|gefertigt|montiert|"
    r"built|produced|assembled|manufactured"
)
# Other words of production, for a sentence about making things somewhere.
PRODUCTION_WORDS = (
    r"productie|produceert|produceren|maakt|maken|bouwt|bouwen|assembleert|"
    r"production|produire|produisent|fabrique|fabriquent|fabriquer|assemble|assemblent|"
    r"Produktion|Fertigung|Montage|produziert|produzieren|fertigt|baut|bauen|Bauarbeiten|"
    r"builds|build|building|produces|assembles|manufactures|manufacturing|assembly|output|"
    r"Band|band"
)
# Production nouns after a place ("in Zwickau die Produktion aufnehmen").
PRODUCTION_NOUNS = r"Produktion|Fertigung|productie|production"
MADE_ADVERBS = (
    r"only|solely|exclusively|mainly|alleen|uitsluitend|vooral|nur|ausschließlich|"
    r"hauptsächlich|seulement|exclusivement|uniquement|principalement|désormais|bereits|"
    r"already|now|nu|nun|déjà|actuellement|currently|derzeit|momenteel|zullen|worden|werden"
)

# Words that say a town is where a company sits, not where it builds.
HEADQUARTERS_WORDS = (
    r"based|headquartered|headquarters|HQ|head\s+office|Sitz|Hauptsitz|Firmensitz|Zentrale|"
    r"Konzernzentrale|siège|basée?s?|hoofdkantoor|hoofdzetel|gevestigd|zetel"
)

# Capitalised words that are no place after a plant word: months, days, titles, ...
NOT_PLACES = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Januari",
        "Februari",
        "Maart",
        "Mei",
        "Juni",
        "Juli",
        "Augustus",
        "Oktober",
        "Janvier",
        "Février",
        "Mars",
        "Avril",
        "Mai",
        "Juin",
        "Juillet",
        "Août",
        "Septembre",
        "Octobre",
        "Novembre",
        "Décembre",
        "Januar",
        "Februar",
        "März",
        "Dezember",
        "Jänner",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Maandag",
        "Dinsdag",
        "Woensdag",
        "Donderdag",
        "Vrijdag",
        "Zaterdag",
        "Zondag",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
        "Sonnabend",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "Its",
        "Their",
        "Our",
        "His",
        "Her",
        "A",
        "An",
        "Het",
        "De",
        "Een",
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Der",
        "Die",
        "Das",
        "Ein",
        "Eine",
        "Model",
        "Modell",
        "Modèle",
        "Euro",
        "Euros",
        "Dollar",
        "Dollars",
        "Prozent",
        "Procent",
        "CEO",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Herr",
        "Frau",
        "Monsieur",
        "Madame",
        "Meneer",
        "Mevrouw",
        "Covid",
        "Corona",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "Ende",
        "Ausland",
        "Inland",
        "Buitenland",
        "Étranger",
        "Abroad",
        "Anfang",
        "Mitte",
        "End",
        "Fin",
        "Début",
        "Eind",
        "Begin",
    ]
)
# Administrative words before a place name ("Provinz Shandong"): dropped from the name.
AREA_WORDS = frozenset(
    [
        "Provinz",
        "Province",
        "Provincie",
        "Region",
        "Région",
        "Regio",
        "Bundesland",
        "Bundesstaat",
        "State",
        "Staat",
        "Etat",
        "État",
        "County",
        "Comté",
        "Oblast",
        "District",
        "Département",
        "Departement",
        "Kreis",
        "Landkreis",
        "Gemeinde",
        "Gemeente",
        "Commune",
        "City",
        "Stadt",
        "Ville",
        "Stad",
    ]
)
# German nouns that follow a bare "in" without being a place ("in Betrieb", "in Planung").
GERMAN_NOT_PLACES = frozenset(
    [
        "Betrieb",
        "Planung",
        "Bau",
        "Serie",
        "Kraft",
        "Zukunft",
        "Höhe",
        "Richtung",
        "Kürze",
        "Summe",
        "Form",
        "Frage",
        "Teilen",
        "Zusammenarbeit",
        "Kooperation",
        "Vorbereitung",
        "Erwägung",
        "Gefahr",
        "Ordnung",
        "Arbeit",
        "Produktion",
        "Schwierigkeiten",
        "Schieflage",
        "Kurzarbeit",
        "Sachen",
        "Verbindung",
        "Absprache",
        "Abstimmung",
        "Eigenregie",
        "Lizenz",
        "Rekordzeit",
        "Vollzeit",
        "Teilzeit",
        "Zahlen",
        "Millionen",
        "Milliarden",
        "Mitarbeiter",
        "Beschäftigte",
        "Beschäftigten",
        "Arbeiter",
        "Arbeitsplätze",
        "Stellen",
        "Jobs",
        "Autos",
        "Fahrzeuge",
        "Modelle",
        "Teile",
        "Batterien",
        "Zellen",
        "Motoren",
        "Getriebe",
        "Elektroautos",
        "Einheiten",
        "Stückzahlen",
        "Fahrt",
        "Gang",
        "Zeiten",
        "Schichten",
        "Kapazität",
        "Kapazitäten",
        "Übersee",
    ]
)
GERMAN_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "ität", "nis", "tum", "ismus")
