"""Briefing snapshots: what a pack showed, so the next pack can say what changed."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class BriefingSnapshot(Base):
    __tablename__ = "briefing_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    marking: Mapped[int]
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(120))
    status_date: Mapped[str] = mapped_column(String(10))
    data: Mapped[str] = mapped_column(Text)  # canonical JSON of the pack's figures
    hash: Mapped[str] = mapped_column(String(64))
