"""Form fields that know their draft field names and show their own problems.

Each field edits one (or, for protection, two) of a draft's fields, emits `edited` on
every change, and shows a problem as a red outline on its editor (the dynamic
property `invalid`, styled by `RecordDialog`) together with the message in words
beneath it: never colour alone. The checks themselves are the service's `check_*`
(run by the dialog on every edit); a field adds only what it alone can know, such as
"this is not an amount" while the text cannot be read as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.pickers import Choices, RecordPicker

PROBLEM_COLOUR = "#8c1d18"


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class Field(QWidget):
    """Base: an editor, an optional row of extras beside it, and a problem label below."""

    edited = Signal()

    def __init__(self, name: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.label = label
        self.setObjectName(f"{name}_field")
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(8)
        self.problem = QLabel()
        self.problem.setObjectName(f"{name}_problem")
        self.problem.setProperty("role", "problem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.row)
        layout.addWidget(self.problem)
        self.editor: QWidget = self

    @property
    def names(self) -> tuple[str, ...]:
        """The draft fields this field edits."""
        return (self.name,)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        return {self.name: self.value()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        if self.name in values:
            self.set_value(values[self.name])

    def label_for(self, name: str) -> str:
        """How a problem message names draft field `name` ("Title must not be empty")."""
        return self.label.replace("&", "")

    def local_problems(self) -> dict[str, str]:
        """Whole messages for problems the service's checks cannot see (unreadable text)."""
        return {}

    def show_problems(self, messages: Sequence[str]) -> None:
        invalid = bool(messages)
        self.problem.setText("\n".join(messages))
        self.problem.setVisible(invalid)
        self.editor.setToolTip("\n".join(messages))
        self.editor.setAccessibleDescription("\n".join(messages))
        if bool(self.editor.property("invalid")) != invalid:
            self.editor.setProperty("invalid", invalid)
            restyle(self.editor)

    @property
    def invalid(self) -> bool:
        return bool(self.editor.property("invalid"))

    def _add_editor(self, editor: QWidget, stretch: int = 1) -> None:
        self.editor = editor
        editor.setObjectName(self.name)
        editor.setAccessibleName(self.label.replace("&", ""))
        self.row.addWidget(editor, stretch)
        self.setFocusProxy(editor)


class TextField(Field):
    """Single- or multi-line text with a length counter ("12 / 200")."""

    def __init__(
        self,
        name: str,
        label: str,
        *,
        max_len: int,
        multiline: bool = False,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.max_len = max_len
        self.counter = QLabel()
        self.counter.setObjectName(f"{name}_counter")
        vertical = Qt.AlignmentFlag.AlignTop if multiline else Qt.AlignmentFlag.AlignVCenter
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | vertical)
        self.counter.setProperty("role", "hint")
        self.counter.setMinimumWidth(self.counter.fontMetrics().horizontalAdvance("0000 / 0000"))
        self.edit: QLineEdit | QPlainTextEdit
        if multiline:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setPlaceholderText(placeholder)
            lines = text.fontMetrics().lineSpacing()
            text.setMinimumHeight(lines * 3 + 12)
            text.setMaximumHeight(lines * 8 + 12)
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            text.textChanged.connect(self._changed)
            self.edit = text
        else:
            line = QLineEdit()
            line.setPlaceholderText(placeholder)
            line.textChanged.connect(self._changed)
            self.edit = line
        self._add_editor(self.edit)
        self.row.addWidget(self.counter, 0)
        self._count()

    def value(self) -> str:
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if isinstance(self.edit, QPlainTextEdit):
            self.edit.setPlainText(text)
        else:
            self.edit.setText(text)
            self.edit.setCursorPosition(0)

    def _changed(self, *_: object) -> None:
        self._count()
        self.edited.emit()

    def _count(self) -> None:
        n = len(self.value())
        self.counter.setText(self.tr("{n} / {max}").format(n=f"{n:,}", max=f"{self.max_len:,}"))
        self.counter.setToolTip(
            self.tr("{n} of at most {max} characters").format(n=n, max=self.max_len)
        )


class DateField(Field):
    """A date with a calendar pop-up; `nullable` adds "No date" for optional dates."""

    def __init__(
        self, name: str, label: str, *, nullable: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(name, label, parent)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        # ISO dates read the same in every partner nation.
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        self.edit.dateChanged.connect(lambda _d: self.edited.emit())
        self._add_editor(self.edit, 0)
        self.none: QCheckBox | None = None
        if nullable:
            self.none = QCheckBox(self.tr("No date"))
            self.none.setObjectName(f"{name}_none")
            self.none.toggled.connect(self._none_toggled)
            self.row.addWidget(self.none)
        self.row.addStretch(1)

    def value(self) -> date | None:
        if self.none is not None and self.none.isChecked():
            return None
        value = self.edit.date().toPython()
        return value if isinstance(value, date) else None

    def set_value(self, value: Any) -> None:
        if isinstance(value, str):
            value = date.fromisoformat(value)
        if value is None and self.none is not None:
            self.none.setChecked(True)
            return
        if self.none is not None:
            self.none.setChecked(False)
        if isinstance(value, date):
            self.edit.setDate(QDate(value.year, value.month, value.day))

    def _none_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(not checked)
        self.edited.emit()


class RatingField(Field):
    """A 1-5 level with its word beside it ("4 Likely")."""

    def __init__(
        self,
        name: str,
        label: str,
        words: Mapping[int, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.words = dict(words)
        self.spin = QSpinBox()
        self.spin.setRange(1, 5)
        self.spin.valueChanged.connect(self._changed)
        self._add_editor(self.spin, 0)
        self.word = QLabel()
        self.word.setObjectName(f"{name}_word")
        self.word.setMinimumWidth(
            max(self.word.fontMetrics().horizontalAdvance(self.tr(w)) for w in self.words.values())
        )
        self.row.addWidget(self.word, 1)
        self._changed(self.spin.value(), emit=False)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value))

    def _changed(self, value: int, emit: bool = True) -> None:
        self.word.setText(self.tr(self.words.get(value, "")))
        if emit:
            self.edited.emit()


class ChoiceField(Field):
    """One of a StrEnum's values (a value outside it is shown, and reported by the check)."""

    def __init__(
        self,
        name: str,
        label: str,
        choices: type[StrEnum] | Iterable[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.combo = QComboBox()
        for choice in choices:
            text = str(choice)
            self.combo.addItem(self.tr(text[:1].upper() + text[1:]), text)
        self.combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self._add_editor(self.combo)

    def value(self) -> str:
        data = self.combo.currentData()
        return str(data) if data is not None else ""

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        index = self.combo.findData(text)
        if index == -1:
            self.combo.addItem(text, text)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class PickerField(Field):
    """A link to another record, found by typing part of its name ("(none)" for no link).

    `options` are (id, text) pairs, or `Choices` shared with other pickers. `none_text`
    names the entry for no link; None offers no such entry (see RequiredPickerField).
    """

    def __init__(
        self,
        name: str,
        label: str,
        options: Iterable[tuple[int, str]] | Choices,
        *,
        none_text: str | None = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        if not isinstance(options, Choices):
            none = None if none_text is None else none_text or self.tr("(none)")
            options = Choices(options, none_text=none, parent=self)
        self.options = options
        self.combo = RecordPicker(options)
        self.combo.changed.connect(self.edited)
        self._add_editor(self.combo)

    def value(self) -> int | None:
        key = self.combo.value()
        return None if key is None else int(key)

    def set_value(self, value: Any) -> None:
        # A record not offered (e.g. of another programme) is kept visible.
        self.combo.select(value, self.tr("record {id}").format(id=value))

    def local_problems(self) -> dict[str, str]:
        problem = self.combo.problem(self.label.replace("&", ""))
        return {self.name: problem} if problem else {}
