"""Field checks shared by every register's validator (and by the GUI's live validation).

A `Checker` collects every problem instead of stopping at the first, so a dialog can
outline all bad fields at once; `done()` raises them together as one ValidationError.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache

from app import money
from app.errors import Problem, ValidationError

TITLE_MAX = 200
TEXT_MAX = 4000
NAME_MAX = 120
# Control characters other than tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@cache
def _values(options: type[StrEnum]) -> frozenset[str]:
    return frozenset(o.value for o in options)


class Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, reason: str) -> None:
        self.problems.append(Problem(field, reason))

    def ok(self, field: str) -> bool:
        """True while `field` has no problem yet (to skip checks that build on it)."""
        return all(p.field != field for p in self.problems)

    def done(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    def text(
        self, field: str, value: str | None, *, required: bool = True, max_len: int = TITLE_MAX
    ) -> None:
        if value is None or not value.strip():
            if required:
                self.add(field, "must not be empty")
            return
        if len(value) > max_len:
            self.add(field, f"is {len(value):,} characters long; at most {max_len:,} allowed")
        if _CONTROL.search(value):
            self.add(field, "contains control characters")

    def whole(self, field: str, value: int | None, low: int, high: int | None = None) -> None:
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            self.add(field, "must be a whole number")
        elif value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"at least {low}"
            self.add(field, f"must be {span}, not {value}")

    def rating(self, field: str, value: int | None) -> None:
        self.whole(field, value, 1, 5)

    def amount(self, field: str, value: int | None) -> None:
        """A money amount in minor units: whole and not negative."""
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            self.add(field, "must be an amount")
        elif value < 0:
            self.add(field, "must not be negative")

    def decimal(
        self, field: str, value: Decimal | None, low: Decimal, high: Decimal, places: int
    ) -> None:
        try:
            number = Decimal(value)  # type: ignore[arg-type]
        except (InvalidOperation, TypeError, ValueError):
            self.add(field, "must be a number")
            return
        if not number.is_finite():
            self.add(field, "must be a number")
        elif number < low or number > high:
            self.add(field, f"must be from {low} to {high}, not {number}")
        elif number != number.quantize(Decimal(1).scaleb(-places)):
            self.add(field, f"has more than {places} decimal places")

    def percent(self, field: str, value: Decimal | None) -> None:
        self.decimal(field, value, Decimal(0), Decimal(100), 4)

    def currency(self, field: str, code: str | None) -> None:
        if not code or not money.is_known(code):
            known = ", ".join(sorted(money.CURRENCIES))
            self.add(field, f"{code!r} is not a known currency (use one of {known})")

    def choice(self, field: str, value: str | None, options: type[StrEnum]) -> None:
        if value not in _values(options):
            words = ", ".join(o.value for o in options)
            self.add(field, f"{value!r} is not one of: {words}")

    def is_date(self, field: str, value: date | None, *, required: bool = True) -> None:
        if value is None:
            if required:
                self.add(field, "must be a date")
        elif not isinstance(value, date):
            self.add(field, "must be a date")

    def ordered(self, earlier: str, first: date | None, later: str, second: date | None) -> None:
        """`second` must not be before `first` (both optional)."""
        if isinstance(first, date) and isinstance(second, date) and second < first:
            self.add(later, f"must not be before {earlier.replace('_', ' ')} ({first})")

    def nation(self, field: str, code: str | None) -> None:
        if not code or len(code) != 3 or not code.isascii() or not code.isupper():
            self.add(field, f"{code!r} is not an ISO 3166 alpha-3 nation code (e.g. IND)")
