"""A table of a record's small children (a contract's deliverables) with Add, Edit, Remove.

Every change goes through the children's service (`RecordOps`) and, with an undo
stack, onto it like any other edit; the table refreshes when the stack's ledger says
its kind of record changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import SetuError
from ui.dialogs.record_dialog import RecordDialog
from ui.undo import DeleteCommand, RecordOps, ledger

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ItemsTab(QWidget):
    """One kind of a contract's children: a table, and Add / Edit / Remove."""

    def __init__(
        self,
        ops: RecordOps[Any, Any],
        headers: Sequence[str],
        load: Callable[[], list[Any]],
        cells: Callable[[Any], list[str]],
        make_dialog: Callable[[Any | None], RecordDialog],
        *,
        undo_stack: QUndoStack | None,
        name: str,
        numeric: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.numeric = set(numeric)
        self.ops = ops
        self.load = load
        self.cells = cells
        self.make_dialog = make_dialog
        self.undo_stack = undo_stack
        self.dialog: RecordDialog | None = None
        self.rows: list[Any] = []
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName(f"{name}_table")
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = self._button(self.tr("&Add…"), f"{name}_add", lambda: self.open(None))
        self.edit_button = self._button(self.tr("&Edit…"), f"{name}_edit", self.edit)
        self.remove_button = self._button(self.tr("&Remove"), f"{name}_remove", self.remove)
        self.empty = QLabel()
        self.empty.setProperty("role", "muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty, 1)
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        if undo_stack is not None:
            ledger(undo_stack).changed.connect(self._on_ledger)
        self.refresh()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def refresh(self) -> None:
        try:
            self.rows = self.load()
        except SetuError as exc:
            self.empty.setText(str(exc))
            return
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            for column, text in enumerate(self.cells(row)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column in self.numeric:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(number, column, item)
        self.empty.setText(
            self.tr("None yet: click Add to add the first.") if not self.rows else ""
        )
        self._update_buttons()

    def _on_ledger(self, entity: str) -> None:
        # A closed dialog's table need not follow; it refreshes when shown again.
        if entity == self.ops.entity and self.window().isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and not self.ops.db.read_only)
        self.add_button.setEnabled(not self.ops.db.read_only)

    def current(self) -> Any | None:
        number = self.table.currentRow()
        selected = self.table.selectionModel().selectedRows()
        if not selected or not 0 <= number < len(self.rows):
            return None
        return self.rows[number]

    def select(self, number: int) -> None:
        self.table.selectRow(number)

    def open(self, row: Any | None) -> None:
        dialog = self.make_dialog(row)
        dialog.saved.connect(lambda _row: self.refresh())
        self.dialog = dialog
        dialog.open()

    def edit(self) -> None:
        row = self.current()
        if row is not None:
            self.open(row)

    def remove(self) -> None:
        row = self.current()
        if row is None or not self.confirm_remove(row):
            return
        if self.undo_stack is not None:
            self.undo_stack.push(DeleteCommand(self.ops, self.undo_stack, [row]))
        else:
            try:
                self.ops.delete(row.id, row.version)
            except SetuError as exc:
                self.empty.setText(str(exc))
        self.refresh()

    def confirm_remove(self, row: Any) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Remove"),
            self.tr("Remove {what}?").format(what=self.ops.label(row))
            + "\n\n"
            + self.tr("You can undo this afterwards."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes
