"""Indigenisation, technology transfer and offsets, per contract and for the programme.

DOMAIN.md ("Co-production contracts", "Analytics"): indigenous content is weighted by
contract value in the base currency, so a contract counts for what it is worth rather
than once; ToT completion is absorbed packages over all packages; offset discharge is
unexpired credit over obligation. Everything is as at the status date D and over the
records the audience may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app import money
from app.domain import TotState
from app.models import Contract, OffsetDischarge, TotPackage
from app.services import analytics_format as fmt
from app.services import settings
from app.services.analytics_scope import Scope, SpotConverter
from app.services.collation import bytewise
from app.services.contracts import OFFSETS_KEY, PROCUREMENT_KEY


@dataclass(frozen=True)
class TotCounts:
    """Technology-transfer packages per state as at D.

    A package counts as absorbed only when it is absorbed and its actual date (the
    verification) is on or before D. An absorbed package verified after D counts as
    transferred, the state it must have been in before: the register keeps one actual
    date, so D cannot tell us more. Every other package counts by its state.
    """

    planned: int = 0
    in_transfer: int = 0
    transferred: int = 0
    absorbed: int = 0

    @classmethod
    def of(cls, by_state: Mapping[str, int]) -> TotCounts:
        return cls(*(by_state.get(state.value, 0) for state in TotState))

    @property
    def total(self) -> int:
        return self.planned + self.in_transfer + self.transferred + self.absorbed

    def __add__(self, other: TotCounts) -> TotCounts:
        return TotCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def to_json(self) -> dict[str, int]:
        # TotState lists the states in this dataclass's field order.
        return {
            state.value: getattr(self, f.name)
            for state, f in zip(TotState, fields(self), strict=True)
        }


@dataclass(frozen=True)
class ContractIndustry:
    """One contract's indigenous content, ToT and offsets; money in base minor units."""

    number: str
    title: str
    currency: str
    currency_value_minor: int  # in the contract's own currency
    value_minor: int
    ic_target_pct: Decimal
    ic_achieved_pct: Decimal
    procurement_category: str | None
    minimum_pct: Decimal | None  # the category's minimum, None when it has none
    tot: TotCounts
    offset_obligation_minor: int
    offset_discharged_minor: int

    @property
    def below_minimum(self) -> bool:
        if self.minimum_pct is None:
            return False
        return min(self.ic_target_pct, self.ic_achieved_pct) < self.minimum_pct

    @property
    def offset_discharge_pct(self) -> Decimal | None:
        """Discharged credit as a percentage of the obligation, like the IC percentages."""
        return fmt.divide(100 * self.offset_discharged_minor, self.offset_obligation_minor)

    def to_json(self, base_currency: str) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "value": fmt.money(self.value_minor, base_currency),
            "currency": self.currency,
            "currency_value": fmt.money(self.currency_value_minor, self.currency),
            "ic_target_pct": fmt.ratio(self.ic_target_pct),
            "ic_achieved_pct": fmt.ratio(self.ic_achieved_pct),
            "procurement_category": self.procurement_category,
            "below_minimum": self.below_minimum,
            "tot": self.tot.to_json(),
            "offset_obligation": fmt.money(self.offset_obligation_minor, base_currency),
            "offset_discharged": fmt.money(self.offset_discharged_minor, base_currency),
            "offset_discharge_pct": fmt.ratio(self.offset_discharge_pct),
        }


def _value_weighted(contracts: Iterable[ContractIndustry], attr: str) -> Decimal | None:
    """Σ(value x pct) / Σ value, exact until the final 4-decimal rounding."""
    total, weighted = 0, Fraction(0)
    for contract in contracts:
        total += contract.value_minor
        weighted += contract.value_minor * Fraction(getattr(contract, attr))
    return None if total == 0 else fmt.round4(weighted / total)


@dataclass(frozen=True)
class IndustryFigures:
    """The programme's figures, derived from its visible contracts (ordered by number)."""

    base_currency: str
    contracts: tuple[ContractIndustry, ...]

    @property
    def ic_achieved_pct(self) -> Decimal | None:
        return _value_weighted(self.contracts, "ic_achieved_pct")

    @property
    def ic_target_pct(self) -> Decimal | None:
        return _value_weighted(self.contracts, "ic_target_pct")

    @property
    def tot(self) -> TotCounts:
        return sum((c.tot for c in self.contracts), TotCounts())

    @property
    def tot_total(self) -> int:
        return self.tot.total

    @property
    def tot_absorbed(self) -> int:
        return self.tot.absorbed

    @property
    def tot_completion(self) -> Decimal | None:
        return fmt.divide(self.tot_absorbed, self.tot_total)

    @property
    def offset_obligation(self) -> int:
        return sum(c.offset_obligation_minor for c in self.contracts)

    @property
    def offset_discharged(self) -> int:
        return sum(c.offset_discharged_minor for c in self.contracts)

    @property
    def offset_discharge_pct(self) -> Decimal | None:
        return fmt.divide(100 * self.offset_discharged, self.offset_obligation)

    @property
    def contracts_below_minimum(self) -> tuple[str, ...]:
        return tuple(c.number for c in self.contracts if c.below_minimum)

    def to_json(self) -> dict[str, Any]:
        """CLI.md's `indigenisation` object, plus the per-contract detail."""
        ccy = self.base_currency
        return {
            "ic_achieved_pct": fmt.ratio(self.ic_achieved_pct),
            "ic_target_pct": fmt.ratio(self.ic_target_pct),
            "tot_total": self.tot_total,
            "tot_absorbed": self.tot_absorbed,
            "offset_obligation": fmt.money(self.offset_obligation, ccy),
            "offset_discharged": fmt.money(self.offset_discharged, ccy),
            "tot_completion": fmt.ratio(self.tot_completion),
            "offset_discharge_pct": fmt.ratio(self.offset_discharge_pct),
            "tot_by_state": self.tot.to_json(),
            "contracts_below_minimum": list(self.contracts_below_minimum),
            "contracts": [c.to_json(ccy) for c in self.contracts],
        }


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _tot_counts(session: Session, scope: Scope) -> dict[int, TotCounts]:
    """Per contract, its visible packages counted by their state at D (see TotCounts)."""
    absorbed, transferred = TotState.ABSORBED.value, TotState.TRANSFERRED.value
    state_at_d = case(
        (and_(TotPackage.state == absorbed, TotPackage.actual_date <= scope.as_of), absorbed),
        (TotPackage.state == absorbed, transferred),
        else_=TotPackage.state,
    )
    # Grouping on the subquery's column, not on the CASE itself: PostgreSQL would see the
    # CASE's bound parameters in SELECT and GROUP BY as two different expressions.
    packages = (
        select(TotPackage.contract_id, state_at_d.label("state"))
        .join(Contract, Contract.id == TotPackage.contract_id)
        .where(
            Contract.programme_id == scope.programme_id,
            scope.visible(Contract),
            scope.visible(TotPackage),
        )
        .subquery()
    )
    found: dict[int, dict[str, int]] = {}
    rows = session.execute(
        select(packages.c.contract_id, packages.c.state, func.count()).group_by(
            packages.c.contract_id, packages.c.state
        )
    )
    for contract_id, state, count in rows:
        found.setdefault(contract_id, {})[state] = count
    return {contract_id: TotCounts.of(by_state) for contract_id, by_state in found.items()}


def _exact_to_base(converter: SpotConverter, amount: Fraction, currency: str, on: date) -> int:
    """An exact (possibly fractional) amount of `currency` minor units in base minor units.

    `SpotConverter.to_base` takes whole minor units; a credit of value x multiplier may
    have a fraction, and rounding it before converting would round twice.
    """
    shift = money.minor_digits(converter.base_currency) - money.minor_digits(currency)
    return fmt.round_minor(amount * Fraction(converter.rate(currency, on)) * Fraction(10) ** shift)


def _discharged(session: Session, scope: Scope, converter: SpotConverter) -> dict[int, int]:
    """Per contract, the unexpired credit claimed by D, in base minor units.

    Each discharge is converted at its own date's rate and rounded once (DOMAIN.md:
    each transaction is converted and rounded, then summed), so the rows are read one
    by one; a contract has few discharges, and only the unexpired ones are read.
    """
    offsets = settings.value(session, OFFSETS_KEY)
    expired_on_or_before = years_before(scope.as_of, int(offsets["credit_life_years"]))
    rows = session.execute(
        select(
            OffsetDischarge.contract_id,
            Contract.currency,
            OffsetDischarge.discharged_on,
            OffsetDischarge.value_minor,
            OffsetDischarge.multiplier,
        )
        .join(Contract, Contract.id == OffsetDischarge.contract_id)
        .where(
            Contract.programme_id == scope.programme_id,
            scope.visible(Contract),
            scope.visible(OffsetDischarge),
            OffsetDischarge.discharged_on <= scope.as_of,
            OffsetDischarge.discharged_on > expired_on_or_before,
        )
    )
    credit: dict[int, int] = {}
    for contract_id, currency, on, value_minor, multiplier in rows:
        amount = value_minor * Fraction(multiplier)
        credit[contract_id] = credit.get(contract_id, 0) + _exact_to_base(
            converter, amount, currency, on
        )
    return credit


def industry(session: Session, scope: Scope) -> IndustryFigures:
    """Indigenous content, ToT and offsets of the visible contracts, as at D.

    A contract's value and obligation convert at the rate on or before its signature;
    an unsigned contract uses its period start, else D, the nearest date that stands
    for when the value was agreed. A missing rate raises `fx.MissingRate`.
    """
    converter = SpotConverter(session, scope.base_currency)
    minimums = settings.value(session, PROCUREMENT_KEY)
    tot = _tot_counts(session, scope)
    discharged = _discharged(session, scope, converter)
    rows = session.execute(
        select(
            Contract.id,
            Contract.number,
            Contract.title,
            Contract.currency,
            Contract.value_minor,
            Contract.signed_on,
            Contract.period_start,
            Contract.ic_target_pct,
            Contract.ic_achieved_pct,
            Contract.procurement_category,
            Contract.offset_obligation_minor,
        )
        .where(Contract.programme_id == scope.programme_id, scope.visible(Contract))
        .order_by(bytewise(Contract.number), Contract.id)
    )
    contracts = []
    for row in rows:
        agreed_on = row.signed_on or row.period_start or scope.as_of
        category = row.procurement_category
        minimum = minimums.get(category) if category is not None else None
        contracts.append(
            ContractIndustry(
                number=row.number,
                title=row.title,
                currency=row.currency,
                currency_value_minor=row.value_minor,
                value_minor=converter.to_base(row.value_minor, row.currency, agreed_on),
                ic_target_pct=row.ic_target_pct,
                ic_achieved_pct=row.ic_achieved_pct,
                procurement_category=category,
                minimum_pct=None if minimum is None else Decimal(minimum),
                tot=tot.get(row.id, TotCounts()),
                offset_obligation_minor=converter.to_base(
                    row.offset_obligation_minor, row.currency, agreed_on
                ),
                offset_discharged_minor=discharged.get(row.id, 0),
            )
        )
    return IndustryFigures(scope.base_currency, tuple(contracts))
