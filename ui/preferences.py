"""The user's own display preferences and the dialog that sets them.

They are kept in QSettings, per user; the office's settings (marking scale, RAG
thresholds, offsets) are in the database and apply to everyone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from ui import daily_backup

GROUPING_KEY = "display/indian_grouping"


def indian_grouping(settings: QSettings) -> bool:
    """Whether rupee amounts are grouped in lakh and crore (₹12,50,000.00)."""
    return str(settings.value(GROUPING_KEY, "false")).lower() == "true"


def open_preferences(parent: QWidget, settings: QSettings, on_saved: Callable[[], None]) -> QDialog:
    """The Preferences dialog, opened window-modal; OK saves and calls `on_saved()`."""
    translate = QCoreApplication.translate
    dialog = QDialog(parent)
    dialog.setObjectName("preferences")
    dialog.setWindowTitle(translate("MainWindow", "Preferences"))
    form = QFormLayout(dialog)  # a preference with a label is one more row
    grouping = QCheckBox(
        translate("MainWindow", "Group rupee amounts in lakh and crore (₹12,50,000.00)")
    )
    grouping.setObjectName("indian_grouping")
    grouping.setChecked(indian_grouping(settings))
    form.addRow(grouping)
    save_backups = daily_backup.add_preferences(form, settings)
    note = QLabel(
        translate(
            "MainWindow",
            "The office's settings (marking scale, RAG thresholds, offsets and "
            "procurement minimums) are kept in the database and apply to everyone.",
        )
    )
    note.setWordWrap(True)
    note.setProperty("role", "muted")
    form.addRow(note)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)

    def save() -> None:
        settings.setValue(GROUPING_KEY, "true" if grouping.isChecked() else "false")
        save_backups()
        on_saved()

    dialog.accepted.connect(save)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
