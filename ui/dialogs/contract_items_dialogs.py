"""A contract's deliverables, ToT packages and offset discharges: small tables in the
contract dialog, each with Add, Edit and Remove, every change through
`app.services.contract_items` and onto the undo stack like any other edit.

Children take the contract's marking and releasability (the services never let one be
released more widely than its contract), so their dialogs have no protection fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from app import money
from app.database import Database
from app.domain import TotKind, TotState
from app.errors import NotFound
from app.services import contract_items, settings
from app.services.contract_items import (
    DeliverableDraft,
    DeliverableRow,
    DischargeDraft,
    DischargeRow,
    TotDraft,
    TotRow,
)
from app.services.contracts import OFFSETS_KEY
from app.services.validation import TITLE_MAX, Checker
from ui.dialogs.context import draft_of
from ui.dialogs.fields import ChoiceField, DateField, TextField
from ui.dialogs.items_tab import ItemsTab
from ui.dialogs.money_fields import MoneyField
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.value_fields import CountField, DecimalField, decimal_text
from ui.undo import RecordOps

DESCRIPTION_MAX = 400  # as contract_items.check_discharge
TIMES = "\u00d7"  # the multiplication sign, spelt out for the linter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _find(rows: Sequence[Any], record_id: int, what: str) -> Any:
    for row in rows:
        if row.id == record_id:
            return row
    raise NotFound(f"no {what} with id {record_id}", what)


def _item_ops(
    db: Database,
    contract_id: int,
    entity: str,
    draft_type: type[Any],
    services: tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any], Callable[..., Any]],
    label: Callable[[Any], str],
) -> RecordOps[Any, Any]:
    """A contract item's operations from its services: (add, update, delete, list)."""
    add, update, delete, listing = services
    return RecordOps(
        db=db,
        entity=entity,
        create=lambda draft: add(db, contract_id, draft),
        update=lambda i, v, draft: update(db, i, v, draft),
        delete=lambda i, v: delete(db, i, v),
        get=lambda i: _find(listing(db, contract_id), i, entity),
        draft_of=lambda row: draft_of(row, draft_type),
        label=label,
    )


def deliverable_ops(db: Database, contract_id: int) -> RecordOps[DeliverableRow, DeliverableDraft]:
    services = (
        contract_items.add_deliverable,
        contract_items.update_deliverable,
        contract_items.delete_deliverable,
        contract_items.list_deliverables,
    )
    return _item_ops(
        db, contract_id, "deliverable", DeliverableDraft, services, lambda row: f"“{row.item}”"
    )


def tot_ops(db: Database, contract_id: int) -> RecordOps[TotRow, TotDraft]:
    services = (
        contract_items.add_tot,
        contract_items.update_tot,
        contract_items.delete_tot,
        contract_items.list_tot,
    )
    return _item_ops(
        db, contract_id, "ToT package", TotDraft, services, lambda row: f"“{row.title}”"
    )


def discharge_ops(db: Database, contract_id: int) -> RecordOps[DischargeRow, DischargeDraft]:
    services = (
        contract_items.add_discharge,
        contract_items.update_discharge,
        contract_items.delete_discharge,
        contract_items.list_discharges,
    )
    return _item_ops(
        db,
        contract_id,
        "offset discharge",
        DischargeDraft,
        services,
        lambda row: f"{row.discharged_on.isoformat()} “{row.description}”",
    )


# Dialogs ----------------------------------------------------------------------------------


class DeliverableDialog(RecordDialog):
    draft_type = DeliverableDraft

    def __init__(
        self,
        ops: RecordOps[Any, Any],
        row: DeliverableRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, row, undo_stack=undo_stack, parent=parent)
        self.setWindowTitle(self.tr("Deliverable") if row else self.tr("Add a deliverable"))
        self.resize(560, 360)

    def check(self, draft: Any) -> Checker:
        return contract_items.check_deliverable(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "item": "",
            "quantity_ordered": 1,
            "due_date": date.today(),
            "quantity_delivered": 0,
            "delivered_on": None,
            "marking": None,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("Deliverable"))
        self.add_field(form, TextField("item", tr("&Item"), max_len=TITLE_MAX))
        self.add_field(form, CountField("quantity_ordered", tr("Quantity &ordered")))
        self.add_field(form, DateField("due_date", tr("&Due")))
        self.add_field(form, CountField("quantity_delivered", tr("Quantity de&livered")))
        self.add_field(form, DateField("delivered_on", tr("Delivered o&n"), nullable=True))


class TotDialog(RecordDialog):
    draft_type = TotDraft

    def __init__(
        self,
        ops: RecordOps[Any, Any],
        row: TotRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, row, undo_stack=undo_stack, parent=parent)
        title = self.tr("Technology-transfer package")
        self.setWindowTitle(title if row else self.tr("Add a technology-transfer package"))
        self.resize(560, 340)

    def check(self, draft: Any) -> Checker:
        return contract_items.check_tot(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "title": "",
            "kind": TotKind.DOCUMENTATION.value,
            "planned_date": date.today(),
            "state": TotState.PLANNED.value,
            "actual_date": None,
            "marking": None,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("ToT package"))
        self.add_field(form, TextField("title", tr("&What is transferred"), max_len=TITLE_MAX))
        self.add_field(form, ChoiceField("kind", tr("&Kind"), TotKind))
        self.add_field(form, DateField("planned_date", tr("&Planned")))
        self.add_field(form, ChoiceField("state", tr("&State"), TotState))
        self.add_field(form, DateField("actual_date", tr("&Actual"), nullable=True))


class DischargeDialog(RecordDialog):
    """An offset discharge: its value in the contract's currency and the credit it claims."""

    draft_type = DischargeDraft

    def __init__(
        self,
        ops: RecordOps[Any, Any],
        currency: str,
        multipliers: tuple[Decimal, Decimal],
        row: DischargeRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.currency = currency
        self.multipliers = multipliers
        super().__init__(ops, row, undo_stack=undo_stack, parent=parent)
        self.setWindowTitle(self.tr("Offset discharge") if row else self.tr("Add a discharge"))
        self.resize(600, 400)
        self.on_edited()

    def check(self, draft: Any) -> Checker:
        return contract_items.check_discharge(draft, self.multipliers)

    def defaults(self) -> dict[str, Any]:
        return {
            "discharged_on": date.today(),
            "description": "",
            "value_minor": 0,
            "multiplier": Decimal(1),
            "marking": None,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("Discharge"))
        self.add_field(form, DateField("discharged_on", tr("&Date")))
        self.add_field(
            form,
            TextField("description", tr("D&escription"), max_len=DESCRIPTION_MAX, multiline=True),
        )
        self.add_field(form, MoneyField("value_minor", tr("&Value"), self.currency))
        low, high = (decimal_text(m) for m in self.multipliers)
        self.add_field(
            form,
            DecimalField(
                "multiplier",
                tr("&Multiplier"),
                unit=tr("{times} (from {low} to {high})").format(times=TIMES, low=low, high=high),
            ),
        )
        self.credit = QLabel()
        self.credit.setObjectName("credit")
        form.addRow(tr("Credit claimed"), self.credit)

    def on_edited(self) -> None:
        values = self.form_values()
        value, multiplier = values["value_minor"], values["multiplier"]
        if value is None or multiplier is None:
            self.credit.setText("—")
            return
        credit = money.round_half_up(Decimal(value) * multiplier)
        self.credit.setText(money.display(credit, self.currency))


# The tables in the contract dialog --------------------------------------------------------


def _optional(day: date | None) -> str:
    return day.isoformat() if day else ""


def contract_item_tabs(
    db: Database,
    contract_id: int,
    currency: str,
    *,
    undo_stack: QUndoStack | None,
    parent: QWidget,
) -> list[tuple[str, ItemsTab]]:
    """The three tabs of an existing contract: (title, tab) for deliverables, ToT, offsets."""
    tr = parent.tr
    offsets = settings.get(db, OFFSETS_KEY).value
    multipliers = (Decimal(offsets["multiplier_min"]), Decimal(offsets["multiplier_max"]))
    deliverables = deliverable_ops(db, contract_id)
    packages = tot_ops(db, contract_id)
    discharges = discharge_ops(db, contract_id)
    return [
        (
            tr("&Deliverables"),
            ItemsTab(
                deliverables,
                [tr("Item"), tr("Ordered"), tr("Delivered"), tr("Due"), tr("Delivered on")],
                lambda: contract_items.list_deliverables(db, contract_id),
                lambda r: [
                    r.item,
                    f"{r.quantity_ordered:,}",
                    f"{r.quantity_delivered:,}",
                    r.due_date.isoformat(),
                    _optional(r.delivered_on),
                ],
                lambda row: DeliverableDialog(
                    deliverables, row, undo_stack=undo_stack, parent=parent
                ),
                undo_stack=undo_stack,
                name="deliverables",
                numeric=(1, 2),
            ),
        ),
        (
            tr("&ToT packages"),
            ItemsTab(
                packages,
                [tr("What is transferred"), tr("Kind"), tr("State"), tr("Planned"), tr("Actual")],
                lambda: contract_items.list_tot(db, contract_id),
                lambda r: [
                    r.title,
                    r.kind,
                    r.state,
                    r.planned_date.isoformat(),
                    _optional(r.actual_date),
                ],
                lambda row: TotDialog(packages, row, undo_stack=undo_stack, parent=parent),
                undo_stack=undo_stack,
                name="tot_packages",
            ),
        ),
        (
            tr("O&ffset discharges"),
            ItemsTab(
                discharges,
                [tr("Description"), tr("Date"), tr("Value"), tr("Multiplier"), tr("Credit")],
                lambda: contract_items.list_discharges(db, contract_id),
                lambda r: [
                    r.description,
                    r.discharged_on.isoformat(),
                    money.display(r.value_minor, currency),
                    f"{TIMES} {decimal_text(r.multiplier)}",
                    money.display(r.credit_minor, currency),
                ],
                lambda row: DischargeDialog(
                    discharges, currency, multipliers, row, undo_stack=undo_stack, parent=parent
                ),
                undo_stack=undo_stack,
                name="offset_discharges",
                numeric=(2, 3, 4),
            ),
        ),
    ]
