"""Co-production contracts, their deliverables, ToT packages and offset discharges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Multiplier, Percent, Record, table_args


class Contract(Record, Base):
    __tablename__ = "contract"
    __table_args__ = table_args(
        UniqueConstraint("programme_id", "number"),
        CheckConstraint("value_minor >= 0", name="value"),
        CheckConstraint("offset_obligation_minor >= 0", name="offset_obligation"),
        CheckConstraint(
            "ic_target_pct BETWEEN 0 AND 1000000 AND ic_achieved_pct BETWEEN 0 AND 1000000",
            name="indigenous_content",
        ),
    )

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstream.id"), index=True)
    value_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    signed_on: Mapped[date | None]
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(40))
    ic_target_pct: Mapped[Decimal] = mapped_column(Percent)
    ic_achieved_pct: Mapped[Decimal] = mapped_column(Percent)
    procurement_category: Mapped[str | None] = mapped_column(String(80))
    # In the contract's currency.
    offset_obligation_minor: Mapped[int] = mapped_column(BigInteger, default=0)


class Deliverable(Record, Base):
    __tablename__ = "deliverable"
    __table_args__ = table_args(
        CheckConstraint("quantity_ordered >= 0 AND quantity_delivered >= 0", name="quantities"),
    )

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    item: Mapped[str] = mapped_column(String(200))
    quantity_ordered: Mapped[int]
    quantity_delivered: Mapped[int] = mapped_column(default=0)
    due_date: Mapped[date]
    delivered_on: Mapped[date | None]


class TotPackage(Record, Base):
    """A technology-transfer package: planned -> in transfer -> transferred -> absorbed."""

    __tablename__ = "tot_package"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    planned_date: Mapped[date]
    actual_date: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(20))


class OffsetDischarge(Record, Base):
    """A claimed offset credit: credit = value x multiplier, in the contract's currency."""

    __tablename__ = "offset_discharge"
    __table_args__ = table_args(
        CheckConstraint("value_minor >= 0", name="value"),
        CheckConstraint("multiplier > 0", name="multiplier"),
    )

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    discharged_on: Mapped[date]
    description: Mapped[str] = mapped_column(String(400))
    value_minor: Mapped[int] = mapped_column(BigInteger)
    multiplier: Mapped[Decimal] = mapped_column(Multiplier)
