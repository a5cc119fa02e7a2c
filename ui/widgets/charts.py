"""Small QPainter charts for the dashboard: the milestone timeline and the cost shares.

They draw what they are given and compute no figure: the dashboard hands them values
from `app.services.analytics`. Sizes follow the font, so they scale with the screen,
and every mark carries a word or a pattern besides its colour (greyscale screenshots
and colour-blind readers lose nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import style

Formatter = Callable[[int], str]


@dataclass(frozen=True)
class TimelineRow:
    """One workstream: its RAG and its next milestone's baseline and forecast."""

    label: str
    status: str
    milestone: str | None
    baseline: date | None
    forecast: date | None


@dataclass(frozen=True)
class ShareBar:
    partner: str
    owed: int  # base-currency minor units
    contributed: int


@dataclass(frozen=True)
class ShareGroup:
    title: str
    bars: tuple[ShareBar, ...]
    note: str = ""  # e.g. the settlement, written under the bars


def _diamond(centre: QPointF, radius: float) -> QPolygonF:
    x, y = centre.x(), centre.y()
    return QPolygonF(
        [
            QPointF(x, y - radius),
            QPointF(x + radius, y),
            QPointF(x, y + radius),
            QPointF(x - radius, y),
        ]
    )


class _Chart(QWidget):
    """Common parts: an empty-state message, font-relative spacing."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def line(self) -> float:
        return self.metrics().height()

    def paint_empty(self, painter: QPainter) -> None:
        painter.setPen(QColor(style.MUTED))
        painter.drawText(
            QRectF(self.rect()),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self._empty_text,
        )


class MilestoneTimeline(_Chart):
    """Per workstream, the next milestone's baseline (hollow) and forecast (filled) on a
    date axis, with a line for today."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("No open milestones to show."), parent)
        self.setObjectName("milestone_timeline")
        self.rows: tuple[TimelineRow, ...] = ()
        self.today = date.today()

    def set_rows(self, rows: Sequence[TimelineRow], today: date) -> None:
        self.rows, self.today = tuple(rows), today
        self.updateGeometry()
        self.update()

    def _row_height(self) -> float:
        return self.line() * 1.9

    def sizeHint(self) -> QSize:
        line = self.line()
        rows = max(len(self.rows), 2)
        return QSize(int(line * 40), int(line * 5.2 + rows * self._row_height()))

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(int(self.line() * 20), hint.height())

    def _span(self) -> tuple[date, date]:
        days = [self.today]
        for row in self.rows:
            days += [d for d in (row.baseline, row.forecast) if d is not None]
        first, last = min(days), max(days)
        pad = max(14, (last - first).days // 12)
        return first - timedelta(days=pad), last + timedelta(days=pad * 3)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            if not self.rows:
                self.paint_empty(painter)
                return
            self._paint(painter, QRectF(event.rect()))
        finally:
            painter.end()

    def _paint(self, painter: QPainter, exposed: QRectF) -> None:
        metrics, line = self.metrics(), self.line()
        chip_width = max(metrics.horizontalAdvance(s) for s in style.RAG_COLOURS) + line
        label_width = max(metrics.horizontalAdvance(r.label) for r in self.rows) + line * 0.6
        left = label_width + chip_width + line * 0.6
        right = self.width() - line * 0.8
        top, row_h = line * 2.2, self._row_height()
        bottom = top + row_h * len(self.rows)
        first, last = self._span()
        total = max((last - first).days, 1)

        def x_of(day: date) -> float:
            return left + (right - left) * (day - first).days / total

        self._paint_axis(painter, first, last, x_of, top, bottom)
        self._paint_legend(painter, left)
        # Only the rows in the area being painted: a programme's timeline can be far
        # taller than the scroll area showing it.
        shown = range(
            max(int((exposed.top() - top) // row_h), 0),
            min(int((exposed.bottom() - top) // row_h) + 1, len(self.rows)),
        )
        for index in shown:
            row = self.rows[index]
            y = top + row_h * index
            centre = y + row_h / 2
            painter.setPen(QColor(style.TEXT))
            painter.drawText(
                QRectF(0, y, label_width, row_h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                row.label,
            )
            self._paint_chip(
                painter,
                QRectF(label_width, centre - line * 0.6, chip_width, line * 1.2),
                row.status,
            )
            if row.forecast is None or row.baseline is None:
                painter.setPen(QColor(style.MUTED))
                painter.drawText(
                    QRectF(left + line * 0.3, y, right - left, row_h),
                    Qt.AlignmentFlag.AlignVCenter,
                    self.tr("no open milestone"),
                )
                continue
            xb, xf = x_of(row.baseline), x_of(row.forecast)
            radius = line * 0.4
            if row.forecast != row.baseline:
                painter.setPen(QPen(QColor("#5c6670"), max(2.0, line / 8)))
                painter.drawLine(QPointF(xb, centre), QPointF(xf, centre))
            painter.setPen(QPen(QColor(style.ACCENT), max(1.5, line / 10)))
            painter.setBrush(QBrush(QColor(style.BASE)))
            painter.drawPolygon(_diamond(QPointF(xb, centre), radius))
            painter.setBrush(QBrush(QColor(style.ACCENT)))
            painter.drawPolygon(_diamond(QPointF(xf, centre), radius))
            painter.setPen(QColor(style.TEXT))
            text_x = max(xb, xf) + radius + line * 0.3
            name = metrics.elidedText(
                row.milestone or "",
                Qt.TextElideMode.ElideRight,
                max(right + line * 0.8 - text_x, 0),
            )
            painter.drawText(
                QRectF(text_x, y, max(self.width() - text_x, 0), row_h),
                Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        x_today = x_of(self.today)
        painter.setPen(QPen(QColor("#a4161a"), max(1.5, line / 10), Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x_today, top - line * 0.2), QPointF(x_today, bottom))
        painter.setPen(QColor("#7a0c0c"))
        painter.drawText(
            QRectF(x_today - line * 4, bottom + line * 0.1, line * 8, line * 1.2),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            self.tr("Today"),
        )

    def _paint_chip(self, painter: QPainter, rect: QRectF, status: str) -> None:
        background, border, text = style.RAG_COLOURS.get(status, ("#ffffff", "#666666", "#111111"))
        painter.setPen(QPen(QColor(border), 1.5))
        painter.setBrush(QBrush(QColor(background)))
        painter.drawRoundedRect(rect.adjusted(2, 0, -4, 0), 3, 3)
        painter.setPen(QColor(text))
        painter.drawText(rect.adjusted(2, 0, -4, 0), Qt.AlignmentFlag.AlignCenter, status)

    def _paint_axis(
        self,
        painter: QPainter,
        first: date,
        last: date,
        x_of: Callable[[date], float],
        top: float,
        bottom: float,
    ) -> None:
        line = self.line()
        months = 1 if (last - first).days < 200 else 3 if (last - first).days < 1000 else 12
        locale = QLocale()
        tick = date(first.year, first.month, 1)
        painter.setFont(self.font())
        last_text_end = -1.0
        while tick <= last:
            if tick >= first:
                x = x_of(tick)
                painter.setPen(QPen(QColor("#d0d6dd"), 1))
                painter.drawLine(QPointF(x, top), QPointF(x, bottom))
                text = locale.toString(QDate(tick.year, tick.month, 1), "MMM yyyy")
                width = self.metrics().horizontalAdvance(text)
                if x - width / 2 > last_text_end + line * 0.5:
                    painter.setPen(QColor(style.MUTED))
                    painter.drawText(
                        QRectF(x - width / 2, bottom + line * 1.5, width + 2, line * 1.2),
                        Qt.AlignmentFlag.AlignCenter,
                        text,
                    )
                    last_text_end = x + width / 2
            month = tick.month - 1 + months
            tick = date(tick.year + month // 12, month % 12 + 1, 1)

    def _paint_legend(self, painter: QPainter, left: float) -> None:
        line = self.line()
        y = line * 0.7
        x = left
        radius = line * 0.35
        for filled, text in ((False, self.tr("baseline")), (True, self.tr("forecast"))):
            painter.setPen(QPen(QColor(style.ACCENT), 1.5))
            painter.setBrush(QBrush(QColor(style.ACCENT if filled else style.BASE)))
            painter.drawPolygon(_diamond(QPointF(x + radius, y), radius))
            painter.setPen(QColor(style.TEXT))
            width = self.metrics().horizontalAdvance(text)
            painter.drawText(
                QRectF(x + radius * 2 + line * 0.3, y - line / 2, width + 2, line),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += radius * 2 + width + line * 1.5
        painter.setPen(QPen(QColor("#a4161a"), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, y - line / 2), QPointF(x, y + line / 2))
        painter.setPen(QColor(style.TEXT))
        painter.drawText(
            QRectF(x + line * 0.4, y - line / 2, line * 6, line),
            Qt.AlignmentFlag.AlignVCenter,
            self.tr("today"),
        )


class CostShareChart(_Chart):
    """Per agreement, each partner's owed (hatched) and contributed (solid) amounts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("No cost-share agreement to show."), parent)
        self.setObjectName("cost_share_chart")
        self.groups: tuple[ShareGroup, ...] = ()
        self._format: Formatter = str

    def set_groups(self, groups: Sequence[ShareGroup], money: Formatter) -> None:
        self.groups, self._format = tuple(groups), money
        self.updateGeometry()
        self.update()

    def _bar_count(self) -> int:
        return sum(len(g.bars) for g in self.groups)

    def sizeHint(self) -> QSize:
        line = self.line()
        notes = sum(1 for g in self.groups if g.note)
        height = (
            line * 2
            + len(self.groups) * line * 1.6
            + self._bar_count() * line * 2.6
            + notes * line * 1.4
        )
        return QSize(int(line * 30), int(max(height, line * 6)))

    def minimumSizeHint(self) -> QSize:
        return QSize(int(self.line() * 18), self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            if not self.groups:
                self.paint_empty(painter)
                return
            self._paint(painter, QRectF(event.rect()))
        finally:
            painter.end()

    def _brushes(self) -> tuple[QBrush, QBrush]:
        owed = QBrush(QColor("#5c6670"), Qt.BrushStyle.BDiagPattern)
        return owed, QBrush(QColor(style.ACCENT))

    def _paint(self, painter: QPainter, exposed: QRectF) -> None:
        metrics, line = self.metrics(), self.line()
        owed_brush, paid_brush = self._brushes()
        self._paint_legend(painter, owed_brush, paid_brush)
        names = [b.partner for g in self.groups for b in g.bars]
        name_width = max(metrics.horizontalAdvance(n) for n in names) + line * 0.6
        left, right = name_width, self.width() - line * 0.5
        y = line * 1.8
        for group in self.groups:
            height = line * 1.6 + len(group.bars) * line * 2.6 + (line * 1.4 if group.note else 0)
            if y > exposed.bottom() or y + height < exposed.top():
                y += height  # outside the area being painted: the chart can be tall
                continue
            painter.setPen(QColor(style.TEXT))
            bold = painter.font()
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(
                QRectF(0, y, self.width(), line * 1.4),
                Qt.AlignmentFlag.AlignVCenter,
                QFontMetricsF(bold).elidedText(
                    group.title, Qt.TextElideMode.ElideRight, self.width()
                ),
            )
            painter.setFont(self.font())
            y += line * 1.6
            peak = max([max(b.owed, b.contributed) for b in group.bars] + [1])
            for bar in group.bars:
                painter.setPen(QColor(style.TEXT))
                painter.drawText(
                    QRectF(0, y, name_width, line * 2.4), Qt.AlignmentFlag.AlignVCenter, bar.partner
                )
                for offset, amount, brush, word in (
                    (0.0, bar.owed, owed_brush, self.tr("owed")),
                    (1.2, bar.contributed, paid_brush, self.tr("paid")),
                ):
                    text = f"{word} {self._format(amount)}"
                    text_width = metrics.horizontalAdvance(text) + line * 0.4
                    room = max(right - left - text_width, line)
                    width = room * max(amount, 0) / peak
                    rect = QRectF(left, y + offset * line, width, line * 1.0)
                    painter.setPen(QPen(QColor("#333333"), 1))
                    painter.setBrush(brush)
                    painter.drawRect(rect)
                    painter.setPen(QColor(style.TEXT))
                    painter.drawText(
                        QRectF(left + width + line * 0.3, y + offset * line, text_width, line),
                        Qt.AlignmentFlag.AlignVCenter,
                        text,
                    )
                y += line * 2.6
            if group.note:
                painter.setPen(QColor(style.MUTED))
                painter.drawText(
                    QRectF(0, y - line * 0.2, self.width(), line * 1.4),
                    Qt.AlignmentFlag.AlignVCenter,
                    metrics.elidedText(group.note, Qt.TextElideMode.ElideRight, self.width()),
                )
                y += line * 1.4

    def _paint_legend(self, painter: QPainter, owed: QBrush, paid: QBrush) -> None:
        line = self.line()
        x = 0.0
        for brush, text in (
            (owed, self.tr("owed (share of eligible cost)")),
            (paid, self.tr("contributed")),
        ):
            painter.setPen(QPen(QColor("#333333"), 1))
            painter.setBrush(brush)
            painter.drawRect(QRectF(x, line * 0.2, line * 1.4, line * 0.9))
            painter.setPen(QColor(style.TEXT))
            width = self.metrics().horizontalAdvance(text)
            painter.drawText(
                QRectF(x + line * 1.8, 0, width + 2, line * 1.3),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += line * 2.8 + width
