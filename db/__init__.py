"""Alembic migrations, shipped inside the package so an installed Setu can upgrade files."""
