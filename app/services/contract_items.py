"""A contract's deliverables, technology-transfer packages and offset discharges.

These are small records edited one at a time from the contract's page, so they share
one set of generic steps here. Each takes the contract's marking and releasability
unless the user chooses a closer protection (`protection.inherit_protection`): a
deliverable of a RESTRICTED contract is never UNCLASSIFIED, and one of a contract
releasable to India alone is never released to Russia.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app import money
from app.database import Database
from app.domain import TotKind, TotState
from app.models import Contract, Deliverable, OffsetDischarge, TotPackage
from app.services import protection, records, settings
from app.services.contracts import OFFSETS_KEY
from app.services.records import Draft, Row
from app.services.validation import TITLE_MAX, Checker

_DEFAULT_OFFSETS = settings.DEFAULTS[OFFSETS_KEY]
DEFAULT_MULTIPLIERS = (
    Decimal(_DEFAULT_OFFSETS["multiplier_min"]),
    Decimal(_DEFAULT_OFFSETS["multiplier_max"]),
)


@dataclass(frozen=True)
class DeliverableDraft(Draft):
    item: str
    quantity_ordered: int
    due_date: date
    quantity_delivered: int = 0
    delivered_on: date | None = None
    marking: int | None = None  # None (or 0): as the contract, never lower
    releasable_to: str | None = None  # None: as the contract, never wider


@dataclass(frozen=True)
class DeliverableRow(Row):
    id: int
    version: int
    contract_id: int
    item: str
    quantity_ordered: int
    quantity_delivered: int
    due_date: date
    delivered_on: date | None
    marking: int
    releasable_to: str


@dataclass(frozen=True)
class TotDraft(Draft):
    title: str
    kind: str
    planned_date: date
    state: str = TotState.PLANNED.value
    actual_date: date | None = None
    marking: int | None = None
    releasable_to: str | None = None


@dataclass(frozen=True)
class TotRow(Row):
    id: int
    version: int
    contract_id: int
    title: str
    kind: str
    planned_date: date
    actual_date: date | None
    state: str
    marking: int
    releasable_to: str


@dataclass(frozen=True)
class DischargeDraft(Draft):
    discharged_on: date
    description: str
    value_minor: int
    multiplier: Decimal
    marking: int | None = None
    releasable_to: str | None = None


@dataclass(frozen=True)
class DischargeRow(Row):
    id: int
    version: int
    contract_id: int
    discharged_on: date
    description: str
    value_minor: int
    multiplier: Decimal
    marking: int
    releasable_to: str

    @property
    def credit_minor(self) -> int:
        """Claimed credit = value x multiplier, in the contract's currency."""
        return money.round_half_up(self.value_minor * self.multiplier)


ChildDraft = DeliverableDraft | TotDraft | DischargeDraft
C = TypeVar("C", Deliverable, TotPackage, OffsetDischarge)
R = TypeVar("R", DeliverableRow, TotRow, DischargeRow)


def check_deliverable(draft: DeliverableDraft) -> Checker:
    check = Checker()
    check.text("item", draft.item, max_len=TITLE_MAX)
    check.whole("quantity_ordered", draft.quantity_ordered, 0)
    ordered = draft.quantity_ordered if check.ok("quantity_ordered") else None
    check.whole("quantity_delivered", draft.quantity_delivered, 0, ordered)
    check.is_date("due_date", draft.due_date)
    check.is_date("delivered_on", draft.delivered_on, required=False)
    return check


def check_tot(draft: TotDraft) -> Checker:
    check = Checker()
    check.text("title", draft.title, max_len=TITLE_MAX)
    check.choice("kind", draft.kind, TotKind)
    check.choice("state", draft.state, TotState)
    check.is_date("planned_date", draft.planned_date)
    check.is_date("actual_date", draft.actual_date, required=False)
    if draft.state in (TotState.TRANSFERRED, TotState.ABSORBED) and draft.actual_date is None:
        check.add("actual_date", f"is required once the package is {draft.state}")
    return check


def check_discharge(
    draft: DischargeDraft, multipliers: tuple[Decimal, Decimal] = DEFAULT_MULTIPLIERS
) -> Checker:
    """`multipliers` are the office's limits (settings "offsets"); dialogs pass them in."""
    check = Checker()
    check.is_date("discharged_on", draft.discharged_on)
    check.text("description", draft.description, max_len=400)
    check.amount("value_minor", draft.value_minor)
    check.decimal("multiplier", draft.multiplier, multipliers[0], multipliers[1], 2)
    return check


def multiplier_limits(session: Session) -> tuple[Decimal, Decimal]:
    offsets = settings.value(session, OFFSETS_KEY)
    return Decimal(offsets["multiplier_min"]), Decimal(offsets["multiplier_max"])


def _check_child(session: Session, draft: ChildDraft) -> Checker:
    """The pure checks for `draft`; only discharges need the office's settings."""
    if isinstance(draft, DeliverableDraft):
        return check_deliverable(draft)
    if isinstance(draft, TotDraft):
        return check_tot(draft)
    return check_discharge(draft, multiplier_limits(session))


def _child_values(
    session: Session, check: Checker, contract: Contract, draft: ChildDraft
) -> dict[str, Any]:
    """The draft's columns with its protection resolved against the contract's."""
    marking, releasable = protection.inherit_protection(
        session, check, contract.programme_id, contract, draft.marking, draft.releasable_to
    )
    return {**draft.columns(), "marking": marking, "releasable_to": releasable}


_MODELS: dict[type[ChildDraft], type[Deliverable | TotPackage | OffsetDischarge]] = {
    DeliverableDraft: Deliverable,
    TotDraft: TotPackage,
    DischargeDraft: OffsetDischarge,
}


def new_child(
    session: Session, contract_id: int, draft: ChildDraft
) -> Deliverable | TotPackage | OffsetDischarge:
    """Check a contract's new deliverable, ToT package or offset discharge and queue it
    for the unit of work's next flush (`records.add`)."""
    contract = records.get(session, Contract, contract_id)
    check = _check_child(session, draft)
    values = _child_values(session, check, contract, draft)
    check.done()
    return records.add(session, _MODELS[type(draft)], {**values, "contract_id": contract_id})


def _add_child(db: Database, row: type[R], contract_id: int, draft: ChildDraft) -> R:
    with db.begin() as session:
        return row.of(records.flushed(session, new_child(session, contract_id, draft)))


def _update_child(
    db: Database,
    model: type[C],
    row: type[R],
    child_id: int,
    version: int,
    draft: ChildDraft,
) -> R:
    with db.begin() as session:
        child = records.for_update(session, model, child_id, version)
        check = _check_child(session, draft)
        values = _child_values(
            session, check, records.get(session, Contract, child.contract_id), draft
        )
        check.done()
        records.assign(session, child, values)
        return row.of(child)


def _children(
    db: Database, model: type[C], row: type[R], contract_id: int, dated: InstrumentedAttribute[date]
) -> list[R]:
    """A contract's children by their date, then by id so the order is total."""
    with db.read() as session:
        found = session.scalars(
            select(model).where(model.contract_id == contract_id).order_by(dated, model.id)
        )
        return [row.of(c) for c in found]


def add_deliverable(db: Database, contract_id: int, draft: DeliverableDraft) -> DeliverableRow:
    return _add_child(db, DeliverableRow, contract_id, draft)


def update_deliverable(
    db: Database, deliverable_id: int, version: int, draft: DeliverableDraft
) -> DeliverableRow:
    return _update_child(db, Deliverable, DeliverableRow, deliverable_id, version, draft)


def delete_deliverable(db: Database, deliverable_id: int, version: int) -> None:
    records.delete_versioned(db, Deliverable, deliverable_id, version)


def list_deliverables(db: Database, contract_id: int) -> list[DeliverableRow]:
    return _children(db, Deliverable, DeliverableRow, contract_id, Deliverable.due_date)


def add_tot(db: Database, contract_id: int, draft: TotDraft) -> TotRow:
    return _add_child(db, TotRow, contract_id, draft)


def update_tot(db: Database, tot_id: int, version: int, draft: TotDraft) -> TotRow:
    return _update_child(db, TotPackage, TotRow, tot_id, version, draft)


def delete_tot(db: Database, tot_id: int, version: int) -> None:
    records.delete_versioned(db, TotPackage, tot_id, version)


def list_tot(db: Database, contract_id: int) -> list[TotRow]:
    return _children(db, TotPackage, TotRow, contract_id, TotPackage.planned_date)


def add_discharge(db: Database, contract_id: int, draft: DischargeDraft) -> DischargeRow:
    return _add_child(db, DischargeRow, contract_id, draft)


def update_discharge(
    db: Database, discharge_id: int, version: int, draft: DischargeDraft
) -> DischargeRow:
    return _update_child(db, OffsetDischarge, DischargeRow, discharge_id, version, draft)


def delete_discharge(db: Database, discharge_id: int, version: int) -> None:
    records.delete_versioned(db, OffsetDischarge, discharge_id, version)


def list_discharges(db: Database, contract_id: int) -> list[DischargeRow]:
    return _children(db, OffsetDischarge, DischargeRow, contract_id, OffsetDischarge.discharged_on)
