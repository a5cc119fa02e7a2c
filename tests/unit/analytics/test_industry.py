"""Indigenisation, ToT and offsets, against figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.database import Database
from app.services import contract_items, contracts, fx
from app.services.analytics_industry import IndustryFigures, TotCounts, industry, years_before
from app.services.analytics_scope import Scope
from app.services.audience import Audience
from app.services.contract_items import DischargeDraft, TotDraft
from app.services.contracts import ContractDraft
from app.services.fx import RateDraft
from tests.conftest import Fixture

D = date(2026, 6, 30)


def figures(db: Database, programme: Fixture, audience: str = "joint") -> IndustryFigures:
    with db.read() as s:
        return industry(s, Scope.of(s, programme.programme_id, D, Audience.parse(audience)))


def a_contract(db: Database, programme: Fixture, **changes: object) -> int:
    draft = ContractDraft(
        number="C-1",
        title="Seeker head co-production",
        kind="co-production",
        supplier_id=programme.russia_org,
        customer_id=programme.india_org,
        value_minor=100_000,  # ₹1,000.00
        currency="INR",
        signed_on=date(2025, 3, 1),
    )
    row = contracts.create_contract(db, programme.programme_id, replace(draft, **changes))  # type: ignore[arg-type]
    return row.id


def usd_rates(db: Database, programme: Fixture) -> None:
    """USD->INR 80 from 2025-01-01 and 83.33 from 2025-06-01."""
    for day, rate in ((date(2025, 1, 1), "80"), (date(2025, 6, 1), "83.33")):
        fx.add_rate(db, programme.programme_id, RateDraft(day, "USD", "INR", Decimal(rate)))


def discharge(db: Database, contract_id: int, on: date, value: int, multiplier: str) -> None:
    draft = DischargeDraft(on, "Machining line", value, Decimal(multiplier))
    contract_items.add_discharge(db, contract_id, draft)


def tot(db: Database, contract_id: int, state: str, actual: date | None = None) -> None:
    draft = TotDraft("Process sheets", "documentation", date(2025, 1, 1), state, actual)
    contract_items.add_tot(db, contract_id, draft)


def test_ic_is_weighted_by_base_value_across_currencies(db: Database, programme: Fixture) -> None:
    usd_rates(db, programme)
    a_contract(
        db,
        programme,
        ic_target_pct=Decimal(60),
        ic_achieved_pct=Decimal(50),
        procurement_category="Buy (Indian)",  # minimum 50: achieved 50 is not below it
    )
    # $10.00 signed 2025-03-01 converts at that date's rate, 80 (not the later 83.33):
    # 1,000 cents x 80 = 80,000 paise (₹800.00).
    a_contract(
        db,
        programme,
        number="C-2",
        value_minor=1_000,
        currency="USD",
        ic_target_pct=Decimal(40),
        ic_achieved_pct=Decimal(30),
        procurement_category="Buy (Indian-IDDM)",  # minimum 50: target and achieved below
    )
    got = figures(db, programme)
    assert [(c.number, c.value_minor) for c in got.contracts] == [("C-1", 100_000), ("C-2", 80_000)]
    # achieved = (100,000 x 50 + 80,000 x 30) / 180,000 = 7,400,000 / 180,000 = 41.1111...
    # target   = (100,000 x 60 + 80,000 x 40) / 180,000 = 9,200,000 / 180,000 = 51.1111...
    assert got.ic_achieved_pct == Decimal("41.1111")
    assert got.ic_target_pct == Decimal("51.1111")
    assert got.contracts_below_minimum == ("C-2",)
    out = got.to_json()
    assert (out["ic_achieved_pct"], out["ic_target_pct"]) == (41.1111, 51.1111)
    assert out["contracts_below_minimum"] == ["C-2"]
    second = out["contracts"][1]
    assert (second["value"], second["currency"], second["currency_value"]) == (
        "800.00",
        "USD",
        "10.00",
    )
    assert (second["ic_target_pct"], second["ic_achieved_pct"], second["below_minimum"]) == (
        40.0,
        30.0,
        True,
    )


def test_below_minimum_on_target_alone_and_not_without_category(
    db: Database, programme: Fixture
) -> None:
    # Buy (Global) minimum 30: target 29.9999 is below even though achieved 80 is not.
    a_contract(
        db,
        programme,
        procurement_category="Buy (Global)",
        ic_target_pct=Decimal("29.9999"),
        ic_achieved_pct=Decimal(80),
    )
    a_contract(db, programme, number="C-2", ic_target_pct=Decimal(0))  # no category
    assert figures(db, programme).contracts_below_minimum == ("C-1",)


def test_unsigned_contract_converts_at_period_start_else_d(
    db: Database, programme: Fixture
) -> None:
    usd_rates(db, programme)
    common = {"value_minor": 1_000, "currency": "USD", "signed_on": None}
    a_contract(db, programme, number="C-1", period_start=date(2025, 3, 1), **common)
    a_contract(db, programme, number="C-2", **common)
    # Period start 2025-03-01: rate 80 -> 80,000; no dates: D's rate 83.33 -> 83,330.
    assert [c.value_minor for c in figures(db, programme).contracts] == [80_000, 83_330]


def test_no_contracts_gives_null_ratios(db: Database, programme: Fixture) -> None:
    got = figures(db, programme)
    assert (got.ic_achieved_pct, got.ic_target_pct, got.tot_completion) == (None, None, None)
    out = got.to_json()
    assert out["offset_obligation"] == "0.00"
    assert out["tot_by_state"] == {"planned": 0, "in transfer": 0, "transferred": 0, "absorbed": 0}


def test_tot_counted_by_state_at_d(db: Database, programme: Fixture) -> None:
    c1 = a_contract(db, programme)
    c2 = a_contract(db, programme, number="C-2")
    tot(db, c1, "planned")
    tot(db, c1, "in transfer")
    tot(db, c1, "transferred", date(2025, 5, 1))
    tot(db, c1, "absorbed", date(2026, 1, 10))  # verified before D: absorbed
    tot(db, c1, "absorbed", D)  # verified on D: absorbed
    tot(db, c1, "absorbed", date(2026, 9, 1))  # verified after D: still only transferred
    tot(db, c2, "planned")
    got = figures(db, programme)
    assert got.contracts[0].tot == TotCounts(planned=1, in_transfer=1, transferred=2, absorbed=2)
    assert got.contracts[1].tot == TotCounts(planned=1)
    # 7 packages, 2 absorbed: completion 2 / 7 = 0.285714... -> 0.2857.
    assert (got.tot_total, got.tot_absorbed, got.tot_completion) == (7, 2, Decimal("0.2857"))
    out = got.to_json()
    assert out["tot_by_state"] == {"planned": 2, "in transfer": 1, "transferred": 2, "absorbed": 2}
    assert out["contracts"][0]["tot"] == {
        "planned": 1,
        "in transfer": 1,
        "transferred": 2,
        "absorbed": 2,
    }
    assert (out["tot_total"], out["tot_absorbed"]) == (7, 2)


def test_offset_credit_unexpired_up_to_d_with_multiplier(db: Database, programme: Fixture) -> None:
    usd_rates(db, programme)
    c1 = a_contract(db, programme, offset_obligation_minor=30_000)  # ₹300.00
    # C-2: obligation $3.00 at the signature rate 80 = 24,000 paise.
    c2 = a_contract(
        db, programme, number="C-2", value_minor=1_000, currency="USD", offset_obligation_minor=300
    )
    # Credits expire after 7 years: D - 7 years = 2019-06-30, a discharge on it is expired.
    discharge(db, c1, date(2019, 6, 30), 1_000_000, "4")  # expired: excluded
    discharge(db, c1, date(2019, 7, 1), 10_001, "1.5")  # 15,001.5 -> 15,002 (half-up once)
    discharge(db, c1, D, 5_000, "3")  # on D counts: 15,000
    discharge(db, c1, date(2026, 7, 1), 1_000_000, "2")  # after D: excluded
    # C-2: 101 cents x 0.5 = 50.5 cents at the discharge date's rate 83.33 (not the
    # signature's 80) = 4,208.165 paise -> 4,208. Rounding the credit first would give
    # 51 x 83.33 = 4,249.83 -> 4,250.
    discharge(db, c2, date(2025, 7, 1), 101, "0.5")
    got = figures(db, programme)
    first, second = got.contracts
    assert (first.offset_obligation_minor, first.offset_discharged_minor) == (30_000, 30_002)
    assert (second.offset_obligation_minor, second.offset_discharged_minor) == (24_000, 4_208)
    # 100 x 30,002 / 30,000 = 100.00666... ; 100 x 4,208 / 24,000 = 17.5333...
    assert first.offset_discharge_pct == Decimal("100.0067")
    assert second.offset_discharge_pct == Decimal("17.5333")
    assert (got.offset_obligation, got.offset_discharged) == (54_000, 34_210)
    out = got.to_json()
    assert (out["offset_obligation"], out["offset_discharged"]) == ("540.00", "342.10")
    assert out["contracts"][1]["offset_discharged"] == "42.08"


def test_no_obligation_gives_null_discharge_pct(db: Database, programme: Fixture) -> None:
    c1 = a_contract(db, programme)
    discharge(db, c1, date(2026, 1, 1), 100, "1")
    got = figures(db, programme)
    assert got.contracts[0].offset_discharged_minor == 100
    assert got.contracts[0].offset_discharge_pct is None
    assert got.to_json()["contracts"][0]["offset_discharge_pct"] is None


def test_records_outside_the_audience_count_nowhere(db: Database, programme: Fixture) -> None:
    c1 = a_contract(db, programme, ic_achieved_pct=Decimal(50))
    secret = a_contract(
        db, programme, number="C-2", ic_achieved_pct=Decimal(10), releasable_to="IND"
    )
    tot(db, secret, "planned")  # takes the contract's releasability
    tot(db, c1, "planned")
    tot_draft = TotDraft("Jigs", "tooling", date(2025, 1, 1), releasable_to="IND")
    contract_items.add_tot(db, c1, tot_draft)
    joint = figures(db, programme)
    assert [c.number for c in joint.contracts] == ["C-1"]
    assert (joint.ic_achieved_pct, joint.tot_total) == (Decimal(50), 1)
    # India sees both: (100,000 x 50 + 100,000 x 10) / 200,000 = 30.
    india = figures(db, programme, "national:IND")
    assert (india.ic_achieved_pct, india.tot_total) == (Decimal(30), 3)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 6, 30), date(2019, 6, 30)), (date(2028, 2, 29), date(2021, 2, 28))],
)
def test_years_before(day: date, expected: date) -> None:
    assert years_before(day, 7) == expected
