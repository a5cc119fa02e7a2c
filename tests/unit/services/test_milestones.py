"""The milestone service: validation, forecast history, re-baselining, optimistic locking."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import pytest

from app.database import Database
from app.errors import ConflictError, ValidationError
from app.services import milestones, workstreams
from app.services.milestones import MilestoneDraft, MilestoneEdit
from tests.conftest import Fixture, audit_count, workstream_draft

START = date(2025, 1, 1)  # every test workstream's baseline start


def a_draft(**changes: object) -> MilestoneDraft:
    draft = MilestoneDraft(
        title="Preliminary design review",
        baseline_date=date(2025, 6, 30),
        forecast_date=date(2025, 7, 15),
        acceptance_criteria="PDR board minutes signed by both partners",
        value_weight=2,
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def an_edit(**changes: object) -> MilestoneEdit:
    edit = MilestoneEdit(
        title="Preliminary design review",
        forecast_date=date(2025, 7, 15),
        acceptance_criteria="PDR board minutes signed by both partners",
        value_weight=2,
    )
    return replace(edit, **changes)  # type: ignore[arg-type]


def a_workstream(db: Database, programme: Fixture, code: str = "WS-RADAR") -> int:
    draft = workstream_draft(code=code, phase="design", baseline_start=START)
    return workstreams.create_workstream(db, programme.programme_id, draft).id


@pytest.fixture
def ws(db: Database, programme: Fixture) -> int:
    return a_workstream(db, programme)


def test_create_stores_first_forecast(db: Database, programme: Fixture, ws: int) -> None:
    before = audit_count(db)
    row = milestones.create_milestone(db, ws, a_draft(), reported_on=date(2025, 2, 1))
    assert (row.workstream_id, row.baseline_date, row.forecast_date) == (
        ws,
        date(2025, 6, 30),
        date(2025, 7, 15),
    )
    assert (row.version, row.value_weight, row.releasable_to) == (1, 2, "IND RUS")
    assert row.slip_days == 15
    assert milestones.get_milestone(db, row.id) == row
    assert milestones.list_milestones(db, programme.programme_id) == [row]
    [first] = milestones.forecast_history(db, row.id)
    assert (first.reported_on, first.forecast_date) == (date(2025, 2, 1), date(2025, 7, 15))
    assert audit_count(db) == before + 2  # the milestone and its first forecast


def test_forecast_is_reported_today_by_default(db: Database, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft())
    assert [f.reported_on for f in milestones.forecast_history(db, row.id)] == [date.today()]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "t" * 201),
        ("acceptance_criteria", "a" * 4001),
        ("baseline_date", None),
        ("forecast_date", None),
        ("baseline_date", date(2024, 12, 31)),
        ("forecast_date", date(2024, 12, 31)),
        ("actual_date", "soon"),
        ("value_weight", -1),
        ("value_weight", 0.5),
        ("marking", 5),
        ("releasable_to", "USA"),
    ],
)
def test_bad_value_is_named_and_changes_nothing(
    db: Database, programme: Fixture, ws: int, field: str, value: object
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        milestones.create_milestone(db, ws, a_draft(**{field: value}))
    assert err.value.field == field
    assert milestones.list_milestones(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_forecast_before_its_workstream_starts_is_rejected(db: Database, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft())
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        milestones.update_milestone(
            db, row.id, row.version, an_edit(forecast_date=date(2024, 12, 31))
        )
    assert err.value.field == "forecast_date"
    assert "WS-RADAR" in err.value.reason and "2025-01-01" in err.value.reason
    assert milestones.get_milestone(db, row.id) == row
    assert len(milestones.forecast_history(db, row.id)) == 1
    assert audit_count(db) == before


def test_dates_on_the_start_day_and_zero_weight_are_accepted(db: Database, ws: int) -> None:
    row = milestones.create_milestone(
        db, ws, a_draft(baseline_date=START, forecast_date=START, value_weight=0)
    )
    assert (row.baseline_date, row.forecast_date, row.value_weight) == (START, START, 0)


def test_an_edit_cannot_touch_the_baseline(db: Database, ws: int) -> None:
    assert "baseline_date" not in {f.name for f in fields(MilestoneEdit)}
    row = milestones.create_milestone(db, ws, a_draft())
    edited = milestones.update_milestone(db, row.id, row.version, an_edit(title="PDR"))
    assert (edited.title, edited.baseline_date, edited.version) == ("PDR", date(2025, 6, 30), 2)
    assert edited.edit() == an_edit(title="PDR", releasable_to="IND RUS")


def test_history_grows_only_when_the_forecast_moves(db: Database, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft(), reported_on=date(2025, 2, 1))
    row = milestones.update_milestone(
        db, row.id, row.version, an_edit(title="PDR"), reported_on=date(2025, 3, 1)
    )
    assert len(milestones.forecast_history(db, row.id)) == 1
    row = milestones.update_milestone(
        db,
        row.id,
        row.version,
        an_edit(title="PDR", forecast_date=date(2025, 9, 1)),
        reported_on=date(2025, 4, 1),
    )
    row = milestones.update_milestone(
        db,
        row.id,
        row.version,
        an_edit(title="PDR held", forecast_date=date(2025, 9, 1), actual_date=date(2025, 9, 3)),
        reported_on=date(2025, 9, 3),
    )
    history = milestones.forecast_history(db, row.id)
    assert [(f.reported_on, f.forecast_date) for f in history] == [
        (date(2025, 2, 1), date(2025, 7, 15)),
        (date(2025, 4, 1), date(2025, 9, 1)),
    ]
    assert (row.actual_date, row.slip_days) == (date(2025, 9, 3), 65)  # 30 Jun -> 3 Sep


def test_second_edit_of_same_version_is_a_conflict(db: Database, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft())
    first = milestones.update_milestone(db, row.id, row.version, an_edit(title="By officer A"))
    before = audit_count(db)
    with pytest.raises(ConflictError) as err:
        milestones.update_milestone(
            db, row.id, row.version, an_edit(forecast_date=date(2026, 1, 1))
        )
    assert err.value.current is not None
    assert err.value.current["title"] == "By officer A"
    assert milestones.get_milestone(db, row.id) == first
    assert len(milestones.forecast_history(db, row.id)) == 1
    assert audit_count(db) == before


def test_rebaseline_records_the_act(db: Database, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft())
    moved = milestones.rebaseline(
        db,
        row.id,
        row.version,
        date(2025, 9, 30),
        "Seeker test range unavailable",
        "Joint Steering Committee",
        date(2025, 5, 20),
    )
    assert (moved.baseline_date, moved.forecast_date, moved.version) == (
        date(2025, 9, 30),
        date(2025, 7, 15),
        2,
    )
    assert moved.slip_days == -77  # 15 Jul is 77 days before 30 Sep
    moved = milestones.rebaseline(
        db,
        row.id,
        moved.version,
        date(2025, 8, 31),
        "Range slot found",
        "Co-chairs",
        date(2025, 6, 10),
    )
    history = milestones.baseline_history(db, row.id)
    assert [(b.old_date, b.new_date, b.reason, b.authority, b.approved_on) for b in history] == [
        (
            date(2025, 6, 30),
            date(2025, 9, 30),
            "Seeker test range unavailable",
            "Joint Steering Committee",
            date(2025, 5, 20),
        ),
        (date(2025, 9, 30), date(2025, 8, 31), "Range slot found", "Co-chairs", date(2025, 6, 10)),
    ]
    # Re-baselining is not a forecast change.
    assert len(milestones.forecast_history(db, row.id)) == 1


@pytest.mark.parametrize(
    ("field", "new_date", "reason", "authority"),
    [
        ("new_date", date(2025, 6, 30), "Same date", "JSC"),  # the current baseline
        ("new_date", date(2024, 12, 31), "Too early", "JSC"),  # before the workstream
        ("reason", date(2025, 9, 30), "  ", "JSC"),
        ("authority", date(2025, 9, 30), "Range unavailable", ""),
        ("authority", date(2025, 9, 30), "Range unavailable", "a" * 201),
    ],
)
def test_bad_rebaseline_is_named_and_changes_nothing(
    db: Database, ws: int, field: str, new_date: date, reason: str, authority: str
) -> None:
    row = milestones.create_milestone(db, ws, a_draft())
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        milestones.rebaseline(
            db, row.id, row.version, new_date, reason, authority, date(2025, 5, 1)
        )
    assert err.value.field == field
    assert milestones.get_milestone(db, row.id) == row
    assert milestones.baseline_history(db, row.id) == []
    assert audit_count(db) == before


def test_rebaseline_of_stale_version_is_a_conflict(db: Database, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft())
    milestones.update_milestone(db, row.id, row.version, an_edit(title="PDR"))
    with pytest.raises(ConflictError):
        milestones.rebaseline(db, row.id, row.version, date(2025, 9, 30), "r", "JSC", date.today())
    assert milestones.baseline_history(db, row.id) == []


def test_history_rows_carry_the_milestone_protection(db: Database, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft(marking=1))
    row = milestones.rebaseline(db, row.id, row.version, date(2025, 9, 30), "r", "JSC", START)
    [forecast] = milestones.forecast_history(db, row.id)
    [baseline] = milestones.baseline_history(db, row.id)
    assert (forecast.marking, forecast.releasable_to) == (1, "IND RUS")
    assert (baseline.marking, baseline.releasable_to) == (1, "IND RUS")
    # Narrowing the milestone narrows its history too, or the trend chart would leak it.
    milestones.update_milestone(
        db, row.id, row.version, an_edit(marking=3, releasable_to="RUS", forecast_date=START)
    )
    forecasts = milestones.forecast_history(db, row.id)
    baselines = milestones.baseline_history(db, row.id)
    protections = {(f.marking, f.releasable_to) for f in forecasts} | {
        (b.marking, b.releasable_to) for b in baselines
    }
    assert protections == {(3, "RUS")}


def test_delete_removes_milestone_and_histories(db: Database, programme: Fixture, ws: int) -> None:
    row = milestones.create_milestone(db, ws, a_draft())
    row = milestones.update_milestone(db, row.id, row.version, an_edit(forecast_date=START))
    row = milestones.rebaseline(db, row.id, row.version, date(2025, 9, 30), "r", "JSC", START)
    with pytest.raises(ConflictError):
        milestones.delete_milestone(db, row.id, row.version - 1)
    before = audit_count(db)
    milestones.delete_milestone(db, row.id, row.version)
    assert milestones.list_milestones(db, programme.programme_id) == []
    assert milestones.forecast_history(db, row.id) == []
    assert milestones.baseline_history(db, row.id) == []
    assert audit_count(db) == before + 4  # two forecasts, one baseline, the milestone


def test_list_orders_by_workstream_code_then_baseline(
    db: Database, programme: Fixture, ws: int
) -> None:
    earlier_code = a_workstream(db, programme, code="WS-AAA")
    late = milestones.create_milestone(
        db, ws, a_draft(title="Late", baseline_date=date(2026, 1, 1))
    )
    early = milestones.create_milestone(db, ws, a_draft(title="Early"))
    twin = milestones.create_milestone(db, ws, a_draft(title="Twin"))  # same date as Early
    other = milestones.create_milestone(
        db, earlier_code, a_draft(title="Other", baseline_date=date(2027, 1, 1))
    )
    assert milestones.list_milestones(db, programme.programme_id) == [other, early, twin, late]
    assert milestones.list_milestones(db, programme.programme_id, ws) == [early, twin, late]
    assert milestones.list_milestones(db, programme.programme_id + 1) == []


# Milestones with their reported history, written together -----------------------------

REPORTS = (
    milestones.Report(an_edit(forecast_date=date(2025, 8, 1)), date(2025, 3, 1)),
    milestones.Report(an_edit(forecast_date=date(2025, 8, 1), title="PDR"), date(2025, 4, 1)),
    milestones.Report(an_edit(forecast_date=date(2025, 9, 1), title="PDR"), date(2025, 5, 1)),
)


def history_of(db: Database, milestone_id: int) -> tuple[object, ...]:
    row = milestones.get_milestone(db, milestone_id)
    forecasts = milestones.forecast_history(db, milestone_id)
    return (
        (row.title, row.forecast_date, row.version),
        [(f.reported_on, f.forecast_date, f.marking, f.releasable_to) for f in forecasts],
    )


def test_milestones_with_history_are_the_creates_and_updates_in_turn(
    db: Database, programme: Fixture, ws: int
) -> None:
    row = milestones.create_milestone(db, ws, a_draft(), reported_on=date(2025, 2, 1))
    for report in REPORTS:
        row = milestones.update_milestone(db, row.id, row.version, report.edit, report.reported_on)
    before = audit_count(db)
    with db.begin() as session:
        made = milestones.new_milestones(
            session,
            [
                milestones.MilestoneHistory(ws, a_draft(), date(2025, 2, 1), REPORTS),
                milestones.MilestoneHistory(ws, a_draft(title="CDR"), date(2025, 2, 1)),
            ],
        )
        ids = [m.id for m in made]
    assert history_of(db, ids[0]) == history_of(db, row.id)
    # Two milestones, four forecasts (one report kept the date), three changes.
    assert audit_count(db) == before + 2 + 4 + 3


def test_a_report_changing_the_protection_is_refused(
    db: Database, programme: Fixture, ws: int
) -> None:
    before = audit_count(db)
    narrower = milestones.Report(an_edit(releasable_to="IND"), date(2025, 3, 1))
    with pytest.raises(ValidationError) as err, db.begin() as session:
        milestones.new_milestones(
            session, [milestones.MilestoneHistory(ws, a_draft(), date(2025, 2, 1), (narrower,))]
        )
    assert [p.field for p in err.value.problems] == ["releasable_to"]
    assert audit_count(db) == before
