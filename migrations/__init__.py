"""Alembic migrations of the newsfacts schema."""
