"""Reading a register out of an .xlsx or .csv file, wherever its table starts.

Registers arrive with a title block above the header, section headings merged across
the sheet and blank spacer rows; this module finds the header row, skips the rest and
yields each data row with its number as the spreadsheet shows it, since that number
is how the office finds a bad row again.

Workbooks are opened read-only (streamed, so 10,000 rows stay cheap) with formulas
kept: a formula cell yields its formula text, never a computed value. Files are
untrusted, so before any parser runs: an .xlsx must be a zip whose declared contents
are of sane size and compression (a zip bomb is refused unopened), and a .csv must be
UTF-8 text without NUL bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import UsageError
from app.interchange.values import Cell

MAX_BYTES = 200 * 2**20  # uncompressed size of a workbook, or size of a CSV file
MAX_ENTRIES = 10_000  # files inside a workbook
MAX_RATIO = 100  # uncompressed : compressed, over the whole workbook...
RATIO_FLOOR = 16 * 2**20  # ...once it unpacks to more than this (small files vary widely)
HEADER_SCAN = 50  # rows searched for the header
MIN_HEADER_SCORE = 2  # known column names a header row must carry
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")

Row = tuple[int, list[Cell]]


@dataclass
class Table:
    """One sheet: its name, where the header is, the headers and the data rows after it."""

    sheet: str
    header_row: int
    headers: tuple[str, ...]
    rows: Iterator[tuple[int, dict[str, Cell]]]


def _refuse(path: Path, what: str) -> UsageError:
    return UsageError(what, path.name)


def _first_line(exc: BaseException) -> str:
    """A parser's message fit for one line of the report (some span several)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@contextmanager
def open_table(
    path: Path,
    score: Callable[[Sequence[str]], int],
    prefer_sheet: Callable[[str], int] = lambda _title: 0,
) -> Iterator[Table]:
    """The table in `path`; `score` counts known names in a row, `prefer_sheet` ranks sheets.

    Raises UsageError (one line) for a file that cannot be read as a register.
    """
    if not path.is_file():
        raise _refuse(path, "no such file" if not path.exists() else "not a file")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        with _workbook_rows(path, prefer_sheet) as (sheet, rows):
            yield _table(path, sheet, rows, score)
    elif suffix in CSV_SUFFIXES:
        yield _table(path, path.name, _csv_rows(path), score)
    elif suffix == ".xls":
        raise _refuse(path, "an Excel 97-2003 workbook; save it as .xlsx (Excel Workbook)")
    else:
        raise _refuse(path, "not a spreadsheet Setu reads (use .xlsx or .csv)")


def _table(
    path: Path, sheet: str, rows: Iterator[Row], score: Callable[[Sequence[str]], int]
) -> Table:
    for scanned, (number, cells) in enumerate(rows, 1):
        texts = [_header_text(c) for c in cells]
        if score(texts) >= MIN_HEADER_SCORE:
            headers = _unique(texts)
            return Table(sheet, number, tuple(h for h in headers if h), _data_rows(rows, headers))
        if scanned >= HEADER_SCAN:
            break
    raise _refuse(
        path,
        f"no header row in sheet {sheet!r}: none of its first {HEADER_SCAN} rows names "
        "two of the register's columns (use --map COLUMN=FIELD for unusual names)",
    )


def _header_text(cell: Cell) -> str:
    return "" if cell.blank else " ".join(str(cell.value).split())


def _unique(texts: Sequence[str]) -> list[str]:
    """Headers by position; a repeated header gets ' (2)', so no column hides another."""
    seen: dict[str, int] = {}
    unique: list[str] = []
    for text in texts:
        if text:
            seen[text] = seen.get(text, 0) + 1
            text = text if seen[text] == 1 else f"{text} ({seen[text]})"
        unique.append(text)
    return unique


def _data_rows(
    rows: Iterator[Row], headers: Sequence[str]
) -> Iterator[tuple[int, dict[str, Cell]]]:
    for number, cells in rows:
        values = {h: c for h, c in zip(headers, cells, strict=False) if h and not c.blank}
        if values:
            yield number, values


# Workbooks ------------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    """Refuse a file that is no zip, or whose declared contents would swamp the machine."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, f"not an Excel workbook (.xlsx): {_first_line(exc)}") from None
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries)
    if len(entries) > MAX_ENTRIES:
        raise _refuse(path, f"refused: the workbook holds {len(entries):,} files (a zip bomb?)")
    if unpacked > MAX_BYTES:
        raise _refuse(
            path,
            f"refused: the workbook unpacks to {unpacked / 2**20:,.0f} MB, "
            f"more than {MAX_BYTES // 2**20} MB (a zip bomb?)",
        )
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(packed, 1):
        raise _refuse(
            path,
            f"refused: the workbook is compressed {unpacked // max(packed, 1):,}:1, "
            f"more than {MAX_RATIO}:1 (a zip bomb?)",
        )


@contextmanager
def _workbook_rows(
    path: Path, prefer_sheet: Callable[[str], int]
) -> Iterator[tuple[str, Iterator[Row]]]:
    from openpyxl import load_workbook  # only imports that read workbooks pay for openpyxl

    _check_zip(path)
    try:
        # Formulas kept (not data_only): a formula cell imports as its text.
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
        raise _refuse(path, f"not a readable Excel workbook: {_first_line(exc)}") from None
    try:
        sheets = list(book.worksheets)
        if not sheets:
            raise _refuse(path, "the workbook has no worksheet")
        ranked = sorted(enumerate(sheets), key=lambda pair: (-prefer_sheet(pair[1].title), pair[0]))
        sheet = ranked[0][1]
        yield sheet.title, _guarded(path, _sheet_rows(book, sheet))
    finally:
        book.close()


def _sheet_rows(book: Any, sheet: Any) -> Iterator[Row]:
    merged = _merged_heading_rows(book, sheet)
    sheet.reset_dimensions()  # some writers declare A1:A1 or A1:XFD1048576; trust the rows
    for number, raw in enumerate(sheet.iter_rows(), 1):
        cells = [Cell(c.value, getattr(c, "number_format", None) or "General") for c in raw]
        if number in merged and sum(not c.blank for c in cells) <= 1:
            continue  # a section heading merged across the sheet, not a record
        yield number, cells


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _merged_heading_rows(book: Any, sheet: Any) -> set[int]:
    """Rows crossed by a merge spanning several columns (read-only mode hides merges).

    The merge list follows the cell data in the sheet's XML, so it is found by a byte
    scan of the part; a part openpyxl does not name leaves the set empty.
    """
    part = getattr(sheet, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if part is None or archive is None:
        return set()
    rows: set[int] = set()
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(2**20):
            data = tail + chunk
            for first_col, first, last_col, last in _MERGE.findall(data):
                if first_col != last_col:
                    rows.update(range(int(first), int(last) + 1))
            tail = data[-200:]  # a tag cut by the chunk boundary is found next time
    return rows


def _guarded(path: Path, rows: Iterator[Row]) -> Iterator[Row]:
    """Rows of a sheet, with a parse failure half-way through reported as a usage error."""
    try:
        yield from rows
    except UsageError:
        raise
    except Exception as exc:  # a damaged sheet part fails inside openpyxl's parser
        raise _refuse(path, f"the workbook is damaged: {_first_line(exc)}") from None


# CSV ---------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[Row]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _refuse(path, f"refused: {size / 2**20:,.0f} MB is more than a register holds")
    data = path.read_bytes()
    if b"\x00" in data:
        raise _refuse(path, "not a text file (it holds binary data); save the sheet as CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            path, f"not UTF-8 text (byte {exc.start:,}); save the sheet as CSV UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, record in enumerate(reader, 1):
            yield number, [Cell(value) for value in record]
    except csv.Error as exc:
        raise _refuse(path, f"not a readable CSV file: {_first_line(exc)}") from None


def _delimiter(text: str) -> str:
    """';' (Excel where the decimal mark is a comma) or ',', from the first lines."""
    sample = text[: 64 * 1024]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,").delimiter
    except csv.Error:
        return ";" if sample.count(";") > sample.count(",") else ","
