"""Finding the table in a messy sheet, and refusing files that are no spreadsheet."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import UsageError
from app.interchange import tables
from app.interchange.columns import known_names, normalise
from app.interchange.registers import REGISTERS

KNOWN = known_names(REGISTERS["risks"].fields)


def score(texts: Sequence[str]) -> int:
    return sum(normalise(t) in KNOWN for t in texts if t)


def read(path: Path) -> tuple[tables.Table, list[tuple[int, dict[str, object]]]]:
    with tables.open_table(path, score) as table:
        rows = [(n, {h: c.value for h, c in cells.items()}) for n, cells in table.rows]
    return table, rows


def messy_workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet["A1"] = "JP-MRSAM joint risk register"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "Marking: RESTRICTED"
    sheet.append([])  # row 3 blank
    sheet.append(["Ref", "Title", "Likelihood", "Impact", "Raised"])  # row 4
    sheet.append(["R-001", "Radome supply", "High", 4, date(2025, 3, 1)])  # row 5
    sheet["A6"] = "Technical risks"
    sheet.merge_cells("A6:E6")
    sheet.append(["R-002", "=A5&B5", 3, "Severe", "01/03/2025"])  # row 7
    sheet.append([None, None, None, None, None])  # row 8 blank
    sheet.append(["R-003", "Lone", None, None, None])  # row 9: one cell, not merged
    book.save(path)
    return path


def test_header_below_a_title_block_and_rows_numbered_as_the_sheet(tmp_path: Path) -> None:
    table, rows = read(messy_workbook(tmp_path / "r.xlsx"))
    assert table.sheet == "Register"
    assert table.header_row == 4
    assert table.headers == ("Ref", "Title", "Likelihood", "Impact", "Raised")
    assert [n for n, _ in rows] == [5, 7, 9]  # merged heading and blank rows skipped
    assert rows[1][1]["Title"] == "=A5&B5"  # the formula, never its value
    assert rows[2][1] == {"Ref": "R-003", "Title": "Lone"}


def test_bom_semicolon_csv(tmp_path: Path) -> None:
    path = tmp_path / "risks.csv"
    text = "Risk register;;\r\n\r\nRef;Title;Likelihood\r\nR-1;Ünïcode «title»;High\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    table, rows = read(path)
    assert (table.sheet, table.header_row, table.headers) == (
        "risks.csv",
        3,
        ("Ref", "Title", "Likelihood"),
    )
    assert rows == [(4, {"Ref": "R-1", "Title": "Ünïcode «title»", "Likelihood": "High"})]


def test_comma_csv_without_bom_with_quoted_commas(tmp_path: Path) -> None:
    path = tmp_path / "risks.csv"
    path.write_text('Ref,Title,Impact\nR-1,"Supply, and demand",3\n', encoding="utf-8")
    _, rows = read(path)
    assert rows == [(2, {"Ref": "R-1", "Title": "Supply, and demand", "Impact": "3"})]


def test_the_register_sheet_is_preferred_in_a_workbook_of_several(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Actions"
    book.active.append(["Action", "Owner"])
    book.create_sheet("Risks").append(["Ref", "Title"])
    book.save(tmp_path / "all.xlsx")
    prefer = lambda title: int(normalise(title) == "risks")  # noqa: E731
    with tables.open_table(tmp_path / "all.xlsx", score, prefer) as table:
        assert table.sheet == "Risks"


def test_no_header_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no header row"):
        read(path)


def _one_line(err: pytest.ExceptionInfo[UsageError]) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


def test_zip_bomb_named_xlsx_is_refused_unopened(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(40):
                member.write(b"\0" * 2**20)  # 40 MB of zeros, some 40 KB packed
    assert path.stat().st_size < 200_000
    with pytest.raises(UsageError) as err:
        read(path)
    assert "zip bomb" in _one_line(err)


def test_a_workbook_too_large_unpacked_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "MAX_BYTES", 1000)
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(2000))
    with pytest.raises(UsageError) as err:
        read(path)
    assert "unpacks to" in _one_line(err)


def test_binary_junk_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(os.urandom(10 * 2**20))
    with pytest.raises(UsageError) as err:
        read(path)
    assert "binary data" in _one_line(err)


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Ref;Title\nR-1;Caf\xe9\n".encode("latin-1"))
    with pytest.raises(UsageError) as err:
        read(path)
    assert "not UTF-8" in _one_line(err)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("junk.xlsx", b"definitely not a zip", "not an Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "Excel 97-2003"),
        ("plan.pdf", b"%PDF-1.7", "use .xlsx or .csv"),
    ],
)
def test_other_files_are_refused(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UsageError) as err:
        read(path)
    assert reason in _one_line(err)


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UsageError) as err:
        read(path)
    assert "not a readable Excel workbook" in _one_line(err)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read(tmp_path / "absent.xlsx")
