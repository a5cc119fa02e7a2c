"""The lines a pack lists, register by register, read in `collect`'s transaction.

Each function selects the columns its lines show (no ORM objects: a `--scale 50`
register has thousands of rows, and building an object per row costs more than the
query), and takes its figures from app.services.analytics rather than computing its own.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session, aliased

from app.domain import DecisionStatus, rating
from app.models import (
    Contract,
    Decision,
    Deliverable,
    Milestone,
    Organisation,
    Record,
    Risk,
    RiskReview,
    Workstream,
)
from app.reporting.briefing import (
    ContractLine,
    DecisionLine,
    MilestoneLine,
    Name,
    RateLine,
    RiskLine,
    WorkstreamLine,
)
from app.services import analytics
from app.services.analytics_schedule import TrendSeries, trend
from app.services.analytics_scope import Scope, programme_records

TREND_SERIES = 8  # lines a milestone-trend chart can show legibly


def visible(scope: Scope, model: type[Record]) -> Any:
    """SELECT the programme's rows of `model` that the audience may see."""
    return programme_records(model, scope.programme_id).where(scope.visible(model))


def _name(org: Organisation | None) -> Name | None:
    return None if org is None else Name(org.short_name, org.name)


def workstream_lines(
    session: Session, scope: Scope, figures: analytics.ProgrammeFigures
) -> tuple[WorkstreamLine, ...]:
    lead = aliased(Organisation)
    rows = session.execute(
        visible(scope, Workstream)
        .with_only_columns(
            Workstream.id,
            Workstream.code,
            Workstream.title,
            Workstream.phase,
            Workstream.trl_now,
            Workstream.trl_target,
            Workstream.baseline_start,
            Workstream.baseline_finish,
            Workstream.forecast_finish,
            lead.short_name.label("lead_latin"),
            lead.name.label("lead_native"),
        )
        .outerjoin(lead, (lead.id == Workstream.lead_organisation_id) & scope.visible(lead))
        .order_by(Workstream.code, Workstream.id)
    )
    timing = {w.workstream_id: w for w in figures.schedule.workstreams}
    value = {w.workstream_id: w for w in figures.earned_value.workstreams}
    lines = []
    for ws in rows:
        t, ev, rag = timing[ws.id], value[ws.id], figures.workstream_rags[ws.id]
        slip = (
            (t.next_forecast - t.next_baseline).days
            if t.next_forecast is not None and t.next_baseline is not None
            else None
        )
        lines.append(
            WorkstreamLine(
                ws.code,
                ws.title,
                ws.phase,
                None if ws.lead_latin is None else Name(ws.lead_latin, ws.lead_native),
                ws.trl_now,
                ws.trl_target,
                rag.status,
                rag.reasons,
                t.next_milestone_title,
                t.next_forecast,
                slip,
                ev.spi,
                ev.cpi,
                ws.baseline_start,
                ws.baseline_finish,
                ws.forecast_finish,
            )
        )
    return tuple(lines)


def milestone_lines(session: Session, scope: Scope) -> list[MilestoneLine]:
    rows = session.execute(
        visible(scope, Milestone)
        .with_only_columns(
            Workstream.code,
            Milestone.title,
            Milestone.baseline_date,
            Milestone.forecast_date,
            Milestone.actual_date,
        )
        .where(scope.visible(Workstream))
        .order_by(Workstream.code, Milestone.baseline_date, Milestone.id)
    )
    d = scope.as_of
    lines = []
    for code, title, baseline, forecast, actual in rows:
        done = actual is not None and actual <= d
        state = "complete" if done else "overdue" if forecast < d else "open"
        slip = ((actual if done else forecast) - baseline).days
        lines.append(
            MilestoneLine(code, title, baseline, forecast, actual if done else None, slip, state)
        )
    return lines


def trend_series(session: Session, scope: Scope) -> tuple[TrendSeries, ...]:
    """The milestones whose forecasts moved most: a trend chart shows only a few legibly."""
    moving = [s for s in trend(session, scope) if len(s.points) > 1]
    moving.sort(
        key=lambda s: (-abs((s.points[-1][1] - s.baseline).days), s.workstream_code, s.milestone_id)
    )
    return tuple(
        sorted(moving[:TREND_SERIES], key=lambda s: (s.workstream_code, s.baseline, s.milestone_id))
    )


def contract_lines(
    session: Session, scope: Scope, figures: analytics.ProgrammeFigures
) -> tuple[ContractLine, ...]:
    supplier, customer = aliased(Organisation), aliased(Organisation)
    parties = {
        number: (Name(s_short, s_name), Name(c_short, c_name))
        for number, s_short, s_name, c_short, c_name in session.execute(
            visible(scope, Contract)
            .with_only_columns(
                Contract.number,
                supplier.short_name,
                supplier.name,
                customer.short_name,
                customer.name,
            )
            .join(supplier, supplier.id == Contract.supplier_id)
            .join(customer, customer.id == Contract.customer_id)
        )
    }
    delivered = {
        number: (int(d or 0), int(o or 0))
        for number, d, o in session.execute(
            visible(scope, Deliverable)
            .with_only_columns(
                Contract.number,
                func.sum(Deliverable.quantity_delivered),
                func.sum(Deliverable.quantity_ordered),
            )
            .group_by(Contract.number)
        )
    }
    unknown = Name("—", "—")
    lines = []
    for c in figures.industry.contracts:
        sup, cus = parties.get(c.number, (unknown, unknown))
        done, ordered = delivered.get(c.number, (0, 0))
        lines.append(
            ContractLine(
                c.number,
                c.title,
                sup,
                cus,
                c.currency_value_minor,
                c.currency,
                c.value_minor,
                done,
                ordered,
                c.ic_target_pct,
                c.ic_achieved_pct,
                c.below_minimum,
                c.tot.to_json(),
                c.offset_obligation_minor,
                c.offset_discharged_minor,
            )
        )
    return tuple(lines)


def rates(figures: analytics.ProgrammeFigures) -> tuple[RateLine, ...]:
    """Fixed rates as agreed; for spot, the most recent rate each currency was converted at."""
    latest: dict[tuple[str, str, bool], tuple[Any, Any]] = {}
    for agreement in figures.cost_share:
        for src, dst, rate, on in agreement.rates_used:
            key = (src, dst, on is None)
            if key not in latest or (on is not None and latest[key][1] < on):
                latest[key] = (rate, on)
    return tuple(
        RateLine(src, dst, rate, on)
        for (src, dst, _fixed), (rate, on) in sorted(latest.items(), key=lambda kv: kv[0])
    )


def risk_lines(session: Session, scope: Scope) -> list[RiskLine]:
    """Every visible risk, highest score first (the annex; the top rows are the top risks)."""
    reviews: dict[int, list[int]] = defaultdict(list)
    for risk_id, likelihood, impact in session.execute(
        visible(scope, RiskReview)
        .with_only_columns(RiskReview.risk_id, RiskReview.likelihood, RiskReview.impact)
        .where(RiskReview.reviewed_on <= scope.as_of)
        .order_by(RiskReview.risk_id, RiskReview.reviewed_on, RiskReview.id)
    ):
        reviews[risk_id].append(likelihood * impact)
    rows = session.execute(
        visible(scope, Risk)
        .with_only_columns(
            Risk.id,
            Risk.reference,
            Risk.title,
            Risk.owner,
            Risk.category,
            Risk.likelihood,
            Risk.impact,
            Risk.residual_likelihood,
            Risk.residual_impact,
            Risk.mitigation,
            Risk.proximity,
            Risk.status,
        )
        .order_by((Risk.likelihood * Risk.impact).desc(), Risk.reference, Risk.id)
    )
    lines = []
    for r in rows:
        scores = reviews.get(r.id, [])
        move = scores[-1] - scores[-2] if len(scores) > 1 else 0
        lines.append(
            RiskLine(
                r.reference,
                r.title,
                r.owner,
                r.category,
                r.likelihood,
                r.impact,
                r.likelihood * r.impact,
                rating(r.likelihood, r.impact).value,
                r.residual_likelihood * r.residual_impact,
                "up" if move > 0 else "down" if move < 0 else "flat",
                r.mitigation,
                r.proximity,
                r.status,
            )
        )
    return lines


def decision_lines(session: Session, scope: Scope) -> tuple[DecisionLine, ...]:
    rows = session.execute(
        visible(scope, Decision)
        .with_only_columns(
            Decision.title, Decision.forum, Decision.needed_by, Decision.status, Decision.outcome
        )
        .where(Decision.status == DecisionStatus.PENDING)
        .order_by(Decision.needed_by, Decision.id)
    )
    return tuple(DecisionLine(*row) for row in rows)
