"""A register as a Qt table model: one page of service rows at a time, sorted in SQL.

The model never holds the whole register. It asks `app.services.listing.page` for the
first `page_size` rows in the chosen order; the view asks for more (`canFetchMore` /
`fetchMore`, Qt's fetchmore example) as the user scrolls. Sorting and filtering
re-query in SQL and reset the model, so a register of 10,000 risks costs what one of
200 does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app.database import Database
from app.errors import SetuError
from app.services import listing
from app.services.listing import ListSpec

Index = QModelIndex | QPersistentModelIndex
# A row's background and text colour; None leaves the view's own.
Tint = tuple[QColor, QColor]
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter


def plain_text(value: object) -> str:
    """How a cell shows a value when its column gives no formatter."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column: `key` is the row attribute shown and the spec's sort key.

    `formatter(row)` gives the text (default: the attribute, dates as ISO), `tooltip(row)`
    a longer text; `width` is the starting width in pixels. A column whose key is not
    one of the spec's sort keys cannot be sorted by; `sort_key` names another key to
    sort it by instead.
    """

    key: str
    title: str
    width: int = 120
    align: Qt.AlignmentFlag = LEFT
    formatter: Callable[[Any], str] | None = None
    tooltip: Callable[[Any], str] | None = None
    sort_key: str | None = None
    stretch: bool = False  # takes the table's spare width (one column per register)

    def text(self, row: Any) -> str:
        if self.formatter is not None:
            return self.formatter(row)
        return plain_text(getattr(row, self.key, None))

    def value(self, row: Any) -> Any:
        value = getattr(row, self.key, None)
        if isinstance(value, Enum):
            return str(value.value)
        return value


class RegisterModel(QAbstractTableModel):
    """Rows of one register of one programme, `page_size` at a time."""

    SORT_ROLE = Qt.ItemDataRole.UserRole
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    loaded = Signal()  # after every reset (reload, sort, filter)
    failed = Signal(str)  # the database could not be read; the model is left empty

    def __init__(
        self,
        db: Database,
        spec: ListSpec[Any],
        columns: Sequence[Column],
        *,
        row_tint: Callable[[Any], Tint | None] | None = None,
        page_size: int = 200,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.spec = spec
        self.columns = list(columns)
        self.row_tint = row_tint
        self.page_size = page_size
        self.programme_id = -1
        self.sort_key: str | None = None
        self.descending = False
        self.text = ""
        self.where: dict[str, object] = {}
        self._rows: list[Any] = []
        self._total = 0
        self._register_total: int | None = None

    # What is shown -----------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many records match the filter (loaded or not)."""
        return self._total

    @property
    def filtered(self) -> bool:
        return bool(self.text.strip() or self.where)

    def register_total(self) -> int:
        """How many records the register holds for the programme, filter or not."""
        if not self.filtered:
            return self._total
        if self._register_total is None:
            try:
                self._register_total = (
                    listing.count(self.db, self.spec, self.programme_id)
                    if self.programme_id != -1
                    else 0
                )
            except SetuError as exc:
                self.failed.emit(str(exc))
                self._register_total = 0
        return self._register_total

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_of_id(self, record_id: int) -> int:
        """The model row showing record `record_id`, or -1 if it is not loaded."""
        for number, row in enumerate(self._rows):
            if row.id == record_id:
                return number
        return -1

    def column_of(self, key: str) -> int:
        for number, column in enumerate(self.columns):
            if column.key == key:
                return number
        return -1

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self._sort_key(self.columns[column]) is not None

    def _sort_key(self, column: Column) -> str | None:
        key = column.sort_key or column.key
        return key if key in self.spec.columns else None

    # What to show ------------------------------------------------------------------

    def set_programme(self, programme_id: int) -> None:
        self.programme_id = programme_id
        self.reload()

    def set_filter(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.reload()

    def set_where(self, where: Mapping[str, object] | None) -> None:
        self.where = dict(where or {})
        self.reload()

    def set_sort(self, key: str | None, descending: bool = False) -> None:
        """Choose the order without reloading (e.g. before the first load)."""
        if key is not None and key not in self.spec.columns:
            raise ValueError(f"cannot sort by {key!r}")
        self.sort_key, self.descending = key, descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.sortable(column):
            return
        self.sort_key = self._sort_key(self.columns[column])
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def reload(self, at_least: int = 0) -> None:
        """Re-read from the first row; `at_least` rows, so a reload keeps what was scrolled to."""
        limit = max(self.page_size, at_least)
        self.beginResetModel()
        try:
            self._rows, self._total = self._fetch(0, limit)
            self._register_total = None
        finally:
            self.endResetModel()
        self.loaded.emit()

    def _fetch(self, offset: int, limit: int) -> tuple[list[Any], int]:
        if self.programme_id == -1:
            return [], 0
        try:
            return listing.page(
                self.db,
                self.spec,
                self.programme_id,
                sort=self.sort_key,
                descending=self.descending,
                text=self.text,
                offset=offset,
                limit=limit,
                where=self.where,
            )
        except SetuError as exc:
            self.failed.emit(str(exc))
            return [], 0

    # Lazy loading ------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or len(self._rows) >= self._total:
            return
        start = len(self._rows)
        more, total = self._fetch(start, self.page_size)
        # Known ids are skipped: a record added meanwhile may shift the pages by one.
        known = {row.id for row in self._rows}
        more = [row for row in more if row.id not in known]
        if not more:
            self._total = start  # the register shrank meanwhile: nothing more to load
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self._total = max(total, len(self._rows))
        self.endInsertRows()

    # QAbstractTableModel -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else column.text(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            tint = self.row_tint(row) if self.row_tint is not None else None
            if tint is None:
                return None
            return tint[0] if role == Qt.ItemDataRole.BackgroundRole else tint[1]
        if role == self.SORT_ROLE:
            return column.value(row)
        if role == self.ROW_ROLE:
            return row
        if role == self.ID_ROLE:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        return None
