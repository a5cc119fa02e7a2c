"""What every analytics module needs: the programme, the status date, the audience, and
conversion into the base currency.

Each figure is computed over the records the audience may see and nothing else
(DOMAIN.md: records outside the audience appear nowhere, not even in totals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from app.models import (
    Contract,
    Contribution,
    CostShare,
    CostShareAgreement,
    Deliverable,
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


@dataclass
class SpotConverter:
    """Converts to the base currency at the latest rate on or before each date.

    Rates are looked up once per (currency, date) and kept, since many transactions
    share a date.
    """

    session: Session
    base_currency: str
    _rates: dict[tuple[str, date], Decimal] = field(default_factory=dict)

    def rate(self, currency: str, on: date) -> Decimal:
        key = (currency, on)
        if key not in self._rates:
            self._rates[key] = fx.rate_on(self.session, currency, self.base_currency, on)
        return self._rates[key]

    def to_base(self, minor: int, currency: str, on: date) -> int:
        """`minor` units of `currency` on `on`, in base minor units (rounded half-up)."""
        return fx.convert(minor, currency, self.base_currency, self.rate(currency, on))
