"""The workstream service: validation, optimistic locking, participants, guarded delete."""

from __future__ import annotations

from datetime import date

import pytest

from app.database import Database
from app.errors import ConflictError, ValidationError
from app.models import Expenditure
from app.services import milestones, programmes, records, risks, workstreams
from app.services.milestones import MilestoneDraft
from app.services.programmes import OrganisationDraft, PartnerDraft, ProgrammeDraft
from app.services.workstreams import WorkstreamDraft
from tests.conftest import Fixture, audit_count, risk_draft, workstream_draft


def a_draft(**changes: object) -> WorkstreamDraft:
    radar = {
        "code": "WS-RADAR",
        "title": "Active phased-array seeker",
        "kind": "joint R&D",
        "trl_now": 4,
        "trl_target": 7,
        "mrl_now": 3,
        "budget_minor": 1_250_000_000,
    }
    return workstream_draft(**{**radar, **changes})


def other_programme(db: Database) -> tuple[int, int]:
    """A second programme and its one organisation, to prove records stay in their own."""
    row = programmes.create_programme(
        db,
        ProgrammeDraft("JP-OTHER", "Other programme", "INR", date(2024, 1, 1)),
        [PartnerDraft("IND", "India"), PartnerDraft("RUS", "Russia")],
    )
    org = programmes.add_organisation(
        db, row.id, OrganisationDraft("Other-Lab", "Other lab", "IND", "government R&D laboratory")
    )
    return row.id, org.id


def test_create_stores_and_audits(db: Database, programme: Fixture) -> None:
    before = audit_count(db)
    row = workstreams.create_workstream(
        db, programme.programme_id, a_draft(lead_organisation_id=programme.india_org)
    )
    assert row.programme_id == programme.programme_id
    assert row.lead_organisation_id == programme.india_org
    assert (row.status, row.version, row.releasable_to) == ("not started", 1, "IND RUS")
    assert row.draft() == a_draft(lead_organisation_id=programme.india_org, releasable_to="IND RUS")
    assert workstreams.list_workstreams(db, programme.programme_id) == [row]
    assert workstreams.get_workstream(db, row.id) == row
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", ""),
        ("code", "C" * 41),
        ("title", "   "),
        ("title", "x" * 201),
        ("kind", "basket weaving"),
        ("phase", "dreaming"),
        ("status", "late"),
        ("trl_now", 0),
        ("trl_target", 10),
        ("mrl_now", 0),
        ("mrl_target", 11),
        ("baseline_finish", date(2024, 12, 31)),
        ("forecast_finish", date(2024, 12, 31)),
        ("actual_finish", date(2024, 12, 31)),
        ("budget_minor", -1),
        ("budget_minor", 1.5),
        ("lead_organisation_id", 9999),
        ("marking", 9),
        ("releasable_to", "IND USA"),
    ],
)
def test_bad_value_is_named_and_changes_nothing(
    db: Database, programme: Fixture, field: str, value: object
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        workstreams.create_workstream(db, programme.programme_id, a_draft(**{field: value}))
    assert err.value.field == field
    assert workstreams.list_workstreams(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_limits_themselves_are_accepted(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(
        db,
        programme.programme_id,
        a_draft(
            trl_now=1,
            trl_target=9,
            mrl_now=1,
            mrl_target=10,
            baseline_finish=date(2025, 1, 1),
            forecast_finish=date(2025, 1, 1),
            actual_finish=date(2025, 1, 1),
            budget_minor=0,
        ),
    )
    assert (row.trl_target, row.mrl_target, row.budget_minor) == (9, 10, 0)


def test_code_is_unique_in_its_programme_only(db: Database, programme: Fixture) -> None:
    workstreams.create_workstream(db, programme.programme_id, a_draft())
    with pytest.raises(ValidationError) as err:
        workstreams.create_workstream(db, programme.programme_id, a_draft(title="Another"))
    assert err.value.field == "code"
    other, _ = other_programme(db)
    assert workstreams.create_workstream(db, other, a_draft()).code == "WS-RADAR"


def test_lead_from_another_programme_is_rejected(db: Database, programme: Fixture) -> None:
    _, stranger = other_programme(db)
    with pytest.raises(ValidationError) as err:
        workstreams.create_workstream(
            db, programme.programme_id, a_draft(lead_organisation_id=stranger)
        )
    assert err.value.field == "lead_organisation_id"


def test_list_is_ordered_by_code(db: Database, programme: Fixture) -> None:
    for code in ("WS-C", "WS-A", "WS-B"):
        workstreams.create_workstream(db, programme.programme_id, a_draft(code=code))
    listed = workstreams.list_workstreams(db, programme.programme_id)
    assert [w.code for w in listed] == ["WS-A", "WS-B", "WS-C"]


def test_update_keeps_own_code_and_bumps_version(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    edited = workstreams.update_workstream(
        db, row.id, row.version, a_draft(phase="prototype", trl_now=6)
    )
    assert (edited.code, edited.phase, edited.trl_now, edited.version) == (
        "WS-RADAR",
        "prototype",
        6,
        2,
    )


def test_bad_update_changes_nothing(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    workstreams.create_workstream(db, programme.programme_id, a_draft(code="WS-TAKEN"))
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        workstreams.update_workstream(db, row.id, row.version, a_draft(code="WS-TAKEN"))
    assert err.value.field == "code"
    assert workstreams.get_workstream(db, row.id) == row
    assert audit_count(db) == before


def test_second_edit_of_same_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    first = workstreams.update_workstream(db, row.id, row.version, a_draft(title="By officer A"))
    before = audit_count(db)
    with pytest.raises(ConflictError) as err:
        workstreams.update_workstream(db, row.id, row.version, a_draft(title="By officer B"))
    assert err.value.current is not None
    assert err.value.current["title"] == "By officer A"
    assert workstreams.get_workstream(db, row.id) == first
    assert audit_count(db) == before


def test_start_cannot_move_past_a_milestone(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    milestones.create_milestone(
        db, row.id, MilestoneDraft("PDR", date(2025, 6, 30), date(2025, 3, 31))
    )
    with pytest.raises(ValidationError) as err:
        workstreams.update_workstream(
            db, row.id, row.version, a_draft(baseline_start=date(2025, 4, 1))
        )
    assert err.value.field == "baseline_start"
    assert "2025-03-31" in err.value.reason
    moved = workstreams.update_workstream(
        db, row.id, row.version, a_draft(baseline_start=date(2025, 3, 31))
    )
    assert moved.baseline_start == date(2025, 3, 31)


def test_delete_is_refused_while_referenced(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    milestone = milestones.create_milestone(
        db, row.id, MilestoneDraft("CDR", date(2026, 1, 31), date(2026, 1, 31))
    )
    for reference in ("R-001", "R-002"):
        risks.raise_risk(
            db,
            programme.programme_id,
            risk_draft(reference=reference, workstream_id=row.id),
        )
    with db.begin() as session:
        records.create(
            session,
            Expenditure,
            {
                "workstream_id": row.id,
                "spent_on": date(2025, 5, 1),
                "amount_minor": 100,
                "currency": "INR",
                "category": "labour",
                "releasable_to": "IND RUS",
            },
        )
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        workstreams.delete_workstream(db, row.id, row.version)
    assert err.value.field == "workstream"
    assert "1 milestone, 1 expenditure and 2 risks still refer to" in err.value.reason
    assert workstreams.get_workstream(db, row.id) == row
    assert milestones.get_milestone(db, milestone.id) == milestone
    assert audit_count(db) == before


def test_delete_removes_workstream_and_participants(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    workstreams.add_participant(db, row.id, programme.india_org, "design authority")
    workstreams.add_participant(db, row.id, programme.russia_org, "seeker supplier")
    before = audit_count(db)
    workstreams.delete_workstream(db, row.id, row.version)
    assert workstreams.list_workstreams(db, programme.programme_id) == []
    assert workstreams.participants(db, row.id) == []
    assert audit_count(db) == before + 3  # two participants and the workstream


def test_delete_of_stale_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    workstreams.update_workstream(db, row.id, row.version, a_draft(title="Renamed"))
    with pytest.raises(ConflictError):
        workstreams.delete_workstream(db, row.id, row.version)
    assert workstreams.get_workstream(db, row.id).title == "Renamed"


# Participants ---------------------------------------------------------------------------


def test_participants_carry_role_and_protection(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(
        db, programme.programme_id, a_draft(marking=1, releasable_to="IND")
    )
    # Added Russian first: the list still shows India first (by nation, then name).
    russia = workstreams.add_participant(db, row.id, programme.russia_org, "seeker supplier")
    india = workstreams.add_participant(db, row.id, programme.india_org)
    assert workstreams.participants(db, row.id) == [india, russia]
    assert (india.role, india.marking, india.releasable_to) == ("", 1, "IND")
    assert (russia.role, russia.marking, russia.releasable_to) == ("seeker supplier", 1, "IND")


def test_duplicate_or_foreign_participant_is_rejected(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    first = workstreams.add_participant(db, row.id, programme.india_org, "lead")
    _, stranger = other_programme(db)
    before = audit_count(db)
    for organisation in (programme.india_org, stranger):
        with pytest.raises(ValidationError) as err:
            workstreams.add_participant(db, row.id, organisation, "again")
        assert err.value.field == "organisation_id"
    with pytest.raises(ValidationError) as err:
        workstreams.add_participant(db, row.id, programme.russia_org, "r" * 201)
    assert err.value.field == "role"
    assert workstreams.participants(db, row.id) == [first]
    assert audit_count(db) == before


def test_role_update_and_removal(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    added = workstreams.add_participant(db, row.id, programme.india_org, "lead")
    changed = workstreams.update_participant_role(db, added.id, added.version, "integrator")
    assert (changed.role, changed.version) == ("integrator", 2)
    with pytest.raises(ConflictError):
        workstreams.update_participant_role(db, added.id, added.version, "stale")
    with pytest.raises(ConflictError):
        workstreams.remove_participant(db, added.id, added.version)
    workstreams.remove_participant(db, changed.id, changed.version)
    assert workstreams.participants(db, row.id) == []


def test_protection_change_reaches_participants(db: Database, programme: Fixture) -> None:
    row = workstreams.create_workstream(db, programme.programme_id, a_draft())
    added = workstreams.add_participant(db, row.id, programme.russia_org, "supplier")
    assert (added.marking, added.releasable_to) == (0, "IND RUS")
    workstreams.update_workstream(db, row.id, row.version, a_draft(marking=2, releasable_to="IND"))
    [now] = workstreams.participants(db, row.id)
    assert (now.marking, now.releasable_to, now.version) == (2, "IND", 2)
