"""How figures appear in `summary --json` (CLI.md): stable, exact, the same on every database.

Money is a string with the currency's minor-unit decimals ("1250000.00"); ratios and
percentages are numbers rounded to 4 decimals, or null; dates are ISO strings. Figures
are computed as int and Decimal; a float appears only here, at the very end, built from
a 4-decimal Decimal, so its shortest repr is exactly those digits.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from app import money as money_

FOUR_PLACES = Decimal("0.0001")


def money(minor: int | None, currency: str) -> str | None:
    return None if minor is None else money_.plain(minor, currency)


def ratio(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(FOUR_PLACES, ROUND_HALF_UP))


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def round4(value: Fraction | Decimal) -> Decimal:
    """An exact value rounded half-up to 4 decimals (ratios and percentages)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(FOUR_PLACES, ROUND_HALF_UP)


def divide(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator to 4 decimals, or None when the denominator is zero."""
    if denominator == 0:
        return None
    return round4(Fraction(numerator) / Fraction(denominator))


def round_minor(value: Fraction) -> int:
    """An exact amount rounded half-up (away from zero) to whole minor units."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    return sign * (whole + (1 if 2 * rest >= magnitude.denominator else 0))
