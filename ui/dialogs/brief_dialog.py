"""Brief…: choose the audience, marking and comparison, then build the pack in the background.

The pack is made by `app.reporting.pack.build_pack`, the same function as `setu brief`,
in a worker thread (`ui.workers.Op`): a progress dialog with Cancel shows how far it
is, the window stays responsive, and a cancelled pack leaves neither a file nor a
snapshot. When it is written, a preview opens (ui.widgets.pdf_preview).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
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
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.reporting.collect import BriefRequest
from app.reporting.pack import PackResult, build_pack
from app.services import programmes, settings
from app.services.programmes import ProgrammeRow
from ui import style, workers
from ui.dialogs import output_file
from ui.dialogs.audience_choice import audience_choice
from ui.widgets.pdf_preview import PreviewDialog

LATEST, NONE, CHOSEN = "latest", "none", "chosen"


def documents_folder() -> Path:
    """The user's Documents folder (or home, where there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def default_file_name(code: str, day: date) -> str:
    return f"{code}-brief-{day.isoformat()}.pdf"


class BriefDialog(QDialog):
    """Settings of one pack; Build runs it in the background with a progress dialog."""

    built = Signal(object)  # PackResult, once the file is written

    def __init__(
        self,
        db: Database,
        programme: ProgrammeRow,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("brief_dialog")
        self.setWindowTitle(self.tr("Briefing pack — {code}").format(code=programme.code))
        self.db = db
        self.programme = programme
        self.op: workers.Op | None = None
        self.progress: QProgressDialog | None = None
        self.pack: PackResult | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.error_box: QMessageBox | None = None
        self._out_existed = False

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.audience = audience_choice(programmes.partners(db, programme.id))
        form.addRow(self.tr("&Audience:"), self.audience)

        self.marking = QComboBox()
        self.marking.setObjectName("marking")
        self.marking.addItem(self.tr("As the pack's contents (the highest marking it shows)"), None)
        for name in settings.get(db, "marking_scale").value:
            self.marking.addItem(str(name), str(name))
        self.marking.setToolTip(
            self.tr("A marking may raise the pack's marking, never lower it below its contents.")
        )
        form.addRow(self.tr("&Marking:"), self.marking)

        since_row = QHBoxLayout()
        self.since = QComboBox()
        self.since.setObjectName("since")
        self.since.addItem(self.tr("The previous pack for this audience"), LATEST)
        self.since.addItem(self.tr("Nothing: leave out “changes since”"), NONE)
        self.since.addItem(self.tr("A chosen snapshot:"), CHOSEN)
        self.snapshot = QSpinBox()
        self.snapshot.setObjectName("snapshot")
        self.snapshot.setRange(1, 2**31 - 1)
        self.snapshot.setPrefix(self.tr("no. "))
        self.snapshot.setEnabled(False)
        self.since.currentIndexChanged.connect(
            lambda _i: self.snapshot.setEnabled(self.since.currentData() == CHOSEN)
        )
        since_row.addWidget(self.since, 1)
        since_row.addWidget(self.snapshot)
        since_label = QLabel(self.tr("&Changes since:"))
        since_label.setBuddy(self.since)
        form.addRow(since_label, since_row)

        out_row = QHBoxLayout()
        self.output = QLineEdit()
        self.output.setObjectName("output")
        folder = folder if folder is not None else documents_folder()
        self.output.setText(str(folder / default_file_name(programme.code, date.today())))
        self.output.textChanged.connect(self._check_output)
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

        note = QLabel(
            self.tr(
                "The pack is made from the database as it is now and recorded as a "
                "snapshot, so the next pack can say what changed. It is built in the "
                "background: you can keep working."
            )
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        self.status = QLabel()
        self.status.setObjectName("brief_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.build_button = self.buttons.addButton(
            self.tr("&Build pack"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.build_button.setObjectName("build_button")
        self.build_button.setIcon(style.icon("brief"))
        self.build_button.setDefault(True)
        self.buttons.accepted.connect(self.build)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 42)
        self._check_output()

    # Inputs -----------------------------------------------------------------------------

    def request(self) -> BriefRequest:
        since = self.since.currentData()
        return BriefRequest(
            programme=self.programme.code,
            audience=str(self.audience.currentData()),
            marking=self.marking.currentData(),
            since=str(self.snapshot.value()) if since == CHOSEN else str(since),
        )

    def out_path(self) -> Path:
        return output_file.chosen_path(self.output)

    def _output_problem(self) -> str:
        text = self.output.text().strip()
        if not text:
            return self.tr("Choose where to save the pack.")
        path = self.out_path()
        if path.suffix.lower() != ".pdf":
            return self.tr("The pack is a PDF: the file name must end in .pdf.")
        return output_file.place_problem(path)

    def _check_output(self) -> bool:
        problem = self._output_problem()
        output_file.show_problem(self.output, self.output_error, problem)
        self.build_button.setEnabled(not problem and self.op is None)
        return not problem

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the briefing pack as"),
            str(self.out_path()),
            self.tr("PDF files (*.pdf)"),
        )
        if chosen:
            if not chosen.lower().endswith(".pdf"):
                chosen += ".pdf"
            self.output.setText(chosen)

    # Building ---------------------------------------------------------------------------

    def build(self) -> None:
        """Start building in the background (asks first before replacing a file)."""
        if self.op is not None or not self._check_output():
            return
        out = self.out_path()
        self._out_existed = out.exists()
        if self._out_existed:
            answer = QMessageBox.question(
                self,
                self.tr("Replace the file?"),
                self.tr("{name} already exists. Replace it with the new pack?").format(
                    name=out.name
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.start(out)

    def start(self, out: Path) -> workers.Op:
        """Build the pack into `out` in a worker; the dialog shows progress."""
        db, request = self.db, self.request()
        op = workers.Op(
            self,
            lambda progress, cancel: build_pack(db, request, out, progress=progress, cancel=cancel),
        )
        self.op = op
        self.status.setVisible(False)
        self.build_button.setEnabled(False)
        progress = QProgressDialog(
            self.tr("Building the briefing pack…"), self.tr("Cancel"), 0, 0, self
        )
        progress.setObjectName("brief_progress")
        progress.setWindowTitle(self.tr("Briefing pack"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(0)
        progress.canceled.connect(self.cancel)
        self.progress = progress
        op.progressed.connect(self._progressed)
        op.succeeded.connect(self._succeeded)
        op.failed.connect(self._failed)
        op.cancelled.connect(self._cancelled)
        op.finished.connect(self._finished)
        progress.show()
        op.start()
        return op

    def cancel(self) -> None:
        """Ask the worker to stop; it stops at its next check and writes nothing."""
        if self.op is not None and self.op.running:
            self.op.cancel.set()
            if self.progress is not None:
                self.progress.setLabelText(self.tr("Cancelling…"))

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total))

    def _succeeded(self, result: PackResult) -> None:
        self.pack = result
        self.built.emit(result)
        owner = self.parentWidget() or self
        self.preview_dialog = PreviewDialog(result.path, result.pages, result.marking, owner)
        self.preview_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog.show()
        self.accept()

    def _failed(self, error: object) -> None:
        self.error_box = workers.show_error(
            self, error, self.tr("The briefing pack was not written")
        )

    def _cancelled(self) -> None:
        out = self.out_path()
        # The renderer writes nothing when cancelled; should a partial file remain,
        # remove it, but never a file that was there before the user pressed Build.
        if not self._out_existed and out.exists():
            out.unlink(missing_ok=True)
        self.status.setText(self.tr("Cancelled: no pack was written."))
        self.status.setVisible(True)

    def _finished(self) -> None:
        self.op = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.build_button.setEnabled(self._output_problem() == "")

    def reject(self) -> None:
        """Close; a pack still being built is cancelled first."""
        if self.op is not None and self.op.running:
            self.cancel()  # the dialog stays until the worker has stopped
            return
        super().reject()
