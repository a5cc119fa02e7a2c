"""What the main window's File menu does: databases (new, open, demo, save a copy) and
what goes in and out of them (import, export, the briefing pack).

The dialogs and the backup are imported when first used: the briefing pack's dialog
brings in ReportLab and QtPdf, import and export bring openpyxl's readers and writers,
and none of that is needed to paint the window.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.services import programmes
from ui import welcome, workers

if TYPE_CHECKING:
    from app.backup import BackupResult
    from ui.dialogs.brief_dialog import BriefDialog
    from ui.dialogs.export_dialog import ExportDialog
    from ui.dialogs.import_dialog import ImportDialog
    from ui.main_window import MainWindow


class FileActions(QObject):
    """The File menu's work for `window`, on whichever database it has open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.brief_dialog: BriefDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None

    def _folder(self) -> Path:
        path = self.window.db.target.path
        return path.parent if path is not None else Path.home()

    # Databases --------------------------------------------------------------------------

    def new_database(self) -> None:
        path = welcome.ask_new_path(self.window, self._folder())
        if path is not None:
            db = welcome.create_file(self.window, path)
            if db is not None:
                self.window.set_database(db)

    def open_database(self) -> None:
        path = welcome.ask_open_path(self.window, self._folder())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open another database in the window; on refusal the current one stays open."""
        current = self.window.db.target.path
        if current is not None and path.absolute() == current:
            self.window.statusBar().showMessage(self.tr("This database is already open."), 5000)
            return True
        db = welcome.open_file(self.window, path)
        if db is None:
            return False
        self.window.set_database(db)
        return True

    def open_demo(self) -> None:
        welcome.open_demo(self.window, welcome.data_folder(), self.window.set_database)

    def backup_database(self) -> None:
        from ui.dialogs.brief_dialog import documents_folder

        path = self.window.db.target.path
        if path is None:
            return
        suggested = documents_folder() / f"{path.stem}-backup-{date.today().isoformat()}.db"
        chosen, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Save a copy of the database"),
            str(suggested),
            self.tr("Setu databases (*.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.backup_to(Path(chosen))

    def backup_to(self, out: Path) -> workers.Op:
        """Copy the database to `out` in the background; say where and how it is marked."""
        from app import backup

        target = self.window.db.target
        op = workers.Op(self, lambda _p, _c: backup.backup(target, out))
        op.succeeded.connect(self._backed_up)
        op.failed.connect(lambda error: workers.show_error(self.window, error, self.tr("Backup")))
        self.window.statusBar().showMessage(self.tr("Copying the database…"))
        op.start()
        return op

    def _backed_up(self, result: BackupResult) -> None:
        self.window.statusBar().showMessage(
            self.tr("Backup written: {path}").format(path=result.path)
        )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Backup"),
            self.tr(
                "The copy is written:\n{path}\n\nIts highest marking is {marking}: store "
                "and handle it as such.\nAudit chain head (also in {head}):\n{chain}"
            ).format(
                path=result.path,
                marking=result.marking,
                head=result.head_file.name,
                chain=result.head,
            ),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("backup_box")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # In and out -------------------------------------------------------------------------

    def brief(self) -> BriefDialog | None:
        from ui.dialogs.brief_dialog import BriefDialog

        programme = self.window.current_programme()
        if programme is None:
            return None
        dialog = BriefDialog(self.window.db, programme, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.brief_dialog = dialog
        dialog.open()
        return dialog

    def import_file(self) -> ImportDialog | None:
        from ui.dialogs.import_dialog import ImportDialog

        programme_id = self.window.current_programme_id()
        if programme_id == -1:
            return None
        dialog = ImportDialog(self.window.db, programme_id, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Any page may hold imported records.
        dialog.changed.connect(lambda: self.window.data_changed(None))
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def export_file(self) -> ExportDialog | None:
        from ui.dialogs.export_dialog import ExportDialog

        programme_id = self.window.current_programme_id()
        if programme_id == -1:
            return None
        partners = programmes.partners(self.window.db, programme_id)
        dialog = ExportDialog(self.window.db, programme_id, partners, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog = dialog
        dialog.open()
        return dialog
