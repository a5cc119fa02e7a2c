"""Start the desktop application: check Qt can load, style it, open the database, show
the window (or, on a first start with no database at all, the welcome screen)."""

from __future__ import annotations

import sys

from app.config import resolve
from app.database import Database, Mode, open_database
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
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from ui import key_prompt, style, workers
    from ui.main_window import MainWindow
    from ui.welcome import WelcomeDialog, show_warnings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    QApplication.setApplicationName("Setu")
    QApplication.setOrganizationName("Setu")
    QApplication.setApplicationDisplayName("Setu")
    style.apply(app)
    key_prompt.install()  # an encrypted database's key is asked for in a dialog

    db: Database | None = None
    warn = True  # the welcome screen has shown the warnings of what it opened
    try:
        resolved = resolve(target)
        first_start = (
            resolved.is_default and resolved.path is not None and not resolved.path.exists()
        )
        if first_start and not read_only:
            assert resolved.path is not None
            welcome = WelcomeDialog(resolved.path.parent)
            if welcome.exec() != QDialog.DialogCode.Accepted or welcome.database is None:
                return 0
            db, warn = welcome.database, False
        else:
            db = open_database(resolved, Mode.WRITE, read_only=read_only)
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

    window = MainWindow(db)
    try:
        window.show()
        for warning in db.warnings:
            print(f"setu: warning: {warning}", file=sys.stderr)
        if warn:
            show_warnings(window, db)
        return app.exec()
    finally:
        # Background work uses the database: stop it before closing (the window may
        # have switched to another database meanwhile).
        workers.cancel_all()
        workers.wait_all()
        window.db.close()
