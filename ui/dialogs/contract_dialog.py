"""The contract dialog: the contract, its indigenous content and offsets, and its children.

Indigenous content below the procurement category's minimum is allowed (the contract
may be old, or under negotiation) but flagged beside the fields, in words. The offset
obligation is the office's to enter; "Suggest" fills in what DOMAIN.md's rule gives
(`contracts.suggested_offset_obligation`) and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app import money
from app.database import Database
from app.domain import ContractKind, ContractStatus
from app.errors import SetuError
from app.services import contracts, register_labels, settings
from app.services.contracts import OFFSETS_KEY, PROCUREMENT_KEY, ContractDraft, ContractRow
from app.services.validation import TITLE_MAX, Checker
from ui.dialogs.context import programme_context
from ui.dialogs.contract_items_dialogs import contract_item_tabs
from ui.dialogs.fields import (
    PROBLEM_COLOUR,
    ChoiceField,
    DateField,
    PickerField,
    TextField,
)
from ui.dialogs.money_fields import CurrencyMoneyField, MoneyField, set_money_currency
from ui.dialogs.pickers import Choices
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.value_fields import (
    DecimalField,
    OptionalChoiceField,
    RequiredPickerField,
    decimal_text,
)
from ui.undo import RecordOps

NUMBER_MAX = 60  # as contracts.check_contract


def contract_ops(db: Database, programme_id: int) -> RecordOps[ContractRow, ContractDraft]:
    """The contracts register's use-cases for dialogs and undo, bound to one programme."""
    return RecordOps(
        db=db,
        entity="contract",
        create=lambda draft: contracts.create_contract(db, programme_id, draft),
        update=lambda i, version, draft: contracts.update_contract(db, i, version, draft),
        delete=lambda i, version: contracts.delete_contract(db, i, version),
        get=lambda i: contracts.get_contract(db, i),
        draft_of=lambda row: row.draft(),
        label=lambda row: row.number,
    )


def ic_verdict(
    minimums: Mapping[str, Any],
    category: str | None,
    target: Decimal | None,
    achieved: Decimal | None,
) -> tuple[str, bool] | None:
    """(text, below) for a contract's IC against its category's minimum; None without one."""
    if category is None or category not in minimums or target is None or achieved is None:
        return None
    minimum = Decimal(str(minimums[category]))
    lowest = min(target, achieved)
    return decimal_text(minimum), lowest < minimum


class ContractDialog(RecordDialog):
    """Add or edit a contract; an existing one also lists its deliverables, ToT and offsets."""

    draft_type = ContractDraft

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: ContractRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        indian_grouping: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        self.db = db
        self.programme_id = programme_id
        self.indian_grouping = indian_grouping
        # Everything the pickers offer, read once when the dialog opens.
        self.context = programme_context(db, programme_id)
        self.currency = row.currency if row is not None else self.context.base_currency
        self.organisations = [
            (o.id, f"{o.short_name} — {o.name}")
            for o in register_labels.organisation_titles(db, programme_id)
        ]
        self.workstreams = [
            (w.id, w.label) for w in register_labels.workstream_titles(db, programme_id)
        ]
        self.minimums: dict[str, Any] = dict(settings.get(db, PROCUREMENT_KEY).value)
        self.offsets: dict[str, Any] = dict(settings.get(db, OFFSETS_KEY).value)
        super().__init__(contract_ops(db, programme_id), row, undo_stack=undo_stack, parent=parent)
        if row is None:
            self.setWindowTitle(self.tr("Add a contract"))
        else:
            self.setWindowTitle(
                self.tr("Contract {number} — {title}").format(number=row.number, title=row.title)
            )
        self.resize(780, 700)
        self.on_edited()

    def check(self, draft: Any) -> Checker:
        return contracts.check_contract(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "number": "",
            "title": "",
            "kind": ContractKind.CO_PRODUCTION.value,
            "supplier_id": None,
            "customer_id": None,
            "value_minor": 0,
            "currency": self.context.base_currency,
            "status": ContractStatus.DRAFT.value,
            "signed_on": None,
            "period_start": None,
            "period_end": None,
            "ic_target_pct": Decimal(0),
            "ic_achieved_pct": Decimal(0),
            "procurement_category": None,
            "offset_obligation_minor": 0,
            "workstream_id": None,
            "marking": 0,
            "releasable_to": None,
        }

    # Building -----------------------------------------------------------------------

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("&Contract"))
        self.add_field(
            form,
            TextField(
                "number", tr("&Number"), max_len=NUMBER_MAX, placeholder=tr("e.g. JP/CP/2025/004")
            ),
        )
        self.add_field(form, TextField("title", tr("&Title"), max_len=TITLE_MAX))
        self.add_field(form, ChoiceField("kind", tr("&Kind"), ContractKind))
        self.add_field(form, ChoiceField("status", tr("&Status"), ContractStatus))
        # Supplier and customer pick from the same organisations: one list serves both.
        organisations = Choices(self.organisations, parent=self)
        self.add_field(form, RequiredPickerField("supplier_id", tr("Su&pplier"), organisations))
        self.add_field(form, RequiredPickerField("customer_id", tr("C&ustomer"), organisations))
        self.add_field(form, PickerField("workstream_id", tr("&Workstream"), self.workstreams))
        self.value_field = CurrencyMoneyField(
            "value_minor",
            tr("&Value"),
            currency=self.currency,
            indian_grouping=self.indian_grouping,
        )
        self.value_field.edited.connect(self._currency_changed)
        self.add_field(form, self.value_field)
        self.add_field(form, DateField("signed_on", tr("Si&gned on"), nullable=True))
        self.add_field(form, DateField("period_start", tr("Period &from"), nullable=True))
        self.add_field(form, DateField("period_end", tr("Period t&o"), nullable=True))
        self.add_field(form, ProtectionField(self.context.scale, self.context.nations))
        self._build_industry()
        self._build_items()

    def _build_industry(self) -> None:
        tr = self.tr
        form = self.form(tr("&Indigenous content && offsets"))
        self.add_field(
            form,
            OptionalChoiceField(
                "procurement_category",
                tr("Procurement &category"),
                [
                    (name, tr("{name} — minimum {pct} %").format(name=name, pct=pct))
                    for name, pct in self.minimums.items()
                ],
            ),
        )
        self.add_field(form, DecimalField("ic_target_pct", tr("IC tar&get"), unit="%"))
        self.add_field(form, DecimalField("ic_achieved_pct", tr("IC ac&hieved"), unit="%"))
        self.ic_label = QLabel()
        self.ic_label.setObjectName("ic_verdict")
        self.ic_label.setWordWrap(True)
        form.addRow(tr("Against the minimum"), self.ic_label)
        self.offset_field = MoneyField(
            "offset_obligation_minor",
            tr("&Offset obligation"),
            self.currency,
            indian_grouping=self.indian_grouping,
        )
        self.suggest_button = QPushButton(tr("&Suggest"))
        self.suggest_button.setObjectName("suggest_offset")
        self.suggest_button.setToolTip(
            tr("Fill in the obligation the office's offset rule gives for this value")
        )
        self.suggest_button.clicked.connect(self.suggest_offset)
        self.offset_field.row.addWidget(self.suggest_button)
        self.add_field(form, self.offset_field)
        self.suggestion = QLabel()
        self.suggestion.setObjectName("offset_suggestion")
        self.suggestion.setWordWrap(True)
        self.suggestion.setProperty("role", "muted")
        self.suggestion.hide()
        form.addRow("", self.suggestion)
        threshold = self.threshold_text()
        rule = QLabel(
            tr(
                "Rule: above {threshold}, an obligation of {pct} % of the whole contract value; "
                "each discharge claims its value times its multiplier."
            ).format(threshold=threshold, pct=self.offsets["obligation_pct"])
        )
        rule.setWordWrap(True)
        rule.setProperty("role", "muted")
        form.addRow("", rule)

    def _build_items(self) -> None:
        tr = self.tr
        if self.row is None:
            for title in (tr("&Deliverables"), tr("&ToT packages"), tr("O&ffset discharges")):
                note = QLabel(tr("Add the contract first; then add these here."))
                note.setAlignment(Qt.AlignmentFlag.AlignCenter)
                index = self.tabs.addTab(note, title)
                self.tabs.setTabEnabled(index, False)
                self.tabs.setTabToolTip(index, tr("Add the contract first"))
            self.item_tabs: dict[str, Any] = {}
            return
        self.item_tabs = {}
        for title, tab in contract_item_tabs(
            self.db, self.row.id, self.row.currency, undo_stack=self.undo_stack, parent=self
        ):
            self.tabs.addTab(tab, title)
            self.item_tabs[tab.objectName()] = tab

    # Live reactions -----------------------------------------------------------------

    def _currency_changed(self) -> None:
        """The obligation is in the contract's currency: it follows the value's."""
        currency = self.value_field.currency
        if currency != self.offset_field.currency:
            set_money_currency(self.offset_field, currency)

    def on_edited(self) -> None:
        values = self.form_values()
        category = values["procurement_category"]
        verdict = ic_verdict(
            self.minimums, category, values["ic_target_pct"], values["ic_achieved_pct"]
        )
        self.ic_label.setStyleSheet("")
        if category is None:
            self.ic_label.setText(self.tr("No procurement category: no minimum applies."))
        elif verdict is None:
            self.ic_label.setText("")
        elif verdict[1]:
            self.ic_label.setText(
                self.tr("Below the category's minimum of {pct} %: the contract is flagged.").format(
                    pct=verdict[0]
                )
            )
            self.ic_label.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: bold;")
        else:
            self.ic_label.setText(
                self.tr("Meets the category's minimum of {pct} %.").format(pct=verdict[0])
            )

    def threshold_text(self) -> str:
        currency = str(self.offsets["threshold_currency"])
        grouping = self.indian_grouping and currency == "INR"
        return money.display(
            int(self.offsets["threshold_minor"]), currency, indian_grouping=grouping
        )

    def suggest_offset(self) -> None:
        self.suggestion.show()
        values = self.form_values()
        value, currency = values["value_minor"], values["currency"]
        if value is None or not money.is_known(currency):
            self.suggestion.setText(self.tr("Enter the contract's value first."))
            return
        on = values["signed_on"] or date.today()
        try:
            suggested = contracts.suggested_offset_obligation(
                self.db, self.programme_id, value, currency, on
            )
        except SetuError as exc:
            self.suggestion.setText(str(exc))
            return
        threshold_ccy = str(self.offsets["threshold_currency"])
        threshold = self.threshold_text()
        if suggested is None:
            self.suggestion.setText(
                self.tr(
                    "No exchange rate converts {ccy} to {threshold_ccy} on or before {date}: "
                    "add one on the Cost sharing page (Exchange rates), then suggest again."
                ).format(ccy=currency, threshold_ccy=threshold_ccy, date=on.isoformat())
            )
            return
        self.offset_field.set_value(suggested)
        if suggested == 0:
            self.suggestion.setText(
                self.tr("The value is not above {threshold}: no obligation.").format(
                    threshold=threshold
                )
            )
        else:
            self.suggestion.setText(
                self.tr("{pct} % of the whole value, which is above {threshold}.").format(
                    pct=self.offsets["obligation_pct"], threshold=threshold
                )
            )

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int):
            return self.context.marking_name(value)
        if name in ("supplier_id", "customer_id"):
            return dict(self.organisations).get(value, "") if value is not None else ""
        if name == "workstream_id":
            return dict(self.workstreams).get(value, "") if value is not None else ""
        return super().display_value(name, value)
