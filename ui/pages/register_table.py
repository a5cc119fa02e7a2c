"""The table of a register page: whole rows, sorted by a header click, columns to choose.

Sorting is done in SQL by the model, so the header's sort indicator must only ever sit
on a column the rows really are sorted by; a click on a column that cannot be sorted
puts it back. Which columns show is the user's choice, offered by right-clicking the
header and remembered per page in QSettings. The selection is of whole records, and a
reload keeps it on the records that are still there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from ui.models.register_model import RegisterModel


class RegisterTable(QTableView):
    """The rows of one register; `settings_key` names the page its choices are kept for."""

    def __init__(
        self,
        model: RegisterModel,
        settings: QSettings,
        settings_key: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._settings = settings
        self._hidden_key = f"pages/{settings_key}/hidden_columns"
        self.setObjectName("register_table")
        self.setModel(model)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        stretched = [n for n, c in enumerate(model.columns) if c.stretch]
        header.setStretchLastSection(not stretched)
        for number in stretched:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._popup_column_menu)
        header.setToolTip(self.tr("Click to sort; right-click to choose columns"))
        for number, column in enumerate(model.columns):
            self.setColumnWidth(number, column.width)
        self._restore_columns()
        if model.sort_key is not None:
            section = self._section_of_sort(model.sort_key)
            if section != -1:
                header.setSortIndicator(section, self._sort_order())
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)

    # Sorting ----------------------------------------------------------------------

    def _sort_order(self) -> Qt.SortOrder:
        if self._model.descending:
            return Qt.SortOrder.DescendingOrder
        return Qt.SortOrder.AscendingOrder

    def _section_of_sort(self, key: str) -> int:
        for number, column in enumerate(self._model.columns):
            if (column.sort_key or column.key) == key:
                return number
        return -1

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        if not self._model.sortable(section):
            # Put the indicator back on the column the rows are really sorted by.
            header = self.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(
                self._section_of_sort(self._model.sort_key or ""), self._sort_order()
            )
            header.blockSignals(False)
            return
        self._model.sort(section, order)

    # Columns ----------------------------------------------------------------------

    def columns_chosen(self) -> bool:
        """Whether the user has chosen this page's columns (until then a page may hide some)."""
        return self._settings.contains(self._hidden_key)

    def hidden_columns(self) -> list[str]:
        header = self.horizontalHeader()
        return [c.key for n, c in enumerate(self._model.columns) if header.isSectionHidden(n)]

    def set_column_visible(self, key: str, visible: bool) -> None:
        column = self._model.column_of(key)
        if column == -1:
            return
        shown = len(self._model.columns) - len(self.hidden_columns())
        if not visible and shown <= 1:
            return  # one column always stays
        self.horizontalHeader().setSectionHidden(column, not visible)
        self._settings.setValue(self._hidden_key, self.hidden_columns())

    def _restore_columns(self) -> None:
        hidden: Any = self._settings.value(self._hidden_key, [])
        if isinstance(hidden, str):  # QSettings gives one value for a one-item list
            hidden = [hidden]
        keys = [c.key for c in self._model.columns]
        chosen = [key for key in hidden or [] if key in keys]
        if len(chosen) >= len(keys):
            chosen = []
        for key in chosen:
            self.horizontalHeader().setSectionHidden(keys.index(key), True)

    def column_menu(self) -> QMenu:
        """A menu of every column, ticked where shown; toggling one shows or hides it."""
        menu = QMenu(self)
        menu.setObjectName("column_menu")
        menu.setTitle(self.tr("Columns"))
        hidden = set(self.hidden_columns())
        for column in self._model.columns:
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(column.key not in hidden)
            action.setObjectName(f"column_{column.key}")
            action.toggled.connect(
                lambda checked, key=column.key: self.set_column_visible(key, checked)
            )
        return menu

    def _popup_column_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.horizontalHeader().mapToGlobal(pos))

    # Selection --------------------------------------------------------------------

    def selected_rows(self) -> list[Any]:
        """The selected records, in table order."""
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [self._model.row_at(r) for r in rows if r < self._model.rowCount()]

    def current_row(self) -> Any | None:
        index = self.currentIndex()
        if not index.isValid() or index.row() >= self._model.rowCount():
            return None
        return self._model.row_at(index.row())

    def select_row(self, row: int) -> None:
        """Select table row `row` alone and make it current."""
        self.selectRow(row)
        self.setCurrentIndex(self._model.index(row, 0))

    def reselect(self, ids: set[int], current_id: int | None) -> None:
        """Select the records with `ids` again (after a reload), where they still are."""
        selection = self.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for record_id in ids:
            row = self._model.row_of_id(record_id)
            if row != -1:
                selection.select(self._model.index(row, 0), flags)
        if current_id is not None:
            row = self._model.row_of_id(current_id)
            if row != -1:
                selection.setCurrentIndex(
                    self._model.index(row, 0), selection.SelectionFlag.NoUpdate
                )
