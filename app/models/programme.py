"""The programme, its partner nations, and the office's settings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Record, table_args


class Programme(Record, Base):
    __tablename__ = "programme"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    base_currency: Mapped[str] = mapped_column(String(3))
    start_date: Mapped[date]
    end_date: Mapped[date | None]


class PartnerNation(Record, Base):
    """A nation taking part in a programme; `position` is the order the partners are listed."""

    __tablename__ = "partner_nation"
    __table_args__ = table_args(UniqueConstraint("programme_id", "nation"))

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    nation: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Setting(Base):
    """One office setting (marking scale, DAP minimums, RAG limits) as canonical JSON."""

    __tablename__ = "setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
