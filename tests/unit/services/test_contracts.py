"""Contracts and their deliverables, ToT packages and offset discharges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.database import Database
from app.errors import ConflictError, ValidationError
from app.services import contract_items, contracts, fx, programmes, risks, settings
from app.services.contract_items import DeliverableDraft, DischargeDraft, TotDraft
from app.services.contracts import ContractDraft
from app.services.fx import RateDraft
from app.services.programmes import PartnerDraft, ProgrammeDraft
from app.services.risks import RiskDraft
from tests.conftest import Fixture, audit_count

CRORE = 10**7 * 100  # one crore rupees, in paise


def a_contract(programme: Fixture, **changes: object) -> ContractDraft:
    draft = ContractDraft(
        number="JP/CP/001",
        title="Seeker head co-production",
        kind="co-production",
        supplier_id=programme.russia_org,
        customer_id=programme.india_org,
        value_minor=1_250 * CRORE,
        currency="INR",
        ic_target_pct=Decimal("50"),
        ic_achieved_pct=Decimal("42.5"),
        procurement_category="Buy & Make (Indian)",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def a_deliverable(**changes: object) -> DeliverableDraft:
    draft = DeliverableDraft("Seeker head, lot 1", 40, date(2026, 3, 31), quantity_delivered=12)
    return replace(draft, **changes)  # type: ignore[arg-type]


def a_discharge(**changes: object) -> DischargeDraft:
    draft = DischargeDraft(date(2026, 1, 15), "Machining line at Hyderabad", 10 * CRORE, Decimal(2))
    return replace(draft, **changes)  # type: ignore[arg-type]


def other_programme(db: Database) -> int:
    row = programmes.create_programme(
        db,
        ProgrammeDraft("JP-OTHER", "Other", "INR", date(2024, 1, 1)),
        [PartnerDraft("IND", "India"), PartnerDraft("FRA", "France")],
    )
    return row.id


def test_create_contract_stores_and_audits(db: Database, programme: Fixture) -> None:
    before = audit_count(db)
    row = contracts.create_contract(db, programme.programme_id, a_contract(programme))
    assert row.ic_achieved_pct == Decimal("42.5")
    assert row.releasable_to == "IND RUS"
    assert contracts.list_contracts(db, programme.programme_id) == [row]
    assert contracts.get_contract(db, row.id) == row
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("number", " "),
        ("title", ""),
        ("title", "x" * 201),
        ("kind", "barter"),
        ("status", "lost"),
        ("value_minor", -1),
        ("currency", "XYZ"),
        ("ic_target_pct", Decimal("100.01")),
        ("ic_achieved_pct", Decimal("-1")),
        ("ic_achieved_pct", Decimal("12.34567")),
        ("procurement_category", "Buy (Martian)"),
        ("offset_obligation_minor", -5),
        ("supplier_id", 9999),
        ("customer_id", None),
        ("workstream_id", 9999),
        ("releasable_to", "IND USA"),
        ("marking", 9),
    ],
)
def test_bad_contract_is_named_and_changes_nothing(
    db: Database, programme: Fixture, field: str, value: object
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        contracts.create_contract(
            db, programme.programme_id, a_contract(programme, **{field: value})
        )
    assert err.value.field == field
    assert contracts.list_contracts(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_period_must_not_end_before_it_starts(db: Database, programme: Fixture) -> None:
    draft = a_contract(programme, period_start=date(2026, 1, 1), period_end=date(2025, 12, 31))
    with pytest.raises(ValidationError) as err:
        contracts.create_contract(db, programme.programme_id, draft)
    assert err.value.field == "period_end"


def test_organisation_of_another_programme_is_refused(db: Database, programme: Fixture) -> None:
    other = other_programme(db)
    with pytest.raises(ValidationError) as err:
        contracts.create_contract(db, other, a_contract(programme))
    assert {p.field for p in err.value.problems} == {"supplier_id", "customer_id"}


def test_number_is_unique_in_programme(db: Database, programme: Fixture) -> None:
    contracts.create_contract(db, programme.programme_id, a_contract(programme))
    with pytest.raises(ValidationError) as err:
        contracts.create_contract(db, programme.programme_id, a_contract(programme, title="B"))
    assert err.value.field == "number"


def test_list_is_ordered_by_number(db: Database, programme: Fixture) -> None:
    for number in ("C-3", "C-1", "C-2"):
        contracts.create_contract(db, programme.programme_id, a_contract(programme, number=number))
    assert [c.number for c in contracts.list_contracts(db, programme.programme_id)] == [
        "C-1",
        "C-2",
        "C-3",
    ]


def test_second_edit_of_same_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = contracts.create_contract(db, programme.programme_id, a_contract(programme))
    first = contracts.update_contract(db, row.id, row.version, replace(row.draft(), title="A"))
    with pytest.raises(ConflictError) as err:
        contracts.update_contract(db, row.id, row.version, replace(row.draft(), title="B"))
    assert err.value.current is not None and err.value.current["title"] == "A"
    assert contracts.get_contract(db, row.id) == first


def test_delete_is_refused_while_records_refer_to_it(db: Database, programme: Fixture) -> None:
    row = contracts.create_contract(db, programme.programme_id, a_contract(programme))
    d1 = contract_items.add_deliverable(db, row.id, a_deliverable())
    contract_items.add_deliverable(db, row.id, a_deliverable(item="Lot 2"))
    risk = risks.raise_risk(
        db,
        programme.programme_id,
        RiskDraft(
            "R-1", "Late seeker", "schedule", date(2025, 1, 1), 3, 3, 2, 2, contract_id=row.id
        ),
    )
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        contracts.delete_contract(db, row.id, row.version)
    assert err.value.field == "contract"
    assert "2 deliverables and 1 risk still refer to" in err.value.reason
    assert audit_count(db) == before
    assert contracts.get_contract(db, row.id) == row

    risks.delete_risk(db, risk.id, risk.version)
    for deliverable in contract_items.list_deliverables(db, row.id):
        contract_items.delete_deliverable(db, deliverable.id, deliverable.version)
    assert d1.id not in [d.id for d in contract_items.list_deliverables(db, row.id)]
    contracts.delete_contract(db, row.id, row.version)
    assert contracts.list_contracts(db, programme.programme_id) == []


# Offsets ---------------------------------------------------------------------------------


def suggest(db: Database, programme: Fixture, value: int, currency: str = "INR") -> int | None:
    return contracts.suggested_offset_obligation(
        db, programme.programme_id, value, currency, date(2025, 6, 1)
    )


def test_no_obligation_up_to_the_threshold(db: Database, programme: Fixture) -> None:
    assert suggest(db, programme, 1_999 * CRORE) == 0
    assert suggest(db, programme, 2_000 * CRORE) == 0  # "above" the threshold: not at it


def test_above_the_threshold_thirty_percent_of_the_whole_value(
    db: Database, programme: Fixture
) -> None:
    # ₹2,500 crore x 30 % = ₹750 crore (not 30 % of the ₹500 crore excess).
    assert suggest(db, programme, 2_500 * CRORE) == 750 * CRORE
    # 2,000 crore and 1 paise: 30 % is 600 crore and 0.3 paise, rounded half-up to 0.
    assert suggest(db, programme, 2_000 * CRORE + 1) == 600 * CRORE


def test_foreign_value_is_converted_for_the_threshold(db: Database, programme: Fixture) -> None:
    assert suggest(db, programme, 2_500 * CRORE, "RUB") is None  # no RUB rate yet
    fx.add_rate(
        db,
        programme.programme_id,
        RateDraft(date(2025, 1, 1), "INR", "RUB", Decimal("1.25")),  # RUB->INR = 0.8
    )
    # ₽2,400 crore x 0.8 = ₹1,920 crore: below.
    assert suggest(db, programme, 2_400 * CRORE, "RUB") == 0
    # ₽2,600 crore x 0.8 = ₹2,080 crore: above, so 30 % of ₽2,600 crore, in roubles.
    assert suggest(db, programme, 2_600 * CRORE, "RUB") == 780 * CRORE


# Children --------------------------------------------------------------------------------


@pytest.fixture
def contract_id(db: Database, programme: Fixture) -> int:
    draft = a_contract(programme, marking=1, releasable_to="IND")
    return contracts.create_contract(db, programme.programme_id, draft).id


def test_children_take_the_contract_protection_by_default(db: Database, contract_id: int) -> None:
    inherited = contract_items.add_deliverable(db, contract_id, a_deliverable())
    assert (inherited.marking, inherited.releasable_to) == (1, "IND")
    # 0, the lowest marking, is the default: it means "as the contract", never lower.
    as_contract = contract_items.add_deliverable(db, contract_id, a_deliverable(marking=0))
    assert (as_contract.marking, as_contract.releasable_to) == (1, "IND")
    higher = contract_items.add_tot(
        db, contract_id, TotDraft("Seeker test rig", "test equipment", date(2026, 1, 1), marking=3)
    )
    assert (higher.marking, higher.releasable_to) == (3, "IND")


@pytest.mark.parametrize("add", ["deliverable", "tot", "discharge"])
def test_children_cannot_be_released_wider_than_the_contract(
    db: Database, contract_id: int, add: str
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        if add == "deliverable":
            contract_items.add_deliverable(db, contract_id, a_deliverable(releasable_to="IND,RUS"))
        elif add == "tot":
            draft = TotDraft("Rig", "test equipment", date(2026, 1, 1), releasable_to="RUS")
            contract_items.add_tot(db, contract_id, draft)
        else:
            contract_items.add_discharge(db, contract_id, a_discharge(releasable_to="IND RUS"))
    assert (err.value.field, err.value.reason) == (
        "releasable_to",
        "the contract JP/CP/001 is releasable to IND only; "
        "its records cannot be released more widely",
    )
    assert audit_count(db) == before


def test_narrowing_a_contract_narrows_its_records(
    db: Database, programme: Fixture, contract_id: int
) -> None:
    contract = contracts.get_contract(db, contract_id)
    wide = contracts.update_contract(
        db, contract.id, contract.version, replace(contract.draft(), releasable_to="IND RUS")
    )
    item = contract_items.add_deliverable(db, contract_id, a_deliverable())
    contract_items.add_tot(
        db, contract_id, TotDraft("Rig", "test equipment", date(2026, 1, 1), marking=4)
    )
    risk = risks.raise_risk(
        db,
        programme.programme_id,
        RiskDraft(
            "R-1", "Late seeker", "schedule", date(2025, 1, 1), 3, 3, 2, 2, contract_id=wide.id
        ),
    )
    assert (item.marking, item.releasable_to, risk.releasable_to) == (1, "IND RUS", "IND RUS")
    contracts.update_contract(
        db, wide.id, wide.version, replace(wide.draft(), marking=2, releasable_to="RUS")
    )
    [now] = contract_items.list_deliverables(db, contract_id)
    assert (now.marking, now.releasable_to, now.version) == (2, "RUS", item.version + 1)
    # A higher marking of its own is kept; only the releasability narrows.
    assert [(t.marking, t.releasable_to) for t in contract_items.list_tot(db, contract_id)] == [
        (4, "RUS")
    ]
    assert risks.get_risk(db, risk.id).releasable_to == "RUS"


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("quantity_delivered", {"quantity_delivered": 41}),
        ("quantity_delivered", {"quantity_delivered": -1}),
        ("quantity_ordered", {"quantity_ordered": -1}),
        ("item", {"item": ""}),
        ("due_date", {"due_date": None}),
        ("releasable_to", {"releasable_to": "USA"}),
    ],
)
def test_bad_deliverable_is_named_and_changes_nothing(
    db: Database, contract_id: int, field: str, changes: dict[str, object]
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        contract_items.add_deliverable(db, contract_id, a_deliverable(**changes))
    assert err.value.field == field
    assert audit_count(db) == before


def test_deliverables_are_listed_by_due_date(db: Database, contract_id: int) -> None:
    for month in (9, 3, 6):
        contract_items.add_deliverable(
            db, contract_id, a_deliverable(due_date=date(2026, month, 1))
        )
    listed = contract_items.list_deliverables(db, contract_id)
    assert [d.due_date.month for d in listed] == [3, 6, 9]


def test_deliverable_edit_conflict(db: Database, contract_id: int) -> None:
    row = contract_items.add_deliverable(db, contract_id, a_deliverable())
    contract_items.update_deliverable(db, row.id, row.version, a_deliverable(quantity_delivered=40))
    with pytest.raises(ConflictError):
        contract_items.update_deliverable(db, row.id, row.version, a_deliverable())
    assert contract_items.list_deliverables(db, contract_id)[0].quantity_delivered == 40


@pytest.mark.parametrize("state", ["transferred", "absorbed"])
def test_tot_needs_actual_date_once_transferred(db: Database, contract_id: int, state: str) -> None:
    draft = TotDraft("Radome layup process", "process know-how", date(2026, 1, 1), state=state)
    with pytest.raises(ValidationError) as err:
        contract_items.add_tot(db, contract_id, draft)
    assert err.value.field == "actual_date"
    row = contract_items.add_tot(db, contract_id, replace(draft, actual_date=date(2026, 2, 1)))
    assert contract_items.list_tot(db, contract_id) == [row]


def test_tot_in_transfer_needs_no_actual_date_and_kind_is_checked(
    db: Database, contract_id: int
) -> None:
    draft = TotDraft("Test rig", "test equipment", date(2026, 1, 1), state="in transfer")
    row = contract_items.add_tot(db, contract_id, draft)
    with pytest.raises(ValidationError) as err:
        contract_items.update_tot(db, row.id, row.version, replace(draft, kind="gossip"))
    assert err.value.field == "kind"


@pytest.mark.parametrize("multiplier", ["0.5", "1.25", "4", "4.00"])
def test_multiplier_within_limits_is_accepted(
    db: Database, contract_id: int, multiplier: str
) -> None:
    row = contract_items.add_discharge(db, contract_id, a_discharge(multiplier=Decimal(multiplier)))
    assert row.multiplier == Decimal(multiplier)


@pytest.mark.parametrize("multiplier", ["0.49", "4.01", "1.255", "0"])
def test_multiplier_outside_limits_is_refused(
    db: Database, contract_id: int, multiplier: str
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        contract_items.add_discharge(db, contract_id, a_discharge(multiplier=Decimal(multiplier)))
    assert err.value.field == "multiplier"
    assert contract_items.list_discharges(db, contract_id) == []
    assert audit_count(db) == before


def test_multiplier_limits_follow_the_office_settings(db: Database, contract_id: int) -> None:
    offsets = {**settings.DEFAULTS["offsets"], "multiplier_max": "3"}
    settings.change(db, "offsets", offsets, settings.get(db, "offsets").version)
    with pytest.raises(ValidationError) as err:
        contract_items.add_discharge(db, contract_id, a_discharge(multiplier=Decimal("3.5")))
    assert "from 0.5 to 3" in err.value.reason
    assert contract_items.add_discharge(db, contract_id, a_discharge(multiplier=Decimal(3)))


def test_discharge_credit_is_value_times_multiplier(db: Database, contract_id: int) -> None:
    # ₹10 crore x 2.5 = ₹25 crore of credit.
    row = contract_items.add_discharge(db, contract_id, a_discharge(multiplier=Decimal("2.5")))
    assert row.credit_minor == 25 * CRORE
    with pytest.raises(ValidationError) as err:
        contract_items.update_discharge(db, row.id, row.version, a_discharge(value_minor=-1))
    assert err.value.field == "value_minor"
    contract_items.delete_discharge(db, row.id, row.version)
    assert contract_items.list_discharges(db, contract_id) == []
