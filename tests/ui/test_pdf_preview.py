"""The pack preview shows the PDF's pages inside the application (QtPdf)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from ui.widgets.pdf_preview import CAN_PRINT, HAVE_QTPDF, PdfPreview


def a_pdf(path: Path, pages: int) -> Path:
    canvas = Canvas(str(path))
    for n in range(1, pages + 1):
        canvas.drawString(72, 720, f"Page {n} of {pages}")
        canvas.showPage()
    canvas.save()
    return path


def test_preview_loads_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    assert HAVE_QTPDF and CAN_PRINT  # the Add-ons are a dependency: no fallback expected
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.set_file(a_pdf(tmp_path / "pack.pdf", 3), 3, "RESTRICTED")
    qtbot.waitUntil(lambda: preview.document.pageCount() == 3)
    assert "3 pages, marked RESTRICTED" in preview.summary.text()
    assert not preview.print_button.isHidden()
    preview.resize(600, 800)
    preview.show()
    qtbot.waitExposed(preview)
    image = preview.grab()
    image.save(str(tmp_path / "preview.png"))
    assert not image.isNull() and image.width() == 600
