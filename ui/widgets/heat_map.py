"""The 5x5 risk heat map: open risks per likelihood x impact cell, inherent or residual.

The grid itself is `heat_grid.HeatGrid`; this is the map as pages show it, with its
inherent/residual toggle and hint. Click a cell (or move with the arrow keys and press
Space) to filter the register to it; click it again to clear the filter. Also the
rating tints that register tables use for their rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import (
    QColor,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Rating
from ui.widgets.heat_grid import HeatGrid, empty_matrix

INHERENT = "inherent"
RESIDUAL = "residual"

# Row tints for tables: background and text colour per rating.
ROW_COLOURS = {
    Rating.HIGH: (QColor("#fbe1de"), QColor("#5c0b05")),
    Rating.MEDIUM: (QColor("#fdf1cf"), QColor("#4a3500")),
    Rating.LOW: (QColor("#e6f3e3"), QColor("#173f12")),
}


def rating_colours(value: str) -> tuple[QColor, QColor] | None:
    """A table row's (background, text) colours for a rating word, if it is one."""
    try:
        return ROW_COLOURS[Rating(value)]
    except ValueError:
        return None


class HeatMap(QWidget):
    """The heat map with its inherent/residual toggle.

    `cell_clicked(likelihood, impact)` when a cell is chosen; `cleared` when the chosen
    cell is clicked again (or `clear_selection` is called); `mode_changed(mode)` with
    "inherent" or "residual".
    """

    cell_clicked = Signal(int, int)
    cleared = Signal()
    mode_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heat_map")
        self._matrices = {INHERENT: empty_matrix(), RESIDUAL: empty_matrix()}
        self.title = QLabel(self.tr("Open risks"))
        self.title.setObjectName("heat_map_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.inherent_button = QRadioButton(self.tr("&Inherent"))
        self.inherent_button.setToolTip(self.tr("Likelihood and impact as assessed now"))
        self.residual_button = QRadioButton(self.tr("Resi&dual"))
        self.residual_button.setToolTip(self.tr("Expected after the mitigation plan"))
        self.inherent_button.setChecked(True)
        self._group = QButtonGroup(self)
        self._group.addButton(self.inherent_button)
        self._group.addButton(self.residual_button)
        self.inherent_button.toggled.connect(self._on_toggled)
        self.grid = HeatGrid(self)
        self.grid.cell_clicked.connect(self._on_cell)

        toggle = QHBoxLayout()
        toggle.addWidget(self.title)
        toggle.addStretch(1)
        toggle.addWidget(self.inherent_button)
        toggle.addWidget(self.residual_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(toggle)
        layout.addWidget(self.grid)
        self.hint = QLabel(
            self.tr(
                "Each cell shows its rating (H high, M medium, L low) and how many open "
                "risks it holds. Click a cell to list its risks; click it again to list all."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("heat_map_hint")
        layout.addWidget(self.hint)
        layout.addStretch(1)

    @property
    def mode(self) -> str:
        return INHERENT if self.inherent_button.isChecked() else RESIDUAL

    def set_mode(self, mode: str) -> None:
        (self.inherent_button if mode == INHERENT else self.residual_button).setChecked(True)

    @property
    def selected(self) -> tuple[int, int] | None:
        return self.grid.selected

    def set_matrices(
        self, inherent: Sequence[Sequence[int]], residual: Sequence[Sequence[int]]
    ) -> None:
        self._matrices = {
            INHERENT: [list(r) for r in inherent],
            RESIDUAL: [list(r) for r in residual],
        }
        self.grid.set_matrix(self._matrices[self.mode])

    def set_matrix(self, matrix: Sequence[Sequence[int]]) -> None:
        """Show `matrix` for the current mode."""
        self._matrices[self.mode] = [list(r) for r in matrix]
        self.grid.set_matrix(matrix)

    def matrix(self) -> list[list[int]]:
        return [list(r) for r in self.grid.matrix]

    def click(self, likelihood: int, impact: int) -> None:
        """As if the user clicked the cell (for keyboard users' menus and tests)."""
        self._on_cell(likelihood, impact)

    def clear_selection(self) -> None:
        if self.grid.selected is not None:
            self.grid.selected = None
            self.grid.update()
            self.cleared.emit()

    def _on_cell(self, likelihood: int, impact: int) -> None:
        if self.grid.selected == (likelihood, impact):
            self.clear_selection()
            return
        self.grid.selected = (likelihood, impact)
        self.grid.update()
        self.cell_clicked.emit(likelihood, impact)

    def _on_toggled(self, _checked: bool) -> None:
        self.grid.set_matrix(self._matrices[self.mode])
        self.mode_changed.emit(self.mode)
