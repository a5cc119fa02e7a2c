"""Milestones, the history of their forecasts, and formal re-baselining.

The baseline is the date the partners agreed; it moves only by `rebaseline`, which
records who approved the move and why. Every change of forecast is kept with the date
it was reported, because the milestone-trend chart is drawn from that history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.errors import ValidationError
from app.models import Milestone, MilestoneBaseline, MilestoneForecast, Workstream
from app.services import protection, records
from app.services.collation import bytewise
from app.services.records import Draft, Row
from app.services.validation import TEXT_MAX, TITLE_MAX, Checker


@dataclass(frozen=True)
class MilestoneDraft(Draft):
    """A new milestone: the only time a baseline date is set without re-baselining."""

    title: str
    baseline_date: date
    forecast_date: date
    acceptance_criteria: str = ""
    actual_date: date | None = None
    value_weight: int = 1
    marking: int = 0
    releasable_to: str | None = None

    def edit(self) -> MilestoneEdit:
        """The same milestone as an ordinary edit, e.g. to report progress on it."""
        return MilestoneEdit(**{f: getattr(self, f) for f in MilestoneEdit.__dataclass_fields__})


@dataclass(frozen=True)
class MilestoneEdit(Draft):
    """What an ordinary edit may change: everything but the baseline date."""

    title: str
    forecast_date: date
    acceptance_criteria: str = ""
    actual_date: date | None = None
    value_weight: int = 1
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class Report:
    """A milestone's values as reported on a day: what `update_milestone` records."""

    edit: MilestoneEdit
    reported_on: date | None = None


@dataclass(frozen=True)
class MilestoneHistory:
    """A new milestone of a workstream, the day it was first reported, and the reports on
    it since."""

    workstream_id: int
    draft: MilestoneDraft
    reported_on: date | None = None
    reports: tuple[Report, ...] = ()


_KEEPS_PROTECTION = "a progress report keeps the milestone's protection; change it on its own"


@dataclass(frozen=True)
class MilestoneRow(Row):
    id: int
    version: int
    workstream_id: int
    title: str
    acceptance_criteria: str
    baseline_date: date
    forecast_date: date
    actual_date: date | None
    value_weight: int
    marking: int
    releasable_to: str

    @property
    def slip_days(self) -> int:
        """(actual or forecast) - baseline, in days; positive is late (DOMAIN.md)."""
        return ((self.actual_date or self.forecast_date) - self.baseline_date).days

    def edit(self) -> MilestoneEdit:
        """The editable part, e.g. to fill a dialog or to change one field."""
        return MilestoneEdit(**{f: getattr(self, f) for f in MilestoneEdit.__dataclass_fields__})


@dataclass(frozen=True)
class ForecastRow(Row):
    id: int
    milestone_id: int
    reported_on: date
    forecast_date: date
    marking: int
    releasable_to: str


@dataclass(frozen=True)
class BaselineRow(Row):
    id: int
    milestone_id: int
    old_date: date
    new_date: date
    reason: str
    authority: str
    approved_on: date
    marking: int
    releasable_to: str


def check_milestone(draft: MilestoneDraft | MilestoneEdit) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.text("title", draft.title, max_len=TITLE_MAX)
    check.text("acceptance_criteria", draft.acceptance_criteria, required=False, max_len=TEXT_MAX)
    if isinstance(draft, MilestoneDraft):
        check.is_date("baseline_date", draft.baseline_date)
    check.is_date("forecast_date", draft.forecast_date)
    check.is_date("actual_date", draft.actual_date, required=False)
    check.whole("value_weight", draft.value_weight, 0)
    return check


def check_rebaseline(new_date: date, reason: str, authority: str, approved_on: date) -> Checker:
    check = Checker()
    check.is_date("new_date", new_date)
    check.text("reason", reason, max_len=TEXT_MAX)
    check.text("authority", authority, max_len=TITLE_MAX)
    check.is_date("approved_on", approved_on)
    return check


def _not_before_start(check: Checker, workstream: Workstream, field: str, value: date) -> None:
    """A milestone is a step of its workstream, so it cannot fall before the work starts."""
    if check.ok(field) and value < workstream.baseline_start:
        check.add(
            field,
            f"must not be before workstream {workstream.code} starts ({workstream.baseline_start})",
        )


def _check_in_workstream(
    session: Session, check: Checker, workstream: Workstream, draft: MilestoneDraft | MilestoneEdit
) -> dict[str, object]:
    """Check the dates against the workstream; returns the protection to store.

    A milestone reveals its workstream, so it is protected at least as closely
    (`protection.inherit_protection`): by default exactly like it.
    """
    if isinstance(draft, MilestoneDraft):
        _not_before_start(check, workstream, "baseline_date", draft.baseline_date)
    _not_before_start(check, workstream, "forecast_date", draft.forecast_date)
    marking, releasable = protection.inherit_protection(
        session, check, workstream.programme_id, workstream, draft.marking, draft.releasable_to
    )
    return {"marking": marking, "releasable_to": releasable}


def _check_reported_on(check: Checker, reported_on: date | None) -> date:
    """The day a forecast was reported: today unless the caller says when."""
    check.is_date("reported_on", reported_on, required=False)
    return date.today() if reported_on is None else reported_on


def _checked(
    session: Session, workstream: Workstream, draft: MilestoneDraft | MilestoneEdit, on: date | None
) -> tuple[dict[str, Any], date]:
    """The columns to store for `draft` (its protection resolved) and the day it was reported."""
    check = check_milestone(draft)
    reported = _check_reported_on(check, on)
    guarded = _check_in_workstream(session, check, workstream, draft)
    check.done()
    return {**draft.columns(), **guarded}, reported


def _record_forecast(
    session: Session, milestone_id: int, values: dict[str, Any], reported_on: date
) -> None:
    """Add to the trend history the forecast in `values` (the milestone's columns as they
    now are); the row tells as much as its milestone, so it is as protected."""
    records.add(
        session,
        MilestoneForecast,
        {
            "marking": values["marking"],
            "releasable_to": values["releasable_to"],
            "milestone_id": milestone_id,
            "reported_on": reported_on,
            "forecast_date": values["forecast_date"],
        },
    )


def _forecasts_of(session: Session, milestone_id: int) -> list[MilestoneForecast]:
    return list(
        session.scalars(
            select(MilestoneForecast)
            .where(MilestoneForecast.milestone_id == milestone_id)
            .order_by(MilestoneForecast.reported_on, MilestoneForecast.id)
        )
    )


def _baselines_of(session: Session, milestone_id: int) -> list[MilestoneBaseline]:
    return list(
        session.scalars(
            select(MilestoneBaseline)
            .where(MilestoneBaseline.milestone_id == milestone_id)
            .order_by(MilestoneBaseline.approved_on, MilestoneBaseline.id)
        )
    )


def new_milestone(
    session: Session, workstream_id: int, draft: MilestoneDraft, reported_on: date | None = None
) -> Milestone:
    """Check and write a new milestone; its first forecast, which starts the trend
    history, is queued for the unit of work's next flush (`records.add`)."""
    return new_milestones(session, [MilestoneHistory(workstream_id, draft, reported_on)])[0]


def new_milestones(session: Session, histories: Sequence[MilestoneHistory]) -> list[Milestone]:
    """Check and write new milestones with the progress reported on them since: as
    `create_milestone` for each and then `update_milestone` for each report, but in a
    few writes rather than one per milestone and report.

    The milestones are written together, then their forecast history is queued in order;
    each report is still a change of its own (and audit entry), all first reports written
    together, then all second ones, and so on (`records.assign_in_turn`). A report keeps
    its milestone's protection (`update_milestone` changes it, with its history's).
    Nothing is written unless every milestone and report passes its checks.
    """
    checked = []
    for history in histories:
        workstream = records.get(session, Workstream, history.workstream_id)
        values, reported = _checked(session, workstream, history.draft, history.reported_on)
        reports = [_checked(session, workstream, r.edit, r.reported_on) for r in history.reports]
        for field in ("marking", "releasable_to"):
            if any(report[field] != values[field] for report, _ in reports):
                raise ValidationError.one(field, _KEEPS_PROTECTION)
        checked.append(({**values, "workstream_id": workstream.id}, reported, reports))
    made = [records.add(session, Milestone, values) for values, _, _ in checked]
    session.flush()  # the forecast history names each milestone by its id
    changes: list[tuple[Milestone, list[dict[str, Any]]]] = []
    for milestone, (values, reported, reports) in zip(made, checked, strict=True):
        _record_forecast(session, milestone.id, values, reported)
        forecast = values["forecast_date"]
        for report, on in reports:
            if report["forecast_date"] != forecast:
                forecast = report["forecast_date"]
                _record_forecast(session, milestone.id, report, on)
        changes.append((milestone, [report for report, _ in reports]))
    records.assign_in_turn(session, changes)
    return made


def create_milestone(
    db: Database, workstream_id: int, draft: MilestoneDraft, reported_on: date | None = None
) -> MilestoneRow:
    """Add a milestone; its first forecast starts the trend history."""
    with db.begin() as session:
        return MilestoneRow.of(new_milestone(session, workstream_id, draft, reported_on))


def update_milestone(
    db: Database,
    milestone_id: int,
    version: int,
    edit: MilestoneEdit,
    reported_on: date | None = None,
) -> MilestoneRow:
    """Edit a milestone; a new forecast date is added to the history as reported on."""
    with db.begin() as session:
        milestone = records.for_update(session, Milestone, milestone_id, version)
        workstream = records.get(session, Workstream, milestone.workstream_id)
        values, reported = _checked(session, workstream, edit, reported_on)
        moved = milestone.forecast_date != edit.forecast_date
        # Narrowing the milestone narrows its history too, or the trend chart would leak it.
        protection.assign_and_propagate(session, milestone, values)
        if moved:
            _record_forecast(session, milestone.id, values, reported)
        return MilestoneRow.of(milestone)


def rebaseline(
    db: Database,
    milestone_id: int,
    version: int,
    new_date: date,
    reason: str,
    authority: str,
    approved_on: date,
) -> MilestoneRow:
    """Move the agreed baseline, recording the old and new dates, why, and who approved."""
    check = check_rebaseline(new_date, reason, authority, approved_on)
    with db.begin() as session:
        milestone = records.for_update(session, Milestone, milestone_id, version)
        workstream = records.get(session, Workstream, milestone.workstream_id)
        if check.ok("new_date") and new_date == milestone.baseline_date:
            check.add("new_date", f"is already the baseline ({new_date})")
        _not_before_start(check, workstream, "new_date", new_date)
        check.done()
        # Written with the milestone's change, as the record of why it changed.
        records.add(
            session,
            MilestoneBaseline,
            {
                **protection.same_protection(milestone),
                "milestone_id": milestone.id,
                "old_date": milestone.baseline_date,
                "new_date": new_date,
                "reason": reason,
                "authority": authority,
                "approved_on": approved_on,
            },
        )
        records.assign(session, milestone, {"baseline_date": new_date})
        return MilestoneRow.of(milestone)


def delete_milestone(db: Database, milestone_id: int, version: int) -> None:
    """Delete a milestone with its forecast and baseline histories (they mean nothing alone)."""
    with db.begin() as session:
        milestone = records.for_update(session, Milestone, milestone_id, version)
        records.remove(session, _forecasts_of(session, milestone_id))
        records.remove(session, _baselines_of(session, milestone_id))
        records.remove(session, [milestone])


def get_milestone(db: Database, milestone_id: int) -> MilestoneRow:
    with db.read() as session:
        return MilestoneRow.of(records.get(session, Milestone, milestone_id))


def list_milestones(
    db: Database, programme_id: int, workstream_id: int | None = None
) -> list[MilestoneRow]:
    """A programme's milestones (or one workstream's), by workstream, then baseline date."""
    query = (
        select(Milestone)
        .join(Workstream, Workstream.id == Milestone.workstream_id)
        .where(Workstream.programme_id == programme_id)
        .order_by(bytewise(Workstream.code), Milestone.baseline_date, Milestone.id)
    )
    if workstream_id is not None:
        query = query.where(Milestone.workstream_id == workstream_id)
    with db.read() as session:
        return [MilestoneRow.of(m) for m in session.scalars(query)]


def forecast_history(db: Database, milestone_id: int) -> list[ForecastRow]:
    """Forecasts as reported, oldest first: the milestone-trend chart's series."""
    with db.read() as session:
        return [ForecastRow.of(f) for f in _forecasts_of(session, milestone_id)]


def baseline_history(db: Database, milestone_id: int) -> list[BaselineRow]:
    """Re-baselinings, oldest approval first."""
    with db.read() as session:
        return [BaselineRow.of(b) for b in _baselines_of(session, milestone_id)]
