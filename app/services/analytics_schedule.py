"""Schedule figures at the status date D: milestones complete, due and overdue, slip, what
comes next, and the forecast history behind the milestone-trend chart.

Counts and extremes are SQL aggregates grouped by workstream, so a large register is
never loaded row by row; only the lists shown row by row (the next 90 days, the trend
series) fetch rows. Dates are compared in SQL but subtracted in Python, because date
arithmetic is spelt differently on SQLite and PostgreSQL.

At D a milestone is *complete* when its actual date is on or before D (an actual date
after D has not happened yet as seen from D), *due* when its baseline is on or before
D, and *overdue* when it is not complete and its forecast is before D.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.models import Milestone, MilestoneForecast, Workstream
from app.services.analytics_format import iso
from app.services.analytics_scope import Scope
from app.services.collation import bytewise

LOOKAHEAD_DAYS = 90


@dataclass(frozen=True)
class UpcomingMilestone:
    """A milestone not yet complete whose forecast falls within D .. D + 90 days."""

    workstream: str
    milestone: str
    forecast: date
    slip_days: int

    def to_json(self) -> dict[str, Any]:
        return {
            "workstream": self.workstream,
            "milestone": self.milestone,
            "forecast": iso(self.forecast),
            "slip_days": self.slip_days,
        }


@dataclass(frozen=True)
class WorkstreamSchedule:
    """One workstream's counts at D, its worst overdue milestone and its next milestone."""

    workstream_id: int
    code: str
    complete: int
    due: int
    overdue: int
    # Days past forecast of the most overdue milestone; 0 when nothing is overdue.
    max_overdue_days: int
    next_milestone_title: str | None
    next_forecast: date | None
    next_baseline: date | None


@dataclass(frozen=True)
class ScheduleFigures:
    milestones: int
    milestones_complete: int
    milestones_due: int
    milestones_overdue: int
    max_slip_days: int | None  # None when the audience sees no milestone
    next_90_days: tuple[UpcomingMilestone, ...]
    workstreams: tuple[WorkstreamSchedule, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "milestones_complete": self.milestones_complete,
            "milestones_due": self.milestones_due,
            "milestones_overdue": self.milestones_overdue,
            "max_slip_days": self.max_slip_days,
            "next_90_days": [m.to_json() for m in self.next_90_days],
        }


@dataclass(frozen=True)
class TrendSeries:
    """One milestone's forecasts as reported up to D: (reported on, forecast) pairs."""

    milestone_id: int
    workstream_code: str
    title: str
    baseline: date
    points: tuple[tuple[date, date], ...]


def _complete(d: date) -> ColumnElement[bool]:
    return and_(Milestone.actual_date.is_not(None), Milestone.actual_date <= d)


def _open(d: date) -> ColumnElement[bool]:
    """Not complete at D: no actual date yet, or one that lies after D."""
    return or_(Milestone.actual_date.is_(None), Milestone.actual_date > d)


def _overdue(d: date) -> ColumnElement[bool]:
    return and_(_open(d), Milestone.forecast_date < d)


def _milestones(scope: Scope, *columns: Any) -> Select[Any]:
    """SELECT `columns` over the programme's milestones the audience may see.

    A milestone of a workstream the audience may not see is hidden with it, whatever
    the milestone's own releasability says.
    """
    return (
        select(*columns)
        .select_from(Milestone)
        .join(Workstream, Workstream.id == Milestone.workstream_id)
        .where(
            Workstream.programme_id == scope.programme_id,
            scope.visible(Workstream),
            scope.visible(Milestone),
        )
    )


def _count(condition: ColumnElement[bool]) -> Any:
    # SUM(CASE ...) rather than COUNT(*) FILTER (...), which older SQLite lacks.
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass(frozen=True)
class _Counts:
    milestones: int = 0
    complete: int = 0
    due: int = 0
    overdue: int = 0
    earliest_overdue: date | None = None


def _counts(session: Session, scope: Scope) -> dict[int, _Counts]:
    d = scope.as_of
    query = _milestones(
        scope,
        Milestone.workstream_id,
        func.count(Milestone.id),
        _count(_complete(d)),
        _count(Milestone.baseline_date <= d),
        _count(_overdue(d)),
        func.min(case((_overdue(d), Milestone.forecast_date), else_=None)),
    ).group_by(Milestone.workstream_id)
    return {
        ws: _Counts(int(n), int(done), int(due), int(late), earliest)
        for ws, n, done, due, late, earliest in session.execute(query)
    }


def _max_slip(session: Session, scope: Scope) -> int | None:
    """The largest slip, from one row per distinct baseline date.

    For a given baseline the slip is largest at the latest effective date (actual when
    complete, else forecast), so MAX per baseline in SQL leaves Python only the few
    subtractions SQL cannot spell portably.
    """
    d = scope.as_of
    effective = case((_complete(d), Milestone.actual_date), else_=Milestone.forecast_date)
    query = _milestones(scope, Milestone.baseline_date, func.max(effective)).group_by(
        Milestone.baseline_date
    )
    slips = [(latest - baseline).days for baseline, latest in session.execute(query)]
    return max(slips, default=None)


def _next_milestones(session: Session, scope: Scope) -> dict[int, tuple[str, date, date]]:
    """Per workstream, the open milestone with the earliest forecast on or after D."""
    d = scope.as_of
    ranked = (
        _milestones(
            scope,
            Milestone.workstream_id,
            Milestone.title,
            Milestone.forecast_date,
            Milestone.baseline_date,
            func.row_number()
            .over(
                partition_by=Milestone.workstream_id,
                order_by=(Milestone.forecast_date, Milestone.id),
            )
            .label("nth"),
        )
        .where(_open(d), Milestone.forecast_date >= d)
        .subquery()
    )
    query = select(
        ranked.c.workstream_id, ranked.c.title, ranked.c.forecast_date, ranked.c.baseline_date
    ).where(ranked.c.nth == 1)
    return {
        ws: (title, forecast, baseline) for ws, title, forecast, baseline in session.execute(query)
    }


def _upcoming(session: Session, scope: Scope) -> tuple[UpcomingMilestone, ...]:
    d = scope.as_of
    columns = (Workstream.code, Milestone.title, Milestone.forecast_date, Milestone.baseline_date)
    query = (
        _milestones(scope, *columns)
        .where(
            _open(d),
            Milestone.forecast_date >= d,
            Milestone.forecast_date <= d + timedelta(days=LOOKAHEAD_DAYS),
        )
        .order_by(Milestone.forecast_date, bytewise(Workstream.code), Milestone.id)
    )
    # Not complete, so the slip is forecast - baseline.
    return tuple(
        UpcomingMilestone(code, title, forecast, (forecast - baseline).days)
        for code, title, forecast, baseline in session.execute(query)
    )


def _workstream_rows(
    session: Session, scope: Scope, counts: dict[int, _Counts]
) -> tuple[WorkstreamSchedule, ...]:
    nexts = _next_milestones(session, scope)
    query = (
        select(Workstream.id, Workstream.code)
        .where(Workstream.programme_id == scope.programme_id, scope.visible(Workstream))
        .order_by(bytewise(Workstream.code), Workstream.id)
    )
    rows = []
    for ws, code in session.execute(query):
        c = counts.get(ws, _Counts())
        late = 0 if c.earliest_overdue is None else (scope.as_of - c.earliest_overdue).days
        title, forecast, baseline = nexts.get(ws, (None, None, None))
        rows.append(
            WorkstreamSchedule(
                ws, code, c.complete, c.due, c.overdue, late, title, forecast, baseline
            )
        )
    return tuple(rows)


def schedule(session: Session, scope: Scope) -> ScheduleFigures:
    """The programme's schedule figures at D, for the scope's audience."""
    counts = _counts(session, scope)
    totals = counts.values()
    return ScheduleFigures(
        milestones=sum(c.milestones for c in totals),
        milestones_complete=sum(c.complete for c in totals),
        milestones_due=sum(c.due for c in totals),
        milestones_overdue=sum(c.overdue for c in totals),
        max_slip_days=_max_slip(session, scope),
        next_90_days=_upcoming(session, scope),
        workstreams=_workstream_rows(session, scope, counts),
    )


def trend(
    session: Session, scope: Scope, workstream_id: int | None = None
) -> tuple[TrendSeries, ...]:
    """Each visible milestone's forecast history as reported on or before D.

    The history is what was known at D, so later reports are left out; a milestone with
    no report by D still has its series (empty), so the chart can list it.
    """
    d = scope.as_of
    query = (
        _milestones(
            scope,
            Milestone.id,
            Workstream.code,
            Milestone.title,
            Milestone.baseline_date,
            MilestoneForecast.reported_on,
            MilestoneForecast.forecast_date,
        )
        .outerjoin(
            MilestoneForecast,
            and_(
                MilestoneForecast.milestone_id == Milestone.id,
                MilestoneForecast.reported_on <= d,
                scope.visible(MilestoneForecast),
            ),
        )
        .order_by(
            bytewise(Workstream.code),
            Milestone.baseline_date,
            Milestone.id,
            MilestoneForecast.reported_on,
            MilestoneForecast.id,
        )
    )
    if workstream_id is not None:
        query = query.where(Milestone.workstream_id == workstream_id)
    series = []
    for _, group in groupby(session.execute(query), key=lambda row: row[0]):
        rows = list(group)
        milestone_id, code, title, baseline = rows[0][:4]
        points = tuple((r[4], r[5]) for r in rows if r[4] is not None)
        series.append(TrendSeries(milestone_id, code, title, baseline, points))
    return tuple(series)
