"""The decisions-required service: validation, recording outcomes, locking, order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.database import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.services import decisions
from app.services.decisions import DecisionDraft
from tests.conftest import Fixture, audit_count


def a_draft(**changes: object) -> DecisionDraft:
    draft = DecisionDraft(
        title="Approve second-source radome qualification",
        forum="Joint Working Group",
        needed_by=date(2025, 9, 30),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def test_create_decision_is_pending_and_audited(db: Database, programme: Fixture) -> None:
    before = audit_count(db)
    row = decisions.create_decision(db, programme.programme_id, a_draft())
    assert (row.status, row.outcome, row.decided_on) == ("pending", "", None)
    assert row.releasable_to == "IND RUS"
    assert decisions.get_decision(db, row.id) == row
    assert decisions.list_decisions(db, programme.programme_id) == [row]
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("title", {"title": ""}),
        ("title", {"title": "x" * 201}),
        ("forum", {"forum": "   "}),
        ("forum", {"forum": "x" * 201}),
        ("needed_by", {"needed_by": None}),
        ("status", {"status": "maybe"}),
        ("outcome", {"outcome": "x" * 4001}),
        ("outcome", {"status": "taken", "decided_on": date(2025, 9, 1)}),
        ("outcome", {"status": "taken", "outcome": "  ", "decided_on": date(2025, 9, 1)}),
        ("decided_on", {"status": "taken", "outcome": "Approved"}),
        ("decided_on", {"decided_on": date(2025, 9, 1)}),
        ("decided_on", {"status": "deferred", "decided_on": "soon"}),
        ("marking", {"marking": -1}),
        ("releasable_to", {"releasable_to": ""}),
        ("releasable_to", {"releasable_to": "CHN"}),
    ],
)
def test_bad_value_is_named_and_changes_nothing(
    db: Database, programme: Fixture, field: str, changes: dict[str, object]
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        decisions.create_decision(db, programme.programme_id, a_draft(**changes))
    assert err.value.field == field
    assert decisions.list_decisions(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_taken_without_outcome_or_date_names_both(db: Database, programme: Fixture) -> None:
    with pytest.raises(ValidationError) as err:
        decisions.create_decision(db, programme.programme_id, a_draft(status="taken"))
    assert {p.field for p in err.value.problems} == {"outcome", "decided_on"}


def test_deferred_decision_may_carry_the_meeting_date(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(
        db, programme.programme_id, a_draft(status="deferred", decided_on=date(2025, 9, 1))
    )
    assert (row.status, row.decided_on) == ("deferred", date(2025, 9, 1))


def test_record_decision_takes_it(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(db, programme.programme_id, a_draft(marking=1))
    before = audit_count(db)
    taken = decisions.record_decision(
        db, row.id, row.version, "Approved, funded 50:50", date(2025, 9, 12)
    )
    assert (taken.status, taken.outcome, taken.decided_on) == (
        "taken",
        "Approved, funded 50:50",
        date(2025, 9, 12),
    )
    assert (taken.version, taken.marking, taken.title) == (row.version + 1, 1, row.title)
    assert decisions.get_decision(db, row.id) == taken
    assert audit_count(db) == before + 1


def test_record_decision_without_outcome_changes_nothing(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(db, programme.programme_id, a_draft())
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        decisions.record_decision(db, row.id, row.version, "", date(2025, 9, 12))
    assert err.value.field == "outcome"
    assert decisions.get_decision(db, row.id) == row
    assert audit_count(db) == before


def test_record_decision_on_stale_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(db, programme.programme_id, a_draft())
    moved = decisions.update_decision(
        db, row.id, row.version, a_draft(forum="Ministerial Steering Committee")
    )
    with pytest.raises(ConflictError) as err:
        decisions.record_decision(db, row.id, row.version, "Approved", date(2025, 9, 12))
    assert err.value.current is not None
    assert err.value.current["forum"] == "Ministerial Steering Committee"
    assert decisions.get_decision(db, row.id) == moved


def test_second_edit_of_same_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(db, programme.programme_id, a_draft())
    first = decisions.update_decision(db, row.id, row.version, a_draft(title="By officer A"))
    before = audit_count(db)
    with pytest.raises(ConflictError):
        decisions.update_decision(db, row.id, row.version, a_draft(title="By officer B"))
    assert decisions.get_decision(db, row.id) == first
    assert audit_count(db) == before


def test_rejected_update_changes_nothing(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(db, programme.programme_id, a_draft())
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        decisions.update_decision(
            db, row.id, row.version, replace(row.draft(), releasable_to="IND USA")
        )
    assert err.value.field == "releasable_to"
    assert decisions.get_decision(db, row.id) == row
    assert audit_count(db) == before


def test_delete_decision(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(db, programme.programme_id, a_draft())
    with pytest.raises(ConflictError):
        decisions.delete_decision(db, row.id, row.version + 1)
    before = audit_count(db)
    decisions.delete_decision(db, row.id, row.version)
    assert decisions.list_decisions(db, programme.programme_id) == []
    assert audit_count(db) == before + 1
    with pytest.raises(NotFound):
        decisions.get_decision(db, row.id)


def test_list_is_by_needed_by_then_id_and_filters_by_status(
    db: Database, programme: Fixture
) -> None:
    pid = programme.programme_id
    late = decisions.create_decision(db, pid, a_draft(title="late", needed_by=date(2026, 1, 1)))
    tie_a = decisions.create_decision(db, pid, a_draft(title="tie a"))
    tie_b = decisions.create_decision(
        db,
        pid,
        a_draft(title="tie b", status="taken", outcome="Agreed", decided_on=date(2025, 9, 2)),
    )
    early = decisions.create_decision(
        db, pid, a_draft(title="early", needed_by=date(2025, 7, 1), status="deferred")
    )
    assert decisions.list_decisions(db, pid) == [early, tie_a, tie_b, late]
    assert decisions.list_decisions(db, pid, status="pending") == [tie_a, late]
    assert decisions.list_decisions(db, pid, status="taken") == [tie_b]
