"""The one company resolver: which entities a name given by a researcher means.

A company, brand or group is named by its name or knowledge-base id, or else by one of its
aliases, compared without regard to case; with its family, everything below it too
(brands, subsidiaries, plants; `v_entity_lineage`). The read commands (`facts --company`,
`claims`, `plot`) and Datasette's canned queries (`newsfacts serve`) run the same SQL.

SQLite's own `lower()` folds ASCII letters only; the engines of `db.engine` and the
Datasette plugin of `newsfacts serve` replace it with Python's, so that "škoda" finds
"Škoda" on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from difflib import get_close_matches

from sqlalchemy import Connection, select, text

from db.errors import DatabaseError
from db.models import Entity, EntityAlias
from nlp.kinds import COMPANY_KINDS

_KINDS = ", ".join(f"'{kind}'" for kind in COMPANY_KINDS)

# Common table expressions over a `:company` parameter: `chosen` holds the entities the
# name means, `family` those and everything below them.
COMPANY_CTE = f"""named AS (
    SELECT id FROM entities
    WHERE kind IN ({_KINDS})
      AND (lower(name) = lower(:company) OR lower(kb_id) = lower(:company))
), chosen AS (
    SELECT id FROM named
    UNION
    SELECT a.entity_id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
    WHERE e.kind IN ({_KINDS}) AND lower(a.alias) = lower(:company)
      AND NOT EXISTS (SELECT 1 FROM named)
), family AS (
    SELECT entity_id FROM v_entity_lineage WHERE ancestor_id IN (SELECT id FROM chosen)
)"""

_CHOSEN = text(f"WITH {COMPANY_CTE} SELECT id FROM chosen ORDER BY id")


class UnknownCompany(DatabaseError):
    """No company, brand or group has the name asked for."""


def unicode_lower(value: str | None) -> str | None:
    """`lower()` for SQLite: every script's capitals, not only ASCII ones."""
    return value.lower() if isinstance(value, str) else value


def company_ids(connection: Connection, name: str) -> list[int]:
    """Ids of the companies, brands or groups called `name`; UnknownCompany, with the
    closest names, when there is none."""
    wanted = name.strip()
    ids = list(connection.execute(_CHOSEN, {"company": wanted}).scalars())
    if ids:
        return ids
    close = close_names(connection, wanted)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownCompany(f"no company, brand or group is called {name!r}{hint}")


def close_names(connection: Connection, wanted: str, limit: int = 5) -> list[str]:
    """Names of companies, brands or groups like `wanted`: those whose name or an alias is
    spelt nearly alike (difflib, ignoring case), then those containing it."""
    names = connection.execute(
        select(Entity.name).where(Entity.kind.in_(COMPANY_KINDS)).distinct()
    ).scalars()
    aliases = connection.execute(
        select(EntityAlias.alias, Entity.name)
        .join(Entity, Entity.id == EntityAlias.entity_id)
        .where(Entity.kind.in_(COMPANY_KINDS))
    ).all()
    spellings: dict[str, set[str]] = {}  # casefolded name or alias -> the names it stands for
    for found in names:
        spellings.setdefault(found.casefold(), set()).add(found)
    for alias, found in aliases:
        spellings.setdefault(alias.casefold(), set()).add(found)
    key = wanted.casefold()
    similar = get_close_matches(key, list(spellings), n=limit, cutoff=0.6)
    containing = sorted(spelling for spelling in spellings if key and key in spelling)
    close: list[str] = []
    for spelling in [*similar, *containing]:
        for found in sorted(spellings[spelling]):
            if found not in close:
                close.append(found)
    return close[:limit]
