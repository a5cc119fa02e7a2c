"""Risks with their reviews, actions, and decisions the programme needs taken."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Record, table_args

_ONE_TO_FIVE = "BETWEEN 1 AND 5"


class Risk(Record, Base):
    __tablename__ = "risk"
    __table_args__ = table_args(
        UniqueConstraint("programme_id", "reference"),
        # The heat map counts the open risks per cell from this index alone, never
        # reading the risks themselves (a cell click filters by the same columns).
        Index(
            "ix_risk_heat_map",
            "programme_id",
            "status",
            "likelihood",
            "impact",
            "residual_likelihood",
            "residual_impact",
        ),
        CheckConstraint(f"likelihood {_ONE_TO_FIVE}", name="likelihood"),
        CheckConstraint(f"impact {_ONE_TO_FIVE}", name="impact"),
        CheckConstraint(f"residual_likelihood {_ONE_TO_FIVE}", name="residual_likelihood"),
        CheckConstraint(f"residual_impact {_ONE_TO_FIVE}", name="residual_impact"),
        CheckConstraint("cost_impact_minor >= 0", name="cost_impact"),
    )

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    cause: Mapped[str] = mapped_column(Text, default="")
    effect: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(60))
    owner: Mapped[str] = mapped_column(String(120), default="")
    raised_on: Mapped[date]
    likelihood: Mapped[int]
    impact: Mapped[int]
    residual_likelihood: Mapped[int]
    residual_impact: Mapped[int]
    response: Mapped[str] = mapped_column(String(20))
    mitigation: Mapped[str] = mapped_column(Text, default="")
    proximity: Mapped[date | None]
    # In the programme's base currency.
    cost_impact_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(20), index=True)
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstream.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)


class RiskReview(Record, Base):
    """A dated re-assessment; the latest one sets the risk's current likelihood and impact."""

    __tablename__ = "risk_review"
    __table_args__ = table_args(
        CheckConstraint(f"likelihood {_ONE_TO_FIVE}", name="likelihood"),
        CheckConstraint(f"impact {_ONE_TO_FIVE}", name="impact"),
    )

    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id"), index=True)
    reviewed_on: Mapped[date]
    reviewer: Mapped[str] = mapped_column(String(120))
    likelihood: Mapped[int]
    impact: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")


class Action(Record, Base):
    """Something someone must do by a date; tied to a risk or to the programme."""

    __tablename__ = "action"
    # The register opens in due-date order, and the overdue actions are those due before D.
    __table_args__ = table_args(Index("ix_action_programme_due_on", "programme_id", "due_on"))

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20))
    done_on: Mapped[date | None]


class Decision(Record, Base):
    """A decision the programme needs from a forum or official by a date."""

    __tablename__ = "decision"
    # The register opens in the order the decisions are needed.
    __table_args__ = table_args(
        Index("ix_decision_programme_needed_by", "programme_id", "needed_by")
    )

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    forum: Mapped[str] = mapped_column(String(200))
    needed_by: Mapped[date]
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None]
