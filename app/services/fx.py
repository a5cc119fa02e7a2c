"""Exchange rates: the office's rate table, the rate that applies on a date, conversion.

Setu never fetches rates; the office enters or imports them. A rate A->B also serves
B->A (inverted), and there are no cross rates, so a figure needing a pair nobody
entered fails loudly, naming the pair and the date, instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, Inexact, localcontext

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import money
from app.database import Database
from app.errors import SetuError
from app.models import ExchangeRate
from app.services import protection, records
from app.services.collation import bytewise
from app.services.records import Draft, Row
from app.services.validation import Checker

# The Rate column stores rate x 10^10 in a BIGINT (at most ~9.2 x 10^18).
RATE_PLACES = 10
RATE_MAX = Decimal(100_000_000)
# Significant digits of an inverted rate: 1/r is rarely exact, so fix its precision
# here rather than inherit whatever decimal context the caller happens to run in.
INVERSE_DIGITS = 28


class MissingRate(SetuError):
    """No rate converts `from_ccy` to `to_ccy` on or before `on`: the office must add one."""

    def __init__(self, from_ccy: str, to_ccy: str, on: date) -> None:
        super().__init__(f"no exchange rate {from_ccy}->{to_ccy} on or before {on.isoformat()}")
        self.from_ccy = from_ccy
        self.to_ccy = to_ccy
        self.on = on


@dataclass(frozen=True)
class RateDraft(Draft):
    rate_date: date
    from_currency: str
    to_currency: str
    rate: Decimal
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class RateRow(Row):
    id: int
    version: int
    rate_date: date
    from_currency: str
    to_currency: str
    rate: Decimal
    marking: int
    releasable_to: str


def check_positive(
    check: Checker, field: str, value: Decimal | None, places: int, high: Decimal = RATE_MAX
) -> None:
    """A decimal above zero: `Checker.decimal` admits its lower bound, a rate or share can't."""
    before = len(check.problems)
    check.decimal(field, value, Decimal(0), high, places)
    if len(check.problems) == before and Decimal(value) == 0:  # type: ignore[arg-type]
        check.add(field, "must be more than 0")


def check_pair(check: Checker, field_from: str, from_ccy: str, field_to: str, to_ccy: str) -> None:
    """Two known, different currencies (a rate from a currency to itself is always 1)."""
    check.currency(field_from, from_ccy)
    check.currency(field_to, to_ccy)
    if check.ok(field_from) and check.ok(field_to) and from_ccy == to_ccy:
        check.add(field_to, f"must differ from the currency converted from ({from_ccy})")


def check_rate(draft: RateDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.is_date("rate_date", draft.rate_date)
    check_pair(check, "from_currency", draft.from_currency, "to_currency", draft.to_currency)
    check_positive(check, "rate", draft.rate, RATE_PLACES)
    return check


def _check_in_table(
    session: Session, check: Checker, programme_id: int, draft: RateDraft, own_id: int
) -> str:
    records.programme_of(session, programme_id)
    records.check_unique(
        session,
        check,
        ExchangeRate,
        "rate_date",
        draft.rate_date,
        own_id,
        message=f"a {draft.from_currency}->{draft.to_currency} rate for {draft.rate_date} "
        "already exists; edit that one instead",
        from_currency=draft.from_currency,
        to_currency=draft.to_currency,
    )
    # Rates belong to no programme: the programme only says whose partners may see them.
    return protection.check_protection(
        check, session, programme_id, draft.marking, draft.releasable_to
    )


def new_rate(session: Session, programme_id: int, draft: RateDraft) -> ExchangeRate:
    """Check a new rate and queue it for the unit of work's next flush (`records.add`)."""
    check = check_rate(draft)
    releasable = _check_in_table(session, check, programme_id, draft, 0)
    check.done()
    return records.add(session, ExchangeRate, {**draft.columns(), "releasable_to": releasable})


def add_rate(db: Database, programme_id: int, draft: RateDraft) -> RateRow:
    with db.begin() as session:
        return RateRow.of(records.flushed(session, new_rate(session, programme_id, draft)))


def update_rate(
    db: Database, programme_id: int, rate_id: int, version: int, draft: RateDraft
) -> RateRow:
    check = check_rate(draft)
    with db.begin() as session:
        rate = records.for_update(session, ExchangeRate, rate_id, version)
        releasable = _check_in_table(session, check, programme_id, draft, rate.id)
        check.done()
        records.assign(session, rate, {**draft.columns(), "releasable_to": releasable})
        return RateRow.of(rate)


def delete_rate(db: Database, rate_id: int, version: int) -> None:
    records.delete_versioned(db, ExchangeRate, rate_id, version)


def list_rates(db: Database) -> list[RateRow]:
    """Every rate, by currency pair and then date (oldest first)."""
    with db.read() as session:
        rows = session.scalars(
            select(ExchangeRate).order_by(
                bytewise(ExchangeRate.from_currency),
                bytewise(ExchangeRate.to_currency),
                ExchangeRate.rate_date,
                ExchangeRate.id,
            )
        )
        return [RateRow.of(r) for r in rows]


def _latest(session: Session, from_ccy: str, to_ccy: str, on: date) -> tuple[date, Decimal] | None:
    found = session.execute(
        select(ExchangeRate.rate_date, ExchangeRate.rate)
        .where(
            ExchangeRate.from_currency == from_ccy,
            ExchangeRate.to_currency == to_ccy,
            ExchangeRate.rate_date <= on,
        )
        .order_by(ExchangeRate.rate_date.desc())
        .limit(1)
    ).first()
    return None if found is None else (found[0], found[1])


def rate_on(session: Session, from_ccy: str, to_ccy: str, on: date) -> Decimal:
    """How many `to_ccy` one `from_ccy` buys on `on`: the latest rate dated on or before it.

    The stored direction and its inverse both count; the later one wins, and on the
    same date the direct one does, since inverting loses exactness.
    """
    if from_ccy == to_ccy:
        return Decimal(1)
    direct = _latest(session, from_ccy, to_ccy, on)
    inverse = _latest(session, to_ccy, from_ccy, on)
    if direct is not None and (inverse is None or direct[0] >= inverse[0]):
        return direct[1]
    if inverse is not None:
        with localcontext() as ctx:
            ctx.prec = INVERSE_DIGITS
            return Decimal(1) / inverse[1]
    raise MissingRate(from_ccy, to_ccy, on)


def convert(minor: int, from_ccy: str, to_ccy: str, rate: Decimal) -> int:
    """`minor` units of `from_ccy` in minor units of `to_ccy`, rounded half-up once.

    The product is computed exactly (the precision is widened to hold every digit), so
    only the final rounding to the target's minor unit ever loses anything.
    """
    shift = money.minor_digits(to_ccy) - money.minor_digits(from_ccy)
    factor = Decimal(rate)
    with localcontext() as ctx:
        ctx.prec = len(str(abs(minor))) + len(factor.as_tuple().digits) + 1
        ctx.traps[Inexact] = True  # a bug if it ever fires: better loud than silently rounded
        exact = (Decimal(minor) * factor).scaleb(shift)
    return money.round_half_up(exact)
