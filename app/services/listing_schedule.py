"""The workstream and milestone registers listed a page at a time (see `listing`).

Milestones belong to a programme through their workstream, so their scope is a
subquery. A milestone's *state* and *slip* are computed in SQL, so the register can be
sorted and filtered by them a page at a time; the rows carry the same values, computed
by the same rules in Python when each page is read:
- state: `complete` when it has an actual date, `overdue` when not and its forecast is
  before today (DOMAIN.md: D defaults to today), `open` otherwise;
- slip: (actual or forecast) - baseline, in days; positive is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Self

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    SQLColumnExpression,
    bindparam,
    case,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from app.domain import Phase, WorkStatus
from app.models import Milestone, Organisation, Workstream
from app.services.listing import ListSpec, Parent
from app.services.milestones import MilestoneRow
from app.services.workstreams import WorkstreamRow


class MilestoneState(StrEnum):
    COMPLETE = "complete"
    OVERDUE = "overdue"
    OPEN = "open"


def today() -> date:
    """The status date the register is listed at (a function, so tests can move it)."""
    return date.today()


def milestone_state(actual: date | None, forecast: date, on: date) -> MilestoneState:
    """The rule the SQL expression `milestone_state_sql` spells in SQL."""
    if actual is not None:
        return MilestoneState.COMPLETE
    if forecast < on:
        return MilestoneState.OVERDUE
    return MilestoneState.OPEN


@dataclass(frozen=True)
class MilestoneListRow(MilestoneRow):
    """A milestone as the register lists it: with its state on the day it was read."""

    state: str = MilestoneState.OPEN.value

    @classmethod
    def of(cls, source: Any) -> Self:
        row = MilestoneRow.of(source)
        state = milestone_state(row.actual_date, row.forecast_date, today())
        return cls(**{**vars(row), "state": state.value})


# SQL -------------------------------------------------------------------------------------

# Evaluated when each statement runs (not when this module is imported), so a register
# left open overnight moves milestones to overdue the next morning.
_TODAY = bindparam("listing_today", callable_=lambda: today(), type_=Date)


class _DaysBetween(ColumnElement[int]):
    """`later - earlier` in whole days; date arithmetic is spelt differently per dialect."""

    inherit_cache = True
    type = Integer()
    _traverse_internals = [  # noqa: RUF012
        ("later", InternalTraversal.dp_clauseelement),
        ("earlier", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, later: SQLColumnExpression[date], earlier: SQLColumnExpression[date]):
        self.later: ColumnElement[date] = coercions.expect(roles.ExpressionElementRole, later)
        self.earlier: ColumnElement[date] = coercions.expect(roles.ExpressionElementRole, earlier)


@compiles(_DaysBetween)
def _days_difference(element: _DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    # PostgreSQL: date - date is an integer number of days.
    return f"({compiler.process(element.later, **kw)} - {compiler.process(element.earlier, **kw)})"


@compiles(_DaysBetween, "sqlite")
def _days_difference_sqlite(element: _DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite stores ISO dates as text; julianday differences of whole dates are whole.
    later = compiler.process(element.later, **kw)
    earlier = compiler.process(element.earlier, **kw)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def days_between(
    later: SQLColumnExpression[date], earlier: SQLColumnExpression[date]
) -> ColumnElement[int]:
    return _DaysBetween(later, earlier)


def _actual_or_forecast() -> ColumnElement[date]:
    return case(
        (Milestone.actual_date.is_not(None), Milestone.actual_date), else_=Milestone.forecast_date
    )


SLIP_DAYS: ColumnElement[int] = days_between(_actual_or_forecast(), Milestone.baseline_date)

STATE: ColumnElement[str] = case(
    (Milestone.actual_date.is_not(None), MilestoneState.COMPLETE.value),
    (Milestone.forecast_date < _TODAY, MilestoneState.OVERDUE.value),
    else_=MilestoneState.OPEN.value,
)

# Sorting by state puts the urgent end together: complete, open, overdue (ascending).
_STATE_RANK: ColumnElement[int] = case(
    (Milestone.actual_date.is_not(None), 0),
    (Milestone.forecast_date < _TODAY, 2),
    else_=1,
)


def _rank(column: SQLColumnExpression[str], order: type[StrEnum]) -> ColumnElement[int]:
    """A lifecycle word as its place in the lifecycle, so it sorts in that order."""
    return case(
        *((column == member.value, number) for number, member in enumerate(order)),
        else_=len(order),
    )


class _MayBeNull(ColumnElement[Any]):
    """An expression that may be NULL, so `listing` sorts its blanks last either way.

    `listing` knows that of plain columns (their `nullable`), not of subqueries.
    """

    inherit_cache = True
    nullable = True
    _traverse_internals = [("inner", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, inner: SQLColumnExpression[Any]) -> None:
        self.inner: ColumnElement[Any] = coercions.expect(roles.ExpressionElementRole, inner)
        self.type = self.inner.type


@compiles(_MayBeNull)
def _as_inner(element: _MayBeNull, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.inner, **kw)


def _lead(name: SQLColumnExpression[str]) -> Any:
    """The lead organisation's `name` (NULL for a workstream without a lead)."""
    return _MayBeNull(
        select(name)
        .where(Organisation.id == Workstream.lead_organisation_id)
        .correlate(Workstream)
        .scalar_subquery()
    )


def _workstream_of_milestone(column: SQLColumnExpression[Any]) -> Any:
    return (
        select(column)
        .where(Workstream.id == Milestone.workstream_id)
        .correlate(Milestone)
        .scalar_subquery()
    )


WORKSTREAMS: ListSpec[WorkstreamRow] = ListSpec(
    model=Workstream,
    row_type=WorkstreamRow,
    columns={
        "code": Workstream.code,
        "title": Workstream.title,
        "kind": Workstream.kind,
        "phase": _rank(Workstream.phase, Phase),
        "lead": _lead(Organisation.short_name),
        "trl_now": Workstream.trl_now,
        "trl_target": Workstream.trl_target,
        "mrl_now": Workstream.mrl_now,
        "mrl_target": Workstream.mrl_target,
        "baseline_start": Workstream.baseline_start,
        "baseline_finish": Workstream.baseline_finish,
        "forecast_finish": Workstream.forecast_finish,
        "actual_finish": Workstream.actual_finish,
        "status": _rank(Workstream.status, WorkStatus),
        "budget_minor": Workstream.budget_minor,
    },
    searchable=(
        Workstream.code,
        Workstream.title,
        Workstream.kind,
        Workstream.phase,
        Workstream.status,
        _lead(Organisation.short_name),
        _lead(Organisation.name),
    ),
    filters={
        "status": Workstream.status,
        "phase": Workstream.phase,
        "kind": Workstream.kind,
        "lead_organisation_id": Workstream.lead_organisation_id,
    },
)


def workstreams_of(programme_id: int) -> Select[int]:
    """The ids of the programme's workstreams: the parents of milestones and expenditures."""
    return select(Workstream.id).where(Workstream.programme_id == programme_id)


MILESTONES: ListSpec[MilestoneListRow] = ListSpec(
    model=Milestone,
    row_type=MilestoneListRow,
    columns={
        "workstream": _workstream_of_milestone(Workstream.code),
        "title": Milestone.title,
        "baseline_date": Milestone.baseline_date,
        "forecast_date": Milestone.forecast_date,
        "actual_date": Milestone.actual_date,
        "slip_days": SLIP_DAYS,
        "state": _STATE_RANK,
        "value_weight": Milestone.value_weight,
    },
    searchable=(
        Milestone.title,
        Milestone.acceptance_criteria,
        _workstream_of_milestone(Workstream.code),
        _workstream_of_milestone(Workstream.title),
    ),
    filters={"workstream_id": Milestone.workstream_id, "state": STATE},
    parent=Parent(Milestone.workstream_id, workstreams_of),
)
