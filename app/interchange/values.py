"""Reading the values people type into registers, and writing text no spreadsheet runs.

Real registers say "High" or "4 - Likely" for a rating, "01/03/2025" or "1-Mar-25" for
a date, "₹ 12,50,000.00" for money, and hold formulas; each parser here accepts those
forms and nothing looser, and says in one phrase what it expected when a cell is
wrong, because that phrase is what the import report shows next to the row number.
A formula is never evaluated: its text is the cell's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from app import money
from app.domain import IMPACT_WORDS, LIKELIHOOD_WORDS

# Text starting with one of these is a formula (or DDE payload) to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Spaces a spreadsheet adds around text; tabs and CRs are kept (they may be the text).
_PAD = " \u00a0"


class CellError(ValueError):
    """A cell that cannot be read as the column's kind of value; `reason` says why.

    `field` names the field when the error is found after the cell was read (an amount
    with more decimals than its currency, known only once the currency column is).
    """

    def __init__(self, reason: str, field: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell as read: its value (text for CSV) and, for xlsx, its number format."""

    value: object
    number_format: str = "General"

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip(_PAD))


def escape_csv(text: str) -> str:
    """CSV has no text type, so a leading apostrophe keeps Excel from running the text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape(text: str) -> str:
    """Undo `escape_csv`: drop the one apostrophe it adds, and only where it adds one."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def raw_text(value: object) -> str:
    """Any cell value as the text a person sees (a formula as its formula text)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    formula = getattr(value, "text", None)  # openpyxl's ArrayFormula / DataTableFormula
    return str(formula if formula is not None else value)


def text(cell: Cell) -> str:
    return unescape(raw_text(cell.value).strip(_PAD))


def _number(cell: Cell) -> Decimal | None:
    """The exact decimal a numeric cell holds (a float's shortest repr, not its binary)."""
    value = cell.value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def whole(cell: Cell) -> int:
    number = _number(cell)
    if number is None:
        written = text(cell).replace(",", "")
        try:
            number = Decimal(written)
        except InvalidOperation:
            raise CellError(f"{text(cell)!r} is not a whole number") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(f"{raw_text(cell.value)!r} is not a whole number")
    return int(number)


def decimal(cell: Cell) -> Decimal:
    number = _number(cell)
    if number is not None:
        return number
    written = text(cell).replace(",", "").replace(" ", "")
    try:
        number = Decimal(written)
    except InvalidOperation:
        raise CellError(f"{text(cell)!r} is not a number") from None
    if not number.is_finite():
        raise CellError(f"{text(cell)!r} is not a number")
    return number


def percent(cell: Cell) -> Decimal:
    """Percent points: a cell formatted as % holds 0.5 for 50 %; '50%' and 50 mean 50."""
    number = _number(cell)
    if number is not None:
        return number * 100 if "%" in cell.number_format else number
    written = text(cell)
    return decimal(Cell(written.removesuffix("%").strip()))


_AMOUNT = re.compile(r"(?:[A-Za-z]{2,3}\.?|[₹$€£¥₽])?(-?\d+(?:\.\d+)?)(?:[A-Za-z]{3})?")


def amount(cell: Cell) -> Decimal:
    """Money in major units (rupees, not paise); grouping commas and a symbol are fine."""
    number = _number(cell)
    if number is not None:
        return number
    written = re.sub(r"[\s,_'\u2019\u00a0]", "", text(cell))
    found = _AMOUNT.fullmatch(written)
    if found is None:
        raise CellError(f"{text(cell)!r} is not an amount of money (write e.g. 1250000.00)")
    return Decimal(found.group(1))


def _words(value: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z&]+", " ", value.casefold()).split())


_RATING_WORDS = {
    **{_words(w): n for n, w in LIKELIHOOD_WORDS.items()},
    **{_words(w): n for n, w in IMPACT_WORDS.items()},
    **{_words(w): n for n, w in enumerate(("Very low", "Low", "Medium", "High", "Very high"), 1)},
}
# "4 - Likely", "4: Likely", "4) Likely" and "Likely (4)": the number decides.
_RATING_FORMS = (re.compile(r"([1-5])\s*[-\u2013:.)]\s*\D.*"), re.compile(r"\D.*\(([1-5])\)"))


def rating(cell: Cell) -> int:
    """A 1-5 rating as a number, or a word of DOMAIN.md's scales (Low, Likely, Major...)."""
    expected = "a rating 1-5 or a word such as Low, Medium, High, Likely or Major"
    number = _number(cell)
    if number is None:
        written = text(cell)
        if (n := _RATING_WORDS.get(_words(written))) is not None:
            return n
        for form in _RATING_FORMS:
            if found := form.fullmatch(written):
                return int(found.group(1))
        try:
            number = Decimal(written)
        except InvalidOperation:
            raise CellError(f"{written!r} is not {expected}") from None
    if number != number.to_integral_value() or not 1 <= number <= 5:
        raise CellError(f"{raw_text(cell.value)!r} is not {expected}")
    return int(number)


_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})")
_DAY_MON_YEAR = re.compile(r"(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{4}|\d{2})")


def day(cell: Cell) -> date:
    """A real Excel date, or text as 2025-03-31, 31/03/2025 (31.03.2025) or 31-Mar-2025."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise CellError(
            f"{raw_text(value)} is a number, not a date (format the cell as a date "
            "or write 2025-03-31)"
        )
    written = text(cell)
    try:
        if found := _DAY_MONTH_YEAR.fullmatch(written):
            return date(int(found.group(4)), int(found.group(3)), int(found.group(1)))
        if found := _DAY_MON_YEAR.fullmatch(written):
            month = _MONTHS.get(found.group(2).casefold())
            year = int(found.group(3))
            if month is not None:
                return date(year + 2000 if year < 100 else year, month, int(found.group(1)))
        iso = written[:10] if re.fullmatch(r"\d{4}-\d\d-\d\d([ T][\d:.]+)?", written) else ""
        if iso:
            return date.fromisoformat(iso)
    except ValueError:
        raise CellError(f"{written!r} is not a date of the calendar") from None
    raise CellError(f"{written!r} is not a date (write 2025-03-31, 31/03/2025 or 31-Mar-2025)")


def choice(cell: Cell, options: type[StrEnum]) -> str:
    """One of `options`, however it is capitalised or punctuated ("In-Progress")."""
    written = text(cell)
    wanted = _words(written)
    for option in options:
        if _words(option.value) == wanted:
            return option.value
    raise CellError(f"{written!r} is not one of: {', '.join(o.value for o in options)}")


def currency(cell: Cell) -> str:
    code = text(cell).upper()
    if not money.is_known(code):
        known = ", ".join(sorted(money.CURRENCIES))
        raise CellError(f"{text(cell)!r} is not a known currency (use one of {known})")
    return code


def marking(cell: Cell, scale: tuple[str, ...]) -> int:
    """The level of a marking named as on the office's scale (any capitalisation)."""
    written = text(cell)
    for level, name in enumerate(scale):
        if _words(name) == _words(written):
            return level
    raise CellError(f"{written!r} is not a marking (use one of: {', '.join(scale)})")
