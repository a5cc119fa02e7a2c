"""Workstreams and milestones listed a page at a time: scope, sorting, filters, state, slip."""

from __future__ import annotations

from datetime import date

import pytest

from app.database import Database
from app.services import listing, listing_schedule, milestones, programmes, workstreams
from app.services.listing_schedule import MILESTONES, WORKSTREAMS, MilestoneListRow
from app.services.milestones import MilestoneDraft
from app.services.programmes import PartnerDraft, ProgrammeDraft
from app.services.workstreams import WorkstreamRow
from tests.conftest import Fixture, workstream_draft

TODAY = date(2025, 9, 1)


@pytest.fixture(autouse=True)
def status_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing_schedule, "today", lambda: TODAY)


@pytest.fixture
def three(db: Database, programme: Fixture) -> list[WorkstreamRow]:
    """Three workstreams whose sortable columns order them differently (hand-checked)."""
    pid = programme.programme_id
    table = [
        # code, title, kind, phase, status, lead, TRL now, finish, forecast, budget
        ("WS-B", "Seeker co-production", "co-production", "production", "on hold",
         programme.russia_org, 7, date(2027, 6, 30), date(2027, 9, 30), 500),
        ("WS-A", "Radar joint development", "joint R&D", "design", "active",
         programme.india_org, 4, date(2028, 3, 31), None, 9000),
        ("WS-C", "Trials at Chandipur", "trials and certification", "concept", "not started",
         None, 6, date(2026, 12, 31), date(2026, 11, 30), 0),
    ]  # fmt: skip
    rows = []
    for code, title, kind, phase, status, lead, trl, finish, forecast, budget in table:
        draft = workstream_draft(
            code=code,
            title=title,
            kind=kind,
            phase=phase,
            status=status,
            lead_organisation_id=lead,
            trl_now=trl,
            trl_target=9,
            baseline_finish=finish,
            forecast_finish=forecast,
            budget_minor=budget,
        )
        rows.append(workstreams.create_workstream(db, pid, draft))
    return rows


def another_programme(db: Database) -> programmes.ProgrammeRow:
    return programmes.create_programme(
        db,
        ProgrammeDraft("JP-OTHER", "Other", "INR", date(2024, 1, 1)),
        [PartnerDraft("IND", "India"), PartnerDraft("RUS", "Russia")],
    )


def codes(rows: list[WorkstreamRow]) -> list[str]:
    return [r.code for r in rows]


def a_page(db: Database, spec: listing.ListSpec, pid: int, **options: object) -> tuple[list, int]:  # type: ignore[type-arg]
    args: dict[str, object] = {
        "sort": None,
        "descending": False,
        "text": "",
        "offset": 0,
        "limit": 100,
        **options,
    }
    return listing.page(db, spec, pid, **args)  # type: ignore[arg-type]


# Workstreams ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("code", False, ["WS-A", "WS-B", "WS-C"]),
        ("code", True, ["WS-C", "WS-B", "WS-A"]),
        ("title", False, ["WS-A", "WS-B", "WS-C"]),
        ("kind", False, ["WS-B", "WS-A", "WS-C"]),
        # Lifecycle order, not alphabetical: concept, design, ..., production.
        ("phase", False, ["WS-C", "WS-A", "WS-B"]),
        # not started, active, on hold, complete, cancelled.
        ("status", False, ["WS-C", "WS-A", "WS-B"]),
        ("trl_now", True, ["WS-B", "WS-C", "WS-A"]),
        ("baseline_finish", False, ["WS-C", "WS-B", "WS-A"]),
        # No forecast last in both directions.
        ("forecast_finish", False, ["WS-C", "WS-B", "WS-A"]),
        ("forecast_finish", True, ["WS-B", "WS-C", "WS-A"]),
        ("budget_minor", True, ["WS-A", "WS-B", "WS-C"]),
        (None, False, ["WS-B", "WS-A", "WS-C"]),  # entry order
    ],
)
def test_workstreams_sorted_in_sql(
    db: Database,
    programme: Fixture,
    three: list[WorkstreamRow],
    sort: str | None,
    descending: bool,
    expected: list[str],
) -> None:
    rows, total = a_page(db, WORKSTREAMS, programme.programme_id, sort=sort, descending=descending)
    assert (codes(rows), total) == (expected, 3)
    assert all(type(r) is WorkstreamRow for r in rows)


def test_workstreams_sorted_by_lead(
    db: Database, programme: Fixture, three: list[WorkstreamRow]
) -> None:
    pid = programme.programme_id
    # "Severny Luch" < "TRL-Lab"; the workstream without a lead last either way.
    assert codes(a_page(db, WORKSTREAMS, pid, sort="lead")[0]) == ["WS-B", "WS-A", "WS-C"]
    rows, _ = a_page(db, WORKSTREAMS, pid, sort="lead", descending=True)
    assert codes(rows) == ["WS-A", "WS-B", "WS-C"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ws-", ["WS-A", "WS-B", "WS-C"]),  # code, case-insensitive
        ("RADAR", ["WS-A"]),  # title
        ("co-production", ["WS-B"]),  # kind
        ("concept", ["WS-C"]),  # phase
        ("on hold", ["WS-B"]),  # status
        ("severny", ["WS-B"]),  # the lead organisation's short name
        ("प्रयोगशाला", ["WS-A"]),  # the lead organisation's own name
        ("%", []),
    ],
)
def test_workstreams_text_filter(
    db: Database, programme: Fixture, three: list[WorkstreamRow], text: str, expected: list[str]
) -> None:
    rows, total = a_page(db, WORKSTREAMS, programme.programme_id, sort="code", text=text)
    assert (codes(rows), total) == (expected, len(expected))
    assert listing.count(db, WORKSTREAMS, programme.programme_id, text=text) == len(expected)


def test_workstreams_filtered_by_value(
    db: Database, programme: Fixture, three: list[WorkstreamRow]
) -> None:
    pid = programme.programme_id
    assert codes(a_page(db, WORKSTREAMS, pid, where={"status": "active"})[0]) == ["WS-A"]
    assert codes(a_page(db, WORKSTREAMS, pid, where={"lead_organisation_id": None})[0]) == ["WS-C"]


def test_workstreams_of_another_programme_are_not_listed(
    db: Database, programme: Fixture, three: list[WorkstreamRow]
) -> None:
    other = another_programme(db)
    workstreams.create_workstream(db, other.id, workstream_draft(code="WS-X"))
    assert codes(a_page(db, WORKSTREAMS, other.id)[0]) == ["WS-X"]
    assert len(a_page(db, WORKSTREAMS, programme.programme_id)[0]) == 3


# Milestones -------------------------------------------------------------------------------


@pytest.fixture
def milestones_of(db: Database, three: list[WorkstreamRow]) -> dict[str, int]:
    """Titles to ids. At 2025-09-01: PDR complete, CDR overdue, FAT and QT open."""
    ws_b, ws_a, ws_c = three
    table = [
        # workstream, title, baseline, forecast, actual
        (ws_a, "PDR", date(2025, 6, 30), date(2025, 7, 15), date(2025, 7, 20)),  # +20
        (ws_a, "CDR", date(2025, 8, 1), date(2025, 8, 20), None),  # +19, overdue
        (ws_b, "FAT", date(2025, 12, 1), date(2025, 11, 1), None),  # -30
        (ws_c, "QT", date(2026, 3, 1), date(2026, 3, 1), None),  # 0
    ]
    ids = {}
    for ws, title, baseline, forecast, actual in table:
        draft = MilestoneDraft(
            title=title,
            baseline_date=baseline,
            forecast_date=forecast,
            actual_date=actual,
            acceptance_criteria=f"{title} board minutes signed",
        )
        ids[title] = milestones.create_milestone(db, ws.id, draft).id
    return ids


def titles(rows: list[MilestoneListRow]) -> list[str]:
    return [r.title for r in rows]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("workstream", False, ["PDR", "CDR", "FAT", "QT"]),  # WS-A, WS-A, WS-B, WS-C
        ("title", False, ["CDR", "FAT", "PDR", "QT"]),
        ("baseline_date", False, ["PDR", "CDR", "FAT", "QT"]),
        ("forecast_date", True, ["QT", "FAT", "CDR", "PDR"]),
        ("actual_date", False, ["PDR", "CDR", "FAT", "QT"]),  # blanks last, by id
        ("slip_days", False, ["FAT", "QT", "CDR", "PDR"]),
        ("slip_days", True, ["PDR", "CDR", "QT", "FAT"]),
        ("state", False, ["PDR", "FAT", "QT", "CDR"]),  # complete, open, overdue
        ("state", True, ["CDR", "QT", "FAT", "PDR"]),
    ],
)
def test_milestones_sorted_in_sql(
    db: Database,
    programme: Fixture,
    milestones_of: dict[str, int],
    sort: str,
    descending: bool,
    expected: list[str],
) -> None:
    rows, total = a_page(db, MILESTONES, programme.programme_id, sort=sort, descending=descending)
    assert (titles(rows), total) == (expected, 4)


def test_milestone_rows_carry_state_and_slip(
    db: Database, programme: Fixture, milestones_of: dict[str, int]
) -> None:
    rows, _ = a_page(db, MILESTONES, programme.programme_id, sort="title")
    assert all(isinstance(r, MilestoneListRow) for r in rows)
    assert {r.title: (r.state, r.slip_days) for r in rows} == {
        "CDR": ("overdue", 19),
        "FAT": ("open", -30),
        "PDR": ("complete", 20),
        "QT": ("open", 0),
    }


@pytest.mark.parametrize("state", ["complete", "overdue", "open"])
def test_sql_state_agrees_with_the_rows(
    db: Database, programme: Fixture, milestones_of: dict[str, int], state: str
) -> None:
    rows, total = a_page(db, MILESTONES, programme.programme_id, where={"state": state})
    assert rows and total == len(rows)
    assert {r.state for r in rows} == {state}


def test_state_is_decided_when_the_page_is_read(
    db: Database,
    programme: Fixture,
    milestones_of: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pid = programme.programme_id
    assert titles(a_page(db, MILESTONES, pid, where={"state": "overdue"})[0]) == ["CDR"]
    # The next statement (same ListSpec, same cached SQL) sees the new day.
    monkeypatch.setattr(listing_schedule, "today", lambda: date(2025, 11, 2))
    rows, _ = a_page(db, MILESTONES, pid, where={"state": "overdue"}, sort="title")
    assert titles(rows) == ["CDR", "FAT"]
    assert {r.state for r in rows} == {"overdue"}


def test_milestones_filtered_by_workstream(
    db: Database, programme: Fixture, three: list[WorkstreamRow], milestones_of: dict[str, int]
) -> None:
    ws_a = three[1].id
    rows, total = a_page(
        db, MILESTONES, programme.programme_id, sort="baseline_date", where={"workstream_id": ws_a}
    )
    assert (titles(rows), total) == (["PDR", "CDR"], 2)
    assert listing.count(db, MILESTONES, programme.programme_id, where={"workstream_id": ws_a}) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cdr", ["CDR"]),  # title
        ("board minutes", ["CDR", "FAT", "PDR", "QT"]),  # acceptance criteria
        ("ws-b", ["FAT"]),  # the workstream's code
        ("chandipur", ["QT"]),  # the workstream's title
        ("_", []),
    ],
)
def test_milestones_text_filter(
    db: Database, programme: Fixture, milestones_of: dict[str, int], text: str, expected: list[str]
) -> None:
    rows, total = a_page(db, MILESTONES, programme.programme_id, sort="title", text=text)
    assert (titles(rows), total) == (expected, len(expected))


def test_milestones_belong_to_the_programme_through_their_workstream(
    db: Database, programme: Fixture, milestones_of: dict[str, int]
) -> None:
    other = another_programme(db)
    ws = workstreams.create_workstream(db, other.id, workstream_draft(code="WS-X"))
    milestones.create_milestone(
        db, ws.id, MilestoneDraft("Elsewhere", date(2025, 5, 1), date(2025, 5, 1))
    )
    assert titles(a_page(db, MILESTONES, other.id)[0]) == ["Elsewhere"]
    assert len(a_page(db, MILESTONES, programme.programme_id)[0]) == 4
    assert listing.count(db, MILESTONES, programme.programme_id) == 4


def test_pages_of_milestones_do_not_overlap(
    db: Database, programme: Fixture, milestones_of: dict[str, int]
) -> None:
    seen: list[str] = []
    for offset in (0, 2):
        rows, total = a_page(
            db, MILESTONES, programme.programme_id, sort="slip_days", offset=offset, limit=2
        )
        assert total == 4
        seen += titles(rows)
    assert seen == ["FAT", "QT", "CDR", "PDR"]
