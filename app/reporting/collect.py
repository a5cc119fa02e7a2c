"""From the database to a `BriefingData`: one read transaction, figures from analytics.

Nothing here computes a figure of its own: the RAG, earned value, balances and risk
exposure all come from app.services.analytics, as `setu summary` shows them. This
module only picks the rows a pack lists (top risks, the capped annex, pending
decisions), puts names in their own script beside the Latin ones, and works out the
pack's marking and what changed since the previous pack.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app import money
from app.audit_chain import utc_now
from app.database import Database
from app.domain import DecisionStatus, rating
from app.errors import ValidationError
from app.models import (
    Contract,
    Contribution,
    CostShare,
    CostShareAgreement,
    Decision,
    Deliverable,
    Milestone,
    Organisation,
    PartnerNation,
    Programme,
    Record,
    Risk,
    RiskReview,
    Workstream,
)
from app.reporting import snapshots
from app.reporting.briefing import (
    ActionLine,
    BriefingData,
    ContractLine,
    DecisionLine,
    MilestoneLine,
    Name,
    RateLine,
    RiskLine,
    WorkstreamLine,
)
from app.services import analytics, audit, programmes, settings, summary
from app.services.analytics_schedule import TrendSeries, trend
from app.services.analytics_scope import Scope, programme_records
from app.services.audience import Audience

ANNEX_ROWS = 300  # rows of each annex table; the rest is for `setu export`
TREND_SERIES = 8  # lines a milestone-trend chart can show legibly
TOP_RISKS = 10
# Every register whose records a pack can show: its marking is the highest of theirs.
SHOWN: tuple[type[Record], ...] = (
    *summary.REGISTERS.values(),
    Decision,
    CostShareAgreement,
    CostShare,
    RiskReview,
    Programme,
)


@dataclass(frozen=True)
class BriefRequest:
    programme: str | None = None  # code; None when the database holds one programme
    as_of: date | None = None
    audience: str = "joint"
    marking: str | None = None  # may raise the pack's marking, never lower it
    since: str = snapshots.LATEST  # latest | none | a snapshot id
    distribution: str = ""


def collect(db: Database, request: BriefRequest) -> tuple[BriefingData, dict[str, Any]]:
    """The pack's data, and the snapshot content to store for it (not stored here)."""
    audience = Audience.parse(request.audience)
    chosen = programmes.choose(db, request.programme)
    as_of = request.as_of or date.today()
    with db.read() as session:
        scope = Scope.of(session, chosen.id, as_of, audience)
        audience.check(scope.partners)
        figures = analytics.figures(session, scope)
        scale = settings.value(session, "marking_scale")
        level = _marking(session, scope, request.marking, scale)
        content = _snapshot_content(session, scope)
        before = snapshots.previous(session, chosen.id, audience.name, request.since)
        changes = snapshots.diff(before, content) if before is not None else None
        risk_lines = _risk_lines(session, scope)
        by_ref = {line.reference: line for line in risk_lines}
        rising = (
            [by_ref[ref] for ref, old, new in changes.rescored_risks if new > old and ref in by_ref]
            if changes is not None
            else [by_ref[r.reference] for r in figures.risks.rising if r.reference in by_ref]
        )
        milestone_lines = _milestone_lines(session, scope)
        data = BriefingData(
            code=chosen.code,
            name=chosen.name,
            base_currency=chosen.base_currency,
            audience=audience.name,
            audience_label=_audience_label(session, scope),
            status_date=as_of,
            marking=str(scale[level]),
            distribution=request.distribution or _distribution(session, scope),
            created_by=db.user,
            created_at=utc_now(),
            snapshot_id=None,
            audit_head=str(audit.chain_head(session)),
            figures=figures,
            partners=tuple(_partners(session, scope)),
            workstreams=_workstream_lines(session, scope, figures),
            milestones=tuple(milestone_lines[:ANNEX_ROWS]),
            milestones_total=len(milestone_lines),
            trend=_trend(session, scope),
            contracts=_contract_lines(session, scope, figures),
            rates=_rates(figures),
            top_risks=tuple(by_ref[t.reference] for t in figures.risks.top[:TOP_RISKS]),
            rising=tuple(rising),
            risks=tuple(risk_lines[:ANNEX_ROWS]),
            risks_total=len(risk_lines),
            overdue_actions=tuple(
                ActionLine(a.title, a.owner, a.due_on, a.days_overdue, a.risk_reference)
                for a in figures.risks.overdue_actions
            ),
            decisions=_decisions(session, scope),
            excluded_records=summary.counts(session, chosen.id, audience, as_of)[
                "excluded_records"
            ],
            changes=changes,
        )
        return data, content


def _visible(scope: Scope, model: type[Record]) -> Any:
    return programme_records(model, scope.programme_id).where(scope.visible(model))


def _marking(session: Session, scope: Scope, requested: str | None, scale: list[str]) -> int:
    """The highest marking of what the pack shows; a requested one may raise, not lower, it."""
    highest = max(
        session.scalar(_visible(scope, m).with_only_columns(func.max(m.marking))) or 0
        for m in SHOWN
    )
    if requested is None:
        return highest
    wanted = requested.strip().upper()
    if wanted not in scale:
        raise ValidationError.one(
            "marking", f"{requested!r} is not on the marking scale ({', '.join(scale)})"
        )
    if scale.index(wanted) < highest:
        raise ValidationError.one(
            "marking",
            f"the pack shows records marked {scale[highest]}; "
            f"its marking cannot be lowered to {wanted}",
        )
    return scale.index(wanted)


def _partners(session: Session, scope: Scope) -> list[tuple[str, str]]:
    rows = session.execute(
        select(PartnerNation.nation, PartnerNation.name)
        .where(PartnerNation.programme_id == scope.programme_id)
        .order_by(PartnerNation.position, PartnerNation.nation)
    )
    return [(nation, name) for nation, name in rows]


def _audience_label(session: Session, scope: Scope) -> str:
    names = dict(_partners(session, scope))
    if scope.audience.nation is None:
        return f"Joint: releasable to all partners ({', '.join(scope.partners)})"
    nation = scope.audience.nation
    return f"{names.get(nation, nation)} ({nation}) only"


def _distribution(session: Session, scope: Scope) -> str:
    partners = _partners(session, scope)
    if scope.audience.nation is not None:
        partners = [p for p in partners if p[0] == scope.audience.nation]
    return "Distribution: programme steering committee members of " + ", ".join(
        n for _, n in partners
    )


def _name(org: Organisation | None) -> Name | None:
    return None if org is None else Name(org.short_name, org.name)


def _workstream_lines(
    session: Session, scope: Scope, figures: analytics.ProgrammeFigures
) -> tuple[WorkstreamLine, ...]:
    lead = aliased(Organisation)
    rows = session.execute(
        _visible(scope, Workstream)
        .add_columns(lead)
        .outerjoin(lead, (lead.id == Workstream.lead_organisation_id) & scope.visible(lead))
        .order_by(Workstream.code, Workstream.id)
    )
    timing = {w.workstream_id: w for w in figures.schedule.workstreams}
    value = {w.workstream_id: w for w in figures.earned_value.workstreams}
    lines = []
    for ws, org in rows:
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
                _name(org),
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


def _milestone_lines(session: Session, scope: Scope) -> list[MilestoneLine]:
    rows = session.execute(
        _visible(scope, Milestone)
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


def _trend(session: Session, scope: Scope) -> tuple[TrendSeries, ...]:
    """The milestones whose forecasts moved most: a trend chart shows only a few legibly."""
    moving = [s for s in trend(session, scope) if len(s.points) > 1]
    moving.sort(
        key=lambda s: (-abs((s.points[-1][1] - s.baseline).days), s.workstream_code, s.milestone_id)
    )
    return tuple(
        sorted(moving[:TREND_SERIES], key=lambda s: (s.workstream_code, s.baseline, s.milestone_id))
    )


def _contract_lines(
    session: Session, scope: Scope, figures: analytics.ProgrammeFigures
) -> tuple[ContractLine, ...]:
    supplier, customer = aliased(Organisation), aliased(Organisation)
    parties = {
        number: (_name(s), _name(c))
        for number, s, c in session.execute(
            _visible(scope, Contract)
            .with_only_columns(Contract.number, supplier, customer)
            .join(supplier, supplier.id == Contract.supplier_id)
            .join(customer, customer.id == Contract.customer_id)
        )
    }
    delivered = {
        number: (int(d or 0), int(o or 0))
        for number, d, o in session.execute(
            _visible(scope, Deliverable)
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
                sup or unknown,
                cus or unknown,
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


def _rates(figures: analytics.ProgrammeFigures) -> tuple[RateLine, ...]:
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


def _risk_lines(session: Session, scope: Scope) -> list[RiskLine]:
    """Every visible risk, highest score first (the annex; the top rows are the top risks)."""
    reviews: dict[int, list[int]] = defaultdict(list)
    for risk_id, likelihood, impact in session.execute(
        _visible(scope, RiskReview)
        .with_only_columns(RiskReview.risk_id, RiskReview.likelihood, RiskReview.impact)
        .where(RiskReview.reviewed_on <= scope.as_of)
        .order_by(RiskReview.risk_id, RiskReview.reviewed_on, RiskReview.id)
    ):
        reviews[risk_id].append(likelihood * impact)
    risks = session.scalars(
        _visible(scope, Risk).order_by(
            (Risk.likelihood * Risk.impact).desc(), Risk.reference, Risk.id
        )
    )
    lines = []
    for r in risks:
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


def _decisions(session: Session, scope: Scope) -> tuple[DecisionLine, ...]:
    rows = session.scalars(
        _visible(scope, Decision)
        .where(Decision.status == DecisionStatus.PENDING)
        .order_by(Decision.needed_by, Decision.id)
    )
    return tuple(DecisionLine(d.title, d.forum, d.needed_by, d.status, d.outcome) for d in rows)


def _snapshot_content(session: Session, scope: Scope) -> dict[str, Any]:
    """The comparable state of what the pack reports on, for the next pack's diff."""
    risks = {
        r.reference: {"title": r.title, "score": r.likelihood * r.impact, "status": r.status}
        for r in session.scalars(_visible(scope, Risk))
    }
    milestones = {
        f"{m_id:09d}": {
            "label": f"{code} {title}",
            "forecast": forecast.isoformat(),
            "actual": actual.isoformat() if actual is not None and actual <= scope.as_of else None,
        }
        for m_id, code, title, forecast, actual in session.execute(
            _visible(scope, Milestone).with_only_columns(
                Milestone.id,
                Workstream.code,
                Milestone.title,
                Milestone.forecast_date,
                Milestone.actual_date,
            )
        )
    }
    partner = func.coalesce(CostShare.nation, Organisation.short_name)
    contributions = {
        f"{c_id:09d}": f"{on.isoformat()} {who}: {money.display(amount, currency)}"
        for c_id, on, who, amount, currency in session.execute(
            _visible(scope, Contribution)
            .with_only_columns(
                Contribution.id,
                Contribution.contributed_on,
                partner,
                Contribution.amount_minor,
                Contribution.currency,
            )
            .outerjoin(Organisation, Organisation.id == CostShare.organisation_id)
            .where(Contribution.contributed_on <= scope.as_of)
        )
    }
    decisions = {
        f"{d.id:09d}": {"title": d.title, "status": d.status}
        for d in session.scalars(_visible(scope, Decision))
    }
    return {
        "risks": risks,
        "milestones": milestones,
        "contributions": contributions,
        "decisions": decisions,
    }
