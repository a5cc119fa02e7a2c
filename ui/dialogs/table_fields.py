"""Form fields that are small tables: an agreement's shares and its fixed rates.

Each row is a few editors (a partner and a percentage; two currencies and a rate), with
Add and Remove beside the table. The value is a tuple of the service's own drafts
(`ShareDraft`, `FixedRateDraft`), so the dialog validates it with `check_agreement`
like any other field; the field itself reports only text that is not a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app import money
from app.services.agreement_checks import HUNDRED
from app.services.agreements import FixedRateDraft, ShareDraft
from ui.dialogs.fields import PROBLEM_COLOUR, Field
from ui.dialogs.pickers import Choices, RecordPicker
from ui.dialogs.value_fields import decimal_text, parse_decimal

PERCENT_PLACES = Decimal("0.0001")
PARTNER_CHARACTERS = 20  # the partner column stretches; this is only its least width


def _get(item: Any, name: str) -> Any:
    """A draft's field, whether the draft is a dataclass or (from `asdict`) a dict."""
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name)


class TableField(Field):
    """Base: a table whose rows are editors, with Add and Remove buttons beside it."""

    def __init__(
        self,
        name: str,
        label: str,
        headers: Sequence[str],
        *,
        add_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(QComboBox().sizeHint().height() + 6)
        lines = self.table.fontMetrics().lineSpacing()
        self.table.setMinimumHeight(lines * 7)
        self.table.setMaximumHeight(lines * 16)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._add_editor(self.table)
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        self.add_button = QPushButton(add_text)
        self.add_button.setObjectName(f"{name}_add")
        self.add_button.clicked.connect(lambda: self.add_row(None))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName(f"{name}_remove")
        self.remove_button.clicked.connect(self.remove_row)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.row.addLayout(buttons)

    # Hooks --------------------------------------------------------------------------

    def make_row(self, item: Any | None) -> list[QWidget]:
        """The editors of one row, showing `item` (None: a new, blank row)."""
        raise NotImplementedError

    def read_row(self, widgets: list[QWidget]) -> Any:
        raise NotImplementedError

    # Rows ---------------------------------------------------------------------------

    def add_row(self, item: Any | None = None) -> int:
        number = self.table.rowCount()
        self.table.insertRow(number)
        for column, widget in enumerate(self.make_row(item)):
            widget.setObjectName(f"{self.name}_{number}_{column}")
            self.table.setCellWidget(number, column, widget)
        self.edited.emit()
        return number

    def remove_row(self) -> None:
        number = self.table.currentRow()
        if number < 0:
            number = self.table.rowCount() - 1
        if number >= 0:
            self.table.removeRow(number)
            self.edited.emit()

    def widgets(self, number: int) -> list[QWidget]:
        return [self.table.cellWidget(number, c) for c in range(self.table.columnCount())]

    def cell(self, number: int, column: int) -> QWidget:
        return self.table.cellWidget(number, column)

    def value(self) -> tuple[Any, ...]:
        return tuple(self.read_row(self.widgets(n)) for n in range(self.table.rowCount()))

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for item in value or ():
            self.add_row(item)

    def _changed(self, *_: object) -> None:
        self.edited.emit()

    def _line(self, text: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.setFrame(False)
        edit.textChanged.connect(self._changed)
        return edit

    def _combo(self, options: Sequence[tuple[str, str]], current: str | None) -> QComboBox:
        combo = QComboBox()
        for key, text in options:
            combo.addItem(text, key)
        if current is not None:
            index = combo.findData(current)
            if index == -1:  # not offered (e.g. removed since): shown, and checked
                combo.addItem(current, current)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        combo.currentIndexChanged.connect(self._changed)
        return combo


class SharesField(TableField):
    """Partners and their shares in percent (up to 4 decimals), with the live total.

    `partners` are (key, text) pairs: key "nation:IND" or "organisation:7". Every row
    picks from the same `Choices` (thousands of organisations are built once, not once
    a row).
    """

    def __init__(
        self,
        name: str,
        label: str,
        partners: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        self.partners = list(partners)
        # Not self.tr(): the QObject is not constructed yet.
        tr = QApplication.translate
        super().__init__(
            name,
            label,
            [tr("SharesField", "Partner (nation or organisation)"), tr("SharesField", "Share (%)")],
            add_text=tr("SharesField", "Add partner"),
            parent=parent,
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(1, self.fontMetrics().horizontalAdvance("0" * 12) + 24)
        self.choices = Choices(self.partners, parent=self)
        self.total = QLabel()
        self.total.setObjectName(f"{name}_total")
        self.total.setTextFormat(Qt.TextFormat.PlainText)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.total)
        self.edited.connect(self.update_total)
        self.update_total()

    def make_row(self, item: Any | None) -> list[QWidget]:
        key: str | None = None
        text = ""
        if item is not None:
            nation, organisation = _get(item, "nation"), _get(item, "organisation_id")
            key = f"nation:{nation}" if nation is not None else f"organisation:{organisation}"
            text = decimal_text(_get(item, "share_pct"))
        elif self.partners:
            # A new row offers the first partner not yet listed.
            used = {s.nation or s.organisation_id for s in self.value()}
            free = [k for k, _t in self.partners if k.split(":", 1)[1] not in map(str, used)]
            key = (free or [self.partners[0][0]])[0]
        picker = RecordPicker(self.choices, characters=PARTNER_CHARACTERS)
        picker.setFrame(False)
        if key is not None:
            picker.select(key, key)  # not offered (e.g. removed since): shown, and checked
        picker.changed.connect(self._changed)
        return [picker, self._line(text, "50.0000")]

    def read_row(self, widgets: list[QWidget]) -> ShareDraft:
        picker, edit = widgets
        assert isinstance(picker, RecordPicker) and isinstance(edit, QLineEdit)
        kind, _, ident = str(picker.value() or "").partition(":")
        share = parse_decimal(edit.text())
        if kind == "organisation":
            return ShareDraft(None, int(ident), share)  # type: ignore[arg-type]
        return ShareDraft(ident or None, None, share)  # type: ignore[arg-type]

    def partner_text(self, number: int) -> str:
        return self.partner_picker(number).currentText()

    def partner_picker(self, number: int) -> RecordPicker:
        picker = self.cell(number, 0)
        assert isinstance(picker, RecordPicker)
        return picker

    def share_edit(self, number: int) -> QLineEdit:
        edit = self.cell(number, 1)
        assert isinstance(edit, QLineEdit)
        return edit

    def set_value(self, value: Any) -> None:
        super().set_value(value)
        self.update_total()

    def local_problems(self) -> dict[str, str]:
        messages = []
        for number in range(self.table.rowCount()):
            partner = self.tr("The partner in row {n}").format(n=number + 1)
            typed = self.partner_picker(number).problem(partner)
            if typed:
                messages.append(typed)
            text = self.share_edit(number).text().strip()
            if parse_decimal(text) is None:
                what = (
                    self.tr("is not a number: “{text}”").format(text=text)
                    if text
                    else self.tr("must be given")
                )
                messages.append(
                    self.tr("The share of {partner} {what}").format(
                        partner=self.partner_text(number).split(" — ")[0], what=what
                    )
                )
        return {self.name: "\n".join(messages)} if messages else {}

    def total_pct(self) -> Decimal | None:
        """The sum of the shares, or None while one of them is not a number."""
        shares = [s.share_pct for s in self.value()]
        if any(s is None for s in shares):
            return None
        return sum(shares, Decimal(0))

    def update_total(self) -> None:
        total = self.total_pct()
        if total is None:
            text, good = self.tr("Total: — (every share must be a number)"), False
        elif total == HUNDRED:
            text, good = (
                self.tr("Total: {total} %").format(total=total.quantize(PERCENT_PLACES)),
                True,
            )
        else:
            text = self.tr("Total: {total} % — must be exactly 100 %").format(
                total=total.quantize(PERCENT_PLACES)
            )
            good = False
        self.total.setText(text)
        self.total.setStyleSheet("" if good else f"color: {PROBLEM_COLOUR}; font-weight: bold;")


class FixedRatesField(TableField):
    """The rates a fixed agreement converts with: 1 FROM = RATE TO."""

    def __init__(self, name: str, label: str, parent: QWidget | None = None) -> None:
        tr = QApplication.translate
        super().__init__(
            name,
            label,
            [
                tr("FixedRatesField", "From (1 unit)"),
                tr("FixedRatesField", "To"),
                tr("FixedRatesField", "Rate (units of To)"),
            ],
            add_text=tr("FixedRatesField", "Add rate"),
            parent=parent,
        )
        self.currencies = [(code, code) for code in money.CURRENCIES]

    def make_row(self, item: Any | None) -> list[QWidget]:
        if item is None:
            source, target, rate = "RUB", "INR", ""
        else:
            source, target = _get(item, "from_currency"), _get(item, "to_currency")
            rate = decimal_text(_get(item, "rate"))
        return [
            self._combo(self.currencies, source),
            self._combo(self.currencies, target),
            self._line(rate, "0.9500"),
        ]

    def read_row(self, widgets: list[QWidget]) -> FixedRateDraft:
        source, target, edit = widgets
        assert isinstance(source, QComboBox) and isinstance(target, QComboBox)
        assert isinstance(edit, QLineEdit)
        return FixedRateDraft(
            str(source.currentData()),
            str(target.currentData()),
            parse_decimal(edit.text()),  # type: ignore[arg-type]
        )

    def local_problems(self) -> dict[str, str]:
        if not self.isEnabled():
            return {}
        messages = []
        for number in range(self.table.rowCount()):
            edit = self.cell(number, 2)
            assert isinstance(edit, QLineEdit)
            if parse_decimal(edit.text()) is None:
                messages.append(
                    self.tr("The rate in row {n} must be a number").format(n=number + 1)
                )
        return {self.name: "\n".join(messages)} if messages else {}
