"""Entity resolution for the store: the canonical `entities` row of every mention and fact
subject, created on first sight with its knowledge-base parents, operator and aliases.

Ids are remembered between articles (entities are never deleted); entity and alias rows are
inserted with ON CONFLICT DO NOTHING so that several writers, on one machine or many, can
create the same entity at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, TextClause, bindparam, select, text

from db.models import Base
from nlp.entities import EntityMention
from nlp.kb import KnowledgeBase

_ENTITIES = Base.metadata.tables["entities"]
_FIND_ENTITY = select(_ENTITIES.c.id, _ENTITIES.c.name).where(_ENTITIES.c.key == bindparam("e_key"))


def _insert_ignoring_conflicts(table: Table) -> TextClause:
    """INSERT of every column but `id`, doing nothing on a conflict, as SQL text.

    SQLite and PostgreSQL both read this syntax. The dialects' `on_conflict_do_nothing`
    constructs have no cache key in SQLAlchemy 2.0, so they were compiled again on every
    execution, which cost more than the insert itself.
    """
    columns = [column.name for column in table.columns if column.name != "id"]
    names = ", ".join(f'"{name}"' for name in columns)
    values = ", ".join(f":{name}" for name in columns)
    return text(f"INSERT INTO {table.name} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING")


_INSERT_ENTITY = _insert_ignoring_conflicts(_ENTITIES)
_INSERT_ALIASES = _insert_ignoring_conflicts(Base.metadata.tables["entity_aliases"])
# Every entity column but `id` and `key`, unset: the text statement binds them all.
_ENTITY_FIELDS = dict.fromkeys(
    column.name for column in _ENTITIES.columns if column.name not in ("id", "key")
)


class EntityRows:
    """Finds or creates entity rows, remembering their ids for the writer's lifetime."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._ids: dict[str, int] = {}
        self._names: dict[int, str] = {}
        self._aliases: set[tuple[int, str, str]] = set()

    def forget(self) -> None:
        """Drop remembered ids (after a rollback they may name rows that do not exist)."""
        self._ids.clear()
        self._names.clear()
        self._aliases.clear()

    def subject(self, conn: Connection, kb_id: str | None, name: str | None) -> int | None:
        """The row of a fact's subject: its KB entity, else a company found under `name`."""
        entity_id = self.kb_entity(conn, kb_id) if kb_id else None
        if entity_id is None and name:
            key = f"company:{name.casefold()}"
            entity_id = self._ids.get(key) or conn.scalar(_FIND_ENTITY, {"e_key": key})
        return entity_id

    def mention(self, conn: Connection, mention: EntityMention, lang: str) -> int | None:
        """The canonical row of a mention: a KB entity, or one keyed by kind and name; the
        mention's text becomes an alias of it."""
        if mention.kb_id:
            entity_id = self.kb_entity(conn, mention.kb_id)
        else:
            kind = mention.kind or mention.label.lower()
            operator = self.kb_entity(conn, mention.operator) if mention.operator else None
            entity_id = self._ensure(
                conn,
                f"{kind}:{mention.canonical.casefold()}",
                name=mention.canonical,
                kind=kind,
                country=mention.country,
                operator_id=operator,
            )
        if entity_id is not None and mention.text != self._names.get(entity_id):
            self._alias(conn, entity_id, [(mention.text, lang)])
        return entity_id

    def kb_entity(self, conn: Connection, kb_id: str) -> int | None:
        """The row of a KB entity, created with its parents, operator and aliases first."""
        key = f"kb:{kb_id}"
        if key in self._ids:
            return self._ids[key]
        known = self.kb.get(kb_id)
        if known is None:
            return None
        existing = conn.execute(_FIND_ENTITY, {"e_key": key}).first()
        if existing is not None:
            self._ids[key] = existing.id
            self._names[existing.id] = existing.name
            return int(existing.id)
        parent = self.kb_entity(conn, known.parent) if known.parent else None
        operator = self.kb_entity(conn, known.operator) if known.operator else None
        entity_id = self._ensure(
            conn,
            key,
            kb_id=kb_id,
            name=known.name,
            kind=known.kind,
            parent_id=parent,
            operator_id=operator,
            country=known.country,
            city=known.city,
            wikidata_id=known.wikidata,
        )
        self._alias(
            conn, entity_id, [(n, lang) for lang, names in known.aliases.items() for n in names]
        )
        return entity_id

    def _ensure(self, conn: Connection, key: str, **fields: Any) -> int:
        """The id of the entity with natural key `key`, inserted with `fields` if missing."""
        if key in self._ids:
            return self._ids[key]
        conn.execute(_INSERT_ENTITY, {**_ENTITY_FIELDS, "key": key, **fields})
        row = conn.execute(_FIND_ENTITY, {"e_key": key}).one()
        self._ids[key] = row.id
        self._names[row.id] = row.name
        return int(row.id)

    def _alias(self, conn: Connection, entity_id: int, names: list[tuple[str, str]]) -> None:
        new = [(entity_id, alias, lang) for alias, lang in names]
        new = [row for row in dict.fromkeys(new) if row not in self._aliases]
        if not new:
            return
        conn.execute(
            _INSERT_ALIASES,
            [{"entity_id": e, "alias": a, "lang": lang} for e, a, lang in new],
        )
        self._aliases.update(new)
