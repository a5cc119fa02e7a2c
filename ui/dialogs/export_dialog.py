"""File > Export…: a register, every register, or the schedule, for one audience.

The file is written in the background (`ui.workers.Op`) by `app.interchange.export`
or `mspdi_export.export_schedule`, the same functions as `setu export`; what the
audience may not see is left out there. When it is written, the dialog says where and
offers to show the folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.interchange import KINDS, export
from app.interchange.mspdi_export import export_schedule
from app.services import programmes
from app.services.audience import Audience
from ui import workers
from ui.dialogs import output_file
from ui.dialogs.audience_choice import Partner, audience_choice
from ui.dialogs.brief_dialog import documents_folder

ALL, SCHEDULE = "all", "schedule"


def extension(kind: str) -> str:
    return ".xml" if kind == SCHEDULE else ".xlsx"


def default_file_name(code: str, kind: str, day: date) -> str:
    return f"{code}-{kind}-{day.isoformat()}{extension(kind)}"


class ExportDialog(QDialog):
    """What, for whom and where; Export writes the file in the background."""

    def __init__(
        self,
        db: Database,
        programme_id: int,
        partners: Sequence[Partner],
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.db = db
        self.programme_id = programme_id
        found = [p for p in programmes.list_programmes(db) if p.id == programme_id]
        self.code = found[0].code if found else "programme"
        self.setWindowTitle(self.tr("Export — {code}").format(code=self.code))
        self.folder = folder if folder is not None else documents_folder()
        self.op: workers.Op | None = None
        self.written: Path | None = None
        self.error_box: QMessageBox | None = None

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.addItem(self.tr("all registers (one workbook)"), ALL)
        self.kind.addItem(self.tr("schedule (MS Project XML)"), SCHEDULE)
        form.addRow(self.tr("&What:"), self.kind)

        self.audience = audience_choice(partners)
        form.addRow(self.tr("&Audience:"), self.audience)

        out_row = QHBoxLayout()
        self.output = QLineEdit()
        self.output.setObjectName("output")
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("browse")
        browse.clicked.connect(self.choose_file)
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        out_label = QLabel(self.tr("&Save as:"))
        out_label.setBuddy(self.output)
        form.addRow(out_label, out_row)
        self.output_error = output_file.error_label()
        form.addRow("", self.output_error)

        self.status = QLabel()
        self.status.setObjectName("export_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_folder_button = self.buttons.addButton(
            self.tr("Show &folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_folder_button.setObjectName("show_folder")
        self.show_folder_button.setVisible(False)
        self.show_folder_button.clicked.connect(self.show_folder)
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("export_button")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 42)

        self._default = ""
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.output.textChanged.connect(self._check_output)
        self._kind_changed()

    # Inputs -----------------------------------------------------------------------------

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())

    def out_path(self) -> Path:
        return output_file.chosen_path(self.output)

    def _kind_changed(self, _index: int = 0) -> None:
        """A new default file name, unless the user typed or chose one of their own."""
        kind = self.chosen_kind()
        current = self.output.text().strip()
        if not current or current == self._default:
            name = default_file_name(self.code, kind, date.today())
            self._default = str(self.folder / name)
            self.output.setText(self._default)
        elif self._output_problem():  # keep their folder and name, fix the extension
            path = self.out_path()
            self.output.setText(str(path.with_suffix(extension(kind))))
        self._check_output()

    def _output_problem(self) -> str:
        text = self.output.text().strip()
        if not text:
            return self.tr("Choose where to save the file.")
        path = self.out_path()
        suffix, kind = path.suffix.lower(), self.chosen_kind()
        if kind == SCHEDULE and suffix != ".xml":
            return self.tr("The schedule is MS Project XML: the file name must end in .xml.")
        if kind == ALL and suffix != ".xlsx":
            return self.tr("All registers go into one workbook: the name must end in .xlsx.")
        if kind not in (ALL, SCHEDULE) and suffix not in (".xlsx", ".csv"):
            return self.tr("A register is written as .xlsx or .csv.")
        return output_file.place_problem(path)

    def _check_output(self) -> bool:
        problem = self._output_problem()
        output_file.show_problem(self.output, self.output_error, problem)
        self.export_button.setEnabled(not problem and self.op is None)
        return not problem

    def choose_file(self) -> None:
        kind = self.chosen_kind()
        if kind == SCHEDULE:
            pattern = self.tr("MS Project XML (*.xml)")
        elif kind == ALL:
            pattern = self.tr("Excel workbooks (*.xlsx)")
        else:
            pattern = self.tr("Excel workbooks (*.xlsx);;CSV files (*.csv)")
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), str(self.out_path()), pattern
        )
        if chosen:
            if Path(chosen).suffix.lower() not in (".xml", ".xlsx", ".csv"):
                chosen += extension(kind)
            self.output.setText(chosen)

    # Work -------------------------------------------------------------------------------

    def start_export(self) -> workers.Op | None:
        if self.op is not None or not self._check_output():
            return None
        out = self.out_path()
        if out.exists():
            answer = QMessageBox.question(
                self,
                self.tr("Replace the file?"),
                self.tr("{name} already exists. Replace it?").format(name=out.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        db, programme_id, kind = self.db, self.programme_id, self.chosen_kind()
        audience = str(self.audience.currentData())

        def work(_progress: workers.Progress, _cancel: object) -> Path:
            if kind == SCHEDULE:
                return export_schedule(db, programme_id, out, Audience.parse(audience))
            return export(db, kind, out, programme_id, audience)

        op = workers.Op(self, work)
        self.op = op
        self.export_button.setEnabled(False)
        self.show_folder_button.setVisible(False)
        self.status.setText(self.tr("Writing {name}…").format(name=out.name))
        self.status.setVisible(True)
        op.succeeded.connect(self._exported)
        op.failed.connect(self._failed)
        op.finished.connect(self._finished)
        op.start()
        return op

    def _exported(self, path: Path) -> None:
        self.written = Path(path)
        self.status.setText(self.tr("Written: {path}").format(path=str(self.written)))
        self.show_folder_button.setVisible(True)

    def _failed(self, error: object) -> None:
        self.status.setText(self.tr("Nothing was written."))
        self.error_box = workers.show_error(self, error, self.tr("The export was not written"))

    def _finished(self) -> None:
        self.op = None
        self._check_output()

    def show_folder(self) -> bool:
        if self.written is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written.parent)))

    def reject(self) -> None:
        """Close, unless the file is still being written."""
        if self.op is not None and self.op.running:
            return
        super().reject()
