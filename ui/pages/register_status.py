"""What a register page says about its rows: the empty state and the count line.

An empty table has three causes (no programme chosen, nothing recorded yet, a filter
that matches nothing), each with its own next step, so the page says which in a large
centred label instead of showing a blank grid. The line under the table counts the
register, the records a filter matches and, until the rest are fetched, the rows loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel

from ui.models.register_model import RegisterModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterPage", text)


def empty_state_label() -> QLabel:
    """The label a register page shows in place of its table when there are no rows."""
    label = QLabel()
    label.setObjectName("empty_state")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setMargin(32)
    label.setProperty("role", "empty")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def count_text(model: RegisterModel, noun: Callable[[int], str]) -> str:
    """The line under the table: "12 risks" or "3 of 12 risks match", and what is loaded."""
    if model.programme_id == -1:
        return ""
    if model.filtered:
        text = _tr("{n} of {total} {noun} match").format(
            n=f"{model.total:,}",
            total=f"{model.register_total():,}",
            noun=noun(model.register_total()),
        )
    else:
        text = _tr("{n} {noun}").format(n=f"{model.total:,}", noun=noun(model.total))
    if model.rowCount() < model.total:
        text += _tr(" — first {n} shown; scroll for more").format(n=f"{model.rowCount():,}")
    return text
