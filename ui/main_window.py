"""The main window: navigation, programme selector, status bar, and the parts it is made of.

`navigation` row N always shows `pages` row N (ui/page_stack.py builds each page the
first time it is shown). The window is composed of:
  - `pages`: the pages, built lazily, with the rows of ui/pages/catalogue.py;
  - `files`: what File does to databases and what goes in and out (ui/file_actions.py);
  - `recent`: File > Recent databases (ui/recent_databases.py);
  - `menus`: every action and the menu bar (ui/menus.py).
Register pages share the window's one `undo_stack`. A page with a `filter_edit` (a
QLineEdit, as RegisterPage has) or a child QLineEdit named "filter_edit" gets the
focus from Edit > Find.

Opening is quick by design: only the dashboard is built, its figures and the status
bar's highest marking are looked up in the background once the window has painted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QWidget,
)

from app.database import Database
from app.services import markings, programmes
from app.services.programmes import ProgrammeRow
from ui import about, preferences, style, workers
from ui.daily_backup import DailyBackups
from ui.file_actions import FileActions
from ui.menus import WindowMenus
from ui.page_stack import PageStack
from ui.pages import catalogue
from ui.pages.catalogue import DASHBOARD_ROW, RISKS_ROW
from ui.pages.dashboard_page import DashboardPage
from ui.recent_databases import RecentDatabases

if TYPE_CHECKING:
    from ui.pages.risks_page import RisksPage

__all__ = ["RISKS_ROW", "MainWindow"]

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
SPLITTER_KEY = "main_window/splitter"


class MainWindow(QMainWindow):
    """One open database; pages for each register of the selected programme."""

    programme_selected = Signal(int)  # programme id; -1 when the database holds none
    database_changed = Signal()  # another database was opened in this window
    changed = Signal()  # data changed (an edit, an undo): pages reload when shown

    def __init__(
        self, db: Database, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings if settings is not None else QSettings()
        self._programmes: dict[int, ProgrammeRow] = {}
        self._marking_op: workers.Op | None = None
        self._switching = False  # between two databases
        self.about_box: QMessageBox | None = None
        self.after_paint = workers.AfterPaint(self)
        self.setObjectName("main_window")
        self.setWindowIcon(style.icon("setu"))

        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(self._undone_or_redone)
        self.files = FileActions(self)
        self.backups = DailyBackups(self, self.settings, lambda: self.db.target)
        self.backups.made.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.backups.failed.connect(self._daily_backup_failed)
        self.recent = RecentDatabases(self.settings, self.files.open_path, self)
        self.menus = WindowMenus(self)
        self._build_toolbar()
        self._build_status_bar()
        self._build_pages()
        self.navigation.setCurrentRow(DASHBOARD_ROW)
        self._show_database()
        self.reload_programmes()
        self._restore_geometry()

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Programme"))
        toolbar.setObjectName("programme_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(QLabel(self.tr("Programme:")))
        self.programme_selector = QComboBox()
        self.programme_selector.setObjectName("programme_selector")
        self.programme_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.programme_selector.setPlaceholderText(self.tr("No programme yet"))
        self.programme_selector.currentIndexChanged.connect(self._on_programme_changed)
        toolbar.addWidget(self.programme_selector)
        toolbar.addSeparator()
        toolbar.addAction(self.menus.undo_action)
        toolbar.addAction(self.menus.redo_action)
        toolbar.addSeparator()
        toolbar.addAction(self.menus.brief_action)
        self.toolbar = toolbar
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.database_label = QLabel()
        self.database_label.setObjectName("database_label")
        self.database_label.setTextFormat(Qt.TextFormat.PlainText)
        self.user_label = QLabel()
        self.user_label.setObjectName("user_label")
        status.addWidget(self.database_label, 1)
        self.marking_label = QLabel()
        self.marking_label.setObjectName("highest_marking")
        bold = self.marking_label.font()
        bold.setBold(True)
        self.marking_label.setFont(bold)
        self.marking_label.setToolTip(
            self.tr("The highest protective marking of any record of this programme")
        )
        status.addPermanentWidget(self.marking_label)
        status.addPermanentWidget(self.user_label)
        self.read_only_label = QLabel(self.tr("read-only"))
        self.read_only_label.setObjectName("read_only_label")
        self.read_only_label.setFont(bold)
        status.addPermanentWidget(self.read_only_label)

    def _build_pages(self) -> None:
        entries = catalogue.entries()
        self.pages = PageStack(len(entries), self._make_page)
        self.pages.page_changed_data.connect(self.data_changed)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        for entry in entries:
            item = QListWidgetItem(style.icon(entry.icon), entry.title, self.navigation)
            item.setToolTip(entry.description)
        self.navigation.currentRowChanged.connect(self.pages.show_page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 0)  # extra width goes to the page
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        navigation_width = self.navigation.sizeHintForColumn(0) + 4 * self.navigation.frameWidth()
        self.splitter.setSizes([navigation_width + self.fontMetrics().height() * 2, 1000])
        self.setCentralWidget(self.splitter)

    def _show_database(self) -> None:
        db = self.db
        name = db.target.path.name if db.target.path is not None else db.label
        self.setWindowTitle(self.tr("Setu — {name}").format(name=name))
        self.database_label.setText(self.tr("Database: {label}").format(label=db.label))
        self.user_label.setText(self.tr("User: {user}").format(user=db.user))
        self.read_only_label.setVisible(db.read_only)
        self.recent.remember(db)
        self.after_paint.later("daily backup", self.backups.run)

    def _daily_backup_failed(self, error: object) -> None:
        workers.show_error(self, error, self.tr("Setu — daily backup not made"))

    # Pages ------------------------------------------------------------------------------

    def _make_page(self, row: int) -> QWidget:
        if row == DASHBOARD_ROW:
            dashboard = DashboardPage(self.db)
            dashboard.set_indian_grouping(preferences.indian_grouping(self.settings))
            dashboard.risk_cell_clicked.connect(self.show_risks_at)
            # Once the figures are in, the window is idle: time to import the other pages.
            dashboard.loaded.connect(
                lambda: catalogue.import_in_idle_time(catalogue.entries()),
                Qt.ConnectionType.SingleShotConnection,
            )
            return dashboard
        page_class = catalogue.register_page_class(catalogue.entries()[row])
        return page_class(self.db, self.undo_stack, settings=self.settings)

    def page(self, row: int) -> QWidget | None:
        """The page at navigation row `row` (built now if it was not yet)."""
        return self.pages.page(row)

    @property
    def dashboard(self) -> DashboardPage:
        page = self.pages.page(DASHBOARD_ROW)
        assert isinstance(page, DashboardPage)
        return page

    @property
    def risks_page(self) -> RisksPage:
        from ui.pages.risks_page import RisksPage  # imported by building the page

        page = self.pages.page(RISKS_ROW)
        assert isinstance(page, RisksPage)
        return page

    def show_risks_at(self, likelihood: int, impact: int) -> None:
        """The Risks page, filtered to one cell of the heat map (from the dashboard)."""
        self.navigation.setCurrentRow(RISKS_ROW)
        heat_map = self.risks_page.heat_map
        figures = self.dashboard.figures
        if figures is not None:
            heat_map.set_mode(figures.heat_map.mode)
        if heat_map.selected != (likelihood, impact):
            heat_map.click(likelihood, impact)

    def _undone_or_redone(self, _index: int) -> None:
        # The page that made the edit reloads itself; the others are now stale.
        if not self._switching:
            self.data_changed(self.pages.currentWidget())

    def data_changed(self, source: object) -> None:
        """Data changed: by `source`, a page that has reloaded itself, or (None) elsewhere,
        when the page shown reloads now. Every other page reloads when next shown."""
        self.pages.mark_stale(source)
        if source is None:
            self.pages.show_page(self.pages.currentIndex())
        self.refresh_marking()
        self.changed.emit()

    # Programmes -------------------------------------------------------------------------

    def reload_programmes(self) -> None:
        """Refill the selector, keeping the selected programme when it still exists."""
        previous = self.current_programme_id()
        selector = self.programme_selector
        selector.blockSignals(True)
        try:
            selector.clear()
            self._programmes = {row.id: row for row in programmes.list_programmes(self.db)}
            for row in self._programmes.values():
                text = self.tr("{code} — {name}").format(code=row.code, name=row.name)
                selector.addItem(text, row.id)
            index = selector.findData(previous) if previous != -1 else -1
            selector.setCurrentIndex(index if index != -1 else min(0, selector.count() - 1))
        finally:
            selector.blockSignals(False)
        selector.setEnabled(selector.count() > 0)
        self._programme_changed()

    def current_programme_id(self) -> int:
        """The selected programme's id, or -1 when there is none."""
        data = self.programme_selector.currentData()
        return data if isinstance(data, int) else -1

    def current_programme(self) -> ProgrammeRow | None:
        return self._programmes.get(self.current_programme_id())

    def _on_programme_changed(self, _index: int) -> None:
        self._programme_changed()

    def _programme_changed(self) -> None:
        programme_id = self.current_programme_id()
        for action in (self.menus.brief_action, self.menus.import_action, self.menus.export_action):
            action.setEnabled(programme_id != -1)
        self.pages.set_programme(programme_id)
        self.refresh_marking()
        self.programme_selected.emit(programme_id)

    def refresh_marking(self) -> None:
        """Highest marking of the programme's records, looked up in the background."""
        programme_id = self.current_programme_id()
        if programme_id == -1:
            self.marking_label.setText("")
            return
        if self._marking_op is not None:
            self._marking_op.cancel.set()
        db = self.db
        op = workers.Op(self, lambda _p, _c: markings.highest_in_programme(db, programme_id))
        op.succeeded.connect(lambda name: self._show_marking(op, str(name)))
        self._marking_op = op
        self.after_paint.later("marking", op.start)

    def _show_marking(self, op: workers.Op, name: str) -> None:
        if op is self._marking_op:
            self.marking_label.setText(self.tr("Highest marking: {marking}").format(marking=name))

    def set_database(self, db: Database) -> None:
        """Switch to `db`, closing the one open until now."""
        workers.cancel_all()
        workers.wait_all()
        old, self.db = self.db, db
        self._switching = True
        try:
            self.undo_stack.clear()  # its commands would change the old database
        finally:
            self._switching = False
        self._marking_op = None
        self.pages.reset()
        self._show_database()
        self.reload_programmes()
        self.pages.show_page(max(self.navigation.currentRow(), 0))
        old.close()
        self.database_changed.emit()

    # Edit, preferences, help ------------------------------------------------------------

    def find_in_page(self) -> bool:
        """Focus the current page's filter box, when it has one."""
        page = self.pages.currentWidget()
        if page is None:
            return False
        box = getattr(page, "filter_edit", None) or getattr(page, "filter_box", None)
        if not isinstance(box, QLineEdit):
            box = page.findChild(QLineEdit, "filter_edit") or page.findChild(QLineEdit, "filter")
        if box is None:
            self.statusBar().showMessage(self.tr("This page has nothing to search."), 4000)
            return False
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()
        return True

    def preferences(self) -> QDialog:
        return preferences.open_preferences(self, self.settings, self._preferences_saved)

    def _preferences_saved(self) -> None:
        dashboard = self.pages.built(DASHBOARD_ROW)
        if isinstance(dashboard, DashboardPage):
            dashboard.set_indian_grouping(preferences.indian_grouping(self.settings))

    def about(self) -> QMessageBox:
        self.about_box = about.open_about(self, self.db)
        return self.about_box

    # Geometry ---------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            state = self.settings.value(STATE_KEY)
            if isinstance(state, QByteArray):
                self.restoreState(state)
            splitter = self.settings.value(SPLITTER_KEY)
            if isinstance(splitter, QByteArray):
                self.splitter.restoreState(splitter)
        else:
            line = self.fontMetrics().height()
            self.resize(line * 60, line * 38)

    def save_geometry(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(STATE_KEY, self.saveState())
        self.settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        super().closeEvent(event)
