"""Money in a form: an amount typed in major units, kept as integer minor units, and
optionally its currency beside it.

Grouping is accepted as typed ("12,50,000.50", "1 250 000") and shown (lakh/crore
when the officer prefers it) once the field is left; an amount that cannot be read is
the field's own problem, said in words, like every other field's.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from app import money
from ui.dialogs.fields import Field


class MoneyField(Field):
    """An amount in major units in `currency`; `value()` is minor units, or None if unreadable.

    Accepts grouping as typed ("12,50,000.50", "1 250 000"); shows the amount grouped
    (lakh/crore grouping when `indian_grouping`) once the user leaves the field.
    """

    def __init__(
        self,
        name: str,
        label: str,
        currency: str,
        *,
        indian_grouping: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, label, parent)
        self.currency = currency
        self.indian_grouping = indian_grouping
        self.digits = money.minor_digits(currency) if money.is_known(currency) else 2
        symbol = money.SYMBOLS.get(currency, "")
        self.symbol = QLabel(f"{symbol} {currency}".strip())
        self.symbol.setObjectName(f"{name}_currency")
        self.row.addWidget(self.symbol, 0)
        self.edit = QLineEdit()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        example = "0" if self.digits == 0 else "0." + "0" * self.digits
        self.edit.setPlaceholderText(example)
        self.edit.textChanged.connect(lambda _t: self.edited.emit())
        self.edit.editingFinished.connect(self._tidy)
        self._add_editor(self.edit)

    def _parse(self) -> tuple[int | None, str | None]:
        text = self.edit.text().strip()
        for mark in (",", " ", "\u00a0", "_", money.SYMBOLS.get(self.currency, "\0")):
            text = text.replace(mark, "")
        if not text:
            return None, self.tr("{label} must be an amount").format(label=self._name())
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None, self.tr("{label}: “{text}” is not an amount").format(
                label=self._name(), text=self.edit.text().strip()
            )
        if not amount.is_finite():
            return None, self.tr("{label} must be an amount").format(label=self._name())
        if amount != amount.quantize(Decimal(1).scaleb(-self.digits)):
            return None, self.tr("{label} has more than {n} decimal places for {currency}").format(
                label=self._name(), n=self.digits, currency=self.currency
            )
        return money.to_minor(amount, self.currency), None

    def _name(self) -> str:
        return self.label.replace("&", "")

    def value(self) -> int | None:
        return self._parse()[0]

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else self._format(int(value)))

    def local_problems(self) -> dict[str, str]:
        problem = self._parse()[1]
        return {self.name: problem} if problem else {}

    def _format(self, minor: int) -> str:
        shown = money.display(minor, self.currency, indian_grouping=self.indian_grouping)
        symbol = money.SYMBOLS.get(self.currency, self.currency + " ")
        return shown.replace(symbol, "", 1)

    def _tidy(self) -> None:
        minor = self.value()
        if minor is not None:
            tidy = self._format(minor)
            if tidy != self.edit.text():
                self.edit.setText(tidy)


def set_money_currency(field: MoneyField, currency: str) -> None:
    """Make `field` an amount in `currency`, keeping what is typed (re-checked for decimals)."""
    field.currency = currency
    field.digits = money.minor_digits(currency) if money.is_known(currency) else 2
    field.symbol.setText(f"{money.SYMBOLS.get(currency, '')} {currency}".strip())
    field.edit.setPlaceholderText("0" if field.digits == 0 else "0." + "0" * field.digits)


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
