"""Decisions required and actions: two registers, one above the other.

A pending decision past its needed-by date and an action not done by its due date are
tinted and say "overdue" in their status, so the word is there without the colour.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.database import Database
from app.domain import ActionStatus, DecisionStatus
from app.errors import SetuError
from app.services import listing_registers, register_labels
from app.services.actions import ActionRow
from app.services.decisions import DecisionRow
from ui.dialogs.action_dialog import ActionDialog, action_ops
from ui.dialogs.decision_dialog import DecisionDialog, decision_ops
from ui.models.register_model import Column, Tint
from ui.pages.register_group import (
    OVERDUE_TINT,
    MarkedRegister,
    RegisterGroup,
    is_overdue,
    titled,
)
from ui.undo import RecordOps

_FINISHED_ACTIONS = (ActionStatus.DONE.value, ActionStatus.CANCELLED.value)


def decision_overdue(row: DecisionRow) -> bool:
    return is_overdue(row.needed_by, row.status != DecisionStatus.PENDING)


def action_overdue(row: ActionRow) -> bool:
    return is_overdue(row.due_on, row.status in _FINISHED_ACTIONS)


class DueRegister(MarkedRegister):
    """A register of records due by a date; the two registers flag lateness alike."""

    def overdue(self, row: Any) -> bool:
        raise NotImplementedError

    def status_text(self, row: Any) -> str:
        """The status, saying "overdue" too, so lateness is read without the tint."""
        if self.overdue(row):
            return self.tr("{status} — overdue").format(status=row.status)
        return str(row.status)

    def row_tint(self, row: Any) -> Tint | None:
        return OVERDUE_TINT if self.overdue(row) else None


class DecisionsRegister(DueRegister):
    spec = listing_registers.DECISIONS
    settings_key = "decisions"
    entities = ("decision",)
    dialog_class = DecisionDialog
    default_sort = ("needed_by", False)

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("title", tr("Decision required"), 260, stretch=True),
            Column("forum", tr("Forum"), 170),
            Column("needed_by", tr("Needed by"), 90),
            Column("status", tr("Status"), 130, formatter=self.status_text),
            Column(
                "outcome",
                tr("Outcome"),
                200,
                formatter=lambda r: r.outcome.replace("\n", " "),
                tooltip=lambda r: r.outcome,
            ),
            Column("decided_on", tr("Decided on"), 90),
            self.marking_column(),
        ]

    def ops(self) -> RecordOps[Any, Any]:
        return decision_ops(self.db, self.programme_id)

    def overdue(self, row: DecisionRow) -> bool:
        return decision_overdue(row)

    def noun(self, n: int) -> str:
        return self.tr("decision") if n == 1 else self.tr("decisions")

    def empty_text(self) -> str:
        return self.tr(
            "No decisions recorded yet. Press Insert or click Add to record what the "
            "programme needs a forum to decide, and by when."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter decisions by title, forum, outcome or status…")


class ActionsRegister(DueRegister):
    spec = listing_registers.ACTIONS
    settings_key = "actions"
    entities = ("action", "risk")
    dialog_class = ActionDialog
    default_sort = ("due_on", False)

    # Risk id -> (reference, title, releasability) of the risks the loaded actions refer
    # to (None: deleted meanwhile), read as rows are first shown, not the programme's
    # every risk: those can be tens of thousands.
    _risks: Mapping[int, tuple[str, str, str] | None] = MappingProxyType({})

    def read_lookups(self) -> None:
        self._risks = MappingProxyType({})

    def risk_label(self, risk_id: int) -> tuple[str, str, str] | None:
        """The risk's reference, title and releasability (None if it is not there).

        An unknown id reads the labels of every loaded row's risk not read yet, in one
        query: once per page of rows, never once per row.
        """
        if risk_id not in self._risks:
            wanted = {r.risk_id for r in self.model.rows() if r.risk_id is not None}
            wanted = (wanted | {risk_id}) - self._risks.keys()
            try:
                found = register_labels.risk_labels(self.db, self.programme_id, wanted)
            except SetuError as exc:
                self.count_label.setText(str(exc))
                found = {}
            self._risks = {**self._risks, **{i: found.get(i) for i in wanted}}
        return self._risks[risk_id]

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("title", tr("Action"), 260, stretch=True),
            Column("owner", tr("Owner"), 150),
            Column("due_on", tr("Due"), 90),
            Column("status", tr("Status"), 140, formatter=self.status_text),
            Column("done_on", tr("Done on"), 90),
            Column("risk", tr("Risk"), 90, formatter=self._risk, tooltip=self._risk_tooltip),
            self.marking_column(),
        ]

    def _risk(self, row: ActionRow) -> str:
        if row.risk_id is None:
            return ""
        label = self.risk_label(row.risk_id)
        return label[0] if label is not None else str(row.risk_id)

    def _risk_tooltip(self, row: ActionRow) -> str:
        label = self.risk_label(row.risk_id) if row.risk_id is not None else None
        return f"{label[0]} — {label[1]}" if label is not None else ""

    def ops(self) -> RecordOps[Any, Any]:
        return action_ops(self.db, self.programme_id)

    def overdue(self, row: ActionRow) -> bool:
        return action_overdue(row)

    def noun(self, n: int) -> str:
        return self.tr("action") if n == 1 else self.tr("actions")

    def empty_text(self) -> str:
        return self.tr(
            "No actions yet. Press Insert or click Add to give someone something to do by a date."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter actions by title, owner, status or risk reference…")


class DecisionsPage(RegisterGroup):
    """Decisions and actions of the selected programme: `DecisionsPage(db, undo_stack)`."""

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        page_size: int = 200,
    ) -> None:
        super().__init__(db, undo_stack, parent, settings=settings, page_size=page_size)
        self.setObjectName("decisions_actions_page")
        self.decisions_register = self.adopt(DecisionsRegister)
        self.actions_register = self.adopt(ActionsRegister)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("decisions_splitter")
        self.splitter.addWidget(titled(self.tr("Decisions required"), self.decisions_register))
        self.splitter.addWidget(titled(self.tr("Actions"), self.actions_register))
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([400, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setFocusProxy(self.decisions_register)
