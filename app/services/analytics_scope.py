"""What every analytics module needs: the programme, the status date, the audience, and
conversion into the base currency.

Each figure is computed over the records the audience may see and nothing else
(DOMAIN.md: records outside the audience appear nowhere, not even in totals).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Contract,
    Contribution,
    CostShare,
    CostShareAgreement,
    Deliverable,
    ExchangeRate,
    Expenditure,
    Milestone,
    OffsetDischarge,
    Programme,
    Record,
    Risk,
    RiskReview,
    TotPackage,
    Workstream,
    WorkstreamParticipant,
)
from app.services import fx, protection, records
from app.services.audience import Audience


@dataclass(frozen=True)
class Scope:
    """One programme at status date `as_of`, as `audience` may see it."""

    programme_id: int
    base_currency: str
    as_of: date
    audience: Audience
    partners: tuple[str, ...]

    @classmethod
    def of(cls, session: Session, programme_id: int, as_of: date, audience: Audience) -> Scope:
        programme = records.programme_of(session, programme_id)
        partners = protection.partner_nations(session, programme_id)
        return cls(programme_id, programme.base_currency, as_of, audience, partners)

    def visible(self, model: type[Record] | Any) -> ColumnElement[bool]:
        """SQL condition: rows of `model` (or an alias of it) this audience may see."""
        return self.audience.clause(model.releasable_to, self.partners)


# How a record reaches its programme: (model, parent it joins through, that parent's parent).
_THROUGH: dict[type[Record], tuple[type[Record], ...]] = {
    Milestone: (Workstream,),
    Expenditure: (Workstream,),
    WorkstreamParticipant: (Workstream,),
    Deliverable: (Contract,),
    TotPackage: (Contract,),
    OffsetDischarge: (Contract,),
    RiskReview: (Risk,),
    CostShare: (CostShareAgreement,),
    Contribution: (CostShare, CostShareAgreement),
}


def programme_records(model: type[Record], programme_id: int) -> Select[Any]:
    """SELECT rows of `model` that belong to the programme, joined through their parents."""
    query = select(model)
    if model is Programme:
        return query.where(Programme.id == programme_id)
    owner: Any = model
    for parent in _THROUGH.get(model, ()):
        query = query.join(parent)
        owner = parent
    return query.where(owner.programme_id == programme_id)


def rate_day(scope: Scope, currency: Any, on: Any) -> ColumnElement[date | None]:
    """The day an amount's rate is taken on: `on`, or NULL for the base currency.

    Base-currency amounts need no rate, so summing per (currency, rate day) adds them up
    whatever their dates: one group per workstream or agreement, not one per day, so
    only foreign amounts are converted group by group in Python. Select it in a
    subquery and group the outer query by its column: PostgreSQL would see the CASE's
    bound parameter in SELECT and in GROUP BY as two different expressions.
    """
    return case((currency == scope.base_currency, None), else_=on)


def inverse(rate: Decimal) -> Decimal:
    """1 / rate with the precision `fx.rate_on` gives an inverted rate."""
    with localcontext() as ctx:
        ctx.prec = fx.INVERSE_DIGITS
        return Decimal(1) / rate


Series = tuple[tuple[date, Decimal], ...]  # (rate date, rate), oldest first


def _latest(series: Series, on: date) -> tuple[date, Decimal] | None:
    found = bisect_right(series, on, key=itemgetter(0))
    return series[found - 1] if found else None


@dataclass(frozen=True)
class RateHistory:
    """Every stored rate between one currency and the base, in both directions.

    `rate_on` answers as `fx.rate_on` does in SQL, from memory: the latest rate dated on
    or before the day, the stored direction or the inverse of the other, whichever is
    later, the direct one on a tie (inverting loses exactness).
    """

    currency: str
    base_currency: str
    direct: Series
    inverted: Series

    @classmethod
    def load(cls, session: Session, currency: str, base_currency: str) -> RateHistory:
        rows = session.execute(
            select(ExchangeRate.from_currency, ExchangeRate.rate_date, ExchangeRate.rate)
            .where(
                or_(
                    and_(
                        ExchangeRate.from_currency == currency,
                        ExchangeRate.to_currency == base_currency,
                    ),
                    and_(
                        ExchangeRate.from_currency == base_currency,
                        ExchangeRate.to_currency == currency,
                    ),
                )
            )
            .order_by(ExchangeRate.rate_date)
        ).all()

        def series(from_ccy: str) -> Series:
            return tuple((on, rate) for source, on, rate in rows if source == from_ccy)

        return cls(currency, base_currency, series(currency), series(base_currency))

    def rate_on(self, on: date) -> Decimal:
        direct = _latest(self.direct, on)
        other = _latest(self.inverted, on)
        if direct is not None and (other is None or direct[0] >= other[0]):
            return direct[1]
        if other is not None:
            return inverse(other[1])
        raise fx.MissingRate(self.currency, self.base_currency, on)


@dataclass
class SpotConverter:
    """Converts to the base currency at the latest rate on or before each date.

    A currency's rates are read once, in one statement, the first time it is converted:
    asking the database per transaction date would cost a statement per date, so the
    figures would issue more statements the longer a programme runs.
    """

    session: Session
    base_currency: str
    _histories: dict[str, RateHistory] = field(default_factory=dict)
    # Many transactions share a date: each (currency, date) is looked up once.
    _rates: dict[tuple[str, date], Decimal] = field(default_factory=dict)

    def rate(self, currency: str, on: date) -> Decimal:
        if currency == self.base_currency:
            return Decimal(1)
        key = (currency, on)
        if key not in self._rates:
            if currency not in self._histories:
                self._histories[currency] = RateHistory.load(
                    self.session, currency, self.base_currency
                )
            self._rates[key] = self._histories[currency].rate_on(on)
        return self._rates[key]

    def to_base(self, minor: int, currency: str, on: date | None) -> int:
        """`minor` units of `currency` on `on`, in base minor units (rounded half-up).

        `on` may be None for the base currency, whose amounts need no rate.
        """
        if currency == self.base_currency:
            return minor
        if on is None:
            raise ValueError(f"a {currency} amount needs the date of its rate")
        return fx.convert(minor, currency, self.base_currency, self.rate(currency, on))
