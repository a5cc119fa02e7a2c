"""More form fields: exact decimals, counts, required and optional pickers.

Like `ui.dialogs.fields`, each field knows its draft field names, emits `edited`, and
reports only what the service's check cannot see (text that is not a number); the rest
of the validation is the service's own `check_*`, run by the dialog on every edit.
Decimals are read with `Decimal`, never through a float, so "33.3333" stays exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from ui.dialogs.fields import Field, PickerField
from ui.dialogs.pickers import Choices


def parse_decimal(text: str) -> Decimal | None:
    """`text` as an exact decimal ("1 250.5", "33.3333 %"), or None if it is not one."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").rstrip("%")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def decimal_text(value: Decimal | None) -> str:
    """A decimal as people write it: 50, 33.3333, 0.0123 (no exponent, no trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class DecimalField(Field):
    """An exact decimal typed as text ("33.3333"), with a unit beside it ("%")."""

    def __init__(
        self,
        name: str,
        label: str,
        *,
        unit: str = "",
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.edit = QLineEdit()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 18) + 16)
        self.edit.textChanged.connect(lambda _t: self.edited.emit())
        self._add_editor(self.edit, 0)
        if unit:
            self.unit = QLabel(unit)
            self.unit.setObjectName(f"{name}_unit")
            self.row.addWidget(self.unit, 0)
        self.row.addStretch(1)

    def value(self) -> Decimal | None:
        return parse_decimal(self.edit.text())

    def set_value(self, value: Any) -> None:
        self.edit.setText(decimal_text(None if value is None else Decimal(value)))

    def local_problems(self) -> dict[str, str]:
        text = self.edit.text().strip()
        if not text:
            return {self.name: self.tr("{label} must be a number").format(label=self._name())}
        if parse_decimal(text) is None:
            return {
                self.name: self.tr("{label}: “{text}” is not a number").format(
                    label=self._name(), text=text
                )
            }
        return {}

    def _name(self) -> str:
        return self.label.replace("&", "")


class RequiredPickerField(PickerField):
    """A link that must be made (a contract's supplier): none is a problem.

    It offers no "none" entry; while nothing is chosen it shows "(choose…)" greyed.
    """

    def __init__(
        self,
        name: str,
        label: str,
        options: Iterable[tuple[int, str]] | Choices,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, options, none_text=None, parent=parent)
        self.combo.text_edit.setPlaceholderText(self.tr("(choose…)"))

    def local_problems(self) -> dict[str, str]:
        problems = super().local_problems()
        if not problems and self.value() is None:
            label = self.label.replace("&", "")
            return {self.name: self.tr("{label} must be chosen").format(label=label)}
        return problems


class OptionalChoiceField(Field):
    """One of a list of words, or none ("(none)" is stored as None)."""

    def __init__(
        self,
        name: str,
        label: str,
        options: Sequence[tuple[str, str]],
        *,
        none_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.combo = QComboBox()
        self.combo.addItem(none_text or self.tr("(none)"), None)
        for value, text in options:
            self.combo.addItem(text, value)
        self.combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self._add_editor(self.combo)

    def value(self) -> str | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def set_value(self, value: Any) -> None:
        if value is None:
            self.combo.setCurrentIndex(0)
            return
        index = self.combo.findData(str(value))
        if index == -1:  # a value the office has since removed: shown, and checked
            self.combo.addItem(str(value), str(value))
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class CountField(Field):
    """A whole number of things (0 upwards): items ordered, items delivered."""

    def __init__(
        self, name: str, label: str, *, maximum: int = 1_000_000_000, parent: QWidget | None = None
    ) -> None:
        super().__init__(name, label, parent)
        self.spin = QSpinBox()
        self.spin.setRange(0, maximum)
        self.spin.setGroupSeparatorShown(True)
        self.spin.setMinimumWidth(self.spin.fontMetrics().horizontalAdvance("0" * 14))
        self.spin.valueChanged.connect(lambda _v: self.edited.emit())
        self._add_editor(self.spin, 0)
        self.row.addStretch(1)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value or 0))
