"""Consistency checks over a loaded knowledge base."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from nlp.kb.model import KB_LANGS, KBEntity, KnowledgeBase

COMPANIES_FILE = "companies.toml"
PLANTS_FILE = "plants.toml"
COMPANY_KINDS = frozenset({"group", "company", "brand", "org", "product"})
PLANT_STATUSES = frozenset({"active", "closed", "converting", "planned"})
# Countries and markets come from nlp/places.py, not from the data files.
PLACE_KINDS = frozenset({"country", "market"})

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTRY_RE = re.compile(r"[A-Z]{2}")
WIKIDATA_RE = re.compile(r"Q[1-9][0-9]*")


def where(entity: KBEntity) -> str:
    """Where an entity is defined, for messages: file and id."""
    if entity.kind in PLACE_KINDS:
        return f"nlp/places.py [{entity.kb_id}]"
    source = PLANTS_FILE if entity.is_plant else COMPANIES_FILE
    return f"{source} [{entity.kb_id}]"


def validate(kb: KnowledgeBase) -> list[str]:
    """Problems found in the knowledge base (empty when it is valid)."""
    problems: list[str] = []
    for key, entity in kb.entities.items():
        problems.extend(f"{where(entity)}: {p}" for p in _entity_problems(kb, key, entity))
    problems.extend(_cycle_problems(kb))
    problems.extend(_wikidata_problems(kb))
    problems.extend(_alias_problems(kb))
    return problems


def _entity_problems(kb: KnowledgeBase, key: str, entity: KBEntity) -> Iterator[str]:
    if key != entity.kb_id:
        yield f"stored under id {key!r}: duplicate id"
    if not ID_RE.fullmatch(entity.kb_id):
        yield "id must be a lowercase slug (a-z, 0-9, single hyphens)"
    if not entity.name.strip():
        yield "name is empty"
    if entity.is_plant:
        yield from _plant_problems(kb, entity)
    elif entity.kind in PLACE_KINDS:
        pass
    else:
        yield from _company_problems(kb, entity)
    if entity.country is not None and not COUNTRY_RE.fullmatch(entity.country):
        yield f"country {entity.country!r} is not an ISO 3166-1 alpha-2 code"
    if entity.wikidata is not None and not WIKIDATA_RE.fullmatch(entity.wikidata):
        yield f"wikidata {entity.wikidata!r} does not match Q<digits>"
    for alias in entity.alias_list() + entity.city_local:
        if not alias.strip():
            yield "empty alias or local city name"


SECTORS = frozenset({"supplier", "battery", "dealer"})


def _company_problems(kb: KnowledgeBase, entity: KBEntity) -> Iterator[str]:
    if entity.kind not in COMPANY_KINDS:
        yield f"kind {entity.kind!r} is not one of {', '.join(sorted(COMPANY_KINDS))}"
    if entity.parent is not None:
        yield from _reference_problems(kb, "parent", entity.parent)
    if entity.operator or entity.former_operators or entity.status or entity.city:
        yield "operator, former_operators, status and city are for plants only"
    if entity.sector is not None and entity.sector not in SECTORS:
        yield f"sector {entity.sector!r} is not one of {', '.join(sorted(SECTORS))}"


def _plant_problems(kb: KnowledgeBase, entity: KBEntity) -> Iterator[str]:
    if entity.parent is not None:
        yield "a plant has an operator, not a parent"
    if entity.operator is None:
        yield "operator is missing"
    else:
        yield from _reference_problems(kb, "operator", entity.operator)
    for former in entity.former_operators:
        yield from _reference_problems(kb, "former operator", former)
        if former == entity.operator:
            yield f"former operator {former!r} is also the current operator"
    if entity.status not in PLANT_STATUSES:
        yield f"status {entity.status!r} is not one of {', '.join(sorted(PLANT_STATUSES))}"
    if not entity.city:
        yield "city is missing"
    if entity.country is None:
        yield "country is missing"


def _reference_problems(kb: KnowledgeBase, role: str, kb_id: str) -> Iterator[str]:
    target = kb.get(kb_id)
    if target is None:
        yield f"{role} {kb_id!r} does not exist"
    elif target.is_plant:
        yield f"{role} {kb_id!r} is a plant"


def _cycle_problems(kb: KnowledgeBase) -> Iterator[str]:
    reported: set[frozenset[str]] = set()
    for start in kb.entities:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in kb.entities and current not in path:
            path.append(current)
            current = kb.entities[current].parent
        if current is None or current not in path:
            continue
        loop = path[path.index(current) :]
        if frozenset(loop) not in reported:
            reported.add(frozenset(loop))
            chain = " -> ".join([*loop, current])
            yield f"{where(kb.entities[current])}: parent cycle {chain}"


def _wikidata_problems(kb: KnowledgeBase) -> Iterator[str]:
    holders: dict[str, list[str]] = defaultdict(list)
    for entity in kb.entities.values():
        if entity.wikidata:
            holders[entity.wikidata].append(entity.kb_id)
    for qid, ids in holders.items():
        if len(ids) > 1:
            yield f"wikidata {qid} is used by several entities: {', '.join(ids)}"


def _alias_problems(kb: KnowledgeBase) -> Iterator[str]:
    reported: set[str] = set()
    for lang in KB_LANGS:
        owners: dict[str, dict[str, str]] = defaultdict(dict)
        for alias, entity in kb.names(lang):
            owners[alias.casefold()].setdefault(entity.kb_id, alias)
        for folded, by_id in owners.items():
            if len(by_id) < 2 or folded in reported:
                continue
            reported.add(folded)
            ids = ", ".join(sorted(by_id))
            alias = next(iter(by_id.values()))
            preferred = kb.ambiguous.get(folded)
            if preferred is None:
                yield (
                    f"alias clash: {alias!r} names {ids} ({lang}); rename it or add it "
                    f"to the [ambiguous] table of {COMPANIES_FILE}"
                )
            elif preferred not in by_id:
                yield f"ambiguous alias {alias!r} prefers {preferred!r}, not one of {ids}"
    for folded, preferred in kb.ambiguous.items():
        target = kb.get(preferred)
        where_ = f"{COMPANIES_FILE} [ambiguous]"
        if target is None:
            yield f"{where_}: {folded!r} prefers {preferred!r}, which does not exist"
        elif folded not in {alias.casefold() for alias in target.alias_list()}:
            yield f"{where_}: {folded!r} is not an alias of {preferred!r}"
