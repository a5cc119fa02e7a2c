"""The marking and releasability of a record, as every record dialog edits them: the
marking chosen from the office's scale, and one tick per partner nation the record may
go to (at least one: a record released to nobody could be seen by no one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QWidget

from ui.dialogs.fields import Field


class ProtectionField(Field):
    """The marking (from the office's scale) and one tick per partner nation it may go to."""

    def __init__(
        self,
        scale: Sequence[str],
        nations: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        # Not self.tr(): the QObject is not constructed yet.
        super().__init__("marking", QApplication.translate("ProtectionField", "Marking"), parent)
        self.combo = QComboBox()
        for level, name in enumerate(scale):
            self.combo.addItem(name, level)
        self.combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self._add_editor(self.combo, 0)
        self.row.addSpacing(12)
        releasable = QLabel(self.tr("Releasable to:"))
        self.row.addWidget(releasable)
        self.nations: dict[str, QCheckBox] = {}
        for code, name in nations:
            box = QCheckBox(code)
            box.setObjectName(f"releasable_{code}")
            box.setToolTip(name)
            box.setChecked(True)
            box.toggled.connect(lambda _c: self.edited.emit())
            self.nations[code] = box
            self.row.addWidget(box)
        self.row.addStretch(1)

    @property
    def names(self) -> tuple[str, ...]:
        return ("marking", "releasable_to")

    def value(self) -> int:
        data = self.combo.currentData()
        return int(data) if data is not None else 0

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(int(value))
        self.combo.setCurrentIndex(max(index, 0))

    def label_for(self, name: str) -> str:
        return self.tr("Releasable to") if name == "releasable_to" else self.tr("Marking")

    def releasable_to(self) -> str:
        return " ".join(sorted(code for code, box in self.nations.items() if box.isChecked()))

    def values(self) -> dict[str, Any]:
        return {"marking": self.value(), "releasable_to": self.releasable_to()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        if "marking" in values:
            self.set_value(values["marking"] or 0)
        if "releasable_to" in values:
            chosen = values["releasable_to"]
            codes = set(self.nations) if chosen is None else set(str(chosen).split())
            for code, box in self.nations.items():
                box.setChecked(code in codes)

    def local_problems(self) -> dict[str, str]:
        if self.nations and not self.releasable_to():
            return {"releasable_to": self.tr("Releasable to must name at least one partner nation")}
        return {}
