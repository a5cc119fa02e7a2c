"""`setu summary`: the programme's headline and record counts for an audience.

Counts are SQL aggregates, filtered by releasability, one statement per register, so the
summary costs the same number of statements on a demo database and on ten years of
registers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
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


def _attention(as_of: date) -> dict[str, tuple[type[Record], ColumnElement[bool]]]:
    """The visible records that need someone's attention, by their key in `counts`."""
    return {
        "open_risks": (Risk, Risk.status == RiskStatus.OPEN),
        "overdue_actions": (
            Action,
            and_(
                Action.status.not_in([ActionStatus.DONE, ActionStatus.CANCELLED]),
                Action.due_on < as_of,
            ),
        ),
        "decisions_pending": (Decision, Decision.status == DecisionStatus.PENDING),
    }


def _number(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition`: SUM(CASE ...), as COUNT(*) FILTER is not in older SQLite."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def counts(session: Session, programme_id: int, audience: Audience, as_of: date) -> dict[str, int]:
    """Records the audience may see, per register, and how many it may not.

    One pass per register counts all its records, those the audience may see, and those
    of them that need attention (open risks, overdue actions, pending decisions).
    """
    partners = protection.partner_nations(session, programme_id)
    attention = _attention(as_of)
    visible: dict[str, int] = {}
    flagged: dict[str, int] = {}
    excluded = 0
    every: list[tuple[str, type[Record]]] = [*REGISTERS.items(), ("decisions", Decision)]
    for key, model in every:
        seen = audience.clause(model.releasable_to, partners)
        wanted = [name for name, (owner, _) in attention.items() if owner is model]
        columns = [
            func.count(),
            _number(seen),
            *(_number(and_(seen, attention[name][1])) for name in wanted),
        ]
        query = programme_records(model, programme_id).with_only_columns(*columns)
        total, shown, *needing = (int(n) for n in session.execute(query).one())
        visible[key] = shown
        flagged.update(zip(wanted, needing, strict=True))
        excluded += total - shown
    result = {key: visible[key] for key in REGISTERS}
    result.update((name, flagged[name]) for name in attention)
    result["excluded_records"] = excluded
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
