"""Reading cells as people fill them in: ratings, dates, money, choices, formula text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from app.domain import ActionStatus, ContractKind, RiskCategory
from app.interchange import values
from app.interchange.values import Cell, CellError


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (1, 1),
        (5.0, 5),
        ("3", 3),
        ("Very low", 1),
        ("low", 2),
        ("MEDIUM", 3),
        ("High", 4),
        ("Very High", 5),
        ("very-high", 5),
        ("Rare", 1),
        ("Unlikely", 2),
        ("Possible", 3),
        ("Likely", 4),
        ("Almost certain", 5),
        ("Minimal", 1),
        ("Minor", 2),
        ("Moderate", 3),
        ("Major", 4),
        ("Severe", 5),
        ("4 - Likely", 4),
        ("2: Minor", 2),
        ("Likely (4)", 4),
    ],
)
def test_ratings_as_numbers_or_words(written: object, expected: int) -> None:
    assert values.rating(Cell(written)) == expected


@pytest.mark.parametrize("written", ["Often", 0, 6, 2.5, "=A1", "", "10"])
def test_bad_ratings_say_what_was_expected(written: object) -> None:
    with pytest.raises(CellError) as err:
        values.rating(Cell(written))
    assert "rating 1-5" in err.value.reason


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (datetime(2025, 3, 31, 0, 0), date(2025, 3, 31)),
        (date(2025, 3, 31), date(2025, 3, 31)),
        ("2025-03-31", date(2025, 3, 31)),
        ("2025-03-31 00:00:00", date(2025, 3, 31)),
        ("31/03/2025", date(2025, 3, 31)),
        ("1/3/2025", date(2025, 3, 1)),
        ("31.03.2025", date(2025, 3, 31)),
        ("31-Mar-2025", date(2025, 3, 31)),
        ("1-mar-25", date(2025, 3, 1)),
        ("05-September-2025", date(2025, 9, 5)),
    ],
)
def test_dates_real_or_in_each_text_form(written: object, expected: date) -> None:
    assert values.day(Cell(written)) == expected


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2025-02-30", "not a date of the calendar"),
        ("31/13/2025", "not a date of the calendar"),
        ("03/31/2025", "not a date of the calendar"),  # dd/mm, never mm/dd
        ("31-Foo-2025", "not a date"),
        ("tomorrow", "not a date"),
        (45747, "is a number, not a date"),
    ],
)
def test_bad_dates(written: object, reason: str) -> None:
    with pytest.raises(CellError) as err:
        values.day(Cell(written))
    assert reason in err.value.reason


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (1234.5, Decimal("1234.5")),
        (0.1, Decimal("0.1")),  # the float's shortest repr, not its binary expansion
        (1250000, Decimal(1250000)),
        ("12,50,000.00", Decimal("1250000.00")),
        ("₹ 12,50,000", Decimal(1250000)),
        ("INR 1,250.50", Decimal("1250.50")),
        ("Rs. 500", Decimal(500)),
        ("$1,000,000", Decimal(1000000)),
        ("1000 USD", Decimal(1000)),
    ],
)
def test_amounts_in_major_units(written: object, expected: Decimal) -> None:
    assert values.amount(Cell(written)) == expected


def test_bad_amount() -> None:
    with pytest.raises(CellError, match="not an amount"):
        values.amount(Cell("ten lakh"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (Cell(0.5, "0%"), Decimal(50)),
        (Cell(0.333333, "0.00%"), Decimal("33.3333")),
        (Cell(50), Decimal(50)),
        (Cell("45%"), Decimal(45)),
        (Cell("12.5"), Decimal("12.5")),
    ],
)
def test_percentages(cell: Cell, expected: Decimal) -> None:
    assert values.percent(cell) == expected


def test_choices_ignore_case_and_punctuation() -> None:
    assert values.choice(Cell("In-Progress"), ActionStatus) == "in progress"
    assert values.choice(Cell("Supply Chain"), RiskCategory) == "supply chain"
    assert values.choice(Cell("r&d SERVICES"), ContractKind) == "R&D services"
    with pytest.raises(CellError, match="is not one of: open, in progress"):
        values.choice(Cell("finished"), ActionStatus)


def test_a_formula_is_its_text_never_a_value() -> None:
    assert values.text(Cell("=A1*2")) == "=A1*2"

    class ArrayFormula:  # openpyxl's object for an array formula
        text = "=SUM(A1:A3*B1:B3)"

    assert values.text(Cell(ArrayFormula())) == "=SUM(A1:A3*B1:B3)"


def test_numbers_read_as_text_look_as_typed() -> None:
    assert values.text(Cell(101.0)) == "101"
    assert values.text(Cell(101)) == "101"
    assert values.text(Cell(date(2025, 3, 1))) == "2025-03-01"


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2 dB margin", "@cmd", "\tTab", "\rCR"])
def test_csv_escape_round_trips(text: str) -> None:
    escaped = values.escape_csv(text)
    assert escaped == "'" + text
    assert values.unescape(escaped) == text


@pytest.mark.parametrize("text", ["'quoted' word", "'", "plain", "O'Neil"])
def test_unescape_leaves_other_apostrophes(text: str) -> None:
    assert values.escape_csv(text) == text
    assert values.unescape(text) == text


def test_currency_and_marking() -> None:
    assert values.currency(Cell(" inr ")) == "INR"
    with pytest.raises(CellError, match="not a known currency"):
        values.currency(Cell("XYZ"))
    scale = ("UNCLASSIFIED", "RESTRICTED", "TOP SECRET")
    assert values.marking(Cell("Restricted"), scale) == 1
    assert values.marking(Cell("top secret"), scale) == 2
    with pytest.raises(CellError, match="not a marking"):
        values.marking(Cell("SECRET-ish"), scale)
