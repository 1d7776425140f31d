"""Reading the knowledge base from its TOML files."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from nlp.kb.model import ANY_LANG, KB_LANGS, KBEntity, KBError, KnowledgeBase
from nlp.kb.validate import COMPANIES_FILE, PLANTS_FILE, validate, where
from nlp.places import COUNTRY_CANONICAL, COUNTRY_NAMES, MARKETS, place_id

DATA_DIR = Path(__file__).parent / "data"

_LANG_KEYS = {f"aliases_{lang}": lang for lang in KB_LANGS}
_COMMON_KEYS = {"id", "name", "country", "wikidata", "aliases", "case_sensitive", *_LANG_KEYS}
_COMPANY_KEYS = _COMMON_KEYS | {"kind", "parent", "sector"}
_PLANT_KEYS = _COMMON_KEYS | {"operator", "former_operators", "city", "city_local", "status"}


class _EntryError(ValueError):
    """One entry of a data file is malformed."""


def load_kb(data_dir: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base (cached per directory).

    Reads `companies.toml` (required) and `plants.toml` (optional) from
    `data_dir`, by default the package's own data; raises KBError listing every
    problem found.
    """
    return _load(Path(data_dir or DATA_DIR).resolve())


@lru_cache(maxsize=8)
def _load(data_dir: Path) -> KnowledgeBase:
    problems: list[str] = []
    companies = _read_toml(data_dir / COMPANIES_FILE, required=True)
    plants = _read_toml(data_dir / PLANTS_FILE, required=False)

    problems.extend(_unknown_keys(COMPANIES_FILE, companies, {"version", "ambiguous", "entity"}))
    problems.extend(_unknown_keys(PLANTS_FILE, plants, {"plant"}))
    version = companies.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(f"{COMPANIES_FILE}: top-level 'version' must be a non-empty string")
        version = ""
    ambiguous = _ambiguous_table(companies.get("ambiguous", {}), problems)

    entities: dict[str, KBEntity] = {}
    for entity in [
        *_entities(COMPANIES_FILE, companies.get("entity", []), _company, problems),
        *_entities(PLANTS_FILE, plants.get("plant", []), _plant, problems),
        *place_entities(),
    ]:
        if entity.kb_id in entities:
            first = where(entities[entity.kb_id])
            problems.append(f"{where(entity)}: duplicate id (first defined in {first})")
        else:
            entities[entity.kb_id] = entity

    kb = KnowledgeBase(version, MappingProxyType(entities), MappingProxyType(ambiguous))
    if not problems:
        problems = validate(kb)
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise KBError(f"invalid knowledge base in {data_dir}:\n{listing}", tuple(problems))
    return kb


def place_entities() -> list[KBEntity]:
    """Countries and markets, so that facts about them link to one entity per place."""
    countries = [
        KBEntity(
            kb_id=place_id(code),
            name=COUNTRY_CANONICAL[code],
            kind="country",
            country=code,
            case_sensitive=True,
            aliases=MappingProxyType(
                {ANY_LANG: _unique([COUNTRY_CANONICAL[code], *COUNTRY_NAMES[code]])}
            ),
        )
        for code in COUNTRY_NAMES
    ]
    markets = [
        KBEntity(
            kb_id=place_id(market.key, market=True),
            name=market.name,
            kind="market",
            country=market.location if len(market.location) == 2 else None,
            case_sensitive=True,
            aliases=MappingProxyType({ANY_LANG: _unique([market.name, *market.names])}),
        )
        for market in MARKETS
    ]
    return countries + markets


def _read_toml(path: Path, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise KBError(f"{path}: knowledge base file is missing")
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise KBError(f"{path}: cannot read knowledge base file: {error}") from error


def _unknown_keys(source: str, document: Mapping[str, Any], allowed: set[str]) -> list[str]:
    return [f"{source}: unknown top-level key {key!r}" for key in document if key not in allowed]


def _ambiguous_table(table: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(table, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in table.items()
    ):
        problems.append(f"{COMPANIES_FILE}: 'ambiguous' must map aliases to KB ids")
        return {}
    return {alias.casefold(): kb_id for alias, kb_id in table.items()}


def _entities(
    source: str, entries: Any, build: Callable[[dict[str, Any]], KBEntity], problems: list[str]
) -> list[KBEntity]:
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        problems.append(f"{source}: entries must be an array of tables")
        return []
    found: list[KBEntity] = []
    for number, entry in enumerate(entries, start=1):
        try:
            found.append(build(entry))
        except _EntryError as error:
            problems.append(f"{source} [{entry.get('id', f'entry #{number}')}]: {error}")
    return found


def _company(entry: dict[str, Any]) -> KBEntity:
    _check_keys(entry, _COMPANY_KEYS)
    return KBEntity(
        kb_id=_text(entry, "id"),
        name=_text(entry, "name"),
        kind=_text(entry, "kind"),
        parent=_optional_text(entry, "parent"),
        country=_optional_text(entry, "country"),
        wikidata=_optional_text(entry, "wikidata"),
        case_sensitive=_flag(entry, "case_sensitive"),
        aliases=_aliases(entry),
        sector=_optional_text(entry, "sector"),
    )


def _plant(entry: dict[str, Any]) -> KBEntity:
    _check_keys(entry, _PLANT_KEYS)
    return KBEntity(
        kb_id=_text(entry, "id"),
        name=_text(entry, "name"),
        kind="plant",
        operator=_text(entry, "operator"),
        former_operators=_texts(entry, "former_operators"),
        country=_text(entry, "country"),
        city=_text(entry, "city"),
        wikidata=_optional_text(entry, "wikidata"),
        status=_text(entry, "status"),
        case_sensitive=_flag(entry, "case_sensitive"),
        aliases=_aliases(entry),
        city_local=_texts(entry, "city_local"),
    )


def _check_keys(entry: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(key for key in entry if key not in allowed)
    if unknown:
        raise _EntryError(f"unknown field(s): {', '.join(unknown)}")


def _text(entry: Mapping[str, Any], key: str) -> str:
    value = _optional_text(entry, key)
    if value is None:
        raise _EntryError(f"{key!r} is required")
    return value


def _optional_text(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise _EntryError(f"{key!r} must be a string")
    return value


def _texts(entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _EntryError(f"{key!r} must be a list of strings")
    return tuple(value)


def _flag(entry: Mapping[str, Any], key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise _EntryError(f"{key!r} must be true or false")
    return value


def _aliases(entry: Mapping[str, Any]) -> Mapping[str, tuple[str, ...]]:
    """Aliases by language; the name leads "*" and language lists skip "*" names."""
    common = _unique([_text(entry, "name"), *_texts(entry, "aliases")])
    aliases = {ANY_LANG: common}
    for key, lang in _LANG_KEYS.items():
        extra = _unique(name for name in _texts(entry, key) if name not in common)
        if extra:
            aliases[lang] = extra
    return MappingProxyType(aliases)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
