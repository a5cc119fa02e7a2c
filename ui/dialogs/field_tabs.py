"""The tabs of an edit dialog and the Fields on them.

A register's dialog spreads its fields over tabs (Details, Assessment, …), so a
problem can sit on a tab the user is not looking at. The tabs remember which tab each
field is on: a tab holding a problem says so with "⚠" in its title, and Save brings
the first problem into view. They also fill and read every field at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QTabWidget, QWidget

from ui.dialogs.fields import Field

PROBLEM_MARK = " ⚠"


class FieldTabs(QTabWidget):
    """Tabs of forms; `add_field` puts a Field on a form and remembers its tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.fields: list[Field] = []
        self._tab_of: dict[Field, int] = {}

    def form(self, title: str) -> QFormLayout:
        """A new tab holding a form; fields are added to it with `add_field`."""
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setContentsMargins(12, 12, 12, 12)
        form.setVerticalSpacing(8)
        self.addTab(page, title)
        return form

    def add_field(self, form: QFormLayout, field: Field) -> Field:
        """Add `field` with its label to `form`, which is on the last tab made."""
        label = QLabel(field.label)
        label.setBuddy(field.editor)
        form.addRow(label, field)
        self.fields.append(field)
        self._tab_of[field] = self.count() - 1
        return field

    def field(self, name: str) -> Field:
        """The field that edits draft field `name`."""
        for field in self.fields:
            if name in field.names:
                return field
        raise KeyError(name)

    def label_for(self, name: str) -> str:
        """How messages name draft field `name`; one with no field is named in words."""
        try:
            return self.field(name).label_for(name)
        except KeyError:
            return name.replace("_", " ").capitalize()

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show `values` in the fields without their `edited` signals (nobody typed them)."""
        for field in self.fields:
            field.blockSignals(True)
            try:
                field.set_values(values)
            finally:
                field.blockSignals(False)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in self.fields:
            values.update(field.values())
        return values

    def mark_problems(self) -> None:
        """Put "⚠" on the title of each tab with an outlined field, and only on those."""
        for index in range(self.count()):
            bad = any(f.invalid for f, tab in self._tab_of.items() if tab == index)
            title = self.tabText(index).removesuffix(PROBLEM_MARK)
            self.setTabText(index, f"{title}{PROBLEM_MARK}" if bad else title)

    def focus_first_problem(self) -> None:
        for field in self.fields:
            if field.invalid:
                self.setCurrentIndex(self._tab_of[field])
                field.editor.setFocus()
                return
