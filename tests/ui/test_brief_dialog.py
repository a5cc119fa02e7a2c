"""Brief…: the pack is built by build_pack in a worker; the GUI keeps running meanwhile."""

from __future__ import annotations

import os
import shutil
import sys
import types
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from threading import Event
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.config import resolve
from app.database import Database, Mode, open_database
from app.demo import build
from app.services import programmes
from ui import style, workers
from ui.dialogs.brief_dialog import BriefDialog, default_file_name
from ui.widgets import pdf_preview

SHOT_DIR = "SETU_SCREENSHOT_DIR"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db)
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy per test: building a pack stores a snapshot."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(resolve(str(path)))
    yield db
    workers.cancel_all()
    workers.wait_all()
    db.close()


def _fake_render(data: Any, out: Path, *, progress: Any = None, cancel: Event | None = None) -> int:
    """Stands in for app.reporting.pdf while that module is not there: a real PDF."""
    import time

    from reportlab.pdfgen.canvas import Canvas

    pages = 5
    canvas = Canvas(str(out))
    for page in range(pages):
        time.sleep(0.05)
        if cancel is not None and cancel.is_set():
            raise workers.Cancelled()
        canvas.drawString(72, 720, f"{data.code} {data.marking} page {page + 1}")
        canvas.showPage()
        if progress is not None:
            progress(page + 1, pages)
    canvas.save()
    return pages


@pytest.fixture(autouse=True)
def renderer(monkeypatch: pytest.MonkeyPatch) -> str:
    """The real renderer when it is there; otherwise a small fake one."""
    try:
        import app.reporting.pdf  # noqa: F401
    except ImportError:
        fake = types.ModuleType("app.reporting.pdf")
        fake.render = _fake_render  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "app.reporting.pdf", fake)
        return "fake"
    return "real"


@pytest.fixture
def dialog(qtbot: QtBot, demo: Database, tmp_path: Path) -> BriefDialog:
    programme = programmes.list_programmes(demo)[0]
    dialog = BriefDialog(demo, programme, None, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_defaults(dialog: BriefDialog, tmp_path: Path) -> None:
    audiences = [dialog.audience.itemData(i) for i in range(dialog.audience.count())]
    assert audiences == ["joint", "national:IND", "national:RUS"]
    markings = [dialog.marking.itemData(i) for i in range(dialog.marking.count())]
    assert markings == [None, "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"]
    assert dialog.marking.currentData() is None  # as the pack's contents
    assert dialog.out_path() == tmp_path / f"JP-KSHITIJ-brief-{date.today().isoformat()}.pdf"
    assert default_file_name("JP-X", date(2026, 1, 2)) == "JP-X-brief-2026-01-02.pdf"
    request = dialog.request()
    assert (request.programme, request.audience, request.marking, request.since) == (
        "JP-KSHITIJ",
        "joint",
        None,
        "latest",
    )
    dialog.since.setCurrentIndex(dialog.since.findData("chosen"))
    assert dialog.snapshot.isEnabled()
    dialog.snapshot.setValue(7)
    dialog.audience.setCurrentIndex(1)
    dialog.marking.setCurrentIndex(dialog.marking.findData("SECRET"))
    request = dialog.request()
    assert (request.audience, request.marking, request.since) == ("national:IND", "SECRET", "7")


def test_a_bad_file_name_blocks_build(dialog: BriefDialog, tmp_path: Path) -> None:
    dialog.output.setText(str(tmp_path / "pack.txt"))
    assert not dialog.build_button.isEnabled()
    assert dialog.output.property("invalid") is True
    assert ".pdf" in dialog.output_error.text()
    dialog.output.setText(str(tmp_path / "no-such-folder" / "pack.pdf"))
    assert "folder" in dialog.output_error.text()
    dialog.output.setText(str(tmp_path / "pack.pdf"))
    assert dialog.build_button.isEnabled()
    assert dialog.output.property("invalid") is False


def test_builds_without_blocking_the_event_loop(
    qtbot: QtBot, dialog: BriefDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    out = dialog.out_path()
    with qtbot.waitSignal(dialog.built, timeout=60_000) as built:
        dialog.build()
        assert dialog.progress is not None and dialog.progress.isVisible()
        assert dialog.op is not None and dialog.op.running
    during = len(ticks)
    timer.stop()
    assert during > 3, "the GUI thread waited for the pack"
    result = built.args[0]  # type: ignore[index]
    assert result.path == out and out.read_bytes().startswith(b"%PDF")
    assert result.pages > 0 and result.marking == "TOP SECRET"
    assert dialog.progress is None  # closed
    preview = dialog.preview_dialog
    assert preview is not None and preview.isVisible()
    assert str(out) in preview.preview.summary.text()
    assert "TOP SECRET" in preview.preview.summary.text()
    # Print needs QtPdf to draw the pages; PySide6-Essentials has no QtPdf.
    assert preview.preview.print_button.isVisibleTo(preview) == pdf_preview.CAN_PRINT
    opened: list[str] = []
    monkeypatch.setattr(
        pdf_preview.QDesktopServices,
        "openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    preview.preview.open_button.click()
    assert opened == [str(out)]
    if os.environ.get(SHOT_DIR):
        preview.grab().save(str(Path(os.environ[SHOT_DIR]) / "brief-preview.png"))
    preview.close()


def test_cancel_leaves_no_file(qtbot: QtBot, dialog: BriefDialog) -> None:
    out = dialog.out_path()
    dialog.build()
    op = dialog.op
    assert op is not None
    with qtbot.waitSignal(op.cancelled, timeout=60_000):
        assert dialog.progress is not None
        cancel = dialog.progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()
    assert not out.exists()
    assert not list(out.parent.glob(out.name + "*"))
    assert dialog.pack is None and dialog.preview_dialog is None
    assert "no pack was written" in dialog.status.text()
    assert dialog.isVisible() and dialog.build_button.isEnabled()
    assert not [b for b in dialog.findChildren(QMessageBox) if b.objectName() == "error_box"]


def test_a_lowered_marking_is_refused(qtbot: QtBot, dialog: BriefDialog) -> None:
    dialog.marking.setCurrentIndex(dialog.marking.findData("UNCLASSIFIED"))
    dialog.build()
    assert dialog.op is not None
    with qtbot.waitSignal(dialog.op.failed, timeout=60_000):
        pass
    assert dialog.error_box is not None
    assert "cannot be lowered" in dialog.error_box.text()
    assert not dialog.out_path().exists()


def test_screenshot(qtbot: QtBot, qapp: QApplication, dialog: BriefDialog, tmp_path: Path) -> None:
    style.apply(qapp)
    shot = tmp_path / "brief-dialog.png"
    assert dialog.grab().save(str(shot))
    assert shot.stat().st_size > 2_000
    if os.environ.get(SHOT_DIR):
        shutil.copyfile(shot, Path(os.environ[SHOT_DIR]) / shot.name)
