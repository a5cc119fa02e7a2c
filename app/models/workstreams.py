"""Workstreams, their participants and milestones, and the milestones' histories."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Record, table_args


class Workstream(Record, Base):
    __tablename__ = "workstream"
    __table_args__ = table_args(
        UniqueConstraint("programme_id", "code"),
        CheckConstraint("trl_now BETWEEN 1 AND 9 AND trl_target BETWEEN 1 AND 9", name="trl"),
        CheckConstraint("mrl_now BETWEEN 1 AND 10 AND mrl_target BETWEEN 1 AND 10", name="mrl"),
        CheckConstraint("budget_minor >= 0", name="budget"),
    )

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    phase: Mapped[str] = mapped_column(String(40))
    trl_now: Mapped[int]
    trl_target: Mapped[int]
    mrl_now: Mapped[int]
    mrl_target: Mapped[int]
    baseline_start: Mapped[date]
    baseline_finish: Mapped[date]
    forecast_finish: Mapped[date | None]
    actual_finish: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(40))
    # Budget at completion, in the programme's base currency.
    budget_minor: Mapped[int] = mapped_column(BigInteger, default=0)


class WorkstreamParticipant(Record, Base):
    __tablename__ = "workstream_participant"
    __table_args__ = table_args(UniqueConstraint("workstream_id", "organisation_id"))

    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstream.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(200), default="")


class Milestone(Record, Base):
    """A dated step of a workstream; its baseline moves only by re-baselining."""

    __tablename__ = "milestone"
    __table_args__ = table_args(CheckConstraint("value_weight >= 0", name="value_weight"))

    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstream.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    acceptance_criteria: Mapped[str] = mapped_column(Text, default="")
    baseline_date: Mapped[date] = mapped_column(index=True)  # the register opens in its order
    forecast_date: Mapped[date]
    actual_date: Mapped[date | None]
    # Relative weight; a workstream's weights are normalised to 1 for earned value.
    value_weight: Mapped[int] = mapped_column(default=1)


class MilestoneForecast(Record, Base):
    """A forecast date as reported on a date: the series behind the milestone-trend chart."""

    __tablename__ = "milestone_forecast"

    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id"), index=True)
    reported_on: Mapped[date]
    forecast_date: Mapped[date]


class MilestoneBaseline(Record, Base):
    """One formal re-baselining: old and new dates, why, and who approved it."""

    __tablename__ = "milestone_baseline"

    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id"), index=True)
    old_date: Mapped[date]
    new_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    authority: Mapped[str] = mapped_column(String(200))
    approved_on: Mapped[date]
