"""Record pickers: a drop-down of thousands of records that narrows as the user types.

A programme ten years on holds tens of thousands of risks and thousands of
organisations: far too many to find by scrolling. A picker is an editable combo box
whose completer lists the entries holding what is typed (any part of a code or a title,
in any case). Its value is always one of the entries offered, or none: typed text that
names no entry gives no value and is a problem until an entry is chosen. Enter or
leaving the field takes the entry the text names (the one it is, in any case, or the
only one holding it); leaving puts back the entry it held when the text names none.

The entries live in `Choices`, a string list model filled in one call with a list of
the records' keys beside it: no item object and no signal per entry, which is what
makes thousands of entries cheap. Pickers that offer the same records (an agreement's
share rows, a contract's supplier and customer) share one `Choices`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QCompleter, QListView, QWidget

PICKER_CHARACTERS = 30  # a picker is as wide as this many characters, at least


class Choices(QStringListModel):
    """The entries pickers offer: their texts for Qt, each row's record key beside it.

    With `none_text`, the first entry stands for no record (key None).
    """

    def __init__(
        self,
        options: Iterable[tuple[Hashable, str]],
        *,
        none_text: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.none_text = none_text
        self.keys: list[Any] = []
        self.offer(options)

    def offer(self, options: Iterable[tuple[Hashable, str]]) -> None:
        """Offer `options` (after the none entry, if any) in place of what was offered."""
        pairs = list(options)
        keys: list[Any] = [key for key, _text in pairs]
        texts = [text for _key, text in pairs]
        if self.none_text is not None:
            keys.insert(0, None)
            texts.insert(0, self.none_text)
        self.keys = keys
        self.setStringList(texts)

    def row_of(self, key: object) -> int:
        """The row offering `key`, or -1."""
        try:
            return self.keys.index(key)
        except ValueError:
            return -1

    def add(self, key: Hashable, text: str) -> int:
        """Offer one more entry, at the end (a record the list left out); its row."""
        row = self.rowCount()
        self.keys.append(key)
        self.insertRows(row, 1)
        self.setData(self.index(row), text)
        return row


class RecordPicker(QComboBox):
    """An editable combo box over `choices` whose value is one of its entries, or none.

    Keys: type to narrow the list of matches; Up/Down move through it (or, with it
    closed, through the entries); Enter takes the highlighted or named entry; Escape
    closes the list, then puts back the entry held. `changed` is emitted whenever the
    value or the text changes.
    """

    changed = Signal()

    def __init__(
        self,
        choices: Choices,
        *,
        characters: int = PICKER_CHARACTERS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choices = choices
        # Sized by a typical entry, not the longest: measuring thousands of entries
        # costs a tenth of a second each time the picker shows.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(characters)
        self.setEditable(True)
        # What is typed only finds an entry; it never becomes one.
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setModel(choices)
        self.finder = QCompleter(choices, self)
        self.finder.setFilterMode(Qt.MatchFlag.MatchContains)
        self.finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.finder.setPopup(_matches_list())
        self.setCompleter(self.finder)
        view = self.view()
        if isinstance(view, QListView):  # as in _matches_list
            view.setUniformItemSizes(True)
        line = self.lineEdit()
        assert line is not None  # editable
        self.text_edit = line
        line.textChanged.connect(self._typed)
        self.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> Any:
        """The chosen record's key; None for no record, or while the text is typed over."""
        row = self.currentIndex()
        return None if row < 0 or self._typed_over() else self.choices.keys[row]

    def select(self, key: Hashable, missing_text: str) -> None:
        """Show the entry of `key`; a key not offered is added as `missing_text`, so the
        record stays visible (and the check can name it)."""
        row = self.choices.row_of(key)
        if row == -1 and key is not None:
            row = self.choices.add(key, missing_text)
        self._show(row)

    def unmatched(self) -> str | None:
        """The typed text, while it is not the chosen entry's (None when it is, or empty)."""
        text = self.currentText()
        return text if text.strip() and self._typed_over() else None

    def problem(self, label: str) -> str | None:
        """What is wrong with the typed text, as a sentence about the field `label`."""
        text = self.unmatched()
        if text is None:
            return None
        count = self.matches(text)
        if count == 0:
            message = self.tr("{label}: nothing matches “{text}”")
        elif count == 1:
            message = self.tr("{label}: choose the entry that matches “{text}”")
        else:
            message = self.tr("{label}: choose one of the {n} entries that match “{text}”")
        return message.format(label=label, text=text, n=f"{count:,}")

    def matches(self, text: str) -> int:
        """How many entries hold `text`, as the completer lists them."""
        if self.finder.completionPrefix() != text:
            self.finder.setCompletionPrefix(text)
        return self.finder.completionCount()

    def restore(self) -> None:
        """Put back the chosen entry's text over whatever was typed."""
        self.setEditText(self.itemText(self.currentIndex()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Escape first closes the list of matches, then takes back what was typed; Enter
        # settles what was typed on an entry. Neither reaches the dialog (which would
        # close, or save) until there is nothing left for it to do here.
        key = event.key()
        popup = self.finder.popup()
        if key == Qt.Key.Key_Escape and popup is not None and popup.isVisible():
            popup.hide()
        elif not self._typed_over():
            super().keyPressEvent(event)
            return
        elif key == Qt.Key.Key_Escape:
            self.restore()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._settle(put_back=False)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        # Not for the completer's list, nor for a glance at another window.
        if event.reason() not in (
            Qt.FocusReason.PopupFocusReason,
            Qt.FocusReason.ActiveWindowFocusReason,
        ):
            self._settle(put_back=True)

    def _typed_over(self) -> bool:
        """Whether the text is not the chosen entry's (typed over, or cleared)."""
        return self.currentText() != self.itemText(self.currentIndex())

    def _show(self, row: int) -> None:
        self.setCurrentIndex(row)
        self.setEditText(self.itemText(row))  # also when the row was current already

    def _row_named(self, text: str, flags: Qt.MatchFlag) -> int:
        return self.findText(text, flags) if text else -1

    def _typed(self, text: str) -> None:
        # Text that is exactly an entry's (typed, pasted, or highlighted in the
        # completer's list) chooses it at once.
        if text != self.itemText(self.currentIndex()):
            flags = Qt.MatchFlag.MatchFixedString | Qt.MatchFlag.MatchCaseSensitive
            row = self._row_named(text, flags)
            if row != -1:
                self.setCurrentIndex(row)
                return
        self.changed.emit()

    def _settle(self, *, put_back: bool) -> None:
        """Choose the entry the typed text names: the one it is (in any case), or the
        only one holding it; when it names none, `put_back` restores the chosen one."""
        text = self.currentText().strip()
        if not text:  # cleared: no record where that is offered, else the one it held
            none = self.choices.row_of(None)
            if none == -1:
                self.restore()
            else:
                self._show(none)
            return
        if self.unmatched() is None:
            return
        row = self._row_named(text, Qt.MatchFlag.MatchFixedString)  # in any case
        if row == -1 and self.matches(text) == 1:
            self.finder.setCurrentRow(0)
            row = self._row_named(
                self.finder.currentCompletion(),
                Qt.MatchFlag.MatchFixedString | Qt.MatchFlag.MatchCaseSensitive,
            )
        if row != -1:
            self._show(row)
            popup = self.finder.popup()
            if popup is not None:
                popup.hide()
        elif put_back:
            self.restore()


def _matches_list() -> QListView:
    """The completer's list, as Qt's own but with rows of one height: under the style
    sheet, a list that measures each of thousands of rows took a third of a second
    to create and as long again to show the matches of a first letter typed."""
    view = QListView()
    view.setUniformItemSizes(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return view
