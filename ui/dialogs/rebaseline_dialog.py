"""Formal re-baselining of a milestone: the new date, the reason, the approving authority
and the approval date, all required, recorded by `milestones.rebaseline` and pushed onto
the undo stack as one `RebaselineCommand` (see `milestone_ops` for what undoing records).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget

from app.database import Database
from app.errors import ConflictError
from app.services import milestones
from app.services.milestones import MilestoneRow
from app.services.validation import TEXT_MAX, TITLE_MAX, Checker
from ui.dialogs.fields import DateField, TextField
from ui.dialogs.milestone_ops import RebaselineCommand, RebaselineForm, milestone_ops
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.schedule_fields import add_filler, top_aligned
from ui.undo import RecordOps


class RebaselineDialog(RecordDialog):
    """Record a re-baselining: new date, reason, approving authority and approval date."""

    draft_type = RebaselineForm

    def __init__(
        self,
        db: Database,
        milestone: MilestoneRow,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.db = db
        self.milestone = milestone
        self.stack = undo_stack
        ops: RecordOps[MilestoneRow, RebaselineForm] = RecordOps(
            db=db,
            entity="milestone",
            create=lambda form: milestones.rebaseline(
                db,
                milestone.id,
                milestone.version,
                form.new_date,
                form.reason,
                form.authority,
                form.approved_on,
            ),
            update=lambda _id, _version, _form: milestone,
            delete=lambda _id, _version: None,
            get=lambda milestone_id: milestones.get_milestone(db, milestone_id),
            draft_of=lambda row: RebaselineForm(row.baseline_date, "", "", date.today()),
            label=lambda row: row.title,
        )
        # The step goes on the stack here (as a RebaselineCommand), not as an addition.
        super().__init__(ops, None, undo_stack=None, parent=parent)
        self.saved.connect(self._push)
        self.setWindowTitle(self.tr("Re-baseline {title}").format(title=milestone.title))
        self.ok_button.setText(self.tr("Re-baseline"))
        self.resize(560, 440)

    def check(self, draft: Any) -> Checker:
        form: RebaselineForm = draft
        check = milestones.check_rebaseline(
            form.new_date, form.reason, form.authority, form.approved_on
        )
        if check.ok("new_date") and form.new_date == self.milestone.baseline_date:
            check.add("new_date", f"is already the baseline ({form.new_date})")
        return check

    def defaults(self) -> dict[str, Any]:
        # Most re-baselinings adopt the forecast the partners now believe.
        return {
            "new_date": self.milestone.forecast_date,
            "reason": "",
            "authority": "",
            "approved_on": date.today(),
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("Re-baselining"))
        current = QLabel(self.milestone.baseline_date.isoformat())
        current.setObjectName("current_baseline")
        form.addRow(tr("Current baseline"), current)
        self.add_field(form, DateField("new_date", tr("&New baseline date")))
        self.add_field(
            form,
            top_aligned(
                TextField(
                    "reason",
                    tr("&Reason"),
                    max_len=TEXT_MAX,
                    multiline=True,
                    placeholder=tr("Why the agreed date moves"),
                )
            ),
        )
        self.add_field(
            form,
            TextField(
                "authority",
                tr("Approving &authority"),
                max_len=TITLE_MAX,
                placeholder=tr("Forum or official, e.g. Joint Steering Committee"),
            ),
        )
        self.add_field(form, DateField("approved_on", tr("A&pproved on")))
        add_filler(form)

    def show_conflict(self, error: ConflictError) -> None:
        self.show_error(
            self.tr(
                "Someone else changed this milestone since you opened it, so it was not "
                "re-baselined. Close the milestone, open it again and re-baseline it then."
            )
        )

    def _push(self, row: object) -> None:
        if self.stack is not None and isinstance(row, MilestoneRow):
            self.stack.push(
                RebaselineCommand(milestone_ops(self.db), self.stack, self.milestone, self.draft())
            )
