"""Earned value per workstream and for the programme at the status date D (DOMAIN.md).

Milestone-weighted, 0/100 rule: a milestone earns its whole weight when achieved and
nothing before. Per workstream BAC is its budget, and its visible milestones' weights
are normalised to 1, so PV = BAC x (weight due by D) / (all weight) and EV = BAC x
(weight achieved by D) / (all weight), each computed as an exact fraction and rounded
half-up once to a minor unit. AC is the visible spending dated on or before D, in the
base currency at the spot rate.

The programme row sums BAC, PV, EV and AC over the workstreams and recomputes every
ratio from those sums: an average of the workstreams' ratios would weigh a small
workstream like a large one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.models import Expenditure, Milestone, Workstream
from app.services import records
from app.services.analytics_format import divide, money, ratio, round_minor
from app.services.analytics_scope import Scope, SpotConverter, rate_day
from app.services.collation import bytewise

MONEY_FIELDS = ("bac", "pv", "ev", "ac", "sv", "cv")


@dataclass(frozen=True)
class EvFigures:
    """One row of earned value: a workstream, or the programme (`workstream_id` None).

    Money is in base-currency minor units; ratios are rounded to 4 decimals and are
    None when their denominator is zero; EAC and VAC are None unless CPI > 0.
    """

    workstream_id: int | None
    code: str
    title: str
    bac: int
    pv: int
    ev: int
    ac: int
    sv: int
    cv: int
    spi: Decimal | None
    cpi: Decimal | None
    eac: int | None
    vac: int | None

    @classmethod
    def of(
        cls, workstream_id: int | None, code: str, title: str, bac: int, pv: int, ev: int, ac: int
    ) -> EvFigures:
        """Derive the variances, indices and forecasts from BAC, PV, EV and AC."""
        cpi = divide(ev, ac)
        eac: int | None = None
        # Gate on the CPI as reported, so the output never shows an EAC beside a CPI of 0;
        # the value itself is BAC x AC / EV, exact, not BAC over the rounded CPI.
        if cpi is not None and cpi > 0:
            eac = round_minor(Fraction(bac * ac, ev))
        return cls(
            workstream_id,
            code,
            title,
            bac,
            pv,
            ev,
            ac,
            sv=ev - pv,
            cv=ev - ac,
            spi=divide(ev, pv),
            cpi=cpi,
            eac=eac,
            vac=None if eac is None else bac - eac,
        )

    def to_json(self, currency: str) -> dict[str, Any]:
        """CLI.md's earned_value shapes; workstream rows also carry code and title."""
        head = {} if self.workstream_id is None else {"code": self.code, "title": self.title}
        figures = {name: money(getattr(self, name), currency) for name in MONEY_FIELDS}
        return {
            **head,
            **figures,
            "spi": ratio(self.spi),
            "cpi": ratio(self.cpi),
            "eac": money(self.eac, currency),
            "vac": money(self.vac, currency),
        }


@dataclass(frozen=True)
class EarnedValueFigures:
    programme: EvFigures
    workstreams: tuple[EvFigures, ...]  # ordered by code
    base_currency: str

    def to_json(self) -> dict[str, Any]:
        return {
            "programme": self.programme.to_json(self.base_currency),
            "workstreams": [w.to_json(self.base_currency) for w in self.workstreams],
        }


def _share(bac: int, weight: int, total_weight: int) -> int:
    """BAC x weight / total weight, rounded half-up; 0 when there is no weight at all."""
    if total_weight == 0:
        return 0
    return round_minor(Fraction(bac * weight, total_weight))


def _actual_costs(session: Session, scope: Scope) -> dict[int, int]:
    """AC per workstream id, in base minor units.

    Summed in SQL per (workstream, currency, date): transactions of one currency on one
    date share a spot rate, so each such group is converted and rounded once instead
    of once per transaction (base-currency amounts, needing no rate, in one group per
    workstream). The groups come in a fixed order so that, when rates are missing, the
    same one is reported every time.
    """
    spent = (
        select(
            Expenditure.workstream_id,
            Expenditure.currency,
            rate_day(scope, Expenditure.currency, Expenditure.spent_on).label("day"),
            Expenditure.amount_minor,
        )
        .join(Workstream, Workstream.id == Expenditure.workstream_id)
        .where(
            Workstream.programme_id == scope.programme_id,
            scope.visible(Workstream),
            scope.visible(Expenditure),
            Expenditure.spent_on <= scope.as_of,
        )
        .subquery()
    )
    groups = (spent.c.workstream_id, spent.c.currency, spent.c.day)
    query = (
        select(*groups, func.sum(spent.c.amount_minor))
        .group_by(*groups)
        .order_by(spent.c.workstream_id, bytewise(spent.c.currency), spent.c.day)
    )
    converter = SpotConverter(session, scope.base_currency)
    costs: dict[int, int] = {}
    for workstream_id, currency, day, amount in session.execute(query):
        # PostgreSQL sums a BIGINT as NUMERIC: bring it back to int before converting.
        base = converter.to_base(int(amount), currency, day)
        costs[workstream_id] = costs.get(workstream_id, 0) + base
    return costs


def _workstream_figures(session: Session, scope: Scope) -> tuple[EvFigures, ...]:
    d = scope.as_of
    weight = Milestone.value_weight

    def weight_where(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, weight), else_=0)), 0)

    # The outer join keeps workstreams without (visible) milestones: their PV and EV are 0.
    query = (
        select(
            Workstream.id,
            Workstream.code,
            Workstream.title,
            Workstream.budget_minor,
            func.coalesce(func.sum(weight), 0),
            weight_where(Milestone.baseline_date <= d),
            weight_where(and_(Milestone.actual_date.is_not(None), Milestone.actual_date <= d)),
        )
        .outerjoin(
            Milestone, and_(Milestone.workstream_id == Workstream.id, scope.visible(Milestone))
        )
        .where(Workstream.programme_id == scope.programme_id, scope.visible(Workstream))
        .group_by(Workstream.id, Workstream.code, Workstream.title, Workstream.budget_minor)
        .order_by(bytewise(Workstream.code), Workstream.id)
    )
    costs = _actual_costs(session, scope)
    rows = []
    for ws, code, title, budget, total, planned, earned in session.execute(query):
        bac, total, planned, earned = int(budget), int(total), int(planned), int(earned)
        pv, ev = _share(bac, planned, total), _share(bac, earned, total)
        rows.append(EvFigures.of(ws, code, title, bac, pv, ev, costs.get(ws, 0)))
    return tuple(rows)


def earned_value(session: Session, scope: Scope) -> EarnedValueFigures:
    """Earned value at D for each visible workstream and for the programme."""
    workstreams = _workstream_figures(session, scope)
    programme = records.programme_of(session, scope.programme_id)
    totals = EvFigures.of(
        None,
        programme.code,
        programme.name,
        bac=sum(w.bac for w in workstreams),
        pv=sum(w.pv for w in workstreams),
        ev=sum(w.ev for w in workstreams),
        ac=sum(w.ac for w in workstreams),
    )
    return EarnedValueFigures(totals, workstreams, scope.base_currency)
