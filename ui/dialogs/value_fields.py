"""More form fields: money with its currency, exact decimals, required and optional pickers.

Like `ui.dialogs.fields`, each field knows its draft field names, emits `edited`, and
reports only what the service's check cannot see (text that is not a number); the rest
of the validation is the service's own `check_*`, run by the dialog on every edit.
Decimals are read with `Decimal`, never through a float, so "33.3333" stays exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from app import money
from ui.dialogs.fields import Field, MoneyField, PickerField
from ui.dialogs.pickers import Choices


def set_money_currency(field: MoneyField, currency: str) -> None:
    """Make `field` an amount in `currency`, keeping what is typed (re-checked for decimals)."""
    field.currency = currency
    field.digits = money.minor_digits(currency) if money.is_known(currency) else 2
    field.symbol.setText(f"{money.SYMBOLS.get(currency, '')} {currency}".strip())
    field.edit.setPlaceholderText("0" if field.digits == 0 else "0." + "0" * field.digits)


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


class CurrencyMoneyField(MoneyField):
    """An amount and, beside it, its currency: edits two draft fields (amount, currency)."""

    def __init__(
        self,
        name: str,
        label: str,
        currency_name: str = "currency",
        *,
        currency: str = "INR",
        indian_grouping: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, currency, indian_grouping=indian_grouping, parent=parent)
        self.currency_name = currency_name
        self.currency_combo = QComboBox()
        self.currency_combo.setObjectName(currency_name)
        self.currency_combo.setAccessibleName(self.tr("Currency"))
        for code in money.CURRENCIES:
            symbol = money.SYMBOLS.get(code, "")
            self.currency_combo.addItem(f"{code} {symbol}".strip(), code)
        self.currency_combo.currentIndexChanged.connect(self._currency_changed)
        self.row.addWidget(self.currency_combo, 0)
        self.symbol.hide()  # the combo beside the amount names the currency
        set_money_currency(self, currency)
        self.currency_combo.setCurrentIndex(max(self.currency_combo.findData(currency), 0))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.currency_name)

    def label_for(self, name: str) -> str:
        return self.tr("Currency") if name == self.currency_name else super().label_for(name)

    def values(self) -> dict[str, Any]:
        return {self.name: self.value(), self.currency_name: self.currency}

    def set_values(self, values: Mapping[str, Any]) -> None:
        if self.currency_name in values:
            self.set_currency(str(values[self.currency_name] or ""))
        super().set_values(values)

    def set_currency(self, code: str) -> None:
        index = self.currency_combo.findData(code)
        if index == -1:  # a code Setu does not know: shown, and refused by the check
            self.currency_combo.addItem(code, code)
            index = self.currency_combo.count() - 1
        self.currency_combo.setCurrentIndex(index)
        set_money_currency(self, code)

    def _currency_changed(self, _index: int) -> None:
        data = self.currency_combo.currentData()
        set_money_currency(self, str(data) if data is not None else "")
        self.edited.emit()


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
