"""An agreement's child rows (shares, workstreams, fixed rates) kept in step with its draft.

They are edited in place rather than deleted and re-added, so the audit log shows the
share that really changed; each child carries its agreement's marking and releasability.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AgreementRate, AgreementWorkstream, CostShare, CostShareAgreement
from app.services import records

if TYPE_CHECKING:  # the agreements service calls in here with its draft
    from app.services.agreements import AgreementDraft

K = TypeVar("K", CostShare, AgreementWorkstream, AgreementRate)


def children_of(session: Session, model: type[K], agreement_id: int) -> list[K]:
    return list(session.scalars(select(model).where(model.agreement_id == agreement_id)))


def _sync(
    session: Session,
    model: type[K],
    agreement: CostShareAgreement,
    key: tuple[str, ...],
    wanted: Sequence[dict[str, Any]],
) -> bool:
    """Make the agreement's `model` rows `wanted`, matching on the `key` columns.

    A match is edited in place, the rest deleted or added. Returns whether anything
    changed, so the agreement's version can move with its children.
    """
    common = {
        "agreement_id": agreement.id,
        "marking": agreement.marking,
        "releasable_to": agreement.releasable_to,
    }
    current = {
        tuple(getattr(o, k) for k in key): o for o in children_of(session, model, agreement.id)
    }
    targets = {tuple(w[k] for k in key): {**common, **w} for w in wanted}
    gone = [obj for k, obj in current.items() if k not in targets]
    records.remove(session, gone)
    changed = bool(gone)
    for k, values in targets.items():
        obj = current.get(k)
        if obj is None:
            records.create(session, model, values)
            changed = True
        elif any(getattr(obj, name) != value for name, value in values.items()):
            records.assign(session, obj, values)
            changed = True
    return changed


def sync_children(session: Session, agreement: CostShareAgreement, draft: AgreementDraft) -> bool:
    shares = [{**s.columns(), "position": n} for n, s in enumerate(draft.shares)]
    workstreams = [{"workstream_id": w} for w in draft.workstream_ids]
    rates = [r.columns() for r in draft.fixed_rates]
    return any(  # a list, not a generator: all three must run
        [
            _sync(session, CostShare, agreement, ("nation", "organisation_id"), shares),
            _sync(session, AgreementWorkstream, agreement, ("workstream_id",), workstreams),
            _sync(session, AgreementRate, agreement, ("from_currency", "to_currency"), rates),
        ]
    )
