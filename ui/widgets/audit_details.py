"""The audit page's right-hand panel: one entry's values field by field, and the
result of verifying the whole log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import audit
from app.services.listing_registers import AuditListRow
from ui import style

GOOD = style.RAG_COLOURS["GREEN"][1]
BAD = style.RAG_COLOURS["RED"][1]
# Changed values (amber) and removed ones (red): the Change column says which in words.
CHANGED = (QColor(style.RAG_COLOURS["AMBER"][0]), QColor(style.RAG_COLOURS["AMBER"][2]))
REMOVED = (QColor(style.RAG_COLOURS["RED"][0]), QColor(style.RAG_COLOURS["RED"][2]))


def parse_at(at: str) -> datetime | None:
    try:
        return datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return None


def utc_text(at: str) -> str:
    """ "2026-11-26 16:20:45 UTC" from the stored "2026-11-26T16:20:45.123456Z"."""
    moment = parse_at(at)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else at


def local_text(at: str) -> str:
    """The same moment in this computer's time zone."""
    moment = parse_at(at)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def record_name(values: dict[str, Any] | None) -> str:
    """How an entry names its record: its code, number, reference or title."""
    if not values:
        return ""
    for key in ("code", "number", "reference", "short_name", "key", "title", "item", "name"):
        if values.get(key):
            return str(values[key])
    if values.get("from_currency"):
        return (
            f"{values['from_currency']}/{values.get('to_currency')} {values.get('rate_date', '')}"
        )
    for key in ("nation", "description"):
        if values.get(key):
            return str(values[key])
    return ""


def summary(row: AuditListRow) -> str:
    if row.action == "updated":
        return ", ".join(sorted((row.old_values or {}).keys()))
    return record_name(row.new_values if row.action == "created" else row.old_values)


class AuditDetails(QWidget):
    """The selected entry, field by field; and the verification of the whole log."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_details")
        self.verify_button = QPushButton(self.tr("&Verify the log"))
        self.verify_button.setObjectName("verify_button")
        self.verify_button.setToolTip(
            self.tr(
                "Re-compute the hash chain and compare every record with its latest entry, "
                "so changes made behind Setu's back are found"
            )
        )
        # Plain text that wraps anywhere, so a 64-digit hash never widens the panel.
        self.result = QPlainTextEdit()
        self.result.setObjectName("verify_result")
        self.result.setReadOnly(True)
        self.result.setFrameShape(QFrame.Shape.NoFrame)
        self.result.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.result.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.result.setFixedHeight(self.result.fontMetrics().lineSpacing() * 3 + 8)
        self._result_style("")
        self.result.setPlainText(
            self.tr("Not verified yet in this session. Verification reads the whole log.")
        )
        self.heading = QLabel(self.tr("Select an entry to see what it changed."))
        self.heading.setObjectName("entry_heading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("entry_values")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Before"), self.tr("After"), self.tr("Change")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 110)
        self.table.setColumnWidth(3, 64)
        top = QHBoxLayout()
        top.addWidget(self.verify_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.result)
        layout.addSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

    def show_entry(self, row: AuditListRow | None) -> None:
        if row is None:
            self.heading.setText(self.tr("Select an entry to see what it changed."))
            self.table.setRowCount(0)
            return
        self.heading.setText(
            self.tr("Entry {n}: {user} {action} {entity} {id} at {local} ({utc})").format(
                n=row.id,
                user=row.user,
                action=row.action,
                entity=row.entity.replace("_", " "),
                id=row.entity_id,
                local=local_text(row.at),
                utc=utc_text(row.at),
            )
        )
        old, new = row.old_values or {}, row.new_values or {}
        if row.action == "updated":
            changed = sorted(old)
            fields = changed + sorted(k for k in new if k not in old)
        else:
            fields = sorted({*old, *new})
            changed = fields
        word = {
            "created": self.tr("set"),
            "updated": self.tr("changed"),
            "deleted": self.tr("removed"),
        }.get(row.action, row.action)
        self.table.setRowCount(len(fields))
        for number, name in enumerate(fields):
            is_changed = name in changed
            before = value_text(old.get(name)) if row.action != "created" else ""
            after = value_text(new.get(name)) if row.action != "deleted" else ""
            texts = [name, before, after, word if is_changed else ""]
            tint = (CHANGED if row.action == "updated" else None) if is_changed else None
            if is_changed and row.action == "deleted":
                tint = REMOVED
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if tint is not None:
                    item.setBackground(QBrush(tint[0]))
                    item.setForeground(QBrush(tint[1]))
                self.table.setItem(number, column, item)

    def _result_style(self, colour: str) -> None:
        weight = "font-weight: bold;" if colour else ""
        colour = f"color: {colour};" if colour else ""
        self.result.setStyleSheet(
            f"QPlainTextEdit {{ background: transparent; {colour} {weight} }}"
        )

    def result_text(self) -> str:
        return self.result.toPlainText()

    def show_running(self) -> None:
        self.verify_button.setEnabled(False)
        self._result_style("")
        self.result.setPlainText(self.tr("Verifying the log…"))

    def show_result(self, problems: Sequence[str], head: audit.ChainHead | None) -> None:
        self.verify_button.setEnabled(True)
        if problems:
            more = len(problems) - 1
            text = self.tr("NOT verified: {problem}").format(problem=problems[0])
            if more:
                text += self.tr(" (and {n} more problems)").format(n=more)
            self.result.setPlainText(text)
            self._result_style(BAD)
        else:
            self.result.setPlainText(self.tr("verified: head {head}").format(head=head))
            self._result_style(GOOD)
