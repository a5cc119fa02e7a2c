"""The audit log: every change, newest first, read-only; and verification of the chain.

The log is the whole database's (settings and every programme's records), paged and
filtered in SQL like a register. Selecting an entry shows its old and new values field
by field. "Verify the log" runs `audit.verify` in a worker and shows the first problem
found, or the chain head (`HASH:COUNT`) that packs and backups carry.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QToolButton,
    QWidget,
)

from app.database import Database
from app.errors import SetuError
from app.services import audit, listing_registers, register_labels
from ui import workers
from ui.models.register_model import RIGHT, Column
from ui.pages.register_page import RegisterPage
from ui.undo import RecordOps, ledger
from ui.widgets.audit_details import AuditDetails, local_text, summary, utc_text


class AuditPage(RegisterPage):
    """The audit log, read-only: `AuditPage(db, undo_stack)`, then `set_programme(id)`."""

    spec = listing_registers.AUDIT
    settings_key = "audit"
    entities = ()  # the window reloads it when shown after a change
    default_sort = ("id", True)

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        page_size: int = 200,
    ) -> None:
        self.details = AuditDetails()
        self.verify_op: workers.Op | None = None
        super().__init__(db, undo_stack, parent, settings=settings, page_size=page_size)
        self.entity_combo = QComboBox()
        self.entity_combo.setObjectName("entity_filter")
        self.entity_combo.setAccessibleName(self.tr("Kind of record"))
        self.entity_combo.setToolTip(self.tr("Show the entries of one kind of record"))
        self.entity_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.entity_combo.addItem(self.tr("All kinds of record"), None)
        self.entity_combo.currentIndexChanged.connect(self._entity_chosen)
        self._read_only()
        if self.splitter is not None:
            self.splitter.addWidget(self.details)  # the details go on the right
            self.splitter.setStretchFactor(0, 1)
            self.splitter.setStretchFactor(1, 0)
            self.splitter.setSizes([880, 400])
        self.details.verify_button.clicked.connect(self.verify)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.loaded.connect(self._show_current)
        ledger(undo_stack).changed.connect(self._log_grew)

    def _read_only(self) -> None:
        """No Add, Edit or Delete: the log is written only by the changes it records."""
        for name in ("add_button", "edit_button", "delete_button"):
            button = self.findChild(QToolButton, name)
            if button is not None:
                button.hide()
        for action in (self.add_action, self.delete_action):
            action.setEnabled(False)
            action.setVisible(False)
        self.bar.insertWidget(1, self.entity_combo)

    # RegisterPage hooks -----------------------------------------------------------

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("id", tr("No."), 52, RIGHT),
            Column(
                "at",
                tr("At (UTC)"),
                162,
                formatter=lambda r: utc_text(r.at),
                tooltip=lambda r: r.at,
            ),
            Column(
                "local",
                tr("Local time"),
                132,
                formatter=lambda r: local_text(r.at),
                sort_key="at",
            ),
            Column("user", tr("User"), 90),
            Column("action", tr("Action"), 64),
            Column("entity", tr("Entity"), 150, formatter=lambda r: r.entity.replace("_", " ")),
            Column("entity_id", tr("Id"), 40, RIGHT),
            Column("summary", tr("Record or fields changed"), 200, formatter=summary, stretch=True),
        ]

    def ops(self) -> RecordOps[Any, Any]:
        raise SetuError(self.tr("the audit log cannot be edited"))

    def open_dialog(self, row: Any | None) -> None:
        """Enter or a double-click shows the entry in the details (there is no dialog)."""
        self.details.show_entry(row)
        self.details.table.setFocus()

    def add(self) -> None:
        """Nothing to add: entries are written by the changes they record."""

    def delete_selected(self) -> None:
        """Entries are never deleted (the chain would break, and verification says so)."""

    def side_panel(self) -> QWidget | None:
        return self.details

    def noun(self, n: int) -> str:
        return self.tr("entry") if n == 1 else self.tr("entries")

    def empty_text(self) -> str:
        return self.tr(
            "The audit log is empty. Every addition, edit and deletion made in Setu will be "
            "recorded here, with who made it and when."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter entries by user, kind, action or any value…")

    # Loading and filtering ----------------------------------------------------------

    def reload(self) -> None:
        self._fill_entities()
        super().reload()
        self.add_action.setEnabled(False)

    def _fill_entities(self) -> None:
        if self.programme_id == -1 or not hasattr(self, "entity_combo"):
            return
        try:
            kinds = register_labels.audit_entities(self.db)
        except SetuError as exc:
            self.count_label.setText(str(exc))
            return
        current = self.entity_combo.currentData()
        self.entity_combo.blockSignals(True)
        try:
            while self.entity_combo.count() > 1:
                self.entity_combo.removeItem(1)
            for kind in kinds:
                self.entity_combo.addItem(kind.replace("_", " "), kind)
            index = self.entity_combo.findData(current) if current is not None else 0
            self.entity_combo.setCurrentIndex(max(index, 0))
        finally:
            self.entity_combo.blockSignals(False)

    def set_entity(self, entity: str | None) -> None:
        """Show one kind of record's entries (None: all); the combo follows."""
        index = self.entity_combo.findData(entity) if entity is not None else 0
        if index == -1:
            self.entity_combo.addItem(entity.replace("_", " "), entity)  # type: ignore[union-attr]
            index = self.entity_combo.count() - 1
        self.entity_combo.setCurrentIndex(index)

    def _entity_chosen(self, _index: int) -> None:
        entity = self.entity_combo.currentData()
        self.set_where({"entity": entity} if entity is not None else None, None)

    def _log_grew(self, _entity: str) -> None:
        """Every change (an undo too) adds entries: show them if the log is on screen."""
        if self.isVisible() and self.programme_id != -1:
            self.reload()

    def _show_current(self) -> None:
        self.details.show_entry(self.table.current_row())

    # Verification -------------------------------------------------------------------

    def verify(self) -> workers.Op:
        """Verify the whole log off the GUI thread; the result appears beside the table."""
        db = self.db

        def work(_progress: workers.Progress, _cancel: object) -> tuple[list[str], Any]:
            problems = audit.verify(db)
            return problems, (None if problems else audit.head(db))

        self.details.show_running()
        op = workers.Op(self, work)
        op.succeeded.connect(lambda result: self.details.show_result(*result))
        op.failed.connect(self._verify_failed)
        self.verify_op = op
        op.start()
        return op

    def _verify_failed(self, error: object) -> None:
        self.details.show_result([workers.describe(error)], None)
