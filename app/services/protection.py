"""Protective markings and releasability: checking them, and keeping children within
their parents (DOMAIN.md: records outside an audience appear nowhere, so neither may
anything that would reveal them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app import models
from app.errors import ValidationError
from app.models import (
    Contract,
    CostShareAgreement,
    PartnerNation,
    Record,
    Risk,
    Workstream,
)
from app.services import lookups, settings
from app.services.collation import bytewise
from app.services.records import assign, entity
from app.services.validation import Checker

MARKING_SCALE_KEY = "marking_scale"


def marking_scale(session: Session) -> tuple[str, ...]:
    return tuple(settings.value(session, MARKING_SCALE_KEY))


def partner_nations(session: Session, programme_id: int) -> tuple[str, ...]:
    """The programme's partner nations, in the order they are listed."""

    def read() -> tuple[str, ...]:
        return tuple(
            session.scalars(
                select(PartnerNation.nation)
                .where(PartnerNation.programme_id == programme_id)
                .order_by(PartnerNation.position, bytewise(PartnerNation.nation))
            )
        )

    return lookups.remembered(
        session, ("partner_nations", programme_id), [PartnerNation.__tablename__], read
    )


def releasability(nations: Iterable[str]) -> str:
    """The stored form: sorted, unique, space-separated."""
    return " ".join(sorted({n.strip().upper() for n in nations if n.strip()}))


def check_protection(
    check: Checker,
    session: Session,
    programme_id: int,
    marking: int,
    releasable_to: str | None,
) -> str:
    """Validate marking and releasability; returns the releasability to store."""
    scale = marking_scale(session)
    check.whole("marking", marking, 0, len(scale) - 1)
    partners = partner_nations(session, programme_id)
    if releasable_to is None:
        return releasability(partners)
    chosen = releasability(releasable_to.replace(",", " ").split())
    if not chosen:
        check.add("releasable_to", "must name at least one partner nation")
    unknown = sorted(set(chosen.split()) - set(partners))
    if unknown:
        check.add(
            "releasable_to",
            f"{', '.join(unknown)} is not a partner nation of this programme "
            f"({', '.join(partners)})",
        )
    return chosen


def describe(record: Record) -> str:
    """How a message names a record: 'workstream WS-07', "milestone 'PDR'", 'expenditure 4'."""
    kind = entity(type(record))
    for attribute in ("code", "number", "reference", "short_name"):
        if label := getattr(record, attribute, None):
            return f"{kind} {label}"
    for attribute in ("title", "item"):
        if label := getattr(record, attribute, None):
            return f"{kind} {label!r}"
    return f"{kind} {record.id}"


def _nations(record: Record) -> set[str]:
    return set(record.releasable_to.split())


def same_protection(parent: Record) -> dict[str, Any]:
    """The columns of a record with no protection of its own: its parent's, exactly.

    A participant, a milestone's history row or a risk review tells as much as its
    parent does and is never chosen apart from it.
    """
    return {"marking": parent.marking, "releasable_to": parent.releasable_to}


def inherit_protection(
    session: Session,
    check: Checker,
    programme_id: int,
    parent: Record | Sequence[Record | None] | None,
    marking: int | None,
    releasable_to: str | None,
) -> tuple[int, str]:
    """The marking and releasability to store for a record under `parent` (or parents).

    A child record reveals its parent (a milestone shows its workstream exists and what
    it is doing), so it may reach no audience the parent is kept from and is marked at
    least as high:
    - releasable_to None takes the parent's releasability (with two parents, e.g. a risk
      of a workstream and a contract, the nations both may be shown to);
    - a releasability naming a nation a parent is not releasable to is refused;
    - the marking is never below the parent's, so the draft's default 0 (and None)
      means "as the parent", and a lower marking is raised to the parent's.
    Without a parent this is `check_protection`.
    """
    if parent is None or isinstance(parent, Record):
        parents = [] if parent is None else [parent]
    else:
        parents = [p for p in parent if p is not None]
    chosen = 0 if marking is None else marking
    if releasable_to is None and parents:
        common = set.intersection(*(_nations(p) for p in parents))
        if not common:
            kept = " and ".join(f"the {describe(p)} to {p.releasable_to}" for p in parents)
            check.add("releasable_to", f"{kept} only: no nation may see a record of both")
            check.whole("marking", chosen, 0, len(marking_scale(session)) - 1)
            return chosen, ""
        releasable_to = releasability(common)
    stored = check_protection(check, session, programme_id, chosen, releasable_to)
    if check.ok("releasable_to"):
        for p in parents:
            if set(stored.split()) - _nations(p):
                check.add(
                    "releasable_to",
                    f"the {describe(p)} is releasable to {', '.join(sorted(_nations(p)))} "
                    "only; its records cannot be released more widely",
                )
    if not check.ok("marking"):
        return chosen, stored
    return max([chosen, *(p.marking for p in parents)]), stored


def _where(column: InstrumentedAttribute[Any]) -> Callable[[int], Select[Any]]:
    """The records whose `column` names the parent, oldest first."""
    model = column.class_
    return lambda parent_id: select(model).where(column == parent_id).order_by(model.id)


# Which records inherit protection from which (DOMAIN.md: records outside the audience
# appear nowhere, so neither may anything that reveals them).
_DEPENDANTS: dict[type[Record], tuple[Callable[[int], Select[Any]], ...]] = {
    Workstream: (
        _where(models.WorkstreamParticipant.workstream_id),
        _where(models.Milestone.workstream_id),
        _where(models.Expenditure.workstream_id),
        _where(Risk.workstream_id),
    ),
    models.Milestone: (
        _where(models.MilestoneForecast.milestone_id),
        _where(models.MilestoneBaseline.milestone_id),
    ),
    Contract: (
        _where(models.Deliverable.contract_id),
        _where(models.TotPackage.contract_id),
        _where(models.OffsetDischarge.contract_id),
        _where(Risk.contract_id),
    ),
    Risk: (
        _where(models.RiskReview.risk_id),
        _where(models.Action.risk_id),
    ),
    CostShareAgreement: (
        _where(models.CostShare.agreement_id),
        _where(models.AgreementWorkstream.agreement_id),
        _where(models.AgreementRate.agreement_id),
        lambda agreement_id: (
            select(models.Contribution)
            .join(models.CostShare, models.CostShare.id == models.Contribution.cost_share_id)
            .where(models.CostShare.agreement_id == agreement_id)
            .order_by(models.Contribution.id)
        ),
    ),
}
# Records with no protection of their own: they follow their parent both ways.
_FOLLOWERS: frozenset[type[Record]] = frozenset(
    {
        models.WorkstreamParticipant,
        models.MilestoneForecast,
        models.MilestoneBaseline,
        models.RiskReview,
        models.CostShare,
        models.AgreementWorkstream,
        models.AgreementRate,
    }
)


def dependants(session: Session, parent: Record) -> list[Record]:
    """The records that take their protection from `parent`, in a stable order."""
    return [
        child
        for query in _DEPENDANTS.get(type(parent), ())
        for child in session.scalars(query(parent.id))
    ]


def propagate_protection(
    session: Session, parent: Record, children: Iterable[Record] | None = None
) -> None:
    """Bring `children` (by default all dependants) and theirs in line with `parent`.

    Called after a parent's change in the same unit of work: a child with protection of
    its own is narrowed to the parent's nations and raised to its marking (never
    widened or lowered), one without follows the parent exactly. Only rows that differ
    are written, so the audit shows real changes. A child that would be left
    releasable to nobody is refused by a ValidationError, which rolls the parent's
    change back with everything else.
    """
    plan: list[tuple[Record, int, str]] = []
    _plan(session, parent, parent.marking, _nations(parent), children, plan)
    for child, marking, releasable in plan:
        assign(session, child, {"marking": marking, "releasable_to": releasable})


def assign_and_propagate(session: Session, record: Record, values: dict[str, Any]) -> None:
    """`records.assign`, then `propagate_protection` if the record's protection changed.

    If it did not, its dependants are in line already (each was checked against it when
    written, and every earlier change of its protection was propagated), so reading
    them all back to find nothing to change is skipped.
    """
    before = (record.marking, record.releasable_to)
    assign(session, record, values)
    if (record.marking, record.releasable_to) != before:
        propagate_protection(session, record)


def _plan(
    session: Session,
    parent: Record,
    marking: int,
    nations: set[str],
    children: Iterable[Record] | None,
    plan: list[tuple[Record, int, str]],
) -> None:
    """Work out every change before writing any, so a refusal leaves nothing half-done."""
    for child in dependants(session, parent) if children is None else children:
        if type(child) in _FOLLOWERS:
            wanted_marking, wanted = marking, set(nations)
        else:
            wanted_marking, wanted = max(child.marking, marking), _nations(child) & nations
        if not wanted:
            raise ValidationError.one(
                "releasable_to",
                f"the {describe(child)} is releasable to {child.releasable_to} only; "
                f"the {describe(parent)} releasable to {releasability(nations)} would leave "
                "it releasable to nobody; change or delete it first",
            )
        releasable = releasability(wanted)
        if (wanted_marking, releasable) != (child.marking, child.releasable_to):
            plan.append((child, wanted_marking, releasable))
            _plan(session, child, wanted_marking, wanted, None, plan)
