"""The action dialog: what someone must do by when, for a risk or for the programme."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.database import Database
from app.domain import ActionStatus
from app.services import actions, register_labels
from app.services.actions import ActionDraft, ActionRow
from app.services.validation import NAME_MAX, TITLE_MAX, Checker
from ui.dialogs.context import programme_context
from ui.dialogs.fields import ChoiceField, DateField, PickerField, TextField
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.record_dialog import RecordDialog
from ui.undo import RecordOps


def action_ops(db: Database, programme_id: int) -> RecordOps[ActionRow, ActionDraft]:
    """The actions register's use-cases for dialogs and undo, bound to one programme."""
    return RecordOps(
        db=db,
        entity="action",
        create=lambda draft: actions.create_action(db, programme_id, draft),
        update=lambda i, version, draft: actions.update_action(db, i, version, draft),
        delete=lambda i, version: actions.delete_action(db, i, version),
        get=lambda i: actions.get_action(db, i),
        draft_of=lambda row: row.draft(),
        label=lambda row: f"“{row.title}”",
    )


class ActionDialog(RecordDialog):
    """Add or edit an action; it may belong to a risk, whose protection it then follows."""

    draft_type = ActionDraft

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: ActionRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.context = programme_context(db, programme_id)
        self.risks = register_labels.risk_labels(db, programme_id)
        self.user = db.user
        super().__init__(action_ops(db, programme_id), row, undo_stack=undo_stack, parent=parent)
        if row is None:
            self.setWindowTitle(self.tr("Add an action"))
        else:
            self.setWindowTitle(self.tr("Action — {title}").format(title=row.title))
        self.resize(640, 460)

    def check(self, draft: Any) -> Checker:
        return actions.check_action(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "title": "",
            "owner": "",
            "due_on": date.today() + timedelta(days=14),
            "status": ActionStatus.OPEN.value,
            "done_on": None,
            "risk_id": None,
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("&Action"))
        self.add_field(form, TextField("title", tr("&Title"), max_len=TITLE_MAX))
        self.add_field(form, TextField("owner", tr("&Owner"), max_len=NAME_MAX))
        self.add_field(form, DateField("due_on", tr("&Due")))
        status = self.add_field(form, ChoiceField("status", tr("&Status"), ActionStatus))
        status.edited.connect(self._status_changed)
        self.add_field(form, DateField("done_on", tr("Done o&n"), nullable=True))
        options = [(i, f"{ref} — {title}") for i, (ref, title, _n) in self.risks.items()]
        risk = self.add_field(
            form, PickerField("risk_id", tr("&Risk"), options, none_text=tr("(the programme)"))
        )
        risk.edited.connect(self._risk_changed)
        self.protection = ProtectionField(self.context.scale, self.context.nations)
        self.add_field(form, self.protection)

    def _status_changed(self) -> None:
        """Done dates the action today unless a date is set; any other status clears it."""
        status = self.field("status").value()
        done = self.field("done_on")
        if status == ActionStatus.DONE and done.value() is None:
            done.set_value(date.today())
        elif status != ActionStatus.DONE and done.value() is not None:
            done.set_value(None)

    def _risk_changed(self) -> None:
        """A new action about a risk may go only where the risk may: offer exactly that."""
        risk_id = self.field("risk_id").value()
        if self.row is None and risk_id in self.risks:
            self.protection.set_values({"releasable_to": self.risks[risk_id][2]})

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int):
            return self.context.marking_name(value)
        if name == "risk_id":
            return self.risks.get(value, ("", "", ""))[0] if value is not None else ""
        return super().display_value(name, value)
