"""The actions service: validation, risk links and protection, locking, overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.database import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.services import actions, programmes, risks
from app.services.actions import ActionDraft
from app.services.programmes import PartnerDraft, ProgrammeDraft
from tests.conftest import Fixture, audit_count, risk_draft

AS_OF = date(2025, 6, 10)


def a_draft(**changes: object) -> ActionDraft:
    draft = ActionDraft(
        title="Qualify a second radome supplier",
        owner="Cdr. S. Iyer",
        due_on=date(2025, 7, 1),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def a_risk(db: Database, programme_id: int, **changes: object) -> risks.RiskRow:
    return risks.raise_risk(db, programme_id, risk_draft(**changes))


def other_programme(db: Database) -> int:
    return programmes.create_programme(
        db,
        ProgrammeDraft("JP-OTHER", "Other programme", "INR", date(2024, 1, 1)),
        [PartnerDraft("IND", "India"), PartnerDraft("FRA", "France")],
    ).id


def test_create_action_stores_and_audits(db: Database, programme: Fixture) -> None:
    before = audit_count(db)
    row = actions.create_action(db, programme.programme_id, a_draft())
    assert (row.status, row.done_on, row.risk_id) == ("open", None, None)
    assert (row.marking, row.releasable_to) == (0, "IND RUS")
    assert actions.get_action(db, row.id) == row
    assert actions.list_actions(db, programme.programme_id) == [row]
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("title", {"title": "  "}),
        ("title", {"title": "x" * 201}),
        ("owner", {"owner": ""}),
        ("owner", {"owner": "x" * 121}),
        ("due_on", {"due_on": None}),
        ("due_on", {"due_on": "2025-07-01"}),
        ("status", {"status": "finished"}),
        ("done_on", {"status": "done"}),
        ("done_on", {"status": "open", "done_on": date(2025, 6, 1)}),
        ("done_on", {"status": "cancelled", "done_on": date(2025, 6, 1)}),
        ("risk_id", {"risk_id": 999}),
        ("marking", {"marking": 9}),
        ("releasable_to", {"releasable_to": "IND USA"}),
    ],
)
def test_bad_value_is_named_and_changes_nothing(
    db: Database, programme: Fixture, field: str, changes: dict[str, object]
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        actions.create_action(db, programme.programme_id, a_draft(**changes))
    assert err.value.field == field
    assert actions.list_actions(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_done_action_keeps_its_done_date(db: Database, programme: Fixture) -> None:
    row = actions.create_action(
        db, programme.programme_id, a_draft(status="done", done_on=date(2025, 5, 30))
    )
    assert (row.status, row.done_on) == ("done", date(2025, 5, 30))


def test_risk_of_another_programme_is_refused(db: Database, programme: Fixture) -> None:
    foreign = a_risk(db, other_programme(db))
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        actions.create_action(db, programme.programme_id, a_draft(risk_id=foreign.id))
    assert err.value.field == "risk_id"
    assert audit_count(db) == before


def test_action_on_a_risk_is_protected_like_the_risk(db: Database, programme: Fixture) -> None:
    risk = a_risk(db, programme.programme_id, marking=2, releasable_to="IND")
    row = actions.create_action(db, programme.programme_id, a_draft(risk_id=risk.id))
    assert (row.risk_id, row.marking, row.releasable_to) == (risk.id, 2, "IND")


def test_chosen_protection_may_only_be_closer_than_the_risk(
    db: Database, programme: Fixture
) -> None:
    risk = a_risk(db, programme.programme_id, marking=2, releasable_to="IND")
    # A lower marking is raised to the risk's; the releasability is still the risk's.
    marked = actions.create_action(db, programme.programme_id, a_draft(risk_id=risk.id, marking=1))
    assert (marked.marking, marked.releasable_to) == (2, "IND")
    higher = actions.create_action(db, programme.programme_id, a_draft(risk_id=risk.id, marking=3))
    assert (higher.marking, higher.releasable_to) == (3, "IND")
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        actions.create_action(
            db, programme.programme_id, a_draft(risk_id=risk.id, releasable_to="rus")
        )
    assert (err.value.field, err.value.reason) == (
        "releasable_to",
        "the risk R-001 is releasable to IND only; its records cannot be released more widely",
    )
    assert audit_count(db) == before


def test_programme_action_keeps_its_own_protection(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft(marking=1, releasable_to="rus"))
    assert (row.marking, row.releasable_to) == (1, "RUS")


def test_linking_to_a_narrower_risk_is_checked_on_update(db: Database, programme: Fixture) -> None:
    risk = a_risk(db, programme.programme_id, releasable_to="IND")
    row = actions.create_action(db, programme.programme_id, a_draft())
    with pytest.raises(ValidationError) as err:
        actions.update_action(db, row.id, row.version, replace(row.draft(), risk_id=risk.id))
    assert err.value.field == "releasable_to"
    assert actions.get_action(db, row.id) == row


def test_update_changes_the_action(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft())
    edited = actions.update_action(db, row.id, row.version, replace(row.draft(), owner="Maj. K."))
    assert edited.owner == "Maj. K."
    assert edited.version == row.version + 1
    assert actions.get_action(db, row.id) == edited


def test_rejected_update_changes_nothing(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft())
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        actions.update_action(db, row.id, row.version, replace(row.draft(), status="done"))
    assert err.value.field == "done_on"
    assert actions.get_action(db, row.id) == row
    assert audit_count(db) == before


def test_second_edit_of_same_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft())
    first = actions.update_action(db, row.id, row.version, a_draft(title="Edited by officer A"))
    before = audit_count(db)
    with pytest.raises(ConflictError) as err:
        actions.update_action(db, row.id, row.version, a_draft(title="Edited by officer B"))
    assert err.value.current is not None
    assert err.value.current["title"] == "Edited by officer A"
    assert actions.get_action(db, row.id) == first
    assert audit_count(db) == before


def test_complete_action_marks_it_done(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft(status="in progress"))
    before = audit_count(db)
    done = actions.complete_action(db, row.id, row.version, date(2025, 6, 20))
    assert (done.status, done.done_on) == ("done", date(2025, 6, 20))
    assert replace(done, status=row.status, done_on=None, version=row.version) == row
    assert audit_count(db) == before + 1


def test_complete_action_needs_a_date(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft())
    with pytest.raises(ValidationError) as err:
        actions.complete_action(db, row.id, row.version, None)  # type: ignore[arg-type]
    assert err.value.field == "done_on"
    assert actions.get_action(db, row.id) == row


def test_complete_stale_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft())
    edited = actions.update_action(db, row.id, row.version, a_draft(owner="Someone else"))
    with pytest.raises(ConflictError):
        actions.complete_action(db, row.id, row.version, date(2025, 6, 20))
    assert actions.get_action(db, row.id) == edited


def test_delete_action(db: Database, programme: Fixture) -> None:
    row = actions.create_action(db, programme.programme_id, a_draft())
    with pytest.raises(ConflictError):
        actions.delete_action(db, row.id, row.version + 1)
    before = audit_count(db)
    actions.delete_action(db, row.id, row.version)
    assert actions.list_actions(db, programme.programme_id) == []
    assert audit_count(db) == before + 1
    with pytest.raises(NotFound):
        actions.get_action(db, row.id)


def test_list_is_by_due_date_then_id_and_filters_by_risk(db: Database, programme: Fixture) -> None:
    risk = a_risk(db, programme.programme_id)
    pid = programme.programme_id
    late = actions.create_action(db, pid, a_draft(title="late", due_on=date(2025, 9, 1)))
    tie_a = actions.create_action(
        db, pid, a_draft(title="tie a", due_on=date(2025, 8, 1), risk_id=risk.id)
    )
    tie_b = actions.create_action(db, pid, a_draft(title="tie b", due_on=date(2025, 8, 1)))
    early = actions.create_action(
        db, pid, a_draft(title="early", due_on=date(2025, 7, 1), risk_id=risk.id)
    )
    assert actions.list_actions(db, pid) == [early, tie_a, tie_b, late]
    assert actions.list_actions(db, pid, risk_id=risk.id) == [early, tie_a]


def test_overdue_is_not_finished_and_due_before_the_date(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    day_before = date(2025, 6, 9)

    def add(title: str, due_on: date, status: str = "open", done_on: date | None = None) -> int:
        draft = a_draft(title=title, due_on=due_on, status=status, done_on=done_on)
        return actions.create_action(db, pid, draft).id

    yesterday_b = add("due the day before, second", day_before)
    yesterday_a = add("due the day before, first", day_before, "in progress")
    add("due on the day", AS_OF)
    add("due later", date(2025, 7, 1))
    add("done", date(2025, 5, 1), "done", date(2025, 6, 1))
    add("cancelled", date(2025, 5, 1), "cancelled")
    long_ago = add("long overdue", date(2025, 1, 15))
    foreign = other_programme(db)
    actions.create_action(db, foreign, a_draft(due_on=date(2025, 1, 1)))

    overdue = actions.overdue_actions(db, pid, AS_OF)
    assert [a.id for a in overdue] == [long_ago, yesterday_b, yesterday_a]
    assert actions.overdue_actions(db, pid, date(2025, 1, 15)) == []


def test_deleting_a_risk_keeps_its_actions(db: Database, programme: Fixture) -> None:
    risk = a_risk(db, programme.programme_id)
    row = actions.create_action(db, programme.programme_id, a_draft(risk_id=risk.id))
    risks.delete_risk(db, risk.id, risk.version)
    kept = actions.get_action(db, row.id)
    assert (kept.risk_id, kept.title) == (None, row.title)
