"""Exchange rates: the table's rules, the rate that applies on a date, exact conversion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.database import Database
from app.errors import ConflictError, SetuError, ValidationError
from app.services import fx
from app.services.fx import MissingRate, RateDraft
from tests.conftest import Fixture, audit_count


def a_rate(**changes: object) -> RateDraft:
    draft = RateDraft(date(2025, 1, 1), "RUB", "INR", Decimal("0.9"))
    return replace(draft, **changes)  # type: ignore[arg-type]


def rate_on(db: Database, from_ccy: str, to_ccy: str, on: date) -> Decimal:
    with db.read() as s:
        return fx.rate_on(s, from_ccy, to_ccy, on)


def test_add_rate_stores_and_audits(db: Database, programme: Fixture) -> None:
    before = audit_count(db)
    row = fx.add_rate(db, programme.programme_id, a_rate())
    assert (row.from_currency, row.to_currency, row.rate) == ("RUB", "INR", Decimal("0.9"))
    assert row.releasable_to == "IND RUS"
    assert fx.list_rates(db) == [row]
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("to_currency", {"to_currency": "RUB"}),
        ("from_currency", {"from_currency": "XYZ"}),
        ("to_currency", {"to_currency": "rupees"}),
        ("rate", {"rate": Decimal(0)}),
        ("rate", {"rate": Decimal("-1.5")}),
        ("rate", {"rate": Decimal("0.12345678901")}),  # 11 decimals
        ("rate_date", {"rate_date": None}),
        ("releasable_to", {"releasable_to": "IND USA"}),
        ("marking", {"marking": 9}),
    ],
)
def test_bad_rate_is_named_and_changes_nothing(
    db: Database, programme: Fixture, field: str, changes: dict[str, object]
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        fx.add_rate(db, programme.programme_id, a_rate(**changes))
    assert err.value.field == field
    assert fx.list_rates(db) == []
    assert audit_count(db) == before


def test_ten_decimal_places_are_kept_exactly(db: Database, programme: Fixture) -> None:
    fx.add_rate(db, programme.programme_id, a_rate(rate=Decimal("0.0123456789")))
    assert fx.list_rates(db)[0].rate == Decimal("0.0123456789")


def test_one_rate_per_pair_and_date(db: Database, programme: Fixture) -> None:
    fx.add_rate(db, programme.programme_id, a_rate())
    with pytest.raises(ValidationError) as err:
        fx.add_rate(db, programme.programme_id, a_rate(rate=Decimal("0.95")))
    assert err.value.field == "rate_date"
    # The other direction on the same date is a different record.
    fx.add_rate(db, programme.programme_id, a_rate(from_currency="INR", to_currency="RUB"))
    assert len(fx.list_rates(db)) == 2


def test_list_is_ordered_by_pair_then_date(db: Database, programme: Fixture) -> None:
    for day, pair in [(3, ("USD", "INR")), (2, ("RUB", "INR")), (1, ("USD", "INR"))]:
        fx.add_rate(db, programme.programme_id, a_rate(rate_date=date(2025, 1, day)))
        fx.add_rate(
            db,
            programme.programme_id,
            a_rate(rate_date=date(2025, 2, day), from_currency=pair[0], to_currency=pair[1]),
        )
    listed = [(r.from_currency, r.rate_date.isoformat()) for r in fx.list_rates(db)]
    assert listed == [
        ("RUB", "2025-01-01"),
        ("RUB", "2025-01-02"),
        ("RUB", "2025-01-03"),
        ("RUB", "2025-02-02"),
        ("USD", "2025-02-01"),
        ("USD", "2025-02-03"),
    ]


def test_second_edit_of_same_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = fx.add_rate(db, programme.programme_id, a_rate())
    fx.update_rate(db, programme.programme_id, row.id, row.version, a_rate(rate=Decimal("0.91")))
    with pytest.raises(ConflictError):
        fx.update_rate(
            db, programme.programme_id, row.id, row.version, a_rate(rate=Decimal("0.92"))
        )
    assert fx.list_rates(db)[0].rate == Decimal("0.91")
    with pytest.raises(ConflictError):
        fx.delete_rate(db, row.id, row.version)


def test_delete_rate(db: Database, programme: Fixture) -> None:
    row = fx.add_rate(db, programme.programme_id, a_rate())
    fx.delete_rate(db, row.id, row.version)
    assert fx.list_rates(db) == []


def test_same_currency_is_one_without_any_rate(db: Database) -> None:
    assert rate_on(db, "INR", "INR", date(2025, 1, 1)) == 1


def test_latest_rate_on_or_before_the_date(db: Database, programme: Fixture) -> None:
    fx.add_rate(db, programme.programme_id, a_rate(rate_date=date(2025, 1, 1)))
    fx.add_rate(
        db, programme.programme_id, a_rate(rate_date=date(2025, 3, 1), rate=Decimal("0.95"))
    )
    assert rate_on(db, "RUB", "INR", date(2025, 2, 28)) == Decimal("0.9")
    assert rate_on(db, "RUB", "INR", date(2025, 3, 1)) == Decimal("0.95")
    assert rate_on(db, "RUB", "INR", date(2030, 1, 1)) == Decimal("0.95")


def test_missing_rate_names_pair_and_date(db: Database, programme: Fixture) -> None:
    fx.add_rate(db, programme.programme_id, a_rate(rate_date=date(2025, 4, 2)))
    with pytest.raises(MissingRate) as err:
        rate_on(db, "RUB", "INR", date(2025, 4, 1))
    assert isinstance(err.value, SetuError)
    assert str(err.value) == "no exchange rate RUB->INR on or before 2025-04-01"


def test_inverse_serves_the_other_direction(db: Database, programme: Fixture) -> None:
    fx.add_rate(
        db, programme.programme_id, a_rate(from_currency="INR", to_currency="RUB", rate=Decimal(3))
    )
    fx.add_rate(
        db,
        programme.programme_id,
        a_rate(from_currency="INR", to_currency="USD", rate=Decimal("0.0125")),
    )
    assert rate_on(db, "USD", "INR", date(2025, 1, 1)) == Decimal(80)
    # 1/3 is not exact: 28 significant digits, whatever the caller's decimal context.
    assert rate_on(db, "RUB", "INR", date(2025, 1, 1)) == Decimal("0." + "3" * 28)


def test_both_directions_the_later_wins_and_direct_on_a_tie(
    db: Database, programme: Fixture
) -> None:
    fx.add_rate(db, programme.programme_id, a_rate(rate_date=date(2025, 1, 1)))  # RUB->INR 0.9
    fx.add_rate(
        db,
        programme.programme_id,
        a_rate(
            rate_date=date(2025, 2, 1), from_currency="INR", to_currency="RUB", rate=Decimal("1.25")
        ),
    )
    assert rate_on(db, "RUB", "INR", date(2025, 1, 31)) == Decimal("0.9")
    assert rate_on(db, "RUB", "INR", date(2025, 2, 15)) == Decimal("0.8")  # 1 / 1.25
    assert rate_on(db, "INR", "RUB", date(2025, 2, 15)) == Decimal("1.25")
    fx.add_rate(db, programme.programme_id, a_rate(rate_date=date(2025, 2, 1), rate=Decimal("0.7")))
    assert rate_on(db, "RUB", "INR", date(2025, 2, 15)) == Decimal("0.7")


def test_no_cross_rates(db: Database, programme: Fixture) -> None:
    for to in ("INR", "RUB"):
        fx.add_rate(db, programme.programme_id, a_rate(from_currency="USD", to_currency=to))
    with pytest.raises(MissingRate, match="RUB->INR on or before 2025-06-30"):
        rate_on(db, "RUB", "INR", date(2025, 6, 30))


@pytest.mark.parametrize(
    ("minor", "from_ccy", "to_ccy", "rate", "expected"),
    [
        # EUR 1,000.00 x 1.000005 = USD 1,000.005 -> half up -> 1,000.01
        (100_000, "EUR", "USD", "1.000005", 100_001),
        # USD 1,000.0049 -> 1,000.00
        (100_000, "EUR", "USD", "1.0000049", 100_000),
        # -1,000.005 rounds away from zero, like its positive twin
        (-100_000, "EUR", "USD", "1.000005", -100_001),
        # INR 10.00 x 1.85 = JPY 18.5 -> 19 (JPY has no minor unit)
        (1_000, "INR", "JPY", "1.85", 19),
        # JPY 7 x 0.555 = INR 3.885 = 388.5 paise -> 389
        (7, "JPY", "INR", "0.555", 389),
        (12_345, "INR", "INR", "1", 12_345),
    ],
)
def test_convert_rounds_half_up_to_the_target_minor_unit(
    minor: int, from_ccy: str, to_ccy: str, rate: str, expected: int
) -> None:
    assert fx.convert(minor, from_ccy, to_ccy, Decimal(rate)) == expected


def test_convert_is_exact_beyond_28_digits() -> None:
    # 1234567895000000001 x 0.9999999999 = 1234567894876543211.4999999999 exactly (29
    # digits); rounding the product to Decimal's default 28 digits first would give .5
    # and so round the wrong way.
    assert fx.convert(1234567895000000001, "INR", "USD", Decimal("0.9999999999")) == (
        1234567894876543211
    )
