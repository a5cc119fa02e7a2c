"""A ticked list of records (the workstreams an agreement covers), thousands long.

The list is a model over plain Python lists with the ticked ids in a set: the view asks
only for the rows it shows, and reading the value never walks thousands of item
objects, which mattered because the dialog reads every field's value on every edit.
A filter box above the list narrows it to the entries holding what is typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from ui.dialogs.fields import Field
from ui.models.register_model import Index

_TICKABLE = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
_ENABLED = _TICKABLE | Qt.ItemFlag.ItemIsEnabled


class Checklist(QAbstractListModel):
    """Records with a tick box each; `reasons` greys out those that cannot be ticked."""

    def __init__(
        self,
        options: Iterable[tuple[int, str]],
        reasons: Mapping[int, str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        pairs = list(options)
        self.ids = [record_id for record_id, _text in pairs]
        self.texts = [text for _id, text in pairs]
        self.reasons = dict(reasons)
        self.ticked: set[int] = set()
        self.own: set[int] = set()  # ticked when filled: they stay tickable whatever claims them

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record_id, text = self.ids[index.row()], self.texts[index.row()]
        reason = self.reasons.get(record_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{text} — {reason}" if reason else text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if record_id in self.ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return reason or text
        if role == Qt.ItemDataRole.UserRole:
            return record_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        record_id = self.ids[index.row()]
        return _TICKABLE if record_id in self.reasons and record_id not in self.own else _ENABLED

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        record_id = self.ids[index.row()]
        if value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value):
            self.ticked.add(record_id)
        else:
            self.ticked.discard(record_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def value(self) -> tuple[int, ...]:
        """The ticked ids, in list order."""
        return tuple(record_id for record_id in self.ids if record_id in self.ticked)

    def set_ticked(self, ids: Iterable[int], missing_text: str) -> None:
        """Tick exactly `ids`; an id not listed is added at the end as `missing_text`
        ("record {id}"), so it stays visible (and the check can name it)."""
        wanted = set(ids)
        missing = sorted(wanted.difference(self.ids))
        if missing:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(missing) - 1)
            self.ids.extend(missing)
            self.texts.extend(missing_text.format(id=record_id) for record_id in missing)
            self.endInsertRows()
        self.ticked = wanted
        self.own = set(wanted)
        if self.ids:  # ticks only: a filter on the texts need not look again
            last = self.index(len(self.ids) - 1)
            self.dataChanged.emit(self.index(0), last, [Qt.ItemDataRole.CheckStateRole])


class ChecklistField(Field):
    """Some of a list of records, ticked; the value is their ids in list order.

    `unavailable` maps an id to why it cannot be ticked here (e.g. "covered by
    AGR-PROD"): such an item is shown greyed with the reason, unless already ticked.
    """

    def __init__(
        self,
        name: str,
        label: str,
        options: Iterable[tuple[int, str]],
        *,
        unavailable: Mapping[int, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.checklist = Checklist(options, unavailable or {}, parent=self)
        self.checklist.dataChanged.connect(lambda *_a: self.edited.emit())
        self.shown = QSortFilterProxyModel(self)
        self.shown.setSourceModel(self.checklist)
        self.shown.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setObjectName(f"{name}_filter")
        self.filter.setPlaceholderText(self.tr("Filter by code or title…"))
        self.filter.setAccessibleName(self.tr("Filter {label}").format(label=self.label_for(name)))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.shown.setFilterFixedString)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.filter)
        self.list = QListView()
        self.list.setModel(self.shown)
        self.list.setUniformItemSizes(True)  # rows of one height: none is measured
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAlternatingRowColors(True)
        lines = self.list.fontMetrics().lineSpacing()
        self.list.setMinimumHeight(lines * 6)
        self._add_editor(self.list)

    def value(self) -> tuple[int, ...]:
        return self.checklist.value()

    def set_value(self, value: Any) -> None:
        self.checklist.set_ticked(value or (), self.tr("record {id}"))
