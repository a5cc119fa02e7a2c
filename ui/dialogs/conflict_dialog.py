"""What an edit dialog shows when someone else saved the record first.

Saving is optimistic: the service refuses an update made against an old version and
raises a ConflictError holding the record as it is now. The user then needs to see
what differs, yours beside theirs, and choose: reload theirs, keep yours and save over
theirs, or (when theirs was deleted) add yours as a new record. Nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def conflict_rows(
    yours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    before: Mapping[str, Any],
    shown: Callable[[str, Any], str],
    label: Callable[[str], str],
) -> list[tuple[str, str, str]]:
    """(label, yours, theirs), as the form shows them, for each field you or they changed.

    `before` is what the form started with: a field where yours and theirs differ is
    listed, and so is one they changed even where you happened to type the same.
    """
    rows: list[tuple[str, str, str]] = []
    for name in yours:
        mine = shown(name, yours[name])
        saved = shown(name, theirs.get(name))
        started = shown(name, before.get(name))
        if mine != saved or started != saved:
            rows.append((label(name), mine, saved))
    return rows


class ConflictDialog(QDialog):
    """ "Someone else changed this record": your values beside theirs, and what to do."""

    RELOAD = "reload"
    KEEP_MINE = "keep"
    SAVE_AS_NEW = "new"

    def __init__(
        self,
        rows: Sequence[tuple[str, str, str]],
        *,
        deleted: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(self.tr("Changed by someone else"))
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setObjectName("conflict_message")
        self.message.setWordWrap(True)
        bold = QFont(self.message.font())
        bold.setBold(True)
        self.message.setFont(bold)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        if deleted:
            self.message.setText(self.tr("Someone else deleted this record since you opened it."))
            detail = QLabel(
                self.tr("Your changes are still in the form. Add them as a new record, or go back.")
            )
            detail.setWordWrap(True)
            layout.addWidget(detail)
            self.table = None
            self._button(self.tr("Add as a new record"), self.SAVE_AS_NEW, "save_new_button")
        else:
            self.message.setText(self.tr("Someone else changed this record since you opened it."))
            detail = QLabel(
                self.tr(
                    "Nothing was saved. Reload to see their version (your changes are shown "
                    "here for re-entry), or keep your changes and save them over theirs."
                )
            )
            detail.setWordWrap(True)
            layout.addWidget(detail)
            self.table = QTableWidget(len(rows), 3)
            self.table.setObjectName("conflict_table")
            self.table.setHorizontalHeaderLabels(
                [self.tr("Field"), self.tr("Yours"), self.tr("Theirs (saved)")]
            )
            self.table.verticalHeader().hide()
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.table.setWordWrap(True)
            for number, (label, mine, theirs) in enumerate(rows):
                for column, text in enumerate((label, mine, theirs)):
                    item = QTableWidgetItem(text)
                    item.setToolTip(text)
                    self.table.setItem(number, column, item)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
            self.table.resizeRowsToContents()
            layout.addWidget(self.table, 1)
            self._button(self.tr("Reload theirs"), self.RELOAD, "reload_button")
            self._button(self.tr("Keep my changes"), self.KEEP_MINE, "keep_button")
        back = self.buttons.addButton(
            self.tr("Back to the form"), QDialogButtonBox.ButtonRole.RejectRole
        )
        back.setObjectName("back_button")
        back.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, 360)

    def _button(self, text: str, choice: str, name: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.setObjectName(name)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def rows(self) -> list[tuple[str, str, str]]:
        if self.table is None:
            return []
        table = self.table

        def text(row: int, column: int) -> str:
            item = table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(table.rowCount())]
