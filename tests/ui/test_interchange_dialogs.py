"""File > Import… and Export…: a previewed dry run, an all-or-nothing import, an export."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.database import Database
from app.services import programmes, risks, settings
from tests.conftest import Fixture, audit_count, risk_draft
from ui import style, workers
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.import_dialog import SCHEDULE, ImportDialog
from ui.main_window import MainWindow

SHOT_DIR = "SETU_SCREENSHOT_DIR"
HEADER = "Ref,Title,Likelihood,Impact,Owner\n"


@pytest.fixture(autouse=True)
def _settle() -> Iterator[None]:
    """Background work reads the database: let it finish before the fixture closes it."""
    yield
    workers.cancel_all()
    workers.wait_all()


def open_returns(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))


def save_returns(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(path), ""))


def import_dialog(qtbot: QtBot, db: Database, programme: Fixture) -> ImportDialog:
    dialog = ImportDialog(db, programme.programme_id)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("risks"))
    return dialog


def check(qtbot: QtBot, dialog: ImportDialog, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Choose `path` with Browse… (which starts the dry run) and wait for the preview."""
    open_returns(monkeypatch, path)
    dialog.findChild(type(dialog.preview_button), "browse").click()
    assert dialog.op is not None
    qtbot.waitUntil(lambda: dialog.op is None, timeout=20_000)


def cells(dialog: ImportDialog) -> list[list[str]]:
    table = dialog.problems
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_a_bad_row_is_previewed_and_blocks_the_import(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "R-1,Good one,3,4,Anna\nR-2,Bad one,3,banana,Bob\n", "utf-8")
    dialog = import_dialog(qtbot, db, programme)
    check(qtbot, dialog, monkeypatch, path)
    rows = cells(dialog)
    assert len(rows) == 1
    sheet, row, column, reason = rows[0]
    assert (sheet, row, column) == ("register.csv", "3", "Impact")
    assert f"row {row}, {column}: {reason}".startswith("row 3, Impact: 'banana' is not a rating")
    summary = dialog.summary.text()
    assert "1 created, 0 updated, 0 unchanged" in summary
    assert "1 problem(s) in 1 row(s)" in summary
    assert dialog.problems.isVisible() or not dialog.isVisible()
    assert not dialog.import_button.isEnabled()
    assert dialog.run_import() is None
    assert risks.list_risks(db, programme.programme_id) == []


def test_a_good_workbook_previews_then_imports(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Risks"
    sheet.append(["Programme risk register"])  # a title block above the header
    sheet.append([])
    sheet.append(["Risk ID", "Risk Title", "Probability", "Severity", "Risk Owner"])
    sheet.append(["R-7", "Radome supplier capacity", "High", "Medium", "Anna"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    dialog = import_dialog(qtbot, db, programme)
    check(qtbot, dialog, monkeypatch, path)
    assert "1 created" in dialog.summary.text()
    assert "No problems" in dialog.summary.text()
    assert dialog.problems.rowCount() == 0
    assert dialog.import_button.isEnabled()

    before = audit_count(db)
    with qtbot.waitSignal(dialog.changed, timeout=20_000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.op is None, timeout=20_000)
    imported = risks.list_risks(db, programme.programme_id)
    assert [(r.reference, r.title) for r in imported] == [("R-7", "Radome supplier capacity")]
    assert audit_count(db) > before
    assert dialog.result_box is not None and "1 created" in dialog.result_box.text()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_column_mapping_is_used_and_a_bad_one_is_refused(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text("Ref;Headline;Likelihood;Impact\nR-9;Late radar;2;3\n", "utf-8")
    dialog = import_dialog(qtbot, db, programme)
    dialog.mapping.setText("no equals sign")
    dialog.file.setText(str(path))
    assert dialog.preview() is None
    assert "COLUMN=FIELD" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.mapping.setText("Headline=title")
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.op is None, timeout=20_000)
    assert "1 created" in dialog.summary.text(), dialog.summary.text()
    assert dialog.import_button.isEnabled()


def test_an_unreadable_file_is_a_plain_message(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "junk.xlsx"
    path.write_bytes(os.urandom(4096))
    dialog = import_dialog(qtbot, db, programme)
    check(qtbot, dialog, monkeypatch, path)
    box = dialog.error_box
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    assert "Traceback" not in box.text() and "unexpected" not in box.text()
    assert not dialog.import_button.isEnabled()
    box.close()


def test_a_schedule_is_read_from_xml(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.xml"
    plan.write_text(
        '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks>'
        "<Task><UID>1</UID><Name>Radar</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary>"
        "<WBS>WS-9</WBS><Start>2025-01-01T08:00:00</Start><Finish>2026-01-01T17:00:00</Finish>"
        "</Task><Task><UID>2</UID><Name>PDR</Name><OutlineLevel>2</OutlineLevel>"
        "<Milestone>1</Milestone><Start>2025-06-01T08:00:00</Start>"
        "<Finish>2025-06-01T08:00:00</Finish></Task></Tasks></Project>",
        "utf-8",
    )
    dialog = import_dialog(qtbot, db, programme)
    dialog.kind.setCurrentIndex(dialog.kind.findData(SCHEDULE))
    assert not dialog.mapping.isEnabled()
    check(qtbot, dialog, monkeypatch, plan)
    assert "2 created" in dialog.summary.text(), dialog.summary.text()
    assert dialog.import_button.isEnabled()


def test_export_of_risks_to_csv(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    risks.raise_risk(db, programme.programme_id, risk_draft())
    partners = programmes.partners(db, programme.programme_id)
    dialog = ExportDialog(db, programme.programme_id, partners, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.out_path().parent == tmp_path
    assert dialog.out_path().name.startswith("JP-TEST-workstreams-")
    assert dialog.out_path().suffix == ".xlsx"
    assert dialog.audience.count() == 3
    dialog.kind.setCurrentIndex(dialog.kind.findData("risks"))
    assert dialog.out_path().name.startswith("JP-TEST-risks-")
    dialog.kind.setCurrentIndex(dialog.kind.findData("schedule"))
    assert dialog.out_path().suffix == ".xml"
    dialog.kind.setCurrentIndex(dialog.kind.findData("risks"))
    out = tmp_path / "risks.csv"
    save_returns(monkeypatch, out)
    dialog.findChild(type(dialog.export_button), "browse").click()
    assert dialog.out_path() == out
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.op is None, timeout=20_000)
    assert dialog.written == out
    assert str(out) in dialog.status.text()
    assert dialog.show_folder_button.isVisibleTo(dialog)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    scale = settings.get(db, "marking_scale").value
    assert lines[0][0] in scale
    assert "Reference" in lines[1] or "Ref" in lines[1]
    assert any("R-001" in line and "Radome supplier capacity" in line for line in lines[2:])
    opened: list[str] = []
    monkeypatch.setattr(
        "ui.dialogs.export_dialog.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    dialog.show_folder_button.click()
    assert opened == [str(tmp_path)]


def test_export_refuses_a_wrong_extension(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path
) -> None:
    partners = programmes.partners(db, programme.programme_id)
    dialog = ExportDialog(db, programme.programme_id, partners, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("all"))
    dialog.output.setText(str(tmp_path / "all.csv"))
    assert not dialog.export_button.isEnabled()
    assert ".xlsx" in dialog.output_error.text()


@pytest.fixture
def window(qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path) -> Iterator[MainWindow]:
    window = MainWindow(db, QSettings(str(tmp_path / "setu.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    workers.cancel_all()
    workers.wait_all()


def test_menu_actions_open_the_dialogs_and_an_import_reloads_pages(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    programme: Fixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert window.menus.import_action.isEnabled() and window.menus.export_action.isEnabled()
    assert "interchange work" not in window.menus.import_action.toolTip()
    window.menus.export_action.trigger()
    export = window.files.export_dialog
    assert isinstance(export, ExportDialog) and export.isVisible()
    export.reject()

    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.files.import_dialog
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    assert dialog.programme_id == programme.programme_id
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "R-1,Good one,3,4,Anna\n", "utf-8")
    dialog.kind.setCurrentIndex(dialog.kind.findData("risks"))
    check(qtbot, dialog, monkeypatch, path)
    risks_page = window.risks_page  # built (as by a visit), so it can be stale
    window.navigation.setCurrentRow(0)
    with qtbot.waitSignal(window.changed, timeout=20_000):
        dialog.import_button.click()
    assert risks_page in window.pages.stale
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "import_result"]
    assert boxes and "1 created" in boxes[0].text()


def test_screenshot(
    qtbot: QtBot,
    qapp: QApplication,
    db: Database,
    programme: Fixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    style.apply(qapp)
    path = tmp_path / "Risk register.csv"
    path.write_text(
        HEADER
        + "R-1,Radome supplier capacity,3,4,Anna\n"
        + "R-2,Late test range slot,3,banana,Bob\n"
        + "R-3,Export licence delay,sometimes,2,Chitra\n",
        "utf-8",
    )
    dialog = import_dialog(qtbot, db, programme)
    dialog.resize(760, 480)
    dialog.show()
    qtbot.waitExposed(dialog)
    check(qtbot, dialog, monkeypatch, path)
    shot = tmp_path / "import-dialog.png"
    assert dialog.grab().save(str(shot))
    assert shot.stat().st_size > 2_000
    if os.environ.get(SHOT_DIR):
        shutil.copyfile(shot, Path(os.environ[SHOT_DIR]) / shot.name)
