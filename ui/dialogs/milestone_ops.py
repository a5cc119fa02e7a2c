"""Milestone changes as undoable steps: edits, re-baselining, and deletion with its history.

A milestone's baseline moves only by re-baselining, and the baseline and forecast
histories are append-only records (DOMAIN.md). So the undo of a step that moved a date
never erases history; it moves the date back *by the same kind of recorded act*:
- undoing a re-baselining re-baselines back to the old date, which adds a second
  baseline-history row: reason "Undo: …" (naming the re-baselining it reverses), the
  same approving authority and approval date; redo re-baselines forward again (a third
  row). The history thus shows the mistake and its correction, as an audit would want;
- undoing a forecast change (an ordinary edit) adds a forecast-history row reported
  today, as any forecast change does;
- undoing a deletion raises the milestone again and replays its recorded history
  through the services (first baseline and forecast, then every forecast change and
  re-baselining with their original dates, reasons and authorities), so the trend chart
  and the baseline history come back as they were, under a new id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from app.database import Database
from app.errors import Problem, ValidationError
from app.services import milestones
from app.services.milestones import (
    BaselineRow,
    ForecastRow,
    MilestoneDraft,
    MilestoneEdit,
    MilestoneRow,
)
from app.services.validation import TEXT_MAX
from ui.undo import ChangedSince, DeleteCommand, RecordCommand, RecordOps, values_of


@dataclass(frozen=True)
class MilestoneForm:
    """What the milestone dialog edits: a new milestone's draft, with its workstream.

    For an existing milestone `workstream_id` and `baseline_date` are shown, never
    changed: a milestone stays in its workstream, and its baseline moves only by
    re-baselining.
    """

    workstream_id: int | None
    title: str
    baseline_date: date
    forecast_date: date
    acceptance_criteria: str = ""
    actual_date: date | None = None
    value_weight: int = 1
    marking: int = 0
    releasable_to: str | None = None

    def new(self) -> MilestoneDraft:
        return MilestoneDraft(
            title=self.title,
            baseline_date=self.baseline_date,
            forecast_date=self.forecast_date,
            acceptance_criteria=self.acceptance_criteria,
            actual_date=self.actual_date,
            value_weight=self.value_weight,
            marking=self.marking,
            releasable_to=self.releasable_to,
        )

    def edit(self) -> MilestoneEdit:
        return MilestoneEdit(
            title=self.title,
            forecast_date=self.forecast_date,
            acceptance_criteria=self.acceptance_criteria,
            actual_date=self.actual_date,
            value_weight=self.value_weight,
            marking=self.marking,
            releasable_to=self.releasable_to,
        )


@dataclass(frozen=True)
class RebaselineForm:
    """One re-baselining as the user enters it: all four are required."""

    new_date: date
    reason: str
    authority: str
    approved_on: date


def form_of(row: MilestoneRow) -> MilestoneForm:
    return MilestoneForm(
        workstream_id=row.workstream_id,
        title=row.title,
        baseline_date=row.baseline_date,
        forecast_date=row.forecast_date,
        acceptance_criteria=row.acceptance_criteria,
        actual_date=row.actual_date,
        value_weight=row.value_weight,
        marking=row.marking,
        releasable_to=row.releasable_to,
    )


def create_milestone(db: Database, form: MilestoneForm) -> MilestoneRow:
    if form.workstream_id is None:
        raise ValidationError([Problem("workstream_id", "must be chosen")])
    return milestones.create_milestone(db, form.workstream_id, form.new())


def milestone_ops(db: Database) -> RecordOps[MilestoneRow, MilestoneForm]:
    """The milestone register's use-cases for dialogs and undo."""
    return RecordOps(
        db=db,
        entity="milestone",
        create=lambda form: create_milestone(db, form),
        update=lambda milestone_id, version, form: milestones.update_milestone(
            db, milestone_id, version, form.edit()
        ),
        delete=lambda milestone_id, version: milestones.delete_milestone(db, milestone_id, version),
        get=lambda milestone_id: milestones.get_milestone(db, milestone_id),
        draft_of=form_of,
        label=lambda row: row.title,
        snapshot=lambda row: (
            tuple(milestones.forecast_history(db, row.id)),
            tuple(milestones.baseline_history(db, row.id)),
        ),
    )


def _undo_reason(form: RebaselineForm, old: date) -> str:
    text = QApplication.translate(
        "Undo", "Undo: re-baselining from {old} to {new} withdrawn ({reason})"
    )
    reason = form.reason
    room = TEXT_MAX - len(text.format(old=old, new=form.new_date, reason=""))
    if len(reason) > room:
        reason = reason[: max(room - 1, 0)] + "…"
    return text.format(old=old, new=form.new_date, reason=reason)


class RebaselineCommand(RecordCommand[MilestoneRow, MilestoneForm]):
    """A re-baselining: undo re-baselines back (recorded too), redo forward again."""

    def __init__(
        self,
        ops: RecordOps[MilestoneRow, MilestoneForm],
        stack: QUndoStack,
        before: MilestoneRow,
        form: RebaselineForm,
        *,
        done: bool = True,
    ) -> None:
        text = QApplication.translate("Undo", "Re-baseline milestone {label} to {date}").format(
            label=ops.label(before), date=form.new_date.isoformat()
        )
        super().__init__(ops, stack, text, done=done)
        self.record_id = before.id
        self.old_date = before.baseline_date
        self.form = form

    def apply(self) -> None:
        self._move(self.old_date, self.form.new_date, self.form.reason)

    def revert(self) -> None:
        self._move(self.form.new_date, self.old_date, _undo_reason(self.form, self.old_date))

    def _move(self, source: date, target: date, reason: str) -> None:
        current = self._current(self.record_id)
        if current.baseline_date != source:
            raise ChangedSince(self.ops.entity, current.id, values_of(current), ["baseline_date"])
        milestones.rebaseline(
            self.ops.db,
            current.id,
            current.version,
            target,
            reason,
            self.form.authority,
            self.form.approved_on,
        )


def replay(
    db: Database,
    form: MilestoneForm,
    forecasts: tuple[ForecastRow, ...],
    baselines: tuple[BaselineRow, ...],
) -> MilestoneRow:
    """Raise a deleted milestone again with its forecast and baseline history."""
    first_baseline = baselines[0].old_date if baselines else form.baseline_date
    first_forecast = forecasts[0] if forecasts else None
    start = replace(
        form,
        baseline_date=first_baseline,
        forecast_date=first_forecast.forecast_date if first_forecast else form.forecast_date,
    )
    assert form.workstream_id is not None
    row = milestones.create_milestone(
        db,
        form.workstream_id,
        start.new(),
        reported_on=first_forecast.reported_on if first_forecast else None,
    )
    events: list[tuple[date, int, int, ForecastRow | BaselineRow]] = [
        (f.reported_on, 0, f.id, f) for f in forecasts[1:]
    ] + [(b.approved_on, 1, b.id, b) for b in baselines]
    for _on, _kind, _id, event in sorted(events, key=lambda e: e[:3]):
        if isinstance(event, ForecastRow):
            if event.forecast_date != row.forecast_date:
                edit = replace(form, forecast_date=event.forecast_date).edit()
                row = milestones.update_milestone(
                    db, row.id, row.version, edit, reported_on=event.reported_on
                )
        elif event.new_date != row.baseline_date:
            row = milestones.rebaseline(
                db,
                row.id,
                row.version,
                event.new_date,
                event.reason,
                event.authority,
                event.approved_on,
            )
    if row.forecast_date != form.forecast_date:
        row = milestones.update_milestone(db, row.id, row.version, form.edit())
    return row


class MilestoneDeleteCommand(DeleteCommand[MilestoneRow, MilestoneForm]):
    """Deleted milestones: undo raises them again with their histories (see `replay`)."""

    def revert(self) -> None:
        created: list[tuple[int, int]] = []
        with self.ops.db.begin():  # all of them, or none
            for record_id, (row, extra) in zip(self.ids, self.deleted, strict=True):
                forecasts, baselines = extra if isinstance(extra, tuple) else ((), ())
                new = replay(self.ops.db, form_of(row), forecasts, baselines)
                created.append((record_id, new.id))
        for old_id, new_id in created:
            self.ledger.remap(self.ops.entity, old_id, new_id)
