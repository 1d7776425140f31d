"""Datasette plugin of `newsfacts serve`: gives the home and database pages the views to
start with, in the researcher's order, and the canned queries, each with its description."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl

from ingest.serve import START_VIEWS


def _first_sentence(text: str) -> str:
    head, dot, _rest = text.partition(". ")
    return head + "." if dot else text


async def _guide(datasette: Any, name: str, actor: dict[str, Any] | None) -> dict[str, Any]:
    """The views of database `name`, the START_VIEWS first, and its canned queries."""
    views = set(await datasette.get_database(name).view_names())
    ordered = [view for view in START_VIEWS if view in views] + sorted(views - set(START_VIEWS))
    tables = datasette.metadata("tables", database=name) or {}
    queries = await datasette.get_canned_queries(name, actor)
    return {
        "views": [
            {
                "name": view,
                "summary": _first_sentence((tables.get(view) or {}).get("description", "")),
            }
            for view in ordered
        ],
        "queries": [
            {
                "name": query,
                "title": canned.get("title") or query,
                "description": canned.get("description", ""),
            }
            for query, canned in queries.items()
        ],
    }


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no types
def extra_template_vars(
    template: str, database: str | None, datasette: Any, request: Any
) -> Callable[[], Awaitable[dict[str, Any]]] | dict[str, Any]:
    """`start_here`: per database, its views and queries, on the home and database pages."""
    if template not in ("index.html", "database.html"):
        return {}

    async def start_here() -> dict[str, Any]:
        actor = request.actor if request is not None else None
        names = [database] if database else [n for n in datasette.databases if n != "_internal"]
        return {"start_here": {name: await _guide(datasette, name, actor) for name in names}}

    return start_here
