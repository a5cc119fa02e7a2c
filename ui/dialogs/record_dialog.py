"""The edit dialog every register shares: live validation, save through the service, undo.

A subclass adds its fields in `build()` and names the service's draft type and check.
On every edit the dialog builds the draft and runs the service's own `check_*`, so a
field is outlined with the same words the service would refuse it with, and OK stays
disabled while anything is wrong. On OK the dialog calls the service once; problems
the check could not see (a reference already used) come back as a ValidationError and
are shown on their fields; a ConflictError (someone saved first) shows both versions
(`ConflictDialog`) and offers to reload. Typed input is never thrown away without asking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import ConflictError, SetuError, ValidationError
from app.services.validation import Checker
from ui.dialogs.conflict_dialog import ConflictDialog, conflict_rows
from ui.dialogs.field_tabs import FieldTabs
from ui.dialogs.fields import PROBLEM_COLOUR, Field
from ui.models.register_model import plain_text
from ui.undo import CreateCommand, RecordOps, UpdateCommand

# The outline of an invalid editor: the `invalid` property is set by Field.show_problems.
INVALID_STYLE = f"""
*[invalid="true"] {{ border: 2px solid {PROBLEM_COLOUR}; border-radius: 3px; padding: 1px; }}
QLabel#form_problem {{ color: {PROBLEM_COLOUR}; }}
"""


class RecordDialog(QDialog):
    """Base of every register's edit dialog.

    Subclasses set `draft_type` and implement `build()` (add fields with `add_field`
    on forms from `form()`), `check(draft)` (the service's `check_*`) and, for new
    records, `defaults()`. `ops` performs the save; with an `undo_stack` the saved
    change is pushed as an undoable command.
    """

    saved = Signal(object)  # the row as the service returned it

    draft_type: type[Any]

    def __init__(
        self,
        ops: RecordOps[Any, Any],
        row: Any | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("record_dialog")
        self.ops = ops
        self.row = row
        self.undo_stack = undo_stack
        self.saved_row: Any | None = None
        self._server_problems: dict[str, str] = {}
        # A new record's empty fields are not outlined before the user has been to them.
        self._touched: set[str] = set()
        self._show_all = row is not None
        self.conflict_dialog: ConflictDialog | None = None
        self.error_box: QMessageBox | None = None
        self.setSizeGripEnabled(True)

        self.form_problem = QLabel()
        self.form_problem.setObjectName("form_problem")
        self.form_problem.setWordWrap(True)
        self.form_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.form_problem.hide()
        self.hint = QLabel()
        self.hint.setObjectName("form_hint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.tabs = FieldTabs()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setText(self.tr("Save") if row is not None else self.tr("Add"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_problem)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        self.build()
        # Once the fields are in: a widget added under a styled parent is polished again.
        self.setStyleSheet(INVALID_STYLE)
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)
        for field in self.fields:
            field.edited.connect(lambda f=field: self._on_edited(f))
        self._base = self.initial_values()
        self._fill(self._base)

    # Hooks ------------------------------------------------------------------------

    def build(self) -> None:
        raise NotImplementedError

    def check(self, draft: Any) -> Checker:
        raise NotImplementedError

    def defaults(self) -> dict[str, Any]:
        """The values a new record starts with."""
        return {}

    def initial_values(self) -> dict[str, Any]:
        if self.row is not None:
            return asdict(self.ops.draft_of(self.row))
        return self.defaults()

    def on_edited(self) -> None:
        """Called after every edit, once the problems are shown (e.g. to update a score)."""

    def display_value(self, name: str, value: Any) -> str:
        """How the conflict view shows a value of draft field `name`."""
        return plain_text(value)

    # Building (the tabs hold the fields) --------------------------------------------

    @property
    def fields(self) -> list[Field]:
        return self.tabs.fields

    def form(self, title: str) -> QFormLayout:
        """A new tab holding a form; fields are added to it with `add_field`."""
        return self.tabs.form(title)

    def add_field(self, form: QFormLayout, field: Field) -> Field:
        return self.tabs.add_field(form, field)

    def field(self, name: str) -> Field:
        return self.tabs.field(name)

    # Values -----------------------------------------------------------------------

    def _fill(self, values: Mapping[str, Any]) -> None:
        self.tabs.set_values(values)
        self._server_problems.clear()
        self._initial = self.form_values()
        self.revalidate()

    def form_values(self) -> dict[str, Any]:
        return self.tabs.values()

    def draft(self) -> Any:
        return self.draft_type(**{**self._base, **self.form_values()})

    def is_dirty(self) -> bool:
        return self.form_values() != self._initial

    # Validation -------------------------------------------------------------------

    def problems(self) -> dict[str, list[str]]:
        """Every problem now, by draft field name, as whole sentences."""
        found: dict[str, list[str]] = {}
        local: dict[str, str] = {}
        for field in self.fields:
            local.update(field.local_problems())
        for name, message in local.items():
            found.setdefault(name, []).append(message)
        for problem in self.check(self.draft()).problems:
            if problem.field not in local:
                found.setdefault(problem.field, []).append(
                    self._sentence(problem.field, problem.reason)
                )
        for name, reason in self._server_problems.items():
            sentence = self._sentence(name, reason)
            if sentence not in found.get(name, []):
                found.setdefault(name, []).append(sentence)
        return found

    def _sentence(self, name: str, reason: str) -> str:
        return f"{self.tabs.label_for(name)} {reason}"

    def revalidate(self) -> bool:
        found = self.problems()
        shown: set[str] = set()
        waiting: list[str] = []
        for field in self.fields:
            messages = [m for name in field.names for m in found.get(name, [])]
            if messages and not (self._show_all or self._touched & set(field.names)):
                waiting.append(field.label_for(field.name))
                messages = []
            field.show_problems(messages)
            shown.update(field.names)
        self.hint.setText(
            self.tr("Still needed before you can save: {fields}.").format(fields=", ".join(waiting))
        )
        self.hint.setVisible(bool(waiting))
        elsewhere = [m for name, ms in found.items() if name not in shown for m in ms]
        self.form_problem.setText("\n".join(elsewhere))
        self.form_problem.setVisible(bool(elsewhere))
        self.ok_button.setEnabled(not found)
        self.tabs.mark_problems()
        return not found

    def _on_edited(self, field: Field) -> None:
        self._touched.update(field.names)
        for name in field.names:
            self._server_problems.pop(name, None)
        self.revalidate()
        self.on_edited()

    # Saving -----------------------------------------------------------------------

    def accept(self) -> None:
        self._show_all = True
        if not self.revalidate():
            self.tabs.focus_first_problem()
            return
        if self.row is not None and not self.is_dirty():
            super().accept()  # nothing changed: nothing to save or undo
            return
        draft = self.draft()
        try:
            if self.row is None:
                saved = self.ops.create(draft)
            else:
                saved = self.ops.update(self.row.id, self.row.version, draft)
        except ValidationError as exc:
            self._server_problems = {p.field: p.reason for p in exc.problems}
            self.revalidate()
            self.tabs.focus_first_problem()
            return
        except ConflictError as exc:
            self.show_conflict(exc)
            return
        except SetuError as exc:
            self.show_error(str(exc))
            return
        if self.undo_stack is not None:
            if self.row is None:
                self.undo_stack.push(CreateCommand(self.ops, self.undo_stack, saved))
            else:
                self.undo_stack.push(UpdateCommand(self.ops, self.undo_stack, self.row, saved))
        self.saved_row = saved
        self.saved.emit(saved)
        super().accept()

    def reject(self) -> None:
        if self.is_dirty() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Discard changes?"),
            self.tr("Discard your changes?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def show_error(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not saved"), text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("error_box")
        self.error_box = box
        box.open()

    # Someone else saved first ------------------------------------------------------

    def show_conflict(self, error: ConflictError) -> None:
        rows: list[tuple[str, str, str]] = []
        if error.current is not None:
            rows = conflict_rows(
                self.form_values(),
                error.current,
                self._initial,
                self.display_value,
                self.tabs.label_for,
            )
        self.conflict_dialog = ConflictDialog(rows, deleted=error.current is None, parent=self)
        self.conflict_dialog.finished.connect(self._conflict_answered)
        self.conflict_dialog.open()

    def _conflict_answered(self, _result: int) -> None:
        dialog = self.conflict_dialog
        if dialog is None:
            return
        if dialog.choice == ConflictDialog.RELOAD:
            self.reload()
        elif dialog.choice == ConflictDialog.KEEP_MINE:
            self.adopt_current_version()
        elif dialog.choice == ConflictDialog.SAVE_AS_NEW:
            self.row = None
            self.ok_button.setText(self.tr("Add"))

    def reload(self) -> None:
        """Show the record as it is now (theirs), discarding this form's edits."""
        if self.row is None:
            return
        try:
            self.row = self.ops.get(self.row.id)
        except SetuError as exc:
            self.show_error(str(exc))
            return
        self._base = self.initial_values()
        self._fill(self._base)

    def adopt_current_version(self) -> None:
        """Keep the form as typed, to be saved over the record as it is now."""
        if self.row is None:
            return
        try:
            self.row = self.ops.get(self.row.id)
        except SetuError as exc:
            self.show_error(str(exc))
            return
        self._base = {**self.initial_values(), **self.form_values()}
        self.revalidate()
