"""Every figure of one programme at a status date, for one audience (DOMAIN.md "Analytics").

The briefing pack, the GUI's dashboard and `setu summary` all read a `ProgrammeFigures`
built here, in one read transaction, so they can never disagree about a number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.database import Database
from app.services import settings
from app.services.analytics_costshare import AgreementFigures, cost_share
from app.services.analytics_ev import EarnedValueFigures, earned_value
from app.services.analytics_industry import IndustryFigures, industry
from app.services.analytics_rag import (
    Limits,
    Rag,
    WorkstreamState,
    programme_rag,
    workstream_rag,
)
from app.services.analytics_risk import HighRisk, RiskFigures, open_high_risks, risk_exposure
from app.services.analytics_schedule import ScheduleFigures, schedule
from app.services.analytics_scope import Scope
from app.services.audience import Audience


@dataclass(frozen=True)
class ProgrammeFigures:
    scope: Scope
    rag: Rag
    workstream_rags: dict[int, Rag]  # by workstream id
    schedule: ScheduleFigures
    earned_value: EarnedValueFigures
    cost_share: tuple[AgreementFigures, ...]
    industry: IndustryFigures
    risks: RiskFigures

    def to_json(self) -> dict[str, Any]:
        """The analytic part of `summary --json` (CLI.md), keys in the documented order."""
        currency = self.scope.base_currency
        workstreams = []
        for figures in self.earned_value.workstreams:
            rag = self.workstream_rags[figures.workstream_id or 0]
            row = figures.to_json(currency)
            head = {"code": row.pop("code"), "title": row.pop("title")}
            workstreams.append({**head, "rag": rag.status, "rag_reasons": list(rag.reasons), **row})
        ev = {
            "programme": self.earned_value.programme.to_json(currency),
            "workstreams": workstreams,
        }
        return {
            "schedule": self.schedule.to_json(),
            "earned_value": ev,
            "cost_share": [agreement.to_json(currency) for agreement in self.cost_share],
            "indigenisation": self.industry.to_json(),
            "risks": self.risks.to_json(),
        }


def figures(session: Session, scope: Scope) -> ProgrammeFigures:
    """Compute everything within the caller's (read) transaction."""
    limits = Limits.of(settings.value(session, "rag"))
    timing = schedule(session, scope)
    value = earned_value(session, scope)
    high = open_high_risks(session, scope)
    ev_by_id = {w.workstream_id: w for w in value.workstreams}
    high_by_workstream: dict[int | None, list[HighRisk]] = defaultdict(list)
    for risk in high:
        high_by_workstream[risk.workstream_id].append(risk)
    rags: dict[int, Rag] = {}
    for ws in timing.workstreams:
        ev = ev_by_id[ws.workstream_id]
        state = WorkstreamState(
            overdue=ws.overdue,
            max_overdue_days=ws.max_overdue_days,
            spi=ev.spi,
            cpi=ev.cpi,
            next_title=ws.next_milestone_title,
            next_forecast=ws.next_forecast,
            next_baseline=ws.next_baseline,
        )
        own = high_by_workstream[ws.workstream_id]
        rags[ws.workstream_id] = workstream_rag(state, own, scope.as_of, limits)
    overall = programme_rag(
        [(ws.code, rags[ws.workstream_id]) for ws in timing.workstreams],
        high_by_workstream[None],
        scope.as_of,
        limits,
    )
    return ProgrammeFigures(
        scope=scope,
        rag=overall,
        workstream_rags=rags,
        schedule=timing,
        earned_value=value,
        cost_share=cost_share(session, scope),
        industry=industry(session, scope),
        risks=risk_exposure(session, scope),
    )


def programme_figures(
    db: Database, programme_id: int, as_of: date, audience: Audience
) -> ProgrammeFigures:
    with db.read() as session:
        scope = Scope.of(session, programme_id, as_of, audience)
        audience.check(scope.partners)
        return figures(session, scope)
