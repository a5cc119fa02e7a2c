"""The workstream dialog: every field of a workstream, and the organisations taking part.

Participants are saved as they are added or removed (each an undoable step of its
own), because they are records in their own right with their own audit entries; the
workstream's own fields are saved by OK, as in every register's dialog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.domain import Phase, WorkStatus, WorkstreamKind
from app.errors import NotFound, SetuError, ValidationError
from app.services import programmes, register_labels, settings, workstreams
from app.services.register_labels import OrganisationTitle
from app.services.validation import TITLE_MAX, Checker
from app.services.workstreams import (
    CODE_MAX,
    ROLE_MAX,
    ParticipantRow,
    WorkstreamDraft,
    WorkstreamRow,
)
from ui.dialogs.fields import (
    ChoiceField,
    DateField,
    PickerField,
    TextField,
)
from ui.dialogs.money_fields import MoneyField
from ui.dialogs.pickers import Choices, RecordPicker
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.schedule_fields import SpinField, add_filler, fill_table, read_only_table
from ui.undo import CreateCommand, DeleteCommand, RecordOps, ledger

TRL_TOP = 9  # Technology Readiness Levels 1-9
MRL_TOP = 10  # Manufacturing Readiness Levels 1-10


# Service operations ---------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantForm:
    """What the participants tab sets: which organisation, in what role."""

    organisation_id: int
    role: str = ""


def workstream_ops(db: Database, programme_id: int) -> RecordOps[WorkstreamRow, WorkstreamDraft]:
    """The workstream register's use-cases for dialogs and undo, bound to one programme."""

    def snapshot(row: WorkstreamRow) -> tuple[ParticipantRow, ...]:
        # delete_workstream deletes its participants with it.
        return tuple(workstreams.participants(db, row.id))

    def restore(saved: object, new: WorkstreamRow) -> None:
        for participant in saved if isinstance(saved, tuple) else ():
            workstreams.add_participant(db, new.id, participant.organisation_id, participant.role)

    return RecordOps(
        db=db,
        entity="workstream",
        create=lambda draft: workstreams.create_workstream(db, programme_id, draft),
        update=lambda ws_id, version, draft: workstreams.update_workstream(
            db, ws_id, version, draft
        ),
        delete=lambda ws_id, version: workstreams.delete_workstream(db, ws_id, version),
        get=lambda ws_id: workstreams.get_workstream(db, ws_id),
        draft_of=lambda row: row.draft(),
        label=lambda row: row.code,
        snapshot=snapshot,
        restore=restore,
    )


def participant_ops(
    db: Database, workstream_id: int, names: Mapping[int, str]
) -> RecordOps[ParticipantRow, ParticipantForm]:
    """One workstream's participants; `names` labels organisations in undo texts."""

    def get(participant_id: int) -> ParticipantRow:
        for participant in workstreams.participants(db, workstream_id):
            if participant.id == participant_id:
                return participant
        raise NotFound(f"no workstream participant with id {participant_id}", "participant")

    def update(participant_id: int, version: int, form: ParticipantForm) -> ParticipantRow:
        return workstreams.update_participant_role(db, participant_id, version, form.role)

    return RecordOps(
        db=db,
        entity="participant",
        create=lambda form: workstreams.add_participant(
            db, workstream_id, form.organisation_id, form.role
        ),
        update=update,
        delete=lambda participant_id, version: workstreams.remove_participant(
            db, participant_id, version
        ),
        get=get,
        draft_of=lambda row: ParticipantForm(row.organisation_id, row.role),
        label=lambda row: names.get(row.organisation_id, str(row.organisation_id)),
    )


def organisation_text(org: OrganisationTitle) -> str:
    return f"{org.short_name} — {org.name} ({org.nation})"


# The dialog -------------------------------------------------------------------------------


class WorkstreamDialog(RecordDialog):
    """Add or edit a workstream; an existing one also lists its participants."""

    draft_type = WorkstreamDraft

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: WorkstreamRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
        indian_grouping: bool = False,
    ) -> None:
        self.db = db
        self.programme_id = programme_id
        self.indian_grouping = indian_grouping
        # Everything the pickers offer, read once when the dialog opens.
        programme = next(p for p in programmes.list_programmes(db) if p.id == programme_id)
        self.currency = programme.base_currency
        self.scale = list(settings.get(db, "marking_scale").value)
        self.nations = [(p.nation, p.name) for p in programmes.partners(db, programme_id)]
        self.organisations = register_labels.organisation_titles(db, programme_id)
        self.org_names = {o.id: o.short_name for o in self.organisations}
        self.participant_rows: list[ParticipantRow] = []
        super().__init__(
            workstream_ops(db, programme_id), row, undo_stack=undo_stack, parent=parent
        )
        if row is None:
            self.setWindowTitle(self.tr("Add a workstream"))
        else:
            self.setWindowTitle(
                self.tr("Workstream {code} — {title}").format(code=row.code, title=row.title)
            )
        if undo_stack is not None:
            ledger(undo_stack).changed.connect(self._on_ledger)
        self.resize(780, 640)

    def check(self, draft: Any) -> Checker:
        return workstreams.check_workstream(draft)

    def defaults(self) -> dict[str, Any]:
        start = date.today()
        return {
            "code": "",
            "title": "",
            "kind": WorkstreamKind.JOINT_RND.value,
            "phase": Phase.CONCEPT.value,
            "trl_now": 1,
            "trl_target": TRL_TOP,
            "mrl_now": 1,
            "mrl_target": MRL_TOP,
            "baseline_start": start,
            "baseline_finish": start + timedelta(days=365),
            "status": WorkStatus.NOT_STARTED.value,
            "lead_organisation_id": None,
            "forecast_finish": None,
            "actual_finish": None,
            "budget_minor": 0,
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("&Workstream"))
        self.add_field(
            form, TextField("code", tr("Co&de"), max_len=CODE_MAX, placeholder=tr("e.g. WS-RADAR"))
        )
        self.add_field(form, TextField("title", tr("&Title"), max_len=TITLE_MAX))
        self.add_field(form, ChoiceField("kind", tr("&Kind"), WorkstreamKind))
        self.add_field(form, ChoiceField("phase", tr("Ph&ase"), Phase))
        self.add_field(form, ChoiceField("status", tr("&Status"), WorkStatus))
        self.add_field(
            form,
            PickerField(
                "lead_organisation_id",
                tr("&Lead organisation"),
                [(o.id, organisation_text(o)) for o in self.organisations],
            ),
        )
        self.add_field(
            form,
            MoneyField(
                "budget_minor",
                tr("&Budget (BAC)"),
                self.currency,
                indian_grouping=self.indian_grouping,
            ),
        )
        self.add_field(form, ProtectionField(self.scale, self.nations))
        add_filler(form)

        form = self.form(tr("Sc&hedule and readiness"))
        self.add_field(form, DateField("baseline_start", tr("Baseline &start")))
        self.add_field(form, DateField("baseline_finish", tr("Baseline &finish")))
        self.add_field(form, DateField("forecast_finish", tr("F&orecast finish"), nullable=True))
        self.add_field(form, DateField("actual_finish", tr("&Actual finish"), nullable=True))
        trl = tr("Technology Readiness Level, 1 to {top}").format(top=TRL_TOP)
        mrl = tr("Manufacturing Readiness Level, 1 to {top}").format(top=MRL_TOP)
        self.add_field(form, SpinField("trl_now", tr("TRL &now"), 1, TRL_TOP, hint=trl))
        self.add_field(form, SpinField("trl_target", tr("TRL tar&get"), 1, TRL_TOP))
        self.add_field(form, SpinField("mrl_now", tr("&MRL now"), 1, MRL_TOP, hint=mrl))
        self.add_field(form, SpinField("mrl_target", tr("MRL targ&et"), 1, MRL_TOP))
        add_filler(form)
        self._build_participants()

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int) and 0 <= value < len(self.scale):
            return str(self.scale[value])
        if name == "lead_organisation_id":
            return self.org_names.get(value, "") if value is not None else ""
        return super().display_value(name, value)

    # Participants -------------------------------------------------------------------

    def _build_participants(self) -> None:
        tr = self.tr
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        self.tabs.addTab(page, tr("&Participants"))
        if self.row is None:
            note = QLabel(tr("Add the workstream first; then its participants can be added here."))
            note.setObjectName("participants_note")
            note.setWordWrap(True)
            note.setProperty("role", "muted")
            layout.addWidget(note)
            layout.addStretch(1)
            return
        note = QLabel(
            tr(
                "Organisations taking part besides the lead, and their role. Each change is "
                "saved at once (and can be undone)."
            )
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        layout.addWidget(note)
        self.participants_table = read_only_table(
            [tr("Organisation"), tr("Nation"), tr("Role")], "participants", 2
        )
        self.participants_empty = QLabel(
            tr("No participants yet. Choose an organisation below and click Add participant.")
        )
        self.participants_empty.setObjectName("participants_empty")
        self.participants_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.participants_empty.setWordWrap(True)
        self.participants_empty.setProperty("role", "muted")
        self.participants_stack = QStackedWidget()
        self.participants_stack.addWidget(self.participants_table)
        self.participants_stack.addWidget(self.participants_empty)
        layout.addWidget(self.participants_stack, 1)
        adding = QHBoxLayout()
        self.participant_combo = RecordPicker(Choices((), parent=self))
        self.participant_combo.setObjectName("participant_organisation")
        self.participant_combo.setAccessibleName(tr("Organisation to add"))
        self.participant_combo.text_edit.setPlaceholderText(tr("Organisation to add"))
        self.participant_role = QLineEdit()
        self.participant_role.setObjectName("participant_role")
        self.participant_role.setPlaceholderText(tr("Role, e.g. seeker integration"))
        self.participant_role.setMaxLength(ROLE_MAX)
        self.participant_role.setAccessibleName(tr("Role"))
        self.add_participant_button = QPushButton(tr("A&dd participant"))
        self.add_participant_button.setObjectName("add_participant_button")
        self.add_participant_button.clicked.connect(self.add_participant)
        self.remove_participant_button = QPushButton(tr("&Remove"))
        self.remove_participant_button.setObjectName("remove_participant_button")
        self.remove_participant_button.clicked.connect(self.remove_participant)
        adding.addWidget(self.participant_combo, 2)
        adding.addWidget(self.participant_role, 2)
        adding.addWidget(self.add_participant_button)
        adding.addWidget(self.remove_participant_button)
        layout.addLayout(adding)
        self.participant_problem = QLabel()
        self.participant_problem.setObjectName("participant_problem")
        self.participant_problem.setProperty("role", "field_error")
        self.participant_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.participant_problem.setWordWrap(True)
        self.participant_problem.hide()
        layout.addWidget(self.participant_problem)
        self.participants_table.itemSelectionChanged.connect(self._participant_buttons)
        self.participant_combo.changed.connect(self._participant_buttons)
        self.load_participants()

    def _participant_ops(self) -> RecordOps[ParticipantRow, ParticipantForm]:
        assert self.row is not None
        return participant_ops(self.db, self.row.id, self.org_names)

    def load_participants(self) -> None:
        if self.row is None:
            return
        try:
            self.participant_rows = workstreams.participants(self.db, self.row.id)
        except SetuError as exc:
            self.show_error(str(exc))
            return
        by_id = {o.id: o for o in self.organisations}
        rows = []
        for p in self.participant_rows:
            org = by_id.get(p.organisation_id)
            rows.append(
                [
                    f"{org.short_name} — {org.name}" if org else str(p.organisation_id),
                    org.nation if org else "",
                    p.role,
                ]
            )
        fill_table(self.participants_table, rows)
        self.participants_stack.setCurrentWidget(
            self.participants_table if rows else self.participants_empty
        )
        taken = {p.organisation_id for p in self.participant_rows}
        self.participant_combo.choices.offer(
            (org.id, organisation_text(org)) for org in self.organisations if org.id not in taken
        )
        self._participant_buttons()

    def _participant_buttons(self) -> None:
        writable = not self.db.read_only
        chosen = self.participant_combo.value() is not None
        self.add_participant_button.setEnabled(writable and chosen)
        selected = bool(self.participants_table.selectionModel().selectedRows())
        self.remove_participant_button.setEnabled(writable and selected)

    def _say(self, problem: str) -> None:
        self.participant_problem.setText(problem)
        self.participant_problem.setVisible(bool(problem))

    def add_participant(self) -> None:
        organisation_id = self.participant_combo.value()
        if self.row is None or organisation_id is None:
            return
        ops = self._participant_ops()
        try:
            added = ops.create(ParticipantForm(int(organisation_id), self.participant_role.text()))
        except ValidationError as exc:
            names = {"organisation_id": self.tr("Organisation"), "role": self.tr("Role")}
            self._say("\n".join(f"{names.get(p.field, p.field)} {p.reason}" for p in exc.problems))
            return
        except SetuError as exc:
            self._say(str(exc))
            return
        self._say("")
        self.participant_role.clear()
        if self.undo_stack is not None:
            self.undo_stack.push(CreateCommand(ops, self.undo_stack, added))
        self.load_participants()

    def remove_participant(self) -> None:
        rows = self.participants_table.selectionModel().selectedRows()
        if self.row is None or not rows:
            return
        participant = self.participant_rows[rows[0].row()]
        ops = self._participant_ops()
        self._say("")
        if self.undo_stack is not None:
            self.undo_stack.push(DeleteCommand(ops, self.undo_stack, [participant]))
        else:
            try:
                ops.delete(participant.id, participant.version)
            except SetuError as exc:
                self._say(str(exc))
        self.load_participants()

    def _on_ledger(self, entity: str) -> None:
        if entity == "participant" and self.row is not None and self.isVisible():
            self.load_participants()
