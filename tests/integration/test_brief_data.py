"""What a pack shows: its marking, its audience, and what changed since the last pack."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.database import Database
from app.errors import UsageError, ValidationError
from app.reporting import snapshots
from app.reporting.collect import BriefRequest, collect
from app.services import decisions, milestones, risks, workstreams
from app.services.decisions import DecisionDraft
from app.services.milestones import MilestoneDraft
from app.services.risks import ReviewDraft
from tests.conftest import Fixture, risk_draft, workstream_draft

D = date(2026, 6, 30)


def request(**changes: object) -> BriefRequest:
    return replace(BriefRequest(as_of=D), **changes)  # type: ignore[arg-type]


def record(db: Database, programme: Fixture, req: BriefRequest) -> int:
    data, content = collect(db, req)
    return snapshots.store(db, programme.programme_id, data.audience, 0, data.status_date, content)


@pytest.fixture
def filled(db: Database, programme: Fixture) -> Database:
    pid = programme.programme_id
    ws = workstreams.create_workstream(db, pid, workstream_draft(code="WS-01"))
    milestones.create_milestone(
        db, ws.id, MilestoneDraft("CDR", date(2026, 9, 1), date(2026, 9, 1)), reported_on=D
    )
    risks.raise_risk(db, pid, risk_draft(reference="R-001", title="Joint risk", marking=1))
    risks.raise_risk(
        db,
        pid,
        risk_draft(reference="R-002", title="India-only risk", releasable_to="IND", marking=3),
    )
    decisions.create_decision(db, pid, DecisionDraft("Agree trials plan", "JWG", date(2026, 8, 1)))
    return db


def test_marking_is_the_highest_shown_and_can_only_be_raised(filled: Database) -> None:
    joint, _ = collect(filled, request())
    india, _ = collect(filled, request(audience="national:IND"))
    assert (joint.marking, india.marking) == ("RESTRICTED", "SECRET")
    assert collect(filled, request(marking="confidential"))[0].marking == "CONFIDENTIAL"
    with pytest.raises(ValidationError) as err:
        collect(filled, request(audience="national:IND", marking="RESTRICTED"))
    assert err.value.field == "marking" and "cannot be lowered" in err.value.reason
    with pytest.raises(ValidationError, match="not on the marking scale"):
        collect(filled, request(marking="COSMIC"))


def test_records_outside_the_audience_appear_nowhere(filled: Database) -> None:
    joint, content = collect(filled, request())
    assert [r.title for r in joint.risks] == ["Joint risk"]
    assert "R-002" not in content["risks"]
    assert joint.excluded_records == 1
    india, _ = collect(filled, request(audience="national:IND"))
    assert {r.title for r in india.risks} == {"Joint risk", "India-only risk"}
    assert india.audience_label == "India (IND) only"


def test_changes_since_the_previous_pack(filled: Database, programme: Fixture) -> None:
    first, _ = collect(filled, request())
    assert first.changes is None  # no earlier pack for this audience
    snapshot = record(filled, programme, request())
    pid = programme.programme_id
    joint = next(r for r in risks.list_risks(filled, pid) if r.reference == "R-001")
    risks.review_risk(filled, joint.id, joint.version, ReviewDraft(date(2026, 6, 1), "JWG", 5, 5))
    risks.raise_risk(filled, pid, risk_draft(reference="R-003", title="New risk"))
    cdr = milestones.list_milestones(filled, pid)[0]
    milestones.update_milestone(
        filled,
        cdr.id,
        cdr.version,
        replace(cdr.edit(), forecast_date=date(2026, 10, 15)),
        reported_on=D,
    )
    decision = decisions.list_decisions(filled, pid)[0]
    decisions.record_decision(filled, decision.id, decision.version, "Agreed", date(2026, 6, 20))
    data, _ = collect(filled, request())
    changes = data.changes
    assert changes is not None and changes.since_snapshot == snapshot
    assert changes.new_risks == ("R-003 New risk",)
    assert changes.rescored_risks == (("R-001", 16, 25),)  # risk_draft is L4 x I4
    assert changes.slipped_milestones == (("WS-01 CDR", date(2026, 9, 1), date(2026, 10, 15)),)
    assert changes.decisions_taken == ("Agree trials plan",)
    assert [r.reference for r in data.rising] == ["R-001"]
    record(filled, programme, request())
    new = next(r for r in risks.list_risks(filled, pid) if r.reference == "R-003")
    risks.close_risk(filled, new.id, new.version)
    later, _ = collect(filled, request())
    assert later.changes is not None and later.changes.closed_risks == ("R-003 New risk",)


def test_since_none_and_a_chosen_snapshot(filled: Database, programme: Fixture) -> None:
    joint = record(filled, programme, request())
    india = record(filled, programme, request(audience="national:IND"))
    assert collect(filled, request(since="none"))[0].changes is None
    assert collect(filled, request(since=str(joint)))[0].changes is not None
    with pytest.raises(UsageError, match="was made for audience national:IND"):
        collect(filled, request(since=str(india)))
    with pytest.raises(UsageError, match="no snapshot 99"):
        collect(filled, request(since="99"))
