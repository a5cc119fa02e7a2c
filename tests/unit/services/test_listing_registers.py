"""The contracts, cost-sharing, decisions, actions and audit registers, listed a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.database import Database
from app.services import (
    actions,
    agreements,
    contracts,
    costs,
    decisions,
    fx,
    listing,
    programmes,
    risks,
    workstreams,
)
from app.services import listing_registers as registers
from app.services import register_labels as labels
from app.services.actions import ActionDraft
from app.services.agreements import AgreementDraft, FixedRateDraft, ShareDraft
from app.services.contracts import ContractDraft
from app.services.costs import ContributionDraft, ExpenditureDraft
from app.services.decisions import DecisionDraft
from app.services.fx import RateDraft
from app.services.listing import ListSpec
from app.services.programmes import PartnerDraft, ProgrammeDraft
from tests.conftest import Fixture, risk_draft, workstream_draft


@dataclass(frozen=True)
class Seeded:
    """Ids of the records `seed` made, to check lists against."""

    workstreams: tuple[int, int]
    contracts: tuple[int, int]
    agreements: tuple[int, int]
    risk: int


def seed(db: Database, programme: Fixture) -> Seeded:
    """A small register of everything: two of each, named so every order differs."""
    pid = programme.programme_id
    ws1 = workstreams.create_workstream(
        db, pid, workstream_draft(code="WS-01", title="Seeker development")
    )
    ws2 = workstreams.create_workstream(
        db,
        pid,
        workstream_draft(code="WS-02", title="Radome co-production", kind="co-production"),
    )
    c1 = contracts.create_contract(
        db,
        pid,
        ContractDraft(
            number="C-002",
            title="Radome production lot 1",
            kind="co-production",
            supplier_id=programme.russia_org,
            customer_id=programme.india_org,
            value_minor=45_000_000_00,
            currency="INR",
            status="signed",
            signed_on=date(2025, 2, 1),
            ic_target_pct=Decimal(60),
            ic_achieved_pct=Decimal(40),
            procurement_category="Buy (Indian)",
            workstream_id=ws2.id,
        ),
    )
    c2 = contracts.create_contract(
        db,
        pid,
        ContractDraft(
            number="C-001",
            title="Seeker technology transfer",
            kind="technology transfer",
            supplier_id=programme.india_org,
            customer_id=programme.russia_org,
            value_minor=1_200_000_00,
            currency="USD",
        ),
    )
    dev = agreements.create_agreement(
        db,
        pid,
        AgreementDraft(
            code="AGR-DEV",
            title="Development cost share",
            fx_rule="spot",
            signed_on=date(2025, 1, 15),
            shares=(ShareDraft("IND", None, Decimal(50)), ShareDraft("RUS", None, Decimal(50))),
            workstream_ids=(ws1.id,),
        ),
    )
    prod = agreements.create_agreement(
        db,
        pid,
        AgreementDraft(
            code="AGR-PROD",
            title="Production cost share",
            fx_rule="fixed",
            signed_on=date(2025, 3, 1),
            shares=(
                ShareDraft("IND", None, Decimal("66.6667")),
                ShareDraft(None, programme.russia_org, Decimal("33.3333")),
            ),
            workstream_ids=(ws2.id,),
            fixed_rates=(FixedRateDraft("RUB", "INR", Decimal("0.95")),),
        ),
    )
    costs.create_contribution(
        db,
        pid,
        ContributionDraft(dev.shares[1].id, date(2025, 4, 1), "cash", 5_000_000_00, "RUB"),
    )
    costs.create_contribution(
        db,
        pid,
        ContributionDraft(
            prod.shares[0].id, date(2025, 5, 1), "in kind", 2_000_000_00, "INR", "Test range"
        ),
    )
    costs.create_expenditure(
        db, pid, ExpenditureDraft(ws2.id, date(2025, 4, 10), 700_000_00, "INR", "material")
    )
    costs.create_expenditure(
        db,
        pid,
        ExpenditureDraft(ws1.id, date(2025, 6, 10), 90_000_00, "USD", "travel", "Trials visit"),
    )
    fx.add_rate(db, pid, RateDraft(date(2025, 1, 1), "USD", "INR", Decimal("83.1")))
    fx.add_rate(db, pid, RateDraft(date(2025, 1, 1), "RUB", "INR", Decimal("0.92")))
    risk = risks.raise_risk(db, pid, risk_draft())
    decisions.create_decision(
        db, pid, DecisionDraft("Approve seeker PDR", "Joint Working Group", date(2025, 9, 1))
    )
    decisions.create_decision(
        db, pid, DecisionDraft("Agree lot 2 quantity", "Steering Committee", date(2025, 7, 1))
    )
    actions.create_action(
        db, pid, ActionDraft("Book test range", "Menon", date(2025, 5, 1), risk_id=risk.id)
    )
    actions.create_action(db, pid, ActionDraft("Draft the MoU annex", "Ivanova", date(2025, 8, 1)))
    return Seeded((ws1.id, ws2.id), (c1.id, c2.id), (dev.id, prod.id), risk.id)


def other_programme(db: Database) -> int:
    """A second programme with a contract, a contribution and an expenditure of its own."""
    row = programmes.create_programme(
        db,
        ProgrammeDraft("JP-OTHER", "Other programme", "INR", date(2024, 1, 1)),
        [PartnerDraft("IND", "India"), PartnerDraft("FRA", "France")],
    )
    org = programmes.add_organisation(
        db,
        row.id,
        programmes.OrganisationDraft("Lab", "Laboratoire", "FRA", "government R&D laboratory"),
    )
    ws = workstreams.create_workstream(db, row.id, workstream_draft(code="WS-X"))
    contracts.create_contract(
        db,
        row.id,
        ContractDraft("X-1", "Elsewhere", "co-production", org.id, org.id, 100, "EUR"),
    )
    agreement = agreements.create_agreement(
        db,
        row.id,
        AgreementDraft(
            "AGR-X",
            "Elsewhere",
            "spot",
            date(2025, 1, 1),
            (ShareDraft("IND", None, Decimal(50)), ShareDraft("FRA", None, Decimal(50))),
            (ws.id,),
        ),
    )
    costs.create_contribution(
        db, row.id, ContributionDraft(agreement.shares[0].id, date(2025, 1, 2), "cash", 1, "EUR")
    )
    costs.create_expenditure(
        db, row.id, ExpenditureDraft(ws.id, date(2025, 1, 3), 1, "EUR", "other")
    )
    return row.id


@pytest.fixture
def seeded(db: Database, programme: Fixture) -> Seeded:
    return seed(db, programme)


def a_page(db: Database, spec: ListSpec[Any], pid: int, **options: Any) -> tuple[list[Any], int]:
    args: dict[str, Any] = {
        "sort": None,
        "descending": False,
        "text": "",
        "offset": 0,
        "limit": 100,
        **options,
    }
    return listing.page(db, spec, pid, **args)


SPECS = {
    "contracts": registers.CONTRACTS,
    "agreements": registers.AGREEMENTS,
    "contributions": registers.CONTRIBUTIONS,
    "expenditures": registers.EXPENDITURES,
    "rates": registers.RATES,
    "decisions": registers.DECISIONS,
    "actions": registers.ACTIONS,
    "audit": registers.AUDIT,
}


@pytest.mark.parametrize(
    ("name", "key"), [(name, key) for name, spec in SPECS.items() for key in spec.columns]
)
def test_every_column_sorts_both_ways_in_sql(
    db: Database, programme: Fixture, seeded: Seeded, name: str, key: str
) -> None:
    spec = SPECS[name]
    up, total = a_page(db, spec, programme.programme_id, sort=key)
    down, _ = a_page(db, spec, programme.programme_id, sort=key, descending=True)
    assert len(up) == total >= 2
    assert sorted(r.id for r in up) == sorted(r.id for r in down)


def test_contracts_sort_and_filter_by_organisation_name(
    db: Database, programme: Fixture, seeded: Seeded
) -> None:
    pid = programme.programme_id
    # Suppliers "Severny Luch" (C-002) and "TRL-Lab" (C-001).
    rows, _ = a_page(db, registers.CONTRACTS, pid, sort="supplier")
    assert [r.number for r in rows] == ["C-002", "C-001"]
    rows, _ = a_page(db, registers.CONTRACTS, pid, sort="customer")
    assert [r.number for r in rows] == ["C-001", "C-002"]
    # The text filter reads the organisations' names too (both contracts involve both).
    assert a_page(db, registers.CONTRACTS, pid, text="Luch")[1] == 2
    rows, total = a_page(db, registers.CONTRACTS, pid, text="seeker")
    assert total == 1 and rows[0].supplier_id == programme.india_org
    rows, _ = a_page(db, registers.CONTRACTS, pid, where={"status": "signed"})
    assert [r.number for r in rows] == ["C-002"]


def test_money_registers_stay_in_their_programme(
    db: Database, programme: Fixture, seeded: Seeded
) -> None:
    other = other_programme(db)
    pid = programme.programme_id
    assert listing.count(db, registers.CONTRACTS, pid) == 2
    assert listing.count(db, registers.AGREEMENTS, pid) == 2
    assert listing.count(db, registers.CONTRIBUTIONS, pid) == 2
    assert listing.count(db, registers.EXPENDITURES, pid) == 2
    assert listing.count(db, registers.CONTRIBUTIONS, other) == 1
    assert listing.count(db, registers.EXPENDITURES, other) == 1
    # Exchange rates belong to no programme: every programme lists the one table.
    assert listing.count(db, registers.RATES, pid) == listing.count(db, registers.RATES, other)


def test_contributions_by_partner_and_agreement(
    db: Database, programme: Fixture, seeded: Seeded
) -> None:
    pid = programme.programme_id
    rows, _ = a_page(db, registers.CONTRIBUTIONS, pid, sort="partner")
    assert [r.currency for r in rows] == ["INR", "RUB"]  # IND before RUS
    rows, total = a_page(db, registers.CONTRIBUTIONS, pid, text="AGR-PROD")
    assert total == 1 and rows[0].kind == "in kind"
    rows, _ = a_page(db, registers.CONTRIBUTIONS, pid, where={"agreement_id": seeded.agreements[0]})
    assert [r.currency for r in rows] == ["RUB"]


def test_expenditures_by_workstream(db: Database, programme: Fixture, seeded: Seeded) -> None:
    pid = programme.programme_id
    rows, _ = a_page(db, registers.EXPENDITURES, pid, sort="workstream", descending=True)
    assert [r.workstream_id for r in rows] == [seeded.workstreams[1], seeded.workstreams[0]]
    rows, total = a_page(db, registers.EXPENDITURES, pid, text="WS-01")
    assert total == 1 and rows[0].description == "Trials visit"


def test_actions_sort_by_risk_reference_with_blanks_last(
    db: Database, programme: Fixture, seeded: Seeded
) -> None:
    rows, _ = a_page(db, registers.ACTIONS, programme.programme_id, sort="risk")
    assert [r.risk_id for r in rows] == [seeded.risk, None]
    rows, total = a_page(db, registers.ACTIONS, programme.programme_id, text="R-001")
    assert total == 1 and rows[0].title == "Book test range"


def test_decisions_most_urgent_first(db: Database, programme: Fixture, seeded: Seeded) -> None:
    rows, _ = a_page(db, registers.DECISIONS, programme.programme_id, sort="needed_by")
    assert [r.title for r in rows] == ["Agree lot 2 quantity", "Approve seeker PDR"]


def test_rates_filter_by_currency(db: Database, programme: Fixture, seeded: Seeded) -> None:
    rows, total = a_page(db, registers.RATES, programme.programme_id, text="RUB")
    assert total == 1 and rows[0].rate == Decimal("0.92")


def test_agreement_rows_and_share_labels(db: Database, programme: Fixture, seeded: Seeded) -> None:
    pid = programme.programme_id
    rows, _ = a_page(db, registers.AGREEMENTS, pid, sort="code")
    assert [(r.code, r.fx_rule) for r in rows] == [("AGR-DEV", "spot"), ("AGR-PROD", "fixed")]
    found = labels.shares(db, pid)
    assert [(s.agreement_code, s.partner, s.share_pct) for s in found] == [
        ("AGR-DEV", "IND", Decimal(50)),
        ("AGR-DEV", "RUS", Decimal(50)),
        ("AGR-PROD", "IND", Decimal("66.6667")),
        ("AGR-PROD", "Severny Luch", Decimal("33.3333")),
    ]
    assert labels.covered_workstreams(db, pid) == {
        seeded.workstreams[0]: (seeded.agreements[0], "AGR-DEV"),
        seeded.workstreams[1]: (seeded.agreements[1], "AGR-PROD"),
    }
    assert labels.workstream_codes(db, pid) == {
        seeded.workstreams[0]: "WS-01",
        seeded.workstreams[1]: "WS-02",
    }
    assert labels.risk_labels(db, pid) == {
        seeded.risk: ("R-001", "Radome supplier capacity", "IND RUS")
    }


def test_picker_titles_are_the_rows_columns_in_order(
    db: Database, programme: Fixture, seeded: Seeded
) -> None:
    """A picker's look-up reads a few columns, but says what the full rows say, in order."""
    pid = programme.programme_id
    other = other_programme(db)
    assert labels.workstream_titles(db, pid) == [
        labels.WorkstreamTitle(w.id, w.code, w.title, w.marking, w.releasable_to)
        for w in workstreams.list_workstreams(db, pid)
    ]
    assert [w.label for w in labels.workstream_titles(db, pid)] == [
        "WS-01 — Seeker development",
        "WS-02 — Radome co-production",
    ]
    assert labels.contract_titles(db, pid) == [
        labels.ContractTitle(c.id, c.number, c.title) for c in contracts.list_contracts(db, pid)
    ]
    assert [c.label for c in labels.contract_titles(db, pid)] == [
        "C-001 — Seeker technology transfer",
        "C-002 — Radome production lot 1",
    ]
    assert labels.organisation_titles(db, pid) == [
        labels.OrganisationTitle(o.id, o.short_name, o.name, o.nation)
        for o in programmes.list_organisations(db, pid)
    ]
    assert [o.short_name for o in labels.organisation_titles(db, other)] == ["Lab"]


def test_risk_labels_of_some_risks(db: Database, programme: Fixture, seeded: Seeded) -> None:
    pid = programme.programme_id
    every = labels.risk_labels(db, pid)
    assert labels.risk_labels(db, pid, {seeded.risk, seeded.risk + 1000}) == every
    assert labels.risk_labels(db, pid, ()) == {}
    assert labels.risk_labels(db, other_programme(db), {seeded.risk}) == {}


def test_audit_log_newest_first_with_values(
    db: Database, programme: Fixture, seeded: Seeded
) -> None:
    rows, total = a_page(db, registers.AUDIT, programme.programme_id, sort="id", descending=True)
    assert total == len(rows) > 20
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)
    newest = rows[0]
    assert (newest.entity, newest.action) == ("action", "created")
    assert newest.old_values is None
    assert newest.new_values is not None and newest.new_values["title"] == "Draft the MoU annex"
    rows, total = a_page(db, registers.AUDIT, programme.programme_id, where={"entity": "contract"})
    assert total == 2 and {r.entity_id for r in rows} == set(seeded.contracts)
    rows, _ = a_page(db, registers.AUDIT, programme.programme_id, text="Radome production")
    assert {(r.entity, r.entity_id) for r in rows} == {("contract", seeded.contracts[0])}
    assert "cost_share_agreement" in labels.audit_entities(db)


def test_first_picks_one_record(db: Database, programme: Fixture, seeded: Seeded) -> None:
    found = registers.first(db, registers.CONTRACTS, programme.programme_id, {"id": -1})
    assert found is None
    found = registers.first(
        db, registers.CONTRACTS, programme.programme_id, {"id": seeded.contracts[1]}
    )
    assert found is not None and found.number == "C-001"
