"""A briefing pack's preview: the pages in-app when Qt's PDF module is installed, and
always "Open in system viewer".

QtPdf and QtPdfWidgets ship in PySide6-Addons, not in PySide6-Essentials (Setu's
dependency). Without them the preview says so, shows what was written (file, pages,
marking, size) and offers the system's PDF viewer; Print… needs QtPdf to draw the
pages, so it is shown only when both QtPdf and QtPrintSupport load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

try:  # PySide6-Addons
    from PySide6.QtPdf import QPdfDocument  # type: ignore[import-not-found, unused-ignore]
    from PySide6.QtPdfWidgets import QPdfView  # type: ignore[import-not-found, unused-ignore]

    HAVE_QTPDF = True
except ImportError:  # PySide6-Essentials only
    HAVE_QTPDF = False

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    HAVE_PRINT = True
except ImportError:
    HAVE_PRINT = False

CAN_PRINT = HAVE_QTPDF and HAVE_PRINT


def open_in_system_viewer(path: Path) -> bool:
    """Hand the file to the desktop's PDF viewer (no network: a local file URL)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


class PdfPreview(QWidget):
    """The pages (with QtPdf) or a summary of the file, with Print… and Open."""

    opened = Signal(str)  # the path handed to the system viewer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.path: Path | None = None
        self.document: Any = None
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("preview_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        if HAVE_QTPDF:
            self.document = QPdfDocument(self)
            self.view: Any = QPdfView(self)
            self.view.setDocument(self.document)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.view.setMinimumHeight(self.fontMetrics().height() * 30)
            layout.addWidget(self.view, 1)
        else:
            self.view = QLabel(
                self.tr(
                    "The in-app preview needs Qt's PDF module (QtPdf), which this "
                    "installation of PySide6 does not include (PySide6-Essentials). "
                    "The pack is saved: open it in the system's PDF viewer to read or "
                    "print it."
                )
            )
            self.view.setObjectName("preview_unavailable")
            self.view.setWordWrap(True)
            self.view.setProperty("role", "muted")
            self.view.setFrameShape(QFrame.Shape.StyledPanel)
            self.view.setMargin(self.fontMetrics().height())
            layout.addWidget(self.view)
            layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("print_button")
        self.print_button.clicked.connect(self.print_pack)
        self.print_button.setVisible(CAN_PRINT)
        self.open_button = QPushButton(self.tr("Open in system viewer"))
        self.open_button.setObjectName("open_button")
        self.open_button.clicked.connect(self.open_externally)
        self.open_button.setDefault(True)
        self.folder_button = QPushButton(self.tr("Show folder"))
        self.folder_button.setObjectName("folder_button")
        self.folder_button.clicked.connect(self.open_folder)
        for button in (self.print_button, self.folder_button, self.open_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def set_file(self, path: Path, pages: int, marking: str) -> None:
        self.path = path
        size = QLocale().formattedDataSize(path.stat().st_size) if path.exists() else "?"
        self.summary.setText(
            self.tr("{file}\n{pages} pages, marked {marking}, {size}").format(
                file=str(path), pages=pages, marking=marking, size=size
            )
        )
        if self.document is not None:
            self.document.load(str(path))

    def open_externally(self) -> None:
        if self.path is None:
            return
        if open_in_system_viewer(self.path):
            self.opened.emit(str(self.path))
        else:
            QMessageBox.information(
                self,
                self.tr("Setu"),
                self.tr("No PDF viewer is set up on this computer. The pack is at:\n{path}").format(
                    path=str(self.path)
                ),
            )

    def open_folder(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))

    def print_pack(self) -> None:
        """Print every page as an image at the printer's resolution (needs QtPdf)."""
        if not CAN_PRINT or self.document is None:
            return
        from PySide6.QtCore import QSize
        from PySide6.QtGui import QPainter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter()
        if not painter.begin(printer):
            return
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                image = self.document.render(page, QSize(target.width(), target.height()))
                painter.drawImage(target, image)
        finally:
            painter.end()


class PreviewDialog(QDialog):
    """The preview in a window of its own, after a pack was built."""

    def __init__(self, path: Path, pages: int, marking: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview_dialog")
        self.setWindowTitle(self.tr("Briefing pack — {name}").format(name=path.name))
        layout = QVBoxLayout(self)
        self.preview = PdfPreview(self)
        self.preview.set_file(path, pages, marking)
        layout.addWidget(self.preview, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        line = self.fontMetrics().height()
        self.resize(line * (50 if HAVE_QTPDF else 36), line * (40 if HAVE_QTPDF else 14))
