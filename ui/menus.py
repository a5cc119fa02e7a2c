"""The main window's actions, its File, Edit and Help menus, and its toolbar's actions.

Each action calls one part of the window: `window.files` (ui/file_actions.py) for
databases and what goes in and out of them, the window itself for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from ui import style

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class WindowMenus:
    """Builds `window`'s actions and menu bar; the actions are this object's attributes."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        files, tr, keys = window.files, window.tr, QKeySequence.StandardKey
        self.new_action = self._action(
            tr("&New programme database…"), files.new_database, QKeySequence(keys.New), "new"
        )
        self.open_action = self._action(
            tr("&Open database…"), files.open_database, QKeySequence(keys.Open), "open"
        )
        self.demo_action = self._action(tr("Open the &demo programme"), files.open_demo)
        self.backup_action = self._action(
            tr("Save &copy / Backup…"), files.backup_database, icon="backup"
        )
        self.import_action = self._action(tr("&Import…"), files.import_file, QKeySequence("Ctrl+I"))
        self.import_action.setToolTip(
            tr("Import a register (.xlsx, .csv) or an MS Project schedule (Ctrl+I)")
        )
        self.export_action = self._action(tr("&Export…"), files.export_file, QKeySequence("Ctrl+E"))
        self.export_action.setToolTip(
            tr("Export registers (.xlsx, .csv) or the schedule (MS Project XML) (Ctrl+E)")
        )
        self.brief_action = self._action(
            tr("&Brief…"), files.brief, QKeySequence("Ctrl+B"), "brief"
        )
        self.brief_action.setToolTip(tr("Build the briefing pack (PDF) (Ctrl+B)"))
        self.preferences_action = self._action(
            tr("&Preferences…"), window.preferences, QKeySequence(keys.Preferences)
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = self._action(tr("&Quit"), window.close, QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = window.undo_stack.createUndoAction(window, tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.undo_action.setIcon(style.icon("undo"))
        self.redo_action = window.undo_stack.createRedoAction(window, tr("&Redo"))
        self.redo_action.setShortcut(QKeySequence(keys.Redo))
        self.redo_action.setIcon(style.icon("redo"))
        self.find_action = self._action(tr("&Find…"), window.find_in_page, QKeySequence(keys.Find))
        self.about_action = self._action(tr("&About Setu"), window.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self._build_menus()

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | None = None,
        icon: str = "",
    ) -> QAction:
        action = QAction(text, self._window)
        if icon:
            action.setIcon(style.icon(icon))
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        window, tr = self._window, self._window.tr
        bar = window.menuBar()
        self.file_menu = bar.addMenu(tr("&File"))
        self.file_menu.setObjectName("file_menu")
        self.file_menu.setToolTipsVisible(True)
        self.file_menu.addActions([self.new_action, self.open_action])
        self.file_menu.addMenu(window.recent.menu)
        self.file_menu.addAction(self.demo_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addActions([self.import_action, self.export_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.brief_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.preferences_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu(tr("&Edit"))
        self.edit_menu.setObjectName("edit_menu")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)

        self.help_menu = bar.addMenu(tr("&Help"))
        self.help_menu.setObjectName("help_menu")
        self.help_menu.addAction(self.about_action)
