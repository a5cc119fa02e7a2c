"""The heat map's 5x5 grid: one cell per likelihood x impact, tinted by its rating and
showing the rating's letter and the count, so it reads without colour; clicked, or
moved through with the arrow keys and chosen with Space.

Rows are likelihood 5 (top) to 1, columns impact 1 to 5 (DOMAIN.md's matrix).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QToolTip,
    QWidget,
)

from app.domain import IMPACT_WORDS, LIKELIHOOD_WORDS, Rating, rating

LEVELS = 5
TIMES = "\u00d7"  # the multiplication sign, spelt out for the linter
LEVELS_DOWN = range(LEVELS, 0, -1)
LEVELS_UP = range(1, LEVELS + 1)

# Cell tints: strong enough to tell apart, light enough for black text (WCAG AA).
CELL_COLOURS = {
    Rating.HIGH: QColor("#e9897f"),
    Rating.MEDIUM: QColor("#f4cd6e"),
    Rating.LOW: QColor("#a6d49f"),
}
TEXT = QColor("#1a1a1a")


def empty_matrix() -> list[list[int]]:
    return [[0] * LEVELS for _ in range(LEVELS)]


class HeatGrid(QWidget):
    """The painted grid itself (keyboard focusable); `HeatMap` adds the toggle and title."""

    cell_clicked = Signal(int, int)  # likelihood, impact

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heat_grid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(QSize(300, 260))
        self.matrix = empty_matrix()
        self.selected: tuple[int, int] | None = None  # (likelihood, impact)
        self.hovered: tuple[int, int] | None = None
        self.focus_cell: tuple[int, int] = (LEVELS, 1)
        # The focus cell is drawn only for keyboard users, not after every mouse click.
        self._keyboard = False
        self.setAccessibleName(self.tr("Risk heat map"))

    def set_matrix(self, matrix: Sequence[Sequence[int]]) -> None:
        self.matrix = [list(row) for row in matrix]
        self.update()

    def count(self, likelihood: int, impact: int) -> int:
        return self.matrix[LEVELS - likelihood][impact - 1]

    # Geometry -------------------------------------------------------------------------

    def _small(self) -> QFont:
        """The axis words' font: a little smaller, so the cells keep the room."""
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * 0.85)
        return font

    def _margins(self) -> tuple[int, int]:
        """Room for the likelihood words on the left and the impact words below."""
        small = QFontMetrics(self._small())
        left = max(small.horizontalAdvance(self._row_label(level)) for level in LEVELS_DOWN)
        return left + 12, self.fontMetrics().height() + small.height() + 10

    def _grid_rect(self) -> QRect:
        left, bottom = self._margins()
        title = self.fontMetrics().height() + 6
        area = self.rect().adjusted(left, title, -6, -bottom)
        side = min(area.width(), area.height())
        return QRect(area.left(), area.top(), side, side) if side > 0 else QRect()

    def cell_rect(self, likelihood: int, impact: int) -> QRect:
        grid = self._grid_rect()
        size = grid.width() / LEVELS
        x = grid.left() + round((impact - 1) * size)
        y = grid.top() + round((LEVELS - likelihood) * size)
        return QRect(x, y, round(size) - 2, round(size) - 2)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        for likelihood in LEVELS_DOWN:
            for impact in LEVELS_UP:
                if self.cell_rect(likelihood, impact).contains(pos):
                    return likelihood, impact
        return None

    def _row_label(self, level: int) -> str:
        return self.tr("{n} {word}").format(n=level, word=self.tr(LIKELIHOOD_WORDS[level]))

    def sizeHint(self) -> QSize:
        return QSize(380, self.heightForWidth(380))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # The cells are square: the grid is as tall as it is wide, plus its labels.
        left, bottom = self._margins()
        title = self.fontMetrics().height() + 6
        return max(260, width - left - 6 + title + bottom)

    # Painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette_text = self.palette().windowText().color()
        grid = self._grid_rect()
        metrics = self.fontMetrics()
        painter.setPen(palette_text)
        axis = QFont(self.font())
        axis.setBold(True)
        painter.setFont(axis)
        painter.drawText(
            QRect(0, 0, self.width(), metrics.height() + 4),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.tr("Likelihood ↑  {times}  Impact →").format(times=TIMES),
        )
        small = self._small()
        small_metrics = QFontMetrics(small)
        painter.setFont(small)
        for likelihood in LEVELS_DOWN:
            rect = self.cell_rect(likelihood, 1)
            label = QRect(0, rect.top(), grid.left() - 6, rect.height())
            painter.drawText(
                label,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                self._row_label(likelihood),
            )
        for impact in LEVELS_UP:
            rect = self.cell_rect(1, impact)
            below = QRect(rect.left(), grid.bottom() + 4, rect.width(), metrics.height())
            painter.setFont(self.font())
            painter.drawText(below, int(Qt.AlignmentFlag.AlignHCenter), str(impact))
            word = QRect(
                rect.left() - 1, below.bottom() + 1, rect.width() + 2, small_metrics.height()
            )
            painter.setFont(small)
            painter.drawText(
                word,
                int(Qt.AlignmentFlag.AlignHCenter),
                small_metrics.elidedText(
                    self.tr(IMPACT_WORDS[impact]), Qt.TextElideMode.ElideRight, word.width()
                ),
            )
        for likelihood in LEVELS_DOWN:
            for impact in LEVELS_UP:
                self._paint_cell(painter, likelihood, impact)
        painter.end()

    def _paint_cell(self, painter: QPainter, likelihood: int, impact: int) -> None:
        rect = self.cell_rect(likelihood, impact)
        band = rating(likelihood, impact)
        n = self.count(likelihood, impact)
        colour = QColor(CELL_COLOURS[band])
        if n == 0:
            colour = colour.lighter(135)  # empty cells recede; the letter still says the band
        if (likelihood, impact) == self.hovered:
            colour = colour.darker(112)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(rect), 4, 4)
        if (likelihood, impact) == self.selected:
            painter.setPen(QPen(TEXT, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4)
        if self.hasFocus() and self._keyboard and (likelihood, impact) == self.focus_cell:
            painter.setPen(QPen(TEXT, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(5, 5, -6, -6))
        painter.setPen(TEXT)
        letter = QFont(self.font())
        letter.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        painter.setFont(letter)
        painter.drawText(
            rect.adjusted(6, 4, -6, -4),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            str(band)[0],
        )
        number = QFont(self.font())
        number.setBold(n > 0)
        number.setPointSizeF(self.font().pointSizeF() * (1.5 if n else 1.1))
        painter.setFont(number)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(n))
        painter.setFont(self.font())

    # Interaction ----------------------------------------------------------------------

    def describe(self, likelihood: int, impact: int) -> str:
        n = self.count(likelihood, impact)
        risks = self.tr("1 open risk") if n == 1 else self.tr("{n} open risks").format(n=n)
        return self.tr(
            "Likelihood {l} ({lw}) {times} impact {i} ({iw}), rated {band}: {risks}"
        ).format(
            times=TIMES,
            l=likelihood,
            lw=self.tr(LIKELIHOOD_WORDS[likelihood]),
            i=impact,
            iw=self.tr(IMPACT_WORDS[impact]),
            band=str(rating(likelihood, impact)),
            risks=risks,
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is not None:
                QToolTip.showText(event.globalPos(), self.describe(*cell), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell != self.hovered:
            self.hovered = cell
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if cell else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self.hovered = None
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(event.position().toPoint())
        if cell is not None:
            self.focus_cell = cell
            self._keyboard = False
            self.cell_clicked.emit(*cell)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        likelihood, impact = self.focus_cell
        key = event.key()
        moves = {
            Qt.Key.Key_Up: (1, 0),
            Qt.Key.Key_Down: (-1, 0),
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
        }
        self._keyboard = True
        if key in moves:
            dl, di = moves[Qt.Key(key)]
            self.focus_cell = (
                min(LEVELS, max(1, likelihood + dl)),
                min(LEVELS, max(1, impact + di)),
            )
            self.setAccessibleDescription(self.describe(*self.focus_cell))
            self.update()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.cell_clicked.emit(*self.focus_cell)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._keyboard = event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)
