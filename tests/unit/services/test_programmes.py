"""Programmes, partner nations and organisations: edits, guarded deletes, base currency."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.database import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.services import agreements, contracts, costs, programmes, risks, workstreams
from app.services.agreements import AgreementDraft, ShareDraft
from app.services.contracts import ContractDraft
from app.services.costs import ContributionDraft, ExpenditureDraft
from app.services.programmes import OrganisationDraft, PartnerDraft, ProgrammeDraft
from tests.conftest import Fixture, audit_count, risk_draft, workstream_draft


def a_programme(**changes: object) -> ProgrammeDraft:
    draft = ProgrammeDraft(
        code="JP-TEST",
        name="Test programme",
        base_currency="INR",
        start_date=date(2024, 1, 1),
        end_date=date(2030, 12, 31),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def current(db: Database, programme_id: int) -> programmes.ProgrammeRow:
    [row] = [p for p in programmes.list_programmes(db) if p.id == programme_id]
    return row


def a_contract(programme: Fixture, number: str = "JP/CP/001", **changes: object) -> ContractDraft:
    draft = ContractDraft(
        number,
        "Seeker co-production",
        "co-production",
        programme.russia_org,
        programme.india_org,
        10_000_00,
        "RUB",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def an_empty_programme(db: Database) -> programmes.ProgrammeRow:
    return programmes.create_programme(
        db,
        a_programme(code="JP-EMPTY"),
        [PartnerDraft("IND", "India"), PartnerDraft("FRA", "France")],
    )


# Programmes --------------------------------------------------------------------------


def test_code_is_unique(db: Database, programme: Fixture) -> None:
    with pytest.raises(ValidationError) as err:
        programmes.create_programme(
            db, a_programme(), [PartnerDraft("IND", "India"), PartnerDraft("RUS", "Russia")]
        )
    assert (err.value.field, err.value.reason) == (
        "code",
        "'JP-TEST' is already used by another programme",
    )


def test_update_programme(db: Database, programme: Fixture) -> None:
    row = current(db, programme.programme_id)
    before = audit_count(db)
    edited = programmes.update_programme(
        db,
        row.id,
        row.version,
        a_programme(name="Seeker programme", description="Joint", marking=1),
    )
    assert (edited.name, edited.description, edited.marking, edited.version) == (
        "Seeker programme",
        "Joint",
        1,
        row.version + 1,
    )
    assert edited.releasable_to == row.releasable_to == "IND RUS"
    assert current(db, row.id) == edited
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("code", {"code": "JP-EMPTY"}),  # another programme's
        ("code", {"code": ""}),
        ("name", {"name": "x" * 201}),
        ("base_currency", {"base_currency": "XYZ"}),
        ("end_date", {"end_date": date(2023, 12, 31)}),
        ("marking", {"marking": 5}),
    ],
)
def test_bad_programme_update_changes_nothing(
    db: Database, programme: Fixture, field: str, changes: dict[str, object]
) -> None:
    an_empty_programme(db)
    row = current(db, programme.programme_id)
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        programmes.update_programme(db, row.id, row.version, a_programme(**changes))
    assert err.value.field == field
    assert current(db, row.id) == row
    assert audit_count(db) == before


def test_programme_update_of_a_stale_version_is_a_conflict(
    db: Database, programme: Fixture
) -> None:
    row = current(db, programme.programme_id)
    first = programmes.update_programme(db, row.id, row.version, a_programme(name="A"))
    with pytest.raises(ConflictError):
        programmes.update_programme(db, row.id, row.version, a_programme(name="B"))
    assert current(db, row.id) == first


def test_base_currency_may_change_while_there_is_no_money(db: Database, programme: Fixture) -> None:
    # A workstream without budget and a risk without cost impact hold no money.
    workstreams.create_workstream(db, programme.programme_id, workstream_draft())
    risks.raise_risk(db, programme.programme_id, risk_draft())
    row = current(db, programme.programme_id)
    edited = programmes.update_programme(db, row.id, row.version, a_programme(base_currency="USD"))
    assert edited.base_currency == "USD"


def hold_money(db: Database, programme: Fixture, kind: str) -> None:
    pid = programme.programme_id
    if kind == "workstream budget":
        workstreams.create_workstream(db, pid, workstream_draft(budget_minor=1))
    elif kind == "contract":
        contracts.create_contract(db, pid, a_contract(programme))
    elif kind == "risk cost impact":
        risks.raise_risk(db, pid, risk_draft(cost_impact_minor=1))
    else:
        ws = workstreams.create_workstream(db, pid, workstream_draft())
        if kind == "expenditure":
            draft = ExpenditureDraft(ws.id, date(2025, 2, 1), 1_00, "RUB", "labour")
            costs.create_expenditure(db, pid, draft)
            return
        shares = (ShareDraft("IND", None, Decimal(50)), ShareDraft("RUS", None, Decimal(50)))
        agreement = agreements.create_agreement(
            db, pid, AgreementDraft("CSA-1", "Development", "spot", date(2025, 1, 1), shares, ())
        )
        paid = ContributionDraft(agreement.shares[0].id, date(2025, 4, 1), "cash", 1_00, "INR")
        costs.create_contribution(db, pid, paid)


@pytest.mark.parametrize(
    "kind", ["workstream budget", "contract", "contribution", "expenditure", "risk cost impact"]
)
def test_base_currency_is_fixed_once_money_is_held(
    db: Database, programme: Fixture, kind: str
) -> None:
    hold_money(db, programme, kind)
    row = current(db, programme.programme_id)
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        programmes.update_programme(db, row.id, row.version, a_programme(base_currency="USD"))
    assert (err.value.field, err.value.reason) == (
        "base_currency",
        f"stays INR while the programme holds money (1 {kind}): every amount would change meaning",
    )
    assert current(db, row.id) == row
    assert audit_count(db) == before
    # Other edits still go through.
    assert programmes.update_programme(db, row.id, row.version, a_programme(name="N")).name == "N"


def test_delete_programme_refused_while_it_holds_records(db: Database, programme: Fixture) -> None:
    workstreams.create_workstream(db, programme.programme_id, workstream_draft())
    row = current(db, programme.programme_id)
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        programmes.delete_programme(db, row.id, row.version)
    assert (err.value.field, err.value.reason) == (
        "programme",
        "2 organisations and 1 workstream still refer to programme JP-TEST; "
        "delete them or move them elsewhere first",
    )
    assert current(db, row.id) == row
    assert audit_count(db) == before


def test_delete_an_empty_programme_with_its_partners(db: Database, programme: Fixture) -> None:
    empty = an_empty_programme(db)
    with pytest.raises(ConflictError):
        programmes.delete_programme(db, empty.id, empty.version + 1)
    before = audit_count(db)
    programmes.delete_programme(db, empty.id, empty.version)
    assert [p.code for p in programmes.list_programmes(db)] == ["JP-TEST"]
    assert programmes.partners(db, empty.id) == []
    assert audit_count(db) == before + 3  # two partner nations and the programme


def test_rename_partner(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    before = audit_count(db)
    renamed = programmes.rename_partner(db, pid, "RUS", "Russian Federation")
    assert renamed == PartnerDraft("RUS", "Russian Federation")
    assert programmes.partners(db, pid) == [
        PartnerDraft("IND", "India"),
        PartnerDraft("RUS", "Russian Federation"),
    ]
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("nation", "name", "field"), [("FRA", "France", "nation"), ("RUS", " ", "name")]
)
def test_bad_rename_changes_nothing(
    db: Database, programme: Fixture, nation: str, name: str, field: str
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        programmes.rename_partner(db, programme.programme_id, nation, name)
    assert err.value.field == field
    assert programmes.partners(db, programme.programme_id)[1] == PartnerDraft("RUS", "Russia")
    assert audit_count(db) == before
    with pytest.raises(NotFound):
        programmes.rename_partner(db, programme.programme_id + 99, "RUS", "Russia")


# Organisations ---------------------------------------------------------------------------


def an_organisation(**changes: object) -> OrganisationDraft:
    draft = OrganisationDraft("Vega", "Vega Avionics Pvt Ltd", "IND", "private industry")
    return replace(draft, **changes)  # type: ignore[arg-type]


def test_list_organisations_by_nation_then_short_name(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    added = programmes.add_organisation(db, pid, an_organisation(short_name="Aero"))
    listed = programmes.list_organisations(db, pid)
    assert [(o.nation, o.short_name) for o in listed] == [
        ("IND", "Aero"),
        ("IND", "TRL-Lab"),
        ("RUS", "Severny Luch"),
    ]
    assert listed[0] == added
    assert programmes.list_organisations(db, pid + 1) == []


def test_update_organisation(db: Database, programme: Fixture) -> None:
    row = programmes.add_organisation(db, programme.programme_id, an_organisation())
    edited = programmes.update_organisation(
        db, row.id, row.version, an_organisation(name="Vega Avionics Ltd", releasable_to="IND")
    )
    assert (edited.name, edited.releasable_to, edited.version) == (
        "Vega Avionics Ltd",
        "IND",
        row.version + 1,
    )
    with pytest.raises(ConflictError):
        programmes.update_organisation(db, row.id, row.version, an_organisation())


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("short_name", {"short_name": "TRL-Lab"}),  # another organisation's
        ("nation", {"nation": "FRA"}),  # not a partner
        ("kind", {"kind": "club"}),
        ("releasable_to", {"releasable_to": "USA"}),
    ],
)
def test_bad_organisation_update_changes_nothing(
    db: Database, programme: Fixture, field: str, changes: dict[str, object]
) -> None:
    row = programmes.add_organisation(db, programme.programme_id, an_organisation())
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        programmes.update_organisation(db, row.id, row.version, an_organisation(**changes))
    assert err.value.field == field
    assert row in programmes.list_organisations(db, programme.programme_id)
    assert audit_count(db) == before


def test_delete_unreferenced_organisation(db: Database, programme: Fixture) -> None:
    row = programmes.add_organisation(db, programme.programme_id, an_organisation())
    with pytest.raises(ConflictError):
        programmes.delete_organisation(db, row.id, row.version + 1)
    before = audit_count(db)
    programmes.delete_organisation(db, row.id, row.version)
    assert row not in programmes.list_organisations(db, programme.programme_id)
    assert audit_count(db) == before + 1


def test_delete_referenced_organisation_says_what_refers_to_it(
    db: Database, programme: Fixture
) -> None:
    pid = programme.programme_id
    contracts.create_contract(db, pid, a_contract(programme))
    contracts.create_contract(db, pid, a_contract(programme, "JP/CP/002"))
    workstreams.create_workstream(
        db, pid, workstream_draft(lead_organisation_id=programme.india_org)
    )
    [india] = [o for o in programmes.list_organisations(db, pid) if o.id == programme.india_org]
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        programmes.delete_organisation(db, india.id, india.version)
    assert (err.value.field, err.value.reason) == (
        "organisation",
        "2 contracts and 1 workstream still refer to organisation TRL-Lab; "
        "delete them or move them elsewhere first",
    )
    assert audit_count(db) == before


def test_organisation_referred_to_as_participant_or_partner(
    db: Database, programme: Fixture
) -> None:
    pid = programme.programme_id
    row = programmes.add_organisation(db, pid, an_organisation())
    ws = workstreams.create_workstream(db, pid, workstream_draft())
    workstreams.add_participant(db, ws.id, row.id, "avionics")
    # A contract where it is supplier and customer both counts once.
    contracts.create_contract(
        db, pid, a_contract(programme, supplier_id=row.id, customer_id=row.id)
    )
    shares = (ShareDraft("IND", None, Decimal(50)), ShareDraft(None, row.id, Decimal(50)))
    agreements.create_agreement(
        db, pid, AgreementDraft("CSA-1", "Development", "spot", date(2025, 1, 1), shares, ())
    )
    with pytest.raises(ValidationError) as err:
        programmes.delete_organisation(db, row.id, row.version)
    assert err.value.reason.startswith(
        "1 contract, 1 workstream participation and 1 cost share still refer to organisation Vega"
    )
