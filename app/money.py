"""Money as integer minor units plus an ISO 4217 code; never a float.

Parsing and formatting live here so that the CLI, the pack, the GUI and the importers
agree on how "12,50,000.00" and 1250000_00 relate.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Minor-unit decimals of the currencies a programme office meets.
CURRENCIES: dict[str, int] = {
    "INR": 2,
    "RUB": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "JPY": 0,
}
SYMBOLS = {"INR": "₹", "RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def is_known(code: str) -> bool:
    return code in CURRENCIES


def minor_digits(code: str) -> int:
    return CURRENCIES[code]


def to_minor(amount: Decimal | int | str, code: str) -> int:
    """Major units (e.g. Decimal('12.5') rupees) to minor units, rounded half-up."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{amount!r} is not an amount") from exc
    return int((value.scaleb(minor_digits(code))).quantize(Decimal(1), ROUND_HALF_UP))


def to_major(minor: int, code: str) -> Decimal:
    """Minor units back to an exact Decimal in major units."""
    digits = minor_digits(code)
    return Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def plain(minor: int, code: str) -> str:
    """Machine format: '1250000.00' (used by `summary --json` and exports)."""
    return f"{to_major(minor, code):f}"


def _group_indian(digits: str) -> str:
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail]) if groups else tail


def display(minor: int, code: str, *, indian_grouping: bool = False) -> str:
    """Human format with symbol and grouping: '₹12,50,000.00' or '$1,250,000.00'."""
    major = to_major(minor, code)
    sign = "-" if major < 0 else ""
    whole, _, frac = f"{abs(major):f}".partition(".")
    if indian_grouping and len(whole) > 3:
        grouped = _group_indian(whole)
    else:
        grouped = f"{int(whole):,}"
    text = f"{grouped}.{frac}" if frac else grouped
    return f"{sign}{SYMBOLS.get(code, code + ' ')}{text}"


def round_half_up(value: Decimal) -> int:
    """Round an exact Decimal to the nearest integer, halves away from zero."""
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))
