"""File > Import…: a register from .xlsx/.csv, or a schedule from MS Project XML.

Choosing a file runs a dry run in the background (`ui.workers.Op`): the preview shows
how many records would be created, updated and left unchanged, and every bad row with
its sheet, its row number as the spreadsheet shows it, the column and the reason. The
Import button is enabled only when the dry run found no problems; the import itself is
all or nothing (`app.interchange.import_file` / `mspdi.import_schedule`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.errors import UsageError
from app.interchange import KINDS, ImportRejected, ImportReport, import_file
from app.interchange.columns import parse_mapping
from app.interchange.mspdi import ScheduleRejected, ScheduleReport, import_schedule
from ui import workers

SCHEDULE = "schedule"


@dataclass(frozen=True)
class Outcome:
    """A dry run's or an import's result, the same for a register and a schedule."""

    created: int
    updated: int
    unchanged: int
    problems: list[tuple[str, str, str, str]]  # sheet, row, column, reason
    notes: list[str]

    @classmethod
    def of(cls, report: ImportReport | ScheduleReport) -> Outcome:
        if isinstance(report, ImportReport):
            problems = [(p.sheet, str(p.row), p.column, p.reason) for p in report.problems]
            return cls(report.created, report.updated, report.unchanged, problems, [])
        return cls(
            report.workstreams_created + report.milestones_created,
            report.workstreams_updated + report.milestones_updated,
            report.unchanged,
            [("", f"UID {p.uid}", p.name, p.reason) for p in report.problems],
            list(report.notes),
        )


def split_mapping(text: str) -> dict[str, str]:
    """`"Risk Description=cause; Notes="` as the importer's mapping (UsageError if bad)."""
    return parse_mapping(item for item in text.split(";") if item.strip())


class ImportDialog(QDialog):
    """Kind, file and column mapping; a previewed dry run; then the real import."""

    changed = Signal()  # records were imported: pages reload

    def __init__(self, db: Database, programme_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle(self.tr("Import"))
        self.db = db
        self.programme_id = programme_id
        self.op: workers.Op | None = None
        self.outcome: Outcome | None = None
        self.result_box: QMessageBox | None = None
        self.error_box: QMessageBox | None = None

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.addItem(self.tr("schedule (MS Project XML)"), SCHEDULE)
        self.kind.setCurrentIndex(KINDS.index("risks") if "risks" in KINDS else 0)
        form.addRow(self.tr("&What:"), self.kind)

        file_row = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setObjectName("file")
        self.file.setPlaceholderText(self.tr("A .xlsx or .csv file"))
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("browse")
        browse.clicked.connect(self.choose_file)
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(self.file)
        form.addRow(file_label, file_row)

        self.mapping = QLineEdit()
        self.mapping.setObjectName("mapping")
        self.mapping.setPlaceholderText(self.tr("optional: COLUMN=FIELD; COLUMN=FIELD"))
        self.mapping.setToolTip(
            self.tr(
                "Which sheet column holds which field, when the names do not say so, "
                "e.g. “Risk Description=cause; Notes=” (an empty field ignores the column)."
            )
        )
        form.addRow(self.tr("Column &mapping:"), self.mapping)

        self.preview_button = QPushButton(self.tr("&Check file"))
        self.preview_button.setObjectName("preview_button")
        self.preview_button.clicked.connect(self.preview)
        check_row = QHBoxLayout()
        check_row.addWidget(self.preview_button)
        check_row.addStretch(1)
        form.addRow("", check_row)

        self.summary = QLabel(self.tr("Choose a file: it is checked before anything is written."))
        self.summary.setObjectName("import_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)

        self.problems = QTableWidget(0, 4)
        self.problems.setObjectName("problems")
        self.problems.setHorizontalHeaderLabels(
            [self.tr("Sheet"), self.tr("Row"), self.tr("Column"), self.tr("Reason")]
        )
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.setWordWrap(True)
        header = self.problems.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problems.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("import_button")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.setMinimumWidth(em * 48)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.file.textChanged.connect(self._inputs_changed)
        self.mapping.textChanged.connect(self._inputs_changed)
        self._kind_changed()

    # Inputs -----------------------------------------------------------------------------

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())

    def path(self) -> Path:
        return Path(self.file.text().strip()).expanduser()

    def _kind_changed(self, _index: int = 0) -> None:
        schedule = self.chosen_kind() == SCHEDULE
        self.mapping.setEnabled(not schedule)
        self.file.setPlaceholderText(
            self.tr("An MS Project XML file (.xml)")
            if schedule
            else self.tr("A .xlsx or .csv file")
        )
        self._inputs_changed()

    def _inputs_changed(self) -> None:
        """Anything the preview depended on changed: it no longer holds."""
        self.outcome = None
        self.import_button.setEnabled(False)
        self.problems.setRowCount(0)
        self.problems.setVisible(False)
        self.preview_button.setEnabled(bool(self.file.text().strip()) and self.op is None)
        self.summary.setText(self.tr("Choose a file: it is checked before anything is written."))

    def choose_file(self) -> None:
        if self.chosen_kind() == SCHEDULE:
            pattern = self.tr("MS Project XML (*.xml)")
        else:
            pattern = self.tr("Spreadsheets (*.xlsx *.csv)")
        start = str(self.path().parent) if self.file.text().strip() else ""
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Import from"), start, pattern)
        if chosen:
            self.file.setText(chosen)
            self.preview()

    def _problem(self) -> str:
        """Why the inputs cannot be checked yet, or ''."""
        text = self.file.text().strip()
        if not text:
            return self.tr("Choose a file to import.")
        path = self.path()
        if not path.is_file():
            return self.tr("There is no such file: {path}").format(path=str(path))
        suffix = path.suffix.lower()
        if self.chosen_kind() == SCHEDULE:
            if suffix != ".xml":
                return self.tr("A schedule is an MS Project XML file ending in .xml.")
        elif suffix not in (".xlsx", ".csv"):
            return self.tr("A register is read from an .xlsx or .csv file.")
        if self.chosen_kind() != SCHEDULE:
            try:
                split_mapping(self.mapping.text())
            except UsageError as exc:
                return self.tr("Column mapping: {what}").format(what=exc.what)
        return ""

    # Work -------------------------------------------------------------------------------

    def preview(self) -> workers.Op | None:
        """Run the dry run in the background; the preview shows what it found."""
        if self.op is not None:
            return None
        problem = self._problem()
        if problem:
            self._inputs_changed()
            self.summary.setText(problem)
            return None
        self.summary.setText(self.tr("Checking {name}…").format(name=self.path().name))
        return self._start(dry_run=True)

    def run_import(self) -> workers.Op | None:
        """The real import, all or nothing, once the preview found no problems."""
        if self.op is not None or self.outcome is None or self.outcome.problems:
            return None
        self.summary.setText(self.tr("Importing {name}…").format(name=self.path().name))
        return self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> workers.Op:
        db, programme_id, kind, path = self.db, self.programme_id, self.chosen_kind(), self.path()
        mapping = split_mapping(self.mapping.text()) if kind != SCHEDULE else {}

        def work(_progress: workers.Progress, _cancel: object) -> Outcome:
            if kind == SCHEDULE:
                return Outcome.of(import_schedule(db, path, programme_id, dry_run=dry_run))
            report = import_file(db, kind, path, programme_id, dry_run=dry_run, mapping=mapping)
            return Outcome.of(report)

        op = workers.Op(self, work)
        self.op = op
        self._set_busy(True)
        op.succeeded.connect(self._previewed if dry_run else self._imported)
        op.failed.connect(self._failed)
        op.finished.connect(self._finished)
        op.start()
        return op

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.kind, self.file, self.mapping, self.preview_button):
            widget.setEnabled(not busy)
        if not busy:
            self.mapping.setEnabled(self.chosen_kind() != SCHEDULE)
        self.import_button.setEnabled(
            not busy and self.outcome is not None and not self.outcome.problems
        )

    def _counts(self, outcome: Outcome) -> str:
        return self.tr("{created} created, {updated} updated, {unchanged} unchanged").format(
            created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged
        )

    def _show(self, outcome: Outcome) -> None:
        self.problems.setRowCount(len(outcome.problems))
        for row, values in enumerate(outcome.problems):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 1:
                    align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    item.setTextAlignment(align)
                self.problems.setItem(row, column, item)
        self.problems.resizeRowsToContents()
        self.problems.setVisible(bool(outcome.problems))

    def _previewed(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self._show(outcome)
        lines = [
            self.tr("Checked, nothing written yet. Would be {counts}.").format(
                counts=self._counts(outcome)
            )
        ]
        if outcome.problems:
            rows = len({(p[0], p[1]) for p in outcome.problems})
            lines.append(
                self.tr(
                    "{count} problem(s) in {rows} row(s): fix them in the file and check "
                    "it again. Nothing is imported while any row is bad."
                ).format(count=len(outcome.problems), rows=rows)
            )
        else:
            lines.append(self.tr("No problems: press Import to write these records."))
        lines.extend(outcome.notes)
        self.summary.setText("\n".join(lines))

    def _imported(self, outcome: Outcome) -> None:
        self.changed.emit()
        owner = self.parentWidget() or self
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Import"),
            self.tr("Imported {name}: {counts}.").format(
                name=self.path().name, counts=self._counts(outcome)
            ),
            QMessageBox.StandardButton.Ok,
            owner,
        )
        box.setObjectName("import_result")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.result_box = box
        self.accept()

    def _failed(self, error: object) -> None:
        report = getattr(error, "report", None)
        if isinstance(error, ImportRejected | ScheduleRejected) and report is not None:
            # The database changed since the preview: show what is wrong now.
            self._previewed(Outcome.of(report))
            self.summary.setText(self.tr("Nothing was imported.") + "\n" + self.summary.text())
            return
        self.outcome = None
        self.summary.setText(workers.describe(error))
        self.error_box = workers.show_error(self, error, self.tr("Nothing was imported"))

    def _finished(self) -> None:
        self.op = None
        self._set_busy(False)

    def reject(self) -> None:
        """Close, unless the import is still running (it is all or nothing anyway)."""
        if self.op is not None and self.op.running:
            return
        super().reject()
