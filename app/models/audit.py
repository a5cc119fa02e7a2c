"""The append-only, hash-chained audit log."""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class AuditEntry(Base):
    """One create, update or delete: who, when (UTC), what before, the full record after.

    `hash` = SHA-256(previous entry's hash + canonical JSON of this entry), so editing,
    deleting or re-ordering entries breaks the chain at the first tampered entry.
    """

    __tablename__ = "audit_entry"
    # Verification and a record's history look entries up by the record they describe.
    # The log is the largest table: the columns its register sorts by are indexed too,
    # so a sorted first page reads a page of the index, not every entry.
    __table_args__ = (Index("ix_audit_entry_record", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(32), index=True)  # ISO 8601 UTC, "...Z"
    user: Mapped[str] = mapped_column(String(120), index=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(10), index=True)  # created | updated | deleted
    old_values: Mapped[str | None] = mapped_column(Text)
    new_values: Mapped[str | None] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))
