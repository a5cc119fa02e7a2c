"""Help > About: the version, the open database, and that Setu never uses a network."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.database import Database
from ui import style


def version() -> str:
    try:
        return metadata.version("setu")
    except metadata.PackageNotFoundError:
        return "development"


def open_about(parent: QWidget, db: Database) -> QMessageBox:
    """The About box, opened window-modal (not blocking)."""
    translate = QCoreApplication.translate
    box = QMessageBox(
        QMessageBox.Icon.NoIcon,
        translate("MainWindow", "About Setu"),
        translate(
            "MainWindow",
            "Setu {version}\n"
            "The programme office's tool for joint R&D and co-production programmes.\n\n"
            "Database: {database}\nUser: {user}\n\n"
            "Setu works offline; it never connects to a network: no update checks, "
            "no telemetry, no web fonts. Everything stays in the database file.",
        ).format(version=version(), database=db.label, user=db.user),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("about_box")
    box.setIconPixmap(style.icon("setu").pixmap(parent.fontMetrics().height() * 4))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
