"""`setu export KIND --out FILE`: registers as the office's spreadsheets, ready to re-import.

The columns are the importer's own headers (`registers.py`), so an exported file
imports back unchanged. What the audience may not see is left out, including as the
code in another record's column. The file carries the highest marking of what it
holds, in the first row of every sheet and in the workbook's properties, because a
spreadsheet travels without the application that knows what is in it.

Text starting with = + - @ tab or CR is never a formula: a workbook writes it as a text
cell, a CSV file puts an apostrophe before it (which the importer takes off again).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import money
from app.database import Database
from app.errors import UsageError
from app.interchange.registers import REGISTERS
from app.interchange.spec import Context, Field, Register, T
from app.interchange.values import FORMULA_START, escape_csv
from app.services import settings
from app.services.audience import Audience

ALL = "all"
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 500  # rows measured for column widths
HUNDRED = Decimal(100)


def export(
    db: Database,
    kind: str,
    out: Path,
    programme_id: int,
    audience: Audience | str = "joint",
) -> Path:
    """Write `kind` (or `all`, .xlsx only) for `audience` to `out`; returns its path.

    The format follows the suffix (.xlsx or .csv). The file is written beside `out`
    and moved into place at the end, so a failed export leaves no half-written file.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError("the output must be an .xlsx or .csv file", str(out))
    if kind != ALL and kind not in REGISTERS:
        known = ", ".join([*REGISTERS, ALL])
        raise UsageError(f"{kind!r} is not a register to export (use one of: {known})")
    if kind == ALL and suffix == ".csv":
        raise UsageError("a CSV file holds one register; export all to an .xlsx file", str(out))
    if not out.parent.is_dir():
        raise UsageError("the folder for the output does not exist", str(out))
    seen_by = Audience.parse(audience) if isinstance(audience, str) else audience
    context = Context(db, programme_id, seen_by)
    seen_by.check(context.partners)
    chosen = list(REGISTERS.values()) if kind == ALL else [REGISTERS[kind]]
    sheets = [(r, [row for row in r.listing(context) if context.visible(row)]) for r in chosen]
    level = max((row.marking for _, rows in sheets for row in rows), default=0)
    with db.read() as session:
        marking = settings.marking_name(session, level)
    tables = [(r, [_values(r, context, row) for row in rows]) for r, rows in sheets]
    partial = out.with_name(f".{out.name}.part")
    try:
        if suffix == ".csv":
            _write_csv(partial, marking, *tables[0])
        else:
            title = f"{context.programme.code}: {kind if kind != ALL else 'all registers'}"
            _write_xlsx(partial, marking, title, seen_by, tables)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _values(register: Register, context: Context, row: Any) -> list[Any]:
    """A record as its sheet row: codes for links, major units for money, names for markings."""
    stored = register.stored(context, row)
    cells: list[Any] = []
    for f in register.fields:
        value = stored.get(f.name)
        if f.kind is T.LINK:
            value = context.name(f.link, value)
        elif f.kind is T.MARKING:
            level = int(value or 0)
            value = context.scale[level] if level < len(context.scale) else f"level {level}"
        elif f.kind is T.BASE_CURRENCY:
            value = context.base_currency
        elif f.kind is T.MONEY and value is not None:
            value = money.to_major(value, stored.get(f.currency) or context.base_currency)
        cells.append(value)
    return cells


def _csv_cell(field: Field, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if field.kind is T.PERCENT else f"{value:f}"
    if isinstance(value, str):
        return escape_csv(value)
    return str(value)


def _write_csv(path: Path, marking: str, register: Register, rows: Sequence[list[Any]]) -> None:
    """UTF-8 with a BOM, which is how Excel knows a CSV file is UTF-8."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([marking])
        writer.writerow([f.header for f in register.fields])
        for row in rows:
            writer.writerow([_csv_cell(f, v) for f, v in zip(register.fields, row, strict=True)])


def _width(field: Field, rows: Sequence[list[Any]], column: int) -> float:
    sample = (_csv_cell(field, row[column]) for row in rows[:WIDTH_SAMPLE])
    longest = max([len(field.header), *(len(s) for s in sample)])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _money_format(amount: Decimal) -> str:
    """'#,##0.00' for rupees, '#,##0' for yen: the currency's minor digits, as exported."""
    places = -int(amount.as_tuple().exponent)
    return "#,##0" + ("." + "0" * places if places > 0 else "")


def _write_xlsx(
    path: Path,
    marking: str,
    title: str,
    audience: Audience,
    tables: Sequence[tuple[Register, list[list[Any]]]],
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.keywords = marking
    book.properties.category = marking
    book.properties.subject = f"{marking}; audience {audience.name}"
    book.properties.creator = "Setu"
    bold = Font(bold=True)

    def cell(sheet: Any, field: Field, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(FORMULA_START):
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"  # openpyxl would otherwise write "=..." as a formula
            text.quotePrefix = True  # and Excel keeps it text when the cell is edited
            return text
        if field.kind is T.MONEY and value is not None:
            amount = WriteOnlyCell(sheet, value=value)
            amount.number_format = _money_format(value)
            return amount
        if field.kind is T.PERCENT and value is not None:
            share = WriteOnlyCell(sheet, value=value / HUNDRED)
            share.number_format = "0.00##%"
            return share
        return value

    for register, rows in tables:
        sheet = book.create_sheet(register.sheet)
        sheet.freeze_panes = "A3"  # the marking and header rows stay in view
        for column, field in enumerate(register.fields):
            width = _width(field, rows, column)
            sheet.column_dimensions[get_column_letter(column + 1)].width = width
        top = WriteOnlyCell(sheet, value=marking)
        top.font = bold
        sheet.append([top])
        headers = []
        for field in register.fields:
            header = WriteOnlyCell(sheet, value=field.header)
            header.font = bold
            headers.append(header)
        sheet.append(headers)
        for row in rows:
            sheet.append([cell(sheet, f, v) for f, v in zip(register.fields, row, strict=True)])
    book.save(path)
