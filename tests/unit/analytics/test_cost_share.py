"""Cost-share reconciliation: hand-worked agreements, and properties of the arithmetic.

Money in the comments is in minor units (paise for INR, kopecks for RUB, cents for EUR).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.database import Database
from app.domain import OrganisationKind
from app.services import agreements, costs, fx, programmes
from app.services.agreements import FixedRateDraft, ShareDraft
from app.services.analytics_costshare import (
    AgreementFigures,
    MissingFixedRate,
    PartnerFigures,
    Transfer,
    allocate,
    cost_share,
    reconcile,
    settle,
)
from app.services.analytics_scope import Scope
from app.services.audience import Audience
from app.services.fx import MissingRate, RateDraft
from app.services.programmes import OrganisationDraft
from tests.conftest import Fixture
from tests.unit.services.test_costs import (
    a_contribution,
    a_workstream,
    an_agreement,
    an_expenditure,
    ind,
    rus,
)

D = date(2025, 6, 30)
THIRDS = [Decimal("33.3333"), Decimal("33.3333"), Decimal("33.3334")]


def reconciled(
    db: Database, programme: Fixture, as_of: date = D, audience: str = "joint"
) -> tuple[AgreementFigures, ...]:
    with db.read() as s:
        scope = Scope.of(s, programme.programme_id, as_of, Audience.parse(audience))
        return cost_share(s, scope)


def add_rate(db: Database, programme: Fixture, on: date, pair: str, rate: str) -> None:
    from_ccy, to_ccy = pair.split("->")
    fx.add_rate(db, programme.programme_id, RateDraft(on, from_ccy, to_ccy, Decimal(rate)))


def spend(
    db: Database, programme: Fixture, ws: int, on: date, amount: int, ccy: str, **kw: object
) -> None:
    draft = an_expenditure(ws, spent_on=on, amount_minor=amount, currency=ccy, **kw)
    costs.create_expenditure(db, programme.programme_id, draft)


def pay(
    db: Database, programme: Fixture, share: int, on: date, amount: int, ccy: str, **kw: object
) -> None:
    draft = a_contribution(share, contributed_on=on, amount_minor=amount, currency=ccy, **kw)
    costs.create_contribution(db, programme.programme_id, draft)


@pytest.fixture
def ws(db: Database, programme: Fixture) -> int:
    return a_workstream(db, programme.programme_id)


@pytest.fixture
def fifty_fifty(db: Database, programme: Fixture, ws: int) -> tuple[int, int]:
    """A spot agreement, IND 50 / RUS 50; returns the two shares' ids."""
    row = agreements.create_agreement(db, programme.programme_id, an_agreement(ws))
    return row.shares[0].id, row.shares[1].id


# Hand-worked agreements -------------------------------------------------------------------


def test_fifty_fifty_spot_with_a_deficit(
    db: Database, programme: Fixture, ws: int, fifty_fifty: tuple[int, int]
) -> None:
    india, russia = fifty_fifty
    add_rate(db, programme, date(2025, 1, 1), "RUB->INR", "0.9")
    add_rate(db, programme, date(2025, 3, 1), "RUB->INR", "0.95")
    # Eligible: 1_000_000_00 INR, plus RUB 500_000_00 + 500_000_01 on one date, summed to
    # 1_000_000_01 and converted at 0.95 (the 03-01 rate): 950_000_00.95 -> 950_000_01.
    spend(db, programme, ws, date(2025, 2, 1), 1_000_000_00, "INR")
    spend(db, programme, ws, date(2025, 3, 15), 500_000_00, "RUB")
    spend(db, programme, ws, date(2025, 3, 15), 500_000_01, "RUB")
    # eligible = 1_950_000_01; half is 975_000_00.5 each, the odd unit to IND (listed first)
    # IND paid 1_000_000_00 INR; RUS paid RUB 1_000_000_00 on 02-10 at 0.9 = 900_000_00.
    pay(db, programme, india, date(2025, 1, 15), 1_000_000_00, "INR")
    pay(db, programme, russia, date(2025, 2, 10), 1_000_000_00, "RUB")
    # net: IND 1_000_000_00 - 975_000_01 = 24_999_99; RUS 900_000_00 - 975_000_00 = -75_000_00
    # pool = -50_000_01, a deficit: 50_000_01 halves to 25_000_01 (IND) + 25_000_00, negated.
    # balance: IND 24_999_99 + 25_000_01 = 50_000_00; RUS -75_000_00 + 25_000_00 = -50_000_00
    (figures,) = reconciled(db, programme)
    assert figures == AgreementFigures(
        agreement="CSA-DEV",
        title="Development cost share",
        fx_rule="spot",
        eligible=1_950_000_01,
        pool=-50_000_01,
        partners=(
            PartnerFigures("IND", Decimal(50), 975_000_01, 1_000_000_00, 24_999_99, 50_000_00),
            PartnerFigures("RUS", Decimal(50), 975_000_00, 900_000_00, -75_000_00, -50_000_00),
        ),
        settlement=(Transfer("RUS", "IND", 50_000_00),),
        rates_used=(
            ("RUB", "INR", Decimal("0.9"), date(2025, 2, 10)),
            ("RUB", "INR", Decimal("0.95"), date(2025, 3, 15)),
        ),
    )
    assert figures.to_json("INR") == {
        "agreement": "CSA-DEV",
        "fx_rule": "spot",
        "eligible": "1950000.01",
        "pool": "-50000.01",
        "partners": [
            {
                "partner": "IND",
                "share_pct": 50.0,
                "owed": "975000.01",
                "contributed": "1000000.00",
                "net": "24999.99",
                "balance": "50000.00",
            },
            {
                "partner": "RUS",
                "share_pct": 50.0,
                "owed": "975000.00",
                "contributed": "900000.00",
                "net": "-75000.00",
                "balance": "-50000.00",
            },
        ],
        "settlement": [{"from": "RUS", "to": "IND", "amount": "50000.00"}],
    }


def test_thirds_with_an_organisation_who_paid_nothing(
    db: Database, programme: Fixture, ws: int
) -> None:
    lab = ShareDraft(None, programme.india_org, Decimal("33.3334"))
    row = agreements.create_agreement(
        db,
        programme.programme_id,
        an_agreement(ws, shares=(ind("33.3333"), rus("33.3333"), lab)),
    )
    india, russia, _ = (s.id for s in row.shares)
    spend(db, programme, ws, date(2025, 2, 1), 600_000_01, "INR")
    spend(db, programme, ws, date(2025, 3, 1), 400_000_01, "INR")
    # eligible = 1_000_000_02; exact quotas 333_333_00.666666 (twice) and 333_334_00.666668
    # floors sum to 1_000_000_00, two units left: TRL-Lab (.666668), then the .666666 tie
    # goes to IND, listed before RUS. owed = 333_333_01, 333_333_00, 333_334_01.
    pay(db, programme, india, date(2025, 4, 1), 700_000_00, "INR")
    pay(db, programme, russia, date(2025, 4, 1), 500_000_00, "INR")
    # net: IND 366_666_99, RUS 166_667_00, TRL-Lab -333_334_01; pool = 199_999_98
    # pool quotas 66_666_59.333334 (twice), 66_666_79.333332: one unit left, to the tie's
    # first partner IND: 66_666_60, 66_666_59, 66_666_79.
    # balance: IND 300_000_39, RUS 100_000_41, TRL-Lab -400_000_80 (sum 0)
    # TRL-Lab pays the largest credit (IND) first, then RUS.
    (figures,) = reconciled(db, programme)
    assert (figures.eligible, figures.pool) == (1_000_000_02, 199_999_98)
    assert figures.partners == (
        PartnerFigures("IND", THIRDS[0], 333_333_01, 700_000_00, 366_666_99, 300_000_39),
        PartnerFigures("RUS", THIRDS[1], 333_333_00, 500_000_00, 166_667_00, 100_000_41),
        PartnerFigures("TRL-Lab", THIRDS[2], 333_334_01, 0, -333_334_01, -400_000_80),
    )
    assert figures.settlement == (
        Transfer("TRL-Lab", "IND", 300_000_39),
        Transfer("TRL-Lab", "RUS", 100_000_41),
    )
    assert figures.rates_used == ()  # everything was already in INR
    assert figures.to_json("INR")["partners"][2]["share_pct"] == 33.3334


def test_fixed_agreement_uses_its_stored_rates_both_ways(
    db: Database, programme: Fixture, ws: int
) -> None:
    rates = (
        FixedRateDraft("RUB", "INR", Decimal("0.9")),
        FixedRateDraft("INR", "EUR", Decimal("0.011")),  # serves EUR->INR, inverted
    )
    row = agreements.create_agreement(
        db, programme.programme_id, an_agreement(ws, fx_rule="fixed", fixed_rates=rates)
    )
    india, russia = (s.id for s in row.shares)
    add_rate(db, programme, date(2025, 1, 1), "RUB->INR", "0.95")  # spot: must be ignored
    # RUB 100_000_00 x 0.9 = 90_000_00
    # EUR 1_000_00 x (1 / 0.011 = 90.90909090909090909090909091) = 90_909_09.09... -> 90_909_09
    spend(db, programme, ws, date(2025, 2, 1), 100_000_00, "RUB")
    spend(db, programme, ws, date(2025, 2, 1), 1_000_00, "EUR")
    # eligible = 180_909_09; owed 90_454_55 (IND, the odd unit) and 90_454_54
    pay(db, programme, india, date(2025, 3, 1), 50_000_00, "INR")
    pay(db, programme, russia, date(2025, 3, 1), 100_000_00, "RUB")  # 90_000_00
    # net: IND -40_454_55, RUS -454_54; pool -40_909_09 -> -20_454_55 (IND), -20_454_54
    # balance: IND -20_000_00, RUS 20_000_00
    (figures,) = reconciled(db, programme)
    assert (figures.fx_rule, figures.eligible, figures.pool) == ("fixed", 180_909_09, -40_909_09)
    assert [(p.owed, p.contributed, p.net, p.balance) for p in figures.partners] == [
        (90_454_55, 50_000_00, -40_454_55, -20_000_00),
        (90_454_54, 90_000_00, -454_54, 20_000_00),
    ]
    assert figures.settlement == (Transfer("IND", "RUS", 20_000_00),)
    assert figures.rates_used == (
        ("EUR", "INR", Decimal("90.90909090909090909090909091"), None),
        ("RUB", "INR", Decimal("0.9"), None),
    )


def test_fixed_agreement_without_a_rate_names_the_pair(
    db: Database, programme: Fixture, ws: int
) -> None:
    rates = (FixedRateDraft("RUB", "INR", Decimal("0.9")),)
    row = agreements.create_agreement(
        db, programme.programme_id, an_agreement(ws, fx_rule="fixed", fixed_rates=rates)
    )
    add_rate(db, programme, date(2025, 1, 1), "USD->INR", "83")  # a spot rate does not help
    pay(db, programme, row.shares[0].id, date(2025, 3, 1), 10_00, "USD")
    with pytest.raises(MissingFixedRate) as err:
        reconciled(db, programme)
    assert (err.value.from_ccy, err.value.to_ccy, err.value.agreement) == ("USD", "INR", "CSA-DEV")
    assert "USD->INR" in str(err.value)
    assert "CSA-DEV" in str(err.value)


def test_spot_contribution_without_an_earlier_rate_names_pair_and_date(
    db: Database, programme: Fixture, fifty_fifty: tuple[int, int]
) -> None:
    add_rate(db, programme, date(2025, 3, 1), "USD->INR", "83")  # too late for 02-10
    pay(db, programme, fifty_fifty[1], date(2025, 2, 10), 10_00, "USD")
    with pytest.raises(MissingRate) as err:
        reconciled(db, programme)
    assert str(err.value) == "no exchange rate USD->INR on or before 2025-02-10"


def test_records_after_the_status_date_or_elsewhere_are_left_out(
    db: Database, programme: Fixture, ws: int, fifty_fifty: tuple[int, int]
) -> None:
    india, russia = fifty_fifty
    elsewhere = a_workstream(db, programme.programme_id, "WS-OTHER")  # under no agreement
    spend(db, programme, ws, D, 100_00, "INR")
    spend(db, programme, ws, date(2025, 7, 1), 10_000_00, "INR")
    spend(db, programme, elsewhere, D, 20_000_00, "INR")
    pay(db, programme, india, D, 30_00, "INR")
    pay(db, programme, russia, date(2025, 7, 1), 40_000_00, "INR")
    # At D: eligible 100_00, owed 50_00 each; IND paid 30_00, RUS nothing.
    # net -20_00 and -50_00, pool -70_00 -> -35_00 each; balance 15_00 and -15_00.
    (figures,) = reconciled(db, programme)
    assert (figures.eligible, figures.pool) == (100_00, -70_00)
    assert [(p.contributed, p.balance) for p in figures.partners] == [(30_00, 15_00), (0, -15_00)]
    assert figures.settlement == (Transfer("RUS", "IND", 15_00),)
    (later,) = reconciled(db, programme, as_of=date(2025, 7, 1))
    assert later.eligible == 10_100_00
    assert [p.contributed for p in later.partners] == [30_00, 40_000_00]


def test_records_not_releasable_to_the_audience_are_left_out(
    db: Database, programme: Fixture, ws: int, fifty_fifty: tuple[int, int]
) -> None:
    india, _ = fifty_fifty
    spend(db, programme, ws, date(2025, 2, 1), 100_00, "INR")
    spend(db, programme, ws, date(2025, 2, 1), 900_00, "INR", releasable_to="IND")
    pay(db, programme, india, date(2025, 2, 1), 10_00, "INR")
    pay(db, programme, india, date(2025, 2, 1), 70_00, "INR", releasable_to="IND")
    secret_ws = a_workstream(db, programme.programme_id, "WS-IND")
    agreements.create_agreement(
        db,
        programme.programme_id,
        an_agreement(secret_ws, code="CSA-IND", releasable_to="IND"),
    )
    (joint,) = reconciled(db, programme)
    assert (joint.eligible, joint.partners[0].contributed) == (100_00, 10_00)
    national = reconciled(db, programme, audience="national:IND")
    assert [a.agreement for a in national] == ["CSA-DEV", "CSA-IND"]
    assert (national[0].eligible, national[0].partners[0].contributed) == (1_000_00, 80_00)


def test_an_organisation_hidden_from_the_audience_is_not_named(
    db: Database, programme: Fixture, ws: int
) -> None:
    works = programmes.add_organisation(
        db,
        programme.programme_id,
        OrganisationDraft(
            "Secret-Works", "Secret Works", "IND", OrganisationKind.PRIVATE_INDUSTRY, 0, "IND"
        ),
    )
    shares = (ind("33.3333"), rus("33.3333"), ShareDraft(None, works.id, Decimal("33.3334")))
    agreements.create_agreement(db, programme.programme_id, an_agreement(ws, shares=shares))
    (joint,) = reconciled(db, programme)
    assert [p.partner for p in joint.partners] == ["IND", "RUS", "partner 3"]
    (national,) = reconciled(db, programme, audience="national:IND")
    assert [p.partner for p in national.partners] == ["IND", "RUS", "Secret-Works"]


def test_no_agreements_no_figures(db: Database, programme: Fixture) -> None:
    assert reconciled(db, programme) == ()


# The arithmetic, by hand ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (0, THIRDS, [0, 0, 0]),
        # quotas .666666, .666666, .666668: TRL-Lab's remainder first, then the tie to IND
        (2, THIRDS, [1, 0, 1]),
        # -5: split 5 (quotas 1.666665, 1.666665, 1.66667 -> 2, 1, 2), then negated
        (-5, THIRDS, [-2, -1, -2]),
        (1, [Decimal(50), Decimal(50)], [1, 0]),
        (-1, [Decimal(50), Decimal(50)], [-1, 0]),
        (7, [Decimal(10), Decimal(90)], [1, 6]),  # quotas 0.7 and 6.3
    ],
)
def test_allocate_by_hand(total: int, weights: list[Decimal], parts: list[int]) -> None:
    assert allocate(total, weights) == parts


def test_settle_by_hand() -> None:
    # -5 pays the largest credit (4, the first of two) then the other; at most n-1 steps.
    assert settle([4, -5, 4, -3]) == [(1, 0, 4), (3, 2, 3), (1, 2, 1)]
    assert settle([0, 0]) == []
    with pytest.raises(ValueError):
        settle([1, 0])


# Properties -------------------------------------------------------------------------------

# A share: 0.0001 % to 100 %, as the agreement stores it.
share_pct = st.integers(1, 1_000_000).map(lambda n: Decimal(n).scaleb(-4))


@st.composite
def agreement_shares(draw: st.DrawFn) -> list[Decimal]:
    """Two to six positive shares (4 decimals) that sum to exactly 100."""
    cuts = sorted(draw(st.sets(st.integers(1, 999_999), min_size=1, max_size=5)))
    bounds = [0, *cuts, 1_000_000]
    return [Decimal(b - a).scaleb(-4) for a, b in pairwise(bounds)]


@given(
    total=st.integers(-(10**12), 10**12),
    weights=st.lists(share_pct | st.just(Decimal(0)), min_size=1, max_size=8).filter(any),
)
def test_allocation_is_exact_and_within_a_unit_of_the_quota(
    total: int, weights: list[Decimal]
) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    whole = sum(Fraction(w) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * Fraction(weight) / whole) < 1


@given(st.lists(st.integers(-(10**12), 10**12), max_size=8))
def test_settlement_clears_every_balance(values: list[int]) -> None:
    balances = [*values, -sum(values)]
    left = list(balances)
    transfers = settle(balances)
    for payer, payee, amount in transfers:
        assert amount > 0
        assert left[payer] < 0 < left[payee]
        left[payer] += amount
        left[payee] -= amount
    assert left == [0] * len(balances)
    assert len(transfers) <= len(balances) - 1


@given(
    shares=agreement_shares(),
    eligible=st.integers(0, 10**12),
    paid=st.lists(st.integers(0, 10**12), min_size=6, max_size=6),
)
def test_any_agreement_reconciles_to_the_unit(
    shares: list[Decimal], eligible: int, paid: list[int]
) -> None:
    partners = [(f"P{n}", share, paid[n]) for n, share in enumerate(shares)]
    pool, figures, settlement = reconcile(eligible, partners)
    assert sum(p.owed for p in figures) == eligible
    assert pool == sum(p.contributed for p in figures) - eligible == sum(p.net for p in figures)
    assert sum(p.balance for p in figures) == 0
    assert len(settlement) <= len(figures) - 1
    left = {p.partner: p.balance for p in figures}
    for transfer in settlement:
        left[transfer.from_] += transfer.amount
        left[transfer.to] -= transfer.amount
    assert set(left.values()) == {0}
