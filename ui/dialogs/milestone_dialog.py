"""The milestone dialog: its fields, formal re-baselining, and its forecast and baseline history.

A new milestone's baseline date is entered like any field (the one time it is set
without re-baselining). An existing milestone shows its baseline read-only with a
"Re-baseline…" button: the new date, the reason, the approving authority and the
approval date, all required, recorded by `milestones.rebaseline` as one undoable step
(`rebaseline_dialog`; see `milestone_ops` for what undoing it records).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.errors import SetuError
from app.services import milestones, programmes, register_labels, settings
from app.services.milestones import MilestoneRow
from app.services.register_labels import WorkstreamTitle
from app.services.validation import TEXT_MAX, TITLE_MAX, Checker
from ui.dialogs.fields import DateField, PickerField, TextField
from ui.dialogs.milestone_ops import (
    MilestoneForm,
    milestone_ops,
)
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.rebaseline_dialog import RebaselineDialog
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.schedule_fields import (
    SpinField,
    add_filler,
    fill_table,
    read_only_table,
    top_aligned,
)

WEIGHT_MAX = 1_000_000


def slip_text(days: int) -> str:
    """Slip in days with its sign, so "late" and "early" read without colour."""
    return f"+{days}" if days > 0 else ("0" if days == 0 else f"\u2212{-days}")


class MilestoneDialog(RecordDialog):
    """Add or edit a milestone; an existing one can be re-baselined and shows its history."""

    draft_type = MilestoneForm

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: MilestoneRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
        workstream_id: int | None = None,
    ) -> None:
        self.db = db
        self.programme_id = programme_id
        self.first_workstream = workstream_id
        self.rebaseline_dialog: RebaselineDialog | None = None
        self.scale = list(settings.get(db, "marking_scale").value)
        self.nations = [(p.nation, p.name) for p in programmes.partners(db, programme_id)]
        self.workstreams: dict[int, WorkstreamTitle] = {
            w.id: w for w in register_labels.workstream_titles(db, programme_id)
        }
        if workstream_id is None and len(self.workstreams) == 1:
            self.first_workstream = next(iter(self.workstreams))
        super().__init__(milestone_ops(db), row, undo_stack=undo_stack, parent=parent)
        if row is None:
            self.setWindowTitle(self.tr("Add a milestone"))
        else:
            self.setWindowTitle(self.tr("Milestone {title}").format(title=row.title))
        self.resize(760, 620)
        self.on_edited()

    # RecordDialog hooks -------------------------------------------------------------

    def check(self, draft: Any) -> Checker:
        form: MilestoneForm = draft
        check = milestones.check_milestone(form.new() if self.row is None else form.edit())
        if form.workstream_id is None:
            check.add("workstream_id", "must be chosen")
        return check

    def defaults(self) -> dict[str, Any]:
        today = date.today()
        values: dict[str, Any] = {
            "workstream_id": self.first_workstream,
            "title": "",
            "baseline_date": today,
            "forecast_date": today,
            "acceptance_criteria": "",
            "actual_date": None,
            "value_weight": 1,
            "marking": 0,
            "releasable_to": None,
        }
        return {**values, **self._protection_of(self.first_workstream)}

    def _protection_of(self, workstream_id: int | None) -> dict[str, Any]:
        """A new milestone is protected like its workstream unless the user says otherwise."""
        workstream = self.workstreams.get(workstream_id) if workstream_id is not None else None
        if workstream is None:
            return {}
        return {"marking": workstream.marking, "releasable_to": workstream.releasable_to}

    def _workstream_text(self, workstream_id: int | None) -> str:
        workstream = self.workstreams.get(workstream_id) if workstream_id is not None else None
        if workstream is None:
            return "" if workstream_id is None else str(workstream_id)
        return workstream.label

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("&Milestone"))
        if self.row is None:
            picker = PickerField(
                "workstream_id",
                tr("&Workstream"),
                [(w.id, self._workstream_text(w.id)) for w in self.workstreams.values()],
                none_text=tr("(choose a workstream)"),
            )
            picker.edited.connect(self._workstream_chosen)
            self.add_field(form, picker)
        else:
            workstream = QLabel(self._workstream_text(self.row.workstream_id))
            workstream.setObjectName("workstream_label")
            workstream.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(tr("Workstream"), workstream)
        self.add_field(form, TextField("title", tr("&Title"), max_len=TITLE_MAX))
        self.add_field(
            form,
            top_aligned(
                TextField(
                    "acceptance_criteria",
                    tr("A&cceptance criteria"),
                    max_len=TEXT_MAX,
                    multiline=True,
                    placeholder=tr("What must be shown, and who signs it off"),
                )
            ),
        )
        if self.row is None:
            baseline = DateField("baseline_date", tr("&Baseline date"))
            note = QLabel(tr("the agreed date; later changed only by re-baselining"))
            note.setObjectName("baseline_note")
            note.setProperty("role", "muted")
            baseline.row.insertWidget(baseline.row.count() - 1, note)  # before the stretch
            self.add_field(form, baseline)
        else:
            form.addRow(tr("Baseline date"), self._baseline_row())
        self.add_field(form, DateField("forecast_date", tr("&Forecast date")))
        self.add_field(form, DateField("actual_date", tr("&Actual date"), nullable=True))
        self.slip = QLabel()
        self.slip.setObjectName("slip")
        form.addRow(tr("Slip"), self.slip)
        self.add_field(
            form,
            SpinField(
                "value_weight",
                tr("&Value weight"),
                0,
                WEIGHT_MAX,
                hint=tr("relative to the workstream's other milestones"),
            ),
        )
        self.add_field(form, ProtectionField(self.scale, self.nations))
        add_filler(form)
        if self.row is not None:
            self._build_history()

    def _baseline_row(self) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.baseline_label = QLabel()
        self.baseline_label.setObjectName("baseline_label")
        self.baseline_label.setToolTip(self.tr("The agreed date: changed only by re-baselining"))
        font = self.baseline_label.font()
        font.setBold(True)
        self.baseline_label.setFont(font)
        self.rebaseline_button = QPushButton(self.tr("Re-&baseline…"))
        self.rebaseline_button.setObjectName("rebaseline_button")
        self.rebaseline_button.setToolTip(
            self.tr("Record a formally approved change of the baseline date")
        )
        self.rebaseline_button.setEnabled(not self.db.read_only)
        self.rebaseline_button.clicked.connect(self.rebaseline)
        layout.addWidget(self.baseline_label)
        layout.addSpacing(12)
        layout.addWidget(self.rebaseline_button)
        layout.addStretch(1)
        self._show_baseline()
        return box

    def _show_baseline(self) -> None:
        if self.row is not None:
            self.baseline_label.setText(self.row.baseline_date.isoformat())

    def on_edited(self) -> None:
        values = {**self._base, **self.form_values()}
        baseline, forecast, actual = (
            values["baseline_date"],
            values["forecast_date"],
            values["actual_date"],
        )
        if not isinstance(baseline, date) or not isinstance(forecast, date):
            self.slip.clear()
            return
        days = ((actual or forecast) - baseline).days
        if days > 0:
            text = self.tr("{days} days late against the baseline")
        elif days < 0:
            text = self.tr("{days} days early against the baseline")
        else:
            text = self.tr("{days} days: on the baseline")
        self.slip.setText(text.format(days=slip_text(days)))

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int) and 0 <= value < len(self.scale):
            return str(self.scale[value])
        if name == "workstream_id":
            return self._workstream_text(value)
        return super().display_value(name, value)

    def _workstream_chosen(self) -> None:
        protection = self.field("marking")
        if not self._touched & set(protection.names):
            chosen = self.field("workstream_id").value()
            protection.blockSignals(True)
            protection.set_values(self._protection_of(chosen))
            protection.blockSignals(False)
            self.revalidate()

    # History --------------------------------------------------------------------------

    def _build_history(self) -> None:
        tr = self.tr
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        forecasts = QLabel(tr("Forecast history (newest first)"))
        forecasts.setProperty("role", "section_title")
        layout.addWidget(forecasts)
        self.forecast_table = read_only_table(
            [tr("Reported on"), tr("Forecast")], "forecast_history", 1
        )
        layout.addWidget(self.forecast_table, 1)
        baselines = QLabel(tr("Baseline history (newest first)"))
        baselines.setProperty("role", "section_title")
        layout.addWidget(baselines)
        self.baseline_table = read_only_table(
            [tr("Old"), tr("New"), tr("Reason"), tr("Authority"), tr("Approved on")],
            "baseline_history",
            2,
        )
        layout.addWidget(self.baseline_table, 1)
        self.tabs.addTab(page, tr("&History"))
        self.load_history()

    def load_history(self) -> None:
        if self.row is None:
            return
        try:
            forecasts = milestones.forecast_history(self.db, self.row.id)
            baselines = milestones.baseline_history(self.db, self.row.id)
        except SetuError as exc:
            self.show_error(str(exc))
            return
        fill_table(
            self.forecast_table,
            [[f.reported_on.isoformat(), f.forecast_date.isoformat()] for f in reversed(forecasts)],
        )
        fill_table(
            self.baseline_table,
            [
                [
                    b.old_date.isoformat(),
                    b.new_date.isoformat(),
                    b.reason,
                    b.authority,
                    b.approved_on.isoformat(),
                ]
                for b in reversed(baselines)
            ],
        )

    def reload(self) -> None:
        super().reload()
        self._show_baseline()
        self.on_edited()
        self.load_history()

    def adopt_current_version(self) -> None:
        super().adopt_current_version()
        # The baseline is not the form's to keep: show the one saved now.
        if self.row is not None:
            self._base = {**self._base, "baseline_date": self.row.baseline_date}
        self._show_baseline()
        self.on_edited()
        self.load_history()

    # Re-baselining --------------------------------------------------------------------

    def rebaseline(self) -> None:
        if self.row is None:
            return
        dialog = RebaselineDialog(self.db, self.row, undo_stack=self.undo_stack, parent=self)
        dialog.saved.connect(self._rebaselined)
        self.rebaseline_dialog = dialog
        dialog.open()

    def _rebaselined(self, row: object) -> None:
        """Take the new baseline (and version); keep whatever else the user typed."""
        if not isinstance(row, MilestoneRow):
            return
        self.row = row
        self._base = {**self._base, "baseline_date": row.baseline_date}
        self._show_baseline()
        self.revalidate()
        self.on_edited()
        self.load_history()
