"""Schedule figures and the milestone-trend series, checked against hand-worked values.

The fixture (status date D = 2025-06-30, so D + 90 days = 2025-09-28):

    WS-B is created before WS-A, so id order and code order differ.
    milestone               baseline  forecast  actual   at D
    WS-A  A1 Design review  03-31     04-10     04-10    complete, due          slip +10
          A2 Rig build      06-30     06-29     -        due (baseline = D), overdue 1 day,
                                                         slip -1
          A3 Rig test       07-01     06-30     -        not due, not overdue (forecast = D),
                                                         slip -1
          A4 Software drop  05-01     05-20     07-05    due; actual after D, so not complete
                                                         and overdue 41 days; slip +19
          A5 Qualification  08-01     09-28     -        slip +58 (31 + 27)
    WS-B  B1 Trials readiness  09-01  09-28     -        slip +27
          B2 Acceptance        09-10  09-28     -        slip +18 (created after B1)
          B3 Sea trials        09-01  09-29     -        slip +28, one day past D + 90
          B4 Seeker handover   06-01  06-15     -        releasable to RUS only: due, overdue
                                                         15 days, slip +14
    WS-C  no milestones
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.database import Database
from app.services import milestones, workstreams
from app.services.analytics_schedule import (
    ScheduleFigures,
    TrendSeries,
    UpcomingMilestone,
    WorkstreamSchedule,
    schedule,
    trend,
)
from app.services.analytics_scope import Scope
from app.services.audience import Audience
from app.services.milestones import MilestoneDraft, MilestoneRow
from app.services.workstreams import WorkstreamDraft
from tests.conftest import Fixture

START = date(2025, 1, 1)  # every test workstream's baseline start
REPORTED = date(2025, 1, 15)  # when the fixtures' first forecasts were reported
D = date(2025, 6, 30)


def add_workstream(
    db: Database,
    programme: Fixture,
    code: str,
    budget_minor: int = 0,
    releasable_to: str | None = None,
) -> int:
    draft = WorkstreamDraft(
        code=code,
        title=f"Workstream {code}",
        kind="joint R&D",
        phase="development",
        trl_now=4,
        trl_target=7,
        mrl_now=3,
        mrl_target=8,
        baseline_start=START,
        baseline_finish=date(2027, 12, 31),
        budget_minor=budget_minor,
        releasable_to=releasable_to,
    )
    return workstreams.create_workstream(db, programme.programme_id, draft).id


def add_milestone(
    db: Database,
    workstream_id: int,
    title: str,
    baseline: date,
    forecast: date,
    actual: date | None = None,
    weight: int = 1,
    releasable_to: str | None = None,
    reported_on: date = REPORTED,
) -> MilestoneRow:
    draft = MilestoneDraft(
        title=title,
        baseline_date=baseline,
        forecast_date=forecast,
        actual_date=actual,
        value_weight=weight,
        releasable_to=releasable_to,
    )
    return milestones.create_milestone(db, workstream_id, draft, reported_on=reported_on)


def scope_at(session: Session, programme: Fixture, as_of: date, audience: str = "joint") -> Scope:
    return Scope.of(session, programme.programme_id, as_of, Audience.parse(audience))


def day(month: int, dom: int) -> date:
    return date(2025, month, dom)


@dataclass
class Plan:
    ws: dict[str, int]
    ms: dict[str, MilestoneRow]


@pytest.fixture
def plan(db: Database, programme: Fixture) -> Plan:
    ws = {code: add_workstream(db, programme, code) for code in ("WS-B", "WS-A", "WS-C")}
    a, b = ws["WS-A"], ws["WS-B"]
    rows = [
        add_milestone(db, a, "Design review", day(3, 31), day(4, 10), day(4, 10)),
        add_milestone(db, a, "Rig build", day(6, 30), day(6, 29)),
        add_milestone(db, a, "Rig test", day(7, 1), day(6, 30)),
        add_milestone(db, a, "Software drop", day(5, 1), day(5, 20), day(7, 5)),
        add_milestone(db, a, "Qualification", day(8, 1), day(9, 28)),
        add_milestone(db, b, "Trials readiness", day(9, 1), day(9, 28)),
        add_milestone(db, b, "Acceptance", day(9, 10), day(9, 28)),
        add_milestone(db, b, "Sea trials", day(9, 1), day(9, 29)),
        add_milestone(db, b, "Seeker handover", day(6, 1), day(6, 15), releasable_to="RUS"),
    ]
    return Plan(ws, {row.title: row for row in rows})


def figures(
    db: Database, programme: Fixture, as_of: date, audience: str = "joint"
) -> ScheduleFigures:
    with db.read() as session:
        return schedule(session, scope_at(session, programme, as_of, audience))


def test_counts_slip_and_next_90_days_for_joint(
    db: Database, programme: Fixture, plan: Plan
) -> None:
    result = figures(db, programme, D)
    # Joint sees A1-A5 and B1-B3 (B4 is RUS only): 8 milestones.
    # complete: A1 only (A4's actual 07-05 is after D) = 1
    # due: baselines <= 06-30: A1, A2 (= D), A4 = 3
    # overdue: open with forecast < D: A2 (06-29), A4 (05-20) = 2; A3 (forecast = D) is not
    # max slip: max(10, -1, -1, 19, 58, 27, 18, 28) = 58 (A5)
    assert (
        result.milestones,
        result.milestones_complete,
        result.milestones_due,
        result.milestones_overdue,
        result.max_slip_days,
    ) == (8, 1, 3, 2, 58)
    # Open with D <= forecast <= 09-28, by forecast, workstream code, milestone id:
    # A3 (06-30), then on 09-28: A5 (WS-A), B1, B2 (WS-B, B1 created first); B3 (09-29) out.
    assert result.next_90_days == (
        UpcomingMilestone("WS-A", "Rig test", day(6, 30), -1),
        UpcomingMilestone("WS-A", "Qualification", day(9, 28), 58),
        UpcomingMilestone("WS-B", "Trials readiness", day(9, 28), 27),
        UpcomingMilestone("WS-B", "Acceptance", day(9, 28), 18),
    )


def test_workstream_rows(db: Database, programme: Fixture, plan: Plan) -> None:
    result = figures(db, programme, D)
    # WS-A: most overdue is A4, forecast 05-20: 11 days left in May + 30 in June = 41.
    # Its next milestone is the open one with the earliest forecast on or after D: A3.
    # WS-B: B1 and B2 both forecast 09-28; the tie goes to the lower id, B1.
    assert result.workstreams == (
        WorkstreamSchedule(plan.ws["WS-A"], "WS-A", 1, 3, 2, 41, "Rig test", day(6, 30), day(7, 1)),
        WorkstreamSchedule(
            plan.ws["WS-B"], "WS-B", 0, 0, 0, 0, "Trials readiness", day(9, 28), day(9, 1)
        ),
        WorkstreamSchedule(plan.ws["WS-C"], "WS-C", 0, 0, 0, 0, None, None, None),
    )


def test_national_audience_sees_its_own_milestone(
    db: Database, programme: Fixture, plan: Plan
) -> None:
    result = figures(db, programme, D, "national:RUS")
    # B4 joins: 9 milestones, due 3 + 1, overdue 2 + 1; its slip 14 does not beat 58.
    assert (
        result.milestones,
        result.milestones_complete,
        result.milestones_due,
        result.milestones_overdue,
        result.max_slip_days,
    ) == (9, 1, 4, 3, 58)
    # WS-B: B4 overdue since 06-15, 15 days; B4's forecast is before D, so the next is still B1.
    assert result.workstreams[1] == WorkstreamSchedule(
        plan.ws["WS-B"], "WS-B", 0, 1, 1, 15, "Trials readiness", day(9, 28), day(9, 1)
    )
    assert len(result.next_90_days) == 4


def test_later_status_date_completes_a4_with_its_actual_slip(
    db: Database, programme: Fixture, plan: Plan
) -> None:
    result = figures(db, programme, day(7, 10))
    # At 07-10 A4 is complete (actual 07-05): slip = actual - baseline = 05-01 -> 07-05 =
    # 30 + 30 + 5 = 65, now the largest. complete A1, A4 = 2; due: A1, A2, A3 (07-01),
    # A4 = 4; overdue: A2 (06-29) and A3 (06-30) = 2.
    assert (
        result.milestones_complete,
        result.milestones_due,
        result.milestones_overdue,
        result.max_slip_days,
    ) == (2, 4, 2, 65)


@pytest.mark.parametrize(
    ("as_of", "complete", "due", "overdue"),
    [
        # A1: baseline 03-31, forecast and actual 04-10.
        (day(3, 30), 0, 0, 0),  # before its baseline: nothing
        (day(3, 31), 0, 1, 0),  # baseline = D: due
        (day(4, 9), 0, 1, 0),  # not achieved yet (actual after D), forecast not passed
        (day(4, 10), 1, 1, 0),  # actual = D: complete, so never overdue
    ],
)
def test_boundaries_of_one_milestone(
    db: Database, programme: Fixture, as_of: date, complete: int, due: int, overdue: int
) -> None:
    ws = add_workstream(db, programme, "WS-X")
    add_milestone(db, ws, "Design review", day(3, 31), day(4, 10), day(4, 10))
    result = figures(db, programme, as_of)
    assert (result.milestones_complete, result.milestones_due, result.milestones_overdue) == (
        complete,
        due,
        overdue,
    )
    # Before 04-10 the slip uses the forecast, from then the actual: 10 days either way.
    assert result.max_slip_days == 10


def test_no_milestones(db: Database, programme: Fixture) -> None:
    add_workstream(db, programme, "WS-X")
    result = figures(db, programme, D)
    assert (result.milestones, result.max_slip_days, result.next_90_days) == (0, None, ())
    assert result.to_json() == {
        "milestones_complete": 0,
        "milestones_due": 0,
        "milestones_overdue": 0,
        "max_slip_days": None,
        "next_90_days": [],
    }


def test_json_shape(db: Database, programme: Fixture, plan: Plan) -> None:
    result = figures(db, programme, D).to_json()
    assert list(result) == [
        "milestones_complete",
        "milestones_due",
        "milestones_overdue",
        "max_slip_days",
        "next_90_days",
    ]
    assert result["next_90_days"][0] == {
        "workstream": "WS-A",
        "milestone": "Rig test",
        "forecast": "2025-06-30",
        "slip_days": -1,
    }


def test_trend_series(db: Database, programme: Fixture, plan: Plan) -> None:
    rig_build = plan.ms["Rig build"]
    moved = milestones.update_milestone(
        db,
        rig_build.id,
        rig_build.version,
        replace(rig_build.edit(), forecast_date=day(6, 25)),
        reported_on=day(3, 1),
    )
    # Reported after D: not part of the history as known at D.
    milestones.update_milestone(
        db,
        moved.id,
        moved.version,
        replace(moved.edit(), forecast_date=day(7, 20)),
        reported_on=day(7, 5),
    )
    late = add_milestone(
        db, plan.ws["WS-C"], "Late entry", day(8, 1), day(8, 1), reported_on=day(7, 1)
    )
    with db.read() as session:
        scope = scope_at(session, programme, D)
        series = trend(session, scope)
        only_a = trend(session, scope, plan.ws["WS-A"])
        rus = trend(session, scope_at(session, programme, D, "national:RUS"), plan.ws["WS-B"])
    # By workstream code, then baseline, then id: WS-A by baseline A1 (03-31), A4 (05-01),
    # A2 (06-30), A3 (07-01), A5 (08-01); WS-B B1 and B3 (both 09-01, B1 first), B2
    # (09-10); WS-C the late entry, whose only report (07-01) is after D. B4 is RUS only.
    assert [(s.workstream_code, s.title) for s in series] == [
        ("WS-A", "Design review"),
        ("WS-A", "Software drop"),
        ("WS-A", "Rig build"),
        ("WS-A", "Rig test"),
        ("WS-A", "Qualification"),
        ("WS-B", "Trials readiness"),
        ("WS-B", "Sea trials"),
        ("WS-B", "Acceptance"),
        ("WS-C", "Late entry"),
    ]
    assert series[2] == TrendSeries(
        rig_build.id,
        "WS-A",
        "Rig build",
        day(6, 30),
        ((REPORTED, day(6, 29)), (day(3, 1), day(6, 25))),
    )
    assert series[0].points == ((REPORTED, day(4, 10)),)
    assert series[-1] == TrendSeries(late.id, "WS-C", "Late entry", day(8, 1), ())
    assert only_a == series[:5]
    # national:RUS sees B4 (baseline 06-01) first in WS-B.
    assert [s.title for s in rus] == [
        "Seeker handover",
        "Trials readiness",
        "Sea trials",
        "Acceptance",
    ]
