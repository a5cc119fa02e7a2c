"""Form pieces the record dialogs share: spin boxes, history tables, layout.

`SpinField` edits a whole number within a range (readiness levels, value weights);
`read_only_table` and `fill_table` show a record's history or links; `top_aligned` and
`add_filler` keep a form's rows together when the dialog is made taller.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ui.dialogs.fields import Field, TextField


class SpinField(Field):
    """A whole number from `low` to `high` (readiness levels, weights)."""

    def __init__(
        self,
        name: str,
        label: str,
        low: int,
        high: int,
        *,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.spin = QSpinBox()
        self.spin.setRange(low, high)
        self.spin.setAccelerated(True)
        self.spin.valueChanged.connect(lambda _v: self.edited.emit())
        self._add_editor(self.spin, 0)
        if hint:
            note = QLabel(hint)
            note.setObjectName(f"{name}_hint")
            note.setProperty("role", "muted")
            self.row.addWidget(note)
        self.row.addStretch(1)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value))


def top_aligned(field: TextField) -> TextField:
    """A multi-line field that keeps its text box beside its label, however tall the form.

    The extra height of a resized dialog goes to `filler` rows, not around the box.
    """
    field.row.setAlignment(field.edit, Qt.AlignmentFlag.AlignTop)
    field.row.setAlignment(field.counter, Qt.AlignmentFlag.AlignTop)
    lines = field.fontMetrics().lineSpacing()
    field.setMaximumHeight(field.edit.maximumHeight() + 3 * lines)
    return field


def add_filler(form: QFormLayout) -> None:
    """A last, empty row that takes the form's spare height."""
    filler = QWidget()
    filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    form.addRow(filler)


def read_only_table(headers: list[str], name: str, stretch: int) -> QTableWidget:
    """A plain table of history or links: rows selectable, nothing editable."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for number, values in enumerate(rows):
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(number, column, item)
