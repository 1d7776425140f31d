"""Storage: typed models, engine factory, migrations and repository functions."""

from db.engine import (
    DEFAULT_URL,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    session_factory,
    upgrade,
)
from db.errors import DatabaseError, ReadOnlyViolation

__all__ = [
    "DEFAULT_URL",
    "DatabaseError",
    "ReadOnlyViolation",
    "current_revision",
    "head_revision",
    "make_engine",
    "open_database",
    "session_factory",
    "upgrade",
]
