"""`BriefingData`: everything a briefing pack shows, computed before any drawing starts.

The PDF renderer reads only this value (it never queries the database), so a pack can
be rendered in a worker thread, and the same value is what a snapshot stores and what
"changes since the previous pack" compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.services.analytics import ProgrammeFigures
from app.services.analytics_schedule import TrendSeries


@dataclass(frozen=True)
class Name:
    """An organisation or person: the Latin short name, and the name in its own script."""

    latin: str
    native: str  # may equal `latin`


@dataclass(frozen=True)
class WorkstreamLine:
    code: str
    title: str
    phase: str
    lead: Name | None
    trl_now: int
    trl_target: int
    rag: str
    reasons: tuple[str, ...]
    next_milestone: str | None
    next_forecast: date | None
    slip_days: int | None  # the next milestone's forecast minus its baseline
    spi: Decimal | None
    cpi: Decimal | None
    baseline_start: date
    baseline_finish: date
    forecast_finish: date | None


@dataclass(frozen=True)
class MilestoneLine:
    workstream: str  # code
    title: str
    baseline: date
    forecast: date
    actual: date | None
    slip_days: int
    state: str  # "complete", "overdue" or "open"


@dataclass(frozen=True)
class ContractLine:
    number: str
    title: str
    supplier: Name
    customer: Name
    value_minor: int  # in the contract's currency
    currency: str
    value_base_minor: int
    delivered: int  # units delivered of all deliverables
    ordered: int
    ic_target_pct: Decimal
    ic_achieved_pct: Decimal
    below_minimum: bool
    tot: dict[str, int]  # state -> count
    offset_obligation_minor: int  # base currency
    offset_discharged_minor: int


@dataclass(frozen=True)
class RiskLine:
    reference: str
    title: str
    owner: str
    category: str
    likelihood: int
    impact: int
    score: int
    rating: str
    residual_score: int
    trend: str  # "up", "down" or "flat": the change at the latest review
    mitigation: str
    proximity: date | None
    status: str


@dataclass(frozen=True)
class ActionLine:
    title: str
    owner: str
    due_on: date
    days_overdue: int
    risk: str | None


@dataclass(frozen=True)
class DecisionLine:
    title: str
    forum: str
    needed_by: date
    status: str
    outcome: str


@dataclass(frozen=True)
class RateLine:
    from_currency: str
    to_currency: str
    rate: Decimal
    on: date | None  # None: fixed at signature


@dataclass(frozen=True)
class Changes:
    """What changed since the previous pack for the same audience."""

    since_snapshot: int
    since_date: date
    new_risks: tuple[str, ...]  # "REF title"
    closed_risks: tuple[str, ...]
    rescored_risks: tuple[tuple[str, int, int], ...]  # (reference, old score, new score)
    slipped_milestones: tuple[tuple[str, date, date], ...]  # ("WS-01 title", old, new)
    new_contributions: tuple[str, ...]  # human lines
    decisions_taken: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (
            self.new_risks
            or self.closed_risks
            or self.rescored_risks
            or self.slipped_milestones
            or self.new_contributions
            or self.decisions_taken
        )


@dataclass(frozen=True)
class BriefingData:
    code: str
    name: str
    base_currency: str
    audience: str  # "joint" or "national:IND"
    audience_label: str  # "Joint (IND, RUS)" or "India (IND) only"
    status_date: date
    marking: str  # the pack's marking, from the office's scale
    distribution: str
    created_by: str
    created_at: str  # ISO UTC
    snapshot_id: int | None
    audit_head: str  # HASH:COUNT
    figures: ProgrammeFigures
    partners: tuple[tuple[str, str], ...]  # (nation, name)
    workstreams: tuple[WorkstreamLine, ...]
    milestones: tuple[MilestoneLine, ...]  # the annex, capped
    milestones_total: int
    trend: tuple[TrendSeries, ...]
    contracts: tuple[ContractLine, ...]
    rates: tuple[RateLine, ...]
    top_risks: tuple[RiskLine, ...]
    rising: tuple[RiskLine, ...]  # rose since the previous pack (or latest review)
    risks: tuple[RiskLine, ...]  # the annex, capped
    risks_total: int
    overdue_actions: tuple[ActionLine, ...]
    decisions: tuple[DecisionLine, ...]  # pending: what the reader must decide
    excluded_records: int
    changes: Changes | None
