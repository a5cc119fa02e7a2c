"""Co-production contracts: the register, and the offset obligation Setu suggests.

A contract's deliverables, ToT packages and offset discharges are in
`app.services.contract_items`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import money
from app.database import Database
from app.domain import ContractKind, ContractStatus
from app.models import (
    Contract,
    Deliverable,
    OffsetDischarge,
    Organisation,
    Risk,
    TotPackage,
    Workstream,
)
from app.services import fx, protection, records, settings
from app.services.collation import bytewise
from app.services.records import Draft, Row
from app.services.validation import TITLE_MAX, Checker

OFFSETS_KEY = "offsets"
PROCUREMENT_KEY = "procurement_minimums"


@dataclass(frozen=True)
class ContractDraft(Draft):
    number: str
    title: str
    kind: str
    supplier_id: int
    customer_id: int
    value_minor: int
    currency: str
    status: str = ContractStatus.DRAFT.value
    signed_on: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    ic_target_pct: Decimal = Decimal(0)
    ic_achieved_pct: Decimal = Decimal(0)
    procurement_category: str | None = None
    offset_obligation_minor: int = 0
    workstream_id: int | None = None
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class ContractRow(Row):
    id: int
    version: int
    programme_id: int
    number: str
    title: str
    kind: str
    supplier_id: int
    customer_id: int
    workstream_id: int | None
    value_minor: int
    currency: str
    signed_on: date | None
    period_start: date | None
    period_end: date | None
    status: str
    ic_target_pct: Decimal
    ic_achieved_pct: Decimal
    procurement_category: str | None
    offset_obligation_minor: int
    marking: int
    releasable_to: str

    def draft(self) -> ContractDraft:
        """The editable part, e.g. to fill a dialog or to change one field."""
        return ContractDraft(**{f: getattr(self, f) for f in ContractDraft.__dataclass_fields__})


def check_contract(draft: ContractDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.text("number", draft.number, max_len=60)
    check.text("title", draft.title, max_len=TITLE_MAX)
    check.choice("kind", draft.kind, ContractKind)
    check.choice("status", draft.status, ContractStatus)
    check.amount("value_minor", draft.value_minor)
    check.currency("currency", draft.currency)
    check.is_date("signed_on", draft.signed_on, required=False)
    check.is_date("period_start", draft.period_start, required=False)
    check.is_date("period_end", draft.period_end, required=False)
    check.ordered("period_start", draft.period_start, "period_end", draft.period_end)
    check.percent("ic_target_pct", draft.ic_target_pct)
    check.percent("ic_achieved_pct", draft.ic_achieved_pct)
    check.text("procurement_category", draft.procurement_category, required=False, max_len=80)
    check.amount("offset_obligation_minor", draft.offset_obligation_minor)
    return check


def _check_contract_in(
    session: Session, check: Checker, programme_id: int, draft: ContractDraft, own_id: int
) -> str:
    records.check_unique(
        session, check, Contract, "number", draft.number, own_id, programme_id=programme_id
    )
    for field in ("supplier_id", "customer_id"):
        records.check_in_programme(
            session, check, programme_id, field, Organisation, getattr(draft, field)
        )
    if draft.workstream_id is not None:
        records.check_in_programme(
            session, check, programme_id, "workstream_id", Workstream, draft.workstream_id
        )
    categories = settings.value(session, PROCUREMENT_KEY)
    if draft.procurement_category is not None and draft.procurement_category not in categories:
        check.add(
            "procurement_category",
            f"{draft.procurement_category!r} is not a procurement category "
            f"(use one of: {', '.join(sorted(categories))})",
        )
    return protection.check_protection(
        check, session, programme_id, draft.marking, draft.releasable_to
    )


def new_contract(session: Session, programme_id: int, draft: ContractDraft) -> Contract:
    """Check a new contract and queue it for the unit of work's next flush (`records.add`)."""
    check = check_contract(draft)
    records.programme_of(session, programme_id)
    releasable = _check_contract_in(session, check, programme_id, draft, 0)
    check.done()
    values = {**draft.columns(), "programme_id": programme_id, "releasable_to": releasable}
    return records.add(session, Contract, values)


def create_contract(db: Database, programme_id: int, draft: ContractDraft) -> ContractRow:
    with db.begin() as session:
        return ContractRow.of(records.flushed(session, new_contract(session, programme_id, draft)))


def update_contract(
    db: Database, contract_id: int, version: int, draft: ContractDraft
) -> ContractRow:
    check = check_contract(draft)
    with db.begin() as session:
        contract = records.for_update(session, Contract, contract_id, version)
        releasable = _check_contract_in(session, check, contract.programme_id, draft, contract.id)
        check.done()
        # Its deliverables, ToT packages, discharges and risks must not outreach it.
        values = {**draft.columns(), "releasable_to": releasable}
        protection.assign_and_propagate(session, contract, values)
        return ContractRow.of(contract)


# What may refer to a contract, in the words the refusal uses.
_REFERRERS: tuple[records.Referrer, ...] = (
    (Deliverable.contract_id, "deliverable"),
    (TotPackage.contract_id, "ToT package"),
    (OffsetDischarge.contract_id, "offset discharge"),
    (Risk.contract_id, "risk"),
)


def delete_contract(db: Database, contract_id: int, version: int) -> None:
    """Delete a contract nothing refers to; its children are records the office keeps."""
    with db.begin() as session:
        contract = records.for_update(session, Contract, contract_id, version)
        records.refuse_if_referenced(
            session, "contract", contract_id, _REFERRERS, name=f"contract {contract.number}"
        )
        records.remove(session, [contract])


def get_contract(db: Database, contract_id: int) -> ContractRow:
    with db.read() as session:
        return ContractRow.of(records.get(session, Contract, contract_id))


def list_contracts(db: Database, programme_id: int) -> list[ContractRow]:
    with db.read() as session:
        rows = session.scalars(
            select(Contract)
            .where(Contract.programme_id == programme_id)
            .order_by(bytewise(Contract.number))
        )
        return [ContractRow.of(c) for c in rows]


def suggested_offset_obligation(
    db: Database, programme_id: int, value_minor: int, currency: str, on: date
) -> int | None:
    """The offset obligation Setu proposes for a contract value (DOMAIN.md, Offsets).

    Above the threshold the whole value carries the obligation, not just the excess;
    at or below it there is none. None when no rate converts the value to the
    threshold's currency on `on`, so the dialog can say why it cannot suggest one.
    """
    with db.read() as session:
        records.programme_of(session, programme_id)
        offsets = settings.value(session, OFFSETS_KEY)
        threshold_ccy = offsets["threshold_currency"]
        try:
            rate = fx.rate_on(session, currency, threshold_ccy, on)
        except fx.MissingRate:
            return None
    if fx.convert(value_minor, currency, threshold_ccy, rate) <= int(offsets["threshold_minor"]):
        return 0
    return money.round_half_up(Decimal(value_minor) * Decimal(offsets["obligation_pct"]) / 100)
