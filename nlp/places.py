"""Country names and adjectives in nl, fr, de and en, mapped to ISO 3166-1 codes."""

from __future__ import annotations

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
    "EU": (
        "Europese Unie",
        "Union européenne",
        "Europäische Union",
        "European Union",
        "EU",
        "Europa",
        "Europe",
    ),
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
    "EU": (
        "Europese",
        "européen",
        "européenne",
        "européens",
        "européennes",
        "europäische",
        "europäischen",
        "European",
    ),
}


def _codes_by_name() -> dict[str, str]:
    """Case-folded country names and adjectives to ISO codes; a name wins over an adjective."""
    codes: dict[str, str] = {}
    for table in (COUNTRY_NAMES, COUNTRY_ADJECTIVES):
        for code, names in table.items():
            for name in names:
                codes.setdefault(name.casefold(), code)
    return codes


_CODES = _codes_by_name()


def country_of(name: str) -> str | None:
    """ISO code for a country name or adjective in any supported language."""
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
