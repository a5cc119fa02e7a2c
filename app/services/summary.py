"""`setu summary`: the programme's headline and record counts for an audience.

Counts are SQL aggregates (one COUNT per register), filtered by releasability, so the
summary costs the same on a demo database and on ten years of registers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import ActionStatus, DecisionStatus, RiskStatus
from app.models import (
    Action,
    Contract,
    Contribution,
    Decision,
    Deliverable,
    Expenditure,
    Milestone,
    Organisation,
    Record,
    Risk,
    TotPackage,
    Workstream,
)
from app.services import analytics, protection
from app.services.analytics_scope import Scope, programme_records
from app.services.audience import Audience
from app.services.programmes import ProgrammeRow


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


# Each register counted, by the key `summary --json` gives it.
REGISTERS: dict[str, type[Record]] = {
    "workstreams": Workstream,
    "milestones": Milestone,
    "contracts": Contract,
    "deliverables": Deliverable,
    "tot_packages": TotPackage,
    "risks": Risk,
    "actions": Action,
    "contributions": Contribution,
    "expenditures": Expenditure,
    "organisations": Organisation,
}


def counts(session: Session, programme_id: int, audience: Audience, as_of: date) -> dict[str, int]:
    """Records the audience may see, per register, and how many it may not."""
    partners = protection.partner_nations(session, programme_id)

    def visible(model: type[Record]) -> Select[Any]:
        return programme_records(model, programme_id).where(
            audience.clause(model.releasable_to, partners)
        )

    result = {key: _count(session, visible(model)) for key, model in REGISTERS.items()}
    result["open_risks"] = _count(session, visible(Risk).where(Risk.status == RiskStatus.OPEN))
    result["overdue_actions"] = _count(
        session,
        visible(Action).where(
            Action.status.not_in([ActionStatus.DONE, ActionStatus.CANCELLED]),
            Action.due_on < as_of,
        ),
    )
    result["decisions_pending"] = _count(
        session, visible(Decision).where(Decision.status == DecisionStatus.PENDING)
    )
    every: list[type[Record]] = [*REGISTERS.values(), Decision]
    result["excluded_records"] = sum(
        _count(session, programme_records(model, programme_id)) - _count(session, visible(model))
        for model in every
    )
    return result


def summary(
    db: Database, programme: ProgrammeRow, audience: Audience, as_of: date
) -> dict[str, Any]:
    """The `summary --json` object (CLI.md); keys are stable, lists totally ordered."""
    with db.read() as session:
        scope = Scope.of(session, programme.id, as_of, audience)
        audience.check(scope.partners)
        computed = analytics.figures(session, scope)
        return {
            "programme": {
                "code": programme.code,
                "name": programme.name,
                "base_currency": programme.base_currency,
                "status_date": as_of.isoformat(),
                "rag": computed.rag.status,
                "rag_reasons": list(computed.rag.reasons),
                "audience": audience.name,
            },
            "counts": counts(session, programme.id, audience, as_of),
            **computed.to_json(),
        }
