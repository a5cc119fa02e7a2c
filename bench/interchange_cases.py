"""Spreadsheets in and out: Setu's import and export beside openpyxl doing the file part.

The floor of an import is openpyxl's own read-only parse of the same workbook (every
row's values); the floor of an export is an openpyxl write-only workbook of the same
cells. What is left over is Setu's share: matching columns, checking every row as a
dialog would, writing and auditing the records, or listing and formatting them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from timing import Result, paired_median_times

from app.config import resolve
from app.database import Database, Mode, open_database
from app.interchange import export, import_file
from app.services import programmes

RISK_ROWS = 10_000
IMPORT_REPEATS = 5  # each run imports 10,000 risks: enough for a median, within budget
HEADERS = (
    *("Ref", "Title", "Category", "Owner", "Raised", "Likelihood", "Impact"),
    *("Residual likelihood", "Residual impact", "Cause", "Mitigation", "Status"),
)
CATEGORIES = ("technical", "schedule", "cost", "supply chain", "currency", "industrial capacity")


def risk_workbook(path: Path, rows: int = RISK_ROWS) -> Path:
    """A risk register as offices keep them: one sheet, a header row, a record a row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Risks")
    sheet.append(HEADERS)
    for n in range(1, rows + 1):
        likelihood, impact = 1 + n % 5, 1 + n // 5 % 5
        sheet.append(
            (
                f"R-{n:05}",
                f"Risk {n}: supplier capacity for lot {n % 97}",
                CATEGORIES[n % len(CATEGORIES)],
                f"Owner {n % 17}",
                date(2025, 1 + n % 12, 1 + n % 28),
                likelihood,
                impact,
                max(1, likelihood - 1),
                max(1, impact - 1),
                "Single qualified supplier",
                "Qualify a second source; monthly capacity review",
                "open",
            )
        )
    book.save(path)
    return path


def empty_database(path: Path) -> tuple[Database, int]:
    """A new database as `setu init` makes it, holding one programme and nothing else."""
    db = open_database(resolve(str(path)), Mode.CREATE)
    row = programmes.create_programme(
        db,
        programmes.ProgrammeDraft(
            code="JP-BENCH",
            name="Benchmark programme",
            description="",
            base_currency="INR",
            start_date=date(2024, 1, 1),
            end_date=date(2032, 12, 31),
        ),
        [programmes.PartnerDraft("IND", "India"), programmes.PartnerDraft("RUS", "Russia")],
    )
    return db, row.id


def bench_import(folder: Path) -> Result:
    """`setu import risks` of 10,000 rows in-process, each run into a fresh empty database,
    vs openpyxl's read-only parse of the same workbook."""
    book = risk_workbook(folder / "risks.xlsx")
    # Made before the clock starts: the import is timed, not creating its database.
    databases = iter([empty_database(folder / f"import-{n}.db") for n in range(IMPORT_REPEATS + 1)])

    def ours() -> object:
        db, programme_id = next(databases)
        try:
            return import_file(db, "risks", book, programme_id)
        finally:
            db.close()

    def floor() -> object:
        workbook = load_workbook(book, read_only=True)
        try:
            return sum(1 for _ in workbook.active.iter_rows(values_only=True))
        finally:
            workbook.close()

    ours()  # untimed: the first import also loads openpyxl and warms SQLAlchemy's caches
    median, floor_median = paired_median_times(ours, floor, IMPORT_REPEATS)
    ratio = median / floor_median
    return Result(
        "import 10,000 risks from xlsx (in-process)",
        median,
        floor_median,
        ratio,
        "< 5 s, ratio < 3",
        median < 5 and ratio < 3,
    )


def _cells(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet of a workbook with every row's values."""
    workbook = load_workbook(path, read_only=True)
    try:
        return [(s.title, list(s.iter_rows(values_only=True))) for s in workbook.worksheets]
    finally:
        workbook.close()


def _write_only(path: Path, sheets: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def bench_export(db_path: Path, folder: Path) -> Result:
    """`setu export all` to .xlsx in-process vs a write-only workbook of the same cells."""
    out, bare = folder / "export-all.xlsx", folder / "export-floor.xlsx"
    with open_database(resolve(str(db_path)), Mode.READ) as db:
        programme_id = programmes.choose(db, None).id
        export(db, "all", out, programme_id)  # untimed: gives the cells the floor writes
        sheets = _cells(out)
        assert sum(len(rows) for _, rows in sheets) > 2 * len(sheets), "no records exported"
        median, floor_median = paired_median_times(
            lambda: export(db, "all", out, programme_id), lambda: _write_only(bare, sheets)
        )
    ratio = median / floor_median
    return Result(
        "export all registers to xlsx (in-process)",
        median,
        floor_median,
        ratio,
        "ratio < 2",
        ratio < 2,
    )
