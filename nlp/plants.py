"""Plant mentions from factory phrases ("Nissan-fabriek in Barcelona", "l'usine Toyota
d'Onnaing", "das VW-Werk in Zwickau", "Nissan's Sunderland plant"), linked to the KB."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from nlp.entities import EntityMention
from nlp.kb import KBEntity, KnowledgeBase
from nlp.places import country_of

_PLACE = r"(?P<place>[A-ZÀ-Ý][\w'’]+(?:[ -](?:[A-ZÀ-Ý][\w'’]+|de|del|la))*)"
# Text after the company mention.
_AFTER = [
    re.compile(
        rf"^-(?:fabriek|autofabriek|assemblagefabriek|vestiging|Werk|Werks|Fabrik|Stammwerk)"
        rf"(?:\s+(?:in|te|bij|im)\s+{_PLACE})?"
    ),
    re.compile(rf"^['’]s?\s+{_PLACE}\s+(?:plant|factory|works|site)\b"),
    re.compile(rf"^['’]s?\s+(?:plant|factory|site)\s+(?:in|at)\s+{_PLACE}"),
    re.compile(rf"^\s+(?:plant|factory)\s+(?:in|at)\s+{_PLACE}"),
    re.compile(rf"^\s+(?:de\s+|d['’]|à\s+|in\s+)?{_PLACE}"),  # only after "usine"/"fabriek van"
]
_USINE_BEFORE = re.compile(
    r"(?:usine|site|fabriek\s+van|Werk\s+von|plant\s+of|factory\s+of)\s+(?:de\s+|d['’])?$",
    re.I,
)
_USINE_OF_PLACE = re.compile(rf"\b(?:l['’])?usine\s+(?:de\s+|d['’]){_PLACE}")


def find_plants(
    text: str, companies: Iterable[EntityMention], kb: KnowledgeBase
) -> Iterator[EntityMention]:
    """Plant mentions built around company mentions, plus "l'usine de <place>"."""
    for company in companies:
        if company.label != "COMPANY":
            continue
        before = text[max(0, company.start - 20) : company.start]
        after = text[company.end : company.end + 80]
        usine_before = _USINE_BEFORE.search(before)
        patterns = _AFTER if usine_before else _AFTER[:-1]
        for pattern in patterns:
            match = pattern.match(after)
            if not match:
                continue
            start = company.start - len(usine_before.group(0)) if usine_before else company.start
            end = company.end + match.end()
            place = match.groupdict().get("place")
            yield _plant_mention(text[start:end], start, end, company, place, kb)
            break
    for match in _USINE_OF_PLACE.finditer(text):
        plant = _kb_plant(kb, None, match.group("place"))
        if plant is not None:
            yield _linked_plant(match.group(0), match.start(), match.end(), plant)


def _linked_plant(phrase: str, start: int, end: int, plant: KBEntity) -> EntityMention:
    """A PLANT mention linked to a knowledge-base plant."""
    return EntityMention(
        phrase,
        "PLANT",
        start,
        end,
        plant.name,
        plant.kb_id,
        "plant",
        plant.operator,
        plant.country,
        plant.former_operators,
    )


def _plant_mention(
    phrase: str,
    start: int,
    end: int,
    company: EntityMention,
    place: str | None,
    kb: KnowledgeBase,
) -> EntityMention:
    plant = _kb_plant(kb, company.kb_id, place)
    if plant is not None:
        return _linked_plant(phrase, start, end, plant)
    canonical = f"{company.canonical} {place}" if place else f"{company.canonical} plant"
    return EntityMention(
        phrase,
        "PLANT",
        start,
        end,
        canonical,
        None,
        "plant",
        company.kb_id,
        country_of(place) if place else None,
    )


def _ancestors(kb: KnowledgeBase, kb_id: str) -> list[str]:
    chain = [kb_id]
    while (entity := kb.get(chain[-1])) is not None and entity.parent and len(chain) < 8:
        chain.append(entity.parent)
    return chain


def _same_family(kb: KnowledgeBase, company: str, runner: str | None) -> bool:
    """Whether `company` is `runner`, one of its parents or one of its descendants
    ("VW" names the plant Volkswagen AG runs)."""
    if runner is None:
        return False
    return company in _ancestors(kb, runner) or runner in _ancestors(kb, company)


def _kb_plant(kb: KnowledgeBase, operator: str | None, place: str | None) -> KBEntity | None:
    """The KB plant run (now or before) by `operator` at `place` (a city or a country)."""
    if not place:
        return None
    place_code = country_of(place)
    folded = place.casefold()
    candidates = []
    for entity in kb.entities.values():
        if entity.kind != "plant":
            continue
        if operator and not any(
            _same_family(kb, operator, runner)
            for runner in (entity.operator, *entity.former_operators)
        ):
            continue
        cities = {name.casefold() for name in (entity.city or "", *entity.city_local)}
        if (
            folded in cities
            or any(
                folded == alias.casefold() for names in entity.aliases.values() for alias in names
            )
            or (place_code and entity.country == place_code and operator)
        ):
            candidates.append(entity)
    return candidates[0] if len(candidates) == 1 else None
