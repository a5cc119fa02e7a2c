"""The dashboard's building blocks: a key-figure tile, a read-only list, a titled
section, and the short texts they show (compact amounts, the RAG's reasons capped as
the briefing pack caps them).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from app import money

REASONS_SHOWN = 12


def tr(text: str) -> str:
    return QCoreApplication.translate("DashboardPage", text)


def compact_money(minor: int, currency: str) -> str:
    """A short amount for a tile or a bar ("₹2,594.30 cr", "$12.5 M"); the exact
    amount is always in the tooltip."""
    major = money.to_major(minor, currency)
    symbol = money.SYMBOLS.get(currency, currency + " ")
    sign = "-" if major < 0 else ""
    size = abs(major)
    if currency == "INR" and size >= Decimal(10) ** 7:
        value = (size / Decimal(10) ** 7).quantize(Decimal("0.01"))
        return tr("{sign}{symbol}{value} cr").format(sign=sign, symbol=symbol, value=f"{value:,}")
    for power, unit in ((9, tr("bn")), (6, tr("M"))):
        if size >= Decimal(10) ** power:
            value = (size / Decimal(10) ** power).quantize(Decimal("0.01"))
            return f"{sign}{symbol}{value:,} {unit}"
    return money.display(minor, currency)


def reasons_text(reasons: Sequence[str]) -> str:
    """The RAG's reasons as bullets, the first REASONS_SHOWN of them, as the pack does: a
    big programme has thousands, and a label that long takes a noticeable time to lay
    out whenever the dashboard is shown."""
    lines = [f"• {reason}" for reason in reasons[:REASONS_SHOWN]]
    if len(reasons) > REASONS_SHOWN:
        lines.append(
            tr("… and {count} more: see the Workstreams and Risks pages").format(
                count=len(reasons) - REASONS_SHOWN
            )
        )
    return "\n".join(lines)


class Tile(QFrame):
    """A key figure: what it is, its value, and a line that explains it."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "tile")
        layout = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setProperty("role", "muted")
        self.title.setWordWrap(True)
        self.value = QLabel("—")
        self.value.setProperty("role", "tile_value")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setProperty("role", "muted")
        for label in (self.title, self.value, self.caption):
            label.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(label)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def show_value(self, value: str, caption: str, tooltip: str = "") -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.setToolTip(tooltip)


def figure_list(headers: Sequence[str], name: str) -> QTreeWidget:
    """A read-only list of figures: first column stretched, the rest fitted to content."""
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return tree


def section(title: str, body: QWidget, note: str = "") -> QWidget:
    """A titled part of the dashboard, with an optional line on how to read it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(title)
    heading.setProperty("role", "section_title")
    layout.addWidget(heading)
    if note:
        hint = QLabel(note)
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
    layout.addWidget(body)
    layout.addStretch(1)
    return box
