"""Cost-share agreements, contributions and expenditures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.database import Database
from app.errors import ConflictError, ValidationError
from app.models import AuditEntry
from app.services import agreements, costs, programmes, workstreams
from app.services.agreements import AgreementDraft, FixedRateDraft, ShareDraft
from app.services.costs import ContributionDraft, ExpenditureDraft
from app.services.programmes import PartnerDraft, ProgrammeDraft
from tests.conftest import Fixture, audit_count, workstream_draft


def a_workstream(db: Database, programme_id: int, code: str = "WS-DEV") -> int:
    """A workstream of `programme_id`: only its id and programme matter here."""
    draft = workstream_draft(code=code, baseline_start=date(2024, 1, 1))
    return workstreams.create_workstream(db, programme_id, draft).id


def ind(pct: str) -> ShareDraft:
    return ShareDraft("IND", None, Decimal(pct))


def rus(pct: str) -> ShareDraft:
    return ShareDraft("RUS", None, Decimal(pct))


def an_agreement(workstream_id: int, **changes: object) -> AgreementDraft:
    draft = AgreementDraft(
        code="CSA-DEV",
        title="Development cost share",
        fx_rule="spot",
        signed_on=date(2024, 6, 1),
        shares=(ind("50"), rus("50")),
        workstream_ids=(workstream_id,),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def audit_actions(db: Database, entity: str) -> list[tuple[str, int]]:
    with db.read() as s:
        rows = s.execute(
            select(AuditEntry.action, AuditEntry.entity_id)
            .where(AuditEntry.entity == entity)
            .order_by(AuditEntry.id)
        )
        return [(action, entity_id) for action, entity_id in rows]


@pytest.fixture
def ws(db: Database, programme: Fixture) -> int:
    return a_workstream(db, programme.programme_id)


# Agreements ------------------------------------------------------------------------------


def test_shares_of_a_third_each_add_up_exactly(db: Database, programme: Fixture, ws: int) -> None:
    shares = (
        ind("33.3333"),
        rus("33.3333"),
        ShareDraft(None, programme.india_org, Decimal("33.3334")),
    )
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws, shares=shares))
    assert [(s.partner, s.share_pct, s.position) for s in row.shares] == [
        ("IND", Decimal("33.3333"), 0),
        ("RUS", Decimal("33.3333"), 1),
        ("TRL-Lab", Decimal("33.3334"), 2),
    ]
    assert row.workstream_ids == (ws,)
    assert agreements.list_agreements(db, programme.programme_id) == [row]
    assert agreements.get_agreement(db, row.id) == row


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        (("50", "49.99"), "the shares add up to 99.99 %; they must add up to exactly 100 %"),
        (("50", "50.01"), "the shares add up to 100.01 %; they must add up to exactly 100 %"),
        (("60", "50"), "the shares add up to 110 %; they must add up to exactly 100 %"),
    ],
)
def test_shares_not_adding_to_100_write_nothing(
    db: Database, programme: Fixture, ws: int, shares: tuple[str, str], message: str
) -> None:
    before = audit_count(db)
    draft = an_agreement(ws, shares=(ind(shares[0]), rus(shares[1])))
    with pytest.raises(ValidationError) as err:
        agreements.create_agreement(db, programme.programme_id, draft)
    assert (err.value.field, err.value.reason) == ("shares", message)
    assert agreements.list_agreements(db, programme.programme_id) == []
    assert audit_count(db) == before


@pytest.mark.parametrize(
    ("shares", "reason_part"),
    [
        ((ShareDraft("IND", None, Decimal(100)),), "at least two partners"),
        ((ind("50"), ind("50")), "share 2 (IND): partner is listed more than once"),
        ((ind("50"), ShareDraft("RUS", 1, Decimal(50))), "not both or neither"),
        ((ind("50"), ShareDraft(None, None, Decimal(50))), "not both or neither"),
        ((ind("100"), rus("0")), "share 2 (RUS): share must be more than 0"),
        ((ind("50.00001"), rus("49.99999")), "more than 4 decimal places"),
        ((ind("50"), ShareDraft("USA", None, Decimal(50))), "USA is not a partner nation"),
        ((ind("50"), ShareDraft(None, 9999, Decimal(50))), "no organisation 9999"),
    ],
)
def test_bad_shares_are_named(
    db: Database,
    programme: Fixture,
    ws: int,
    shares: tuple[ShareDraft, ...],
    reason_part: str,
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        agreements.create_agreement(db, programme.programme_id, an_agreement(ws, shares=shares))
    assert err.value.field == "shares"
    assert any(reason_part in p.reason for p in err.value.problems), err.value.problems
    assert audit_count(db) == before


def test_workstreams_must_be_of_the_programme_and_not_shared(
    db: Database, programme: Fixture, ws: int
) -> None:
    other = programmes.create_programme(
        db,
        ProgrammeDraft("JP-OTHER", "Other", "INR", date(2024, 1, 1)),
        [PartnerDraft("IND", "India"), PartnerDraft("FRA", "France")],
    )
    foreign = a_workstream(db, other.id, "WS-FR")
    with pytest.raises(ValidationError) as err:
        agreements.create_agreement(db, programme.programme_id, an_agreement(foreign))
    assert err.value.field == "workstream_ids"
    agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    with pytest.raises(ValidationError) as err:
        agreements.create_agreement(db, programme.programme_id, an_agreement(ws, code="CSA-2"))
    assert err.value.reason == "workstream WS-DEV is already covered by agreement CSA-DEV"


def test_code_is_unique_in_programme(db: Database, programme: Fixture, ws: int) -> None:
    agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    with pytest.raises(ValidationError) as err:
        agreements.create_agreement(db, programme.programme_id, an_agreement(ws, workstream_ids=()))
    assert err.value.field == "code"


def test_fixed_agreement_needs_valid_rates(db: Database, programme: Fixture, ws: int) -> None:
    fixed = an_agreement(ws, fx_rule="fixed")
    for rates in [
        (),
        (FixedRateDraft("RUB", "INR", Decimal(0)),),
        (FixedRateDraft("RUB", "XYZ", Decimal(1)),),
        (FixedRateDraft("RUB", "INR", Decimal("0.9")), FixedRateDraft("INR", "RUB", Decimal(1))),
    ]:
        with pytest.raises(ValidationError) as err:
            agreements.create_agreement(
                db, programme.programme_id, replace(fixed, fixed_rates=rates)
            )
        assert err.value.field == "fixed_rates"
    with pytest.raises(ValidationError) as err:
        spot = an_agreement(ws, fixed_rates=(FixedRateDraft("RUB", "INR", Decimal("0.9")),))
        agreements.create_agreement(db, programme.programme_id, spot)
    assert err.value.field == "fixed_rates"
    rates = (
        FixedRateDraft("RUB", "INR", Decimal("0.9")),
        FixedRateDraft("EUR", "INR", Decimal(90)),
    )
    row = agreements.create_agreement(db, programme.programme_id, replace(fixed, fixed_rates=rates))
    assert [(r.from_currency, r.rate) for r in row.fixed_rates] == [
        ("EUR", Decimal(90)),
        ("RUB", Decimal("0.9")),
    ]


def test_update_changes_shares_in_place(db: Database, programme: Fixture, ws: int) -> None:
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    ids = [s.id for s in row.shares]
    created = audit_actions(db, "cost_share")
    updated = agreements.update_agreement(
        db, row.id, row.version, replace(row.draft(), shares=(ind("60"), rus("40")))
    )
    assert [s.id for s in updated.shares] == ids
    assert [s.share_pct for s in updated.shares] == [Decimal(60), Decimal(40)]
    assert audit_actions(db, "cost_share") == [*created, ("updated", ids[0]), ("updated", ids[1])]
    # Only the children changed, yet the agreement's version moved: it is the lock.
    assert updated.version == row.version + 1


def test_update_adds_and_removes_partners(db: Database, programme: Fixture, ws: int) -> None:
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    ind_id, rus_id = (s.id for s in row.shares)
    org = ShareDraft(None, programme.russia_org, Decimal(50))
    updated = agreements.update_agreement(
        db, row.id, row.version, replace(row.draft(), shares=(org, ind("50")))
    )
    assert [(s.partner, s.position) for s in updated.shares] == [("Severny Luch", 0), ("IND", 1)]
    new_id = updated.shares[0].id
    assert updated.shares[1].id == ind_id
    assert audit_actions(db, "cost_share")[-3:] == [
        ("deleted", rus_id),
        ("created", new_id),
        ("updated", ind_id),
    ]


def test_unchanged_update_writes_nothing(db: Database, programme: Fixture, ws: int) -> None:
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    before = audit_count(db)
    assert agreements.update_agreement(db, row.id, row.version, row.draft()) == row
    assert audit_count(db) == before


def test_concurrent_share_edits_conflict(db: Database, programme: Fixture, ws: int) -> None:
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    first = agreements.update_agreement(
        db, row.id, row.version, replace(row.draft(), shares=(ind("60"), rus("40")))
    )
    with pytest.raises(ConflictError):
        agreements.update_agreement(
            db, row.id, row.version, replace(row.draft(), shares=(ind("70"), rus("30")))
        )
    assert agreements.get_agreement(db, row.id) == first


def test_partners_who_paid_in_stay(db: Database, programme: Fixture, ws: int) -> None:
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    costs.create_contribution(db, programme.programme_id, a_contribution(row.shares[1].id))
    org = ShareDraft(None, programme.russia_org, Decimal(50))
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        agreements.update_agreement(
            db, row.id, row.version, replace(row.draft(), shares=(ind("50"), org))
        )
    assert (err.value.field, err.value.reason) == (
        "shares",
        "RUS has 1 contribution(s) and cannot be removed",
    )
    with pytest.raises(ValidationError) as err:
        agreements.delete_agreement(db, row.id, row.version)
    assert err.value.field == "agreement"
    assert audit_count(db) == before


def test_delete_agreement_with_its_children(db: Database, programme: Fixture, ws: int) -> None:
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    agreements.delete_agreement(db, row.id, row.version)
    assert agreements.list_agreements(db, programme.programme_id) == []
    # The workstream is free again for another agreement.
    agreements.create_agreement(db, programme.programme_id, an_agreement(ws, code="CSA-2"))


# Contributions -----------------------------------------------------------------------------


def a_contribution(cost_share_id: int, /, **changes: object) -> ContributionDraft:
    draft = ContributionDraft(cost_share_id, date(2025, 4, 1), "cash", 5_000_000_00, "INR")
    return replace(draft, **changes)  # type: ignore[arg-type]


@pytest.fixture
def share_id(db: Database, programme: Fixture, ws: int) -> int:
    return agreements.create_agreement(db, programme.programme_id, an_agreement(ws)).shares[0].id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount_minor", -1),
        ("currency", "XYZ"),
        ("kind", "barter"),
        ("contributed_on", None),
        ("cost_share_id", 9999),
    ],
)
def test_bad_contribution_is_named_and_changes_nothing(
    db: Database, programme: Fixture, share_id: int, field: str, value: object
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        costs.create_contribution(
            db, programme.programme_id, a_contribution(share_id, **{field: value})
        )
    assert err.value.field == field
    assert audit_count(db) == before


def test_contributions_listed_by_date_then_id(
    db: Database, programme: Fixture, share_id: int
) -> None:
    made = [
        costs.create_contribution(
            db, programme.programme_id, a_contribution(share_id, contributed_on=d)
        )
        for d in (date(2025, 5, 1), date(2025, 4, 1), date(2025, 5, 1))
    ]
    agreement_id = agreements.list_agreements(db, programme.programme_id)[0].id
    assert [c.id for c in costs.list_contributions(db, agreement_id)] == [
        made[1].id,
        made[0].id,
        made[2].id,
    ]


def test_contribution_edit_conflict_and_delete(
    db: Database, programme: Fixture, share_id: int
) -> None:
    row = costs.create_contribution(db, programme.programme_id, a_contribution(share_id))
    edited = costs.update_contribution(
        db, row.id, row.version, a_contribution(share_id, kind="in kind")
    )
    with pytest.raises(ConflictError):
        costs.update_contribution(db, row.id, row.version, a_contribution(share_id, amount_minor=1))
    with pytest.raises(ConflictError):
        costs.delete_contribution(db, row.id, row.version)
    costs.delete_contribution(db, edited.id, edited.version)
    agreement_id = agreements.list_agreements(db, programme.programme_id)[0].id
    assert costs.list_contributions(db, agreement_id) == []


# Expenditures ------------------------------------------------------------------------------


def an_expenditure(workstream_id: int, /, **changes: object) -> ExpenditureDraft:
    draft = ExpenditureDraft(workstream_id, date(2025, 2, 1), 12_345_67, "RUB", "material")
    return replace(draft, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount_minor", -100),
        ("currency", "ZZZ"),
        ("category", "bribes"),
        ("workstream_id", 9999),
        ("description", "x" * 401),
    ],
)
def test_bad_expenditure_is_named_and_changes_nothing(
    db: Database, programme: Fixture, ws: int, field: str, value: object
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        costs.create_expenditure(db, programme.programme_id, an_expenditure(ws, **{field: value}))
    assert err.value.field == field
    assert costs.list_expenditures(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_expenditures_listed_by_programme_or_workstream(
    db: Database, programme: Fixture, ws: int
) -> None:
    prod = a_workstream(db, programme.programme_id, "WS-PROD")
    a = costs.create_expenditure(
        db, programme.programme_id, an_expenditure(ws, spent_on=date(2025, 3, 1))
    )
    b = costs.create_expenditure(
        db, programme.programme_id, an_expenditure(prod, spent_on=date(2025, 1, 1))
    )
    c = costs.create_expenditure(
        db, programme.programme_id, an_expenditure(ws, spent_on=date(2025, 1, 1))
    )
    assert costs.list_expenditures(db, programme.programme_id) == [b, c, a]
    assert costs.list_expenditures(db, programme.programme_id, ws) == [c, a]


def test_expenditure_edit_conflict_and_delete(db: Database, programme: Fixture, ws: int) -> None:
    row = costs.create_expenditure(db, programme.programme_id, an_expenditure(ws))
    edited = costs.update_expenditure(db, row.id, row.version, an_expenditure(ws, amount_minor=1))
    with pytest.raises(ConflictError):
        costs.update_expenditure(db, row.id, row.version, an_expenditure(ws, amount_minor=2))
    assert costs.list_expenditures(db, programme.programme_id) == [edited]
    costs.delete_expenditure(db, edited.id, edited.version)
    assert costs.list_expenditures(db, programme.programme_id) == []
