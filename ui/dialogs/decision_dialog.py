"""The decision dialog: what the programme needs decided, by whom, by when, and the outcome."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.database import Database
from app.domain import DecisionStatus
from app.services import decisions
from app.services.decisions import DecisionDraft, DecisionRow
from app.services.validation import TEXT_MAX, TITLE_MAX, Checker
from ui.dialogs.context import programme_context
from ui.dialogs.fields import ChoiceField, DateField, TextField
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.record_dialog import RecordDialog
from ui.undo import RecordOps


def decision_ops(db: Database, programme_id: int) -> RecordOps[DecisionRow, DecisionDraft]:
    """The decisions register's use-cases for dialogs and undo, bound to one programme."""
    return RecordOps(
        db=db,
        entity="decision",
        create=lambda draft: decisions.create_decision(db, programme_id, draft),
        update=lambda i, version, draft: decisions.update_decision(db, i, version, draft),
        delete=lambda i, version: decisions.delete_decision(db, i, version),
        get=lambda i: decisions.get_decision(db, i),
        draft_of=lambda row: row.draft(),
        label=lambda row: f"“{row.title}”",
    )


class DecisionDialog(RecordDialog):
    """Record a decision the programme needs, or edit one (its outcome once taken)."""

    draft_type = DecisionDraft

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: DecisionRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.context = programme_context(db, programme_id)
        super().__init__(decision_ops(db, programme_id), row, undo_stack=undo_stack, parent=parent)
        if row is None:
            self.setWindowTitle(self.tr("Record a decision required"))
        else:
            self.setWindowTitle(self.tr("Decision — {title}").format(title=row.title))
        self.resize(680, 560)

    def check(self, draft: Any) -> Checker:
        return decisions.check_decision(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "title": "",
            "forum": "",
            "needed_by": date.today() + timedelta(days=30),
            "status": DecisionStatus.PENDING.value,
            "outcome": "",
            "decided_on": None,
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("&Decision"))
        self.add_field(form, TextField("title", tr("&Title"), max_len=TITLE_MAX))
        self.add_field(
            form,
            TextField(
                "forum",
                tr("&Forum"),
                max_len=TITLE_MAX,
                placeholder=tr("e.g. Joint Working Group, Steering Committee"),
            ),
        )
        self.add_field(form, DateField("needed_by", tr("&Needed by")))
        status = self.add_field(form, ChoiceField("status", tr("&Status"), DecisionStatus))
        status.edited.connect(self._status_changed)
        self.add_field(form, TextField("outcome", tr("&Outcome"), max_len=TEXT_MAX, multiline=True))
        self.add_field(form, DateField("decided_on", tr("Decided &on"), nullable=True))
        self.add_field(form, ProtectionField(self.context.scale, self.context.nations))

    def _status_changed(self) -> None:
        """Taking a decision dates it today unless a date is set; pending clears the date."""
        status = self.field("status").value()
        decided = self.field("decided_on")
        assert isinstance(decided, DateField) and decided.none is not None
        if status == DecisionStatus.TAKEN and decided.value() is None:
            decided.set_value(date.today())
        elif status == DecisionStatus.PENDING and decided.value() is not None:
            decided.set_value(None)

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int):
            return self.context.marking_name(value)
        return super().display_value(name, value)
