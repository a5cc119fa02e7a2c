"""How a register is narrowed: the filter box typed into, and the chip for other filters.

Every change of filter re-queries the register in SQL, so the box says its text only
once typing pauses. A register can also be filtered by something other than the box (a
heat-map cell, a workstream chosen in a list); without a sign of it an emptier table
looks like lost data, so a chip beside the box says what the filter is and clears it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

FILTER_DELAY_MS = 200


class FilterBox(QLineEdit):
    """A filter text box that emits `settled` with its text once typing pauses."""

    settled = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filter_edit")
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setAccessibleName(self.tr("Filter"))
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(FILTER_DELAY_MS)
        self._pause.timeout.connect(self.settle)
        self.textChanged.connect(lambda _t: self._pause.start())

    def settle(self) -> None:
        """Emit `settled` now, without waiting for the pause."""
        self._pause.stop()
        self.settled.emit(self.text())


class FilterChip(QFrame):
    """Says a filter set elsewhere is on ("Filtered: L4 x I3"), and clears it."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filter_chip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#filter_chip { background: #e8eef7; border: 1px solid #8aa1c1; border-radius: 11px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 1, 4, 1)
        layout.setSpacing(4)
        self.label = QLabel()
        self.label.setObjectName("filter_chip_label")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QToolButton()
        self.clear_button.setObjectName("filter_chip_clear")
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip(self.tr("Show every record again"))
        self.clear_button.clicked.connect(self.cleared)
        layout.addWidget(self.label)
        layout.addWidget(self.clear_button)
        self.hide()

    def show_text(self, text: str | None) -> None:
        """Show the chip saying `text`, or hide it when no such filter is on."""
        self.label.setText(text or "")
        self.setVisible(bool(text))
