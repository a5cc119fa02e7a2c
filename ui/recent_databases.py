"""File > Recent databases: the last databases opened, newest first, kept in QSettings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu, QWidget

from app.database import Database

RECENT_KEY = "recent_databases"
RECENT_MAX = 8


class RecentDatabases(QObject):
    """The list and its menu; choosing a file calls `open_path(path)`."""

    def __init__(
        self, settings: QSettings, open_path: Callable[[Path], object], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._open_path = open_path
        self.menu = QMenu(self.tr("&Recent databases"), parent)
        self.menu.setObjectName("recent_menu")
        self.menu.setToolTipsVisible(True)
        # Filled as it opens: another window may have changed the list meanwhile.
        self.menu.aboutToShow.connect(self.fill_menu)
        self.fill_menu()

    def paths(self) -> list[str]:
        value: Any = self._settings.value(RECENT_KEY, [])
        # An INI file gives back one path as a string, several as a list.
        paths = [value] if isinstance(value, str) else list(value or [])
        return [str(p) for p in paths if p][:RECENT_MAX]

    def remember(self, db: Database) -> None:
        """Put the database first in the list (at most RECENT_MAX)."""
        if db.target.path is None:
            return
        path = str(db.target.path)
        paths = [path, *(p for p in self.paths() if p != path)][:RECENT_MAX]
        self._settings.setValue(RECENT_KEY, paths)
        self.fill_menu()

    def forget_missing(self) -> None:
        self._settings.setValue(RECENT_KEY, [p for p in self.paths() if Path(p).exists()])
        self.fill_menu()

    def clear(self) -> None:
        self._settings.setValue(RECENT_KEY, [])
        self.fill_menu()

    def fill_menu(self) -> None:
        menu = self.menu
        menu.clear()
        paths = self.paths()
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number} {path}")
            action.setData(path)
            if Path(path).exists():
                action.triggered.connect(lambda _c=False, p=path: self._open_path(Path(p)))
            else:
                action.setEnabled(False)
                action.setToolTip(self.tr("The file is no longer there"))
        if not paths:
            empty = menu.addAction(self.tr("No recent databases"))
            empty.setEnabled(False)
            return
        menu.addSeparator()
        forget = menu.addAction(self.tr("Remove missing files"))
        forget.setObjectName("remove_missing")
        forget.triggered.connect(self.forget_missing)
        menu.addAction(self.tr("Clear the list")).triggered.connect(self.clear)
