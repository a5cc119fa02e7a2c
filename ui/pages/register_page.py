"""The page every register shares: filter box, table, add/edit/delete, empty state, counts.

A register page is a `RegisterPage` subclass that says which register (`spec`, a
`listing.ListSpec`), which columns, which dialog edits a record (`dialog_class`) and how
to change it (`ops()`, the service's use-cases). The rest is here: filtering as you type (in SQL,
debounced), Insert / Enter / Delete, multi-select delete with one confirmation, an
empty state that says what to do, a count of what is shown, and undo for every change.
The table itself (sorting, the column chooser, selection) is `RegisterTable`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.errors import SetuError
from app.services.listing import ListSpec
from ui import style
from ui.models.register_model import Column, RegisterModel, Tint
from ui.pages.register_status import count_text, empty_state_label
from ui.pages.register_table import RegisterTable
from ui.preferences import indian_grouping
from ui.undo import DeleteCommand, RecordOps, ledger
from ui.widgets.filter_box import FilterBox, FilterChip


class RegisterPage(QWidget):
    """Base of every register page; see the module docstring for what a subclass gives.

    Hooks: `spec`, `settings_key`, `entities` and `dialog_class` (class attributes),
    `columns()`, `ops()`, and optionally `default_sort`, `default_hidden` and
    `amount_dialog` (class attributes), `dialog_options()`, `open_dialog(row | None)`,
    `row_tint(row)`, `empty_text()`, `noun(n)`, `side_panel()`, `delete_rows(rows)`.
    Text the user reads stays in methods, so `self.tr` translates it when it is shown.
    """

    changed = Signal()  # a record of this register was added, edited, deleted (or undone)
    loaded = Signal()  # the table was (re)loaded

    spec: ClassVar[ListSpec[Any]]
    settings_key: ClassVar[str] = "register"
    entities: ClassVar[tuple[str, ...]] = ()
    # Register dialogs share the constructor `(db, programme_id, row, *, undo_stack, parent)`,
    # so `open_dialog` builds one from its class; `dialog_options()` adds what differs.
    dialog_class: ClassVar[Callable[..., QWidget] | None] = None
    # The dialog edits amounts, so it takes the office's lakh/crore grouping preference.
    amount_dialog: ClassVar[bool] = False
    default_sort: ClassVar[tuple[str | None, bool]] = (None, False)  # (column key, descending)
    # Columns that start hidden until the user chooses the page's columns.
    default_hidden: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        page_size: int = 200,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.settings = settings if settings is not None else QSettings()
        self.programme_id = -1
        self.dialog: QWidget | None = None
        self.setObjectName(f"{self.settings_key}_page")

        self.model = RegisterModel(
            db, self.spec, self.columns(), row_tint=self.row_tint, page_size=page_size, parent=self
        )
        key, descending = self.default_sort
        self.model.set_sort(key, descending)
        self.model.loaded.connect(self._after_load)
        self.model.failed.connect(self._on_failed)

        self._build()
        self._hide_default_columns()
        ledger(undo_stack).changed.connect(self._on_ledger)

    # Hooks ------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def ops(self) -> RecordOps[Any, Any]:
        """The register's service use-cases for this programme (delete and undo use them)."""
        raise NotImplementedError

    def dialog_options(self) -> dict[str, Any]:
        """Keyword arguments `dialog_class` takes beyond those every register dialog takes."""
        return {"indian_grouping": indian_grouping(self.settings)} if self.amount_dialog else {}

    def open_dialog(self, row: Any | None) -> None:
        """Open the edit dialog for `row`, or for a new record when None (`show_dialog`)."""
        if self.dialog_class is None:
            raise NotImplementedError
        make = self.dialog_class
        self.open_record_dialog(
            lambda: make(
                self.db,
                self.programme_id,
                row,
                undo_stack=self.undo_stack,
                parent=self,
                **self.dialog_options(),
            )
        )

    def row_tint(self, row: Any) -> Tint | None:
        return None

    def noun(self, n: int) -> str:
        return self.tr("record") if n == 1 else self.tr("records")

    def empty_text(self) -> str:
        return self.tr("Nothing here yet. Press Insert or click Add to add the first record.")

    def no_match_text(self) -> str:
        n = self.model.register_total()
        return self.tr("None of the {n} {noun} match the filter. Clear it to see them all.").format(
            n=f"{n:,}", noun=self.noun(n)
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter…")

    def side_panel(self) -> QWidget | None:
        """A widget shown beside the table in a splitter (the risk heat map)."""
        return None

    def delete_rows(self, rows: Sequence[Any]) -> None:
        """Delete `rows` through the service, as one undoable step."""
        self.undo_stack.push(DeleteCommand(self.ops(), self.undo_stack, list(rows)))

    def filter_cleared(self) -> None:
        """The chip's Clear was clicked (a subclass resets whatever set the filter)."""

    # Layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_edit = FilterBox(self.filter_placeholder())
        self.filter_edit.settled.connect(self.model.set_filter)

        self.add_action = self._action(self.tr("&Add"), "add", self.add, "add_action")
        self.add_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        self.add_action.setToolTip(self.tr("Add a record (Insert)"))
        self.edit_action = self._action(self.tr("&Edit…"), "edit", self.edit, "edit_action")
        self.edit_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.edit_action.setToolTip(self.tr("Open the selected record (Enter or double-click)"))
        self.delete_action = self._action(
            self.tr("&Delete"), "delete", self.delete_selected, "delete_action"
        )
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setToolTip(self.tr("Delete the selected records (Delete)"))

        self.chip = FilterChip()
        self.chip.cleared.connect(self._chip_cleared)

        # Pages put their own filters (a combo box) into it, after the filter box.
        self.bar = bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.chip)
        for action in (self.add_action, self.edit_action, self.delete_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(action.objectName().replace("_action", "_button"))
            bar.addWidget(button)

        self.table = RegisterTable(self.model, self.settings, self.settings_key)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        # Enter and Delete act on the table's rows; in the filter box they edit the text.
        self.table.addAction(self.edit_action)
        self.table.addAction(self.delete_action)
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.addAction(self.add_action)
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.empty_label = empty_state_label()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.count_label.setProperty("role", "hint")

        register = QWidget()
        inner = QVBoxLayout(register)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(6)
        inner.addLayout(bar)
        inner.addWidget(self.stack, 1)
        inner.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        side = self.side_panel()
        if side is None:
            layout.addWidget(register)
            self.splitter: QSplitter | None = None
        else:
            self.splitter = QSplitter(Qt.Orientation.Horizontal)
            self.splitter.setObjectName(f"{self.settings_key}_splitter")
            self.splitter.addWidget(side)
            self.splitter.addWidget(register)
            self.splitter.setStretchFactor(0, 0)
            self.splitter.setStretchFactor(1, 1)
            self.splitter.setChildrenCollapsible(False)
            layout.addWidget(self.splitter)
        self.setFocusProxy(self.table)
        self._update_actions()
        self._after_load()

    def _hide_default_columns(self) -> None:
        if self.table.columns_chosen():
            return
        header = self.table.horizontalHeader()
        for key in self.default_hidden:
            column = self.model.column_of(key)
            if column != -1:
                header.setSectionHidden(column, True)

    def _action(self, text: str, icon_name: str, slot: Any, name: str) -> QAction:
        action = QAction(style.icon(icon_name), text, self)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # Loading ----------------------------------------------------------------------

    def set_programme(self, programme_id: int) -> None:
        self.programme_id = programme_id
        self.model.programme_id = programme_id
        self.reload()

    def reload(self) -> None:
        """Re-read the rows (as many as were loaded), keeping the selection where it can."""
        selected = {row.id for row in self.table.selected_rows()}
        current = self.table.current_row()
        self.model.reload(at_least=self.model.rowCount())
        self.table.reselect(selected, current.id if current is not None else None)

    def apply_filter(self) -> None:
        """Filter by the box's text now, without waiting for the typing to pause."""
        self.filter_edit.settle()

    def set_where(self, where: dict[str, object] | None, description: str | None) -> None:
        """Filter by exact values (e.g. a heat-map cell); `description` goes on the chip."""
        self.chip.show_text(description if where else None)
        self.model.set_where(where)

    def _chip_cleared(self) -> None:
        self.set_where(None, None)
        self.filter_cleared()

    def _after_load(self) -> None:
        model = self.model
        self.stack.setCurrentWidget(self.empty_label if model.total == 0 else self.table)
        if self.programme_id == -1:
            self.empty_label.setText(self.tr("Choose or create a programme first."))
        elif model.filtered:
            self.empty_label.setText(self.no_match_text())
        else:
            self.empty_label.setText(self.empty_text())
        self.count_label.setText(count_text(model, self.noun))
        self.filter_edit.setEnabled(self.programme_id != -1)
        self.add_action.setEnabled(self.programme_id != -1 and not self.db.read_only)
        self._update_actions()
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.count_label.setText(
            self.tr("Could not read the register: {error}").format(error=message)
        )

    def _on_ledger(self, entity: str) -> None:
        if entity in self.entities and self.programme_id != -1:
            self.reload()
            self.changed.emit()

    # Actions ----------------------------------------------------------------------

    def _update_actions(self) -> None:
        has_rows = bool(self.table.selectionModel().selectedRows())
        writable = not self.db.read_only
        self.edit_action.setEnabled(has_rows)
        self.delete_action.setEnabled(has_rows and writable)

    def add(self) -> None:
        if self.programme_id != -1:
            self.open_dialog(None)

    def edit(self) -> None:
        row = self.table.current_row()
        if row is None:
            rows = self.table.selected_rows()
            row = rows[0] if rows else None
        if row is not None:
            self.open_dialog(row)

    def show_dialog(self, dialog: QWidget) -> None:
        """Open a dialog window-modally without blocking (so tests and the event loop go on)."""
        self.dialog = dialog
        if hasattr(dialog, "open"):
            dialog.open()
        else:
            dialog.show()

    def open_record_dialog(self, make: Callable[[], QWidget]) -> None:
        """Open the dialog `make()` builds; a database error goes under the table instead."""
        try:
            dialog = make()
        except SetuError as exc:
            self.count_label.setText(str(exc))
            return
        self.show_dialog(dialog)

    def delete_selected(self) -> None:
        rows = self.table.selected_rows()
        if rows and self.confirm_delete(rows):
            self.delete_rows(rows)

    def confirm_delete(self, rows: Sequence[Any]) -> bool:
        n = len(rows)
        if n == 1:
            text = self.tr("Delete {noun} {label}?").format(
                noun=self.noun(1), label=self.ops().label(rows[0])
            )
        else:
            text = self.tr("Delete {n} {noun}?").format(n=n, noun=self.noun(n))
        answer = QMessageBox.question(
            self,
            self.tr("Delete"),
            text + "\n\n" + self.tr("You can undo this afterwards."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes
