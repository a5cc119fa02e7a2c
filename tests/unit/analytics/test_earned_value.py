"""Earned value, checked against hand-worked values (base currency INR, D = 2025-06-30).

The fixture, all amounts in minor units (paise / kopeks):

    WS-A  BAC 1,000,000.00 (100,000,000); weights 1, 2, 1:
            M1 w1 baseline 03-31, actual 04-10 (achieved)
            M2 w2 baseline 06-30 (= D, so planned), forecast 07-15, not achieved
            M3 w1 baseline 09-30
            M4 w4 baseline 03-31, actual 04-01, releasable to RUS only
          spent: INR 300,000.00 on 02-01; RUB 60,000.00 + 40,000.00 on 03-15 (rates
          RUB->INR 0.9 dated 03-01 and 1.1 dated 03-20: the 03-01 rate applies);
          INR 100,000.00 on 07-01 (after D); INR 10,000.00 on 05-01, RUS only
    WS-B  BAC 1,000.01 (100,001); weights 1, 1: one achieved (baseline 04-30, actual
          05-05), one baselined 12-31; no spending
    WS-C  BAC 0; one milestone w3, baseline and actual 03-01; no spending
    WS-D  BAC 500,000.00 (50,000,000); no milestones; spent INR 1,000.00 on 04-01
    WS-R  releasable to RUS only: BAC 10,000.00 (1,000,000); nothing else
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial

import pytest

from app.database import Database
from app.services import costs, fx
from app.services.analytics_ev import EarnedValueFigures, EvFigures, earned_value
from app.services.analytics_scope import SpotConverter
from app.services.costs import ExpenditureDraft
from app.services.fx import MissingRate, RateDraft
from tests.conftest import Fixture
from tests.unit.analytics.test_schedule import add_milestone, add_workstream, day, scope_at

D = date(2025, 6, 30)


def spend(
    db: Database,
    programme: Fixture,
    workstream_id: int,
    on: date,
    amount_minor: int,
    currency: str = "INR",
    releasable_to: str | None = None,
) -> None:
    draft = ExpenditureDraft(
        workstream_id, on, amount_minor, currency, "material", releasable_to=releasable_to
    )
    costs.create_expenditure(db, programme.programme_id, draft)


def rub_rate(db: Database, programme: Fixture, on: date, rate: str) -> None:
    fx.add_rate(db, programme.programme_id, RateDraft(on, "RUB", "INR", Decimal(rate)))


@pytest.fixture
def ws(db: Database, programme: Fixture) -> dict[str, int]:
    ids = {
        "WS-A": add_workstream(db, programme, "WS-A", 100_000_000),
        "WS-B": add_workstream(db, programme, "WS-B", 100_001),
        "WS-C": add_workstream(db, programme, "WS-C", 0),
        "WS-D": add_workstream(db, programme, "WS-D", 50_000_000),
        "WS-R": add_workstream(db, programme, "WS-R", 1_000_000, releasable_to="RUS"),
    }
    a = ids["WS-A"]
    add_milestone(db, a, "M1", day(3, 31), day(4, 10), day(4, 10), weight=1)
    add_milestone(db, a, "M2", day(6, 30), day(7, 15), weight=2)
    add_milestone(db, a, "M3", day(9, 30), day(9, 30), weight=1)
    add_milestone(db, a, "M4", day(3, 31), day(4, 1), day(4, 1), weight=4, releasable_to="RUS")
    rub_rate(db, programme, day(3, 1), "0.9")
    rub_rate(db, programme, day(3, 20), "1.1")
    spend(db, programme, a, day(2, 1), 30_000_000)
    spend(db, programme, a, day(3, 15), 6_000_000, "RUB")
    spend(db, programme, a, day(3, 15), 4_000_000, "RUB")
    spend(db, programme, a, day(7, 1), 10_000_000)
    spend(db, programme, a, day(5, 1), 1_000_000, releasable_to="RUS")
    add_milestone(db, ids["WS-B"], "B1", day(4, 30), day(4, 30), day(5, 5))
    add_milestone(db, ids["WS-B"], "B2", day(12, 31), day(12, 31))
    add_milestone(db, ids["WS-C"], "C1", day(3, 1), day(3, 1), day(3, 1), weight=3)
    spend(db, programme, ids["WS-D"], day(4, 1), 100_000)
    return ids


def figures(
    db: Database, programme: Fixture, as_of: date = D, audience: str = "joint"
) -> EarnedValueFigures:
    with db.read() as session:
        return earned_value(session, scope_at(session, programme, as_of, audience))


def test_workstream_with_weights_and_rub_spending(
    db: Database, programme: Fixture, ws: dict[str, int]
) -> None:
    a = figures(db, programme).workstreams[0]
    # Joint sees weights 1, 2, 1 (M4 is RUS only): total 4; planned M1 + M2 = 3; earned M1 = 1.
    # PV = 100,000,000 x 3/4 = 75,000,000; EV = 100,000,000 x 1/4 = 25,000,000.
    # AC = 30,000,000 (INR 02-01) + (6,000,000 + 4,000,000) RUB x 0.9 = 9,000,000
    #    = 39,000,000 (07-01 is after D; the RUS-only 05-01 spend is not visible).
    # SV = 25,000,000 - 75,000,000 = -50,000,000; CV = 25,000,000 - 39,000,000 = -14,000,000
    # SPI = 25/75 = 0.3333; CPI = 25/39 = 0.64102... -> 0.6410
    # EAC = BAC x AC / EV = 100,000,000 x 39,000,000 / 25,000,000 = 156,000,000
    # VAC = 100,000,000 - 156,000,000 = -56,000,000
    assert a == EvFigures(
        ws["WS-A"],
        "WS-A",
        "Workstream WS-A",
        bac=100_000_000,
        pv=75_000_000,
        ev=25_000_000,
        ac=39_000_000,
        sv=-50_000_000,
        cv=-14_000_000,
        spi=Decimal("0.3333"),
        cpi=Decimal("0.6410"),
        eac=156_000_000,
        vac=-56_000_000,
    )
    assert a.to_json("INR") == {
        "code": "WS-A",
        "title": "Workstream WS-A",
        "bac": "1000000.00",
        "pv": "750000.00",
        "ev": "250000.00",
        "ac": "390000.00",
        "sv": "-500000.00",
        "cv": "-140000.00",
        "spi": 0.3333,
        "cpi": 0.641,
        "eac": "1560000.00",
        "vac": "-560000.00",
    }


def test_half_unit_rounds_up_and_no_spending_leaves_cpi_null(
    db: Database, programme: Fixture, ws: dict[str, int]
) -> None:
    b = figures(db, programme).workstreams[1]
    # Weights 1, 1, one planned and achieved: PV = EV = 100,001 x 1/2 = 50,000.5 -> 50,001.
    # AC = 0: CPI null, so EAC and VAC null; SPI = 50,001 / 50,001 = 1.
    assert (b.code, b.pv, b.ev, b.ac, b.sv, b.cv) == ("WS-B", 50_001, 50_001, 0, 0, 50_001)
    assert (b.spi, b.cpi, b.eac, b.vac) == (Decimal("1.0000"), None, None, None)


def test_zero_budget_and_no_milestones(
    db: Database, programme: Fixture, ws: dict[str, int]
) -> None:
    _, _, c, d = figures(db, programme).workstreams
    # WS-C: BAC 0, so PV = EV = 0 x 3/3 = 0; no spending: every ratio null.
    assert (c.bac, c.pv, c.ev, c.ac, c.spi, c.cpi, c.eac, c.vac) == (
        0,
        0,
        0,
        0,
        None,
        None,
        None,
        None,
    )
    # WS-D: no milestones, so PV = EV = 0 and SPI null; AC = 100,000 > 0 with EV = 0:
    # CPI = 0 / 100,000 = 0, not > 0, so EAC and VAC null; CV = 0 - 100,000.
    assert (d.pv, d.ev, d.ac, d.cv, d.spi, d.cpi, d.eac, d.vac) == (
        0,
        0,
        100_000,
        -100_000,
        None,
        Decimal("0.0000"),
        None,
        None,
    )
    assert d.to_json("INR")["cpi"] == 0.0
    assert (d.to_json("INR")["spi"], d.to_json("INR")["eac"]) == (None, None)


def test_programme_recomputed_from_sums(
    db: Database, programme: Fixture, ws: dict[str, int]
) -> None:
    result = figures(db, programme)
    assert [w.code for w in result.workstreams] == ["WS-A", "WS-B", "WS-C", "WS-D"]  # no WS-R
    # BAC = 100,000,000 + 100,001 + 0 + 50,000,000 = 150,100,001
    # PV  = 75,000,000 + 50,001 + 0 + 0 = 75,050,001
    # EV  = 25,000,000 + 50,001 + 0 + 0 = 25,050,001
    # AC  = 39,000,000 + 0 + 0 + 100,000 = 39,100,000
    # SV = -50,000,000; CV = 25,050,001 - 39,100,000 = -14,049,999
    # SPI = 25,050,001 / 75,050,001 = 0.33377... -> 0.3338 (the mean of the workstreams'
    #   SPIs, (0.3333 + 1) / 2 = 0.6667, would be wrong)
    # CPI = 25,050,001 / 39,100,000 = 0.64066... -> 0.6407
    # EAC = 150,100,001 x 39,100,000 / 25,050,001 = 234,287,816.559... -> 234,287,817
    # VAC = 150,100,001 - 234,287,817 = -84,187,816
    assert result.programme == EvFigures(
        None,
        "JP-TEST",
        "Test programme",
        bac=150_100_001,
        pv=75_050_001,
        ev=25_050_001,
        ac=39_100_000,
        sv=-50_000_000,
        cv=-14_049_999,
        spi=Decimal("0.3338"),
        cpi=Decimal("0.6407"),
        eac=234_287_817,
        vac=-84_187_816,
    )
    as_json = result.to_json()
    assert as_json["programme"] == {
        "bac": "1501000.01",
        "pv": "750500.01",
        "ev": "250500.01",
        "ac": "391000.00",
        "sv": "-500000.00",
        "cv": "-140499.99",
        "spi": 0.3338,
        "cpi": 0.6407,
        "eac": "2342878.17",
        "vac": "-841878.16",
    }
    assert [w["code"] for w in as_json["workstreams"]] == ["WS-A", "WS-B", "WS-C", "WS-D"]


def test_national_audience_counts_its_own_records(
    db: Database, programme: Fixture, ws: dict[str, int]
) -> None:
    result = figures(db, programme, audience="national:RUS")
    a = result.workstreams[0]
    # With M4 (w4, achieved 04-01): total 8; planned 1 + 2 + 4 = 7; earned 1 + 4 = 5.
    # PV = 100,000,000 x 7/8 = 87,500,000; EV = 100,000,000 x 5/8 = 62,500,000;
    # AC = 39,000,000 + 1,000,000 (the RUS-only spend) = 40,000,000.
    assert (a.pv, a.ev, a.ac) == (87_500_000, 62_500_000, 40_000_000)
    assert [w.code for w in result.workstreams] == ["WS-A", "WS-B", "WS-C", "WS-D", "WS-R"]
    # BAC gains WS-R: 150,100,001 + 1,000,000.
    assert result.programme.bac == 151_100_001


def test_status_date_before_an_actual(db: Database, programme: Fixture, ws: dict[str, int]) -> None:
    a = figures(db, programme, as_of=day(4, 5)).workstreams[0]
    # At 04-05 M1's actual (04-10) has not happened: EV = 0. Planned: M1 (03-31) = 1 of 4,
    # PV = 25,000,000. AC = 30,000,000 + 9,000,000 = 39,000,000 (both before 04-05).
    # SPI = 0 / 25,000,000 = 0; CPI = 0: EAC and VAC null.
    assert (a.pv, a.ev, a.ac, a.sv, a.cv) == (25_000_000, 0, 39_000_000, -25_000_000, -39_000_000)
    assert (a.spi, a.cpi, a.eac, a.vac) == (Decimal(0), Decimal(0), None, None)


def test_missing_rate_names_the_pair_and_date(db: Database, programme: Fixture) -> None:
    ws = add_workstream(db, programme, "WS-X", 1_000_000)
    rub_rate(db, programme, day(3, 1), "0.9")  # dated after the spend: no use
    spend(db, programme, ws, day(2, 10), 500_000, "RUB")
    with pytest.raises(MissingRate) as err:
        figures(db, programme)
    assert "RUB->INR" in str(err.value)
    assert "2025-02-10" in str(err.value)


def test_no_workstreams(db: Database, programme: Fixture) -> None:
    result = figures(db, programme)
    assert result.workstreams == ()
    assert result.to_json()["programme"] == {
        "bac": "0.00",
        "pv": "0.00",
        "ev": "0.00",
        "ac": "0.00",
        "sv": "0.00",
        "cv": "0.00",
        "spi": None,
        "cpi": None,
        "eac": None,
        "vac": None,
    }


def looked_up(rate: Callable[[], Decimal]) -> Decimal | str:
    """A rate, or the message of the missing rate."""
    try:
        return rate()
    except MissingRate as missing:
        return str(missing)


def test_spot_rates_read_once_agree_with_the_rate_table(db: Database, programme: Fixture) -> None:
    """The converter's rates, read once per currency, are those `fx.rate_on` finds."""
    pid = programme.programme_id
    rub_rate(db, programme, day(3, 1), "0.9")
    fx.add_rate(db, pid, RateDraft(day(3, 10), "INR", "RUB", Decimal("1.25")))
    rub_rate(db, programme, day(3, 20), "1.1")
    # The same day both ways: the direct rate wins, inverting loses exactness.
    fx.add_rate(db, pid, RateDraft(day(4, 1), "INR", "RUB", Decimal("0.8")))
    rub_rate(db, programme, day(4, 1), "1.3")
    fx.add_rate(db, pid, RateDraft(day(5, 1), "USD", "INR", Decimal("83")))
    days = [day(2, 28), day(3, 1), day(3, 9), day(3, 10), day(3, 15), day(3, 20), day(4, 1)]
    days += [day(4, 30), day(5, 1), day(6, 30)]
    with db.read() as session:
        converter = SpotConverter(session, "INR")
        for currency in ("RUB", "USD"):
            for on in days:
                ours = looked_up(partial(converter.rate, currency, on))
                table = looked_up(partial(fx.rate_on, session, currency, "INR", on))
                assert ours == table, (currency, on)
