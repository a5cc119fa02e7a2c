"""The "save to" field a dialog shares: checking the chosen file and saying what is wrong.

The brief and export dialogs both ask for an output file; its message label, the checks
that do not depend on the kind of file, and how a problem is shown live here once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from ui import style


def chosen_path(edit: QLineEdit) -> Path:
    return Path(edit.text().strip()).expanduser()


def error_label() -> QLabel:
    """The message beside the field: plain text (a file name is never markup), wrapped."""
    label = QLabel()
    label.setObjectName("output_error")
    label.setProperty("role", "field_error")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def place_problem(path: Path) -> str:
    """What is wrong with where the file would go, whatever its kind ("" when nothing)."""
    if not path.parent.is_dir():
        return QCoreApplication.translate("OutputFile", "The folder does not exist.")
    if path.is_dir():
        return QCoreApplication.translate("OutputFile", "This is a folder; give a file name.")
    return ""


def show_problem(edit: QLineEdit, label: QLabel, problem: str) -> None:
    """Outline the field and say why, or clear both."""
    label.setText(problem)
    label.setVisible(bool(problem))
    style.set_invalid(edit, bool(problem))
