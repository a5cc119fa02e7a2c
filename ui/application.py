"""Start the desktop application: check Qt can load, open the database, show the window."""

from __future__ import annotations

import sys

from app.config import resolve
from app.database import Mode, open_database
from app.errors import SetuError
from ui import system_libs


def main(target: str | None, read_only: bool = False) -> int:
    """Run the GUI on `target` (as `--db` takes it); returns the process exit code."""
    # Without the xcb libraries Qt aborts the whole process; say what to install instead.
    if system_libs.xcb_expected():
        packages = system_libs.missing()
        if packages:
            print(system_libs.message(packages), file=sys.stderr)
            return system_libs.EXIT_MISSING

    # Imported here so the check above runs even when Qt itself cannot load.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    QApplication.setApplicationName("Setu")
    QApplication.setOrganizationName("Setu")
    QApplication.setApplicationDisplayName("Setu")

    try:
        db = open_database(resolve(target), Mode.WRITE, read_only=read_only)
    except SetuError as exc:
        print(f"setu: error: {exc}", file=sys.stderr)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QApplication.translate("Application", "Setu"),
            QApplication.translate(
                "Application", "Setu cannot open the database.\n\n{error}"
            ).format(error=exc),
        )
        # Plain text: a file name or driver message must never be read as HTML.
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return exc.exit_code

    try:
        window = MainWindow(db)
        window.show()
        for warning in db.warnings:
            print(f"setu: warning: {warning}", file=sys.stderr)
            QMessageBox.warning(window, QApplication.translate("Application", "Setu"), warning)
        return app.exec()
    finally:
        db.close()
