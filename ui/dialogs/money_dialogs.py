"""Dialogs for money moving under the agreements: contributions, expenditure, exchange rates.

A contribution is paid under a partner's share of an agreement, an expenditure is spent
on a workstream; each is protected at least as closely as what it belongs to, so a new
one starts with exactly its parent's releasability. Exchange rates belong to no
programme (the programme only says whose partners may see them).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app import money
from app.database import Database
from app.domain import ContributionKind, ExpenditureCategory
from app.errors import NotFound
from app.services import costs, fx, listing_registers, register_labels
from app.services.costs import (
    DESCRIPTION_MAX,
    ContributionDraft,
    ContributionRow,
    ExpenditureDraft,
    ExpenditureRow,
)
from app.services.fx import RateDraft, RateRow
from app.services.listing import ListSpec
from app.services.validation import Checker
from ui.dialogs.context import ProgrammeContext, draft_of, programme_context
from ui.dialogs.fields import ChoiceField, DateField, TextField
from ui.dialogs.money_fields import CurrencyMoneyField
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.value_fields import (
    DecimalField,
    RequiredPickerField,
    decimal_text,
)
from ui.undo import RecordOps


def _getter(db: Database, spec: ListSpec[Any], programme_id: int, what: str) -> Any:
    def get(record_id: int) -> Any:
        found = listing_registers.first(db, spec, programme_id, {"id": record_id})
        if found is None:
            raise NotFound(f"no {what} with id {record_id}", what)
        return found

    return get


def contribution_ops(
    db: Database, programme_id: int
) -> RecordOps[ContributionRow, ContributionDraft]:
    return RecordOps(
        db=db,
        entity="contribution",
        create=lambda draft: costs.create_contribution(db, programme_id, draft),
        update=lambda i, version, draft: costs.update_contribution(db, i, version, draft),
        delete=lambda i, version: costs.delete_contribution(db, i, version),
        get=_getter(db, listing_registers.CONTRIBUTIONS, programme_id, "contribution"),
        draft_of=lambda row: draft_of(row, ContributionDraft),
        label=lambda row: (
            f"{row.contributed_on.isoformat()} {money.display(row.amount_minor, row.currency)}"
        ),
    )


def expenditure_ops(db: Database, programme_id: int) -> RecordOps[ExpenditureRow, ExpenditureDraft]:
    return RecordOps(
        db=db,
        entity="expenditure",
        create=lambda draft: costs.create_expenditure(db, programme_id, draft),
        update=lambda i, version, draft: costs.update_expenditure(db, i, version, draft),
        delete=lambda i, version: costs.delete_expenditure(db, i, version),
        get=_getter(db, listing_registers.EXPENDITURES, programme_id, "expenditure"),
        draft_of=lambda row: draft_of(row, ExpenditureDraft),
        label=lambda row: (
            f"{row.spent_on.isoformat()} {money.display(row.amount_minor, row.currency)}"
        ),
    )


def rate_ops(db: Database, programme_id: int) -> RecordOps[RateRow, RateDraft]:
    return RecordOps(
        db=db,
        entity="exchange rate",
        create=lambda draft: fx.add_rate(db, programme_id, draft),
        update=lambda i, version, draft: fx.update_rate(db, programme_id, i, version, draft),
        delete=lambda i, version: fx.delete_rate(db, i, version),
        get=_getter(db, listing_registers.RATES, programme_id, "exchange rate"),
        draft_of=lambda row: draft_of(row, RateDraft),
        label=lambda row: (
            rate_text(row.from_currency, row.to_currency, row.rate)
            + f" ({row.rate_date.isoformat()})"
        ),
    )


def rate_text(from_ccy: str, to_ccy: str, rate: Decimal | None) -> str:
    """ "1 USD = 83.1 INR"."""
    text = QCoreApplication.translate("RateDialog", "1 {source} = {rate} {target}")
    shown = decimal_text(rate) if rate is not None else "?"
    return text.format(source=from_ccy, rate=shown, target=to_ccy)


class _MoneyDialog(RecordDialog):
    """What the three dialogs share: the programme's context, and the marking by name."""

    def __init__(
        self,
        ops: RecordOps[Any, Any],
        context: ProgrammeContext,
        row: Any | None,
        *,
        undo_stack: QUndoStack | None,
        indian_grouping: bool,
        parent: QWidget | None,
    ) -> None:
        self.context = context
        self.indian_grouping = indian_grouping
        super().__init__(ops, row, undo_stack=undo_stack, parent=parent)

    def protection(self) -> ProtectionField:
        return ProtectionField(self.context.scale, self.context.nations)

    def money_field(self, name: str, label: str) -> CurrencyMoneyField:
        currency = self.row.currency if self.row is not None else self.context.base_currency
        return CurrencyMoneyField(
            name, label, currency=currency, indian_grouping=self.indian_grouping
        )

    def follow_parent(self, releasable_to: str | None) -> None:
        """A new record under a parent starts released exactly as far as the parent."""
        if self.row is None and releasable_to:
            self.field("marking").set_values({"releasable_to": releasable_to})

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int):
            return self.context.marking_name(value)
        return super().display_value(name, value)


class _UnderParentDialog(_MoneyDialog):
    """A record paid or spent under a parent (a partner's share, a workstream): it is
    picked first, and a new record starts released exactly as far as that parent."""

    parent_field: ClassVar[str]

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: Any | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        indian_grouping: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        self.parents = self.load_parents(db, programme_id)
        super().__init__(
            self.record_ops(db, programme_id),
            programme_context(db, programme_id),
            row,
            undo_stack=undo_stack,
            indian_grouping=indian_grouping,
            parent=parent,
        )
        self.setWindowTitle(self.title(new=row is None))
        self.resize(640, 480)
        if row is None:
            self._parent_changed()
            self._initial = self.form_values()  # the parent's protection is no edit

    def load_parents(self, db: Database, programme_id: int) -> dict[int, Any]:
        """The records this one can belong to, by id, in the order the picker shows."""
        raise NotImplementedError

    def record_ops(self, db: Database, programme_id: int) -> RecordOps[Any, Any]:
        raise NotImplementedError

    def title(self, *, new: bool) -> str:
        raise NotImplementedError

    def parent_picker(self, form: QFormLayout, label: str, options: list[tuple[int, str]]) -> None:
        picker = self.add_field(form, RequiredPickerField(self.parent_field, label, options))
        picker.edited.connect(self._parent_changed)

    def description_field(self, form: QFormLayout) -> None:
        label = self.tr("D&escription")
        self.add_field(
            form, TextField("description", label, max_len=DESCRIPTION_MAX, multiline=True)
        )

    def _parent_changed(self) -> None:
        chosen = self.parents.get(self.field(self.parent_field).value())
        self.follow_parent(chosen.releasable_to if chosen is not None else None)


class ContributionDialog(_UnderParentDialog):
    """What a partner paid in under its share of an agreement, cash or in kind."""

    draft_type = ContributionDraft
    parent_field = "cost_share_id"

    def load_parents(self, db: Database, programme_id: int) -> dict[int, Any]:
        return {s.cost_share_id: s for s in register_labels.shares(db, programme_id)}

    def record_ops(self, db: Database, programme_id: int) -> RecordOps[Any, Any]:
        return contribution_ops(db, programme_id)

    def title(self, *, new: bool) -> str:
        return self.tr("Record a contribution") if new else self.tr("Contribution")

    def check(self, draft: Any) -> Checker:
        return costs.check_contribution(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "cost_share_id": next(iter(self.parents), None),
            "contributed_on": date.today(),
            "kind": ContributionKind.CASH.value,
            "amount_minor": 0,
            "currency": self.context.base_currency,
            "description": "",
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("Contribution"))
        options = [
            (
                i,
                tr("{agreement} · {partner} ({pct} %)").format(
                    agreement=s.agreement_code, partner=s.partner, pct=decimal_text(s.share_pct)
                ),
            )
            for i, s in self.parents.items()
        ]
        self.parent_picker(form, tr("&Partner's share"), options)
        self.add_field(form, DateField("contributed_on", tr("&Date")))
        self.add_field(form, ChoiceField("kind", tr("&Kind"), ContributionKind))
        self.add_field(form, self.money_field("amount_minor", tr("&Amount")))
        self.description_field(form)
        self.add_field(form, self.protection())

    def display_value(self, name: str, value: Any) -> str:
        if name == "cost_share_id" and value in self.parents:
            share = self.parents[value]
            return f"{share.agreement_code} · {share.partner}"
        return super().display_value(name, value)


class ExpenditureDialog(_UnderParentDialog):
    """What was spent on a workstream: eligible cost, and earned value's actual cost."""

    draft_type = ExpenditureDraft
    parent_field = "workstream_id"

    def load_parents(self, db: Database, programme_id: int) -> dict[int, Any]:
        return {w.id: w for w in register_labels.workstream_titles(db, programme_id)}

    def record_ops(self, db: Database, programme_id: int) -> RecordOps[Any, Any]:
        return expenditure_ops(db, programme_id)

    def title(self, *, new: bool) -> str:
        return self.tr("Record an expenditure") if new else self.tr("Expenditure")

    def check(self, draft: Any) -> Checker:
        return costs.check_expenditure(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "workstream_id": next(iter(self.parents), None),
            "spent_on": date.today(),
            "amount_minor": 0,
            "currency": self.context.base_currency,
            "category": ExpenditureCategory.LABOUR.value,
            "description": "",
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("Expenditure"))
        options = [(i, w.label) for i, w in self.parents.items()]
        self.parent_picker(form, tr("&Workstream"), options)
        self.add_field(form, DateField("spent_on", tr("&Date")))
        self.add_field(form, ChoiceField("category", tr("&Category"), ExpenditureCategory))
        self.add_field(form, self.money_field("amount_minor", tr("&Amount")))
        self.description_field(form)
        self.add_field(form, self.protection())

    def display_value(self, name: str, value: Any) -> str:
        if name == "workstream_id" and value in self.parents:
            return str(self.parents[value].code)
        return super().display_value(name, value)


class RateDialog(_MoneyDialog):
    """An exchange rate: 1 FROM = RATE TO on a date (it also serves TO -> FROM, inverted)."""

    draft_type = RateDraft

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: RateRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            rate_ops(db, programme_id),
            programme_context(db, programme_id),
            row,
            undo_stack=undo_stack,
            indian_grouping=False,
            parent=parent,
        )
        self.setWindowTitle(
            self.tr("Exchange rate") if row is not None else self.tr("Add an exchange rate")
        )
        self.resize(560, 360)
        self.on_edited()

    def check(self, draft: Any) -> Checker:
        return fx.check_rate(draft)

    def defaults(self) -> dict[str, Any]:
        base = self.context.base_currency
        other = next((c for c in money.CURRENCIES if c != base), base)
        return {
            "rate_date": date.today(),
            "from_currency": other,
            "to_currency": base,
            "rate": None,
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("Exchange rate"))
        self.add_field(form, DateField("rate_date", tr("&Date")))
        self.add_field(form, ChoiceField("from_currency", tr("&From"), list(money.CURRENCIES)))
        self.add_field(form, ChoiceField("to_currency", tr("&To"), list(money.CURRENCIES)))
        self.add_field(
            form,
            DecimalField(
                "rate", tr("&Rate"), placeholder="83.1", unit=tr("units of To for 1 of From")
            ),
        )
        self.reading = QLabel()
        self.reading.setObjectName("rate_reading")
        form.addRow(tr("Reads"), self.reading)
        self.add_field(form, self.protection())

    def on_edited(self) -> None:
        values = self.form_values()
        self.reading.setText(
            rate_text(values["from_currency"], values["to_currency"], values["rate"])
        )
