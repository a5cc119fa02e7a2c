"""The page every register shares: filter box, table, column chooser, add/edit/delete.

A register page is a `RegisterPage` subclass that says which register (`spec`, a
`listing.ListSpec`), which columns, how to open its dialog and how to change it
(`ops()`, the service's use-cases). The rest is here: filtering as you type (in SQL,
debounced), sorting by header click (in SQL), lazy loading as the user scrolls, a
column chooser remembered per page, Insert / Enter / Delete, multi-select delete with
one confirmation, an empty state that says what to do, and undo for every change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.services.listing import ListSpec
from ui import style
from ui.models.register_model import Column, RegisterModel, Tint
from ui.undo import DeleteCommand, RecordOps, ledger

FILTER_DELAY_MS = 200


class FilterChip(QFrame):
    """Says a filter set elsewhere is on ("Filtered: L4 x I3"), and clears it."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filter_chip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#filter_chip { background: #e8eef7; border: 1px solid #8aa1c1; border-radius: 11px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 1, 4, 1)
        layout.setSpacing(4)
        self.label = QLabel()
        self.label.setObjectName("filter_chip_label")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QToolButton()
        self.clear_button.setObjectName("filter_chip_clear")
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip(self.tr("Show every record again"))
        self.clear_button.clicked.connect(self.cleared)
        layout.addWidget(self.label)
        layout.addWidget(self.clear_button)
        self.hide()

    def show_text(self, text: str | None) -> None:
        self.label.setText(text or "")
        self.setVisible(bool(text))


class RegisterPage(QWidget):
    """Base of every register page; see the module docstring for what a subclass gives.

    Hooks: `spec`, `settings_key` and `entities` (class attributes), `columns()`,
    `ops()`, `open_dialog(row | None)`, and optionally `row_tint(row)`,
    `empty_text()`, `noun(n)`, `default_sort()`, `side_panel()`, `delete_rows(rows)`.
    """

    changed = Signal()  # a record of this register was added, edited, deleted (or undone)
    loaded = Signal()  # the table was (re)loaded

    spec: ClassVar[ListSpec[Any]]
    settings_key: ClassVar[str] = "register"
    entities: ClassVar[tuple[str, ...]] = ()

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
        key, descending = self.default_sort()
        self.model.set_sort(key, descending)
        self.model.loaded.connect(self._after_load)
        self.model.failed.connect(self._on_failed)

        self._build()
        ledger(undo_stack).changed.connect(self._on_ledger)

    # Hooks ------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def ops(self) -> RecordOps[Any, Any]:
        """The register's service use-cases for this programme (delete and undo use them)."""
        raise NotImplementedError

    def open_dialog(self, row: Any | None) -> None:
        """Open the edit dialog for `row`, or for a new record when None (`show_dialog`)."""
        raise NotImplementedError

    def row_tint(self, row: Any) -> Tint | None:
        return None

    def default_sort(self) -> tuple[str | None, bool]:
        return None, False

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

    def delete_row(self, row: Any) -> None:
        self.delete_rows([row])

    def filter_cleared(self) -> None:
        """The chip's Clear was clicked (a subclass resets whatever set the filter)."""

    # Layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filter_edit")
        self.filter_edit.setPlaceholderText(self.filter_placeholder())
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter"))
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())

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

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.chip)
        for action in (self.add_action, self.edit_action, self.delete_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(action.objectName().replace("_action", "_button"))
            bar.addWidget(button)

        self.table = QTableView()
        self.table.setObjectName("register_table")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        stretched = [n for n, c in enumerate(self.model.columns) if c.stretch]
        header.setStretchLastSection(not stretched)
        for number in stretched:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setToolTip(self.tr("Click to sort; right-click to choose columns"))
        for number, column in enumerate(self.model.columns):
            self.table.setColumnWidth(number, column.width)
        self._restore_columns()
        if self.model.sort_key is not None:
            section = self._section_of_sort(self.model.sort_key)
            if section != -1:
                order = (
                    Qt.SortOrder.DescendingOrder
                    if self.model.descending
                    else Qt.SortOrder.AscendingOrder
                )
                header.setSortIndicator(section, order)
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        # Enter and Delete act on the table's rows; in the filter box they edit the text.
        self.table.addAction(self.edit_action)
        self.table.addAction(self.delete_action)
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.addAction(self.add_action)
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("empty_state")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(32)
        self.empty_label.setProperty("role", "empty")
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.empty_label.setFont(font)
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
        selected = {row.id for row in self.selected_rows()}
        current = self.current_row()
        self.model.reload(at_least=self.model.rowCount())
        self._reselect(selected, current.id if current is not None else None)

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter(self.filter_edit.text())

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
        self.count_label.setText(self._count_text())
        self.filter_edit.setEnabled(self.programme_id != -1)
        self.add_action.setEnabled(self.programme_id != -1 and not self.db.read_only)
        self._update_actions()
        self.loaded.emit()

    def _count_text(self) -> str:
        model = self.model
        if model.programme_id == -1:
            return ""
        if model.filtered:
            text = self.tr("{n} of {total} {noun} match").format(
                n=f"{model.total:,}",
                total=f"{model.register_total():,}",
                noun=self.noun(model.register_total()),
            )
        else:
            text = self.tr("{n} {noun}").format(n=f"{model.total:,}", noun=self.noun(model.total))
        if model.rowCount() < model.total:
            text += self.tr(" — first {n} shown; scroll for more").format(n=f"{model.rowCount():,}")
        return text

    def _on_failed(self, message: str) -> None:
        self.count_label.setText(
            self.tr("Could not read the register: {error}").format(error=message)
        )

    def _on_ledger(self, entity: str) -> None:
        if entity in self.entities and self.programme_id != -1:
            self.reload()
            self.changed.emit()

    def _reselect(self, ids: set[int], current_id: int | None) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for record_id in ids:
            row = self.model.row_of_id(record_id)
            if row != -1:
                selection.select(self.model.index(row, 0), flags)
        if current_id is not None:
            row = self.model.row_of_id(current_id)
            if row != -1:
                selection.setCurrentIndex(
                    self.model.index(row, 0), selection.SelectionFlag.NoUpdate
                )

    # Sorting and columns ----------------------------------------------------------

    def _section_of_sort(self, key: str) -> int:
        for number, column in enumerate(self.model.columns):
            if (column.sort_key or column.key) == key:
                return number
        return -1

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        if not self.model.sortable(section):
            # Put the indicator back on the column the rows are really sorted by.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            current = self._section_of_sort(self.model.sort_key or "")
            header.setSortIndicator(
                current,
                Qt.SortOrder.DescendingOrder
                if self.model.descending
                else Qt.SortOrder.AscendingOrder,
            )
            header.blockSignals(False)
            return
        self.model.sort(section, order)

    def _settings_name(self, name: str) -> str:
        return f"pages/{self.settings_key}/{name}"

    def hidden_columns(self) -> list[str]:
        header = self.table.horizontalHeader()
        return [c.key for n, c in enumerate(self.model.columns) if header.isSectionHidden(n)]

    def set_column_visible(self, key: str, visible: bool) -> None:
        column = self.model.column_of(key)
        if column == -1:
            return
        header = self.table.horizontalHeader()
        shown = len(self.model.columns) - len(self.hidden_columns())
        if not visible and shown <= 1:
            return  # one column always stays
        header.setSectionHidden(column, not visible)
        self.settings.setValue(self._settings_name("hidden_columns"), self.hidden_columns())

    def _restore_columns(self) -> None:
        hidden: Any = self.settings.value(self._settings_name("hidden_columns"), [])
        if isinstance(hidden, str):  # QSettings gives one value for a one-item list
            hidden = [hidden]
        keys = [c.key for c in self.model.columns]
        chosen = [key for key in hidden or [] if key in keys]
        if len(chosen) >= len(keys):
            chosen = []
        for key in chosen:
            self.table.horizontalHeader().setSectionHidden(keys.index(key), True)

    def column_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("column_menu")
        menu.setTitle(self.tr("Columns"))
        hidden = set(self.hidden_columns())
        for column in self.model.columns:
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(column.key not in hidden)
            action.setObjectName(f"column_{column.key}")
            action.toggled.connect(
                lambda checked, key=column.key: self.set_column_visible(key, checked)
            )
        return menu

    def _column_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    # Selection and actions ----------------------------------------------------------

    def selected_rows(self) -> list[Any]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows if r < self.model.rowCount()]

    def current_row(self) -> Any | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _update_actions(self) -> None:
        has_rows = bool(self.table.selectionModel().selectedRows())
        writable = not self.db.read_only
        self.edit_action.setEnabled(has_rows)
        self.delete_action.setEnabled(has_rows and writable)

    def add(self) -> None:
        if self.programme_id != -1:
            self.open_dialog(None)

    def edit(self) -> None:
        row = self.current_row()
        if row is None:
            rows = self.selected_rows()
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

    def delete_selected(self) -> None:
        rows = self.selected_rows()
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
