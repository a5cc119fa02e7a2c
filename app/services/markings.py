"""Protective markings across the whole database: the highest one in use."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Base


def highest(session: Session) -> int:
    """The highest marking of any record in the database (0 when there are none)."""
    levels = [
        session.scalar(select(func.max(table.c.marking))) or 0
        for table in Base.metadata.tables.values()
        if "marking" in table.c and "releasable_to" in table.c
    ]
    return max(levels, default=0)
