"""Country names and adjectives in nl, fr, de and en, mapped to ISO 3166-1 codes."""

from __future__ import annotations

from dataclasses import dataclass

# Names that denote the country itself (become LOCATION mentions).
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "GB": (
        "Verenigd Koninkrijk",
        "Groot-Brittannië",
        "Engeland",
        "Royaume-Uni",
        "Grande-Bretagne",
        "Angleterre",
        "Vereinigtes Königreich",
        "Großbritannien",
        "Grossbritannien",
        "England",
        "United Kingdom",
        "Britain",
        "Great Britain",
        "UK",
        "U.K.",
    ),
    "CN": ("China", "Chine", "Volksrepubliek China"),
    "BE": ("België", "Belgique", "Belgien", "Belgium"),
    "NL": ("Nederland", "Pays-Bas", "Niederlande", "Netherlands", "the Netherlands"),
    "LU": ("Luxemburg", "Luxembourg"),
    "FR": ("Frankrijk", "France", "Frankreich"),
    "DE": ("Duitsland", "Allemagne", "Deutschland", "Germany"),
    "ES": ("Spanje", "Espagne", "Spanien", "Spain"),
    "PT": ("Portugal",),
    "IT": ("Italië", "Italie", "Italien", "Italy"),
    "AT": ("Oostenrijk", "Autriche", "Österreich", "Austria"),
    "CH": ("Zwitserland", "Suisse", "Schweiz", "Switzerland"),
    "PL": ("Polen", "Pologne", "Poland"),
    "CZ": ("Tsjechië", "Tchéquie", "République tchèque", "Tschechien", "Czech Republic", "Czechia"),
    "SK": ("Slowakije", "Slovaquie", "Slowakei", "Slovakia"),
    "HU": ("Hongarije", "Hongrie", "Ungarn", "Hungary"),
    "RO": ("Roemenië", "Roumanie", "Rumänien", "Romania"),
    "SI": ("Slovenië", "Slovénie", "Slowenien", "Slovenia"),
    "SE": ("Zweden", "Suède", "Schweden", "Sweden"),
    "NO": ("Noorwegen", "Norvège", "Norwegen", "Norway"),
    "DK": ("Denemarken", "Danemark", "Dänemark", "Denmark"),
    "FI": ("Finland", "Finlande", "Finnland"),
    "TR": ("Turkije", "Turquie", "Türkei", "Turkey", "Türkiye"),
    "RU": ("Rusland", "Russie", "Russland", "Russia"),
    "US": (
        "Verenigde Staten",
        "États-Unis",
        "Etats-Unis",
        "Vereinigte Staaten",
        "USA",
        "VS",
        "United States",
        "Amerika",
        "Amérique",
    ),
    "CA": ("Canada", "Kanada"),
    "MX": ("Mexico", "Mexique", "Mexiko"),
    "BR": ("Brazilië", "Brésil", "Brasilien", "Brazil"),
    "JP": ("Japan", "Japon"),
    "KR": ("Zuid-Korea", "Corée du Sud", "Südkorea", "South Korea"),
    "IN": ("India", "Inde", "Indien"),
    "TH": ("Thailand", "Thaïlande"),
    "MY": ("Maleisië", "Malaisie", "Malaysia"),
    "ID": ("Indonesië", "Indonésie", "Indonesien", "Indonesia"),
    "VN": ("Vietnam", "Viêt Nam"),
    "SG": ("Singapore", "Singapour", "Singapur"),
    "HK": ("Hongkong", "Hong Kong"),
    "AU": ("Australië", "Australie", "Australien", "Australia"),
    "ZA": ("Zuid-Afrika", "Afrique du Sud", "Südafrika", "South Africa"),
    "MA": ("Marokko", "Maroc", "Morocco"),
    "EG": ("Egypte", "Égypte", "Ägypten", "Egypt"),
    "PA": ("Panama",),
    "AE": ("Verenigde Arabische Emiraten", "Émirats arabes unis", "United Arab Emirates"),
    "SA": ("Saoedi-Arabië", "Arabie saoudite", "Saudi-Arabien", "Saudi Arabia"),
    "IL": ("Israël", "Israel"),
}

# Adjectives: evidence of a location for a fact, not a mention of their own.
COUNTRY_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "GB": (
        "Britse",
        "Brits",
        "Engelse",
        "britannique",
        "britanniques",
        "britische",
        "britischen",
        "britischer",
        "British",
        "UK",
    ),
    "CN": (
        "Chinese",
        "Chinees",
        "chinois",
        "chinoise",
        "chinoises",
        "chinesische",
        "chinesischen",
        "chinesischer",
        "Chinese",
    ),
    "BE": ("Belgische", "Belgisch", "belge", "belges", "belgische", "belgischen", "Belgian"),
    "NL": (
        "Nederlandse",
        "Nederlands",
        "néerlandais",
        "néerlandaise",
        "niederländische",
        "niederländischen",
        "Dutch",
    ),
    "FR": (
        "Franse",
        "Frans",
        "français",
        "française",
        "françaises",
        "französische",
        "französischen",
        "French",
    ),
    "DE": (
        "Duitse",
        "Duits",
        "allemand",
        "allemande",
        "allemandes",
        "deutsche",
        "deutschen",
        "German",
    ),
    "ES": ("Spaanse", "espagnol", "espagnole", "spanische", "spanischen", "Spanish"),
    "IT": ("Italiaanse", "italien", "italienne", "italienische", "italienischen", "Italian"),
    "US": (
        "Amerikaanse",
        "américain",
        "américaine",
        "amerikanische",
        "amerikanischen",
        "American",
        "US",
    ),
    "JP": ("Japanse", "japonais", "japonaise", "japanische", "japanischen", "Japanese"),
    "KR": ("Zuid-Koreaanse", "Koreaanse", "coréen", "coréenne", "koreanische", "Korean"),
    "HU": ("Hongaarse", "hongrois", "hongroise", "ungarische", "ungarischen", "Hungarian"),
    "SE": (
        "Zweedse",
        "Zweeds",
        "suédois",
        "suédoise",
        "schwedische",
        "schwedischen",
        "schwedischer",
        "Swedish",
    ),
    "IN": ("Indiase", "Indiaas", "indien", "indienne", "indische", "indischen", "Indian"),
    "CZ": ("Tsjechische", "tchèque", "tschechische", "tschechischen", "Czech"),
    "PL": ("Poolse", "polonais", "polonaise", "polnische", "polnischen", "Polish"),
    "RO": ("Roemeense", "roumain", "roumaine", "rumänische", "rumänischen", "Romanian"),
    "TR": ("Turkse", "turc", "turque", "türkische", "türkischen", "Turkish"),
    "BR": ("Braziliaanse", "brésilien", "brésilienne", "brasilianische", "Brazilian"),
    "MX": ("Mexicaanse", "mexicain", "mexicaine", "mexikanische", "Mexican"),
    "RU": ("Russische", "russe", "russes", "russische", "russischen", "Russian"),
    "TW": ("Taiwanese", "taïwanais", "taïwanaise", "taiwanische", "taiwanischen"),
    "AT": ("Oostenrijkse", "autrichien", "autrichienne", "österreichische", "Austrian"),
    "CH": ("Zwitserse", "suisse", "suisses", "schweizerische", "Swiss"),
    "CA": ("Canadese", "canadien", "canadienne", "kanadische", "Canadian"),
    "MA": ("Marokkaanse", "marocain", "marocaine", "marokkanische", "Moroccan"),
    "TH": ("Thaise", "thaïlandais", "thaïlandaise", "thailändische", "Thai"),
    "VN": ("Vietnamese", "vietnamien", "vietnamienne", "vietnamesische"),
}

# People of a country named as a group ("les Américains", "die Japaner"): in company news,
# the company of that country the text is about.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "US": ("Amerikanen", "Américains", "Amerikaner", "Americans"),
    "CN": ("Chinezen", "Chinois", "Chinesen", "Chinese"),
    "JP": ("Japanners", "Japonais", "Japaner", "Japanese"),
    "DE": ("Duitsers", "Allemands", "Deutschen", "Germans"),
    "FR": ("Fransen", "Français", "Franzosen", "French"),
    "SE": ("Zweden", "Suédois", "Schweden", "Swedes"),
    "KR": ("Koreanen", "Coréens", "Koreaner", "Koreans"),
    "IT": ("Italianen", "Italiens", "Italiener", "Italians"),
    "GB": ("Britten", "Britanniques", "Briten", "Britons", "British"),
    "IN": ("Indiërs", "Indiens", "Inder", "Indians"),
}


# English names of the countries above, for facts whose subject is a country.
COUNTRY_CANONICAL: dict[str, str] = {
    "GB": "United Kingdom",
    "CN": "China",
    "BE": "Belgium",
    "NL": "Netherlands",
    "LU": "Luxembourg",
    "FR": "France",
    "DE": "Germany",
    "ES": "Spain",
    "PT": "Portugal",
    "IT": "Italy",
    "AT": "Austria",
    "CH": "Switzerland",
    "PL": "Poland",
    "CZ": "Czech Republic",
    "SK": "Slovakia",
    "HU": "Hungary",
    "RO": "Romania",
    "SI": "Slovenia",
    "SE": "Sweden",
    "NO": "Norway",
    "DK": "Denmark",
    "FI": "Finland",
    "TR": "Turkey",
    "RU": "Russia",
    "US": "United States",
    "CA": "Canada",
    "MX": "Mexico",
    "BR": "Brazil",
    "JP": "Japan",
    "KR": "South Korea",
    "IN": "India",
    "TH": "Thailand",
    "MY": "Malaysia",
    "ID": "Indonesia",
    "VN": "Vietnam",
    "SG": "Singapore",
    "HK": "Hong Kong",
    "AU": "Australia",
    "ZA": "South Africa",
    "MA": "Morocco",
    "EG": "Egypt",
    "PA": "Panama",
    "AE": "United Arab Emirates",
    "SA": "Saudi Arabia",
    "IL": "Israel",
}


@dataclass(frozen=True)
class Market:
    """A market larger than one country: its English name, the location code its facts
    carry, and its names in nl, fr, de and en."""

    key: str
    name: str
    location: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...] = ()


MARKETS: tuple[Market, ...] = (
    Market(
        "eu",
        "European Union",
        "EU",
        (
            "Europese Unie",
            "Union européenne",
            "Europäische Union",
            "European Union",
            "EU",
            "E.U.",
            "UE",
        ),
    ),
    Market(
        "europe",
        "Europe",
        "Europe",
        ("Europa", "Europe", "Vieux Continent", "Old Continent"),
        (
            "Europese",
            "européen",
            "européenne",
            "européens",
            "européennes",
            "europäische",
            "europäischen",
            "europäischer",
            "European",
        ),
    ),
    Market(
        "western-europe",
        "Western Europe",
        "Western Europe",
        ("West-Europa", "Westeuropa", "Europe de l'Ouest", "Europe de l’Ouest", "Western Europe"),
    ),
    Market(
        "north-america",
        "North America",
        "North America",
        ("Noord-Amerika", "Amérique du Nord", "Nordamerika", "North America"),
    ),
    Market(
        "south-america",
        "South America",
        "South America",
        ("Zuid-Amerika", "Amérique du Sud", "Südamerika", "South America"),
    ),
    Market(
        "latin-america",
        "Latin America",
        "Latin America",
        ("Latijns-Amerika", "Amérique latine", "Lateinamerika", "Latin America"),
    ),
    Market(
        "southeast-asia",
        "Southeast Asia",
        "Southeast Asia",
        ("Zuidoost-Azië", "Asie du Sud-Est", "Südostasien", "Southeast Asia", "South-East Asia"),
    ),
    Market("asia", "Asia", "Asia", ("Azië", "Asie", "Asien", "Asia")),
    Market(
        "middle-east",
        "Middle East",
        "Middle East",
        ("Midden-Oosten", "Moyen-Orient", "Nahen Osten", "Nahost", "Middle East"),
    ),
    Market("africa", "Africa", "Africa", ("Afrika", "Afrique", "Africa")),
)

# Location codes of market names and adjectives, for `country_of`.
MARKET_CODES: dict[str, tuple[str, ...]] = {}
for _market in MARKETS:
    MARKET_CODES.setdefault(_market.location, ())
    MARKET_CODES[_market.location] += _market.names + _market.adjectives


def place_id(code_or_key: str, market: bool = False) -> str:
    """The knowledge-base id of a country (by ISO code) or a market (by key)."""
    return f"market-{code_or_key}" if market else f"country-{code_or_key.lower()}"


def _codes_by_name() -> dict[str, str]:
    """Case-folded country names and adjectives to ISO codes; a name wins over an adjective."""
    codes: dict[str, str] = {}
    for table in (COUNTRY_NAMES, COUNTRY_ADJECTIVES, MARKET_CODES):
        for code, names in table.items():
            for name in names:
                codes.setdefault(name.casefold(), code)
    return codes


_CODES = _codes_by_name()


def country_of(name: str) -> str | None:
    """ISO code for a country name or adjective in any supported language ("EU" for the
    European Union and Europe)."""
    return _CODES.get(name.casefold())


# Adjectives of towns with plants, where they are not the name plus a regular ending
# ("l'usine gantoise" is the plant in Ghent; "Gentse" and "Zwickauer" are derived by rule).
CITY_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "Gand": ("gantois", "gantoise"),
    "Anvers": ("anversois", "anversoise"),
    "Bruxelles": ("bruxellois", "bruxelloise"),
    "Tanger": ("tangérois", "tangéroise"),
    "Sochaux": ("sochalien", "sochalienne"),
    "Mulhouse": ("mulhousien", "mulhousienne"),
    "Douai": ("douaisien", "douaisienne"),
    "Maubeuge": ("maubeugeois", "maubeugeoise"),
    "Valenciennes": ("valenciennois", "valenciennoise"),
    "Rennes": ("rennais", "rennaise"),
    "Le Mans": ("manceau", "mancelle"),
    "Poissy": ("pisciacais", "pisciacaise"),
    "Turin": ("turinois", "turinoise"),
    "Lyon": ("lyonnais", "lyonnaise"),
    "Dieppe": ("dieppois", "dieppoise"),
}


_TOWNS_BY_ADJECTIVE = {
    adjective: city for city, adjectives in CITY_ADJECTIVES.items() for adjective in adjectives
}


def city_of_adjective(word: str) -> str | None:
    """The town an irregular town adjective stands for, if listed."""
    return _TOWNS_BY_ADJECTIVE.get(word.casefold())
