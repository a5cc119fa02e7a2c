"""From the database to a `BriefingData`: one read transaction, figures from analytics.

Nothing here computes a figure of its own: the RAG, earned value, balances and risk
exposure all come from app.services.analytics, as `setu summary` shows them. This
module only picks the rows a pack lists (top risks, the capped annex, pending
decisions; the line builders are in `collect_lines`), puts names in their own script
beside the Latin ones, and works out the pack's marking and what changed since the
previous pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.audit_chain import utc_now
from app.database import Database
from app.errors import ValidationError
from app.models import (
    CostShare,
    CostShareAgreement,
    Decision,
    PartnerNation,
    Programme,
    Record,
    RiskReview,
)
from app.reporting import collect_lines as lines
from app.reporting import snapshots
from app.reporting.briefing import ActionLine, BriefingData
from app.services import analytics, audit, programmes, settings, summary
from app.services.analytics_scope import Scope, programme_records
from app.services.audience import Audience

# Rows of each annex table; the note under its heading says how many more there are
# and how to export them all.
ANNEX_ROWS = 150
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
# The registers whose hidden records `setu summary` counts as excluded.
COUNTED: tuple[type[Record], ...] = (*summary.REGISTERS.values(), Decision)


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
        risk_lines = lines.risk_lines(session, scope)
        content = snapshots.content(session, scope, risk_lines)
        before = snapshots.previous(session, chosen.id, audience.name, request.since)
        changes = snapshots.diff(before, content) if before is not None else None
        by_ref = {line.reference: line for line in risk_lines}
        rising = (
            [by_ref[ref] for ref, old, new in changes.rescored_risks if new > old and ref in by_ref]
            if changes is not None
            else [by_ref[r.reference] for r in figures.risks.rising if r.reference in by_ref]
        )
        milestone_lines = lines.milestone_lines(session, scope)
        partners = _partners(session, scope)
        data = BriefingData(
            code=chosen.code,
            name=chosen.name,
            base_currency=chosen.base_currency,
            audience=audience.name,
            audience_label=_audience_label(scope, partners),
            status_date=as_of,
            marking=str(scale[level]),
            distribution=request.distribution or _distribution(scope, partners),
            created_by=db.user,
            created_at=utc_now(),
            snapshot_id=None,
            audit_head=str(audit.chain_head(session)),
            figures=figures,
            partners=tuple(partners),
            workstreams=lines.workstream_lines(session, scope, figures),
            milestones=tuple(milestone_lines[:ANNEX_ROWS]),
            milestones_total=len(milestone_lines),
            trend=lines.trend_series(session, scope),
            contracts=lines.contract_lines(session, scope, figures),
            rates=lines.rates(figures),
            top_risks=tuple(by_ref[t.reference] for t in figures.risks.top[:TOP_RISKS]),
            rising=tuple(rising),
            risks=tuple(risk_lines[:ANNEX_ROWS]),
            risks_total=len(risk_lines),
            overdue_actions=tuple(
                ActionLine(a.title, a.owner, a.due_on, a.days_overdue, a.risk_reference)
                for a in figures.risks.overdue_actions
            ),
            decisions=lines.decision_lines(session, scope),
            excluded_records=excluded_records(session, scope),
            changes=changes,
        )
        return data, content


def excluded_records(session: Session, scope: Scope) -> int:
    """The programme's records the audience may not see, as `setu summary` counts them
    (its `excluded_records`), in one statement rather than two counts per register."""
    hidden = [
        programme_records(model, scope.programme_id)
        .with_only_columns(func.count(case((scope.visible(model), None), else_=1)))
        .scalar_subquery()
        for model in COUNTED
    ]
    return sum(session.execute(select(*hidden)).one())


def _marking(session: Session, scope: Scope, requested: str | None, scale: list[str]) -> int:
    """The highest marking of what the pack shows; a requested one may raise, not lower, it."""
    highest = [
        lines.visible(scope, model).with_only_columns(func.max(model.marking)).scalar_subquery()
        for model in SHOWN
    ]
    top = max((level or 0 for level in session.execute(select(*highest)).one()), default=0)
    if requested is None:
        return top
    wanted = requested.strip().upper()
    if wanted not in scale:
        raise ValidationError.one(
            "marking", f"{requested!r} is not on the marking scale ({', '.join(scale)})"
        )
    if scale.index(wanted) < top:
        raise ValidationError.one(
            "marking",
            f"the pack shows records marked {scale[top]}; "
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


def _audience_label(scope: Scope, partners: list[tuple[str, str]]) -> str:
    if scope.audience.nation is None:
        return f"Joint: releasable to all partners ({', '.join(scope.partners)})"
    nation = scope.audience.nation
    return f"{dict(partners).get(nation, nation)} ({nation}) only"


def _distribution(scope: Scope, partners: list[tuple[str, str]]) -> str:
    if scope.audience.nation is not None:
        partners = [p for p in partners if p[0] == scope.audience.nation]
    return "Programme steering committee members of " + ", ".join(n for _, n in partners)
