"""Entities of the knowledge base and the queries over them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

KB_LANGS = ("nl", "fr", "de", "en")
ANY_LANG = "*"


class KBError(Exception):
    """The knowledge base files are invalid."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


def _frozen_aliases() -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({})


def _frozen_table() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class KBEntity:
    """A group, company, brand, organisation or plant.

    `aliases` maps "*" (any language) or a language code to names; the canonical
    name comes first under "*". A plant's `city_local` names are kept apart.
    """

    kb_id: str
    name: str
    kind: str
    parent: str | None = None
    operator: str | None = None
    former_operators: tuple[str, ...] = ()
    country: str | None = None
    city: str | None = None
    wikidata: str | None = None
    status: str | None = None
    case_sensitive: bool = False
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen_aliases, hash=False)
    city_local: tuple[str, ...] = ()
    sector: str | None = None  # supplier | battery | dealer; None for vehicle makers

    @property
    def is_plant(self) -> bool:
        """Whether this entity is a plant rather than an organisation."""
        return self.kind == "plant"

    @property
    def is_product(self) -> bool:
        """Whether this entity is a product (a vehicle line, a piece of software): a name
        known so that it is not read as a company."""
        return self.kind == "product"

    def alias_list(self, lang: str | None = None) -> tuple[str, ...]:
        """Names for `lang` ("*" ones plus that language's), or all names if None."""
        keys = [key for key in self.aliases if lang is None or key in (ANY_LANG, lang)]
        return tuple(name for key in keys for name in self.aliases[key])


@dataclass(frozen=True)
class KnowledgeBase:
    """Companies, brands, groups, organisations and plants, keyed by KB id.

    `ambiguous` maps a case-folded alias shared by several entities to the id
    that wins by default.
    """

    version: str
    entities: Mapping[str, KBEntity] = field(hash=False)
    ambiguous: Mapping[str, str] = field(default_factory=_frozen_table, hash=False)

    def get(self, kb_id: str) -> KBEntity | None:
        """The entity with this id, if any."""
        return self.entities.get(kb_id)

    def names(self, lang: str | None = None) -> Iterator[tuple[str, KBEntity]]:
        """(alias, entity) pairs for `lang` ("*" aliases included), or all if None.

        An unknown language gets the "*" aliases only. For an ambiguous alias the
        preferred entity comes before the others.
        """
        deferred: list[tuple[str, KBEntity]] = []
        for entity in self.entities.values():
            for alias in entity.alias_list(lang):
                preferred = self.ambiguous.get(alias.casefold())
                if preferred is not None and preferred != entity.kb_id:
                    deferred.append((alias, entity))
                else:
                    yield alias, entity
        yield from deferred

    def preferred(self, alias: str) -> KBEntity | None:
        """The default entity for an alias listed as ambiguous, if any."""
        kb_id = self.ambiguous.get(alias.casefold())
        return self.entities.get(kb_id) if kb_id else None

    def ancestors(self, kb_id: str) -> list[KBEntity]:
        """The parent chain of an entity, nearest first; KeyError if unknown."""
        chain: list[KBEntity] = []
        seen = {kb_id}
        parent = self.entities[kb_id].parent
        while parent is not None and parent not in seen and parent in self.entities:
            seen.add(parent)
            chain.append(self.entities[parent])
            parent = self.entities[parent].parent
        return chain

    def group_of(self, kb_id: str) -> KBEntity:
        """The top-most ancestor of an entity, or the entity itself."""
        chain = self.ancestors(kb_id)
        return chain[-1] if chain else self.entities[kb_id]

    def descendants(self, kb_id: str) -> list[KBEntity]:
        """All groups, companies and brands below an entity, breadth first (not its
        plants or products)."""
        if kb_id not in self.entities:
            raise KeyError(kb_id)
        found: list[KBEntity] = []
        seen = {kb_id}
        queue = [kb_id]
        while queue:
            for child in self._children.get(queue.pop(0), ()):
                if child not in seen:
                    seen.add(child)
                    found.append(self.entities[child])
                    queue.append(child)
        return found

    def plants_of(self, kb_id: str, include_descendants: bool = False) -> list[KBEntity]:
        """Plants currently operated by an entity (or by anything below it)."""
        operators = {kb_id}
        if include_descendants:
            operators.update(entity.kb_id for entity in self.descendants(kb_id))
        return [e for e in self.entities.values() if e.is_plant and e.operator in operators]

    @cached_property
    def _children(self) -> Mapping[str, tuple[str, ...]]:
        children: dict[str, list[str]] = defaultdict(list)
        for entity in self.entities.values():
            if entity.parent is not None and not (entity.is_plant or entity.is_product):
                children[entity.parent].append(entity.kb_id)
        return {parent: tuple(ids) for parent, ids in children.items()}
