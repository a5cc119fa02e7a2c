"""Cost-share agreements, partners' shares, contributions, expenditures and FX rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Percent, Rate, Record, table_args


class CostShareAgreement(Record, Base):
    """Who funds which workstreams in what proportion; `fx_rule` is fixed or spot."""

    __tablename__ = "cost_share_agreement"
    __table_args__ = table_args(UniqueConstraint("programme_id", "code"))

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    fx_rule: Mapped[str] = mapped_column(String(10))
    signed_on: Mapped[date]


class AgreementWorkstream(Record, Base):
    """A workstream whose expenditure is eligible cost under an agreement."""

    __tablename__ = "agreement_workstream"
    __table_args__ = table_args(UniqueConstraint("agreement_id", "workstream_id"))

    agreement_id: Mapped[int] = mapped_column(ForeignKey("cost_share_agreement.id"), index=True)
    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstream.id"), index=True)


class CostShare(Record, Base):
    """One partner's share of an agreement; the partner is a nation or an organisation."""

    __tablename__ = "cost_share"
    __table_args__ = table_args(
        CheckConstraint("share_pct > 0 AND share_pct <= 1000000", name="share"),
        CheckConstraint("(nation IS NULL) <> (organisation_id IS NULL)", name="one_partner"),
    )

    agreement_id: Mapped[int] = mapped_column(ForeignKey("cost_share_agreement.id"), index=True)
    nation: Mapped[str | None] = mapped_column(String(3))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    share_pct: Mapped[Decimal] = mapped_column(Percent)
    position: Mapped[int] = mapped_column(default=0)


class AgreementRate(Record, Base):
    """A rate fixed at signature, used by a `fixed` agreement for all its conversions."""

    __tablename__ = "agreement_rate"
    __table_args__ = table_args(
        UniqueConstraint("agreement_id", "from_currency", "to_currency"),
        CheckConstraint("rate > 0", name="rate"),
    )

    agreement_id: Mapped[int] = mapped_column(ForeignKey("cost_share_agreement.id"), index=True)
    from_currency: Mapped[str] = mapped_column(String(3))
    to_currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Rate)


class Contribution(Record, Base):
    """What a partner paid in under an agreement, cash or in kind."""

    __tablename__ = "contribution"
    __table_args__ = table_args(CheckConstraint("amount_minor >= 0", name="amount"))

    cost_share_id: Mapped[int] = mapped_column(ForeignKey("cost_share.id"), index=True)
    contributed_on: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(400), default="")


class Expenditure(Record, Base):
    """What was spent on a workstream: eligible cost and earned value's actual cost."""

    __tablename__ = "expenditure"
    __table_args__ = table_args(CheckConstraint("amount_minor >= 0", name="amount"))

    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstream.id"), index=True)
    spent_on: Mapped[date] = mapped_column(index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(400), default="")


class ExchangeRate(Record, Base):
    """1 `from_currency` = `rate` `to_currency` on `rate_date`; also serves the inverse."""

    __tablename__ = "exchange_rate"
    __table_args__ = table_args(
        UniqueConstraint("from_currency", "to_currency", "rate_date"),
        CheckConstraint("rate > 0", name="rate"),
    )

    rate_date: Mapped[date]
    from_currency: Mapped[str] = mapped_column(String(3))
    to_currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Rate)
