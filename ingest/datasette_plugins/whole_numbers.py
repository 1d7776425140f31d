"""Datasette plugin of `newsfacts serve`: a stored value that is a whole number shows as one
(`18600`, not `18600.0`), as the command line prints it; JSON and CSV keep the number."""

from __future__ import annotations

from datasette import hookimpl


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no types
def render_cell(value: object) -> str | None:
    """A whole float as an integer; anything else as Datasette shows it."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return None
