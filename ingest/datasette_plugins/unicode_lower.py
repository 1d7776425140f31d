"""Datasette plugin of `newsfacts serve`: SQLite's `lower()` folds every script's capitals,
so that the canned queries find companies as the read commands do (db/companies.py)."""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from db.companies import unicode_lower


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no types
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Register the folding `lower()` on every connection Datasette opens."""
    conn.create_function("lower", 1, unicode_lower, deterministic=True)
