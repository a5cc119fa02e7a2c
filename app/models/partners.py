"""Organisations through which the partner nations work."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Record, table_args


class Organisation(Record, Base):
    """A laboratory, enterprise, firm or ministry; `name` is in its own script."""

    __tablename__ = "organisation"
    __table_args__ = table_args(UniqueConstraint("programme_id", "short_name"))

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    short_name: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    nation: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(60))
