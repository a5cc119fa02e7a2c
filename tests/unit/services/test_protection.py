"""Protection inheritance: a record never reaches an audience its parent is kept from.

DOMAIN.md: records outside a pack's audience appear nowhere in it. A milestone, a
payment or a review reveals its parent, so each is created, edited and (when the
parent narrows) updated so that it is never releasable more widely, nor marked lower,
than the record it belongs to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.database import Database
from app.errors import ValidationError
from app.services import actions, agreements, contracts, costs, milestones, risks, workstreams
from app.services.actions import ActionDraft
from app.services.agreements import AgreementDraft, ShareDraft
from app.services.contracts import ContractDraft
from app.services.costs import ContributionDraft, ExpenditureDraft
from app.services.milestones import MilestoneDraft
from app.services.risks import ReviewDraft
from app.services.workstreams import WorkstreamRow
from tests.conftest import Fixture, audit_count, risk_draft, workstream_draft

RESTRICTED = 1
WIDER = "the workstream WS-07 is releasable to IND only; its records cannot be released more widely"


@pytest.fixture
def ws(db: Database, programme: Fixture) -> WorkstreamRow:
    """WS-07: RESTRICTED and releasable to India only (export support is India's)."""
    draft = workstream_draft(marking=RESTRICTED, releasable_to="IND")
    return workstreams.create_workstream(db, programme.programme_id, draft)


def a_milestone(**changes: object) -> MilestoneDraft:
    draft = MilestoneDraft("Export licence granted", date(2025, 6, 30), date(2025, 6, 30))
    return replace(draft, **changes)  # type: ignore[arg-type]


def an_expenditure(workstream_id: int, **changes: object) -> ExpenditureDraft:
    draft = ExpenditureDraft(workstream_id, date(2025, 2, 1), 1_000_00, "INR", "labour")
    return replace(draft, **changes)  # type: ignore[arg-type]


def a_contract(programme: Fixture, **changes: object) -> ContractDraft:
    draft = ContractDraft(
        "JP/CP/001",
        "Seeker co-production",
        "co-production",
        programme.russia_org,
        programme.india_org,
        10_000_00,
        "INR",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


# Rule (a): a child takes its parent's protection by default ---------------------------


def test_milestone_with_defaults_is_protected_like_its_workstream(
    db: Database, ws: WorkstreamRow
) -> None:
    row = milestones.create_milestone(db, ws.id, a_milestone())
    assert (row.marking, row.releasable_to) == (RESTRICTED, "IND")
    [forecast] = milestones.forecast_history(db, row.id)
    assert (forecast.marking, forecast.releasable_to) == (RESTRICTED, "IND")


def test_expenditure_with_defaults_is_protected_like_its_workstream(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    row = costs.create_expenditure(db, programme.programme_id, an_expenditure(ws.id))
    assert (row.marking, row.releasable_to) == (RESTRICTED, "IND")


def test_risk_and_its_review_and_action_follow_the_workstream(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    pid = programme.programme_id
    risk = risks.raise_risk(db, pid, risk_draft(workstream_id=ws.id))
    assert (risk.marking, risk.releasable_to) == (RESTRICTED, "IND")
    risks.review_risk(db, risk.id, risk.version, ReviewDraft(date(2025, 4, 1), "JWG", 3, 3))
    [review] = risks.reviews(db, risk.id)
    action = actions.create_action(
        db,
        pid,
        ActionDraft("Brief the export board", "Cdr. Iyer", date(2025, 7, 1), risk_id=risk.id),
    )
    assert (action.marking, action.releasable_to) == (RESTRICTED, "IND")
    assert review.reviewed_on == date(2025, 4, 1)


def test_a_higher_marking_and_a_narrower_release_are_kept(db: Database, programme: Fixture) -> None:
    ws = workstreams.create_workstream(db, programme.programme_id, workstream_draft(marking=1))
    row = milestones.create_milestone(db, ws.id, a_milestone(marking=3, releasable_to="RUS"))
    assert (row.marking, row.releasable_to) == (3, "RUS")


def test_a_lower_marking_is_raised_to_the_parent(db: Database, ws: WorkstreamRow) -> None:
    # 0 is the draft's default, so it cannot mean "lower than the workstream" (DOMAIN.md).
    row = milestones.create_milestone(db, ws.id, a_milestone(marking=0, releasable_to="IND"))
    assert (row.marking, row.releasable_to) == (RESTRICTED, "IND")


def test_risk_of_a_workstream_and_a_contract_takes_the_narrower_of_both(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    pid = programme.programme_id
    joint = contracts.create_contract(db, pid, a_contract(programme, marking=2))
    risk = risks.raise_risk(db, pid, risk_draft(workstream_id=ws.id, contract_id=joint.id))
    assert (risk.marking, risk.releasable_to) == (2, "IND")
    russian = contracts.create_contract(
        db, pid, a_contract(programme, number="JP/CP/002", releasable_to="RUS")
    )
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        risks.raise_risk(
            db, pid, risk_draft(reference="R-002", workstream_id=ws.id, contract_id=russian.id)
        )
    assert err.value.field == "releasable_to"
    assert "WS-07 to IND and the contract JP/CP/002 to RUS" in err.value.reason
    assert audit_count(db) == before


def test_contribution_takes_its_agreement_protection(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    pid = programme.programme_id
    agreement = agreements.create_agreement(
        db,
        pid,
        AgreementDraft(
            "CSA-EXP",
            "Export support cost share",
            "spot",
            date(2025, 1, 1),
            (ShareDraft("IND", None, Decimal(60)), ShareDraft("RUS", None, Decimal(40))),
            (ws.id,),
            marking=2,
            releasable_to="RUS",
        ),
    )
    share = agreement.shares[0].id
    row = costs.create_contribution(
        db, pid, ContributionDraft(share, date(2025, 4, 1), "cash", 100_00, "INR")
    )
    assert (row.marking, row.releasable_to) == (2, "RUS")
    with pytest.raises(ValidationError) as err:
        costs.create_contribution(
            db,
            pid,
            ContributionDraft(share, date(2025, 4, 1), "cash", 1, "INR", releasable_to="IND"),
        )
    assert "agreement CSA-EXP is releasable to RUS only" in err.value.reason


# Rule (b): a child released more widely than its parent is refused ---------------------


@pytest.mark.parametrize("releasable_to", ["RUS", "IND RUS"])
def test_milestone_released_beyond_its_workstream_is_refused(
    db: Database, programme: Fixture, ws: WorkstreamRow, releasable_to: str
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        milestones.create_milestone(db, ws.id, a_milestone(releasable_to=releasable_to))
    assert (err.value.field, err.value.reason) == ("releasable_to", WIDER)
    assert milestones.list_milestones(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_edit_releasing_a_milestone_beyond_its_workstream_is_refused(
    db: Database, ws: WorkstreamRow
) -> None:
    row = milestones.create_milestone(db, ws.id, a_milestone())
    with pytest.raises(ValidationError) as err:
        milestones.update_milestone(
            db, row.id, row.version, replace(row.edit(), releasable_to="IND RUS")
        )
    assert err.value.field == "releasable_to"
    assert milestones.get_milestone(db, row.id) == row


def test_expenditure_released_beyond_its_workstream_is_refused(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    with pytest.raises(ValidationError) as err:
        costs.create_expenditure(
            db, programme.programme_id, an_expenditure(ws.id, releasable_to="RUS")
        )
    assert (err.value.field, err.value.reason) == ("releasable_to", WIDER)
    # Moving a joint expenditure onto the India-only workstream is refused the same way.
    joint = workstreams.create_workstream(db, programme.programme_id, workstream_draft(code="WS-J"))
    row = costs.create_expenditure(db, programme.programme_id, an_expenditure(joint.id))
    with pytest.raises(ValidationError) as err:
        costs.update_expenditure(
            db, row.id, row.version, an_expenditure(ws.id, releasable_to=row.releasable_to)
        )
    assert (err.value.field, err.value.reason) == ("releasable_to", WIDER)


def test_risk_released_beyond_its_workstream_is_refused(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    with pytest.raises(ValidationError) as err:
        risks.raise_risk(
            db, programme.programme_id, risk_draft(workstream_id=ws.id, releasable_to="RUS")
        )
    assert (err.value.field, err.value.reason) == ("releasable_to", WIDER)


# Rule (c): a parent's narrowing reaches its children in the same transaction -----------


def test_narrowing_a_workstream_narrows_everything_under_it(
    db: Database, programme: Fixture
) -> None:
    pid = programme.programme_id
    ws = workstreams.create_workstream(db, pid, workstream_draft())
    workstreams.add_participant(db, ws.id, programme.india_org, "lead")
    milestone = milestones.create_milestone(db, ws.id, a_milestone(marking=3))
    spent = costs.create_expenditure(db, pid, an_expenditure(ws.id))
    risk = risks.raise_risk(db, pid, risk_draft(workstream_id=ws.id))
    risk = risks.review_risk(db, risk.id, risk.version, ReviewDraft(date(2025, 4, 1), "JWG", 2, 2))
    action = actions.create_action(
        db,
        pid,
        ActionDraft("Qualify a second source", "Cdr. Iyer", date(2025, 7, 1), risk_id=risk.id),
    )
    before = audit_count(db)

    workstreams.update_workstream(
        db, ws.id, ws.version, replace(ws.draft(), marking=RESTRICTED, releasable_to="IND")
    )

    [participant] = workstreams.participants(db, ws.id)
    [review] = risks.reviews(db, risk.id)
    [forecast] = milestones.forecast_history(db, milestone.id)
    now = {
        "participant": (participant.marking, participant.releasable_to),
        "milestone": _protection(milestones.get_milestone(db, milestone.id)),
        "forecast": (forecast.marking, forecast.releasable_to),
        "expenditure": _protection(costs.list_expenditures(db, pid)[0]),
        "risk": _protection(risks.get_risk(db, risk.id)),
        "action": _protection(actions.get_action(db, action.id)),
    }
    assert now == {
        "participant": (RESTRICTED, "IND"),
        "milestone": (3, "IND"),  # its own higher marking stays
        "forecast": (3, "IND"),
        "expenditure": (RESTRICTED, "IND"),
        "risk": (RESTRICTED, "IND"),
        "action": (RESTRICTED, "IND"),
    }
    assert (review.marking, review.releasable_to) == (RESTRICTED, "IND")
    assert costs.list_expenditures(db, pid)[0].version == spent.version + 1
    # The workstream and the seven records under it, each audited once.
    assert audit_count(db) == before + 8


def test_narrowing_a_risk_narrows_its_reviews_and_actions(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    risk = risks.raise_risk(db, pid, risk_draft())
    risk = risks.review_risk(db, risk.id, risk.version, ReviewDraft(date(2025, 4, 1), "JWG", 3, 3))
    action = actions.create_action(
        db, pid, ActionDraft("Second source", "Cdr. Iyer", date(2025, 7, 1), risk_id=risk.id)
    )
    other = actions.create_action(db, pid, ActionDraft("Unrelated", "Maj. K", date(2025, 7, 1)))
    risks.update_risk(
        db, risk.id, risk.version, replace(risk.draft(), marking=2, releasable_to="RUS")
    )
    [review] = risks.reviews(db, risk.id)
    assert (review.marking, review.releasable_to) == (2, "RUS")
    assert _protection(actions.get_action(db, action.id)) == (2, "RUS")
    assert actions.get_action(db, other.id) == other


def test_unchanged_children_are_not_touched(db: Database, programme: Fixture) -> None:
    ws = workstreams.create_workstream(db, programme.programme_id, workstream_draft())
    narrow = milestones.create_milestone(db, ws.id, a_milestone(releasable_to="IND"))
    before = audit_count(db)
    # Narrowing to what the milestone already is: only the workstream itself changes.
    edited = workstreams.update_workstream(
        db, ws.id, ws.version, replace(ws.draft(), releasable_to="IND")
    )
    assert milestones.get_milestone(db, narrow.id) == narrow
    assert audit_count(db) == before + 1
    # Widening again leaves the milestone as narrow as its own choice.
    workstreams.update_workstream(
        db, ws.id, edited.version, replace(edited.draft(), releasable_to="IND RUS")
    )
    assert milestones.get_milestone(db, narrow.id) == narrow


def test_participants_follow_their_workstream_both_ways(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    workstreams.add_participant(db, ws.id, programme.india_org, "lead")
    workstreams.update_workstream(
        db, ws.id, ws.version, replace(ws.draft(), marking=0, releasable_to="IND RUS")
    )
    [participant] = workstreams.participants(db, ws.id)
    assert (participant.marking, participant.releasable_to) == (0, "IND RUS")


def test_narrowing_that_would_leave_a_child_unreleasable_is_refused(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    row = milestones.create_milestone(db, ws.id, a_milestone())
    wide = workstreams.update_workstream(
        db, ws.id, ws.version, replace(ws.draft(), releasable_to="IND RUS")
    )
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        workstreams.update_workstream(
            db, ws.id, wide.version, replace(wide.draft(), releasable_to="RUS")
        )
    assert err.value.field == "releasable_to"
    assert "milestone 'Export licence granted' is releasable to IND only" in err.value.reason
    assert workstreams.get_workstream(db, ws.id) == wide
    assert milestones.get_milestone(db, row.id) == row
    assert audit_count(db) == before


def test_narrowing_an_agreement_narrows_its_contributions(
    db: Database, programme: Fixture, ws: WorkstreamRow
) -> None:
    pid = programme.programme_id
    joint = workstreams.create_workstream(db, pid, workstream_draft(code="WS-J"))
    shares = (ShareDraft("IND", None, Decimal(50)), ShareDraft("RUS", None, Decimal(50)))
    agreement = agreements.create_agreement(
        db, pid, AgreementDraft("CSA-1", "Joint", "spot", date(2025, 1, 1), shares, (joint.id,))
    )
    paid = costs.create_contribution(
        db,
        pid,
        ContributionDraft(agreement.shares[1].id, date(2025, 4, 1), "cash", 100_00, "RUB"),
    )
    assert paid.releasable_to == "IND RUS"
    narrowed = agreements.update_agreement(
        db, agreement.id, agreement.version, replace(agreement.draft(), releasable_to="RUS")
    )
    assert {s.id for s in narrowed.shares} == {s.id for s in agreement.shares}
    [now] = costs.list_contributions(db, agreement.id)
    assert (now.releasable_to, now.version) == ("RUS", paid.version + 1)


def _protection(row: object) -> tuple[int, str]:
    return row.marking, row.releasable_to  # type: ignore[attr-defined]
