"""Errors raised by the storage layer."""


class DatabaseError(Exception):
    """The database could not be opened, migrated or queried."""


class ReadOnlyViolation(DatabaseError):
    """A read-only query tried to change the database."""
