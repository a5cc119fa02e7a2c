"""The milestone register: every milestone of the programme, or of one workstream.

A row is tinted by its state (overdue, complete; open rows keep the view's colours)
and the state is written in its own column; slip is shown with its sign, so neither
needs colour to be read. State and slip are computed in SQL (`listing_schedule`), so
sorting by them is as quick as by any column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

from app.database import Database
from app.errors import SetuError
from app.services import register_labels
from app.services.listing_schedule import MILESTONES, MilestoneListRow, MilestoneState
from app.services.register_labels import WorkstreamTitle
from ui.dialogs.milestone_dialog import MilestoneDialog, slip_text
from ui.dialogs.milestone_ops import MilestoneDeleteCommand, milestone_ops
from ui.models.register_model import RIGHT, Column, Tint
from ui.pages.register_page import RegisterPage
from ui.undo import RecordOps

STATE_TINTS: dict[str, tuple[str, str]] = {
    MilestoneState.OVERDUE.value: ("#fbe1de", "#5c0b05"),
    MilestoneState.COMPLETE.value: ("#e6f3e3", "#173f12"),
}


class MilestonesPage(RegisterPage):
    """Milestones of the selected programme: `MilestonesPage(db, undo_stack)`, then
    `set_programme(id)`; `show_workstream(id)` narrows it to one workstream."""

    spec = MILESTONES
    settings_key = "milestones"
    entities = ("milestone",)
    dialog_class = MilestoneDialog
    default_sort = ("baseline_date", False)

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        page_size: int = 200,
    ) -> None:
        # The programme's workstreams, read once per reload, not per row.
        self.workstreams: dict[int, WorkstreamTitle] = {}
        self.notice: QMessageBox | None = None
        super().__init__(db, undo_stack, parent, settings=settings, page_size=page_size)
        self.workstream_combo = QComboBox()
        self.workstream_combo.setObjectName("workstream_filter")
        self.workstream_combo.setAccessibleName(self.tr("Workstream"))
        self.workstream_combo.setToolTip(self.tr("Show the milestones of one workstream"))
        self.workstream_combo.setMinimumContentsLength(18)
        self.workstream_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._fill_combo()
        self.workstream_combo.currentIndexChanged.connect(self._workstream_chosen)
        self.bar.insertWidget(1, self.workstream_combo)

    # RegisterPage hooks ---------------------------------------------------------------

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column(
                "workstream",
                tr("Workstream"),
                100,
                formatter=self._workstream_code,
                tooltip=self._workstream_tooltip,
            ),
            Column(
                "title",
                tr("Title"),
                260,
                stretch=True,
                tooltip=lambda r: f"{r.title}\n\n{r.acceptance_criteria}".strip(),
            ),
            Column("baseline_date", tr("Baseline"), 92),
            Column("forecast_date", tr("Forecast"), 92),
            Column("actual_date", tr("Actual"), 92),
            Column(
                "slip_days",
                tr("Slip (days)"),
                80,
                RIGHT,
                formatter=lambda r: slip_text(r.slip_days),
                tooltip=self._slip_tooltip,
            ),
            Column("state", tr("State"), 80, formatter=lambda r: tr(r.state.capitalize())),
            Column("value_weight", tr("Weight"), 64, RIGHT),
        ]

    def ops(self) -> RecordOps[Any, Any]:
        return milestone_ops(self.db)

    def open_dialog(self, row: Any | None) -> None:
        if row is None and not self.workstreams:
            self._tell(
                self.tr(
                    "Every milestone belongs to a workstream, and this programme has none "
                    "yet. Add a workstream on the Workstreams page first."
                )
            )
            return
        super().open_dialog(row)

    def dialog_options(self) -> dict[str, Any]:
        # A new milestone starts in the workstream the register is narrowed to.
        chosen = self.model.where.get("workstream_id")
        return {"workstream_id": chosen if isinstance(chosen, int) else None}

    def delete_rows(self, rows: Sequence[Any]) -> None:
        # Its undo brings back the forecast and baseline histories too.
        self.undo_stack.push(MilestoneDeleteCommand(self.ops(), self.undo_stack, list(rows)))

    def row_tint(self, row: Any) -> Tint | None:
        colours = STATE_TINTS.get(row.state)
        return None if colours is None else (QColor(colours[0]), QColor(colours[1]))

    def noun(self, n: int) -> str:
        return self.tr("milestone") if n == 1 else self.tr("milestones")

    def empty_text(self) -> str:
        if self.programme_id != -1 and not self.workstreams:
            return self.tr(
                "No milestones yet. Every milestone belongs to a workstream: add one on the "
                "Workstreams page first, then press Insert here."
            )
        return self.tr("No milestones yet. Press Insert or click Add to add the first milestone.")

    def filter_placeholder(self) -> str:
        return self.tr("Filter milestones by title, acceptance criteria or workstream…")

    # Loading and the workstream filter -------------------------------------------------

    def set_programme(self, programme_id: int) -> None:
        self.model.where = {}  # a workstream of the programme shown before means nothing now
        super().set_programme(programme_id)

    def reload(self) -> None:
        self.reload_workstreams()
        self._fill_combo()
        super().reload()

    def reload_workstreams(self) -> None:
        if self.programme_id == -1:
            self.workstreams = {}
            return
        try:
            self.workstreams = {
                w.id: w for w in register_labels.workstream_titles(self.db, self.programme_id)
            }
        except SetuError as exc:
            self.count_label.setText(str(exc))

    def _fill_combo(self) -> None:
        combo = self.workstream_combo
        chosen = self.model.where.get("workstream_id")
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("All workstreams"), None)
        for workstream_id, workstream in self.workstreams.items():
            combo.addItem(workstream.label, workstream_id)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.setEnabled(self.programme_id != -1)
        combo.blockSignals(False)
        if chosen is not None and index == -1:  # the workstream went away
            self.model.where = {}

    def _workstream_chosen(self, _index: int) -> None:
        workstream_id = self.workstream_combo.currentData()
        self.set_where(None if workstream_id is None else {"workstream_id": workstream_id}, None)

    def show_workstream(self, workstream_id: int | None) -> None:
        """Show one workstream's milestones (None: all of them)."""
        index = self.workstream_combo.findData(workstream_id) if workstream_id is not None else 0
        self.workstream_combo.setCurrentIndex(max(index, 0))

    # Cells and messages ---------------------------------------------------------------

    def _workstream_code(self, row: MilestoneListRow) -> str:
        workstream = self.workstreams.get(row.workstream_id)
        return workstream.code if workstream is not None else ""

    def _workstream_tooltip(self, row: MilestoneListRow) -> str:
        workstream = self.workstreams.get(row.workstream_id)
        return workstream.label if workstream is not None else ""

    def _slip_tooltip(self, row: MilestoneListRow) -> str:
        against = self.tr("actual") if row.actual_date is not None else self.tr("forecast")
        return self.tr("{days} days: {against} against the baseline {baseline}").format(
            days=slip_text(row.slip_days), against=against, baseline=row.baseline_date.isoformat()
        )

    def _tell(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Milestones"), text, parent=self)
        box.setObjectName("milestones_notice")
        self.notice = box
        box.open()
